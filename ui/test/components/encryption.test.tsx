// End-to-end encryption in the window: the lock in the chat header, the safety number and
// its verified mark, the warning when a verified number changed, and messages this device
// could not decrypt.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const BOB_ID = 2;
const FSI = '\u2068';
const PDI = '\u2069';
const REASON = "sent before this device joined the chat's encryption";

async function openChat(id: number): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  return screen.findByTestId('conversation');
}

/** Through the chat info, focusing what is clicked as a browser does. */
async function openSafetyNumber(): Promise<HTMLElement> {
  const info = screen.getByTestId('open-chat-info');
  info.focus();
  fireEvent.click(info);
  const open = await screen.findByTestId('safety-number-open');
  open.focus();
  fireEvent.click(open);
  return screen.findByTestId('safety-number-dialog');
}

function header(): HTMLElement {
  return screen.getByTestId('conversation').querySelector('header') as HTMLElement;
}

function announced(): string[] {
  return [...screen.getByTestId('announcer').querySelectorAll('p')].map((p) => p.textContent ?? '');
}

describe('the lock mark', () => {
  it('appears once this device is in the chat’s encryption group, and not before', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice', encryption: false });
    await openChat(BOB);
    const pending = await within(header()).findByTestId('chat-encryption-pending');
    expect(pending.getAttribute('aria-label')).toBe('Setting up encryption…');
    expect(screen.queryByTestId('chat-lock')).toBeNull();

    platform.startEncryption(BOB);

    const lock = await within(header()).findByTestId('chat-lock');
    expect(lock.getAttribute('role')).toBe('img');
    expect(lock.getAttribute('aria-label')).toBe('End-to-end encrypted');
    expect(lock.getAttribute('title')).toBe('End-to-end encrypted');
    expect(screen.queryByTestId('chat-encryption-pending')).toBeNull();
    // The title itself is unchanged: the marks sit beside it.
    expect(screen.getByTestId('conversation-title').textContent).toBe('bob');

    state.settings.setLang('ar');
    await waitFor(() => expect(lock.getAttribute('aria-label')).toBe('مشفّرة تشفيرًا تامًا بين الطرفين'));
  });

  it('follows the open chat: another chat not yet encrypted shows no lock', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', encryption: false });
    platform.startEncryption(BOB);
    await openChat(BOB);
    await within(header()).findByTestId('chat-lock');
    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(TRIP)));
    await within(header()).findByTestId('chat-encryption-pending');
    expect(screen.queryByTestId('chat-lock')).toBeNull();
  });
});

describe('the safety number', () => {
  it('shows the digits exactly as the host gives them, and toggles the verified mark', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await within(await openChat(BOB)).findAllByTestId('message');
    const expected = (await platform.safetyNumber(BOB_ID, null)).digits;
    const calls = vi.spyOn(platform, 'safetyNumber');
    const dialog = await openSafetyNumber();

    const digits = await within(dialog).findByTestId('safety-number-digits');
    expect(digits.textContent).toBe(expected);
    expect(digits.textContent).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(digits.querySelectorAll('.safety-group')).toHaveLength(12);
    expect(digits.getAttribute('dir')).toBe('ltr');
    expect(dialog.textContent).toContain(
      `Compare these numbers with ${FSI}bob${PDI}'s. If they match, your messages are encrypted for each other's devices only.`,
    );
    expect(within(dialog).getByTestId('safety-number-source').textContent).toBe(
      "It covers 1 device of theirs. Computed from the keys in your chat's encryption.",
    );
    expect(screen.queryByTestId('verified-mark')).toBeNull();

    const toggle = within(dialog).getByTestId('safety-number-verify');
    expect(toggle.textContent).toBe('Mark as verified');
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.textContent).toBe('Clear verification'));
    expect(calls).toHaveBeenCalledWith(BOB_ID, true);
    expect(within(dialog).getByTestId('safety-number-status').textContent).toBe('You have verified this safety number.');
    const mark = within(header()).getByTestId('verified-mark');
    expect(mark.getAttribute('aria-label')).toBe('Verified');

    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.textContent).toBe('Mark as verified'));
    expect(calls).toHaveBeenLastCalledWith(BOB_ID, false);
    expect(screen.queryByTestId('verified-mark')).toBeNull();

    fireEvent.click(within(dialog).getByTestId('dialog-close'));
    await waitFor(() => expect(screen.queryByTestId('safety-number-dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId('open-chat-info'));
  });

  it('is offered for direct chats only', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(TRIP);
    fireEvent.click(screen.getByTestId('open-chat-info'));
    await screen.findByTestId('chat-info-dialog');
    expect(screen.queryByTestId('safety-number-open')).toBeNull();
  });
});

describe('the changed safety number warning', () => {
  it('appears when a verified number changed, opens the safety number, and goes once verified again', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const dialog = await openSafetyNumber();
    fireEvent.click(await within(dialog).findByTestId('safety-number-verify'));
    await within(header()).findByTestId('verified-mark');
    fireEvent.click(within(dialog).getByTestId('dialog-close'));
    expect(screen.queryByTestId('safety-number-changed')).toBeNull();

    platform.peerAddsDevice('bob');

    const warning = await screen.findByTestId('safety-number-changed');
    expect(warning.textContent).toContain(
      `${FSI}bob${PDI}'s safety number has changed: they added a device or their key changed. Verify it again.`,
    );
    expect(screen.queryByTestId('verified-mark')).toBeNull();
    fireEvent.click(within(warning).getByTestId('safety-number-changed-open'));
    const again = await screen.findByTestId('safety-number-dialog');
    await waitFor(() =>
      expect(within(again).getByTestId('safety-number-source').textContent).toContain('It covers 2 devices of theirs.'),
    );
    fireEvent.click(within(again).getByTestId('safety-number-verify'));
    await waitFor(() => expect(screen.queryByTestId('safety-number-changed')).toBeNull());
    expect(within(header()).getByTestId('verified-mark')).toBeTruthy();
  });

  it('shows when the chat is opened after the change', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await platform.safetyNumber(BOB_ID, true);
    platform.peerAddsDevice('bob');
    await openChat(BOB);
    expect(await screen.findByTestId('safety-number-changed')).toBeTruthy();
  });

  it('does not appear for a number that was never verified, even when it changes', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const calls = vi.spyOn(platform, 'safetyNumber');
    await openChat(BOB);
    await waitFor(() => expect(calls).toHaveBeenCalled());
    platform.peerAddsDevice('bob');
    const dialog = await openSafetyNumber();
    await waitFor(() =>
      expect(within(dialog).getByTestId('safety-number-source').textContent).toContain('It covers 2 devices of theirs.'),
    );
    expect(within(dialog).getByTestId('safety-number-status').textContent).toBe('Not verified yet.');
    expect(screen.queryByTestId('safety-number-changed')).toBeNull();
  });
});

describe('a message this device could not decrypt', () => {
  it('says so with the reason under it, never as the message text, and offers nothing to copy', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const conversation = await openChat(BOB);
    await within(conversation).findAllByTestId('message');

    platform.deliver(BOB, 'bob', REASON, true);

    const body = await within(conversation).findByTestId('undecryptable');
    const bubble = body.closest('[data-testid="message"]') as HTMLElement;
    expect(bubble.classList.contains('undecryptable')).toBe(true);
    expect(within(bubble).getByTestId('message-text').textContent).toBe('Could not decrypt this message');
    expect(within(bubble).getByTestId('undecryptable-reason').textContent).toBe(REASON);
    const texts = within(conversation).getAllByTestId('message-text').map((el) => el.textContent);
    expect(texts).not.toContain(REASON);

    await waitFor(() => expect(announced()).toEqual([`${FSI}bob${PDI}: a message that could not be decrypted`]));
    expect(announced().join()).not.toContain(REASON);
    const preview = within(screen.getByTestId(`chat-item-${BOB}`)).getByTestId('chat-preview');
    expect(preview.textContent).toBe('Could not decrypt');

    fireEvent.contextMenu(bubble);
    const menu = await screen.findByTestId('context-menu');
    // Nothing to copy or forward: the text is only the reason.
    expect([...menu.querySelectorAll<HTMLElement>('.menu-item')].map((el) => el.dataset['testid'])).toEqual([
      'menu-reply',
      'message-menu-pin',
      'message-menu-select',
      'message-menu-delete',
    ]);
  });

  it('is not editable when it is my own, from another device', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const conversation = await openChat(BOB);
    platform.deliver(BOB, 'alice', REASON, true);
    const bubble = (await within(conversation).findByTestId('undecryptable')).closest('[data-testid="message"]');
    fireEvent.contextMenu(bubble as HTMLElement);
    const menu = await screen.findByTestId('context-menu');
    expect([...menu.querySelectorAll<HTMLElement>('.menu-item')].map((el) => el.dataset['testid'])).toEqual([
      'menu-reply',
      'message-menu-pin',
      'message-menu-select',
      'message-menu-delete',
    ]);
    fireEvent.keyDown(menu, { key: 'Escape' });
    fireEvent.keyDown(screen.getByTestId('composer'), { key: 'ArrowUp' });
    // Up edits my last readable message, not this one.
    expect((screen.getByTestId('composer') as HTMLTextAreaElement).value).toBe('Did you see the forecast? Sunny all weekend ☀️');
  });

  it('reads in Arabic', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice' });
    const conversation = await openChat(BOB);
    state.settings.setLang('ar');
    platform.deliver(BOB, 'bob', REASON, true);
    const body = await within(conversation).findByTestId('undecryptable');
    expect(within(body).getByTestId('message-text').textContent).toBe('تعذّر فك تشفير هذه الرسالة');
    await waitFor(() =>
      expect(within(screen.getByTestId(`chat-item-${BOB}`)).getByTestId('chat-preview').textContent).toBe('تعذّر فك التشفير'),
    );
  });
});
