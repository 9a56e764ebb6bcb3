// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MAX_RECENT_EMOJIS, QUICK_REACTIONS, isRecentList, loadEmojis, pushRecent, searchEmojis, withTone } from '../../src/lib/emoji';

describe('emoji data', () => {
  it('loads emojibase entries with categories, shortcodes and skin tones', async () => {
    const entries = await loadEmojis();
    expect(entries.length).toBeGreaterThan(1500);
    const thumbs = entries.find((e) => e.label === 'thumbs up');
    expect(thumbs?.category).toBe('people');
    expect(thumbs?.shortcodes).toContain('thumbs_up');
    expect(thumbs && withTone(thumbs, 3)).toBe('👍🏽');
    expect(thumbs && withTone(thumbs, 0)).toBe(thumbs?.emoji);
    const rocket = entries.find((e) => e.label === 'rocket');
    expect(rocket && withTone(rocket, 5)).toBe('🚀');
    expect(QUICK_REACTIONS).toHaveLength(6);
  });

  it('searches names first, then keywords, and reads :shortcodes:', async () => {
    const entries = await loadEmojis();
    expect(searchEmojis(entries, 'rocket')[0]?.emoji).toBe('🚀');
    expect(searchEmojis(entries, ':thumbs_up:')[0]?.label).toBe('thumbs up');
    expect(searchEmojis(entries, 'yes').some((e) => e.label === 'thumbs up')).toBe(true);
    expect(searchEmojis(entries, '  ')).toEqual([]);
  });

  it('keeps the recent list short, newest first, without repeats', () => {
    let recent: string[] = [];
    for (let i = 0; i < 30; i++) recent = pushRecent(recent, String.fromCodePoint(0x1f600 + i));
    recent = pushRecent(recent, '😃');
    expect(recent).toHaveLength(MAX_RECENT_EMOJIS);
    expect(recent[0]).toBe('😃');
    expect(recent.filter((e) => e === '😃')).toHaveLength(1);
    expect(isRecentList(recent)).toBe(true);
    expect(isRecentList(['x'.repeat(100)])).toBe(false);
    expect(isRecentList('😀')).toBe(false);
  });
});
