// The microphone, speaker and camera pickers of a call: the Devices button of a connected
// call, the dialog with a labelled picker for each kind ("System default" first, then the
// devices), choosing (the whole choice goes to the host, the pickers show its answer),
// refusals, a machine without devices, and the Arabic labels.

import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryPlatform, SIMULATED_MEDIA_DEVICES, type MediaDeviceLists } from '../../src/platform/memory';
import { renderApp } from '../render';

const BOB = 1;
const CAROL = 3;
const DEFAULTS = { microphone: null, speaker: null, camera: null };
const NO_DEVICES: MediaDeviceLists = { microphones: [], speakers: [], cameras: [] };

/** The text without the bidi isolation marks around filled-in names and durations. */
const plain = (text: string | null | undefined): string => (text ?? '').replace(/[\u2068\u2069]/g, '');

/** The hosts of this file's tests: a call left under way is ended (its pictures stop). */
const hosts: MemoryPlatform[] = [];

afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  window.localStorage.clear();
  for (const host of hosts.splice(0)) {
    const current = await host.currentCall();
    if (current !== null) await host.hangUp(current.call.id);
  }
});

function status(): string {
  return plain(screen.getByTestId('call-status').textContent);
}

/** Alice calls `chat` (video or not) and the other side answers. */
async function call(video: boolean, options: { mediaDevices?: MediaDeviceLists } = {}, chat = BOB) {
  const app = renderApp({ signedInAs: 'alice', ...options });
  hosts.push(app.platform);
  fireEvent.click(await screen.findByTestId(`chat-item-${chat}`));
  await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(chat)));
  fireEvent.click(screen.getByTestId(video ? 'call-start-video' : 'call-start-audio'));
  await waitFor(() => expect(status()).toBe('Calling…'));
  app.platform.simulateRemoteAnswer();
  await waitFor(() => expect(status()).toBe('Connected'));
  return app;
}

/** Opens the dialog from the Devices button (focused, as from the keyboard) and waits for the devices. */
async function openDevices(): Promise<HTMLElement> {
  const button = screen.getByTestId('call-devices');
  button.focus();
  fireEvent.click(button);
  const dialog = await screen.findByTestId('call-devices-dialog');
  await within(dialog).findByTestId('call-device-microphone');
  return dialog;
}

function picker(kind: 'microphone' | 'speaker' | 'camera'): HTMLSelectElement {
  const select = screen.getByTestId(`call-device-${kind}`);
  if (!(select instanceof HTMLSelectElement)) throw new Error(`${kind} is no <select>`);
  return select;
}

const optionTexts = (select: HTMLSelectElement): string[] => [...select.options].map((option) => plain(option.textContent));
const shown = (select: HTMLSelectElement): string => plain(select.selectedOptions[0]?.textContent);

describe('the Devices button', () => {
  it('shows once the call is connected, in voice and video calls, beside Mute', async () => {
    const app = renderApp({ signedInAs: 'alice' });
    hosts.push(app.platform);
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(BOB)));
    fireEvent.click(screen.getByTestId('call-start-audio'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    expect(screen.queryByTestId('call-devices')).toBeNull();
    app.platform.simulateRemoteAnswer();

    const button = await screen.findByTestId('call-devices');
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('type')).toBe('button');
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    expect(within(screen.getByTestId('call-view')).getByRole('button', { name: 'Devices' })).toBe(button);
    expect(button.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
    // In the tab order, right after Mute.
    expect(button.tabIndex).toBe(0);
    expect(screen.getByTestId('call-mute').nextElementSibling).toBe(button);

    fireEvent.click(screen.getByTestId('call-hang-up'));
    await waitFor(() => expect(status()).toBe('Call ended · 0:00'));
    expect(screen.queryByTestId('call-devices')).toBeNull();
  });

  it('follows the camera switch in a video call', async () => {
    await call(true);
    expect(screen.getByTestId('call-camera').nextElementSibling).toBe(screen.getByTestId('call-devices'));
  });
});

describe('the devices dialog', () => {
  it('lists the microphones, speakers and cameras under their labels, System default first', async () => {
    const { platform } = await call(true);
    const list = vi.spyOn(platform, 'listMediaDevices');
    const dialog = await openDevices();
    expect(list).toHaveBeenCalledTimes(1);
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByRole('dialog', { name: 'Audio and video devices' })).toBe(dialog);
    expect(within(dialog).getByLabelText('Microphone')).toBe(picker('microphone'));
    expect(within(dialog).getByLabelText('Speaker')).toBe(picker('speaker'));
    expect(within(dialog).getByLabelText('Camera')).toBe(picker('camera'));
    expect(optionTexts(picker('microphone'))).toEqual(['System default', 'Built-in Microphone', 'USB Headset Microphone']);
    expect(optionTexts(picker('speaker'))).toEqual(['System default', 'Built-in Speakers']);
    expect(optionTexts(picker('camera'))).toEqual(['System default', 'Integrated Camera']);
    expect([...picker('microphone').options].map((option) => option.value)).toEqual(['', 'mic-built-in', 'mic-headset']);
    for (const kind of ['microphone', 'speaker', 'camera'] as const) {
      expect(shown(picker(kind)), kind).toBe('System default');
      expect(picker(kind).disabled, kind).toBe(false);
    }
    // The first picker takes the focus once the devices are there; the call view behind is
    // inert while the dialog is open.
    await waitFor(() => expect(document.activeElement).toBe(picker('microphone')));
    expect(screen.getByTestId('call-view').closest('[inert]')).not.toBeNull();
    expect(within(dialog).queryByTestId('form-error')).toBeNull();
  });

  it('sends the whole choice when one picker changes, and shows the host’s answer', async () => {
    const { platform } = await call(true);
    await openDevices();
    const choose = vi.spyOn(platform, 'chooseMediaDevices');
    fireEvent.change(picker('microphone'), { target: { value: 'mic-headset' } });
    expect(choose).toHaveBeenLastCalledWith({ microphone: 'mic-headset', speaker: null, camera: null });
    await waitFor(() => expect(shown(picker('microphone'))).toBe('USB Headset Microphone'));
    await expect(platform.listMediaDevices()).resolves.toMatchObject({ chosen: { microphone: 'mic-headset' } });

    fireEvent.change(picker('camera'), { target: { value: 'camera-integrated' } });
    expect(choose).toHaveBeenLastCalledWith({ microphone: 'mic-headset', speaker: null, camera: 'camera-integrated' });
    await waitFor(() => expect(shown(picker('camera'))).toBe('Integrated Camera'));

    // Back to the system default: null.
    fireEvent.change(picker('microphone'), { target: { value: '' } });
    expect(choose).toHaveBeenLastCalledWith({ microphone: null, speaker: null, camera: 'camera-integrated' });
    await waitFor(() => expect(shown(picker('microphone'))).toBe('System default'));
    expect(shown(picker('camera'))).toBe('Integrated Camera');
  });

  it('shows what the host chose, not what was picked', async () => {
    const { platform } = await call(false);
    await openDevices();
    vi.spyOn(platform, 'chooseMediaDevices').mockResolvedValue({
      ...SIMULATED_MEDIA_DEVICES,
      chosen: { ...DEFAULTS, microphone: 'mic-built-in', speaker: 'speaker-built-in' },
    });
    fireEvent.change(picker('microphone'), { target: { value: 'mic-headset' } });
    await waitFor(() => expect(shown(picker('speaker'))).toBe('Built-in Speakers'));
    expect(shown(picker('microphone'))).toBe('Built-in Microphone');
  });

  it('shows the choice again at the next opening, and in the next call', async () => {
    const { platform } = await call(false);
    await openDevices();
    fireEvent.change(picker('speaker'), { target: { value: 'speaker-built-in' } });
    await waitFor(() => expect(shown(picker('speaker'))).toBe('Built-in Speakers'));
    fireEvent.keyDown(screen.getByTestId('call-devices-dialog'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('call-devices-dialog')).toBeNull());
    // The focus goes back to the button.
    expect(document.activeElement).toBe(screen.getByTestId('call-devices'));
    expect(document.querySelector('[inert]')).toBeNull();

    fireEvent.click(screen.getByTestId('call-hang-up'));
    await waitFor(() => expect(screen.queryByTestId('call-view')).toBeNull(), { timeout: 3000 });
    fireEvent.click(screen.getByTestId(`chat-item-${CAROL}`));
    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(CAROL)));
    fireEvent.click(screen.getByTestId('call-start-audio'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    platform.simulateRemoteAnswer();
    await screen.findByTestId('call-devices');
    await openDevices();
    expect(shown(picker('speaker'))).toBe('Built-in Speakers');
    expect(shown(picker('microphone'))).toBe('System default');
  });

  it('says a device that went, shows the choice again and the devices as they are now', async () => {
    const { platform } = await call(false);
    await openDevices();
    // The headset is unplugged while the dialog is open.
    platform.simulateMediaDevices({ ...SIMULATED_MEDIA_DEVICES, microphones: [{ id: 'mic-built-in', name: 'Built-in Microphone' }] });
    fireEvent.change(picker('microphone'), { target: { value: 'mic-headset' } });
    const error = await screen.findByTestId('form-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(plain(error.textContent)).toBe('That device is not connected any more.');
    expect(within(screen.getByTestId('call-devices-dialog')).getByTestId('form-error')).toBe(error);
    await waitFor(() => expect(optionTexts(picker('microphone'))).toEqual(['System default', 'Built-in Microphone']));
    expect(shown(picker('microphone'))).toBe('System default');

    // The next choice clears the error.
    fireEvent.change(picker('microphone'), { target: { value: 'mic-built-in' } });
    await waitFor(() => expect(screen.queryByTestId('form-error')).toBeNull());
    await waitFor(() => expect(shown(picker('microphone'))).toBe('Built-in Microphone'));
  });

  it('shows other refusals in the dialog, the picker back on the choice', async () => {
    const { platform } = await call(true);
    await openDevices();
    vi.spyOn(platform, 'chooseMediaDevices').mockRejectedValue({ code: 'internal', message: 'the camera is busy' });
    fireEvent.change(picker('camera'), { target: { value: 'camera-integrated' } });
    expect(plain((await screen.findByTestId('form-error')).textContent)).toBe('Something went wrong: the camera is busy');
    expect(shown(picker('camera'))).toBe('System default');
    expect(screen.queryByTestId('error-toast')).toBeNull();
  });

  it('shows a failed listing in the dialog', async () => {
    const { platform } = await call(false);
    vi.spyOn(platform, 'listMediaDevices').mockRejectedValue({ code: 'internal', message: 'no audio system' });
    fireEvent.click(screen.getByTestId('call-devices'));
    const dialog = await screen.findByTestId('call-devices-dialog');
    expect(plain((await within(dialog).findByTestId('form-error')).textContent)).toBe('Something went wrong: no audio system');
    expect(within(dialog).queryByRole('combobox')).toBeNull();
    expect(dialog.textContent).not.toContain('Loading…');
  });

  it('keeps a chosen device that is not connected, and says so', async () => {
    const { platform } = await call(false);
    await platform.chooseMediaDevices({ ...DEFAULTS, microphone: 'mic-headset' });
    platform.simulateMediaDevices({ ...SIMULATED_MEDIA_DEVICES, microphones: [] });
    await openDevices();
    expect(optionTexts(picker('microphone'))).toEqual(['System default', 'Chosen device (not connected)']);
    expect(shown(picker('microphone'))).toBe('Chosen device (not connected)');
    const choose = vi.spyOn(platform, 'chooseMediaDevices');
    fireEvent.change(picker('microphone'), { target: { value: '' } });
    expect(choose).toHaveBeenLastCalledWith(DEFAULTS);
    await waitFor(() => expect(optionTexts(picker('microphone'))).toEqual(['System default']));
  });

  it('closes when the call ends, and does not come back with the next call', async () => {
    const app = await call(false);
    await openDevices();
    app.platform.simulateRemoteHangUp();
    await waitFor(() => expect(screen.queryByTestId('call-devices-dialog')).toBeNull());
    expect(app.state.dialog()).toBeNull();
    expect(document.querySelector('[inert]')).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('call-view')).toBeNull(), { timeout: 3000 });
    fireEvent.click(screen.getByTestId('call-start-audio'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    app.platform.simulateRemoteAnswer();
    await screen.findByTestId('call-devices');
    expect(screen.queryByTestId('call-devices-dialog')).toBeNull();
  });

  it('keeps Alt+Down for the picker: it does not switch chats behind the dialog', async () => {
    await call(false);
    await openDevices();
    fireEvent.keyDown(picker('microphone'), { key: 'ArrowDown', altKey: true });
    expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(BOB));
  });
});

describe('a machine without devices', () => {
  it('still offers System default for the microphone and speaker, and says there is no camera', async () => {
    const { platform } = await call(true, { mediaDevices: NO_DEVICES });
    await openDevices();
    expect(optionTexts(picker('microphone'))).toEqual(['System default']);
    expect(optionTexts(picker('speaker'))).toEqual(['System default']);
    expect(picker('microphone').disabled).toBe(false);
    expect(picker('speaker').disabled).toBe(false);
    expect(shown(picker('microphone'))).toBe('System default');
    expect(optionTexts(picker('camera'))).toEqual(['No camera found']);
    expect(picker('camera').disabled).toBe(true);
    expect(screen.getByLabelText('Camera')).toBe(picker('camera'));

    // Still usable: the default can be chosen.
    const choose = vi.spyOn(platform, 'chooseMediaDevices');
    fireEvent.change(picker('speaker'), { target: { value: '' } });
    expect(choose).toHaveBeenLastCalledWith(DEFAULTS);
    await expect(choose.mock.results.at(-1)?.value).resolves.toMatchObject({ ...NO_DEVICES, chosen: DEFAULTS });
    expect(screen.queryByTestId('form-error')).toBeNull();
  });
});

describe('the devices in Arabic', () => {
  it('has Arabic labels', async () => {
    const { state } = await call(true, { mediaDevices: { ...SIMULATED_MEDIA_DEVICES, cameras: [] } });
    state.settings.setLang('ar');
    await waitFor(() => expect(plain(screen.getByTestId('call-devices').textContent)).toBe('الأجهزة'));
    const dialog = await openDevices();
    expect(screen.getByRole('dialog', { name: 'أجهزة الصوت والصورة' })).toBe(dialog);
    expect(within(dialog).getByLabelText('الميكروفون')).toBe(picker('microphone'));
    expect(within(dialog).getByLabelText('مكبّر الصوت')).toBe(picker('speaker'));
    expect(within(dialog).getByLabelText('الكاميرا')).toBe(picker('camera'));
    expect(shown(picker('microphone'))).toBe('الافتراضي في النظام');
    expect(optionTexts(picker('camera'))).toEqual(['لم يُعثر على كاميرا']);
  });
});
