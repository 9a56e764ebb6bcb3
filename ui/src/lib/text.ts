// Small text helpers: avatar initials and colours, search folding and snippets.

/**
 * Up to two letters for an avatar: the initials of the first two words. Invisible and
 * direction-changing characters (controls, marks, overrides) are never taken as a letter.
 */
export function initials(name: string): string {
  const visible = name.replace(/[\p{Cc}\p{Cf}]/gu, '');
  const words = visible.trim().split(/[\s._-]+/u).filter((w) => w.length > 0);
  const first = words[0];
  if (first === undefined) return '?';
  const second = words[1];
  const letters = [...first].slice(0, 1).concat(second === undefined ? [] : [...second].slice(0, 1));
  return letters.join('').toLocaleUpperCase();
}

const AVATAR_COLOURS = 8;

/** Index of one of the avatar colours, stable for a given id. */
export function avatarColour(id: number): number {
  return Math.abs(id) % AVATAR_COLOURS;
}

/**
 * Text as search compares it: lower case, without diacritics (Latin accents, Arabic harakat,
 * superscript alef, Quranic marks), tatweel and invisible format characters, like the
 * core's full-text search (`remove_diacritics 2`).
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/[\p{Mn}\p{Cf}\u0640]/gu, '').toLocaleLowerCase();
}

export interface SnippetPart {
  text: string;
  match: boolean;
}

/** Splits a search snippet whose matches are wrapped in \u0001 ... \u0002. */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const open = rest.indexOf('\u0001');
    if (open === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf('\u0002', open + 1);
    const end = close === -1 ? rest.length : close;
    parts.push({ text: rest.slice(open + 1, end), match: true });
    rest = close === -1 ? '' : rest.slice(close + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}

/** Wraps every case-insensitive occurrence of `query` in snippet markers (the fake host's FTS). */
export function markMatches(text: string, query: string): string {
  const q = query.trim().toLocaleLowerCase();
  if (q === '') return text;
  const lower = text.toLocaleLowerCase();
  let out = '';
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, from)) {
    out += text.slice(from, at) + '\u0001' + text.slice(at, at + q.length) + '\u0002';
    from = at + q.length;
  }
  return out + text.slice(from);
}

/** Usernames typed into one field, separated by spaces or (Latin or Arabic) commas; "@" optional. */
export function parseUsernames(text: string): string[] {
  return [...new Set(text.split(/[\s,،]+/u).map((u) => u.replace(/^@/, '')).filter((u) => u !== ''))];
}
