// The other side's picture in a call and the picture-in-picture window: the canvas of a
// connected video call (none in voice calls), Picture in picture collapsing the call panel to a
// bar and Return expanding it, the window closed when the call ends, and the window's own view
// (`?pip=1`): picture, name, Return, Hang up, dragging.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RemoteVideo } from '../../src/components/RemoteVideo';
import { isPipWindow, tellPipClosed } from '../../src/lib/callWindow';
import { i420Size } from '../../src/lib/i420';
import { MemoryPlatform, SIMULATED_VIDEO } from '../../src/platform/memory';
import type { VideoPicture } from '../../src/platform/types';
import { PipView } from '../../src/screens/PipView';
import type { CallVideoStore } from '../../src/stores/callVideo';
import { SETTINGS_KEY } from '../../src/stores/settings';
import { drawn } from '../canvas';
import { renderApp } from '../render';
import { fakeWebGl, installWebGl, type FakeWebGl } from '../webgl';

const BOB = 1;

/** The text without the bidi isolation marks around filled-in names and durations. */
const plain = (text: string | null | undefined): string => (text ?? '').replace(/[\u2068\u2069]/g, '');

/** The hosts of this file's tests: a call left under way is ended (its pictures stop). */
const hosts: MemoryPlatform[] = [];

afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
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

/** Alice calls bob from the window (video or not) and bob answers. */
async function connectedCall(video: boolean) {
  const app = renderApp({ signedInAs: 'alice' });
  hosts.push(app.platform);
  await openChat(BOB);
  fireEvent.click(screen.getByTestId(video ? 'call-start-video' : 'call-start-audio'));
  await waitFor(() => expect(status()).toBe('Calling…'));
  app.platform.simulateRemoteAnswer();
  await waitFor(() => expect(status()).toBe('Connected'));
  return app;
}

describe('the other side’s picture', () => {
  it('shows in a connected video call, drawn from the host’s pictures, and goes when it ends', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    hosts.push(platform);
    await openChat(BOB);
    const watch = vi.spyOn(platform, 'watchCallVideo');
    fireEvent.click(screen.getByTestId('call-start-video'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    platform.simulateRemoteRinging();
    await waitFor(() => expect(status()).toBe('Ringing…'));
    expect(screen.queryByTestId('call-remote-video')).toBeNull();

    platform.simulateRemoteAnswer();
    const canvas = await screen.findByTestId('call-remote-video');
    expect(canvas.tagName).toBe('CANVAS');
    expect(canvas.getAttribute('role')).toBe('img');
    expect(plain(canvas.getAttribute('aria-label'))).toBe('Video from bob');
    expect(within(screen.getByTestId('call-view')).getByTestId('call-remote-video')).toBe(canvas);
    // The pictures arrive (ten a second) and are drawn at their size.
    await waitFor(() => expect(drawn(canvas).length).toBeGreaterThan(1), { timeout: 2000 });
    const last = drawn(canvas).at(-1);
    expect([last?.width, last?.height]).toEqual([SIMULATED_VIDEO.width, SIMULATED_VIDEO.height]);
    expect(last?.data.length).toBe(SIMULATED_VIDEO.width * SIMULATED_VIDEO.height * 4);
    expect(last?.data[3]).toBe(255);
    expect((canvas as HTMLCanvasElement).width).toBe(SIMULATED_VIDEO.width);
    expect(Number(canvas.dataset['drawn'])).toBe(drawn(canvas).length);
    expect(canvas.dataset['renderer']).toBe('2d');

    fireEvent.click(screen.getByTestId('call-hang-up'));
    await waitFor(() => expect(status()).toBe('Call ended · 0:00'));
    expect(screen.queryByTestId('call-remote-video')).toBeNull();
    // Watched once for the window, not once per call.
    expect(watch).toHaveBeenCalledTimes(1);
  });

  it('is not shown in a voice call', async () => {
    await connectedCall(false);
    expect(screen.queryByTestId('call-remote-video')).toBeNull();
    expect(screen.getByTestId('call-view').querySelector('canvas')).toBeNull();
  });
});

describe('RemoteVideo', () => {
  /** A store the test feeds by hand. */
  function handFed(latest: VideoPicture | null = null) {
    const handlers = new Set<(p: VideoPicture) => void>();
    const store: CallVideoStore = {
      latest: () => latest,
      listen(handler) {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
      clear: () => undefined,
    };
    const send = (p: VideoPicture): void => {
      for (const handler of handlers) handler(p);
    };
    return { store, send, handlers };
  }
  /** A picture of one colour: Y, U and V. */
  const picture = (width: number, height: number, y: number): VideoPicture => {
    const i420 = new Uint8Array(i420Size(width, height)).fill(128);
    i420.fill(y, 0, width * height);
    return { width, height, i420 };
  };
  const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

  it('draws only the newest of the pictures that came within one frame', async () => {
    const { store, send } = handFed();
    render(() => <RemoteVideo video={store} label="Video from bob" testId="video" />);
    const canvas = screen.getByTestId('video') as HTMLCanvasElement;
    send(picture(4, 2, 16));
    send(picture(4, 2, 126));
    send(picture(4, 2, 235));
    await nextFrame();
    await nextFrame();
    expect(drawn(canvas)).toHaveLength(1);
    expect([...(drawn(canvas)[0]?.data.subarray(0, 4) ?? [])]).toEqual([255, 255, 255, 255]);
    expect([canvas.width, canvas.height]).toEqual([4, 2]);
  });

  it('reuses its pixel buffer while the size stays, and makes a new one when it changes', async () => {
    const { store, send } = handFed();
    render(() => <RemoteVideo video={store} label="Video from bob" testId="video" />);
    const canvas = screen.getByTestId('video') as HTMLCanvasElement;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    const create = vi.spyOn(context, 'createImageData');
    for (const p of [picture(4, 2, 16), picture(4, 2, 126), picture(6, 4, 235)]) {
      send(p);
      await nextFrame();
    }
    expect(drawn(canvas)).toHaveLength(3);
    expect(create.mock.calls).toEqual([
      [4, 2],
      [6, 4],
    ]);
    expect([canvas.width, canvas.height]).toEqual([6, 4]);
  });

  it('draws the newest picture it missed at once, and stops listening when it goes', async () => {
    const { store, handlers } = handFed(picture(2, 2, 235));
    const shown = render(() => <RemoteVideo video={store} label="Video from bob" testId="video" />);
    const canvas = screen.getByTestId('video');
    await nextFrame();
    expect(drawn(canvas)).toHaveLength(1);
    expect(handlers.size).toBe(1);
    shown.unmount();
    expect(handlers.size).toBe(0);
  });

  it('draws in 2D where the canvas has no WebGL', async () => {
    const { store, send } = handFed();
    render(() => <RemoteVideo video={store} label="Video from bob" testId="video" />);
    const canvas = screen.getByTestId('video');
    send(picture(4, 2, 235));
    await nextFrame();
    expect(canvas.dataset['renderer']).toBe('2d');
    expect(drawn(canvas)).toHaveLength(1);
    expect(canvas.dataset['drawn']).toBe('1');
  });

  it('draws with WebGL where the canvas has it, and lets go of it when it goes', async () => {
    const contexts = installWebGl();
    const { store, send } = handFed();
    const shown = render(() => <RemoteVideo video={store} label="Video from bob" testId="video" />);
    const canvas = screen.getByTestId('video') as HTMLCanvasElement;
    expect(canvas.dataset['renderer']).toBe('webgl');
    const fake = contexts.get(canvas) as FakeWebGl;
    send(picture(4, 2, 16));
    send(picture(6, 4, 235));
    await nextFrame();
    send(picture(6, 4, 126));
    await nextFrame();
    expect(fake.argsOf('drawArrays')).toHaveLength(2);
    expect(fake.uploads.map(({ call, width, height }) => [call, width, height])).toEqual([
      ['image', 6, 4],
      ['image', 3, 2],
      ['image', 3, 2],
      ['sub', 6, 4],
      ['sub', 3, 2],
      ['sub', 3, 2],
    ]);
    expect([canvas.width, canvas.height]).toEqual([6, 4]);
    expect(canvas.dataset['drawn']).toBe('2');
    expect(drawn(canvas)).toEqual([]);
    shown.unmount();
    expect(fake.argsOf('deleteTexture')).toHaveLength(3);
  });

  it('goes on in 2D on a new canvas when the WebGL context is lost', async () => {
    const contexts = installWebGl();
    const { store } = handFed(picture(4, 2, 235));
    const onClick = vi.fn();
    render(() => <RemoteVideo video={store} label="Video from bob" testId="video" class="big" onClick={onClick} />);
    const first = screen.getByTestId('video');
    await nextFrame();
    expect(first.dataset['drawn']).toBe('1');
    contexts.get(first as HTMLCanvasElement)?.lose();
    const second = screen.getByTestId('video');
    expect(second).not.toBe(first);
    expect(first.isConnected).toBe(false);
    expect(second.dataset['renderer']).toBe('2d');
    expect(second.getAttribute('role')).toBe('img');
    expect(second.getAttribute('aria-label')).toBe('Video from bob');
    expect(second.classList.contains('big')).toBe(true);
    // The newest picture again, on the new canvas; the count goes on.
    await nextFrame();
    expect(drawn(second)).toHaveLength(1);
    expect(second.dataset['drawn']).toBe('2');
    fireEvent.click(second);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('draws in 2D on a new canvas when the WebGL shaders fail', async () => {
    installWebGl((canvas) => fakeWebGl(canvas, { compiles: false }));
    const { store, send } = handFed();
    render(() => <RemoteVideo video={store} label="Video from bob" testId="video" />);
    const canvas = screen.getByTestId('video');
    expect(canvas.dataset['renderer']).toBe('2d');
    send(picture(4, 2, 235));
    await nextFrame();
    expect(drawn(canvas)).toHaveLength(1);
  });
});

describe('picture in picture', () => {
  it('opens the window and collapses the panel to a bar; Return closes it and expands the panel', async () => {
    const { platform } = await connectedCall(true);
    const pip = screen.getByTestId('call-pip');
    expect(plain(pip.textContent)).toBe('Picture in picture');
    expect(pip.querySelector('svg')).not.toBeNull();
    pip.focus();
    fireEvent.click(pip);

    const bar = await screen.findByTestId('call-bar');
    expect(platform.pipOpen).toBe(true);
    expect(screen.getByTestId('call-view').dataset['pip']).toBe('true');
    expect(plain(bar.textContent)).toContain('bob');
    expect(within(bar).getByTestId('call-duration').textContent).toMatch(/^0:0\d$/);
    expect(screen.queryByTestId('call-remote-video')).toBeNull();
    expect(screen.queryByTestId('call-pip')).toBeNull();
    expect(screen.queryByTestId('call-emojis')).toBeNull();
    expect(within(bar).getByTestId('call-hang-up').textContent).toBe('Hang up');
    const back = within(bar).getByTestId('call-bar-return');
    expect(plain(back.textContent)).toBe('Return to call');
    // The focus stays with the call: on the button that undoes it.
    expect(document.activeElement).toBe(back);

    fireEvent.click(back);
    await waitFor(() => expect(screen.queryByTestId('call-bar')).toBeNull());
    expect(platform.pipOpen).toBe(false);
    expect(screen.getByTestId('call-view').dataset['pip']).toBe('false');
    expect(screen.getByTestId('call-remote-video')).toBeTruthy();
    expect(status()).toBe('Connected');
    expect(document.activeElement).toBe(screen.getByTestId('call-pip'));
  });

  it('is offered in a voice call too, and hanging up from the bar ends the call', async () => {
    const { platform } = await connectedCall(false);
    const hangUp = vi.spyOn(platform, 'hangUp');
    fireEvent.click(screen.getByTestId('call-pip'));
    const bar = await screen.findByTestId('call-bar');
    fireEvent.click(within(bar).getByTestId('call-hang-up'));
    expect(hangUp).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(status()).toBe('Call ended · 0:00'));
    expect(screen.queryByTestId('call-bar')).toBeNull();
    expect(platform.pipOpen).toBe(false);
  });

  it('closes the window when the other side hangs up, and the panel says the call ended', async () => {
    const { platform } = await connectedCall(true);
    fireEvent.click(screen.getByTestId('call-pip'));
    await screen.findByTestId('call-bar');
    const close = vi.spyOn(platform, 'closeCallWindow');
    platform.simulateRemoteHangUp();
    await waitFor(() => expect(status()).toBe('Call ended · 0:00'));
    expect(close).toHaveBeenCalledTimes(1);
    expect(platform.pipOpen).toBe(false);
    expect(screen.queryByTestId('call-bar')).toBeNull();
  });

  it('expands the panel when the window says it closed itself', async () => {
    const { platform } = await connectedCall(true);
    fireEvent.click(screen.getByTestId('call-pip'));
    await screen.findByTestId('call-bar');
    await platform.closeCallWindow();
    tellPipClosed();
    await waitFor(() => expect(screen.queryByTestId('call-bar')).toBeNull());
    expect(screen.getByTestId('call-pip')).toBeTruthy();
  });

  it('shows a host refusal as an error', async () => {
    const { platform } = await connectedCall(true);
    vi.spyOn(platform, 'openCallWindow').mockRejectedValue({ code: 'invalid', message: 'no window' });
    fireEvent.click(screen.getByTestId('call-pip'));
    expect((await screen.findByTestId('error-toast')).textContent).toContain('no window');
    expect(screen.queryByTestId('call-bar')).toBeNull();
  });
});

describe('the picture-in-picture window', () => {
  it('is the page loaded with ?pip=1', () => {
    expect(isPipWindow('?pip=1')).toBe(true);
    expect(isPipWindow('?as=alice&pip=1')).toBe(true);
    expect(isPipWindow('')).toBe(false);
    expect(isPipWindow('?pip=0')).toBe(false);
  });

  /** A connected video call with bob on a host signed in for the main window, and the view. */
  async function pipWindow(video = true) {
    window.localStorage.clear();
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    hosts.push(platform);
    const call = await platform.startCall(BOB, video);
    platform.simulateRemoteAnswer();
    await platform.openCallWindow();
    const close = vi.spyOn(platform, 'closeCallWindow');
    render(() => <PipView platform={platform} storage={window.localStorage} />);
    const view = await screen.findByTestId('pip-view');
    await waitFor(() => expect(plain(screen.getByTestId('pip-name').textContent)).toMatch(/^bob · 0:0\d$/));
    return { platform, call, close, view };
  }

  it('shows only the call: the picture filling it, the name on top, Return and Hang up', async () => {
    const { view, close } = await pipWindow();
    expect(screen.queryByTestId('login-screen')).toBeNull();
    expect(screen.queryByTestId('chat-list')).toBeNull();
    expect(view.tagName).toBe('MAIN');
    expect(plain(view.getAttribute('aria-label'))).toBe('Call with bob');
    expect(view.hasAttribute('data-tauri-drag-region')).toBe(true);
    const canvas = screen.getByTestId('pip-video');
    expect(canvas.tagName).toBe('CANVAS');
    expect(canvas.hasAttribute('data-tauri-drag-region')).toBe(false);
    expect(plain(canvas.getAttribute('aria-label'))).toBe('Video from bob');
    await waitFor(() => expect(drawn(canvas).length).toBeGreaterThan(0), { timeout: 2000 });
    expect(screen.getByTestId('pip-return').getAttribute('aria-label')).toBe('Return to the call');
    expect(screen.getByTestId('pip-hang-up').getAttribute('aria-label')).toBe('Hang up');
    for (const button of within(view).getAllByRole('button')) expect(button.hasAttribute('data-tauri-drag-region')).toBe(false);
    expect(plain(document.title)).toBe('Call with bob');
    expect(close).not.toHaveBeenCalled();
  });

  it('returns to the call with Return, or a click on the picture', async () => {
    const { platform, close } = await pipWindow();
    fireEvent.click(screen.getByTestId('pip-return'));
    expect(close).toHaveBeenCalledTimes(1);
    expect(platform.pipOpen).toBe(false);
    cleanup();

    const again = await pipWindow();
    fireEvent.click(screen.getByTestId('pip-video'));
    expect(again.close).toHaveBeenCalledTimes(1);
  });

  it('hangs up, and closes once the call ended', async () => {
    const { platform, call, close } = await pipWindow();
    const hangUp = vi.spyOn(platform, 'hangUp');
    fireEvent.click(screen.getByTestId('pip-hang-up'));
    expect(hangUp).toHaveBeenCalledWith(call.id);
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('pip-video')).toBeNull();
  });

  it('closes when the other side hangs up', async () => {
    const { platform, close } = await pipWindow();
    platform.simulateRemoteHangUp();
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });

  it('closes at once when there is no call', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    const close = vi.spyOn(platform, 'closeCallWindow');
    render(() => <PipView platform={platform} storage={null} />);
    await waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('pip-name')).toBeNull();
  });

  it('shows the avatar in a voice call, and speaks the main window’s language', async () => {
    window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ lang: 'ar' }));
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    await platform.startCall(BOB, false);
    platform.simulateRemoteAnswer();
    render(() => <PipView platform={platform} storage={window.localStorage} />);
    const view = await screen.findByTestId('pip-view');
    await waitFor(() => expect(plain(screen.getByTestId('pip-name').textContent)).toContain('bob'));
    expect(screen.queryByTestId('pip-video')).toBeNull();
    expect(within(view).getByTestId('avatar')).toBeTruthy();
    expect(document.documentElement.getAttribute('dir')).toBe('rtl');
    expect(screen.getByTestId('pip-return').getAttribute('aria-label')).toBe('العودة إلى المكالمة');
    window.localStorage.clear();
  });
});

describe('where windows cannot stay on top', () => {
  it('says so beside Picture in picture, and says nothing where they can', async () => {
    await connectedCall(true);
    expect(screen.getByTestId('call-pip')).toBeTruthy();
    expect(screen.queryByTestId('call-pip-note')).toBeNull();
  });

  it('on Wayland, the note shows once the call connects', async () => {
    const app = renderApp({ signedInAs: 'alice' });
    hosts.push(app.platform);
    app.platform.pipAboveOthers = false;
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('call-start-video'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    app.platform.simulateRemoteAnswer();
    await waitFor(() => expect(status()).toBe('Connected'));
    expect(plain((await screen.findByTestId('call-pip-note')).textContent)).toBe(
      'On Wayland the picture-in-picture window cannot stay above other windows.',
    );
  });
});
