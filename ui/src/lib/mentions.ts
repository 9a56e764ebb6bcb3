// Mentions of this account: how the host recognizes an `@username` in a text, and which
// unread mention the conversation's jump button goes to next.

import type { MessageView, Seq } from '../platform/types';

/** Whether `text` names `username` as `@username`, ignoring case (not inside a longer name). */
export function namesUser(text: string, username: string): boolean {
  if (username === '') return false;
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])@${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/**
 * The oldest loaded message that mentions this account after `after`; when none is, the
 * oldest one after `readSeq` (going round again). Null when no unread one is loaded.
 */
export function nextMention(messages: readonly MessageView[], after: Seq, readSeq: Seq): Seq | null {
  const unread = messages.filter((m) => m.mentionsMe && m.seq !== null && m.seq > readSeq);
  const next = unread.find((m) => m.seq !== null && m.seq > after) ?? unread[0];
  return next?.seq ?? null;
}
