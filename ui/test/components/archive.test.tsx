// The archive: archiving and unarchiving from a chat row's menu, the "Archived chats" row of
// the main list, the archive view (back button, Esc), chats coming back on a new message unless
// muted, search marking archived chats, and the window title's count.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { hostError } from '../../src/platform/errors';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const CAROL = 3;

/** The accessible name of an option (what a screen reader says for it). */
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

/** The testids of a list's rows, in order. */
function rows(testId: string): (string | undefined)[] {
  return within(screen.getByTestId(testId))
    .getAllByRole('option')
    .map((el) => el.dataset['testid']);
}

function menuItem(id: number, item: string): HTMLElement {
  fireEvent.contextMenu(screen.getByTestId(`chat-item-${id}`), { clientX: 40, clientY: 60 });
  return within(screen.getByTestId('chat-menu')).getByTestId(item);
}

async function start(): Promise<ReturnType<typeof renderApp>> {
  const app = renderApp({ signedInAs: 'alice' });
  const list = await screen.findByTestId('chat-list');
  await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(4));
  return app;
}

/** Archives a chat of the list shown from its menu and waits until it has left that list. */
async function archive(id: number): Promise<void> {
  fireEvent.click(menuItem(id, 'chat-menu-archive'));
  await waitFor(() => expect(screen.queryByTestId(`chat-item-${id}`)).toBeNull());
}

describe('the archive', () => {
  it('archives from the menu: the row leaves the list, and the "Archived chats" row shows 1', async () => {
    const { platform } = await start();
    const archived = vi.spyOn(platform, 'setChatArchived');
    expect(screen.queryByTestId('archived-entry')).toBeNull();
    const item = menuItem(TRIP, 'chat-menu-archive');
    expect(item.textContent).toBe('Archive');
    fireEvent.click(item);
    await waitFor(() => expect(screen.queryByTestId(`chat-item-${TRIP}`)).toBeNull());
    expect(archived.mock.calls).toEqual([[TRIP, true]]);

    expect(rows('chat-list')).toEqual(['archived-entry', `chat-item-${BOB}`, `chat-item-${CAROL}`, 'chat-item-4']);
    const entry = screen.getByTestId('archived-entry');
    expect(within(entry).getByTestId('archived-count').textContent).toBe('1 chat');
    expect(within(entry).getByTestId('archived-unread').textContent).toBe('2');
    expect(accessibleName(entry)).toBe('Archived chats, 1 chat, 2 unread messages');
    // Not muted: its unread messages still count in the title (Bob 2, the trip 2, Erin 1).
    expect(document.title).toBe('Wren (5)');
  });

  it('opens the archive with its chats; the back button and Esc return to the main list', async () => {
    await start();
    await archive(TRIP);
    await archive(CAROL);
    expect(within(screen.getByTestId('archived-entry')).getByTestId('archived-count').textContent).toBe('2 chats');

    fireEvent.click(screen.getByTestId('archived-entry'));
    const view = screen.getByTestId('archive-view');
    expect(within(view).getByRole('heading', { name: 'Archived chats' })).toBeTruthy();
    expect(screen.queryByTestId('chat-list')).toBeNull();
    expect(rows('archive-list')).toEqual([`chat-item-${TRIP}`, `chat-item-${CAROL}`]);
    expect(screen.getByTestId('archive-list').getAttribute('aria-label')).toBe('Archived chats');
    expect(document.activeElement).toBe(screen.getByTestId(`chat-item-${TRIP}`));

    // The same list: arrows move, Enter opens.
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId(`chat-item-${CAROL}`));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId(`chat-item-${CAROL}`).getAttribute('aria-selected')).toBe('true'));

    screen.getByTestId(`chat-item-${CAROL}`).focus();
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(screen.queryByTestId('archive-view')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('archived-entry'));

    // From the keyboard: the entry is the list's tab stop now; Enter opens the archive.
    expect(screen.getByTestId('archived-entry').tabIndex).toBe(0);
    fireEvent.keyDown(screen.getByTestId('archived-entry'), { key: 'Enter' });
    expect(screen.getByTestId('archive-back').getAttribute('aria-label')).toBe('Back to all chats');
    fireEvent.click(screen.getByTestId('archive-back'));
    expect(screen.queryByTestId('archive-view')).toBeNull();
    expect(rows('chat-list')[0]).toBe('archived-entry');
    expect(document.activeElement).toBe(screen.getByTestId('archived-entry'));
  });

  it('brings an archived chat that is not muted back to the main list when the peer writes', async () => {
    const { platform } = await start();
    await archive(CAROL);
    platform.deliver(CAROL, 'carol', 'Are you there?');
    await waitFor(() => expect(screen.getByTestId(`chat-item-${CAROL}`)).toBeTruthy());
    // Under the pinned chat with Bob, as the newest.
    expect(rows('chat-list').slice(0, 2)).toEqual([`chat-item-${BOB}`, `chat-item-${CAROL}`]);
    expect(screen.queryByTestId('archived-entry')).toBeNull();
    expect(document.title).toBe('Wren (6)');
  });

  it('keeps a muted archived chat in the archive, out of the title count, with a grey badge', async () => {
    const { platform } = await start();
    fireEvent.click(menuItem(CAROL, 'chat-menu-mute-forever'));
    await waitFor(() => expect(within(screen.getByTestId(`chat-item-${CAROL}`)).queryByTestId('chat-muted-mark')).not.toBeNull());
    await archive(CAROL);
    expect(document.title).toBe('Wren (5)');

    platform.deliver(CAROL, 'carol', 'Are you there?');
    const unread = await screen.findByTestId('archived-unread');
    expect(unread.textContent).toBe('1');
    expect(unread.classList.contains('muted')).toBe(true);
    expect(screen.queryByTestId(`chat-item-${CAROL}`)).toBeNull();
    expect(document.title).toBe('Wren (5)');

    fireEvent.click(screen.getByTestId('archived-entry'));
    expect(within(screen.getByTestId(`chat-item-${CAROL}`)).getByTestId('unread-badge').textContent).toBe('1');
  });

  it('unarchives from the menu inside the archive view; once empty, the main list comes back', async () => {
    const { platform } = await start();
    const archived = vi.spyOn(platform, 'setChatArchived');
    await archive(TRIP);
    await archive(CAROL);
    fireEvent.click(screen.getByTestId('archived-entry'));

    const item = menuItem(TRIP, 'chat-menu-unarchive');
    expect(item.textContent).toBe('Unarchive');
    fireEvent.click(item);
    await waitFor(() => expect(rows('archive-list')).toEqual([`chat-item-${CAROL}`]));
    expect(archived.mock.calls.at(-1)).toEqual([TRIP, false]);

    screen.getByTestId(`chat-item-${CAROL}`).focus();
    fireEvent.click(menuItem(CAROL, 'chat-menu-unarchive'));
    await waitFor(() => expect(screen.queryByTestId('archive-view')).toBeNull());
    expect(rows('chat-list')).toEqual([`chat-item-${BOB}`, `chat-item-${TRIP}`, `chat-item-${CAROL}`, 'chat-item-4']);
    expect(screen.queryByTestId('archived-entry')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId(`chat-item-${BOB}`)));
  });

  it('shows why archiving failed in the error toast', async () => {
    const { platform } = await start();
    vi.spyOn(platform, 'setChatArchived').mockRejectedValueOnce(hostError('network', 'You are offline'));
    fireEvent.click(menuItem(TRIP, 'chat-menu-archive'));
    expect((await screen.findByTestId('error-toast')).textContent).toContain('You are offline');
    expect(screen.getByTestId(`chat-item-${TRIP}`)).toBeTruthy();
  });

  it('still finds archived chats in search, marked "Archived"', async () => {
    await start();
    await archive(CAROL);
    fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'carol' } });
    const results = await screen.findByTestId('search-results');
    const carol = await within(results).findByTestId(`chat-item-${CAROL}`);
    expect(within(carol).getByTestId('chat-archived-mark').textContent).toBe('Archived');
    expect(accessibleName(carol)).toMatch(/^carol, ?Archived,/);
    expect(within(within(results).getByTestId(`chat-item-${TRIP}`)).queryByTestId('chat-archived-mark')).toBeNull();
  });
});
