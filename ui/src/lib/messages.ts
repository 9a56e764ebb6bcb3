// Pure message rules: ticks, the first unread message, what Up edits, message order, which
// arrivals are news.

import type { MessageView, Seq } from '../platform/types';

export type Tick = 'none' | 'pending' | 'sent' | 'read' | 'failed';

/** The delivery mark shown on a message: only outgoing messages have one. */
export function tickOf(message: MessageView, peersReadSeq: Seq): Tick {
  if (!message.outgoing) return 'none';
  if (message.state === 'pending' || message.state === 'failed') return message.state;
  if (message.state === 'read') return 'read';
  return message.seq !== null && message.seq <= peersReadSeq ? 'read' : 'sent';
}

/** The seq of the first message the user has not read, or null when everything is read. */
export function firstUnreadSeq(messages: readonly MessageView[], readSeq: Seq): Seq | null {
  for (const m of messages) {
    if (!m.outgoing && m.seq !== null && m.seq > readSeq && !m.deleted) return m.seq;
  }
  return null;
}

/**
 * Whether an upserted message is one that just arrived from someone else: stored, unread,
 * neither edited nor deleted (an edit or a deletion of an older message is not news).
 */
export function isArrival(message: MessageView, readSeq: Seq): boolean {
  return (
    !message.outgoing && message.seq !== null && message.seq > readSeq && message.editedAt === null && !message.deleted
  );
}

/**
 * Whether the user may edit the message: their own, sent, readable here, not deleted and
 * not a call record.
 */
export function isEditable(m: MessageView): boolean {
  return m.outgoing && !m.deleted && !m.undecryptable && m.seq !== null && m.call === null;
}

/** The newest editable message: what Up in an empty composer edits. */
export function lastOwnEditable(messages: readonly MessageView[]): MessageView | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m !== undefined && isEditable(m)) return m;
  }
  return null;
}

/** Sorts by server position; messages still in the outbox go last in the order they were written. */
export function compareMessages(a: MessageView, b: MessageView): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.sentAt - b.sentAt;
}
