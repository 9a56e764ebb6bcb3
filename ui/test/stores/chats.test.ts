import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { createChatsStore } from '../../src/stores/chats';
import { MemoryPlatform } from '../../src/platform/memory';
import { chat } from '../fixtures';

function store() {
  return createRoot(() => createChatsStore(new MemoryPlatform({ signedInAs: 'alice' })));
}

describe('chats store', () => {
  it('loads the chat list with the pinned chat on top and the rest by activity', async () => {
    const chats = store();
    await chats.load();
    expect(chats.list().map((c) => c.title)).toEqual(['bob', 'Weekend trip', 'carol', 'erin']);
    expect(chats.list()[0]?.pinned).toBe(true);
  });

  it('moves a chat up when it gets a new message and removes a chat that is gone', () => {
    const chats = store();
    chats.put(chat({ id: 1, title: 'one', lastActivityAt: 10 }));
    chats.put(chat({ id: 2, title: 'two', lastActivityAt: 20 }));
    expect(chats.list().map((c) => c.id)).toEqual([2, 1]);
    chats.apply({ type: 'chatUpdated', chat: chat({ id: 1, title: 'one', lastActivityAt: 30, unreadCount: 2 }) });
    expect(chats.list().map((c) => c.id)).toEqual([1, 2]);
    expect(chats.totalUnread(0)).toBe(2);
    chats.apply({ type: 'chatRemoved', chat: 1 });
    expect(chats.list().map((c) => c.id)).toEqual([2]);
    expect(chats.totalUnread(0)).toBe(0);
  });

  it('keeps a pinned chat above a newer one', () => {
    const chats = store();
    chats.put(chat({ id: 1, lastActivityAt: 10, pinned: true }));
    chats.put(chat({ id: 2, lastActivityAt: 99 }));
    expect(chats.list().map((c) => c.id)).toEqual([1, 2]);
  });

  it('marks a chat read up to its newest sent message, also when the newest one is unsent', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice', ackDelay: 60_000 });
    const chats = createRoot(() => createChatsStore(platform));
    await chats.load();
    const marked = vi.spyOn(platform, 'markRead');
    // Nothing unread: nothing to ask.
    await chats.markRead(3);
    expect(marked).not.toHaveBeenCalled();
    const delivered = platform.deliver(1, 'bob', 'one more');
    await platform.send(1, 'still sending', null);
    await chats.load();
    expect(chats.byId(1)).toMatchObject({ unreadCount: 3, lastMessage: { seq: null } });
    await chats.markRead(1);
    expect(marked.mock.calls).toEqual([[1, delivered.seq]]);
    expect((await platform.chats()).find((c) => c.id === 1)?.unreadCount).toBe(0);
  });
});
