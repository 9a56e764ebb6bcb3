// The Intl locale behind each UI language, so that dates, numbers and plural rules agree.

import type { Lang } from './index';

/**
 * Arabic is pinned to Arabic-Indic digits: ICU versions disagree on the default numbering
 * system of `ar`, and a view must never mix Latin and Arabic-Indic digits. English follows
 * the system locale when it is an English one (en-GB dates, say), else en-US.
 */
export function intlLocale(lang: Lang): string {
  if (lang === 'ar') return 'ar-u-nu-arab';
  const { locale } = system();
  return locale.toLowerCase().startsWith('en') ? locale : 'en-US';
}

/** The system's 12- or 24-hour clock, whatever the UI language. */
export function systemHourCycle(): Intl.DateTimeFormatOptions['hourCycle'] {
  return system().hourCycle;
}

let systemOptions: Intl.ResolvedDateTimeFormatOptions | undefined;

/** The default locale's time options, asked once: rows format times on every scroll frame. */
function system(): Intl.ResolvedDateTimeFormatOptions {
  systemOptions ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions();
  return systemOptions;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = intlLocale(lang);
  const key = locale + JSON.stringify(options);
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** A count or counter in the digits of the UI language. */
export function formatNumber(value: number, lang: Lang): string {
  return numberFormat(lang, {}).format(value);
}

/** A clock-like duration: "2:13", or "1:02:03" from an hour on, in the digits of the UI language. */
export function formatDuration(seconds: number, lang: Lang): string {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const two = numberFormat(lang, { minimumIntegerDigits: 2, useGrouping: false });
  const one = numberFormat(lang, { useGrouping: false });
  const secs = two.format(total % 60);
  return hours > 0 ? `${one.format(hours)}:${two.format(minutes)}:${secs}` : `${one.format(minutes)}:${secs}`;
}

/** Thousandths of a credit as credits with three decimals (1500 → "1.500", "١٫٥٠٠"). */
export function formatCredits(milli: number, lang: Lang): string {
  return numberFormat(lang, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(milli / 1000);
}

/** A percentage given in percent (150 → "150%"). */
export function formatPercent(percent: number, lang: Lang): string {
  return numberFormat(lang, { style: 'percent' }).format(percent / 100);
}

const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The CLDR plural category of `count` in the UI language (Arabic has all six). */
export function pluralCategory(count: number, lang: Lang): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (rules === undefined) {
    rules = new Intl.PluralRules(intlLocale(lang));
    pluralRules.set(lang, rules);
  }
  return rules.select(count);
}
