// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../src/i18n';
import { adjacentChat, contactOf, displayTitle, filterChats, sortChats, totalUnread } from '../../src/lib/chats';
import { alice, bob, chat } from '../fixtures';

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
    expect(totalUnread([chat({ unreadCount: 3 }), chat({ unreadCount: 0 }), chat({ unreadCount: 4 })], 0)).toBe(7);
  });

  it('leaves out archived chats while they are muted, and only them', () => {
    const now = 1_000;
    const chats = [
      chat({ id: 1, unreadCount: 1, mutedUntil: now + 1 }),
      chat({ id: 2, unreadCount: 2, archived: true }),
      chat({ id: 3, unreadCount: 4, archived: true, mutedUntil: now + 1 }),
      chat({ id: 4, unreadCount: 8, archived: true, mutedUntil: now }),
    ];
    expect(totalUnread(chats, now)).toBe(1 + 2 + 8);
  });

  it('finds chats by title or member name, ignoring case', () => {
    const chats = [chat({ id: 1, title: 'Weekend Trip' }), chat({ id: 2, title: 'bob' })];
    expect(filterChats(chats, 'trip').map((c) => c.id)).toEqual([1]);
    expect(filterChats(chats, 'ALICE').map((c) => c.id)).toEqual([1, 2]);
    expect(filterChats(chats, 'zzz')).toEqual([]);
  });
});

describe('chat filter in Arabic and with accents', () => {
  const chats = [
    chat({ id: 1, title: 'مُحَمَّد' }),
    chat({ id: 2, title: 'أصدقاء الجامعة' }),
    chat({ id: 3, title: 'Café Crème' }),
    chat({ id: 4, title: 'محمود' }),
  ];

  it('ignores harakat on either side', () => {
    expect(filterChats(chats, 'محمد').map((c) => c.id)).toEqual([1]);
    expect(filterChats(chats, 'مُحَمَّد').map((c) => c.id)).toEqual([1]);
    expect(filterChats(chats, 'مَحْمُود').map((c) => c.id)).toEqual([4]);
    expect(filterChats(chats, 'مح').map((c) => c.id)).toEqual([1, 4]);
  });

  it('ignores tatweel, Latin accents and case', () => {
    expect(filterChats(chats, 'الجـــامعة').map((c) => c.id)).toEqual([2]);
    expect(filterChats(chats, 'CAFE CREME').map((c) => c.id)).toEqual([3]);
    expect(filterChats(chats, 'cafe').map((c) => c.id)).toEqual([3]);
  });
});

describe('switching to the next or previous chat', () => {
  it('steps through the list order and stops at its ends', () => {
    expect(adjacentChat([5, 2, 9], 2, 1)).toBe(9);
    expect(adjacentChat([5, 2, 9], 2, -1)).toBe(5);
    expect(adjacentChat([5, 2, 9], 9, 1)).toBe(9);
    expect(adjacentChat([5, 2, 9], null, 1)).toBe(5);
    expect(adjacentChat([5, 2, 9], null, -1)).toBe(9);
    expect(adjacentChat([], null, 1)).toBeNull();
  });
});

describe('the contact of a chat', () => {
  it('is the other member of a direct chat, and nobody in a group', () => {
    expect(contactOf(chat(), alice.id)).toEqual(bob);
    expect(contactOf(chat(), bob.id)).toEqual(alice);
    expect(contactOf(chat({ kind: 'group' }), alice.id)).toBeNull();
  });
});

describe('chat titles', () => {
  const t = (key: MessageKey): string => translate('en', key);

  it('shows a title as it is, and a group whose title is still sealed as "Encrypted group"', () => {
    expect(displayTitle(chat({ kind: 'group', title: 'Weekend trip' }), t)).toBe('Weekend trip');
    expect(displayTitle(chat({ kind: 'direct', title: 'bob' }), t)).toBe('bob');
    expect(displayTitle(chat({ kind: 'group', title: '' }), t)).toBe('Encrypted group');
    expect(displayTitle(chat({ kind: 'group', title: '  ' }), t)).toBe('Encrypted group');
    expect(displayTitle(chat({ kind: 'group', title: '' }), (key) => translate('ar', key))).toBe('مجموعة مشفرة');
  });

  it('finds a sealed group by its placeholder only when given the translation', () => {
    const chats = [chat({ id: 1, kind: 'group', title: '', members: [] }), chat({ id: 2, title: 'bob' })];
    expect(filterChats(chats, 'encrypted', t).map((c) => c.id)).toEqual([1]);
    expect(filterChats(chats, 'encrypted').map((c) => c.id)).toEqual([]);
  });
});
