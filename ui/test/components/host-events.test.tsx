import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { createAppState } from '../../src/stores/app';
import { SETTINGS_KEY, createSettingsStore } from '../../src/stores/settings';
import { renderApp } from '../render';

const BOB = 1;

describe('host events and calls', () => {
  it('a message the server refused shows as not sent', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', ackDelay: 60_000 });
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
    const composer = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'refused one' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    const pending = await waitFor(() => {
      const rows = screen.getAllByTestId('message').filter((m) => m.textContent?.includes('refused one'));
      expect(rows[0]?.dataset['state']).toBe('pending');
      return rows[0] as HTMLElement;
    });
    const localId = pending.dataset['localId'] ?? '';
    platform.hostEvent({ type: 'messageFailed', chat: BOB, localId, reason: 'too big' });
    await waitFor(() => {
      const row = screen.getAllByTestId('message').find((m) => m.dataset['localId'] === localId);
      expect(row?.dataset['state']).toBe('failed');
    });
  });

  it('an edited message updates in its bubble, which keeps the keyboard focus', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
    const [newest] = await platform.history(BOB, null, 1);
    if (newest === undefined) throw new Error('the seeded chat has messages');
    const bubble = await waitFor(() => {
      const found = screen.getAllByTestId('message').find((m) => m.dataset['localId'] === newest.localId);
      expect(found).toBeDefined();
      return found as HTMLElement;
    });
    bubble.focus();
    platform.hostEvent({ type: 'messageUpserted', message: { ...newest, text: 'changed in place', editedAt: Date.now() } });
    await waitFor(() => expect(bubble.textContent).toContain('changed in place'));
    expect(screen.getAllByTestId('message').find((m) => m.dataset['localId'] === newest.localId)).toBe(bubble);
    expect(document.activeElement).toBe(bubble);
  });

  it('being signed out elsewhere returns to the sign-in screen', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    platform.hostEvent({ type: 'signedOut' });
    await screen.findByTestId('login-screen');
    expect(screen.queryByTestId('main-screen')).toBeNull();
  });

  it('tells the host when message previews are hidden in notifications', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const toggle = (await screen.findByTestId('settings-notification-preview')) as HTMLInputElement;
    expect(platform.notificationPreview).toBe(true);
    fireEvent.click(toggle);
    await waitFor(() => expect(platform.notificationPreview).toBe(false));
  });

  it('tells the host which kinds of chats notify, at start and on change, and keeps the choice', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    expect(platform.notifyKinds).toEqual({ direct: true, groups: true, channels: true, mentions: true });
    const calls = vi.spyOn(platform, 'setNotifyKinds');
    fireEvent.click(screen.getByTestId('open-settings'));
    const groups = (await screen.findByTestId('notify-groups')) as HTMLInputElement;
    for (const id of ['notify-direct', 'notify-groups', 'notify-channels', 'notify-mentions']) {
      expect((screen.getByTestId(id) as HTMLInputElement).checked, id).toBe(true);
    }
    fireEvent.click(groups);
    expect(calls).toHaveBeenLastCalledWith({ direct: true, groups: false, channels: true, mentions: true });
    await waitFor(() => expect(platform.notifyKinds?.groups).toBe(false));
    expect(groups.checked).toBe(false);
    const reloaded = createRoot(() => createSettingsStore(window.localStorage));
    expect(reloaded.notifyKinds()).toEqual({ direct: true, groups: false, channels: true, mentions: true });
  });

  it('pushes the saved notification kinds to the host at start', async () => {
    window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ notifyKinds: { channels: false, mentions: false } }));
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    createRoot((dispose) => {
      const state = createAppState(platform, { storage: window.localStorage, sessionStorage: window.sessionStorage });
      const stop = state.start();
      expect(platform.notifyKinds).toEqual({ direct: true, groups: true, channels: false, mentions: false });
      stop();
      dispose();
    });
    window.localStorage.clear();
  });

  it('sends the notification stand-in text in the current language', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    expect(platform.notificationHiddenText).toBe('New message');
    const calls = vi.spyOn(platform, 'setNotificationPreview');
    fireEvent.click(screen.getByTestId('open-settings'));
    fireEvent.change(await screen.findByTestId('settings-language'), { target: { value: 'ar' } });
    expect(calls).toHaveBeenLastCalledWith(true, 'رسالة جديدة');
    fireEvent.click(screen.getByTestId('settings-notification-preview'));
    expect(calls).toHaveBeenLastCalledWith(false, 'رسالة جديدة');
    await waitFor(() => expect(platform.notificationHiddenText).toBe('رسالة جديدة'));
    expect(platform.notificationPreview).toBe(false);
  });

  it('gives the tray menu its labels in the current language', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    expect(platform.trayTexts).toEqual(['Show Wren', 'Quit']);
    fireEvent.click(screen.getByTestId('open-settings'));
    fireEvent.change(await screen.findByTestId('settings-language'), { target: { value: 'ar' } });
    await waitFor(() => expect(platform.trayTexts).toEqual(['إظهار رِن', 'إنهاء']));
  });
});
