// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { translate, type Lang, type MessageKey, type Params } from '../../src/i18n';
import { formatDuration } from '../../src/i18n/locale';
import { callRecordLabel, endedText, isMissedRecord, peerName, phaseText } from '../../src/lib/calls';
import type { CallEndReason, CallInfo, CallOutcome } from '../../src/platform/types';
import { alice, bob, chat } from '../fixtures';

/** The text without the bidi isolation marks around filled-in values. */
const plain = (text: string): string => text.replace(/[\u2068\u2069]/g, '');
const tr =
  (lang: Lang) =>
  (key: MessageKey, params?: Params): string =>
    translate(lang, key, params);

function label(lang: Lang, outcome: CallOutcome, outgoing: boolean, video = false, durationS = 0): string {
  return plain(callRecordLabel({ video, outcome, durationS }, outgoing, tr(lang), lang));
}

describe('call durations', () => {
  it('reads m:ss, h:mm:ss from an hour on, in the digits of the language', () => {
    expect(formatDuration(0, 'en')).toBe('0:00');
    expect(formatDuration(45.9, 'en')).toBe('0:45');
    expect(formatDuration(133, 'en')).toBe('2:13');
    expect(formatDuration(3723, 'en')).toBe('1:02:03');
    expect(formatDuration(-3, 'en')).toBe('0:00');
    expect(formatDuration(133, 'ar')).toBe('٢:١٣');
  });
});

describe('call records', () => {
  it('says each outcome from the side of the message, in English', () => {
    expect(label('en', 'answered', true, false, 133)).toBe('Outgoing call · 2:13');
    expect(label('en', 'answered', true, true, 133)).toBe('Outgoing video call · 2:13');
    expect(label('en', 'answered', false, false, 45)).toBe('Incoming call · 0:45');
    expect(label('en', 'answered', false, true, 45)).toBe('Incoming video call · 0:45');
    expect(label('en', 'missed', true)).toBe('Cancelled call');
    expect(label('en', 'missed', true, true)).toBe('Cancelled video call');
    expect(label('en', 'missed', false)).toBe('Missed call');
    expect(label('en', 'missed', false, true)).toBe('Missed video call');
    expect(label('en', 'declined', true)).toBe('Declined call');
    expect(label('en', 'declined', false, true)).toBe('Declined video call');
    expect(label('en', 'busy', true)).toBe('Busy');
    expect(label('en', 'busy', false)).toBe('Missed call (busy)');
    expect(label('en', 'busy', false, true)).toBe('Missed video call (busy)');
  });

  it('says them in Arabic, with Arabic-Indic digits', () => {
    expect(label('ar', 'answered', true, false, 133)).toBe('مكالمة صادرة · ٢:١٣');
    expect(label('ar', 'answered', false, true, 45)).toBe('مكالمة فيديو واردة · ٠:٤٥');
    expect(label('ar', 'missed', true)).toBe('مكالمة ملغاة');
    expect(label('ar', 'missed', false)).toBe('مكالمة فائتة');
    expect(label('ar', 'declined', false)).toBe('مكالمة مرفوضة');
    expect(label('ar', 'busy', true)).toBe('الخط مشغول');
    expect(label('ar', 'busy', false)).toBe('مكالمة فائتة (كنت في مكالمة أخرى)');
  });

  it('marks only calls the user did not take as missed', () => {
    expect(isMissedRecord({ video: false, outcome: 'missed', durationS: 0 }, false)).toBe(true);
    expect(isMissedRecord({ video: false, outcome: 'busy', durationS: 0 }, false)).toBe(true);
    expect(isMissedRecord({ video: false, outcome: 'missed', durationS: 0 }, true)).toBe(false);
    expect(isMissedRecord({ video: false, outcome: 'answered', durationS: 9 }, false)).toBe(false);
  });
});

describe('call status', () => {
  const outgoing: CallInfo = { id: 1, chat: 1, peer: bob.id, video: false, direction: 'outgoing' };

  it('follows the phase', () => {
    const t = tr('en');
    expect(phaseText(outgoing, 'calling', t)).toBe('Calling…');
    expect(phaseText(outgoing, 'ringing', t)).toBe('Ringing…');
    expect(phaseText(outgoing, { connected: { peerDevice: 3 } }, t)).toBe('Connected');
    expect(phaseText({ ...outgoing, direction: 'incoming', video: true }, 'ringing', t)).toBe('Incoming video call');
  });

  it('says why a call ended', () => {
    const cases: [CallEndReason, number | null, string][] = [
      [{ hungUp: { byMe: true } }, 133_400, 'Call ended · 2:13'],
      [{ hungUp: { byMe: false } }, null, 'Call ended'],
      [{ declined: { byMe: false } }, null, 'Declined'],
      [{ declined: { byMe: true } }, null, 'Declined'],
      ['cancelled', null, 'Cancelled'],
      ['noAnswer', null, 'No answer'],
      ['busy', null, 'Busy'],
      ['missed', null, 'Missed call'],
      ['answeredElsewhere', null, 'Answered on another device'],
      ['declinedElsewhere', null, 'Declined on another device'],
    ];
    for (const [reason, duration, text] of cases) expect(plain(endedText(reason, duration, tr('en'), 'en'))).toBe(text);
    expect(plain(endedText({ hungUp: { byMe: true } }, 133_400, tr('ar'), 'ar'))).toBe('انتهت المكالمة · ٢:١٣');
  });

  it('names the other side from the loaded chats, the call’s chat first', () => {
    const chats = [chat({ id: 7, members: [{ account: alice, role: 'admin' }, { account: bob, role: 'member' }] })];
    expect(peerName(outgoing, chats)).toBe('bob');
    expect(peerName({ ...outgoing, chat: 99 }, chats)).toBe('bob');
    expect(peerName({ ...outgoing, peer: 42 }, chats)).toBeNull();
  });
});
