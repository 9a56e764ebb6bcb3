// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { HeightIndex, isAtBottom, visibleWindow } from '../../src/lib/virtual';

describe('HeightIndex', () => {
  it('gives offsets as sums of the heights before a row', () => {
    const index = new HeightIndex(5, 10);
    index.set(1, 30);
    expect(index.offsetOf(0)).toBe(0);
    expect(index.offsetOf(1)).toBe(10);
    expect(index.offsetOf(2)).toBe(40);
    expect(index.total).toBe(70);
  });

  it('finds the row under a pixel', () => {
    const index = new HeightIndex(5, 10);
    index.set(1, 30);
    expect(index.indexAt(0)).toBe(0);
    expect(index.indexAt(9)).toBe(0);
    expect(index.indexAt(10)).toBe(1);
    expect(index.indexAt(39)).toBe(1);
    expect(index.indexAt(40)).toBe(2);
    expect(index.indexAt(10_000)).toBe(4);
  });

  it('keeps measured heights when older rows are prepended and newer appended', () => {
    const index = new HeightIndex(2, 10);
    index.set(0, 50);
    index.prepend(3);
    expect(index.count).toBe(5);
    expect(index.offsetOf(3)).toBe(30);
    expect(index.offsetOf(4)).toBe(80);
    index.append(1);
    expect(index.total).toBe(30 + 50 + 10 + 10);
  });

  it('handles 100,000 rows of mixed heights quickly and exactly', () => {
    const count = 100_000;
    const index = new HeightIndex(count, 56);
    const started = performance.now();
    for (let i = 0; i < count; i += 3) index.set(i, 90);
    let expected = 0;
    for (let i = 0; i < 77_777; i++) expected += i % 3 === 0 ? 90 : 56;
    expect(index.offsetOf(77_777)).toBe(expected);
    expect(index.indexAt(expected)).toBe(77_777);
    expect(index.indexAt(expected - 1)).toBe(77_776);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('visibleWindow', () => {
  it('renders only the rows in the viewport plus overscan, wherever we are in 100,000 rows', () => {
    const index = new HeightIndex(100_000, 50);
    expect(visibleWindow(index, 0, 500, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleWindow(index, 50 * 60_000, 500, 5)).toEqual({ start: 59_995, end: 60_015 });
    expect(visibleWindow(index, index.total - 500, 500, 5)).toEqual({ start: 99_985, end: 100_000 });
  });

  it('is empty for an empty list', () => {
    expect(visibleWindow(new HeightIndex(0, 50), 0, 500, 5)).toEqual({ start: 0, end: 0 });
  });

  it('tells whether the viewport is at the bottom', () => {
    expect(isAtBottom(1500, 500, 2000, 10)).toBe(true);
    expect(isAtBottom(1400, 500, 2000, 10)).toBe(false);
  });
});
