// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { ar } from '../src/i18n/ar';
import { en } from '../src/i18n/en';
import { translate, translatePlural } from '../src/i18n';
import { formatNumber, formatPercent } from '../src/i18n/locale';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('dictionaries', () => {
  it('translates every English string into Arabic with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ar[key], key).toBeTruthy();
      expect(placeholders(ar[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('writes the Arabic strings in Arabic script', () => {
    const latinOnly = Object.entries(ar).filter(([, text]) => !/[\u0600-\u06FF]/.test(text));
    expect(latinOnly).toEqual([]);
  });

  it('fills placeholders, names isolated and numbers in the digits of the language', () => {
    expect(translate('en', 'chat.typing', { name: 'bob' })).toBe('\u2068bob\u2069 is typing…');
    expect(translate('ar', 'connection.syncing', { done: 4, total: 12 })).toBe('جارٍ التحديث… ٤/١٢');
  });
});

describe('encryption strings', () => {
  const keys = Object.keys(en).filter((key) =>
    /^(safety\.|chat\.(encrypted|encryptionPending|verified|undecryptable)$|message\.undecryptable$|announce\.undecryptable)/.test(key),
  ) as (keyof typeof en)[];

  it('has an Arabic translation for every one', () => {
    expect(keys).toHaveLength(18);
    for (const key of keys) {
      expect(ar[key], key).toMatch(/[\u0600-\u06FF]/);
      expect(ar[key], key).not.toBe(en[key]);
    }
    const devices = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', 'safety.devices', n));
    expect(new Set(devices).size).toBe(6);
    expect(translatePlural('en', 'safety.devices', 2)).toBe('It covers 2 devices of theirs.');
  });

  it('isolates the contact name in the changed-number warning in both languages', () => {
    expect(translate('en', 'safety.changed', { name: 'bob' })).toBe(
      "\u2068bob\u2069's safety number has changed: they added a device or their key changed. Verify it again.",
    );
    expect(translate('ar', 'safety.changed', { name: 'bob' })).toContain('\u2068bob\u2069');
  });
});

describe('plurals', () => {
  it('uses all six Arabic forms for 0, 1, 2, 3, 11 and 100', () => {
    const unread = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', 'chat.unread', n));
    expect(unread).toEqual([
      'لا توجد رسائل غير مقروءة',
      'رسالة واحدة غير مقروءة',
      'رسالتان غير مقروءتين',
      '٣ رسائل غير مقروءة',
      '١١ رسالة غير مقروءة',
      '١٠٠ رسالة غير مقروءة',
    ]);
    const members = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', 'chat.members', n));
    expect(members).toEqual(['لا أعضاء', 'عضو واحد', 'عضوان', '٣ أعضاء', '١١ عضوًا', '١٠٠ عضو']);
  });

  it('uses one and other in English', () => {
    expect(translatePlural('en', 'chat.unread', 1)).toBe('1 unread message');
    expect(translatePlural('en', 'chat.unread', 0)).toBe('0 unread messages');
    expect(translatePlural('en', 'chat.members', 1_200)).toBe('1,200 members');
  });
});

describe('channel strings', () => {
  it('counts subscribers and views with all six Arabic forms, numbers in Arabic digits', () => {
    for (const key of ['channel.subscribers', 'channel.views'] as const) {
      const forms = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', key, n));
      expect(new Set(forms).size, key).toBe(6);
    }
    expect(translatePlural('ar', 'channel.views', 1_234)).toBe('١٬٢٣٤ مشاهدة');
    expect(translatePlural('en', 'channel.views', 1)).toBe('1 view');
    expect(translatePlural('en', 'channel.subscribers', 12_480)).toBe('12,480 subscribers');
  });

  it('names every topic in both languages', () => {
    const topics = Object.keys(en).filter((key) => key.startsWith('topic.')) as (keyof typeof en)[];
    expect(topics).toHaveLength(15);
    for (const key of topics) expect(ar[key], key).toMatch(/[\u0600-\u06FF]/);
  });
});

describe('numbers', () => {
  it('writes numbers in the digits of the UI language', () => {
    expect(formatNumber(1_234, 'ar')).toBe('١٬٢٣٤');
    expect(formatNumber(1_234, 'en')).toBe('1,234');
    expect(formatPercent(150, 'ar')).toMatch(/^١٥٠٪/);
    expect(formatPercent(150, 'en')).toBe('150%');
  });

  it('keeps Latin digits out of every Arabic string', () => {
    const withLatinDigits = Object.entries(ar).filter(([, text]) => /[0-9]/.test(text));
    expect(withLatinDigits).toEqual([]);
  });
});

describe('bidi isolation', () => {
  it('isolates every interpolated string, names and addresses included, but not numbers', () => {
    expect(translate('ar', 'group.remove', { name: 'bob' })).toBe('إزالة \u2068bob\u2069');
    expect(translate('en', 'links.invalid', { url: 'wren://\u202Eevil' })).toBe(
      'This link cannot be opened: \u2068wren://\u202Eevil\u2069',
    );
    expect(translate('en', 'connection.syncing', { done: 3, total: 40 })).toBe('Updating… 3/40');
  });
});

describe('sponsored, plan and business strings', () => {
  it('has an Arabic translation for every one', () => {
    const keys = Object.keys(en).filter((key) => /^(sponsored|plan|business)\./.test(key)) as (keyof typeof en)[];
    expect(keys.length).toBeGreaterThan(60);
    for (const key of keys) {
      expect(ar[key], key).toMatch(/[\u0600-\u06FF]/);
      expect(ar[key], key).not.toBe(en[key]);
    }
  });

  it('counts public channels with the Arabic plural forms', () => {
    expect(translatePlural('ar', 'plan.publicChannels', 10)).toBe('حتى ١٠ قنوات عامة');
    expect(translatePlural('ar', 'plan.publicChannels', 20)).toBe('حتى ٢٠ قناة عامة');
    expect(translatePlural('en', 'plan.publicChannels', 20)).toBe('Up to 20 public channels');
  });
});

describe('account strings', () => {
  it('counts the other accounts’ unread messages with all six Arabic forms', () => {
    const forms = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', 'accounts.othersUnread', n));
    expect(new Set(forms).size).toBe(6);
    expect(forms[3]).toBe('٣ رسائل غير مقروءة في حساباتك الأخرى');
    expect(translatePlural('en', 'accounts.othersUnread', 1)).toBe('1 unread message in your other accounts');
    expect(translatePlural('ar', 'accounts.full', 3)).toBe('لديك ٣ حسابات، وهو أقصى ما يتسع له رِن.');
  });

  it('isolates the account named in the switcher and in "Sign out of"', () => {
    expect(translate('ar', 'accounts.button', { name: 'alice' })).toBe('الحسابات، مسجَّل الدخول باسم \u2068alice\u2069');
    expect(translate('en', 'settings.logoutOf', { name: '@bob' })).toBe('Sign out of \u2068@bob\u2069');
  });
});
