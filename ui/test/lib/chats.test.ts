// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { filterChats, sortChats, totalUnread } from '../../src/lib/chats';
import { chat } from '../fixtures';

describe('chat list order', () => {
  it('puts pinned chats first, then the most recently active', () => {
    const chats = [
      chat({ id: 1, lastActivityAt: 100 }),
      chat({ id: 2, lastActivityAt: 300 }),
      chat({ id: 3, lastActivityAt: 50, pinned: true }),
      chat({ id: 4, lastActivityAt: 200 }),
      chat({ id: 5, lastActivityAt: 10, pinned: true }),
    ];
    expect(sortChats(chats).map((c) => c.id)).toEqual([3, 5, 2, 4, 1]);
  });

  it('keeps a stable order for equal activity', () => {
    const chats = [chat({ id: 9, lastActivityAt: 5 }), chat({ id: 2, lastActivityAt: 5 })];
    expect(sortChats(chats).map((c) => c.id)).toEqual([2, 9]);
  });

  it('adds up unread messages', () => {
    expect(totalUnread([chat({ unreadCount: 3 }), chat({ unreadCount: 0 }), chat({ unreadCount: 4 })])).toBe(7);
  });

  it('finds chats by title or member name, ignoring case', () => {
    const chats = [chat({ id: 1, title: 'Weekend Trip' }), chat({ id: 2, title: 'bob' })];
    expect(filterChats(chats, 'trip').map((c) => c.id)).toEqual([1]);
    expect(filterChats(chats, 'ALICE').map((c) => c.id)).toEqual([1, 2]);
    expect(filterChats(chats, 'zzz')).toEqual([]);
  });
});
