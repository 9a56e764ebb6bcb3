// @vitest-environment node
// WCAG 2.2 AA colour contrast of the theme variables in the stylesheet: 4.5:1 for text,
// 3:1 for icons, in the light and the dark theme.

import { describe, expect, it } from 'vitest';
import css from '../../src/styles/app.css?raw';

type Rgb = [number, number, number];

/** The custom properties set in the rule for `selector` (the first rule with exactly that selector). */
function variables(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  const body = css.slice(start, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]));
}

const light = variables(':root');
const dark = new Map([...light, ...variables(":root[data-theme='dark']")]);

/** The colours of sender names (`.avatar-text-N`) under `prefix` ('' for the light theme). */
function senderColours(prefix: string): Map<string, string> {
  const rules = css.matchAll(/^(.*)\.avatar-text-(\d) \{ color: (#[0-9a-f]+); \}$/gim);
  return new Map([...rules].filter((m) => m[1] === prefix).map((m) => [m[2] ?? '', m[3] ?? '']));
}

function parse(value: string): { rgb: Rgb; alpha: number } {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1];
  if (hex !== undefined) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    const rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
    return { rgb, alpha: 1 };
  }
  const rgba = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)$/.exec(value);
  if (rgba === null) throw new Error(`not a colour: ${value}`);
  return { rgb: [Number(rgba[1]), Number(rgba[2]), Number(rgba[3])], alpha: Number(rgba[4]) };
}

/** The colour of variable `name` as shown over the opaque colour `under`. */
function shown(theme: Map<string, string>, name: string, under?: Rgb): Rgb {
  const value = theme.get(name);
  if (value === undefined) throw new Error(`no ${name}`);
  const { rgb, alpha } = parse(value);
  if (alpha === 1) return rgb;
  if (under === undefined) throw new Error(`${name} is translucent`);
  return rgb.map((c, i) => c * alpha + (under[i] ?? 0) * (1 - alpha)) as Rgb;
}

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function ratio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [what, foreground, background, minimum ratio] */
const PAIRS: [string, string, string, number][] = [
  ['selected chat title and time', '--text-on-active', '--bg-active', 4.5],
  ['secondary text', '--text-muted', '--bg', 4.5],
  ['secondary text on soft backgrounds', '--text-muted', '--bg-soft', 4.5],
  ['secondary text on a hovered row', '--text-muted', '--bg-hover', 4.5],
  ['accent text (headings, buttons)', '--accent', '--bg', 4.5],
  ['accent text on buttons', '--accent', '--bg-soft', 4.5],
  ['text on accent buttons and segments', '--accent-text', '--accent', 4.5],
  ['unread badge', '--accent-text', '--badge-unread', 4.5],
  ['unread badge of a muted chat', '--accent-text', '--badge-muted', 4.5],
  ['time in an incoming bubble', '--meta-in', '--bubble-in', 4.5],
  ['time in an outgoing bubble', '--meta-out', '--bubble-out', 4.5],
  ['ticks', '--tick', '--bubble-out', 3],
  ['errors', '--danger', '--bg', 4.5],
  ['danger buttons', '--danger', '--bg-soft', 4.5],
  ['pin icon', '--badge', '--bg', 3],
];

describe.each([
  ['light', light],
  ['dark', dark],
])('%s theme contrast', (_name, theme) => {
  it.each(PAIRS)('%s', (_what, fg, bg, minimum) => {
    expect(ratio(shown(theme, fg), shown(theme, bg))).toBeGreaterThanOrEqual(minimum);
  });

  it('sender names in incoming bubbles', () => {
    const names = new Map([...senderColours(''), ...(theme === dark ? senderColours(":root[data-theme='dark'] ") : [])]);
    expect(names.size).toBe(8);
    const bubble = shown(theme, '--bubble-in');
    for (const [n, colour] of names) expect(ratio(parse(colour).rgb, bubble), `.avatar-text-${n}`).toBeGreaterThanOrEqual(4.5);
  });

  it('day separators and the "select a chat" pill', () => {
    const pill = shown(theme, '--pill-bg', shown(theme, '--chat-bg'));
    expect(ratio(shown(theme, '--pill-text'), pill)).toBeGreaterThanOrEqual(4.5);
  });
});
