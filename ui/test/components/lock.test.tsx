// Locking (issue #12): Ctrl+L and the auto-lock setting close the profile, and nothing of the
// chats stays in the page or in memory until the passcode is entered again.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MemoryPlatform } from '../../src/platform/memory';
import { renderApp } from '../render';

const PASSCODE = '123456';
const BOB = 1;
/** Seeded text that shows in the chat list (bob's last message) and in his chat. */
const LAST_FROM_BOB = 'Also: can you send me the photos from last time?';
const SEEDED_TEXTS = [LAST_FROM_BOB, 'Just saw it. Great news!', 'Leaving at 9 sharp, please be on time', 'Weekend trip'];
const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function fill(testId: string, value: string): void {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

async function unlock(passcode: string): Promise<void> {
  fill('lock-passcode', passcode);
  fireEvent.submit(screen.getByTestId('lock-submit').closest('form') as HTMLFormElement);
}

/** Starts on a profile locked with PASSCODE, unlocks it and opens bob's chat. */
async function startUnlocked() {
  const rendered = renderApp({ signedInAs: 'alice', passcode: PASSCODE });
  await screen.findByTestId('lock-screen');
  await unlock(PASSCODE);
  await openBob();
  return rendered;
}

async function openBob(): Promise<void> {
  fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
  await within(await screen.findByTestId('conversation')).findByText(LAST_FROM_BOB);
}

function pressCtrlL(): void {
  fireEvent.keyDown(document.activeElement ?? document.body, { key: 'l', ctrlKey: true });
}

function typeDraft(text: string): void {
  fireEvent.input(screen.getByTestId('composer'), { target: { value: text } });
}

async function chooseAutoLock(seconds: string): Promise<void> {
  fireEvent.click(screen.getByTestId('open-settings'));
  const select = (await screen.findByTestId('settings-auto-lock')) as HTMLSelectElement;
  expect(select.disabled).toBe(false);
  fireEvent.change(select, { target: { value: seconds } });
  fireEvent.click(screen.getByTestId('dialog-close'));
  expect(screen.queryByTestId('settings-dialog')).toBeNull();
}

async function savedDraft(platform: MemoryPlatform, chat: number): Promise<string | undefined> {
  return (await platform.chats()).find((c) => c.id === chat)?.draft;
}

function expectLockedAndEmpty(): void {
  expect(screen.getByTestId('lock-screen')).toBeTruthy();
  expect(screen.queryByTestId('main-screen')).toBeNull();
  const page = document.body.textContent ?? '';
  for (const text of SEEDED_TEXTS) expect(page).not.toContain(text);
}

describe('Ctrl+L', () => {
  it('saves the draft, locks, and leaves no chat, message, search result or dialog behind', async () => {
    const { platform, state } = await startUnlocked();
    const setDraft = vi.spyOn(platform, 'setDraft');
    const lock = vi.spyOn(platform, 'lock');
    typeDraft('half a thought');
    fill('search-input', 'forecast');
    await screen.findByTestId('search-hit');
    fireEvent.click(screen.getByTestId('open-settings'));
    await screen.findByTestId('settings-dialog');

    pressCtrlL();
    await screen.findByTestId('lock-screen');

    expectLockedAndEmpty();
    expect(document.activeElement).toBe(screen.getByTestId('lock-passcode'));
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
    expect(screen.queryByTestId('search-hit')).toBeNull();
    expect(document.title).toBe('Wren');
    // The draft reached the host before the profile was closed.
    expect(setDraft).toHaveBeenCalledWith(BOB, 'half a thought');
    expect(setDraft.mock.invocationCallOrder[0]).toBeLessThan(lock.mock.invocationCallOrder[0] ?? 0);
    // Nothing of the account in memory either.
    expect(state.chats.list()).toEqual([]);
    expect(state.drafts.get(BOB)).toBe('');
    expect(state.activeChat()).toBeNull();
    expect(state.dialog()).toBeNull();
    expect(state.announcer.items()).toEqual([]);
    // The host is locked: it answers nothing but the passcode.
    await expect(platform.chats()).rejects.toMatchObject({ code: 'locked' });
  });

  it('keeps what arrives while locked out of memory, and shows the chats again after the passcode', async () => {
    const { platform, state } = await startUnlocked();
    typeDraft('half a thought');
    pressCtrlL();
    await screen.findByTestId('lock-screen');
    platform.deliver(BOB, 'bob', 'sent while locked');
    await Promise.resolve();
    await Promise.resolve();
    expect(state.chats.list()).toEqual([]);

    await unlock('000000');
    expect((await screen.findByTestId('lock-error')).textContent).toBe('Wrong passcode.');
    expectLockedAndEmpty();

    await unlock(PASSCODE);
    const list = await screen.findByTestId('chat-list');
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(4));
    await openBob();
    expect(await within(screen.getByTestId('conversation')).findByText('sent while locked')).toBeTruthy();
    expect((screen.getByTestId('composer') as HTMLTextAreaElement).value).toBe('half a thought');
  });

  it('without a passcode does not lock, says why, and loses nothing', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice' });
    await openBob();
    typeDraft('do not lose me');
    pressCtrlL();

    expect((await screen.findByTestId('error-toast')).textContent).toBe('Set a passcode in Settings to lock Wren.');
    expect(screen.queryByTestId('lock-screen')).toBeNull();
    expect(within(screen.getByTestId('conversation')).getByText(LAST_FROM_BOB)).toBeTruthy();
    expect((screen.getByTestId('composer') as HTMLTextAreaElement).value).toBe('do not lose me');
    expect(state.chats.list().length).toBe(4);
    expect(state.drafts.get(BOB)).toBe('do not lose me');
    expect(await savedDraft(platform, BOB)).toBe('do not lose me');
    await expect(platform.chats()).resolves.toHaveLength(4);
  });
});

describe('auto-lock', () => {
  it('can only be chosen once the profile has a passcode, and is off by default', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const select = (await screen.findByTestId('settings-auto-lock')) as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.value).toBe('0');
    expect([...select.options].map((o) => o.value)).toEqual(['0', '60', '300', '900', '3600', '28800']);
    fill('settings-passcode', PASSCODE);
    fireEvent.click(screen.getByTestId('settings-passcode-set'));
    await waitFor(() => expect(select.disabled).toBe(false));
    fireEvent.click(screen.getByTestId('settings-passcode-remove'));
    await waitFor(() => expect(select.disabled).toBe(true));
  });

  it('locks after the chosen idle time, not before', async () => {
    await startUnlocked();
    vi.useFakeTimers();
    await chooseAutoLock('300');
    expect(JSON.parse(window.localStorage.getItem('wren.settings') ?? '{}')).toMatchObject({ autoLock: 300 });

    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
    expect(screen.getByTestId('main-screen')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    await screen.findByTestId('lock-screen');
    expectLockedAndEmpty();

    await unlock(PASSCODE);
    await screen.findByTestId('chat-list');
    expect(screen.queryByTestId('lock-screen')).toBeNull();
  });

  it('starts the wait again on keyboard, pointer and wheel input', async () => {
    await startUnlocked();
    vi.useFakeTimers();
    await chooseAutoLock('60');
    const inputs = [
      () => fireEvent.keyDown(document.body, { key: 'a' }),
      () => fireEvent.pointerMove(document.body),
      () => fireEvent.pointerDown(screen.getByTestId('conversation')),
      () => fireEvent.wheel(screen.getByTestId('conversation')),
    ];
    for (const input of inputs) {
      await vi.advanceTimersByTimeAsync(MINUTE - 1000);
      input();
    }
    await vi.advanceTimersByTimeAsync(MINUTE - 1000);
    expect(screen.getByTestId('main-screen')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(1000);
    vi.useRealTimers();
    await screen.findByTestId('lock-screen');
  });

  it('never locks when off', async () => {
    await startUnlocked();
    vi.useFakeTimers();
    await chooseAutoLock('60');
    await chooseAutoLock('0');
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE);
    expect(screen.getByTestId('main-screen')).toBeTruthy();
    expect(screen.queryByTestId('lock-screen')).toBeNull();
  });
});
