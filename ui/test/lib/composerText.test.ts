// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { formatMark, insertText, mentionAt, mentionCandidates, toggleMark } from '../../src/lib/composerText';
import type { Member } from '../../src/platform/types';

const key = (k: string, mods: { shift?: boolean; meta?: boolean; alt?: boolean } = {}) => ({
  key: k,
  ctrlKey: mods.meta !== true,
  metaKey: mods.meta === true,
  shiftKey: mods.shift === true,
  altKey: mods.alt === true,
});

describe('composer text', () => {
  it('maps the shortcuts to marks', () => {
    expect(formatMark(key('b'))).toBe('**');
    expect(formatMark(key('I', { meta: true }))).toBe('__');
    expect(formatMark(key('u'))).toBe('++');
    expect(formatMark(key('X', { shift: true }))).toBe('~~');
    expect(formatMark(key('P', { shift: true }))).toBe('||');
    expect(formatMark(key('M', { shift: true }))).toBe('`');
    expect(formatMark(key('b', { alt: true }))).toBeNull();
    expect(formatMark(key('k'))).toBeNull();
    expect(formatMark({ key: 'b', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false })).toBeNull();
  });

  it('wraps, unwraps from outside or inside, and inserts an empty pair', () => {
    expect(toggleMark('a b c', 2, 3, '**')).toEqual({ value: 'a **b** c', start: 4, end: 5 });
    expect(toggleMark('a **b** c', 4, 5, '**')).toEqual({ value: 'a b c', start: 2, end: 3 });
    expect(toggleMark('a **b** c', 2, 7, '**')).toEqual({ value: 'a b c', start: 2, end: 3 });
    expect(toggleMark('ab', 1, 1, '`')).toEqual({ value: 'a``b', start: 2, end: 2 });
    expect(toggleMark('مرحبا', 0, 5, '__')).toEqual({ value: '__مرحبا__', start: 2, end: 7 });
  });

  it('inserts at the caret and finds the @name being typed', () => {
    expect(insertText('ab', 1, 1, '😀')).toEqual({ value: 'a😀b', start: 3, end: 3 });
    expect(mentionAt('hi @ca', 6)).toEqual({ start: 3, query: 'ca' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('mail bob@ex', 11)).toBeNull();
    expect(mentionAt('hi @ca rest', 11)).toBeNull();
  });

  it('suggests members by folded prefix, never me', () => {
    const members: Member[] = ['alice', 'Bob', 'bea', 'carol'].map((username, id) => ({ account: { id, username, displayName: '' }, role: 'member' }));
    expect(mentionCandidates(members, { id: 0, username: 'alice', displayName: '' }, 'B').map((a) => a.username)).toEqual(['bea', 'Bob']);
    expect(mentionCandidates(members, null, 'á').map((a) => a.username)).toEqual(['alice']);
  });
});
