// @vitest-environment node

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  dayKey,
  daysBetween,
  formatDateTime,
  formatDay,
  formatListStamp,
  formatTime,
  needsDaySeparator,
} from '../../src/lib/dates';

const now = new Date(2026, 10, 24, 15, 0).getTime();
const at = (days: number, hour = 10, minute = 30): number => new Date(2026, 10, 24 - days, hour, minute).getTime();

describe('day separators', () => {
  it('puts a separator before the first message and when the day changes, not within a day', () => {
    expect(needsDaySeparator(undefined, at(0))).toBe(true);
    expect(needsDaySeparator(at(0, 9), at(0, 23))).toBe(false);
    expect(needsDaySeparator(at(1, 23, 59), at(0, 0, 1))).toBe(true);
  });

  it('counts calendar days, not 24-hour periods', () => {
    expect(daysBetween(at(1, 23, 59), new Date(2026, 10, 24, 0, 1).getTime())).toBe(1);
    expect(dayKey(at(0, 0, 0))).toBe(dayKey(at(0, 23, 59)));
  });

  it('labels today and yesterday in English', () => {
    expect(formatDay(at(0), now, 'en')).toBe('Today');
    expect(formatDay(at(1), now, 'en')).toBe('Yesterday');
  });

  it('labels today and yesterday in Arabic', () => {
    expect(formatDay(at(0), now, 'ar')).toBe('اليوم');
    expect(formatDay(at(1), now, 'ar')).toBe('أمس');
  });

  it('uses the weekday within a week and the date after that', () => {
    expect(formatDay(at(3), now, 'en')).toBe('Saturday');
    expect(formatDay(at(3), now, 'ar')).toBe('السبت');
    expect(formatDay(at(30), now, 'en')).toBe('October 25');
    expect(formatDay(new Date(2025, 0, 5).getTime(), now, 'en')).toBe('January 5, 2025');
    expect(formatDay(at(30), now, 'ar')).toContain('أكتوبر');
  });
});

describe('times', () => {
  it('formats a message time in both languages', () => {
    expect(formatTime(at(0, 14, 5), 'en')).toBe('2:05 PM');
    const arabic = formatTime(at(0, 14, 5), 'ar');
    expect(arabic).toContain('٢:٠٥');
    expect(arabic).toContain('م');
  });

  it('writes a day and a time, e.g. when a mute ends', () => {
    expect(formatDateTime(at(-1, 14, 5), 'en')).toBe('Nov 25, 2:05 PM');
    const arabic = formatDateTime(at(-1, 14, 5), 'ar');
    expect(arabic).toContain('٢٥');
    expect(arabic).toContain('٢:٠٥');
    expect(arabic).not.toMatch(/[0-9]/);
  });

  it('shows a time today, a weekday this week and a date before that in the chat list', () => {
    expect(formatListStamp(at(0, 9, 15), now, 'en')).toBe('9:15 AM');
    expect(formatListStamp(at(2), now, 'en')).toBe('Sun');
    expect(formatListStamp(at(40), now, 'en')).toBe('Oct 15');
  });
});

describe('the system clock', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The dates module as loaded on a system whose default locale resolves to these options. */
  async function datesOnSystem(options: Partial<Intl.ResolvedDateTimeFormatOptions>): Promise<typeof import('../../src/lib/dates')> {
    const resolved = Intl.DateTimeFormat.prototype.resolvedOptions;
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockImplementation(function (this: Intl.DateTimeFormat) {
      return { ...resolved.call(this), ...options };
    });
    vi.resetModules();
    return import('../../src/lib/dates');
  }

  it('shows English times on a 24-hour clock when the system uses one', async () => {
    const dates = await datesOnSystem({ locale: 'de-DE', hourCycle: 'h23' });
    expect(dates.formatTime(at(0, 14, 5), 'en')).toBe('14:05');
    expect(dates.formatListStamp(at(0, 9, 15), now, 'en')).toBe('09:15');
  });

  it('shows English times on a 12-hour clock when the system uses one', async () => {
    const dates = await datesOnSystem({ locale: 'en-GB', hourCycle: 'h12' });
    expect(dates.formatTime(at(0, 14, 5), 'en')).toBe('2:05 pm');
  });
});
