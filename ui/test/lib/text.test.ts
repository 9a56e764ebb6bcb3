// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { avatarColour, initials, markMatches, parseSnippet, parseUsernames } from '../../src/lib/text';

describe('initials', () => {
  it('takes the first letters of two words, or one letter of one word', () => {
    expect(initials('Weekend trip')).toBe('WT');
    expect(initials('bob')).toBe('B');
    expect(initials('mary-jane watson')).toBe('MJ');
    expect(initials('سارة أحمد')).toBe('سأ');
    expect(initials('  ')).toBe('?');
  });

  it('never takes an invisible or direction-changing character as a letter', () => {
    expect(initials('\u202Eevil')).toBe('E');
    expect(initials('\u200F\u2066bob smith')).toBe('BS');
  });

  it('gives every id a stable colour', () => {
    expect(avatarColour(3)).toBe(avatarColour(3));
    expect(avatarColour(3)).not.toBe(avatarColour(4));
  });
});

describe('search snippets', () => {
  it('splits marked matches from plain text', () => {
    expect(parseSnippet('see \u0001you\u0002 at \u0001noon\u0002')).toEqual([
      { text: 'see ', match: false },
      { text: 'you', match: true },
      { text: ' at ', match: false },
      { text: 'noon', match: true },
    ]);
  });

  it('treats an unclosed marker as a match to the end', () => {
    expect(parseSnippet('a \u0001b')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
  });

  it('marks every match case-insensitively', () => {
    expect(markMatches('Tea, tea and TEA', 'tea')).toBe('\u0001Tea\u0002, \u0001tea\u0002 and \u0001TEA\u0002');
  });
});

describe('usernames', () => {
  it('splits on spaces and Latin or Arabic commas, drops @ and duplicates', () => {
    expect(parseUsernames('@bob, carol  dave،bob')).toEqual(['bob', 'carol', 'dave']);
  });
});
