// Moving focus inside a list with one tab stop: arrows, Home / End and type-ahead.

import { foldForSearch } from './text';

/** The row focus moves to for a navigation key, or null when the key is not one. Stops at the ends. */
export function rovingTarget(key: string, at: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowUp':
      return Math.max(0, at - 1);
    case 'ArrowDown':
      return Math.min(count - 1, at + 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** A pause this long starts a new type-ahead prefix. */
export const TYPE_AHEAD_PAUSE_MS = 700;

/** Collects the letters typed in quick succession into a prefix. */
export function createTypeAhead(now: () => number = Date.now): (letter: string) => string {
  let prefix = '';
  let last = -Infinity;
  return (letter) => {
    const time = now();
    prefix = time - last > TYPE_AHEAD_PAUSE_MS ? letter : prefix + letter;
    last = time;
    return prefix;
  };
}

/**
 * The row whose title starts with `prefix` (ignoring case and diacritics), searching from
 * the focused row `at` and wrapping around; -1 when none does. A new first letter, or the
 * same letter typed again, looks from the row after `at`, so it cycles through the rows
 * starting with that letter.
 */
export function typeAheadMatch(titles: readonly string[], at: number, prefix: string): number {
  const letters = [...foldForSearch(prefix)];
  const first = letters[0];
  if (first === undefined) return -1;
  const repeated = letters.every((l) => l === first);
  const wanted = repeated ? first : letters.join('');
  const start = repeated ? at + 1 : Math.max(at, 0);
  for (let i = 0; i < titles.length; i++) {
    const row = (start + i) % titles.length;
    if (foldForSearch(titles[row] ?? '').startsWith(wanted)) return row;
  }
  return -1;
}
