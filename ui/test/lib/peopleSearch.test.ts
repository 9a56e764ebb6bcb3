// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MAX_PEOPLE_SUGGESTIONS, lastUsername, matchPeople, replaceLastUsername } from '../../src/lib/peopleSearch';
import { account } from '../fixtures';

const ahmad = account(3, 'ahmad', 'أَحْمَد');
const zoe = account(4, 'zoe_a', 'Zoë Adams');
const bob = account(2, 'bob');
const bobby = account(5, 'rob', 'Bobby Tables');
const people = [ahmad, zoe, bob, bobby];

const ids = (query: string, exclude?: ReadonlySet<number>): number[] => matchPeople(people, query, exclude).map((a) => a.id);

describe('people search', () => {
  it('matches display names with Arabic diacritics ignored', () => {
    expect(ids('أحمد')).toEqual([3]);
    expect(ids('أَحمَد')).toEqual([3]);
    expect(ids('محمود')).toEqual([]);
  });

  it('matches display names with Latin accents and case ignored', () => {
    expect(ids('zoe')).toEqual([4]);
    expect(ids('ADAMS')).toEqual([4]);
  });

  it('matches usernames, with or without "@"', () => {
    expect(ids('@ahm')).toEqual([3]);
    expect(ids('zoe_')).toEqual([4]);
  });

  it('puts names that start with the text first, then the rest by name', () => {
    expect(ids('ob')).toEqual([bob.id, bobby.id]);
    expect(ids('bob')).toEqual([bob.id, bobby.id]);
    expect(ids('ad')).toEqual([zoe.id, ahmad.id]);
  });

  it('suggests nobody for empty text, and leaves out the excluded', () => {
    expect(ids('  ')).toEqual([]);
    expect(ids('@')).toEqual([]);
    expect(ids('bob', new Set([bob.id]))).toEqual([bobby.id]);
  });

  it('shows a bounded number of suggestions', () => {
    const many = Array.from({ length: 20 }, (_, i) => account(100 + i, `user${i}`));
    expect(matchPeople(many, 'user')).toHaveLength(MAX_PEOPLE_SUGGESTIONS);
  });

  it('finds the username being typed at the end of a list and replaces it', () => {
    expect(lastUsername('')).toEqual({ start: 0, query: '' });
    expect(lastUsername('alice, bo')).toEqual({ start: 7, query: 'bo' });
    expect(lastUsername('alice،زو')).toEqual({ start: 6, query: 'زو' });
    expect(lastUsername('alice ')).toEqual({ start: 6, query: '' });
    expect(replaceLastUsername('alice, bo', 'bob')).toBe('alice, bob, ');
    expect(replaceLastUsername('zo', 'zoe_a')).toBe('zoe_a, ');
  });
});
