// Right-to-left helpers: document direction and bidi isolation of user-provided names.

import type { Lang } from '../i18n';

export type Dir = 'ltr' | 'rtl';

const RTL_LANGS: ReadonlySet<Lang> = new Set<Lang>(['ar']);

export function directionOf(lang: Lang): Dir {
  return RTL_LANGS.has(lang) ? 'rtl' : 'ltr';
}

/** Sets `lang` and `dir` on the root element so the whole layout mirrors. */
export function applyDocumentLanguage(root: HTMLElement, lang: Lang): void {
  root.lang = lang;
  root.dir = directionOf(lang);
}

const FSI = '\u2068';
const PDI = '\u2069';

/**
 * Wraps text of unknown direction (a username, a chat title) in first-strong isolate marks,
 * so a Latin name inside an Arabic sentence (or the reverse) keeps the sentence order.
 */
export function isolate(text: string): string {
  return FSI + text + PDI;
}

