// @vitest-environment node
// The in-memory host's account slots: adding, switching, signing out with other accounts.

import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { MAX_ACCOUNTS, type AccountSlot } from '../../src/platform/types';

const SERVER = 'http://127.0.0.1:8080';
const BOB_CHAT = 1;

/** Who is signed in in each slot, the active one marked with a star. */
async function who(host: MemoryPlatform): Promise<string[]> {
  return (await host.accountSlots()).map((slot) => `${slot.account?.username ?? '-'}${slot.active ? '*' : ''}`);
}

describe('memory host account slots', () => {
  it('starts with one slot holding the signed-in account', async () => {
    await expect(new MemoryPlatform().accountSlots()).resolves.toEqual([
      { id: 'slot-1', account: null, unread: 0, active: true },
    ]);
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const unread = (await host.chats()).reduce((sum, chat) => sum + chat.unreadCount, 0);
    expect(unread).toBeGreaterThan(0);
    await expect(host.accountSlots()).resolves.toEqual([
      { id: 'slot-1', account: expect.objectContaining({ username: 'alice' }), unread, active: true },
    ]);
  });

  it(`adds empty active slots up to ${MAX_ACCOUNTS}, and refuses one more`, async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await host.addAccount();
    expect(await who(host)).toEqual(['alice', '-*']);
    await expect(host.profileStatus()).resolves.toMatchObject({ account: null });
    await expect(host.chats()).rejects.toMatchObject({ code: 'unauthorized' });
    await host.login(SERVER, 'bob', 'password', false);
    await host.addAccount();
    await host.login(SERVER, 'carol', 'password', false);
    expect(await who(host)).toEqual(['alice', 'bob', 'carol*']);
    await expect(host.addAccount()).rejects.toMatchObject({ code: 'invalid' });
    expect(await who(host)).toEqual(['alice', 'bob', 'carol*']);
  });

  it('switches the signed-in account with the active slot', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', moreAccounts: ['bob'] });
    const [, bob] = await host.accountSlots();
    await host.switchAccount(bob?.id ?? '');
    expect(await who(host)).toEqual(['alice', 'bob*']);
    await expect(host.profileStatus()).resolves.toMatchObject({ account: { username: 'bob' } });
    expect((await host.chats()).find((c) => c.id === BOB_CHAT)?.title).toBe('alice');
    await host.switchAccount('slot-1');
    await expect(host.profileStatus()).resolves.toMatchObject({ account: { username: 'alice' } });
    await expect(host.switchAccount('slot-9')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('removes a slot left before it was signed in', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await host.addAccount();
    expect(await who(host)).toEqual(['alice', '-*']);
    await host.switchAccount('slot-1');
    expect(await who(host)).toEqual(['alice*']);
    // Adding from an empty slot leaves it too.
    await host.addAccount();
    const [, empty] = await host.accountSlots();
    await host.addAccount();
    const ids = (await host.accountSlots()).map((slot) => slot.id);
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(empty?.id);
  });

  it('signs out only the active account: the first other one takes over, the last one stays as a slot', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', moreAccounts: ['bob', 'carol'] });
    await host.switchAccount('slot-2');
    await host.logout();
    expect(await who(host)).toEqual(['alice*', 'carol']);
    await expect(host.profileStatus()).resolves.toMatchObject({ account: { username: 'alice' } });
    await host.logout();
    await host.logout();
    expect(await who(host)).toEqual(['-*']);
    await expect(host.profileStatus()).resolves.toMatchObject({ account: null });
  });

  it('counts each account’s unread messages and tells of changes', async () => {
    const host = new MemoryPlatform({ signedInAs: 'bob', moreAccounts: ['alice'] });
    const heard: AccountSlot[][] = [];
    const stop = host.onAccountSlots((slots) => heard.push(slots));
    const aliceUnread = (slots: AccountSlot[] | undefined): number | undefined =>
      slots?.find((slot) => slot.account?.username === 'alice')?.unread;
    const before = aliceUnread(await host.accountSlots()) ?? 0;
    host.deliver(BOB_CHAT, 'bob', 'from bob to alice');
    await Promise.resolve();
    expect(aliceUnread(heard.at(-1))).toBe(before + 1);
    stop();
    await host.addAccount();
    await Promise.resolve();
    expect(heard).toHaveLength(1);
  });

  it('refuses while locked, and during a call', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', moreAccounts: ['bob'], passcode: '123456' });
    await expect(host.accountSlots()).rejects.toMatchObject({ code: 'locked' });
    await expect(host.addAccount()).rejects.toMatchObject({ code: 'locked' });
    await expect(host.switchAccount('slot-2')).rejects.toMatchObject({ code: 'locked' });
    await host.unlock('123456');
    await host.startCall(BOB_CHAT, false);
    await expect(host.switchAccount('slot-2')).rejects.toMatchObject({ code: 'busy' });
    await expect(host.addAccount()).rejects.toMatchObject({ code: 'busy' });
    expect(await who(host)).toEqual(['alice*', 'bob']);
  });
});
