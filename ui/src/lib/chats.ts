// Pure chat-list rules: order, search, switching, and who a direct chat is with.

import type { MessageKey, Params } from '../i18n';
import type { Account, AccountId, ChatId, ChatSummary } from '../platform/types';
import { isMuted } from './mute';
import { foldForSearch } from './text';

/** A translation function, such as `settings.t`. */
export type Translate = (key: MessageKey, params?: Params) => string;

/** True for a group whose sealed title this device cannot open yet (it arrives as ""). */
export function hasSealedTitle(chat: Pick<ChatSummary, 'kind' | 'title'>): boolean {
  return chat.kind === 'group' && chat.title.trim() === '';
}

/**
 * The name to show (and speak) for a chat: its title, or "Encrypted group" for a group whose
 * end-to-end encrypted title this device cannot read yet.
 */
export function displayTitle(chat: Pick<ChatSummary, 'kind' | 'title'>, t: Translate): string {
  return hasSealedTitle(chat) ? t('chat.sealedTitle') : chat.title;
}

/** Pinned chats first, then newest activity first; ties by id so the order is stable. */
function compareChats(a: ChatSummary, b: ChatSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.lastActivityAt !== b.lastActivityAt) return b.lastActivityAt - a.lastActivityAt;
  return a.id - b.id;
}

export function sortChats(chats: readonly ChatSummary[]): ChatSummary[] {
  return [...chats].sort(compareChats);
}

/**
 * Total unread messages across chats at `now`, for the window title and tray: an archived
 * chat counts only while it is not muted (a muted one waits quietly in the archive).
 */
export function totalUnread(chats: readonly ChatSummary[], now: number): number {
  return chats.reduce(
    (sum, chat) => (chat.archived && isMuted(chat.mutedUntil, now) ? sum : sum + chat.unreadCount),
    0,
  );
}

/**
 * Chats whose title or a member's username or display name contains the query, ignoring case
 * and diacritics.
 * With `t`, a group whose title is still sealed matches on its shown placeholder.
 */
export function filterChats(chats: readonly ChatSummary[], query: string, t?: Translate): ChatSummary[] {
  const q = foldForSearch(query.trim());
  if (q === '') return [...chats];
  return chats.filter(
    (chat) =>
      foldForSearch(t === undefined ? chat.title : displayTitle(chat, t)).includes(q) ||
      chat.members.some(
        (m) => foldForSearch(m.account.username).includes(q) || foldForSearch(m.account.displayName).includes(q),
      ),
  );
}

/**
 * The chat before (-1) or after (1) `current` in list order; the first or last when none is
 * open. Works on any list of keys (the sidebar's chats then channels).
 */
export function adjacentChat<T = ChatId>(ids: readonly T[], current: T | null, step: -1 | 1): T | null {
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return (step === 1 ? ids[0] : ids[ids.length - 1]) ?? null;
  return ids[at + step] ?? current;
}

/** The other person of a direct chat (whose safety number matters); null for a group. */
export function contactOf(chat: ChatSummary, me: AccountId | undefined): Account | null {
  if (chat.kind !== 'direct') return null;
  return chat.members.find((m) => m.account.id !== me)?.account ?? null;
}
