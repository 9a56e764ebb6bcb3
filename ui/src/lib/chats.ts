// Pure chat-list rules: order, search, switching, and who a direct chat is with.

import type { Account, AccountId, ChatId, ChatSummary } from '../platform/types';
import { foldForSearch } from './text';

/** Pinned chats first, then newest activity first; ties by id so the order is stable. */
function compareChats(a: ChatSummary, b: ChatSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.lastActivityAt !== b.lastActivityAt) return b.lastActivityAt - a.lastActivityAt;
  return a.id - b.id;
}

export function sortChats(chats: readonly ChatSummary[]): ChatSummary[] {
  return [...chats].sort(compareChats);
}

/** Total unread messages across chats, for the window title and tray. */
export function totalUnread(chats: readonly ChatSummary[]): number {
  return chats.reduce((sum, chat) => sum + chat.unreadCount, 0);
}

/** Chats whose title or a member's username contains the query, ignoring case and diacritics. */
export function filterChats(chats: readonly ChatSummary[], query: string): ChatSummary[] {
  const q = foldForSearch(query.trim());
  if (q === '') return [...chats];
  return chats.filter(
    (chat) =>
      foldForSearch(chat.title).includes(q) ||
      chat.members.some((m) => foldForSearch(m.account.username).includes(q)),
  );
}

/** The chat before (-1) or after (1) `current` in list order; the first or last when none is open. */
export function adjacentChat(ids: readonly ChatId[], current: ChatId | null, step: -1 | 1): ChatId | null {
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return (step === 1 ? ids[0] : ids[ids.length - 1]) ?? null;
  return ids[at + step] ?? current;
}

/** The other person of a direct chat (whose safety number matters); null for a group. */
export function contactOf(chat: ChatSummary, me: AccountId | undefined): Account | null {
  if (chat.kind !== 'direct') return null;
  return chat.members.find((m) => m.account.id !== me)?.account ?? null;
}
