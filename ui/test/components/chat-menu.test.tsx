// The chat list's row menu (right-click, the ContextMenu key, Shift+F10): pinning, muting for a
// while or for ever, unmuting, archiving (see archive.test.tsx) and marking read; how a muted chat's row looks and is named.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MUTED_FOREVER, type ChatSummary } from '../../src/platform/types';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const CAROL = 3;
const HOUR = 3_600_000;

afterEach(() => {
  vi.useRealTimers();
});

function row(id: number): HTMLElement {
  return screen.getByTestId(`chat-item-${id}`);
}

/** The row's accessible name (what a screen reader says for it), as Testing Library computes it. */
function accessibleName(el: HTMLElement): string {
  let found = '';
  screen.getAllByRole('option', {
    name: (name, element) => {
      if (element === el) found = name;
      return element === el;
    },
  });
  return found;
}

function rightClick(id: number): HTMLElement {
  fireEvent.contextMenu(row(id), { clientX: 40, clientY: 60 });
  return screen.getByTestId('chat-menu');
}

function items(menu: HTMLElement): (string | undefined)[] {
  return within(menu).getAllByRole('menuitem').map((item) => item.dataset['testid']);
}

function muteMark(id: number): HTMLElement | null {
  return within(row(id)).queryByTestId('chat-muted-mark');
}

function order(): (string | undefined)[] {
  return within(screen.getByTestId('chat-list'))
    .getAllByRole('option')
    .map((el) => el.dataset['testid']);
}

async function start(options: Parameters<typeof renderApp>[0] = {}): Promise<ReturnType<typeof renderApp>> {
  const app = renderApp({ signedInAs: 'alice', ...options });
  const list = await screen.findByTestId('chat-list');
  await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(4));
  return app;
}

describe('the chat row menu', () => {
  it('opens on a right-click with what the chat allows, and closes on Esc', async () => {
    await start();
    const menu = rightClick(BOB);
    expect(menu.getAttribute('role')).toBe('menu');
    expect(menu.getAttribute('aria-label')).toBe('Chat actions');
    expect(items(menu)).toEqual([
      'chat-menu-unpin',
      'chat-menu-mute-1h',
      'chat-menu-mute-8h',
      'chat-menu-mute-2d',
      'chat-menu-mute-forever',
      'chat-menu-archive',
      'chat-menu-read',
    ]);
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Unpin',
      'Mute for 1 hour',
      'Mute for 8 hours',
      'Mute for 2 days',
      'Mute for ever',
      'Archive',
      'Mark as read',
    ]);
    expect(document.activeElement).toBe(within(menu).getAllByRole('menuitem')[0]);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(screen.queryByTestId('chat-menu')).toBeNull();

    // Carol's chat is neither pinned nor unread.
    expect(items(rightClick(CAROL))).toEqual([
      'chat-menu-pin',
      'chat-menu-mute-1h',
      'chat-menu-mute-8h',
      'chat-menu-mute-2d',
      'chat-menu-mute-forever',
      'chat-menu-archive',
    ]);
  });

  it('opens from the keyboard with Shift+F10 and the ContextMenu key; its arrows stay in the menu', async () => {
    await start();
    const trip = row(TRIP);
    trip.focus();
    fireEvent.keyDown(trip, { key: 'F10', shiftKey: true });
    const menu = screen.getByTestId('chat-menu');
    const [first, second] = within(menu).getAllByRole('menuitem');
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(second);
    fireEvent.keyDown(second as HTMLElement, { key: 'Escape' });
    expect(screen.queryByTestId('chat-menu')).toBeNull();
    expect(document.activeElement).toBe(trip);

    fireEvent.keyDown(trip, { key: 'F10' });
    expect(screen.queryByTestId('chat-menu')).toBeNull();
    fireEvent.keyDown(trip, { key: 'ContextMenu' });
    expect(items(screen.getByTestId('chat-menu'))[0]).toBe('chat-menu-pin');
  });

  it('mutes for an hour: the row shows the crossed-out bell, a grey badge and says "Muted"; Unmute undoes it', async () => {
    const { platform } = await start();
    const muted = vi.spyOn(platform, 'setChatMuted');
    expect(muteMark(BOB)).toBeNull();
    expect(accessibleName(row(BOB))).not.toContain('Muted');

    const before = Date.now();
    fireEvent.click(within(rightClick(BOB)).getByTestId('chat-menu-mute-1h'));
    expect(screen.queryByTestId('chat-menu')).toBeNull();
    await waitFor(() => expect(muteMark(BOB)).not.toBeNull());
    const [chat, until] = muted.mock.calls[0] ?? [];
    expect(chat).toBe(BOB);
    expect(until).toBeGreaterThanOrEqual(before + HOUR);
    expect(until).toBeLessThanOrEqual(Date.now() + HOUR);
    expect(muteMark(BOB)?.getAttribute('aria-hidden')).toBe('true');
    expect(muteMark(BOB)?.getAttribute('title')).toMatch(/^Muted until /);
    expect(accessibleName(row(BOB))).toContain(', 2 unread messages, Pinned, Muted');
    const badge = within(row(BOB)).getByTestId('unread-badge');
    expect(badge.classList.contains('muted')).toBe(true);
    expect(badge.textContent).toBe('2');
    expect(within(row(TRIP)).getByTestId('unread-badge').classList.contains('muted')).toBe(false);

    const menu = rightClick(BOB);
    expect(items(menu)).toEqual(['chat-menu-unpin', 'chat-menu-unmute', 'chat-menu-archive', 'chat-menu-read']);
    fireEvent.click(within(menu).getByTestId('chat-menu-unmute'));
    await waitFor(() => expect(muteMark(BOB)).toBeNull());
    expect(muted.mock.calls[1]).toEqual([BOB, null]);
    expect(accessibleName(row(BOB))).not.toContain('Muted');
    expect(within(row(BOB)).getByTestId('unread-badge').classList.contains('muted')).toBe(false);
  });

  it('mutes for ever with the largest safe integer, shown without an end', async () => {
    const { platform } = await start();
    const muted = vi.spyOn(platform, 'setChatMuted');
    fireEvent.click(within(rightClick(CAROL)).getByTestId('chat-menu-mute-forever'));
    await waitFor(() => expect(muteMark(CAROL)).not.toBeNull());
    expect(muted.mock.calls).toEqual([[CAROL, Number.MAX_SAFE_INTEGER]]);
    expect(muteMark(CAROL)?.getAttribute('title')).toBe('Muted');
    expect(accessibleName(row(CAROL)).endsWith(', Muted')).toBe(true);
  });

  it('mutes for 8 hours and 2 days', async () => {
    const { platform } = await start();
    const muted = vi.spyOn(platform, 'setChatMuted');
    const before = Date.now();
    fireEvent.click(within(rightClick(CAROL)).getByTestId('chat-menu-mute-8h'));
    await waitFor(() => expect(muteMark(CAROL)).not.toBeNull());
    fireEvent.click(within(rightClick(TRIP)).getByTestId('chat-menu-mute-2d'));
    await waitFor(() => expect(muteMark(TRIP)).not.toBeNull());
    const after = Date.now();
    const [[, eight], [, two]] = muted.mock.calls as [[number, number], [number, number]];
    expect(eight).toBeGreaterThanOrEqual(before + 8 * HOUR);
    expect(eight).toBeLessThanOrEqual(after + 8 * HOUR);
    expect(two).toBeGreaterThanOrEqual(before + 48 * HOUR);
    expect(two).toBeLessThanOrEqual(after + 48 * HOUR);
  });

  it('shows a mute that has ended as none, and one more than ten years away as for ever', async () => {
    const { platform, state } = await start();
    const summary = (): ChatSummary => state.chats.byId(CAROL) as ChatSummary;
    platform.hostEvent({ type: 'chatUpdated', chat: { ...summary(), mutedUntil: Date.now() - 1000 } });
    await waitFor(() => expect(summary().mutedUntil).not.toBeNull());
    expect(muteMark(CAROL)).toBeNull();
    expect(accessibleName(row(CAROL))).not.toContain('Muted');
    expect(items(rightClick(CAROL))).toContain('chat-menu-mute-1h');
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });

    // u64::MAX from the host, as JSON gives it to JS.
    platform.hostEvent({ type: 'chatUpdated', chat: { ...summary(), mutedUntil: JSON.parse('18446744073709551615') as number } });
    await waitFor(() => expect(muteMark(CAROL)).not.toBeNull());
    expect(muteMark(CAROL)?.getAttribute('title')).toBe('Muted');
  });

  it('shows the chat unmuted once the list clock passes the end of its mute', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], shouldAdvanceTime: true });
    await start();
    fireEvent.click(within(rightClick(CAROL)).getByTestId('chat-menu-mute-1h'));
    await waitFor(() => expect(muteMark(CAROL)).not.toBeNull());
    await vi.advanceTimersByTimeAsync(HOUR - 60_000);
    expect(muteMark(CAROL)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(90_000);
    await waitFor(() => expect(muteMark(CAROL)).toBeNull());
    expect(accessibleName(row(CAROL))).not.toContain('Muted');
  });

  it('pins and unpins from the menu', async () => {
    await start();
    expect(order()).toEqual(['chat-item-1', 'chat-item-2', 'chat-item-3', 'chat-item-4']);
    fireEvent.click(within(rightClick(CAROL)).getByTestId('chat-menu-pin'));
    await waitFor(() => expect(order()).toEqual(['chat-item-1', 'chat-item-3', 'chat-item-2', 'chat-item-4']));
    expect(within(row(CAROL)).getByTestId('pin-mark')).toBeTruthy();
    expect(accessibleName(row(CAROL))).toContain('Pinned');
    fireEvent.click(within(rightClick(CAROL)).getByTestId('chat-menu-unpin'));
    await waitFor(() => expect(order()).toEqual(['chat-item-1', 'chat-item-2', 'chat-item-3', 'chat-item-4']));
    expect(within(row(CAROL)).queryByTestId('pin-mark')).toBeNull();
  });

  it("shows the host's reason when the plan allows no more pinned chats", async () => {
    const { platform } = await start();
    const extra = await platform.createGroup('Book club', ['bob']);
    const sixth = await platform.createGroup('Choir', ['carol']);
    for (const id of [TRIP, CAROL, 4, extra.id]) await platform.setPinned(id, true);
    await screen.findByTestId(`chat-item-${sixth.id}`);
    fireEvent.click(within(rightClick(sixth.id)).getByTestId('chat-menu-pin'));
    const toast = await screen.findByTestId('error-toast');
    expect(toast.textContent).toBe('5 chats are pinned, the most the Free plan allows; Business pins 10');
    expect(within(row(sixth.id)).queryByTestId('pin-mark')).toBeNull();
  });

  it('marks a chat read: the badge goes, and the menu no longer offers it', async () => {
    await start();
    expect(within(row(BOB)).getByTestId('unread-badge').textContent).toBe('2');
    expect(document.title).toBe('Wren (5)');
    fireEvent.click(within(rightClick(BOB)).getByTestId('chat-menu-read'));
    await waitFor(() => expect(within(row(BOB)).queryByTestId('unread-badge')).toBeNull());
    expect(accessibleName(row(BOB))).not.toContain('unread');
    expect(items(rightClick(BOB))).not.toContain('chat-menu-read');
    expect(document.title).toBe('Wren (3)');
  });

  it('offers only archiving and marking read in a group this account was removed from', async () => {
    const { platform, state } = await start();
    platform.removeMe(TRIP);
    await waitFor(() => expect(state.chats.byId(TRIP)?.isMember).toBe(false));
    expect(items(rightClick(TRIP))).toEqual(['chat-menu-archive', 'chat-menu-read']);
    fireEvent.click(within(screen.getByTestId('chat-menu')).getByTestId('chat-menu-read'));
    await waitFor(() => expect(within(row(TRIP)).queryByTestId('unread-badge')).toBeNull());
    expect(items(rightClick(TRIP))).toEqual(['chat-menu-archive']);
  });

  it('works in Arabic', async () => {
    const { platform, state } = await start();
    state.settings.setLang('ar');
    const muted = vi.spyOn(platform, 'setChatMuted');
    const menu = rightClick(BOB);
    expect(menu.getAttribute('aria-label')).toBe('إجراءات المحادثة');
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'إلغاء التثبيت',
      'كتم لمدة ساعة',
      'كتم لمدة ٨ ساعات',
      'كتم لمدة يومين',
      'كتم دائمًا',
      'أرشفة',
      'تعليم كمقروءة',
    ]);
    fireEvent.click(within(menu).getByTestId('chat-menu-mute-2d'));
    await waitFor(() => expect(muteMark(BOB)).not.toBeNull());
    expect(muted.mock.calls[0]?.[0]).toBe(BOB);
    expect(accessibleName(row(BOB))).toContain('، مثبّتة، مكتومة');
    expect(muteMark(BOB)?.getAttribute('title')).toMatch(/^مكتومة حتى /);
    expect(muteMark(BOB)?.getAttribute('title')).not.toMatch(/[0-9]/);

    row(BOB).focus();
    fireEvent.keyDown(row(BOB), { key: 'F10', shiftKey: true });
    const again = screen.getByTestId('chat-menu');
    expect(within(again).getByTestId('chat-menu-unmute').textContent).toBe('إلغاء الكتم');
    fireEvent.click(within(again).getByTestId('chat-menu-read'));
    await waitFor(() => expect(within(row(BOB)).queryByTestId('unread-badge')).toBeNull());
  });
});

describe('muting from the conversation header', () => {
  it('mutes the open chat for ever and unmutes it', async () => {
    const { platform } = await start();
    const muted = vi.spyOn(platform, 'setChatMuted');
    fireEvent.click(row(CAROL));
    const toggle = await screen.findByTestId('chat-mute');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(toggle.getAttribute('aria-label')).toBe('Mute');
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-pressed')).toBe('true'));
    expect(toggle.getAttribute('title')).toBe('Unmute');
    expect(muteMark(CAROL)).not.toBeNull();
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-pressed')).toBe('false'));
    expect(muted.mock.calls).toEqual([
      [CAROL, MUTED_FOREVER],
      [CAROL, null],
    ]);
    expect(muteMark(CAROL)).toBeNull();
  });

  it('is not offered in a group this account was removed from', async () => {
    const { platform } = await start();
    fireEvent.click(row(TRIP));
    await screen.findByTestId('chat-mute');
    platform.removeMe(TRIP);
    await waitFor(() => expect(screen.queryByTestId('chat-mute')).toBeNull());
  });
});

describe('a muted chat', () => {
  it('still counts unread messages, but they are not announced unless the chat is open', async () => {
    const { platform } = await start();
    const announced = (): string[] =>
      [...screen.getByTestId('announcer').querySelectorAll('p')].map((p) => p.textContent ?? '');
    await platform.setChatMuted(TRIP, MUTED_FOREVER);
    await waitFor(() => expect(muteMark(TRIP)).not.toBeNull());
    platform.deliver(TRIP, 'carol', 'Quiet please');
    platform.deliver(CAROL, 'carol', 'Loud and clear');
    await waitFor(() => expect(announced()).toHaveLength(1));
    expect(announced()[0]).toContain('Loud and clear');
    expect(within(row(TRIP)).getByTestId('unread-badge').textContent).toBe('3');

    fireEvent.click(row(TRIP));
    await screen.findAllByTestId('message');
    platform.deliver(TRIP, 'dave', 'Seen here');
    await waitFor(() => expect(announced()).toHaveLength(2));
    expect(announced()[1]).toContain('Seen here');
  });
});
