// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { segmentText, textLinkTarget, urlTarget, type Segment } from '../../src/lib/entities';
import type { Entity } from '../../src/platform/types';

const e = (kind: Entity['kind'], offset: number, length: number, url: string | null = null): Entity => ({
  kind,
  offset,
  length,
  url,
  language: null,
});

/** A compact picture of the tree: text as is, entities as [kind, ...children]. */
function shape(segments: Segment[]): unknown[] {
  return segments.map((s) => (s.type === 'text' ? s.text : [s.entity.kind, ...shape(s.children)]));
}

describe('segmentText', () => {
  it('leaves text without entities whole', () => {
    expect(shape(segmentText('hello', []))).toEqual(['hello']);
    expect(segmentText('', [])).toEqual([]);
  });

  it('nests entities and keeps adjacent ones apart', () => {
    const text = 'bold italic plain';
    expect(shape(segmentText(text, [e('bold', 0, 11), e('italic', 5, 6)]))).toEqual([['bold', 'bold ', ['italic', 'italic']], ' plain']);
    expect(shape(segmentText('abcd', [e('bold', 0, 2), e('italic', 2, 2)]))).toEqual([['bold', 'ab'], ['italic', 'cd']]);
    expect(shape(segmentText('abcd', [e('italic', 0, 4), e('bold', 0, 4)]))).toEqual([['italic', ['bold', 'abcd']]]);
  });

  it('counts UTF-16 units: emoji (surrogate pairs), Arabic and combining marks', () => {
    const text = '😀 مرحبا e\u0301!';
    const segments = segmentText(text, [e('bold', 0, 2), e('italic', 3, 5), e('underline', 9, 2)]);
    expect(shape(segments)).toEqual([['bold', '😀'], ' ', ['italic', 'مرحبا'], ' ', ['underline', 'e\u0301'], '!']);
  });

  it('drops invalid ranges: out of bounds, empty, crossing, inside code, splitting a surrogate pair', () => {
    const text = 'abc 😀 def';
    const bad = [
      e('bold', -1, 2),
      e('bold', 8, 10),
      e('italic', 2, 0),
      e('underline', 4, 1),
      e('strike', 1.5, 2),
    ];
    expect(shape(segmentText(text, bad))).toEqual([text]);
    expect(shape(segmentText('abcdef', [e('bold', 0, 4), e('italic', 2, 4)]))).toEqual([['bold', 'abcd'], 'ef']);
    expect(shape(segmentText('abcdef', [e('code', 0, 6), e('bold', 1, 2)]))).toEqual([['code', 'abcdef']]);
  });

  it('ignores unknown kinds', () => {
    const odd = { ...e('bold', 0, 1), kind: 'script' } as unknown as Entity;
    expect(shape(segmentText('ab', [odd]))).toEqual(['ab']);
  });
});

describe('link targets', () => {
  it('prefixes https:// to a URL without a scheme and refuses other schemes', () => {
    expect(urlTarget('www.example.com/a')).toBe('https://www.example.com/a');
    expect(urlTarget('http://example.com')).toBe('http://example.com');
    expect(urlTarget('mailto:bob@example.com')).toBe('mailto:bob@example.com');
    expect(urlTarget('javascript:alert(1)')).toBeNull();
    expect(urlTarget('file:///etc/passwd')).toBeNull();
  });

  it('says when a text link leads somewhere its text does not say', () => {
    expect(textLinkTarget('site', 'https://example.com')).toEqual({ url: 'https://example.com', differs: true });
    expect(textLinkTarget('https://example.com', 'https://example.com')).toEqual({ url: 'https://example.com', differs: false });
    expect(textLinkTarget('example.com', 'https://example.com')).toEqual({ url: 'https://example.com', differs: false });
    expect(textLinkTarget('x', 'javascript:alert(1)')).toBeNull();
    expect(textLinkTarget('x', null)).toBeNull();
  });
});
