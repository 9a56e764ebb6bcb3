// Pure business-profile and plan rules: the host's checks of a profile (as field errors for
// the editor, and as the host's own sentence for the in-memory host), opening hours and UTC
// offsets as text, weekday names, and where a sponsored message's button may lead.

import type { Lang, MessageKey, Params } from '../i18n';
import { intlLocale } from '../i18n/locale';
import {
  MAX_BUSINESS_TEXT,
  MAX_QUICK_REPLIES,
  MAX_UTC_OFFSET,
  MINUTES_PER_DAY,
  MIN_UTC_OFFSET,
  type BusinessProfile,
  type SponsoredTarget,
} from '../platform/types';

/** The most characters of a quick reply's shortcut. */
export const MAX_SHORTCUT = 32;
/** The days of the week as the host numbers them: 0 = Monday … 6 = Sunday. */
export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
/** The step of the UTC offsets offered in the editor, in minutes. */
export const UTC_OFFSET_STEP = 15;

/** Characters as the host counts them (Unicode scalar values, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

/** 1 to 32 of a-z, 0-9 and _. */
export function isValidShortcut(shortcut: string): boolean {
  return /^[a-z0-9_]{1,32}$/.test(shortcut);
}

/** A profile with nothing in it, at the given UTC offset. */
export function emptyProfile(utcOffsetMinutes = 0): BusinessProfile {
  return {
    hours: [],
    utcOffsetMinutes,
    address: '',
    startPage: '',
    greeting: '',
    awayMessage: '',
    quickReplies: [],
  };
}

/** This computer's offset from UTC, within what a profile may have, on the editor's step. */
export function localUtcOffset(at: number = Date.now()): number {
  const offset = Math.round(-new Date(at).getTimezoneOffset() / UTC_OFFSET_STEP) * UTC_OFFSET_STEP;
  return Math.min(MAX_UTC_OFFSET, Math.max(MIN_UTC_OFFSET, offset));
}

/** One problem of a profile, for the field it is about; `params` fill in the message. */
export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}

/**
 * The problems of a profile by field, as the host would refuse it: `address`, `startPage`,
 * `greeting`, `awayMessage`, `utcOffset`, `hours` (a day named twice), `hours.D` (day D),
 * `quickReplies` (too many), `reply.I.shortcut` and `reply.I.text` (the I-th quick reply).
 * Empty when the host would take it.
 */
export function profileProblems(profile: BusinessProfile): Record<string, FieldProblem> {
  const found: Record<string, FieldProblem> = {};
  const text = (field: string, value: string): void => {
    const count = charCount(value);
    if (count > MAX_BUSINESS_TEXT) found[field] = { key: 'business.errorTooLong', params: { max: MAX_BUSINESS_TEXT, count } };
  };
  text('address', profile.address);
  text('startPage', profile.startPage);
  text('greeting', profile.greeting);
  text('awayMessage', profile.awayMessage);
  const days = new Set<number>();
  for (const hours of profile.hours) {
    if (!Number.isInteger(hours.day) || hours.day < 0 || hours.day > 6 || days.has(hours.day)) {
      found['hours'] = { key: 'business.errorHoursDay' };
      continue;
    }
    days.add(hours.day);
    if (!(hours.opens >= 0 && hours.opens < hours.closes && hours.closes <= MINUTES_PER_DAY)) {
      found[`hours.${hours.day}`] = { key: 'business.errorHours' };
    }
  }
  if (!(profile.utcOffsetMinutes >= MIN_UTC_OFFSET && profile.utcOffsetMinutes <= MAX_UTC_OFFSET)) {
    found['utcOffset'] = { key: 'business.errorOffset' };
  }
  if (profile.quickReplies.length > MAX_QUICK_REPLIES) {
    found['quickReplies'] = { key: 'business.errorTooManyReplies', params: { max: MAX_QUICK_REPLIES } };
  }
  profile.quickReplies.forEach((reply, i) => {
    if (!isValidShortcut(reply.shortcut)) found[`reply.${i}.shortcut`] = { key: 'business.errorShortcut' };
    text(`reply.${i}.text`, reply.text);
  });
  return found;
}

/**
 * The first problem of a profile in the host's words (null when it would take it), in the
 * order the engine checks: for the in-memory host, which answers as the real one does.
 */
export function hostProfileProblem(profile: BusinessProfile): string | null {
  const long = (value: string): boolean => charCount(value) > MAX_BUSINESS_TEXT;
  const named: [string, string][] = [
    ['address', profile.address],
    ['start page', profile.startPage],
    ['greeting', profile.greeting],
    ['away message', profile.awayMessage],
  ];
  for (const [name, value] of named) if (long(value)) return `the ${name} has at most ${MAX_BUSINESS_TEXT} characters`;
  const days = new Set<number>();
  for (const hours of profile.hours) {
    if (!Number.isInteger(hours.day) || hours.day < 0 || hours.day > 6 || days.has(hours.day)) {
      return 'opening hours name each day (0 = Monday … 6 = Sunday) once';
    }
    days.add(hours.day);
    if (!(hours.opens >= 0 && hours.opens < hours.closes && hours.closes <= MINUTES_PER_DAY)) {
      return 'opening hours open before they close, within the day';
    }
  }
  if (!(profile.utcOffsetMinutes >= MIN_UTC_OFFSET && profile.utcOffsetMinutes <= MAX_UTC_OFFSET)) {
    return 'the UTC offset is between -12:00 and +14:00';
  }
  if (profile.quickReplies.length > MAX_QUICK_REPLIES) return `at most ${MAX_QUICK_REPLIES} quick replies`;
  for (const reply of profile.quickReplies) {
    if (!isValidShortcut(reply.shortcut)) return "a quick reply's shortcut has 1 to 32 of a-z, 0-9 and _";
    if (long(reply.text)) return `the quick reply has at most ${MAX_BUSINESS_TEXT} characters`;
  }
  return null;
}

const twoDigitFormats = new Map<Lang, Intl.NumberFormat>();

function twoDigits(value: number, lang: Lang): string {
  let format = twoDigitFormats.get(lang);
  if (format === undefined) {
    format = new Intl.NumberFormat(intlLocale(lang), { minimumIntegerDigits: 2, useGrouping: false });
    twoDigitFormats.set(lang, format);
  }
  return format.format(value);
}

/** Minutes after midnight as a 24-hour clock ("09:30"; 1440 is "24:00"), in the language's digits. */
export function formatClock(minutes: number, lang: Lang): string {
  return `${twoDigits(Math.floor(minutes / 60), lang)}:${twoDigits(minutes % 60, lang)}`;
}

/** An offset from UTC ("+03:00", "−05:30"), in the language's digits. */
export function formatOffset(minutes: number, lang: Lang): string {
  const sign = minutes < 0 ? '\u2212' : '+';
  return sign + formatClock(Math.abs(minutes), lang);
}

/** The value of an `<input type="time">` for minutes after midnight ("24:00" is "00:00"). */
export function timeValue(minutes: number): string {
  const m = minutes % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * Minutes after midnight from an `<input type="time">` value; null when it is not a time.
 * A closing time of "00:00" is midnight at the end of the day (1440).
 */
export function parseTime(value: string, closing = false): number | null {
  const match = /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value);
  if (match === null) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  const total = hours * 60 + minutes;
  return closing && total === 0 ? MINUTES_PER_DAY : total;
}

/** The name of a weekday (0 = Monday) in the UI language. */
export function weekdayName(day: number, lang: Lang): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(intlLocale(lang), { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + day));
}

/** The offsets the editor offers, from −12:00 to +14:00, with `current` among them. */
export function offsetChoices(current: number): number[] {
  const choices: number[] = [];
  for (let m = MIN_UTC_OFFSET; m <= MAX_UTC_OFFSET; m += UTC_OFFSET_STEP) choices.push(m);
  if (!choices.includes(current)) choices.push(current);
  return choices.sort((a, b) => a - b);
}

/**
 * Where a sponsored message's button leads: a public channel by handle, an https:// link,
 * or null for anything else (never a `javascript:` or other scheme).
 */
export function sponsoredDestination(
  target: SponsoredTarget,
): { kind: 'channel'; handle: string } | { kind: 'link'; url: string } | null {
  if ('channel' in target && typeof target.channel === 'string') {
    const handle = target.channel.trim().replace(/^@/, '').toLowerCase();
    return /^[a-z][a-z0-9_]{4,31}$/.test(handle) ? { kind: 'channel', handle } : null;
  }
  if ('link' in target && typeof target.link === 'string') {
    try {
      const url = new URL(target.link.trim());
      return url.protocol === 'https:' ? { kind: 'link', url: url.href } : null;
    } catch {
      return null;
    }
  }
  return null;
}
