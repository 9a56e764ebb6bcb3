// Finding people this device knows by what is typed into a username field: their username
// or display name, case and diacritics ignored; and the username being typed in a field
// that holds several.

import type { Account, AccountId } from '../platform/types';
import { nameOf } from './profile';
import { foldForSearch } from './text';

/** How many people a suggestion list shows at most. */
export const MAX_PEOPLE_SUGGESTIONS = 8;

/** Separates the usernames of a field that holds several (as `parseUsernames` reads them). */
const SEPARATOR = /[\s,،]/u;

/**
 * The people (not those in `exclude`) whose username or display name contains `query`,
 * ignoring case, diacritics (Latin accents, Arabic harakat) and a leading "@": those whose
 * username or a word of whose display name starts with it first, then by name. At most
 * `MAX_PEOPLE_SUGGESTIONS`; none for an empty query.
 */
export function matchPeople(people: readonly Account[], query: string, exclude: ReadonlySet<AccountId> = new Set()): Account[] {
  const q = foldForSearch(query.trim().replace(/^@/, ''));
  if (q === '') return [];
  const scored: { account: Account; prefix: boolean }[] = [];
  for (const account of people) {
    if (exclude.has(account.id)) continue;
    const username = foldForSearch(account.username);
    const displayName = foldForSearch(account.displayName);
    if (!username.includes(q) && !displayName.includes(q)) continue;
    const prefix = username.startsWith(q) || displayName.split(/\s+/u).some((word) => word.startsWith(q));
    scored.push({ account, prefix });
  }
  return scored
    .sort((a, b) => Number(b.prefix) - Number(a.prefix) || nameOf(a.account).localeCompare(nameOf(b.account)))
    .slice(0, MAX_PEOPLE_SUGGESTIONS)
    .map((s) => s.account);
}

/** The username being typed at the end of a field that holds several: where it starts and its text. */
export function lastUsername(text: string): { start: number; query: string } {
  let start = text.length;
  while (start > 0 && !SEPARATOR.test(text.charAt(start - 1))) start -= 1;
  return { start, query: text.slice(start) };
}

/** The field's text with the username being typed at its end replaced by `username` and a separator. */
export function replaceLastUsername(text: string, username: string): string {
  return `${text.slice(0, lastUsername(text).start)}${username}, `;
}
