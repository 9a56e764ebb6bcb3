// A small typed dictionary: `translate(lang, key, params)` with {placeholder} substitution,
// and `translatePlural(lang, key, count)` for strings that show a count.

import { isolate } from '../lib/rtl';
import { ar, arPlurals } from './ar';
import { en, enPlurals, type MessageKey, type PluralKey } from './en';
import { formatNumber, pluralCategory } from './locale';

export type Lang = 'en' | 'ar';
export type { MessageKey, PluralKey };

export const LANGS: readonly Lang[] = ['en', 'ar'];

/** Each language's own name, shown in the language picker. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', ar: 'العربية' };

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, ar };

const PLURALS: Record<Lang, Record<PluralKey, Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>> = {
  en: enPlurals,
  ar: arPlurals,
};

export type Params = Record<string, string | number>;

/**
 * Strings (names, titles, message text) are bidi-isolated so that they cannot reorder the
 * sentence around them; numbers are written in the digits of the language.
 */
function fill(lang: Lang, template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, lang) : isolate(value);
  });
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = DICTIONARIES[lang][key];
  return params === undefined ? template : fill(lang, template, params);
}

/** The form of `key` for `count` under the language's plural rules, with {count} filled in. */
export function translatePlural(lang: Lang, key: PluralKey, count: number): string {
  const forms = PLURALS[lang][key];
  return fill(lang, forms[pluralCategory(count, lang)] ?? forms.other, { count });
}

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'ar';
}
