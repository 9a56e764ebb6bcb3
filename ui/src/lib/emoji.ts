// Emoji data for the picker, from emojibase-data (MIT), loaded on first use as a separate
// chunk; search by name, shortcode and keyword; skin tones; the recent list.

import type { CompactEmoji } from 'emojibase';

/** Six frequent reactions, for a quick row (a message menu, the reaction bar). */
export const QUICK_REACTIONS: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** The picker's categories, in emojibase's group order (its "components" group is left out). */
export const EMOJI_CATEGORIES = [
  'smileys',
  'people',
  'animals',
  'food',
  'travel',
  'activities',
  'objects',
  'symbols',
  'flags',
] as const;

export type EmojiCategory = (typeof EMOJI_CATEGORIES)[number];

/** emojibase's group numbers of the categories. */
const GROUPS: Record<number, EmojiCategory> = {
  0: 'smileys',
  1: 'people',
  3: 'animals',
  4: 'food',
  5: 'travel',
  6: 'activities',
  7: 'objects',
  8: 'symbols',
  9: 'flags',
};

/** 0: no skin tone (the yellow default); 1 light … 5 dark, as Unicode's modifiers. */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;

export const SKIN_TONES: readonly SkinTone[] = [0, 1, 2, 3, 4, 5];

/** How many emojis the recent list keeps. */
export const MAX_RECENT_EMOJIS = 24;

/** One emoji of the picker. */
export interface EmojiEntry {
  emoji: string;
  /** The English name (CLDR), also its accessible name. */
  label: string;
  category: EmojiCategory;
  /** Lower-case words searched: the name's words, keywords and shortcodes. */
  words: string[];
  shortcodes: string[];
  /** The emoji with each skin tone 1–5, when it takes one. */
  tones: string[] | null;
}

const FIRST_MODIFIER = 0x1f3fb;

/** The single-tone variants 1–5 of an emoji, from its skins (null when it has none). */
function tonesOf(skins: readonly CompactEmoji[] | undefined): string[] | null {
  if (skins === undefined || skins.length === 0) return null;
  const tones: string[] = [];
  for (let tone = 1; tone <= 5; tone++) {
    const wanted = (FIRST_MODIFIER + tone - 1).toString(16).toUpperCase();
    const skin = skins.find((s) => {
      const modifiers = s.hexcode.split('-').filter((h) => /^1F3F[B-F]$/.test(h));
      return modifiers.length > 0 && modifiers.every((h) => h === wanted);
    });
    if (skin === undefined) return null;
    tones.push(skin.unicode);
  }
  return tones;
}

/** Builds the picker's entries from emojibase's compact data and CLDR shortcodes. */
export function toEntries(data: readonly CompactEmoji[], shortcodes: Record<string, string | string[]>): EmojiEntry[] {
  const entries: EmojiEntry[] = [];
  const sorted = [...data].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const item of sorted) {
    const category = item.group === undefined ? undefined : GROUPS[item.group];
    if (category === undefined) continue;
    const codes = shortcodes[item.hexcode];
    const list = codes === undefined ? [] : Array.isArray(codes) ? codes : [codes];
    const words = [...item.label.toLowerCase().split(/[\s:,]+/), ...(item.tags ?? []), ...list].filter((w) => w !== '');
    entries.push({ emoji: item.unicode, label: item.label, category, words, shortcodes: list, tones: tonesOf(item.skins) });
  }
  return entries;
}

let loading: Promise<EmojiEntry[]> | undefined;

/** The picker's emojis, loaded once (a separate chunk: nothing is loaded until asked). */
export function loadEmojis(): Promise<EmojiEntry[]> {
  loading ??= Promise.all([
    import('emojibase-data/en/compact.json'),
    import('emojibase-data/en/shortcodes/cldr.json'),
  ]).then(([data, codes]) => toEntries(data.default, codes.default));
  return loading;
}

/**
 * The emojis matching a query, best first: a name or shortcode starting with it, then any
 * word starting with it. A query in colons (`:thumbs_up:`) is read as a shortcode.
 */
export function searchEmojis(entries: readonly EmojiEntry[], query: string, limit = 160): EmojiEntry[] {
  const q = query.trim().toLowerCase().replace(/^:|:$/g, '');
  if (q === '') return [];
  const first: EmojiEntry[] = [];
  const rest: EmojiEntry[] = [];
  for (const entry of entries) {
    if (entry.label.toLowerCase().startsWith(q) || entry.shortcodes.some((s) => s.startsWith(q))) first.push(entry);
    else if (entry.words.some((w) => w.startsWith(q)) || entry.label.toLowerCase().includes(q)) rest.push(entry);
  }
  return [...first, ...rest].slice(0, limit);
}

/** The emoji shown for an entry with the chosen skin tone (unchanged when it takes none). */
export function withTone(entry: EmojiEntry, tone: SkinTone): string {
  return tone === 0 || entry.tones === null ? entry.emoji : (entry.tones[tone - 1] ?? entry.emoji);
}

/** The recent list with `emoji` moved (or added) to the front, at most `MAX_RECENT_EMOJIS` long. */
export function pushRecent(recent: readonly string[], emoji: string): string[] {
  return [emoji, ...recent.filter((e) => e !== emoji)].slice(0, MAX_RECENT_EMOJIS);
}

/** Whether a stored value is a usable recent list. */
export function isRecentList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_RECENT_EMOJIS &&
    value.every((e) => typeof e === 'string' && e.length > 0 && e.length <= 32)
  );
}

/** Whether a stored value is a skin tone. */
export function isSkinTone(value: unknown): value is SkinTone {
  return SKIN_TONES.some((tone) => tone === value);
}
