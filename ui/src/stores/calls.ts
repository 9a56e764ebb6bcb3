// The call this device is in, as the call view shows it: fed by the host's `callChanged` and
// `callEnded` events and by `currentCall` (at start, and once a call is answered, for its
// security emojis). An ended call stays for a moment with why it ended, then goes. Also
// whether the call is shown in the picture-in-picture window (closed when the call ends), and
// the call's microphone and camera switches as this window last heard them from the host
// (each `switchCallMedia` answer; off again for each new call and once a call ends). The other
// window may switch them too: `syncMedia` asks again (when a call is loaded, and when the
// panel expands from the picture-in-picture window). And the microphones, speakers and cameras
// of this machine with the ones chosen for calls, as the host last said (the host keeps the
// choice until the app quits, whatever the call).

import { createSignal, type Accessor } from 'solid-js';
import { isConnected } from '../lib/calls';
import { withDevice, type MediaDeviceKind } from '../lib/mediaDevices';
import type {
  CallEmojis,
  CallEndReason,
  CallInfo,
  CallMedia,
  CallPhase,
  CoreEvent,
  CurrentCall,
  MediaDeviceChoice,
  MediaDevices,
  Platform,
} from '../platform/types';

/** How long the outcome of an ended call stays on screen. */
export const CALL_ENDED_SHOW_MS = 2000;

/** The switches of a new call: microphone and camera on. */
export const MEDIA_ON: Readonly<CallMedia> = Object.freeze({ muted: false, cameraOff: false });

export interface ShownCall {
  call: CallInfo;
  phase: CallPhase;
  /** The four emojis of the call's key, once answered and asked for. */
  emojis: CallEmojis | null;
  /** When this window saw it connected (its duration counts from there), Unix ms. */
  connectedAt: number | null;
  /** Set once it ended: the view says why, then closes. */
  ended: { reason: CallEndReason; durationMs: number | null } | null;
}

export interface CallsStore {
  /** The call shown: under way, or ended a moment ago; null when none. */
  current: Accessor<ShownCall | null>;
  /**
   * Asks the host for the call this device is in (at start-up): shows it, or forgets a call
   * kept from before (an ended one still showing why stays its moment).
   */
  load(): Promise<void>;
  /** `callChanged`, `callEnded` and `callMissedWhileBusy` events. */
  apply(event: CoreEvent): void;
  /** A call this window just placed (its events may come before or after). */
  placed(call: CallInfo): void;
  /** Called with each call that was missed because this device was in another one. */
  onMissedWhileBusy(handler: (call: CallInfo) => void): () => void;
  /** Forgets the call (sign-out, lock); closes the picture-in-picture window. */
  clear(): void;
  /** Whether this window opened the picture-in-picture window (and it was not closed since). */
  pipOpen: Accessor<boolean>;
  /** Opens the picture-in-picture window; rejects as the host does. */
  openPip(): Promise<void>;
  /** Closes the picture-in-picture window (the main window comes to the front). */
  closePip(): Promise<void>;
  /** The picture-in-picture window closed by itself ("Return to the call" in it). */
  pipClosed(): void;
  /** The microphone and camera switches of the call under way (`MEDIA_ON` when none). */
  media: Accessor<CallMedia>;
  /**
   * Switches the microphone and/or camera of the call under way (`{}`: asks how they stand);
   * `media` then follows the host's answer, which it resolves with. Rejects as the host does.
   */
  switchMedia(change: Partial<CallMedia>): Promise<CallMedia>;
  /** Asks the host how the switches stand, if a call is under way (failures are ignored). */
  syncMedia(): void;
  /** This machine's microphones, speakers and cameras and the ones chosen; null until asked. */
  devices: Accessor<MediaDevices | null>;
  /** Asks the host for the devices and the choice; `devices` then follows. Rejects as the host does. */
  loadDevices(): Promise<MediaDevices>;
  /**
   * Chooses the device of one kind (null: the system's default), the others staying as chosen:
   * sends the whole choice, and `devices` then follows the host's answer, which it resolves
   * with. Rejects as the host does; the list is then asked again (a device may have gone).
   */
  chooseDevice(kind: MediaDeviceKind, id: string | null): Promise<MediaDevices>;
}

function rank(phase: CallPhase): number {
  return isConnected(phase) ? 2 : phase === 'ringing' ? 1 : 0;
}

export function createCallsStore(platform: Platform, now: () => number = () => Date.now()): CallsStore {
  const [current, setCurrent] = createSignal<ShownCall | null>(null);
  const [pipOpen, setPipOpen] = createSignal(false);
  const [media, setMedia] = createSignal<CallMedia>(MEDIA_ON);
  const missedHandlers = new Set<(call: CallInfo) => void>();
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts the questions to `switchCallMedia`: only the answer to the latest one is kept. */
  let mediaAsk = 0;
  const [devices, setDevices] = createSignal<MediaDevices | null>(null);
  /** Counts the questions about the devices: only the answer to the latest one is kept. */
  let devicesAsk = 0;
  /** The choice last sent, while its answer is due: a change made meanwhile builds on it. */
  let wanted: MediaDeviceChoice | null = null;

  /** The call under way, not one that ended. */
  const live = (): ShownCall | null => {
    const c = current();
    return c !== null && c.ended === null ? c : null;
  };

  const show = (next: ShownCall | null): void => {
    clearTimeout(closeTimer);
    closeTimer = undefined;
    // Another call, or none under way: its switches start over (answers still due are dropped).
    const prev = current();
    if (next === null || next.ended !== null || prev === null || prev.call.id !== next.call.id) {
      mediaAsk++;
      setMedia(MEDIA_ON);
    }
    setCurrent(next);
  };

  const switchMedia = async (change: Partial<CallMedia>): Promise<CallMedia> => {
    const id = live()?.call.id ?? null;
    const ask = ++mediaAsk;
    const now = await platform.switchCallMedia(change);
    if (ask === mediaAsk && id !== null && live()?.call.id === id) {
      setMedia({ muted: now.muted, cameraOff: now.cameraOff });
    }
    return now;
  };

  const syncMedia = (): void => {
    if (live() !== null) switchMedia({}).catch(() => undefined);
  };

  /**
   * Asks the host about the devices (`choice`: the choice it sends, null for the list alone);
   * the answer to the latest question is shown, older ones are dropped.
   */
  const askDevices = async (question: () => Promise<MediaDevices>, choice: MediaDeviceChoice | null): Promise<MediaDevices> => {
    const ask = ++devicesAsk;
    wanted = choice;
    try {
      const answer = await question();
      if (ask === devicesAsk) {
        wanted = null;
        setDevices(answer);
      }
      return answer;
    } catch (error) {
      if (ask === devicesAsk) {
        wanted = null;
        // A refused choice: the list is asked again, a device may have gone.
        if (choice !== null) loadDevices().catch(() => undefined);
      }
      throw error;
    }
  };

  const loadDevices = (): Promise<MediaDevices> => askDevices(() => platform.listMediaDevices(), null);

  const chooseDevice = async (kind: MediaDeviceKind, id: string | null): Promise<MediaDevices> => {
    const choice = withDevice(wanted ?? devices()?.chosen ?? (await loadDevices()).chosen, kind, id);
    return askDevices(() => platform.chooseMediaDevices(choice), choice);
  };

  /**
   * Where the host says the call stands; keeps what this window knew of the same call (an
   * answer to an older question never takes a call back from connected to ringing).
   */
  const merge = (info: CallInfo, reported: CallPhase, emojis: CallEmojis | null): void => {
    const prev = current();
    const same = prev !== null && prev.call.id === info.id;
    if (same && prev.ended !== null) return;
    const phase = same && rank(prev.phase) > rank(reported) ? prev.phase : reported;
    const connected = isConnected(phase);
    show({
      call: info,
      phase,
      emojis: emojis ?? (same ? prev.emojis : null),
      connectedAt: connected ? ((same ? prev.connectedAt : null) ?? now()) : null,
      ended: null,
    });
  };

  /** No call to show in it any more: the picture-in-picture window goes. */
  const dropPip = (): void => {
    if (!pipOpen()) return;
    setPipOpen(false);
    platform.closeCallWindow().catch(() => undefined);
  };

  const fromHost = (found: CurrentCall | null): void => {
    if (found !== null) merge(found.call, found.phase, found.emojis);
  };

  /** Asks for the emojis of an answered call (only `currentCall` has them). */
  const askEmojis = (id: number): void => {
    platform
      .currentCall()
      .then((found) => {
        if (found !== null && found.call.id === id) fromHost(found);
      })
      .catch(() => undefined);
  };

  return {
    current,
    async load() {
      const found = await platform.currentCall();
      if (found !== null) {
        fromHost(found);
        syncMedia();
        return;
      }
      if (current()?.ended === null) show(null);
      dropPip();
    },
    apply(event) {
      if (event.type === 'callChanged') {
        merge(event.call, event.phase, null);
        if (isConnected(event.phase) && current()?.emojis === null) askEmojis(event.call.id);
      } else if (event.type === 'callEnded') {
        const prev = current();
        const same = prev !== null && prev.call.id === event.call.id;
        show({
          call: event.call,
          phase: same ? prev.phase : 'ringing',
          emojis: same ? prev.emojis : null,
          connectedAt: same ? prev.connectedAt : null,
          ended: { reason: event.reason, durationMs: event.durationMs },
        });
        dropPip();
        closeTimer = setTimeout(() => {
          closeTimer = undefined;
          if (current()?.call.id === event.call.id) setCurrent(null);
        }, CALL_ENDED_SHOW_MS);
      } else if (event.type === 'callMissedWhileBusy') {
        for (const handler of missedHandlers) handler(event.call);
      }
    },
    placed(call) {
      if (current()?.call.id !== call.id) merge(call, 'calling', null);
    },
    onMissedWhileBusy(handler) {
      missedHandlers.add(handler);
      return () => missedHandlers.delete(handler);
    },
    clear() {
      show(null);
      dropPip();
    },
    pipOpen,
    async openPip() {
      await platform.openCallWindow();
      // The call may have ended while the window opened: it goes again.
      const c = current();
      if (c === null || c.ended !== null) await platform.closeCallWindow();
      else setPipOpen(true);
    },
    async closePip() {
      setPipOpen(false);
      syncMedia();
      await platform.closeCallWindow();
    },
    pipClosed() {
      if (!pipOpen()) return;
      setPipOpen(false);
      syncMedia();
    },
    media,
    switchMedia,
    syncMedia,
    devices,
    loadDevices,
    chooseDevice,
  };
}
