// @vitest-environment node

import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatOffset,
  hostProfileProblem,
  isValidShortcut,
  offsetChoices,
  parseTime,
  profileProblems,
  sponsoredDestination,
  timeValue,
  weekdayName,
} from '../../src/lib/business';
import type { BusinessProfile } from '../../src/platform/types';

function profile(overrides: Partial<BusinessProfile> = {}): BusinessProfile {
  return { hours: [], utcOffsetMinutes: 0, address: '', startPage: '', greeting: '', awayMessage: '', quickReplies: [], ...overrides };
}

describe('business profile rules', () => {
  it('takes a full, valid profile', () => {
    const ok = profile({
      hours: [
        { day: 0, opens: 0, closes: 1440 },
        { day: 6, opens: 600, closes: 601 },
      ],
      utcOffsetMinutes: 840,
      address: 'a'.repeat(1024),
      quickReplies: Array.from({ length: 20 }, (_, i) => ({ shortcut: `r_${i}`, text: 'x' })),
    });
    expect(profileProblems(ok)).toEqual({});
    expect(hostProfileProblem(ok)).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(profileProblems(profile({ greeting: '😀'.repeat(1024) }))).toEqual({});
    expect(profileProblems(profile({ greeting: '😀'.repeat(1025) }))['greeting']).toEqual({
      key: 'business.errorTooLong',
      params: { max: 1024, count: 1025 },
    });
  });

  it('names the field of each problem', () => {
    const bad = profile({
      hours: [
        { day: 1, opens: 600, closes: 600 },
        { day: 2, opens: 0, closes: 1441 },
        { day: 2, opens: 0, closes: 60 },
      ],
      utcOffsetMinutes: -721,
      awayMessage: 'x'.repeat(1025),
      quickReplies: [
        { shortcut: '', text: 'a' },
        { shortcut: 'A', text: 'b' },
        { shortcut: 'x'.repeat(33), text: 'c' },
        { shortcut: 'fine_1', text: 'y'.repeat(1025) },
      ],
    });
    expect(Object.keys(profileProblems(bad)).sort()).toEqual(
      [
        'awayMessage',
        'hours',
        'hours.1',
        'hours.2',
        'reply.0.shortcut',
        'reply.1.shortcut',
        'reply.2.shortcut',
        'reply.3.text',
        'utcOffset',
      ].sort(),
    );
    const many = profile({ quickReplies: Array.from({ length: 21 }, () => ({ shortcut: 'a', text: '' })) });
    expect(profileProblems(many)['quickReplies']?.key).toBe('business.errorTooManyReplies');
  });

  it("words the first problem as the host does, in the engine's order", () => {
    expect(hostProfileProblem(profile({ startPage: 'x'.repeat(1025), utcOffsetMinutes: 900 }))).toBe(
      'the start page has at most 1024 characters',
    );
    expect(hostProfileProblem(profile({ hours: [{ day: 7, opens: 0, closes: 1 }] }))).toBe(
      'opening hours name each day (0 = Monday … 6 = Sunday) once',
    );
    expect(hostProfileProblem(profile({ hours: [{ day: 3, opens: 5, closes: 4 }] }))).toBe(
      'opening hours open before they close, within the day',
    );
    expect(hostProfileProblem(profile({ utcOffsetMinutes: 841 }))).toBe('the UTC offset is between -12:00 and +14:00');
    expect(hostProfileProblem(profile({ quickReplies: [{ shortcut: 'Hi', text: '' }] }))).toBe(
      "a quick reply's shortcut has 1 to 32 of a-z, 0-9 and _",
    );
  });

  it('knows a shortcut', () => {
    expect(isValidShortcut('a')).toBe(true);
    expect(isValidShortcut('order_42')).toBe(true);
    expect(isValidShortcut('x'.repeat(32))).toBe(true);
    expect(isValidShortcut('x'.repeat(33))).toBe(false);
    expect(isValidShortcut('')).toBe(false);
    expect(isValidShortcut('héllo')).toBe(false);
    expect(isValidShortcut('a b')).toBe(false);
  });
});

describe('opening hours as text', () => {
  it('reads time inputs, a closing 00:00 being midnight at the end of the day', () => {
    expect(parseTime('09:30')).toBe(570);
    expect(parseTime('00:00')).toBe(0);
    expect(parseTime('00:00', true)).toBe(1440);
    expect(parseTime('23:59:30')).toBe(1439);
    expect(parseTime('')).toBeNull();
    expect(parseTime('24:00')).toBeNull();
    expect(timeValue(1440)).toBe('00:00');
    expect(timeValue(545)).toBe('09:05');
  });

  it('writes clocks and offsets in the digits of the language', () => {
    expect(formatClock(570, 'en')).toBe('09:30');
    expect(formatClock(1440, 'en')).toBe('24:00');
    expect(formatClock(570, 'ar')).toBe('٠٩:٣٠');
    expect(formatOffset(-330, 'en')).toBe('\u221205:30');
    expect(formatOffset(60, 'en')).toBe('+01:00');
    expect(weekdayName(0, 'en')).toBe('Monday');
    expect(weekdayName(6, 'en')).toBe('Sunday');
    expect(weekdayName(4, 'ar')).toBe('الجمعة');
  });

  it('offers the offsets from −12:00 to +14:00, keeping an odd one', () => {
    const choices = offsetChoices(0);
    expect(choices[0]).toBe(-720);
    expect(choices.at(-1)).toBe(840);
    expect(choices).toHaveLength(105);
    expect(offsetChoices(7)).toContain(7);
  });
});

describe('where a sponsored message leads', () => {
  it('to a public channel by handle, or an https:// link, and nowhere else', () => {
    expect(sponsoredDestination({ channel: '@WrenNews' })).toEqual({ kind: 'channel', handle: 'wrennews' });
    expect(sponsoredDestination({ link: 'https://example.com/a?b=1' })).toEqual({
      kind: 'link',
      url: 'https://example.com/a?b=1',
    });
    expect(sponsoredDestination({ channel: 'x' })).toBeNull();
    expect(sponsoredDestination({ link: 'http://example.com/' })).toBeNull();
    expect(sponsoredDestination({ link: 'javascript:alert(1)' })).toBeNull();
    expect(sponsoredDestination({ link: 'wren://channel/wrennews' })).toBeNull();
    expect(sponsoredDestination({ link: 'not a url' })).toBeNull();
  });
});
