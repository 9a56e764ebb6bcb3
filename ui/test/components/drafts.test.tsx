// Drafts live in the account's encrypted store behind the host, never in web storage.

import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/App';
import { MemoryPlatform } from '../../src/platform/memory';
import { createAppState } from '../../src/stores/app';
import { SAVE_DRAFT_AFTER_MS } from '../../src/stores/drafts';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const SETTINGS = JSON.stringify({ theme: 'dark', lang: 'en', scale: 150, notificationPreview: false });

/** Starts the app on `platform` without clearing web storage first (a restart). */
function restart(platform: MemoryPlatform) {
  let state!: ReturnType<typeof createAppState>;
  render(() => {
    state = createAppState(platform, { storage: window.localStorage, sessionStorage: window.sessionStorage });
    return <App state={state} />;
  });
  return state;
}

async function openChat(id: number) {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  return screen.findByTestId('conversation');
}

function composer(): HTMLTextAreaElement {
  return screen.getByTestId('composer') as HTMLTextAreaElement;
}

function type(text: string): void {
  fireEvent.input(composer(), { target: { value: text } });
}

async function savedDraft(platform: MemoryPlatform, chat: number): Promise<string | undefined> {
  return (await platform.chats()).find((c) => c.id === chat)?.draft;
}

/** Every value in both web storages, keys and values. */
function webStorageText(): string {
  const dump = (s: Storage): string =>
    Array.from({ length: s.length }, (_, i) => `${s.key(i) ?? ''}=${s.getItem(s.key(i) ?? '') ?? ''}`).join('\n');
  return `${dump(window.localStorage)}\n${dump(window.sessionStorage)}`;
}

afterEach(() => {
  vi.restoreAllMocks();
  window.localStorage.clear();
  window.sessionStorage.clear();
});

describe('drafts', () => {
  it('restores a draft after switching chats and back, saving it to the host on the switch', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const setDraft = vi.spyOn(platform, 'setDraft');
    await openChat(BOB);
    type('half a thought');
    await openChat(TRIP);
    // Switching does not wait for the pause in typing.
    expect(setDraft.mock.calls).toEqual([[BOB, 'half a thought']]);
    expect(composer().value).toBe('');
    await openChat(BOB);
    expect(composer().value).toBe('half a thought');
    expect(await savedDraft(platform, BOB)).toBe('half a thought');
  });

  it('saves the draft once typing pauses, and a restart brings it back from the host', async () => {
    const { platform, unmount } = renderApp({ signedInAs: 'alice' });
    const setDraft = vi.spyOn(platform, 'setDraft');
    await openChat(TRIP);
    type('who brings');
    type('who brings the tent?');
    expect(setDraft).not.toHaveBeenCalled();
    await waitFor(() => expect(setDraft).toHaveBeenCalled(), { timeout: SAVE_DRAFT_AFTER_MS * 3 });
    expect(setDraft.mock.calls).toEqual([[TRIP, 'who brings the tent?']]);

    unmount();
    restart(platform);
    await openChat(TRIP);
    expect(composer().value).toBe('who brings the tent?');
  });

  it('sending clears the saved draft at once', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    type('see you at 10');
    await waitFor(async () => expect(await savedDraft(platform, BOB)).toBe('see you at 10'), {
      timeout: SAVE_DRAFT_AFTER_MS * 3,
    });
    const setDraft = vi.spyOn(platform, 'setDraft');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(setDraft.mock.calls).toEqual([[BOB, '']]);
    expect(composer().value).toBe('');
    expect(await savedDraft(platform, BOB)).toBe('');
    await openChat(TRIP);
    await openChat(BOB);
    expect(composer().value).toBe('');
  });

  it('saves waiting drafts when the window goes away', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const setDraft = vi.spyOn(platform, 'setDraft');
    await openChat(BOB);
    type('closing soon');
    window.dispatchEvent(new Event('pagehide'));
    expect(setDraft.mock.calls).toEqual([[BOB, 'closing soon']]);
    type('closing now');
    window.dispatchEvent(new Event('beforeunload'));
    expect(setDraft.mock.calls).toEqual([
      [BOB, 'closing soon'],
      [BOB, 'closing now'],
    ]);
  });

  it('writes nothing of a draft to web storage', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    type('my secret draft');
    await waitFor(async () => expect(await savedDraft(platform, BOB)).toBe('my secret draft'), {
      timeout: SAVE_DRAFT_AFTER_MS * 3,
    });
    await openChat(TRIP);
    expect(setItem.mock.calls.filter(([, value]) => value.includes('secret'))).toEqual([]);
    expect(webStorageText()).not.toContain('secret');
  });

  it('deletes the clear-text drafts of older versions on start', async () => {
    window.localStorage.setItem('wren.drafts', JSON.stringify({ [BOB]: 'old clear text' }));
    window.localStorage.setItem('wren.settings', SETTINGS);
    restart(new MemoryPlatform({ signedInAs: 'alice' }));
    expect(window.localStorage.getItem('wren.drafts')).toBeNull();
    expect(window.localStorage.getItem('wren.settings')).toBe(SETTINGS);
    // Not migrated either.
    await openChat(BOB);
    expect(composer().value).toBe('');
  });

  it('signing out forgets the drafts and every Wren key but the settings', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice' });
    window.localStorage.setItem('wren.settings', SETTINGS);
    window.localStorage.setItem('wren.lastChat', String(BOB));
    window.localStorage.setItem('other.app', 'kept');
    window.sessionStorage.setItem('wren.search', 'tent');
    await openChat(BOB);
    type('unsaved words');
    const setDraft = vi.spyOn(platform, 'setDraft');
    fireEvent.click(screen.getByTestId('open-settings'));
    fireEvent.click(await screen.findByTestId('logout'));
    await screen.findByTestId('login-screen');

    expect(state.drafts.get(BOB)).toBe('');
    expect(state.chats.list()).toEqual([]);
    expect(window.localStorage.getItem('wren.settings')).toBe(SETTINGS);
    expect(window.localStorage.getItem('wren.lastChat')).toBeNull();
    expect(window.sessionStorage.getItem('wren.search')).toBeNull();
    expect(window.localStorage.getItem('other.app')).toBe('kept');
    // The typing pause passes after sign-out: nothing is saved any more.
    await new Promise((resolve) => setTimeout(resolve, SAVE_DRAFT_AFTER_MS + 100));
    expect(setDraft).not.toHaveBeenCalled();
  });

  it('being signed out by the host also wipes them', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice' });
    window.localStorage.setItem('wren.settings', SETTINGS);
    window.sessionStorage.setItem('wren.lastChat', String(BOB));
    await openChat(BOB);
    type('half typed');
    platform.hostEvent({ type: 'signedOut' });
    await screen.findByTestId('login-screen');
    expect(state.drafts.get(BOB)).toBe('');
    expect(window.sessionStorage.getItem('wren.lastChat')).toBeNull();
    expect(window.localStorage.getItem('wren.settings')).toBe(SETTINGS);
  });

  it('a locked profile leaves no Wren key but the settings', async () => {
    window.localStorage.setItem('wren.settings', SETTINGS);
    window.localStorage.setItem('wren.lastChat', String(BOB));
    window.sessionStorage.setItem('wren.search', 'tent');
    restart(new MemoryPlatform({ signedInAs: 'alice', passcode: '123456' }));
    await screen.findByTestId('lock-screen');
    expect(window.localStorage.getItem('wren.lastChat')).toBeNull();
    expect(window.sessionStorage.getItem('wren.search')).toBeNull();
    expect(window.localStorage.getItem('wren.settings')).toBe(SETTINGS);
  });
});
