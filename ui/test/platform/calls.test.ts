// Calls in both hosts: the Tauri command names and argument keys, and the in-memory
// simulation of the engine's signalling (events, current call, call records).

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Channel } from '@tauri-apps/api/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i420Size } from '../../src/lib/i420';
import { MemoryPlatform, SIMULATED_CALL_EMOJIS, SIMULATED_VIDEO, simulatedPicture } from '../../src/platform/memory';
import { TauriPlatform } from '../../src/platform/tauri';
import type { CoreEvent, MessageView, VideoPicture } from '../../src/platform/types';

const BOB_CHAT = 1;
const TRIP = 2;
const CAROL_CHAT = 3;
const BOB_ID = 2;
const CAROL_ID = 3;

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

/** Lets the host's queued events reach the handlers. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function recording(host: MemoryPlatform): CoreEvent[] {
  const events: CoreEvent[] = [];
  host.onEvent((e) => events.push(e));
  return events;
}

const callEvents = (events: CoreEvent[]): CoreEvent[] => events.filter((e) => e.type.startsWith('call'));

async function newest(host: MemoryPlatform, chat: number): Promise<MessageView | undefined> {
  return (await host.history(chat, null, 1))[0];
}

describe('tauri host calls', () => {
  it('invokes the call commands with their argument keys', async () => {
    const calls: [string, unknown][] = [];
    const info = { id: 77, chat: 3, peer: 2, video: true, direction: 'outgoing' };
    const current = { call: info, phase: { connected: { peerDevice: 4 } }, emojis: ['🐢', '🍋', '🎸', '🌙'] };
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'start_call') return info;
      if (cmd === 'current_call') return current;
      return null;
    });
    const host = new TauriPlatform();
    await expect(host.startCall(3, true)).resolves.toEqual(info);
    await host.acceptCall(77);
    await host.declineCall(77);
    await host.hangUp(77);
    await expect(host.currentCall()).resolves.toEqual(current);
    expect(calls).toEqual([
      ['start_call', { chat: 3, video: true }],
      ['accept_call', { call: 77 }],
      ['decline_call', { call: 77 }],
      ['hang_up', { call: 77 }],
      ['current_call', {}],
    ]);
  });

  it('passes a refusal through as {code, message}', async () => {
    mockIPC(() => {
      throw { code: 'invalid', message: 'you are already in a call' };
    });
    await expect(new TauriPlatform().startCall(1, false)).rejects.toEqual({ code: 'invalid', message: 'you are already in a call' });
  });

  it('answers null when this device is in no call', async () => {
    mockIPC(() => null);
    await expect(new TauriPlatform().currentCall()).resolves.toBeNull();
  });
});

describe('memory host calls', () => {
  it('places a call only in a direct chat, one at a time', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.startCall(TRIP, false)).rejects.toEqual({
      code: 'invalid',
      message: 'calls are one-to-one: place them in a direct chat',
    });
    const call = await host.startCall(BOB_CHAT, true);
    expect(call).toMatchObject({ chat: BOB_CHAT, peer: BOB_ID, video: true, direction: 'outgoing' });
    await expect(host.startCall(CAROL_CHAT, false)).rejects.toEqual({ code: 'invalid', message: 'you are already in a call' });
    await expect(host.acceptCall(call.id)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('rings, connects with emojis, and writes an answered record from the caller when hung up', async () => {
    let clock = 1_000_000;
    const host = new MemoryPlatform({ signedInAs: 'alice', now: () => clock });
    const events = recording(host);
    const call = await host.startCall(BOB_CHAT, false);
    await expect(host.currentCall()).resolves.toEqual({ call, phase: 'calling', emojis: null });
    host.simulateRemoteRinging();
    host.simulateRemoteAnswer();
    await expect(host.currentCall()).resolves.toEqual({
      call,
      phase: { connected: { peerDevice: 1 } },
      emojis: SIMULATED_CALL_EMOJIS,
    });
    clock += 133_400;
    await host.hangUp(call.id);
    await settle();
    expect(callEvents(events)).toEqual([
      { type: 'callChanged', call, phase: 'calling' },
      { type: 'callChanged', call, phase: 'ringing' },
      { type: 'callChanged', call, phase: { connected: { peerDevice: 1 } } },
      { type: 'callEnded', call, reason: { hungUp: { byMe: true } }, durationMs: 133_400 },
    ]);
    await expect(host.currentCall()).resolves.toBeNull();
    const record = await newest(host, BOB_CHAT);
    expect(record).toMatchObject({
      outgoing: true,
      text: 'Call · 2:13',
      call: { video: false, outcome: 'answered', durationS: 133 },
    });
    expect(events).toContainEqual({ type: 'messageUpserted', message: record });
    // A record is not a text to edit.
    await expect(host.edit(BOB_CHAT, record?.seq ?? 0, 'x')).rejects.toMatchObject({ code: 'invalid' });
  });

  it('records a cancelled call, a declined one and a busy one as the caller', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = recording(host);
    const first = await host.startCall(BOB_CHAT, true);
    await host.hangUp(first.id);
    expect((await newest(host, BOB_CHAT))?.call).toEqual({ video: true, outcome: 'missed', durationS: 0 });
    const second = await host.startCall(BOB_CHAT, false);
    host.simulateRemoteRinging();
    host.simulateRemoteDecline();
    expect((await newest(host, BOB_CHAT))?.call).toEqual({ video: false, outcome: 'declined', durationS: 0 });
    const third = await host.startCall(CAROL_CHAT, false);
    host.simulateRemoteBusy();
    expect(await newest(host, CAROL_CHAT)).toMatchObject({ outgoing: true, text: 'Call · busy', call: { outcome: 'busy' } });
    await settle();
    const ends = events.flatMap((e) => (e.type === 'callEnded' ? [[e.call.id, e.reason, e.durationMs]] : []));
    expect(ends).toEqual([
      [first.id, 'cancelled', null],
      [second.id, { declined: { byMe: false } }, null],
      [third.id, 'busy', null],
    ]);
  });

  it('rings here for an incoming call; declining it leaves the caller’s record', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = recording(host);
    const call = host.simulateIncomingCall('carol', true);
    expect(call).toMatchObject({ chat: CAROL_CHAT, peer: CAROL_ID, video: true, direction: 'incoming' });
    await expect(host.currentCall()).resolves.toEqual({ call, phase: 'ringing', emojis: null });
    await host.declineCall(call.id);
    await settle();
    expect(callEvents(events)).toEqual([
      { type: 'callChanged', call, phase: 'ringing' },
      { type: 'callEnded', call, reason: { declined: { byMe: true } }, durationMs: null },
    ]);
    expect(await newest(host, CAROL_CHAT)).toMatchObject({
      outgoing: false,
      sender: { username: 'carol' },
      text: 'Declined video call',
      call: { video: true, outcome: 'declined', durationS: 0 },
    });
  });

  it('answers an incoming call, and a caller who gives up leaves a missed call', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const answered = host.simulateIncomingCall('bob', false);
    await host.acceptCall(answered.id);
    await expect(host.currentCall()).resolves.toMatchObject({ phase: { connected: { peerDevice: 1 } } });
    host.simulateRemoteHangUp();
    expect((await newest(host, BOB_CHAT))?.call).toMatchObject({ outcome: 'answered' });

    const events = recording(host);
    const missed = host.simulateIncomingCall('bob', false);
    host.simulateRemoteHangUp();
    await settle();
    expect(events).toContainEqual({ type: 'callEnded', call: missed, reason: 'missed', durationMs: null });
    expect(await newest(host, BOB_CHAT)).toMatchObject({ outgoing: false, text: 'Missed call', call: { outcome: 'missed' } });
  });

  it('tells a caller busy while in a call, and this side that it was missed', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = recording(host);
    const mine = await host.startCall(BOB_CHAT, false);
    const other = host.simulateIncomingCall('carol', false);
    await settle();
    expect(events).toContainEqual({ type: 'callMissedWhileBusy', call: other });
    await expect(host.currentCall()).resolves.toMatchObject({ call: mine });
    expect(await newest(host, CAROL_CHAT)).toMatchObject({ outgoing: false, call: { outcome: 'busy' } });
  });

  it('ends a call ringing here that another device of the account took', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = recording(host);
    const before = (await host.history(BOB_CHAT, null, 50)).length;
    host.simulateIncomingCall('bob', false);
    host.simulateOtherDevice(true);
    host.simulateIncomingCall('bob', false);
    host.simulateOtherDevice(false);
    await settle();
    const reasons = events.flatMap((e) => (e.type === 'callEnded' ? [e.reason] : []));
    expect(reasons).toEqual(['answeredElsewhere', 'declinedElsewhere']);
    // Only the declined one has a record yet: the answered one gets it when that call ends.
    expect((await host.history(BOB_CHAT, null, 50)).length).toBe(before + 1);
  });
});

describe('tauri host video and call window', () => {
  it('watches the video with a channel, and hands on each whole picture it brings', async () => {
    const calls: [string, unknown][] = [];
    let channel: Channel<unknown> | null = null;
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'watch_call_video') channel = (args as { channel: Channel<unknown> }).channel;
      return null;
    });
    const pictures: VideoPicture[] = [];
    await new TauriPlatform().watchCallVideo((p) => pictures.push(p));
    expect(calls.map(([cmd]) => cmd)).toEqual(['watch_call_video']);
    expect(Object.keys(calls[0]?.[1] as object)).toEqual(['channel']);
    expect(channel).not.toBeNull();
    const sent = channel as unknown as Channel<unknown>;
    // The host's serialisation of a channel argument.
    expect(JSON.stringify({ channel: sent })).toMatch(/^\{"channel":"__CHANNEL__:\d+"\}$/);

    // 4×2: width 4, height 2 (little-endian), then 8 + 2 + 2 bytes of planes.
    const message = new Uint8Array([4, 0, 2, 0, ...Array<number>(12).fill(128)]);
    sent.onmessage(message.buffer);
    sent.onmessage(new Uint8Array([4, 0, 2, 0, 1, 2]).buffer); // cut short: dropped
    expect(pictures).toHaveLength(1);
    expect(pictures[0]?.width).toBe(4);
    expect(pictures[0]?.height).toBe(2);
    expect(pictures[0]?.i420.length).toBe(12);
  });

  it('opens and closes the picture-in-picture window by name', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    const host = new TauriPlatform();
    await host.openCallWindow();
    await host.closeCallWindow();
    expect(calls).toEqual([
      ['open_call_window', {}],
      ['close_call_window', {}],
    ]);
  });
});

describe('memory host video and call window', () => {
  it('sends a moving picture ten times a second while a video call is connected', async () => {
    vi.useFakeTimers();
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const pictures: VideoPicture[] = [];
    await host.watchCallVideo((p) => pictures.push(p));
    const call = await host.startCall(BOB_CHAT, true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pictures).toHaveLength(0);

    host.simulateRemoteAnswer();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pictures).toHaveLength(1000 / SIMULATED_VIDEO.intervalMs);
    const { width, height } = SIMULATED_VIDEO;
    for (const p of pictures) {
      expect([p.width, p.height]).toEqual([width, height]);
      expect(p.i420.length).toBe(i420Size(width, height));
    }
    // It moves.
    expect(pictures[0]?.i420).not.toEqual(pictures[1]?.i420);

    await host.hangUp(call.id);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pictures).toHaveLength(10);
  });

  it('sends nothing in a voice call, and starts for a watcher who comes in mid-call', async () => {
    vi.useFakeTimers();
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const pictures: VideoPicture[] = [];
    await host.watchCallVideo((p) => pictures.push(p));
    const voice = await host.startCall(BOB_CHAT, false);
    host.simulateRemoteAnswer();
    await vi.advanceTimersByTimeAsync(500);
    expect(pictures).toHaveLength(0);
    await host.hangUp(voice.id);

    const late = new MemoryPlatform({ signedInAs: 'alice' });
    const call = late.simulateIncomingCall('bob', true);
    await late.acceptCall(call.id);
    await late.watchCallVideo((p) => pictures.push(p));
    await vi.advanceTimersByTimeAsync(300);
    expect(pictures).toHaveLength(3);
    late.simulateRemoteHangUp();
    await vi.advanceTimersByTimeAsync(300);
    expect(pictures).toHaveLength(3);
  });

  it('draws a white bar on a gradient', () => {
    const p = simulatedPicture(0);
    expect(p.i420[0]).toBe(235);
    expect(p.i420[10]).toBeLessThan(235);
    expect(simulatedPicture(1).i420[2]).toBe(235);
  });

  it('keeps whether the picture-in-picture window is open', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    expect(host.pipOpen).toBe(false);
    await host.openCallWindow();
    expect(host.pipOpen).toBe(true);
    await host.closeCallWindow();
    expect(host.pipOpen).toBe(false);
  });
});

describe('microphone and camera switches', () => {
  it('tauri: switch_call_media with muted and cameraOff, null for a switch left as it is', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { muted: true, cameraOff: false };
    });
    const host = new TauriPlatform();
    await expect(host.switchCallMedia({ muted: true })).resolves.toEqual({ muted: true, cameraOff: false });
    await host.switchCallMedia({ cameraOff: true });
    await host.switchCallMedia({ muted: false, cameraOff: false });
    await host.switchCallMedia({});
    expect(calls).toEqual([
      ['switch_call_media', { muted: true, cameraOff: null }],
      ['switch_call_media', { muted: null, cameraOff: true }],
      ['switch_call_media', { muted: false, cameraOff: false }],
      ['switch_call_media', { muted: null, cameraOff: null }],
    ]);
  });

  it('tauri: passes a refusal through as {code, message}', async () => {
    mockIPC(() => {
      throw { code: 'invalid', message: 'not in a call' };
    });
    await expect(new TauriPlatform().switchCallMedia({ muted: true })).rejects.toEqual({ code: 'invalid', message: 'not in a call' });
  });

  it('memory: keeps the switches of the call, changes only those given, and says how they stand', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = recording(host);
    const call = await host.startCall(BOB_CHAT, true);
    await expect(host.switchCallMedia({})).resolves.toEqual({ muted: false, cameraOff: false });
    host.simulateRemoteAnswer();
    await expect(host.switchCallMedia({ muted: true })).resolves.toEqual({ muted: true, cameraOff: false });
    await expect(host.switchCallMedia({ cameraOff: true })).resolves.toEqual({ muted: true, cameraOff: true });
    await expect(host.switchCallMedia({})).resolves.toEqual({ muted: true, cameraOff: true });
    await expect(host.switchCallMedia({ muted: false })).resolves.toEqual({ muted: false, cameraOff: true });
    // A switch is no event, and changes nothing else of the call.
    await settle();
    expect(callEvents(events)).toHaveLength(2);
    await expect(host.currentCall()).resolves.toMatchObject({ call, phase: { connected: { peerDevice: 1 } } });
    await host.hangUp(call.id);
  });

  it('memory: both are on again for each new call, and there are none without a call', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.switchCallMedia({ muted: true })).rejects.toMatchObject({ code: 'invalid' });
    const first = await host.startCall(BOB_CHAT, true);
    host.simulateRemoteAnswer();
    await host.switchCallMedia({ muted: true, cameraOff: true });
    await host.hangUp(first.id);
    await expect(host.switchCallMedia({})).rejects.toMatchObject({ code: 'invalid' });

    const incoming = host.simulateIncomingCall('bob', true);
    await expect(host.switchCallMedia({})).resolves.toEqual({ muted: false, cameraOff: false });
    await host.acceptCall(incoming.id);
    await host.switchCallMedia({ muted: true });
    host.simulateRemoteHangUp();
    await host.startCall(CAROL_CHAT, false);
    await expect(host.switchCallMedia({})).resolves.toEqual({ muted: false, cameraOff: false });
  });
});
