// The in-memory host's folders and mentions, as the engine keeps them.

import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import type { CoreEvent } from '../../src/platform/types';
import { folder } from '../fixtures';

const BOB = 1;
const TRIP = 2;

function start(): { platform: MemoryPlatform; events: CoreEvent[] } {
  const platform = new MemoryPlatform({ signedInAs: 'alice' });
  const events: CoreEvent[] = [];
  platform.onEvent((event) => events.push(event));
  return { platform, events };
}

describe('folders', () => {
  it('keeps the folders with names trimmed and says so', async () => {
    const { platform, events } = start();
    expect(await platform.folders()).toEqual([]);
    const saved = await platform.setFolders([folder({ id: 3, name: '  Work ' })]);
    expect(saved[0]?.name).toBe('Work');
    expect(await platform.folders()).toEqual(saved);
    expect(events).toContainEqual({ type: 'foldersChanged', folders: saved });
  });

  it("refuses a list that breaks the rules with 'invalid' and the reason", async () => {
    const { platform, events } = start();
    await expect(platform.setFolders([folder({ direct: false, groups: false })])).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/nothing can be in/),
    });
    await expect(platform.setFolders([folder({ include: [1], exclude: [1] })])).rejects.toMatchObject({ code: 'invalid' });
    expect(events.filter((e) => e.type === 'foldersChanged')).toEqual([]);
  });
});

describe('mentions', () => {
  it('marks messages naming me or answering mine, and counts the unread ones', async () => {
    const { platform } = start();
    const named = platform.deliver(TRIP, 'bob', 'Ask @ALICE about it');
    const other = platform.deliver(TRIP, 'bob', 'Ask @alicex about it');
    const mine = await platform.history(TRIP, null, 200);
    const ownSeq = mine.find((m) => m.outgoing && m.seq !== null)?.seq ?? null;
    const reply = platform.deliver(TRIP, 'carol', 'Agreed', false, ownSeq);
    expect([named.mentionsMe, other.mentionsMe, reply.mentionsMe]).toEqual([true, false, true]);
    const summary = (await platform.chats()).find((c) => c.id === TRIP);
    expect(summary?.unreadMentions).toBe(2);
    await platform.markRead(TRIP, reply.seq ?? 0);
    expect((await platform.chats()).find((c) => c.id === TRIP)?.unreadMentions).toBe(0);
    expect((await platform.chats()).find((c) => c.id === BOB)?.unreadMentions).toBe(0);
  });
});
