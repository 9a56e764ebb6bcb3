import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import type { CoreEvent } from '../../src/platform/types';

const BOB = 2;
const DAVE = 4;

describe('presence on the in-memory server', () => {
  it('shows presence to everybody, to contacts (a direct chat) only, or to nobody', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.presence([BOB, DAVE])).resolves.toEqual([
      { account: BOB, presence: { state: 'online' } },
      { account: DAVE, presence: { state: 'lastSeen', at: expect.any(Number) } },
    ]);
    // Dave shares only a group with alice: not a contact.
    host.peerSetsLastSeen('dave', 'contacts');
    host.peerSetsLastSeen('bob', 'contacts');
    await expect(host.presence([BOB, DAVE])).resolves.toEqual([
      { account: BOB, presence: { state: 'online' } },
      { account: DAVE, presence: { state: 'hidden' } },
    ]);
    host.peerSetsLastSeen('bob', 'nobody');
    await expect(host.presence([BOB])).resolves.toEqual([{ account: BOB, presence: { state: 'hidden' } }]);
  });

  it('hides everyone from whoever hides their own, and leaves the asker out', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.setLastSeen('nobody')).resolves.toEqual({ groupAdds: 'everybody', lastSeen: 'nobody' });
    await expect(host.presence([1, BOB])).resolves.toEqual([{ account: BOB, presence: { state: 'hidden' } }]);
    await expect(host.privacy(null)).resolves.toEqual({ groupAdds: 'everybody', lastSeen: 'nobody' });
  });

  it('tells the signed-in account when someone it shares a chat with comes and goes', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events: CoreEvent[] = [];
    host.onEvent((event) => events.push(event));
    host.peerPresence('bob', 1_000);
    host.peerPresence('dave', 'online');
    await Promise.resolve();
    expect(events).toEqual([
      { type: 'presence', account: BOB, presence: { state: 'lastSeen', at: 1_000 } },
      { type: 'presence', account: DAVE, presence: { state: 'online' } },
    ]);
    await expect(host.presence([BOB])).resolves.toEqual([{ account: BOB, presence: { state: 'lastSeen', at: 1_000 } }]);
  });
});
