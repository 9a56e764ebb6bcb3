import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryPlatform, SIMULATED_CALL_EMOJIS, SIMULATED_MEDIA_DEVICES } from '../../src/platform/memory';
import type { CallInfo, MediaDevices } from '../../src/platform/types';
import { CALL_ENDED_SHOW_MS, MEDIA_ON, createCallsStore } from '../../src/stores/calls';

const BOB_CHAT = 1;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const host = new MemoryPlatform({ signedInAs: 'alice' });
  const store = createRoot(() => createCallsStore(host));
  host.onEvent((event) => store.apply(event));
  return { host, store };
}

describe('the calls store', () => {
  it('follows a call from placed to connected, asking for its emojis once answered', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, false);
    store.placed(call);
    expect(store.current()).toMatchObject({ call, phase: 'calling', emojis: null, connectedAt: null, ended: null });
    host.simulateRemoteAnswer();
    await settle();
    expect(store.current()?.phase).toEqual({ connected: { peerDevice: 1 } });
    expect(store.current()?.connectedAt).not.toBeNull();
    expect(store.current()?.emojis).toEqual(SIMULATED_CALL_EMOJIS);
  });

  it('never takes a call back from connected on an older answer', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, false);
    host.simulateRemoteAnswer();
    await settle();
    store.apply({ type: 'callChanged', call, phase: 'ringing' });
    expect(store.current()?.phase).toEqual({ connected: { peerDevice: 1 } });
  });

  it('keeps an ended call for a moment, then forgets it', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, false);
    await settle();
    vi.useFakeTimers();
    await host.hangUp(call.id);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.current()?.ended).toEqual({ reason: 'cancelled', durationMs: null });
    // A late `placed` for the same call changes nothing.
    store.placed(call);
    expect(store.current()?.ended).not.toBeNull();
    await vi.advanceTimersByTimeAsync(CALL_ENDED_SHOW_MS);
    expect(store.current()).toBeNull();
  });

  it('loads the call under way, and forgets one the host no longer has', async () => {
    const { host, store } = setup();
    const call = host.simulateIncomingCall('bob', true);
    await store.load();
    expect(store.current()).toMatchObject({ call, phase: 'ringing', ended: null });
    // Kept from before (signed out, say): the host is in no call now.
    await host.declineCall(call.id);
    const later = createRoot(() => createCallsStore(host));
    later.placed({ ...call, id: 999 });
    await later.load();
    expect(later.current()).toBeNull();
  });

  it('passes calls missed while busy to its listeners', () => {
    const { store } = setup();
    const seen: CallInfo[] = [];
    const stop = store.onMissedWhileBusy((c) => seen.push(c));
    const call: CallInfo = { id: 5, chat: BOB_CHAT, peer: 2, video: false, direction: 'incoming' };
    store.apply({ type: 'callMissedWhileBusy', call });
    stop();
    store.apply({ type: 'callMissedWhileBusy', call });
    expect(seen).toEqual([call]);
  });
});

describe('the picture-in-picture window', () => {
  it('opens for the call under way and closes on request', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, true);
    host.simulateRemoteAnswer();
    await settle();
    await store.openPip();
    expect(store.pipOpen()).toBe(true);
    expect(host.pipOpen).toBe(true);
    await store.closePip();
    expect(store.pipOpen()).toBe(false);
    expect(host.pipOpen).toBe(false);
    await host.hangUp(call.id);
  });

  it('is closed when the call ends, and when the call is forgotten', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, true);
    host.simulateRemoteAnswer();
    await settle();
    await store.openPip();
    const close = vi.spyOn(host, 'closeCallWindow');
    await host.hangUp(call.id);
    await settle();
    expect(close).toHaveBeenCalledTimes(1);
    expect(store.pipOpen()).toBe(false);
    expect(host.pipOpen).toBe(false);

    host.simulateIncomingCall('bob', true);
    await settle();
    await store.openPip();
    store.clear();
    expect(close).toHaveBeenCalledTimes(2);
    expect(store.pipOpen()).toBe(false);
  });

  it('does not stay open for a call that ended while it opened', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, true);
    await settle();
    await host.hangUp(call.id);
    await settle();
    await store.openPip();
    expect(store.pipOpen()).toBe(false);
    expect(host.pipOpen).toBe(false);
  });

  it('forgets the window that closed itself without asking the host again', async () => {
    const { host, store } = setup();
    await host.startCall(BOB_CHAT, true);
    host.simulateRemoteAnswer();
    await settle();
    await store.openPip();
    const close = vi.spyOn(host, 'closeCallWindow');
    store.pipClosed();
    expect(store.pipOpen()).toBe(false);
    expect(close).not.toHaveBeenCalled();
  });
});

describe('the microphone and camera switches', () => {
  it('follow each answer of the host, and start over when the call ends and for a new call', async () => {
    const { host, store } = setup();
    expect(store.media()).toEqual(MEDIA_ON);
    const call = await host.startCall(BOB_CHAT, true);
    store.placed(call);
    host.simulateRemoteAnswer();
    await settle();
    await expect(store.switchMedia({ muted: true })).resolves.toEqual({ muted: true, cameraOff: false });
    expect(store.media()).toEqual({ muted: true, cameraOff: false });
    await store.switchMedia({ cameraOff: true });
    expect(store.media()).toEqual({ muted: true, cameraOff: true });

    await host.hangUp(call.id);
    await settle();
    expect(store.current()?.ended).not.toBeNull();
    expect(store.media()).toEqual(MEDIA_ON);

    const next = host.simulateIncomingCall('bob', true);
    await settle();
    await host.acceptCall(next.id);
    await settle();
    await store.switchMedia({ muted: true });
    expect(store.media().muted).toBe(true);
    store.clear();
    expect(store.media()).toEqual(MEDIA_ON);
  });

  it('start over when another call takes the place of the one shown', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, false);
    store.placed(call);
    await store.switchMedia({ muted: true });
    expect(store.media().muted).toBe(true);
    store.placed({ ...call, id: call.id + 100 });
    expect(store.media()).toEqual(MEDIA_ON);
  });

  it('keep only the answer to the latest question, and none for a call that ended meanwhile', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, false);
    store.placed(call);
    let answer: (media: { muted: boolean; cameraOff: boolean }) => void = () => undefined;
    const slow = vi.spyOn(host, 'switchCallMedia').mockImplementationOnce(
      () => new Promise((resolve) => (answer = resolve)),
    );
    const first = store.switchMedia({ muted: true });
    slow.mockRestore();
    await store.switchMedia({});
    answer({ muted: true, cameraOff: false });
    await first;
    expect(store.media().muted).toBe(false);

    vi.spyOn(host, 'switchCallMedia').mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const late = store.switchMedia({ muted: true });
    await host.hangUp(call.id);
    await settle();
    answer({ muted: true, cameraOff: false });
    await late;
    expect(store.media()).toEqual(MEDIA_ON);
  });

  it('are asked for when a call is loaded and when the picture-in-picture window goes', async () => {
    const { host, store } = setup();
    const call = await host.startCall(BOB_CHAT, true);
    host.simulateRemoteAnswer();
    // Switched elsewhere (the other window).
    await host.switchCallMedia({ muted: true });
    const ask = vi.spyOn(host, 'switchCallMedia');
    await store.load();
    await settle();
    expect(ask).toHaveBeenLastCalledWith({});
    expect(store.media()).toEqual({ muted: true, cameraOff: false });

    await store.openPip();
    await host.switchCallMedia({ muted: false, cameraOff: true });
    await store.closePip();
    await settle();
    expect(store.media()).toEqual({ muted: false, cameraOff: true });

    await store.openPip();
    await host.switchCallMedia({ cameraOff: false });
    store.pipClosed();
    await settle();
    expect(store.media()).toEqual(MEDIA_ON);
    // Not asked again while the window was not open, nor without a call.
    ask.mockClear();
    store.pipClosed();
    await host.hangUp(call.id);
    await settle();
    store.syncMedia();
    expect(ask).not.toHaveBeenCalled();
  });
});

describe('the devices of calls', () => {
  const DEFAULTS = { microphone: null, speaker: null, camera: null };

  it('are unknown until asked, then follow the host’s answers', async () => {
    const { host, store } = setup();
    expect(store.devices()).toBeNull();
    await expect(store.loadDevices()).resolves.toEqual({ ...SIMULATED_MEDIA_DEVICES, chosen: DEFAULTS });
    expect(store.devices()).toEqual({ ...SIMULATED_MEDIA_DEVICES, chosen: DEFAULTS });
    const choose = vi.spyOn(host, 'chooseMediaDevices');
    await store.chooseDevice('microphone', 'mic-headset');
    await store.chooseDevice('camera', 'camera-integrated');
    await store.chooseDevice('microphone', null);
    // Each time the whole choice, the other kinds as chosen.
    expect(choose.mock.calls).toEqual([
      [{ microphone: 'mic-headset', speaker: null, camera: null }],
      [{ microphone: 'mic-headset', speaker: null, camera: 'camera-integrated' }],
      [{ microphone: null, speaker: null, camera: 'camera-integrated' }],
    ]);
    expect(store.devices()?.chosen).toEqual({ microphone: null, speaker: null, camera: 'camera-integrated' });
  });

  it('are asked for first when a device is chosen before they were', async () => {
    const { host, store } = setup();
    await host.chooseMediaDevices({ ...DEFAULTS, speaker: 'speaker-built-in' });
    await store.chooseDevice('microphone', 'mic-built-in');
    expect(store.devices()?.chosen).toEqual({ microphone: 'mic-built-in', speaker: 'speaker-built-in', camera: null });
  });

  it('stay as they were on a refusal, and are asked for again (a device may have gone)', async () => {
    const { host, store } = setup();
    await store.loadDevices();
    host.simulateMediaDevices({ ...SIMULATED_MEDIA_DEVICES, microphones: [] });
    const list = vi.spyOn(host, 'listMediaDevices');
    await expect(store.chooseDevice('microphone', 'mic-headset')).rejects.toMatchObject({ code: 'not_found' });
    expect(store.devices()?.chosen).toEqual(DEFAULTS);
    expect(list).toHaveBeenCalledTimes(1);
    await settle();
    expect(store.devices()?.microphones).toEqual([]);
  });

  it('keep only the answer to the latest question; a change meanwhile builds on the one due', async () => {
    const { host, store } = setup();
    await store.loadDevices();
    let answer: (devices: MediaDevices) => void = () => undefined;
    const choose = vi.spyOn(host, 'chooseMediaDevices');
    choose.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const first = store.chooseDevice('microphone', 'mic-headset');
    await settle();
    const second = store.chooseDevice('speaker', 'speaker-built-in');
    await second;
    expect(choose.mock.calls.at(-1)).toEqual([{ microphone: 'mic-headset', speaker: 'speaker-built-in', camera: null }]);
    // The first answer, late, is older than what is shown.
    answer({ ...SIMULATED_MEDIA_DEVICES, chosen: { ...DEFAULTS, microphone: 'mic-headset' } });
    await first;
    expect(store.devices()?.chosen).toEqual({ microphone: 'mic-headset', speaker: 'speaker-built-in', camera: null });
  });

  it('are kept when the call ends and when it is forgotten (the host keeps the choice)', async () => {
    const { host, store } = setup();
    await store.chooseDevice('microphone', 'mic-headset');
    const call = await host.startCall(BOB_CHAT, false);
    store.placed(call);
    await host.hangUp(call.id);
    await settle();
    store.clear();
    expect(store.devices()?.chosen.microphone).toBe('mic-headset');
  });
});
