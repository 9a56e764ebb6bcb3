// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MEDIA_DEVICE_KINDS, deviceOptions, devicesOfKind, optionId, withDevice } from '../../src/lib/mediaDevices';
import type { MediaDevices } from '../../src/platform/types';

const devices: MediaDevices = {
  microphones: [
    { id: 'm1', name: 'Built-in' },
    { id: 'm2', name: 'Headset' },
  ],
  speakers: [{ id: 's1', name: 'Speakers' }],
  cameras: [],
  chosen: { microphone: 'm2', speaker: null, camera: null },
};

describe('media device kinds', () => {
  it('are microphone, speaker and camera, each with its own list', () => {
    expect(MEDIA_DEVICE_KINDS).toEqual(['microphone', 'speaker', 'camera']);
    expect(devicesOfKind(devices, 'microphone')).toBe(devices.microphones);
    expect(devicesOfKind(devices, 'speaker')).toBe(devices.speakers);
    expect(devicesOfKind(devices, 'camera')).toBe(devices.cameras);
  });

  it('change one device of a choice, leaving the others and the original as they were', () => {
    const choice = devices.chosen;
    expect(withDevice(choice, 'speaker', 's1')).toEqual({ microphone: 'm2', speaker: 's1', camera: null });
    expect(withDevice(choice, 'microphone', null)).toEqual({ microphone: null, speaker: null, camera: null });
    expect(choice).toEqual({ microphone: 'm2', speaker: null, camera: null });
  });
});

describe('device picker options', () => {
  it('are the system default, then the devices in the host’s order', () => {
    const options = deviceOptions(devices.microphones, 'm2');
    expect(options).toEqual([
      { type: 'default' },
      { type: 'device', device: { id: 'm1', name: 'Built-in' } },
      { type: 'device', device: { id: 'm2', name: 'Headset' } },
    ]);
    expect(options.map(optionId)).toEqual([null, 'm1', 'm2']);
  });

  it('are the system default alone without devices', () => {
    expect(deviceOptions([], null)).toEqual([{ type: 'default' }]);
  });

  it('end with the chosen device when it is not connected any more', () => {
    const options = deviceOptions(devices.speakers, 'gone');
    expect(options.at(-1)).toEqual({ type: 'missing', id: 'gone' });
    expect(options.map(optionId)).toEqual([null, 's1', 'gone']);
  });
});
