// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { FOREVER_AFTER_MS, MUTE_LENGTHS, isMuted, isMutedForever, muteEnd } from '../../src/lib/mute';
import { MUTED_FOREVER } from '../../src/platform/types';

const now = 1_767_225_600_000;
const HOUR = 3_600_000;

describe('muting', () => {
  it('ends a mute after 1 hour, 8 hours or 2 days, or never', () => {
    expect(MUTE_LENGTHS.map((length) => muteEnd(length, now))).toEqual([
      now + HOUR,
      now + 8 * HOUR,
      now + 48 * HOUR,
      Number.MAX_SAFE_INTEGER,
    ]);
  });

  it('counts a chat as muted until its mute ends, not after', () => {
    expect(isMuted(null, now)).toBe(false);
    expect(isMuted(now + 1, now)).toBe(true);
    expect(isMuted(now, now)).toBe(false);
    expect(isMuted(now - HOUR, now)).toBe(false);
  });

  it('takes a mute more than ten years away, however JSON rounded it, as for ever', () => {
    expect(FOREVER_AFTER_MS).toBeGreaterThanOrEqual(10 * 365 * 24 * HOUR);
    expect(isMutedForever(MUTED_FOREVER, now)).toBe(true);
    // u64::MAX as JSON reads as 2^64 in JS.
    expect(isMutedForever(JSON.parse('18446744073709551615') as number, now)).toBe(true);
    expect(isMuted(JSON.parse('18446744073709551615') as number, now)).toBe(true);
    expect(isMutedForever(now + FOREVER_AFTER_MS + 1, now)).toBe(true);
    expect(isMutedForever(now + 48 * HOUR, now)).toBe(false);
    expect(isMutedForever(now + 365 * 24 * HOUR, now)).toBe(false);
    expect(isMutedForever(null, now)).toBe(false);
  });
});
