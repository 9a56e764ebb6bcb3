// Muting a chat: the lengths the chat menu offers, when each one ends, and whether a chat is
// muted at a given time.

import { MUTED_FOREVER } from '../platform/types';

/** How long the chat menu mutes a chat for. */
export type MuteLength = '1h' | '8h' | '2d' | 'forever';

/** The lengths the chat menu offers, shortest first. */
export const MUTE_LENGTHS: readonly MuteLength[] = ['1h', '8h', '2d', 'forever'];

const HOUR_MS = 3_600_000;

const LENGTH_MS: Record<Exclude<MuteLength, 'forever'>, number> = {
  '1h': HOUR_MS,
  '8h': 8 * HOUR_MS,
  '2d': 48 * HOUR_MS,
};

/** A mute ending further ahead than this (ten years) is a mute for ever. */
export const FOREVER_AFTER_MS = 10 * 366 * 24 * HOUR_MS;

/** The `until` of `setChatMuted` for a mute of `length` starting at `now`. */
export function muteEnd(length: MuteLength, now: number): number {
  return length === 'forever' ? MUTED_FOREVER : now + LENGTH_MS[length];
}

/** Whether a chat whose mute ends at `mutedUntil` (null: none) is muted at `now`. */
export function isMuted(mutedUntil: number | null, now: number): boolean {
  return mutedUntil !== null && mutedUntil > now;
}

/** Whether that mute has, for all purposes, no end (it is more than ten years away). */
export function isMutedForever(mutedUntil: number | null, now: number): boolean {
  return mutedUntil !== null && mutedUntil - now > FOREVER_AFTER_MS;
}
