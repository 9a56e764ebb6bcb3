// Date and time formatting for the chat list, message bubbles and day separators.

import type { Lang } from '../i18n';
import { intlLocale, systemHourCycle } from '../i18n/locale';

/** Intl formatters are costly to build and rows are formatted on every scroll frame: reuse them. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function dateFormat(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = intlLocale(lang);
  const key = locale + JSON.stringify(options);
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** A key equal for two instants on the same local calendar day. */
export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function startOfDay(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Whole local days from `at` to `now` (0 = same day, 1 = yesterday). */
export function daysBetween(at: number, now: number): number {
  return Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
}

/** Time of a message, on the system's 12- or 24-hour clock ("14:30" or "2:30 PM"). */
export function formatTime(at: number, lang: Lang): string {
  return dateFormat(lang, { hour: 'numeric', minute: '2-digit', hourCycle: systemHourCycle() }).format(at);
}

/** Label of a day separator: today, yesterday, a weekday name this week, else a date. */
export function formatDay(at: number, now: number, lang: Lang): string {
  const days = daysBetween(at, now);
  if (days === 0 || days === 1) {
    const locale = intlLocale(lang);
    const text = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-days, 'day');
    return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
  }
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions =
    days > 1 && days < 7
      ? { weekday: 'long' }
      : sameYear
        ? { day: 'numeric', month: 'long' }
        : { day: 'numeric', month: 'long', year: 'numeric' };
  return dateFormat(lang, options).format(at);
}

/** Short stamp for a chat-list row: a time today, a weekday this week, else a date. */
export function formatListStamp(at: number, now: number, lang: Lang): string {
  const days = daysBetween(at, now);
  if (days === 0) return formatTime(at, lang);
  if (days > 0 && days < 7) {
    return dateFormat(lang, { weekday: 'short' }).format(at);
  }
  return dateFormat(lang, { day: 'numeric', month: 'short' }).format(at);
}

/** Whether a day separator goes above a message sent at `at` whose predecessor was sent at `prev`. */
export function needsDaySeparator(prev: number | undefined, at: number): boolean {
  return prev === undefined || dayKey(prev) !== dayKey(at);
}

/** A calendar date in full ("3 March 2026"). */
export function formatDate(at: number, lang: Lang): string {
  return dateFormat(lang, { day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}

/** A day and a time of day, on the system's clock ("Nov 24, 3:00 PM"), e.g. when a mute ends. */
export function formatDateTime(at: number, lang: Lang): string {
  return dateFormat(lang, {
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: systemHourCycle(),
  }).format(at);
}

/** A day of the month and a short month name ("3 Dec"), with the year when it is not this year's. */
export function formatShortDate(at: number, now: number, lang: Lang): string {
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions = sameYear
    ? { day: 'numeric', month: 'short' }
    : { day: 'numeric', month: 'short', year: 'numeric' };
  return dateFormat(lang, options).format(at);
}
