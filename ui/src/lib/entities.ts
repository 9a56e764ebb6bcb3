// A message's text and entities as a tree of nested segments to render, and the links they
// may open. Offsets count UTF-16 code units (JavaScript string indices). Entities from the
// host are checked again here: one out of range, crossing another, inside a `code` or `pre`,
// or cutting a surrogate pair in two is left out, never trusted.

import type { Entity, EntityKind } from '../platform/types';

/** A piece of plain text. */
export interface TextSegment {
  type: 'text';
  text: string;
}

/** An entity's range, holding what lies inside it. */
export interface EntitySegment {
  type: 'entity';
  entity: Entity;
  /** The text the range covers, whole (a link's shown text, a mention's `@name`). */
  text: string;
  children: Segment[];
}

export type Segment = TextSegment | EntitySegment;

const KINDS: ReadonlySet<EntityKind> = new Set<EntityKind>([
  'bold',
  'italic',
  'underline',
  'strike',
  'spoiler',
  'code',
  'pre',
  'textLink',
  'url',
  'mention',
  'hashtag',
]);

/** Kinds whose range is shown as it is: nothing may be nested in them. */
const LITERAL: ReadonlySet<EntityKind> = new Set<EntityKind>(['code', 'pre']);

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Whether index `at` falls between the two halves of a surrogate pair. */
function splitsPair(text: string, at: number): boolean {
  return at > 0 && at < text.length && isLowSurrogate(text.charCodeAt(at));
}

function inRange(text: string, e: Entity): boolean {
  return (
    KINDS.has(e.kind) &&
    Number.isInteger(e.offset) &&
    Number.isInteger(e.length) &&
    e.offset >= 0 &&
    e.length > 0 &&
    e.offset + e.length <= text.length &&
    !splitsPair(text, e.offset) &&
    !splitsPair(text, e.offset + e.length)
  );
}

interface Node {
  entity: Entity;
  start: number;
  end: number;
  children: Node[];
}

/** Nests the valid entities; one that crosses another or enters a literal one is dropped. */
function nest(text: string, entities: readonly Entity[]): Node[] {
  const sorted = entities
    .filter((e) => inRange(text, e))
    .map((entity): Node => ({ entity, start: entity.offset, end: entity.offset + entity.length, children: [] }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const roots: Node[] = [];
  const open: Node[] = [];
  for (const node of sorted) {
    while (open.length > 0 && (open[open.length - 1]?.end ?? 0) <= node.start) open.pop();
    const parent = open[open.length - 1];
    if (parent !== undefined && (node.end > parent.end || LITERAL.has(parent.entity.kind))) continue;
    (parent === undefined ? roots : parent.children).push(node);
    open.push(node);
  }
  return roots;
}

function build(text: string, nodes: readonly Node[], start: number, end: number): Segment[] {
  const out: Segment[] = [];
  let at = start;
  for (const node of nodes) {
    if (node.start > at) out.push({ type: 'text', text: text.slice(at, node.start) });
    out.push({
      type: 'entity',
      entity: node.entity,
      text: text.slice(node.start, node.end),
      children: build(text, node.children, node.start, node.end),
    });
    at = node.end;
  }
  if (end > at) out.push({ type: 'text', text: text.slice(at, end) });
  return out;
}

/** The text as nested segments: plain runs and entities holding their own segments. */
export function segmentText(text: string, entities: readonly Entity[]): Segment[] {
  return build(text, nest(text, entities), 0, text.length);
}

/** Whether a URL is one Wren opens: http, https or mailto, and well formed. */
export function isOpenableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0;
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * What a `url` entity's text opens: the text itself, with `https://` in front when it has no
 * scheme; null when that is not an http, https or mailto URL.
 */
export function urlTarget(text: string): string | null {
  const trimmed = text.trim();
  const target = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return isOpenableUrl(target) ? target : null;
}

/**
 * What a `textLink` opens (its `url`, when openable; else null) and whether its shown text
 * differs from it, so that the real target must be shown before opening it.
 */
export function textLinkTarget(text: string, url: string | null): { url: string; differs: boolean } | null {
  if (url === null || !isOpenableUrl(url)) return null;
  const shown = urlTarget(text);
  return { url, differs: shown === null || (shown !== url && text.trim() !== url) };
}
