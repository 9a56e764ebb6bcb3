// The microphones, speakers and cameras of calls in both hosts: the Tauri command names and
// argument keys, and the in-memory host's simulated devices and kept choice.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPlatform, SIMULATED_MEDIA_DEVICES } from '../../src/platform/memory';
import { TauriPlatform } from '../../src/platform/tauri';
import type { MediaDevices } from '../../src/platform/types';

const DEFAULTS = { microphone: null, speaker: null, camera: null };

afterEach(() => {
  clearMocks();
});

describe('tauri host media devices', () => {
  const answer: MediaDevices = {
    microphones: [{ id: 'alsa:hw:1', name: 'USB Headset' }],
    speakers: [],
    cameras: [{ id: '/dev/video0', name: 'Integrated Camera' }],
    chosen: { microphone: 'alsa:hw:1', speaker: null, camera: null },
  };

  it('asks list_media_devices with no arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return answer;
    });
    await expect(new TauriPlatform().listMediaDevices()).resolves.toEqual(answer);
    expect(calls).toEqual([['list_media_devices', {}]]);
  });

  it('sends choose_media_devices with microphone, speaker and camera, null for the default', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return answer;
    });
    const host = new TauriPlatform();
    await expect(host.chooseMediaDevices({ microphone: 'alsa:hw:1', speaker: null, camera: null })).resolves.toEqual(answer);
    await host.chooseMediaDevices({ microphone: null, speaker: 'pulse:sink-2', camera: '/dev/video0' });
    await host.chooseMediaDevices(DEFAULTS);
    expect(calls).toEqual([
      ['choose_media_devices', { microphone: 'alsa:hw:1', speaker: null, camera: null }],
      ['choose_media_devices', { microphone: null, speaker: 'pulse:sink-2', camera: '/dev/video0' }],
      ['choose_media_devices', { microphone: null, speaker: null, camera: null }],
    ]);
  });

  it('sends only the three choices, whatever else the object has', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return answer;
    });
    const choice = { microphone: null, speaker: null, camera: 'c', extra: true };
    await new TauriPlatform().chooseMediaDevices(choice);
    expect(calls).toEqual([['choose_media_devices', { microphone: null, speaker: null, camera: 'c' }]]);
  });

  it('passes a refusal through as {code, message}', async () => {
    mockIPC(() => {
      throw { code: 'not_found', message: 'no such microphone' };
    });
    await expect(new TauriPlatform().chooseMediaDevices({ ...DEFAULTS, microphone: 'gone' })).rejects.toEqual({
      code: 'not_found',
      message: 'no such microphone',
    });
  });
});

describe('memory host media devices', () => {
  it('lists two microphones, a speaker and a camera, all on the system default at first', async () => {
    const host = new MemoryPlatform();
    const devices = await host.listMediaDevices();
    expect(devices).toEqual({ ...SIMULATED_MEDIA_DEVICES, chosen: DEFAULTS });
    expect(devices.microphones).toHaveLength(2);
    expect(devices.speakers).toHaveLength(1);
    expect(devices.cameras).toHaveLength(1);
  });

  it('keeps the choice, answering with the devices and the choice as they are now', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const [, headset] = SIMULATED_MEDIA_DEVICES.microphones;
    const [camera] = SIMULATED_MEDIA_DEVICES.cameras;
    const choice = { microphone: headset?.id ?? '', speaker: null, camera: camera?.id ?? '' };
    await expect(host.chooseMediaDevices(choice)).resolves.toEqual({ ...SIMULATED_MEDIA_DEVICES, chosen: choice });
    await expect(host.listMediaDevices()).resolves.toMatchObject({ chosen: choice });
    // Back to the defaults.
    await expect(host.chooseMediaDevices(DEFAULTS)).resolves.toMatchObject({ chosen: DEFAULTS });
  });

  it('refuses an unknown id of any kind, and changes nothing then', async () => {
    const host = new MemoryPlatform();
    const [builtIn] = SIMULATED_MEDIA_DEVICES.microphones;
    const kept = { ...DEFAULTS, microphone: builtIn?.id ?? '' };
    await host.chooseMediaDevices(kept);
    await expect(host.chooseMediaDevices({ ...kept, speaker: 'nope' })).rejects.toEqual({
      code: 'not_found',
      message: 'this machine has no speaker with the id "nope"',
    });
    await expect(host.chooseMediaDevices({ ...DEFAULTS, camera: 'mic-built-in' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.chooseMediaDevices({ ...DEFAULTS, microphone: '' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.listMediaDevices()).resolves.toMatchObject({ chosen: kept });
  });

  it('can have no devices at all: only the defaults can be chosen', async () => {
    const host = new MemoryPlatform({ mediaDevices: { microphones: [], speakers: [], cameras: [] } });
    await expect(host.listMediaDevices()).resolves.toEqual({ microphones: [], speakers: [], cameras: [], chosen: DEFAULTS });
    await expect(host.chooseMediaDevices(DEFAULTS)).resolves.toMatchObject({ chosen: DEFAULTS });
    await expect(host.chooseMediaDevices({ ...DEFAULTS, camera: 'camera-integrated' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the choice of a device that was unplugged, and hands out copies', async () => {
    const host = new MemoryPlatform();
    await host.chooseMediaDevices({ ...DEFAULTS, microphone: 'mic-headset' });
    host.simulateMediaDevices({ ...SIMULATED_MEDIA_DEVICES, microphones: [] });
    const devices = await host.listMediaDevices();
    expect(devices.microphones).toEqual([]);
    expect(devices.chosen.microphone).toBe('mic-headset');
    devices.speakers.pop();
    devices.chosen.speaker = 'changed';
    await expect(host.listMediaDevices()).resolves.toMatchObject({ speakers: SIMULATED_MEDIA_DEVICES.speakers, chosen: { speaker: null } });
  });
});
