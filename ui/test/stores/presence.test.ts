import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import type { PresenceOf } from '../../src/platform/types';
import { PRESENCE_ASK_MAX, PRESENCE_REFRESH_MS, createPresenceStore } from '../../src/stores/presence';

afterEach(() => {
  vi.useRealTimers();
});

const ALICE = 1;
const BOB = 2;
const CAROL = 3;

function store(platform = new MemoryPlatform({ signedInAs: 'alice' })) {
  return { platform, presence: createRoot(() => createPresenceStore(platform, () => ALICE)) };
}

describe('presence store', () => {
  it('asks for others only, at most 200, and takes events', async () => {
    const { platform, presence } = store();
    const asks = vi.spyOn(platform, 'presence');
    await presence.ask([ALICE, BOB, BOB, ...Array.from({ length: 300 }, (_, i) => 100 + i)]);
    const asked = asks.mock.calls[0]?.[0] ?? [];
    expect(asked).toHaveLength(PRESENCE_ASK_MAX);
    expect(asked).not.toContain(ALICE);
    expect(presence.of(BOB)).toEqual({ state: 'online' });
    expect(presence.of(ALICE)).toBeUndefined();
    presence.apply({ type: 'presence', account: BOB, presence: { state: 'hidden' } });
    expect(presence.of(BOB)).toEqual({ state: 'hidden' });
  });

  it('forgets everything on clear, and drops an answer asked for before', async () => {
    const { platform, presence } = store();
    let answer!: (found: PresenceOf[]) => void;
    vi.spyOn(platform, 'presence').mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const asking = presence.ask([BOB]);
    presence.clear();
    answer([{ account: BOB, presence: { state: 'online' } }]);
    await asking;
    expect(presence.of(BOB)).toBeUndefined();
  });

  it('follows accounts every minute until stopped', async () => {
    vi.useFakeTimers();
    const { platform, presence } = store();
    const asks = vi.spyOn(platform, 'presence');
    const stop = presence.follow(() => [CAROL]);
    expect(asks).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(PRESENCE_REFRESH_MS);
    expect(asks).toHaveBeenCalledTimes(2);
    stop();
    await vi.advanceTimersByTimeAsync(PRESENCE_REFRESH_MS * 3);
    expect(asks).toHaveBeenCalledTimes(2);
  });
});
