// The microphone, speaker and camera of calls, opened from the call view's Devices button: a
// labelled picker for each, "System default" first, then this machine's devices by name. A
// choice applies at once (the host reopens the device in the call under way) and stays for
// later calls until the app quits; the pickers show what the host answered.

import { For, Show, createEffect, createMemo, createSignal, on, onMount, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import type { MessageKey } from '../i18n';
import type { Translate } from '../lib/chats';
import {
  MEDIA_DEVICE_KINDS,
  deviceOptions,
  devicesOfKind,
  optionId,
  type DeviceOption,
  type MediaDeviceKind,
} from '../lib/mediaDevices';
import { toErrorInfo } from '../platform/errors';
import type { MediaDevice, MediaDevices } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

const LABELS: Record<MediaDeviceKind, MessageKey> = {
  microphone: 'calls.microphone',
  speaker: 'calls.speaker',
  camera: 'calls.camera',
};

/** The message for a failed question: an id the host does not know is a device that went. */
function devicesErrorText(t: Translate, error: unknown): string {
  return toErrorInfo(error).code === 'not_found' ? t('calls.deviceGone') : errorText(t, error);
}

export function CallDevicesDialog(props: { onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [error, setError] = createSignal<string | null>(null);
  const fail = (err: unknown): void => {
    setError(devicesErrorText(t, err));
  };
  // Asked at each opening: devices may have been plugged in or out since.
  onMount(() => {
    app.calls.loadDevices().catch(fail);
  });
  let pickers: HTMLDivElement | undefined;
  // Loaded after the dialog took the focus itself (nothing to focus then): the first picker takes it.
  createEffect(
    on(
      () => app.calls.devices() !== null,
      (loaded, wasLoaded) => {
        if (loaded && wasLoaded === false && pickers?.closest('[role="dialog"]') === document.activeElement) {
          pickers.querySelector('select')?.focus();
        }
      },
    ),
  );
  const choose = (kind: MediaDeviceKind, id: string | null): Promise<unknown> => {
    setError(null);
    return app.calls.chooseDevice(kind, id);
  };

  return (
    <Dialog title={t('calls.devicesTitle')} testId="call-devices-dialog" onClose={props.onClose}>
      <Show
        when={app.calls.devices()}
        fallback={
          <Show when={error() === null}>
            <p class="muted">{t('common.loading')}</p>
          </Show>
        }
      >
        {(devices) => (
          <div ref={pickers} class="call-device-pickers">
            <p class="muted">{t('calls.devicesNote')}</p>
            <For each={MEDIA_DEVICE_KINDS}>
              {(kind) => (
                <DevicePicker kind={kind} devices={devices()} onChoose={(id) => choose(kind, id)} onError={fail} />
              )}
            </For>
          </div>
        )}
      </Show>
      <FormError message={error()} />
    </Dialog>
  );
}

/**
 * The picker of one kind of device, showing the host's choice. Without a camera, the camera's
 * picker is disabled and says so.
 */
function DevicePicker(props: {
  kind: MediaDeviceKind;
  devices: MediaDevices;
  onChoose: (id: string | null) => Promise<unknown>;
  onError: (error: unknown) => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const list = (): MediaDevice[] => devicesOfKind(props.devices, props.kind);
  const chosen = (): string | null => props.devices.chosen[props.kind];
  const options = createMemo(() => deviceOptions(list(), chosen()));
  const noCamera = (): boolean => props.kind === 'camera' && list().length === 0;
  let select!: HTMLSelectElement;
  /** After a refusal: the select shows the host's choice again, not what was picked. */
  const showChosen = (): void => {
    select.selectedIndex = options().findIndex((option) => optionId(option) === chosen());
  };
  const onChange = (): void => {
    const option = options()[select.selectedIndex];
    if (option === undefined) return;
    props.onChoose(optionId(option)).catch((error: unknown) => {
      showChosen();
      props.onError(error);
    });
  };
  const label = (option: DeviceOption): string => {
    switch (option.type) {
      case 'default':
        return t('calls.systemDefault');
      case 'device':
        return option.device.name;
      case 'missing':
        return t('calls.deviceMissing');
    }
  };

  return (
    <label class="field">
      <span>{t(LABELS[props.kind])}</span>
      <select ref={select} data-testid={`call-device-${props.kind}`} disabled={noCamera()} onChange={onChange}>
        <Show when={!noCamera()} fallback={<option value="">{t('calls.noCamera')}</option>}>
          <For each={options()}>
            {(option) => (
              <option
                value={optionId(option) ?? ''}
                dir={option.type === 'device' ? 'auto' : undefined}
                selected={optionId(option) === chosen()}
              >
                {label(option)}
              </option>
            )}
          </For>
        </Show>
      </select>
    </label>
  );
}
