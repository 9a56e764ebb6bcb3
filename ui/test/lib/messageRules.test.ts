// @vitest-environment node

import { describe, expect, it } from 'vitest';
import {
  canDeleteForEveryone,
  canForward,
  canPin,
  copyText,
  isGroupAdmin,
  rangeBetween,
} from '../../src/lib/messageRules';
import { alice, bob, chat, message } from '../fixtures';

const ALICE = alice.id;
const group = chat({ kind: 'group', title: 'Team' });
const asMember = chat({
  kind: 'group',
  title: 'Team',
  members: [
    { account: alice, role: 'member' },
    { account: bob, role: 'admin' },
  ],
});

describe('message rules', () => {
  it('lets group admins and either side of a direct chat pin', () => {
    expect(isGroupAdmin(group, ALICE)).toBe(true);
    expect(canPin(group, ALICE)).toBe(true);
    expect(canPin(asMember, ALICE)).toBe(false);
    expect(canPin(chat(), bob.id)).toBe(true);
    expect(canPin(chat({ isMember: false }), ALICE)).toBe(false);
  });

  it('deletes for everyone own stored messages, and anyone’s for a group admin', () => {
    const theirs = message({ seq: 3 });
    const mine = message({ seq: 4, sender: alice, outgoing: true });
    expect(canDeleteForEveryone(mine, chat(), ALICE)).toBe(true);
    expect(canDeleteForEveryone(theirs, chat(), ALICE)).toBe(false);
    expect(canDeleteForEveryone(theirs, group, ALICE)).toBe(true);
    expect(canDeleteForEveryone(theirs, asMember, ALICE)).toBe(false);
    expect(canDeleteForEveryone(message({ seq: null, outgoing: true }), chat(), ALICE)).toBe(false);
    expect(canDeleteForEveryone({ ...mine, deleted: true }, chat(), ALICE)).toBe(false);
  });

  it('forwards only stored, readable messages that are not call records', () => {
    expect(canForward(message())).toBe(true);
    expect(canForward(message({ seq: null }))).toBe(false);
    expect(canForward(message({ undecryptable: true }))).toBe(false);
    expect(canForward(message({ call: { video: false, outcome: 'answered', durationS: 3 } }))).toBe(false);
  });

  it('copies the texts one per line as "sender: text", skipping what has none', () => {
    const messages = [
      message({ seq: 1, text: 'hi' }),
      message({ seq: 2, text: 'reason', undecryptable: true }),
      message({ seq: 3, sender: alice, text: 'hello\nthere' }),
    ];
    expect(copyText(messages)).toBe('bob: hi\nalice: hello\nthere');
  });

  it('selects the range between two messages in either direction', () => {
    const messages = [1, 2, 3, 4, 5].map((seq) => message({ seq }));
    expect(rangeBetween(messages, 'm-2', 'm-4')).toEqual(['m-2', 'm-3', 'm-4']);
    expect(rangeBetween(messages, 'm-5', 'm-3')).toEqual(['m-3', 'm-4', 'm-5']);
    expect(rangeBetween(messages, 'gone', 'm-3')).toEqual(['m-3']);
    expect(rangeBetween(messages, 'm-1', 'gone')).toEqual([]);
  });
});
