// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { ar } from '../src/i18n/ar';
import { en } from '../src/i18n/en';
import { translate } from '../src/i18n';

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

  it('fills placeholders', () => {
    expect(translate('en', 'chat.typing', { name: 'bob' })).toBe('bob is typing…');
    expect(translate('ar', 'chat.members', { count: 4 })).toBe('الأعضاء: 4');
  });
});
