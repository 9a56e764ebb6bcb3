// Pure call rules: what a call record and a call's status say (localized), and who the
// other side is.

import type { Lang, MessageKey } from '../i18n';
import { formatDuration } from '../i18n/locale';
import type { CallEndReason, CallInfo, CallPhase, CallRecord, ChatSummary } from '../platform/types';
import type { Translate } from './chats';
import { nameOf } from './profile';

/** Whether the call is answered. */
export function isConnected(phase: CallPhase): phase is { connected: { peerDevice: number } } {
  return typeof phase === 'object';
}

/**
 * How a call record reads in the message list and the chat list, seen from this side:
 * `outgoing` is the message's (the caller's device writes the record).
 */
export function callRecordLabel(record: CallRecord, outgoing: boolean, t: Translate, lang: Lang): string {
  const video = record.video;
  const pick = (audio: MessageKey, withVideo: MessageKey): MessageKey => (video ? withVideo : audio);
  switch (record.outcome) {
    case 'answered': {
      const key = outgoing
        ? pick('calls.record.outgoing', 'calls.record.outgoingVideo')
        : pick('calls.record.incoming', 'calls.record.incomingVideo');
      return t(key, { duration: formatDuration(record.durationS, lang) });
    }
    case 'missed':
      return t(outgoing ? pick('calls.record.cancelled', 'calls.record.cancelledVideo') : pick('calls.record.missed', 'calls.record.missedVideo'));
    case 'declined':
      return t(pick('calls.record.declined', 'calls.record.declinedVideo'));
    case 'busy':
      return t(outgoing ? 'calls.record.busy' : pick('calls.record.missedBusy', 'calls.record.missedBusyVideo'));
  }
}

/** Whether a record is one the user may want to notice (shown in the danger colour). */
export function isMissedRecord(record: CallRecord, outgoing: boolean): boolean {
  return !outgoing && record.outcome !== 'answered';
}

/** Why a call ended, as its status line says it for a moment. */
export function endedText(reason: CallEndReason, durationMs: number | null, t: Translate, lang: Lang): string {
  if (typeof reason === 'object') {
    if ('hungUp' in reason) {
      return durationMs === null
        ? t('calls.endedPlain')
        : t('calls.ended', { duration: formatDuration(durationMs / 1000, lang) });
    }
    return t('calls.endedDeclined');
  }
  const keys: Record<typeof reason, MessageKey> = {
    cancelled: 'calls.endedCancelled',
    noAnswer: 'calls.endedNoAnswer',
    busy: 'calls.endedBusy',
    missed: 'calls.endedMissed',
    answeredElsewhere: 'calls.endedAnsweredElsewhere',
    declinedElsewhere: 'calls.endedDeclinedElsewhere',
  };
  return t(keys[reason]);
}

/** The status of a call under way: "Calling…", "Ringing…" or "Connected". */
export function phaseText(call: CallInfo, phase: CallPhase, t: Translate): string {
  if (isConnected(phase)) return t('calls.connected');
  if (call.direction === 'incoming') return t(call.video ? 'calls.incomingVideo' : 'calls.incoming');
  return t(phase === 'calling' ? 'calls.calling' : 'calls.ringing');
}

/**
 * The other side's name (display name, else username), from the members of the loaded chats
 * (the call's own chat first); null when none of them is that account.
 */
export function peerName(call: CallInfo, chats: readonly ChatSummary[]): string | null {
  const own = chats.find((c) => c.id === call.chat);
  const ordered = own === undefined ? chats : [own, ...chats];
  for (const chat of ordered) {
    const member = chat.members.find((m) => m.account.id === call.peer);
    if (member !== undefined) return nameOf(member.account);
  }
  return null;
}
