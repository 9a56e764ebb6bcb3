// Editing the composer's text: the formatting shortcuts and the marks they put around the
// selection, inserting at the caret, and the `@name` being typed for mention suggestions.

import type { Account, Member } from '../platform/types';
import { foldForSearch } from './text';

/** The text and the selection after an edit. */
export interface Edited {
  value: string;
  start: number;
  end: number;
}

/**
 * The Markdown-style mark a key press puts around the selection: Ctrl+B bold, Ctrl+I
 * italic, Ctrl+U underline, Ctrl+Shift+X strike, Ctrl+Shift+P spoiler, Ctrl+Shift+M code
 * (Cmd instead of Ctrl on macOS); null for any other key.
 */
export function formatMark(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (!event.shiftKey) return ({ b: '**', i: '__', u: '++' } as Record<string, string>)[key] ?? null;
  return ({ x: '~~', p: '||', m: '`' } as Record<string, string>)[key] ?? null;
}

/**
 * Puts `mark` around the selection (or an empty pair with the caret inside it), or takes it
 * away when the selection is wrapped in it already (inside or just outside the selection).
 */
export function toggleMark(value: string, start: number, end: number, mark: string): Edited {
  const n = mark.length;
  const selected = value.slice(start, end);
  if (value.slice(start - n, start) === mark && value.slice(end, end + n) === mark && start - n >= 0) {
    return { value: value.slice(0, start - n) + selected + value.slice(end + n), start: start - n, end: end - n };
  }
  if (selected.length >= 2 * n && selected.startsWith(mark) && selected.endsWith(mark)) {
    const inner = selected.slice(n, selected.length - n);
    return { value: value.slice(0, start) + inner + value.slice(end), start, end: start + inner.length };
  }
  return { value: value.slice(0, start) + mark + selected + mark + value.slice(end), start: start + n, end: end + n };
}

/** Replaces the selection with `text`, the caret after it. */
export function insertText(value: string, start: number, end: number, text: string): Edited {
  const caret = start + text.length;
  return { value: value.slice(0, start) + text + value.slice(end), start: caret, end: caret };
}

/** The `@name` typed just before the caret: where its `@` is and what follows it. */
export function mentionAt(value: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|[^\p{L}\p{N}_@])@([\p{L}\p{M}\p{N}_]{0,32})$/u.exec(value.slice(0, caret));
  if (match === null) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** How many suggestions the list shows at most. */
export const MAX_MENTION_SUGGESTIONS = 8;

/**
 * The members (not `me`) whose username, or a word of whose display name, starts with `query`,
 * ignoring case and diacritics.
 */
export function mentionCandidates(members: readonly Member[], me: Account | null, query: string): Account[] {
  const prefix = foldForSearch(query);
  const matches = (a: Account): boolean =>
    foldForSearch(a.username).startsWith(prefix) ||
    foldForSearch(a.displayName).split(/\s+/u).some((word) => word.startsWith(prefix));
  return members
    .map((m) => m.account)
    .filter((a) => a.id !== me?.id && matches(a))
    .sort((a, b) => a.username.localeCompare(b.username))
    .slice(0, MAX_MENTION_SUGGESTIONS);
}
