// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { translate, translatePlural, type Lang, type MessageKey, type Params, type PluralKey } from '../../src/i18n';
import { formatShortDate, formatTime } from '../../src/lib/dates';
import { onlineCount, presenceText, typingText } from '../../src/lib/presence';
import type { Presence } from '../../src/platform/types';
import { account, alice, bob, chat } from '../fixtures';

const now = new Date(2026, 11, 10, 15, 0).getTime();
const MINUTE = 60_000;

function words(lang: Lang) {
  return {
    t: (key: MessageKey, params?: Params) => translate(lang, key, params),
    plural: (key: PluralKey, count: number) => translatePlural(lang, key, count),
  };
}

const text = (presence: Presence, lang: Lang = 'en'): string => {
  const { t, plural } = words(lang);
  return presenceText(presence, now, lang, t, plural);
};
const seen = (at: number): Presence => ({ state: 'lastSeen', at });
const isolated = (value: string): string => `\u2068${value}\u2069`;

describe('presence wording', () => {
  it('says online, hidden, just now and minutes ago', () => {
    expect(text({ state: 'online' })).toBe('online');
    expect(text({ state: 'hidden' })).toBe('last seen recently');
    expect(text(seen(now - 59_000))).toBe('last seen just now');
    // A clock a little behind the host's is still "just now".
    expect(text(seen(now + 5_000))).toBe('last seen just now');
    expect(text(seen(now - MINUTE))).toBe('last seen 1 minute ago');
    expect(text(seen(now - 59 * MINUTE - 59_000))).toBe('last seen 59 minutes ago');
  });

  it('gives the time today or yesterday, and the date before that', () => {
    const today = new Date(2026, 11, 10, 14, 5).getTime() - 60 * MINUTE;
    expect(text(seen(today))).toBe(`last seen today at ${isolated(formatTime(today, 'en'))}`);
    const yesterday = new Date(2026, 11, 9, 9, 12).getTime();
    expect(text(seen(yesterday))).toBe(`last seen yesterday at ${isolated(formatTime(yesterday, 'en'))}`);
    const older = new Date(2026, 11, 3, 18, 0).getTime();
    expect(text(seen(older))).toBe(
      `last seen ${isolated(formatShortDate(older, now, 'en'))} at ${isolated(formatTime(older, 'en'))}`,
    );
    expect(formatShortDate(older, now, 'en')).toMatch(/^(3 Dec|Dec 3)$/);
    expect(formatShortDate(new Date(2025, 11, 3).getTime(), now, 'en')).toContain('2025');
  });

  it('says it in Arabic with Arabic digits and plural forms', () => {
    expect(text({ state: 'online' }, 'ar')).toBe('متصل');
    expect(text({ state: 'hidden' }, 'ar')).toBe('آخر ظهور مؤخرًا');
    const minutes = [1, 2, 3, 11].map((n) => text(seen(now - n * MINUTE), 'ar'));
    expect(minutes).toEqual(['آخر ظهور منذ دقيقة', 'آخر ظهور منذ دقيقتين', 'آخر ظهور منذ ٣ دقائق', 'آخر ظهور منذ ١١ دقيقة']);
    const older = new Date(2026, 11, 3, 18, 0).getTime();
    expect(text(seen(older), 'ar')).not.toMatch(/[0-9]/);
  });

  it('has six Arabic forms for the online count and the typing count', () => {
    for (const key of ['presence.groupOnline', 'chat.typingMany', 'presence.minutesAgo'] as const) {
      const forms = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', key, n));
      expect(new Set(forms).size, key).toBe(6);
    }
  });
});

describe('online count', () => {
  const group = chat({
    kind: 'group',
    members: [alice, bob, account(3, 'carol')].map((a) => ({ account: a, role: 'member' as const })),
  });

  it('is unknown until someone is known, and leaves the user out', () => {
    expect(onlineCount(group, alice.id, () => undefined)).toBeNull();
    const known = new Map<number, Presence>([
      [alice.id, { state: 'online' }],
      [bob.id, { state: 'online' }],
    ]);
    expect(onlineCount(group, alice.id, (id) => known.get(id))).toBe(1);
    known.set(3, { state: 'hidden' });
    expect(onlineCount(group, alice.id, (id) => known.get(id))).toBe(1);
  });
});

describe('typing wording', () => {
  const { t, plural } = words('en');

  it('names one or two people and counts more', () => {
    expect(typingText([], t, plural)).toBeNull();
    expect(typingText(['Alice'], t, plural)).toBe(`${isolated('Alice')} is typing…`);
    expect(typingText(['Alice', 'Bob'], t, plural)).toBe(`${isolated('Alice')} and ${isolated('Bob')} are typing…`);
    expect(typingText(['Alice', 'Bob', 'Carol'], t, plural)).toBe('3 people are typing…');
  });
});
