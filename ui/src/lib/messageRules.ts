// Who may do what with a message: the rules behind the message menu, the selection bar and
// the delete dialog. Pure: from the chat summary, this account's id and the messages.

import type { Account, AccountId, ChatSummary, MessageView } from '../platform/types';
import { nameOf } from './profile';

/** This account is an admin of the group (never true in a direct chat). */
export function isGroupAdmin(chat: ChatSummary, me: AccountId | undefined): boolean {
  return chat.kind === 'group' && chat.members.some((m) => m.account.id === me && m.role === 'admin');
}

/** Pinning is for admins in a group, for either side in a direct chat. */
export function canPin(chat: ChatSummary, me: AccountId | undefined): boolean {
  return chat.isMember && (chat.kind === 'direct' || isGroupAdmin(chat, me));
}

/** Stored, not deleted, in a chat this account is still in. */
export function canReact(m: MessageView, chat: ChatSummary): boolean {
  return chat.isMember && m.seq !== null && !m.deleted;
}

/** Text that can be copied or forwarded: readable, not deleted, not a call record. */
export function hasText(m: MessageView): boolean {
  return !m.deleted && !m.undecryptable && m.call === null;
}

/** Only stored messages with their text can be forwarded. */
export function canForward(m: MessageView): boolean {
  return m.seq !== null && hasText(m);
}

/** Own stored messages; in a group, an admin may delete anyone's. */
export function canDeleteForEveryone(m: MessageView, chat: ChatSummary, me: AccountId | undefined): boolean {
  return chat.isMember && m.seq !== null && !m.deleted && (m.outgoing || isGroupAdmin(chat, me));
}

/**
 * The texts of the messages that have one, oldest first, one per line as "sender: text";
 * `name` names the sender (their display name, else their username, unless told).
 */
export function copyText(messages: readonly MessageView[], name: (account: Account) => string = nameOf): string {
  return messages
    .filter(hasText)
    .map((m) => `${name(m.sender)}: ${m.text}`)
    .join('\n');
}

/**
 * The local ids from `anchor` to `target` (both included) in `messages`' order; only
 * `target` when the anchor is no longer there.
 */
export function rangeBetween(messages: readonly MessageView[], anchor: string | null, target: string): string[] {
  const to = messages.findIndex((m) => m.localId === target);
  const from = anchor === null ? -1 : messages.findIndex((m) => m.localId === anchor);
  if (to === -1) return [];
  if (from === -1) return [target];
  const [start, end] = from <= to ? [from, to] : [to, from];
  return messages.slice(start, end + 1).map((m) => m.localId);
}
