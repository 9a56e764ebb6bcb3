import { describe, expect, it } from 'vitest';
import { applyDocumentLanguage, directionOf, isolate } from '../../src/lib/rtl';

describe('right-to-left helpers', () => {
  it('knows Arabic is written right to left and English left to right', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });

  it('sets lang and dir on the root element and back', () => {
    const root = document.createElement('html');
    applyDocumentLanguage(root, 'ar');
    expect(root.getAttribute('dir')).toBe('rtl');
    expect(root.getAttribute('lang')).toBe('ar');
    applyDocumentLanguage(root, 'en');
    expect(root.getAttribute('dir')).toBe('ltr');
    expect(root.getAttribute('lang')).toBe('en');
  });

  it('isolates a name so it cannot reorder the sentence around it', () => {
    expect(isolate('bob')).toBe('\u2068bob\u2069');
  });
});
