// A small typed dictionary: `translate(lang, key, params)` with {placeholder} substitution.

import { ar } from './ar';
import { en, type MessageKey } from './en';

export type Lang = 'en' | 'ar';
export type { MessageKey };

export const LANGS: readonly Lang[] = ['en', 'ar'];

/** Each language's own name, shown in the language picker. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', ar: 'العربية' };

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, ar };

export type Params = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = DICTIONARIES[lang][key];
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'ar';
}
