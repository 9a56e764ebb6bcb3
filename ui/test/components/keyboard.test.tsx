// The window from the keyboard alone: the chat list's single tab stop, switching chats from
// anywhere, dialogs that shut off the rest of the window, and the interface scale.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { TYPE_AHEAD_PAUSE_MS } from '../../src/lib/roving';
import { renderApp } from '../render';

/** The chat rows in list order: bob (pinned), Weekend trip, carol, erin. */
async function rows(): Promise<HTMLElement[]> {
  const list = await screen.findByTestId('chat-list');
  await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(4));
  return within(list).getAllByRole('option');
}

/** The rows Tab can reach. */
function tabStops(): string[] {
  return within(screen.getByTestId('chat-list'))
    .getAllByRole('option')
    .filter((row) => row.tabIndex === 0)
    .map((row) => row.dataset['testid'] ?? '');
}

function focused(): string | undefined {
  return (document.activeElement as HTMLElement | null)?.dataset['testid'];
}

function press(key: string, init: KeyboardEventInit = {}): void {
  fireEvent.keyDown(document.activeElement ?? document.body, { key, ...init });
}

function openChat(): string | undefined {
  return screen.queryByTestId('conversation')?.dataset['chat'];
}

describe('chat list keyboard', () => {
  it('is one tab stop; arrows, Home and End move focus and the tab stop with it', async () => {
    renderApp({ signedInAs: 'alice' });
    const [first] = await rows();
    expect(tabStops()).toEqual(['chat-item-1']);
    first?.focus();
    press('ArrowDown');
    expect(focused()).toBe('chat-item-2');
    expect(tabStops()).toEqual(['chat-item-2']);
    press('End');
    expect(focused()).toBe('chat-item-4');
    press('ArrowDown');
    expect(focused()).toBe('chat-item-4');
    press('Home');
    expect(focused()).toBe('chat-item-1');
    press('ArrowUp');
    expect(focused()).toBe('chat-item-1');
    expect(tabStops()).toEqual(['chat-item-1']);
  });

  it('typing the start of a title focuses that chat, and Enter opens it', async () => {
    renderApp({ signedInAs: 'alice' });
    const [first] = await rows();
    first?.focus();
    press('W');
    press('e');
    expect(focused()).toBe('chat-item-2');
    await new Promise((resolve) => setTimeout(resolve, TYPE_AHEAD_PAUSE_MS + 50));
    press('c');
    expect(focused()).toBe('chat-item-3');
    expect(openChat()).toBeUndefined();
    press('Enter');
    await waitFor(() => expect(openChat()).toBe('3'));
    expect(screen.getByTestId('chat-item-3').getAttribute('aria-selected')).toBe('true');
    expect(tabStops()).toEqual(['chat-item-3']);
  });

  it('makes the open chat the tab stop', async () => {
    renderApp({ signedInAs: 'alice' });
    const list = await rows();
    fireEvent.click(list[2] as HTMLElement);
    await waitFor(() => expect(openChat()).toBe('3'));
    expect(tabStops()).toEqual(['chat-item-3']);
  });
});

describe('switching chats from anywhere', () => {
  it('Alt+Down / Alt+Up and Ctrl+Tab / Ctrl+Shift+Tab open the next and previous chat', async () => {
    renderApp({ signedInAs: 'alice' });
    await rows();
    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(openChat()).toBe('1'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('composer')));
    press('ArrowDown', { altKey: true });
    await waitFor(() => expect(openChat()).toBe('2'));
    press('Tab', { ctrlKey: true });
    await waitFor(() => expect(openChat()).toBe('3'));
    press('Tab', { ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(openChat()).toBe('2'));
    press('ArrowUp', { altKey: true });
    await waitFor(() => expect(openChat()).toBe('1'));
    press('ArrowUp', { altKey: true });
    expect(openChat()).toBe('1');
    expect(screen.queryByTestId('editing-bar')).toBeNull();
  });
});

describe('dialogs', () => {
  it('make the rest of the window (but the live region) inert, close on Esc and give focus back', async () => {
    renderApp({ signedInAs: 'alice' });
    const opener = await screen.findByTestId('open-settings');
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByTestId('settings-dialog');
    expect(opener.closest('[inert]')).not.toBeNull();
    expect(screen.getByTestId('chat-list').closest('[inert]')).not.toBeNull();
    expect(dialog.closest('[inert]')).toBeNull();
    expect(screen.getByTestId('announcer').closest('[inert]')).toBeNull();
    expect(dialog.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
    expect(document.querySelector('[inert]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe('interface scale', () => {
  const scale = (): string => document.documentElement.style.fontSize;

  it('Ctrl+= and Ctrl+- step between 100% and 200%, Ctrl+0 resets, and the choice is kept', async () => {
    renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    expect(scale()).toBe('100%');
    fireEvent.keyDown(document.body, { key: '=', ctrlKey: true });
    expect(scale()).toBe('110%');
    fireEvent.keyDown(document.body, { key: '+', ctrlKey: true, shiftKey: true });
    expect(scale()).toBe('125%');
    fireEvent.keyDown(document.body, { key: '-', ctrlKey: true });
    expect(scale()).toBe('110%');
    for (let i = 0; i < 10; i++) fireEvent.keyDown(document.body, { key: '=', ctrlKey: true });
    expect(scale()).toBe('200%');
    expect(JSON.parse(window.localStorage.getItem('wren.settings') ?? '{}').scale).toBe(200);
    fireEvent.click(screen.getByTestId('open-settings'));
    expect(((await screen.findByTestId('settings-scale')) as HTMLSelectElement).value).toBe('200');
    fireEvent.keyDown(document.body, { key: '0', ctrlKey: true });
    expect(scale()).toBe('100%');
    for (let i = 0; i < 3; i++) fireEvent.keyDown(document.body, { key: '-', ctrlKey: true });
    expect(scale()).toBe('100%');
  });

  it('can be picked in the settings', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    fireEvent.change(await screen.findByTestId('settings-scale'), { target: { value: '150' } });
    expect(scale()).toBe('150%');
  });
});
