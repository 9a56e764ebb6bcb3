// The account's archive as the chat list shows it: which chats stay out of the main list,
// and what the "Archived chats" row says about them.

import type { ChatSummary } from '../platform/types';
import { isMuted } from './mute';

/** What the "Archived chats" row shows. */
export interface ArchiveCounts {
  /** Archived chats. */
  chats: number;
  /** Unread messages across them. */
  unread: number;
  /** Every archived chat with unread messages is muted (the badge is grey). */
  quiet: boolean;
}

/** The chats of the main list (or of the archive, with `archived`), in the order given. */
export function chatsIn(chats: readonly ChatSummary[], archived: boolean): ChatSummary[] {
  return chats.filter((chat) => chat.archived === archived);
}

/** The counts of the archived chats among `chats`, with mutes judged at `now`. */
export function archiveCounts(chats: readonly ChatSummary[], now: number): ArchiveCounts {
  const counts: ArchiveCounts = { chats: 0, unread: 0, quiet: true };
  for (const chat of chats) {
    if (!chat.archived) continue;
    counts.chats++;
    counts.unread += chat.unreadCount;
    if (chat.unreadCount > 0 && !isMuted(chat.mutedUntil, now)) counts.quiet = false;
  }
  return counts;
}
