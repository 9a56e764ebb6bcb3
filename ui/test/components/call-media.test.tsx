// The microphone and camera switches of a call: Mute (and Ctrl+Shift+M) and, in a video call,
// the camera switch in the call panel once connected, Mute in the compact bar and in the
// picture-in-picture window, the switches kept per call and agreeing between the two windows,
// what screen readers are told, and the Arabic labels.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tellMediaSwitched } from '../../src/lib/callWindow';
import { isMuteShortcut } from '../../src/lib/shortcuts';
import { MemoryPlatform } from '../../src/platform/memory';
import { PipView } from '../../src/screens/PipView';
import { SETTINGS_KEY } from '../../src/stores/settings';
import { renderApp } from '../render';

const BOB = 1;
const CAROL = 3;

/** The text without the bidi isolation marks around filled-in names and durations. */
const plain = (text: string | null | undefined): string => (text ?? '').replace(/[\u2068\u2069]/g, '');

/** The hosts of this file's tests: a call left under way is ended (its pictures stop). */
const hosts: MemoryPlatform[] = [];

afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
  window.localStorage.clear();
  for (const host of hosts.splice(0)) {
    const current = await host.currentCall();
    if (current !== null) await host.hangUp(current.call.id);
  }
});

async function openChat(id: number): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(id)));
  return screen.getByTestId('conversation');
}

function status(): string {
  return plain(screen.getByTestId('call-status').textContent);
}

function said(): string[] {
  return [...screen.getByTestId('announcer').querySelectorAll('p')].map((p) => plain(p.textContent));
}

const pressMute = (target: Element = document.body): void => {
  fireEvent.keyDown(target, { key: 'M', code: 'KeyM', ctrlKey: true, shiftKey: true });
};

/** Alice calls `chat` from the window (video or not) and the other side answers. */
async function call(video: boolean, chat = BOB, app = renderApp({ signedInAs: 'alice' })) {
  hosts.push(app.platform);
  await openChat(chat);
  fireEvent.click(screen.getByTestId(video ? 'call-start-video' : 'call-start-audio'));
  await waitFor(() => expect(status()).toBe('Calling…'));
  app.platform.simulateRemoteAnswer();
  await waitFor(() => expect(status()).toBe('Connected'));
  return app;
}

describe('the switches in the call panel', () => {
  it('show once the call is connected: Mute always, the camera only in a video call', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    hosts.push(platform);
    await openChat(BOB);
    const ask = vi.spyOn(platform, 'switchCallMedia');
    fireEvent.click(screen.getByTestId('call-start-video'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    expect(screen.queryByTestId('call-mute')).toBeNull();
    expect(screen.queryByTestId('call-camera')).toBeNull();
    // Not before it is connected, nor with the shortcut.
    pressMute();
    platform.simulateRemoteRinging();
    await waitFor(() => expect(status()).toBe('Ringing…'));
    expect(screen.queryByTestId('call-mute')).toBeNull();
    pressMute();
    expect(ask).not.toHaveBeenCalled();

    platform.simulateRemoteAnswer();
    const mute = await screen.findByTestId('call-mute');
    expect(mute.tagName).toBe('BUTTON');
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    expect(plain(mute.textContent)).toBe('Mute');
    expect(mute.getAttribute('aria-keyshortcuts')).toBe('Control+Shift+M');
    expect(mute.querySelector('svg')).not.toBeNull();
    const camera = screen.getByTestId('call-camera');
    expect(camera.getAttribute('aria-pressed')).toBe('false');
    expect(plain(camera.textContent)).toBe('Turn camera off');
    expect(within(screen.getByTestId('call-view')).getByTestId('call-mute')).toBe(mute);

    fireEvent.click(screen.getByTestId('call-hang-up'));
    await waitFor(() => expect(status()).toBe('Call ended · 0:00'));
    expect(screen.queryByTestId('call-mute')).toBeNull();
    expect(screen.queryByTestId('call-camera')).toBeNull();
  });

  it('offer no camera in a voice call', async () => {
    await call(false);
    expect(screen.getByTestId('call-mute')).toBeTruthy();
    expect(screen.queryByTestId('call-camera')).toBeNull();
  });

  it('Mute asks the host, then shows what it answered, and is said to screen readers', async () => {
    const { platform } = await call(true);
    const ask = vi.spyOn(platform, 'switchCallMedia');
    const mute = screen.getByTestId('call-mute');
    const icon = mute.querySelector('path')?.getAttribute('d');
    fireEvent.click(mute);
    expect(ask).toHaveBeenLastCalledWith({ muted: true });
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('true'));
    expect(plain(mute.textContent)).toBe('Unmute');
    expect(mute.querySelector('path')?.getAttribute('d')).not.toBe(icon);
    await expect(platform.switchCallMedia({})).resolves.toEqual({ muted: true, cameraOff: false });
    expect(said().at(-1)).toBe('Microphone muted');
    // The camera is another switch.
    expect(screen.getByTestId('call-camera').getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(mute);
    expect(ask).toHaveBeenLastCalledWith({ muted: false });
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('false'));
    expect(plain(mute.textContent)).toBe('Mute');
    expect(said().slice(-2)).toEqual(['Microphone muted', 'Microphone on']);
  });

  it('the camera switch is pressed while the camera is off', async () => {
    const { platform } = await call(true);
    const ask = vi.spyOn(platform, 'switchCallMedia');
    const camera = screen.getByTestId('call-camera');
    fireEvent.click(camera);
    expect(ask).toHaveBeenLastCalledWith({ cameraOff: true });
    await waitFor(() => expect(camera.getAttribute('aria-pressed')).toBe('true'));
    expect(plain(camera.textContent)).toBe('Turn camera on');
    expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('false');
    await expect(platform.switchCallMedia({})).resolves.toEqual({ muted: false, cameraOff: true });

    fireEvent.click(camera);
    expect(ask).toHaveBeenLastCalledWith({ cameraOff: false });
    await waitFor(() => expect(camera.getAttribute('aria-pressed')).toBe('false'));
    expect(plain(camera.textContent)).toBe('Turn camera off');
  });

  it('Ctrl+Shift+M mutes and unmutes wherever the focus is', async () => {
    const { platform } = await call(false);
    const ask = vi.spyOn(platform, 'switchCallMedia');
    const composer = screen.getByTestId('composer');
    composer.focus();
    pressMute(composer);
    expect(ask).toHaveBeenLastCalledWith({ muted: true });
    await waitFor(() => expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('true'));
    expect(document.activeElement).toBe(composer);
    expect(said().at(-1)).toBe('Microphone muted');
    pressMute();
    await waitFor(() => expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('false'));
    expect(ask).toHaveBeenCalledTimes(2);
    // Ctrl+M, or Ctrl+Alt+Shift+M, is not it.
    fireEvent.keyDown(document.body, { key: 'm', ctrlKey: true });
    fireEvent.keyDown(document.body, { key: 'M', ctrlKey: true, altKey: true, shiftKey: true });
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('show a refusal of the host as an error, and stay as they were', async () => {
    const { platform } = await call(true);
    vi.spyOn(platform, 'switchCallMedia').mockRejectedValue({ code: 'internal', message: 'no microphone' });
    fireEvent.click(screen.getByTestId('call-mute'));
    expect((await screen.findByTestId('error-toast')).textContent).toContain('no microphone');
    expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('false');
    expect(said()).not.toContain('Microphone muted');
  });

  it('are on again for the next call', async () => {
    const app = await call(true);
    fireEvent.click(screen.getByTestId('call-mute'));
    fireEvent.click(screen.getByTestId('call-camera'));
    await waitFor(() => expect(screen.getByTestId('call-camera').getAttribute('aria-pressed')).toBe('true'));
    expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('call-hang-up'));
    await waitFor(() => expect(screen.queryByTestId('call-view')).toBeNull(), { timeout: 3000 });
    expect(app.state.calls.media()).toEqual({ muted: false, cameraOff: false });

    fireEvent.click(screen.getByTestId(`chat-item-${CAROL}`));
    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(CAROL)));
    fireEvent.click(screen.getByTestId('call-start-video'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    app.platform.simulateRemoteAnswer();
    const mute = await screen.findByTestId('call-mute');
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    expect(plain(mute.textContent)).toBe('Mute');
    expect(screen.getByTestId('call-camera').getAttribute('aria-pressed')).toBe('false');
  });

  it('are in Arabic too', async () => {
    const { state } = await call(true);
    state.settings.setLang('ar');
    const mute = screen.getByTestId('call-mute');
    const camera = screen.getByTestId('call-camera');
    await waitFor(() => expect(plain(mute.textContent)).toBe('كتم الميكروفون'));
    expect(plain(camera.textContent)).toBe('إيقاف الكاميرا');
    fireEvent.click(mute);
    fireEvent.click(camera);
    await waitFor(() => expect(plain(mute.textContent)).toBe('إلغاء كتم الميكروفون'));
    await waitFor(() => expect(plain(camera.textContent)).toBe('تشغيل الكاميرا'));
    expect(said()).toContain('تم كتم الميكروفون');
    pressMute();
    await waitFor(() => expect(said().at(-1)).toBe('تم تشغيل الميكروفون'));
  });
});

describe('the switches with picture in picture', () => {
  it('the bar has Mute too, and the shortcut still works', async () => {
    const { platform } = await call(true);
    const ask = vi.spyOn(platform, 'switchCallMedia');
    fireEvent.click(screen.getByTestId('call-pip'));
    const bar = await screen.findByTestId('call-bar');
    expect(screen.queryByTestId('call-mute')).toBeNull();
    expect(screen.queryByTestId('call-camera')).toBeNull();
    const mute = within(bar).getByTestId('call-bar-mute');
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    expect(plain(mute.textContent)).toBe('Mute');
    fireEvent.click(mute);
    expect(ask).toHaveBeenLastCalledWith({ muted: true });
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('true'));
    expect(plain(mute.textContent)).toBe('Unmute');
    pressMute();
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('false'));

    // Expanded again: the panel's Mute says the same.
    fireEvent.click(within(bar).getByTestId('call-bar-return'));
    await waitFor(() => expect(screen.queryByTestId('call-bar')).toBeNull());
    expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('false');
  });

  it('the panel asks the host again as it expands: the window may have switched them', async () => {
    const { platform } = await call(true);
    fireEvent.click(screen.getByTestId('call-pip'));
    await screen.findByTestId('call-bar');
    // Mute and camera off in the picture-in-picture window (another page: no message here).
    await platform.switchCallMedia({ muted: true, cameraOff: true });
    const ask = vi.spyOn(platform, 'switchCallMedia');
    fireEvent.click(screen.getByTestId('call-bar-return'));
    await waitFor(() => expect(screen.queryByTestId('call-bar')).toBeNull());
    expect(ask).toHaveBeenCalledWith({});
    await waitFor(() => expect(screen.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('true'));
    expect(screen.getByTestId('call-camera').getAttribute('aria-pressed')).toBe('true');
  });

  it('the bar follows Mute in the window when it says so', async () => {
    const { platform } = await call(false);
    fireEvent.click(screen.getByTestId('call-pip'));
    const bar = await screen.findByTestId('call-bar');
    await platform.switchCallMedia({ muted: true });
    tellMediaSwitched('pip');
    await waitFor(() => expect(within(bar).getByTestId('call-bar-mute').getAttribute('aria-pressed')).toBe('true'));
    // Its own message is not for it.
    const ask = vi.spyOn(platform, 'switchCallMedia');
    tellMediaSwitched('main');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ask).not.toHaveBeenCalled();
  });
});

describe('the picture-in-picture window', () => {
  /** A connected call with bob on a host signed in for the main window, and the window's view. */
  async function pipWindow(video = true, before?: (platform: MemoryPlatform) => Promise<void>) {
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    hosts.push(platform);
    const call = await platform.startCall(BOB, video);
    platform.simulateRemoteAnswer();
    await before?.(platform);
    await platform.openCallWindow();
    const ask = vi.spyOn(platform, 'switchCallMedia');
    render(() => <PipView platform={platform} storage={window.localStorage} />);
    await screen.findByTestId('pip-view');
    await waitFor(() => expect(plain(screen.getByTestId('pip-name').textContent)).toMatch(/^bob · /));
    return { platform, call, ask };
  }

  it('has Mute beside Hang up, which asks the host and shows what it answered', async () => {
    const { platform, ask } = await pipWindow();
    const mute = screen.getByTestId('pip-mute');
    const buttons = screen.getAllByRole('button').map((b) => b.dataset['testid']);
    expect(buttons).toEqual(['pip-return', 'pip-mute', 'pip-hang-up']);
    expect(mute.hasAttribute('data-tauri-drag-region')).toBe(false);
    await waitFor(() => expect(ask).toHaveBeenCalledWith({}));
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    expect(mute.getAttribute('aria-label')).toBe('Mute');
    expect(mute.getAttribute('title')).toBe('Mute');

    fireEvent.click(mute);
    expect(ask).toHaveBeenLastCalledWith({ muted: true });
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('true'));
    expect(mute.getAttribute('aria-label')).toBe('Unmute');
    await expect(platform.switchCallMedia({})).resolves.toEqual({ muted: true, cameraOff: false });
    fireEvent.click(mute);
    expect(ask).toHaveBeenLastCalledWith({ muted: false });
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('false'));
  });

  it('shows the switches as they stand when it opens, and follows the main window', async () => {
    const { platform } = await pipWindow(false, async (host) => {
      await host.switchCallMedia({ muted: true });
    });
    const mute = screen.getByTestId('pip-mute');
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('true'));
    await platform.switchCallMedia({ muted: false });
    tellMediaSwitched('main');
    await waitFor(() => expect(mute.getAttribute('aria-pressed')).toBe('false'));
  });

  it('says Mute in Arabic', async () => {
    window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ lang: 'ar' }));
    await pipWindow();
    const mute = screen.getByTestId('pip-mute');
    expect(mute.getAttribute('aria-label')).toBe('كتم الميكروفون');
    fireEvent.click(mute);
    await waitFor(() => expect(mute.getAttribute('aria-label')).toBe('إلغاء كتم الميكروفون'));
  });
});

describe('the mute shortcut', () => {
  const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);

  it('is Ctrl+Shift+M (Cmd on macOS), also where the layout writes no Latin letter on M', () => {
    expect(isMuteShortcut(key({ key: 'M', ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isMuteShortcut(key({ key: 'm', metaKey: true, shiftKey: true }))).toBe(true);
    expect(isMuteShortcut(key({ key: 'ة', code: 'KeyM', ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isMuteShortcut(key({ key: 'm', ctrlKey: true }))).toBe(false);
    expect(isMuteShortcut(key({ key: 'M', shiftKey: true }))).toBe(false);
    expect(isMuteShortcut(key({ key: 'M', ctrlKey: true, shiftKey: true, altKey: true }))).toBe(false);
    // AZERTY: M is at another place, and the key at KeyM writes "?" with Shift.
    expect(isMuteShortcut(key({ key: 'M', code: 'Semicolon', ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isMuteShortcut(key({ key: '?', code: 'KeyM', ctrlKey: true, shiftKey: true }))).toBe(false);
    // QWERTZ/other Latin layouts: another letter at KeyM is that letter's shortcut, not this one.
    expect(isMuteShortcut(key({ key: 'N', code: 'KeyM', ctrlKey: true, shiftKey: true }))).toBe(false);
  });
});
