// The microphone, speaker and camera pickers of calls: which list of `MediaDevices` each kind
// of device is in, a choice with one kind changed, and what a picker offers.

import type { MediaDevice, MediaDeviceChoice, MediaDevices } from '../platform/types';

/** A kind of device calls use: a key of `MediaDeviceChoice`. */
export type MediaDeviceKind = keyof MediaDeviceChoice;

/** The kinds, in the order the pickers show them. */
export const MEDIA_DEVICE_KINDS: readonly MediaDeviceKind[] = ['microphone', 'speaker', 'camera'];

/** The devices of one kind. */
export function devicesOfKind(devices: MediaDevices, kind: MediaDeviceKind): MediaDevice[] {
  switch (kind) {
    case 'microphone':
      return devices.microphones;
    case 'speaker':
      return devices.speakers;
    case 'camera':
      return devices.cameras;
  }
}

/** `choice` with the device of one kind replaced (null: the system's default). */
export function withDevice(choice: MediaDeviceChoice, kind: MediaDeviceKind, id: string | null): MediaDeviceChoice {
  return { ...choice, [kind]: id };
}

/**
 * One entry of a picker: the system's default, a device, or the chosen device when it is not
 * connected any more (the host still has it as the choice).
 */
export type DeviceOption =
  | { type: 'default' }
  | { type: 'device'; device: MediaDevice }
  | { type: 'missing'; id: string };

/** What a picker offers, in order: the system's default, the devices, then a missing chosen one. */
export function deviceOptions(list: readonly MediaDevice[], chosen: string | null): DeviceOption[] {
  const options: DeviceOption[] = [{ type: 'default' }, ...list.map((device): DeviceOption => ({ type: 'device', device }))];
  if (chosen !== null && !list.some((device) => device.id === chosen)) options.push({ type: 'missing', id: chosen });
  return options;
}

/** The id an entry chooses (null: the system's default). */
export function optionId(option: DeviceOption): string | null {
  switch (option.type) {
    case 'default':
      return null;
    case 'device':
      return option.device.id;
    case 'missing':
      return option.id;
  }
}
