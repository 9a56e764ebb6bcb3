// The in-memory host's reading of a message as the engine reads it: Markdown-style marks
// become entities (and leave the text), then URLs, @mentions and #hashtags are recognized.
// Offsets count UTF-16 code units (JavaScript string indices).

import type { Entity, EntityKind } from './types';

/** A message's text and its entities, as the engine stores them. */
export interface ParsedText {
  text: string;
  entities: Entity[];
}

/** The paired marks and what they do, longest checked first. */
const PAIRS: readonly [string, EntityKind][] = [
  ['**', 'bold'],
  ['__', 'italic'],
  ['++', 'underline'],
  ['~~', 'strike'],
  ['||', 'spoiler'],
];

const LINK_SCHEMES = /^(https?:\/\/[^\s/?#]+|mailto:[^\s@]+@[^\s@]+)/i;
const URL_PATTERN = /(?:https?:\/\/|www\.)[^\s<>]+|mailto:[^\s<>@]+@[^\s<>]+/giu;
const MENTION_PATTERN = /(?<![\p{L}\p{N}_@])@[A-Za-z0-9_]{3,32}(?![A-Za-z0-9_])/gu;
const HASHTAG_PATTERN = /(?<![\p{L}\p{N}_#&])#[\p{L}\p{M}\p{N}_]*\p{L}[\p{L}\p{M}\p{N}_]*/gu;
/** Punctuation that ends a sentence rather than a URL. */
const URL_TRAILING = /[.,;:!?'")\]}]+$/u;

function entity(kind: EntityKind, offset: number, length: number, url: string | null = null, language: string | null = null): Entity {
  return { kind, offset, length, url, language };
}

/** Whether a `[text](url)` target may be a link: http, https or mailto only. */
export function isLinkTarget(url: string): boolean {
  return LINK_SCHEMES.test(url);
}

/** Reads the marks of `input` (nothing of an unclosed mark), appending to `out`. */
function parseMarks(input: string, out: ParsedText): void {
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('```', i)) {
      const close = input.indexOf('```', i + 3);
      if (close !== -1) {
        let body = input.slice(i + 3, close);
        let language: string | null = null;
        const head = /^([A-Za-z0-9_+#.-]{1,32})?\n/.exec(body);
        if (head !== null) {
          language = head[1] ?? null;
          body = body.slice(head[0].length);
        }
        body = body.replace(/\n$/, '');
        if (body !== '') {
          out.entities.push(entity('pre', out.text.length, body.length, null, language));
          out.text += body;
          i = close + 3;
          continue;
        }
      }
    }
    if (input[i] === '`') {
      const close = input.indexOf('`', i + 1);
      if (close > i + 1 && !input.slice(i + 1, close).includes('\n')) {
        const body = input.slice(i + 1, close);
        out.entities.push(entity('code', out.text.length, body.length));
        out.text += body;
        i = close + 1;
        continue;
      }
    }
    if (input[i] === '[') {
      const link = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(input.slice(i));
      if (link !== null && isLinkTarget(link[2] ?? '')) {
        const start = out.text.length;
        const at = out.entities.length;
        parseMarks(link[1] ?? '', out);
        if (out.text.length > start) {
          out.entities.splice(at, 0, entity('textLink', start, out.text.length - start, link[2] ?? null));
        }
        i += link[0].length;
        continue;
      }
    }
    const pair = PAIRS.find(([mark]) => input.startsWith(mark, i));
    if (pair !== undefined) {
      const [mark, kind] = pair;
      const close = input.indexOf(mark, i + mark.length + 1);
      if (close !== -1) {
        const start = out.text.length;
        const at = out.entities.length;
        parseMarks(input.slice(i + mark.length, close), out);
        if (out.text.length > start) out.entities.splice(at, 0, entity(kind, start, out.text.length - start));
        i = close + mark.length;
        continue;
      }
    }
    out.text += input[i] ?? '';
    i++;
  }
}

/** Whether a new span [start, end) fits among `entities` without crossing one or entering a literal one. */
function fits(entities: readonly Entity[], start: number, end: number): boolean {
  return entities.every((e) => {
    const eEnd = e.offset + e.length;
    if (end <= e.offset || start >= eEnd) return true;
    const inside = start >= e.offset && end <= eEnd;
    const around = start <= e.offset && end >= eEnd;
    if (inside) return e.kind !== 'code' && e.kind !== 'pre' && e.kind !== 'textLink' && e.kind !== 'url';
    return around && e.kind !== 'code' && e.kind !== 'pre' && e.kind !== 'textLink';
  });
}

/** Recognizes URLs, @mentions and #hashtags in `parsed.text`, where they fit. */
function recognize(parsed: ParsedText): void {
  const found: [EntityKind, RegExp][] = [
    ['url', URL_PATTERN],
    ['mention', MENTION_PATTERN],
    ['hashtag', HASHTAG_PATTERN],
  ];
  for (const [kind, pattern] of found) {
    for (const match of parsed.text.matchAll(pattern)) {
      const raw = kind === 'url' ? match[0].replace(URL_TRAILING, '') : match[0];
      const start = match.index;
      if (raw.length < 2 || !fits(parsed.entities, start, start + raw.length)) continue;
      parsed.entities.push(entity(kind, start, raw.length));
    }
  }
}

/** Entities in text order, an outer one before the ones it contains. */
function sortEntities(entities: Entity[]): Entity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Reads a message as the engine does: unless `plain`, Markdown-style marks become entities
 * and leave the text (an unclosed mark stays as typed); URLs, mentions and hashtags are
 * recognized in any case.
 */
export function parseMessage(input: string, plain = false): ParsedText {
  const parsed: ParsedText = { text: '', entities: [] };
  if (plain) parsed.text = input;
  else parseMarks(input, parsed);
  recognize(parsed);
  return { text: parsed.text, entities: sortEntities(parsed.entities) };
}
