// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { TYPE_AHEAD_PAUSE_MS, createTypeAhead, rovingTarget, typeAheadMatch } from '../../src/lib/roving';

describe('arrow keys in a list', () => {
  it('moves one row, to the ends with Home / End, and stops at the ends', () => {
    expect(rovingTarget('ArrowDown', 0, 3)).toBe(1);
    expect(rovingTarget('ArrowDown', 2, 3)).toBe(2);
    expect(rovingTarget('ArrowUp', 0, 3)).toBe(0);
    expect(rovingTarget('Home', 2, 3)).toBe(0);
    expect(rovingTarget('End', 0, 3)).toBe(2);
    expect(rovingTarget('x', 0, 3)).toBeNull();
    expect(rovingTarget('ArrowDown', -1, 0)).toBeNull();
  });
});

describe('type-ahead', () => {
  const titles = ['bob', 'carol', 'Weekend trip', 'Carla', 'مُحَمَّد', 'erin'];

  it('finds the next title starting with a letter, cycling when the letter is typed again', () => {
    expect(typeAheadMatch(titles, 0, 'c')).toBe(1);
    expect(typeAheadMatch(titles, 1, 'cc')).toBe(3);
    expect(typeAheadMatch(titles, 3, 'ccc')).toBe(1);
    expect(typeAheadMatch(titles, 0, 'z')).toBe(-1);
  });

  it('keeps the focused row while a longer prefix still matches it, ignoring case and harakat', () => {
    expect(typeAheadMatch(titles, 1, 'car')).toBe(1);
    expect(typeAheadMatch(titles, 1, 'carl')).toBe(3);
    expect(typeAheadMatch(titles, 0, 'WEEK')).toBe(2);
    expect(typeAheadMatch(titles, 0, 'محم')).toBe(4);
  });

  it('starts a new prefix after a pause', () => {
    let now = 0;
    const typed = createTypeAhead(() => now);
    expect(typed('c')).toBe('c');
    now += 100;
    expect(typed('a')).toBe('ca');
    now += TYPE_AHEAD_PAUSE_MS + 1;
    expect(typed('e')).toBe('e');
  });
});
