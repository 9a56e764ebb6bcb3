// Several accounts in one app: the switcher in the sidebar header, Ctrl+1..3, the sign-in
// screen of an added account, and signing out one of several.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { MemoryPlatform, type MemoryOptions } from '../../src/platform/memory';
import { renderApp, renderOn } from '../render';

const BOB_CHAT = 1;
const THREE: MemoryOptions = { signedInAs: 'alice', moreAccounts: ['bob', 'carol'] };

function renderAccounts(options: MemoryOptions = THREE) {
  const reload = vi.fn();
  return { ...renderApp(options, { reload }), reload };
}

/** The unread messages of the accounts not active, as the host counts them. */
async function othersUnread(platform: MemoryPlatform): Promise<number> {
  return (await platform.accountSlots()).reduce((sum, slot) => (slot.active ? sum : sum + slot.unread), 0);
}

async function openMenu(): Promise<HTMLElement> {
  const button = await screen.findByTestId('account-menu');
  button.focus();
  fireEvent.click(button);
  return screen.findByTestId('account-switcher');
}

describe('account switcher', () => {
  it('shows the active account and the sum of the other accounts’ unread messages', async () => {
    const { platform } = renderAccounts();
    const button = await screen.findByTestId('account-menu');
    const expected = await othersUnread(platform);
    expect(expected).toBeGreaterThan(0);
    const badge = await screen.findByTestId('other-accounts-unread');
    expect(badge.textContent).toBe(String(expected));
    expect(button.getAttribute('aria-label')).toBe(
      `Accounts, signed in as \u2068alice\u2069, ${expected} unread messages in your other accounts`,
    );
    // A message for bob, whose account is not the active one.
    platform.deliver(BOB_CHAT, 'alice', 'for bob');
    await waitFor(() => expect(badge.textContent).toBe(String(expected + 1)));
  });

  it('shows no badge with one account, and offers to add one', async () => {
    const { platform, reload } = renderAccounts({ signedInAs: 'alice' });
    const menu = await openMenu();
    expect(screen.queryByTestId('other-accounts-unread')).toBeNull();
    expect(within(menu).getAllByRole('menuitem').map((item) => item.dataset['testid'])).toEqual([
      'account-slot-0',
      'add-account',
    ]);
    const add = within(menu).getByTestId('add-account');
    expect(add.getAttribute('aria-disabled')).toBeNull();
    const adds = vi.spyOn(platform, 'addAccount');
    fireEvent.click(add);
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(adds).toHaveBeenCalledTimes(1);
  });

  it('lists every slot in order, the active one marked, the others with their unread counts', async () => {
    const { platform } = renderAccounts();
    platform.peerSetsProfile('bob', 'Bobby');
    const menu = await openMenu();
    await waitFor(() => expect(within(menu).queryByTestId('account-slot-2')).not.toBeNull());
    const slots = [0, 1, 2].map((i) => within(menu).getByTestId(`account-slot-${i}`));
    const [alice, bob, carol] = slots as [HTMLElement, HTMLElement, HTMLElement];
    expect(document.activeElement).toBe(alice);
    expect(alice.getAttribute('aria-current')).toBe('true');
    expect(bob.getAttribute('aria-current')).toBeNull();
    expect(alice.textContent).toContain('@alice');
    expect(within(bob).getByText('Bobby')).toBeTruthy();
    expect(bob.textContent).toContain('@bob');
    expect(carol.getAttribute('aria-keyshortcuts')).toBe('Control+3');
    expect(carol.textContent).toContain('Ctrl+3');
    expect(within(alice).queryByTestId('account-slot-unread')).toBeNull();
    const hostSlots = await platform.accountSlots();
    expect(within(bob).getByTestId('account-slot-unread').textContent).toBe(String(hostSlots[1]?.unread));
    expect(bob.textContent).toContain(`${hostSlots[1]?.unread} unread messages`);
  });

  it(`disables "Add account" with three accounts, saying why`, async () => {
    const { platform } = renderAccounts();
    const menu = await openMenu();
    const add = within(menu).getByTestId('add-account');
    await waitFor(() => expect(add.getAttribute('aria-disabled')).toBe('true'));
    expect(add.getAttribute('title')).toBe('You have 3 accounts, the most Wren holds.');
    expect(add.getAttribute('aria-description')).toBe('You have 3 accounts, the most Wren holds.');
    const adds = vi.spyOn(platform, 'addAccount');
    fireEvent.click(add);
    expect(adds).not.toHaveBeenCalled();
    expect(screen.getByTestId('account-switcher')).toBeTruthy();
  });

  it('switches to the slot chosen, then reloads; the active one changes nothing', async () => {
    const { platform, reload } = renderAccounts();
    const switches = vi.spyOn(platform, 'switchAccount');
    let menu = await openMenu();
    await waitFor(() => expect(within(menu).queryByTestId('account-slot-2')).not.toBeNull());
    fireEvent.click(within(menu).getByTestId('account-slot-0'));
    expect(screen.queryByTestId('account-switcher')).toBeNull();
    menu = await openMenu();
    fireEvent.click(within(menu).getByTestId('account-slot-2'));
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(switches).toHaveBeenCalledTimes(1);
    expect(switches).toHaveBeenCalledWith('slot-3');
    expect(switches.mock.invocationCallOrder[0]).toBeLessThan(reload.mock.invocationCallOrder[0] ?? 0);
    await expect(platform.profileStatus()).resolves.toMatchObject({ account: { username: 'carol' } });
  });

  it('closes on Esc with focus back on its button', async () => {
    renderAccounts();
    const menu = await openMenu();
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByTestId('account-switcher')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('account-menu'));
  });

  it('says to end the call first when switching during one', async () => {
    const { platform, reload } = renderAccounts();
    await screen.findByTestId('chat-list');
    await platform.startCall(BOB_CHAT, false);
    const menu = await openMenu();
    await waitFor(() => expect(within(menu).queryByTestId('account-slot-1')).not.toBeNull());
    fireEvent.click(within(menu).getByTestId('account-slot-1'));
    expect((await screen.findByTestId('error-toast')).textContent).toBe('End the call first.');
    expect(reload).not.toHaveBeenCalled();
  });
});

describe('account shortcuts', () => {
  it('Ctrl+2 switches to the second account from anywhere; Ctrl+1 (the active one) does nothing', async () => {
    const { platform, reload } = renderAccounts();
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB_CHAT}`));
    const composer = await screen.findByTestId('composer');
    // The slots are loaded once the session is ready.
    await screen.findByTestId('other-accounts-unread');
    const switches = vi.spyOn(platform, 'switchAccount');
    fireEvent.keyDown(composer, { key: '1', code: 'Digit1', ctrlKey: true });
    expect(switches).not.toHaveBeenCalled();
    fireEvent.keyDown(composer, { key: '2', code: 'Digit2', ctrlKey: true });
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(switches).toHaveBeenCalledWith('slot-2');
  });
});

describe('adding an account', () => {
  it('signs in to a new slot titled "Add an account", or cancels back to the first account', async () => {
    const platform = new MemoryPlatform({ ackDelay: 40, ...THREE, moreAccounts: ['bob'] });
    await platform.addAccount();
    const reload = vi.fn();
    renderOn(platform, { reload });
    await screen.findByTestId('login-screen');
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Add an account'));
    const switches = vi.spyOn(platform, 'switchAccount');
    fireEvent.click(screen.getByTestId('cancel-add-account'));
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(switches).toHaveBeenCalledWith('slot-1');
    // The empty slot is gone.
    await expect(platform.accountSlots()).resolves.toHaveLength(2);
  });

  it('is the usual sign-in screen, without Cancel, when no other account is signed in', async () => {
    renderAccounts({});
    await screen.findByTestId('login-screen');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Sign in to Wren');
    expect(screen.queryByTestId('cancel-add-account')).toBeNull();
  });
});

describe('signing out one of several accounts', () => {
  it('names the account, and reloads into the account that takes over', async () => {
    const { platform, reload } = renderAccounts({ signedInAs: 'alice', moreAccounts: ['bob'] });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const logout = await screen.findByTestId('logout');
    await waitFor(() => expect(logout.textContent).toBe('Sign out of \u2068@alice\u2069'));
    fireEvent.click(logout);
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('login-screen')).toBeNull();
    await expect(platform.profileStatus()).resolves.toMatchObject({ account: { username: 'bob' } });
  });

  it('is a plain "Sign out" with one account, back to the sign-in screen', async () => {
    const { reload } = renderAccounts({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const logout = await screen.findByTestId('logout');
    expect(logout.textContent).toBe('Sign out');
    fireEvent.click(logout);
    await screen.findByTestId('login-screen');
    expect(reload).not.toHaveBeenCalled();
  });
});
