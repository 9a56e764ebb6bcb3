import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { MemoryPlatform, type MemoryOptions } from '../../src/platform/memory';
import { createAccountsStore } from '../../src/stores/accounts';
import type { Phase } from '../../src/stores/session';

/** Lets the host's answers and events arrive. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function store(options: MemoryOptions = { signedInAs: 'alice', moreAccounts: ['bob', 'carol'] }) {
  const platform = new MemoryPlatform(options);
  const reload = vi.fn();
  const leave = vi.fn(() => Promise.resolve());
  const [phase, setPhase] = createSignal<Phase>('loading');
  const accounts = createRoot(() => createAccountsStore(platform, phase, { reload, leave }));
  return { platform, reload, leave, setPhase, accounts };
}

const usernames = (slots: readonly { account: { username: string } | null }[]): (string | undefined)[] =>
  slots.map((slot) => slot.account?.username);

describe('accounts store', () => {
  it('loads the slots once the session is ready or signed out, and forgets them while locked', async () => {
    const { platform, setPhase, accounts } = store();
    const asks = vi.spyOn(platform, 'accountSlots');
    await settle();
    expect(asks).not.toHaveBeenCalled();
    setPhase('ready');
    await settle();
    expect(usernames(accounts.slots())).toEqual(['alice', 'bob', 'carol']);
    expect(accounts.slots()[0]?.active).toBe(true);
    setPhase('locked');
    expect(accounts.slots()).toEqual([]);
    await settle();
    expect(asks).toHaveBeenCalledTimes(1);
    setPhase('signedOut');
    await settle();
    expect(asks).toHaveBeenCalledTimes(2);
    expect(accounts.slots()).toHaveLength(3);
  });

  it('follows the host’s changes, and sums the other accounts’ unread messages', async () => {
    const { platform, setPhase, accounts } = store({ signedInAs: 'bob', moreAccounts: ['alice'] });
    setPhase('ready');
    const stop = accounts.start();
    await settle();
    const alice = (): number => accounts.slots().find((slot) => slot.account?.username === 'alice')?.unread ?? -1;
    const before = alice();
    expect(accounts.othersUnread()).toBe(before);
    platform.deliver(1, 'bob', 'hi alice');
    await settle();
    expect(alice()).toBe(before + 1);
    expect(accounts.othersUnread()).toBe(before + 1);
    expect(accounts.otherSignedIn()?.account?.username).toBe('alice');
    // Not while locked.
    setPhase('locked');
    platform.deliver(1, 'bob', 'again');
    await settle();
    expect(accounts.slots()).toEqual([]);
    stop();
  });

  it('switches to a slot by its place, saving what belongs to the account left, then reloads', async () => {
    const { platform, reload, leave, setPhase, accounts } = store();
    setPhase('ready');
    await settle();
    const switches = vi.spyOn(platform, 'switchAccount');
    await accounts.switchToIndex(1);
    expect(leave).toHaveBeenCalledTimes(1);
    expect(switches).toHaveBeenCalledWith('slot-2');
    expect(leave.mock.invocationCallOrder[0]).toBeLessThan(switches.mock.invocationCallOrder[0] ?? 0);
    expect(reload).toHaveBeenCalledTimes(1);
    await expect(platform.profileStatus()).resolves.toMatchObject({ account: { username: 'bob' } });
  });

  it('starts again from the account the host made active on its own, and only once after its own switch', async () => {
    const { platform, reload, setPhase, accounts } = store({ signedInAs: 'alice', moreAccounts: ['bob'] });
    setPhase('ready');
    const stop = accounts.start();
    await settle();
    // A click on a notification for bob: the host switches, the page must follow.
    await platform.switchAccount('slot-2');
    await settle();
    expect(reload).toHaveBeenCalledTimes(1);
    // A switch asked for here reloads once, not again for the host's news of it.
    await accounts.switchToIndex(0);
    await settle();
    expect(reload).toHaveBeenCalledTimes(2);
    stop();
  });

  it('ignores the active slot and places without a slot', async () => {
    const { platform, reload, setPhase, accounts } = store({ signedInAs: 'alice', moreAccounts: ['bob'] });
    setPhase('ready');
    await settle();
    const switches = vi.spyOn(platform, 'switchAccount');
    await accounts.switchToIndex(0);
    await accounts.switchToIndex(2);
    await accounts.switchToIndex(-1);
    expect(switches).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('adds a slot, then reloads; a refusal reloads nothing', async () => {
    const { platform, reload, setPhase, accounts } = store({ signedInAs: 'alice' });
    setPhase('ready');
    await settle();
    await accounts.add();
    expect(reload).toHaveBeenCalledTimes(1);
    await expect(platform.accountSlots()).resolves.toHaveLength(2);

    const full = store();
    full.setPhase('ready');
    await settle();
    await expect(full.accounts.add()).rejects.toMatchObject({ code: 'invalid' });
    await expect(full.accounts.switchTo('slot-9')).rejects.toMatchObject({ code: 'not_found' });
    expect(full.reload).not.toHaveBeenCalled();
  });

  it('switches once when asked again before the first switch is done', async () => {
    const { platform, reload, setPhase, accounts } = store();
    setPhase('ready');
    await settle();
    const switches = vi.spyOn(platform, 'switchAccount');
    await Promise.all([accounts.switchToIndex(1), accounts.switchToIndex(2)]);
    expect(switches).toHaveBeenCalledTimes(1);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
