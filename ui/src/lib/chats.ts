// Pure chat-list rules: order and the text of the last-message preview.

import type { ChatSummary } from '../platform/types';

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

/** Chats whose title or a member's username contains the query (case-insensitive). */
export function filterChats(chats: readonly ChatSummary[], query: string): ChatSummary[] {
  const q = query.trim().toLocaleLowerCase();
  if (q === '') return [...chats];
  return chats.filter(
    (chat) =>
      chat.title.toLocaleLowerCase().includes(q) ||
      chat.members.some((m) => m.account.username.toLocaleLowerCase().includes(q)),
  );
}
