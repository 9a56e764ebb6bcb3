import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
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
    expect(chats.totalUnread()).toBe(2);
    chats.apply({ type: 'chatRemoved', chat: 1 });
    expect(chats.list().map((c) => c.id)).toEqual([2]);
    expect(chats.totalUnread()).toBe(0);
  });

  it('keeps a pinned chat above a newer one', () => {
    const chats = store();
    chats.put(chat({ id: 1, lastActivityAt: 10, pinned: true }));
    chats.put(chat({ id: 2, lastActivityAt: 99 }));
    expect(chats.list().map((c) => c.id)).toEqual([1, 2]);
  });
});
