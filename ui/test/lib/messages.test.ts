// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { compareMessages, firstUnreadSeq, isEditable, lastOwnEditable, tickOf } from '../../src/lib/messages';
import { alice, message } from '../fixtures';

const mine = (seq: number | null, extra = {}) =>
  message({ seq, outgoing: true, sender: alice, localId: `mine-${seq}`, state: seq === null ? 'pending' : 'sent', ...extra });

describe('ticks', () => {
  it('shows a clock while pending, one tick when sent, two when a peer has read it', () => {
    expect(tickOf(mine(null), 0)).toBe('pending');
    expect(tickOf(mine(5), 4)).toBe('sent');
    expect(tickOf(mine(5), 5)).toBe('read');
    expect(tickOf(mine(5, { state: 'read' }), 0)).toBe('read');
    expect(tickOf(mine(null, { state: 'failed' }), 0)).toBe('failed');
  });

  it('shows no ticks on incoming messages', () => {
    expect(tickOf(message({ seq: 1 }), 10)).toBe('none');
  });
});

describe('unread', () => {
  const history = [message({ seq: 1 }), mine(2), message({ seq: 3 }), message({ seq: 4, deleted: true }), message({ seq: 5 })];

  it('finds the first incoming message after the read mark', () => {
    expect(firstUnreadSeq(history, 1)).toBe(3);
    expect(firstUnreadSeq(history, 5)).toBeNull();
  });
});

describe('editing the last own message', () => {
  it('picks the newest own sent message, skipping deleted and pending ones', () => {
    const history = [mine(1), mine(2), message({ seq: 3 }), mine(4, { deleted: true }), mine(null)];
    expect(lastOwnEditable(history)?.seq).toBe(2);
  });

  it('finds nothing when I wrote nothing', () => {
    expect(lastOwnEditable([message({ seq: 1 })])).toBeNull();
  });

  it('skips my messages this device could not decrypt', () => {
    const unreadable = mine(3, { undecryptable: true, text: 'sent before this device joined' });
    expect(isEditable(unreadable)).toBe(false);
    expect(lastOwnEditable([mine(2), unreadable])?.seq).toBe(2);
  });
});

describe('message order', () => {
  it('orders by seq and keeps outbox messages last', () => {
    const sorted = [mine(null, { sentAt: 1 }), message({ seq: 7 }), message({ seq: 3 })].sort(compareMessages);
    expect(sorted.map((m) => m.seq)).toEqual([3, 7, null]);
  });
});
