// Profile rules shared by the settings form and the in-memory host: what a display name and
// a bio may hold (as the server checks them), and the name a person is shown by.

import { MAX_BIO_CHARS, MAX_DISPLAY_NAME_CHARS, type Account } from '../platform/types';
import { charCount } from './business';

/** The field of a profile a problem is in. */
export type ProfileField = 'displayName' | 'bio';

/** Why the server would refuse a field: too long, a line break, or an invisible character. */
export type ProfileProblemKind = 'tooLong' | 'lineBreak' | 'invisible';

/** The first thing wrong with a profile, by field. */
export interface ProfileProblem {
  field: ProfileField;
  kind: ProfileProblemKind;
}

const LIMITS: Record<ProfileField, number> = { displayName: MAX_DISPLAY_NAME_CHARS, bio: MAX_BIO_CHARS };

const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/u;
/** Control characters, and the zero-width and direction-changing ones the server refuses. */
const INVISIBLE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

/** The person's name to show: their display name, else their username. */
export function nameOf(account: Account): string {
  const shown = account.displayName.trim();
  return shown === '' ? account.username : shown;
}

/** What is wrong with one field's text (already trimmed), or null. */
function fieldProblem(field: ProfileField, text: string): ProfileProblemKind | null {
  if (LINE_BREAK.test(text)) return 'lineBreak';
  if (INVISIBLE.test(text)) return 'invisible';
  if (charCount(text) > LIMITS[field]) return 'tooLong';
  return null;
}

/**
 * The first field the server would refuse, display name first, or null when both may be
 * saved. Both are trimmed first; "" is allowed (it clears the field).
 */
export function profileProblem(displayName: string, bio: string): ProfileProblem | null {
  const fields: [ProfileField, string][] = [
    ['displayName', displayName.trim()],
    ['bio', bio.trim()],
  ];
  for (const [field, text] of fields) {
    const kind = fieldProblem(field, text);
    if (kind !== null) return { field, kind };
  }
  return null;
}

/** How many more characters a field takes (negative when over its limit). */
export function charsLeft(field: ProfileField, text: string): number {
  return LIMITS[field] - charCount(text.trim());
}

/** The server's English reason for a problem, naming the field (the host's error message). */
export function problemMessage(problem: ProfileProblem): string {
  const name = problem.field === 'displayName' ? 'display name' : 'bio';
  switch (problem.kind) {
    case 'tooLong':
      return `the ${name} has at most ${LIMITS[problem.field]} characters`;
    case 'lineBreak':
      return `the ${name} cannot contain a line break`;
    case 'invisible':
      return `the ${name} cannot contain invisible or direction-changing characters`;
  }
}
