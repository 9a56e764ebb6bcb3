// The call's picture-in-picture window (this UI loaded with `?pip=1` in a small, frameless,
// always-on-top window the host opens): only the other side's picture (the avatar in a voice
// call), their name and the call's duration on top, and Return to the call / Mute / Hang up.
// No sign-in, lock screen or chat list: the host is signed in and unlocked for the main window.
// It asks the host for the current call and follows the same core events, and asks how the
// call's microphone and camera switches stand as it opens and whenever the main window says it
// switched them. When the call ends (or there is none), or on Return (or a click on the
// picture), it asks the host to close it (`close_call_window`, which brings the main window
// to the front). Everything but the buttons and the picture drags the window.

import { Show, createEffect, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { RemoteVideo } from '../components/RemoteVideo';
import type { Lang } from '../i18n';
import { formatDuration } from '../i18n/locale';
import { isConnected, peerName } from '../lib/calls';
import { onMediaSwitched, tellMediaSwitched, tellPipClosed } from '../lib/callWindow';
import { applyScale } from '../lib/scale';
import type { ChatSummary, Platform } from '../platform/types';
import { createCallsStore } from '../stores/calls';
import { createCallVideoStore } from '../stores/callVideo';
import { applyToDocument, createSettingsStore } from '../stores/settings';

/** How often the duration is redrawn. */
const DURATION_TICK_MS = 500;

export function PipView(props: {
  platform: Platform;
  /** localStorage: the language, theme and scale the main window chose. */
  storage?: Storage | null;
  systemLang?: Lang;
  now?: () => number;
}): JSX.Element {
  const platform = props.platform;
  const settings = createSettingsStore(props.storage ?? null, props.systemLang);
  const t = settings.t;
  const calls = createCallsStore(platform, props.now);
  const video = createCallVideoStore(platform);
  const [chats, setChats] = createSignal<ChatSummary[]>([]);
  /** True once the host said which call this device is in (or could not). */
  const [loaded, setLoaded] = createSignal(false);
  const [now, setNow] = createSignal(Date.now());
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const [prefersDark, setPrefersDark] = createSignal(media?.matches ?? false);
  let closing = false;

  /** The call under way (not one that just ended: the window is closing then). */
  const call = () => {
    const c = calls.current();
    return c !== null && c.ended === null ? c : null;
  };
  const name = (): string => {
    const c = call();
    return (c === null ? null : peerName(c.call, chats())) ?? t('calls.someone');
  };

  /** Asks the host to close this window (once; again only if that failed). */
  const close = (): void => {
    if (closing) return;
    closing = true;
    tellPipClosed();
    platform.closeCallWindow().catch(() => {
      closing = false;
    });
  };
  const hangUp = (): void => {
    const c = call();
    if (c === null) close();
    else platform.hangUp(c.call.id).catch(close);
  };
  const muted = (): boolean => calls.media().muted;
  const toggleMute = (): void => {
    if (call() === null) return;
    calls
      .switchMedia({ muted: !muted() })
      .then(() => tellMediaSwitched('pip'))
      .catch(() => undefined);
  };

  createEffect(() => applyToDocument(document.documentElement, settings.lang(), settings.theme(), prefersDark()));
  createEffect(() => applyScale(document.documentElement, settings.scale()));
  createEffect(() => {
    document.title = call() === null ? t('app.name') : t('calls.pipLabel', { name: name() });
  });
  // No call (any more): nothing to show.
  createEffect(() => {
    if (loaded() && call() === null) close();
  });
  createEffect(() => {
    if ((call()?.connectedAt ?? null) === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), DURATION_TICK_MS);
    onCleanup(() => clearInterval(timer));
  });

  onMount(() => {
    const onScheme = (event: MediaQueryListEvent): void => {
      setPrefersDark(event.matches);
    };
    media?.addEventListener('change', onScheme);
    const stop = platform.onEvent((event) => {
      if (event.type === 'callChanged' || event.type === 'callEnded') calls.apply(event);
      if (event.type === 'callEnded') video.clear();
      if (event.type === 'signedOut') close();
    });
    // The main window's Mute: ask how the switches stand now.
    const stopMedia = onMediaSwitched('pip', () => calls.syncMedia());
    calls
      .load()
      .catch(() => undefined)
      .finally(() => setLoaded(true));
    platform
      .chats()
      .then(setChats)
      .catch(() => undefined);
    onCleanup(() => {
      stop();
      stopMedia();
      media?.removeEventListener('change', onScheme);
    });
  });

  return (
    <main class="pip" aria-label={t('calls.pipLabel', { name: name() })} data-testid="pip-view" data-tauri-drag-region>
      <Show when={call()}>
        {(c) => (
          <>
            <Show
              when={c().call.video && isConnected(c().phase)}
              fallback={
                <div class="pip-voice" data-tauri-drag-region>
                  <Avatar name={name()} id={c().call.peer} size="large" />
                </div>
              }
            >
              <RemoteVideo
                video={video}
                label={t('calls.videoFrom', { name: name() })}
                testId="pip-video"
                class="pip-video"
                onClick={close}
              />
            </Show>
            <div class="pip-top" data-tauri-drag-region>
              <p class="pip-name" dir="auto" data-testid="pip-name">
                <bdi>{name()}</bdi>
                <Show when={c().connectedAt}>
                  {(since) => (
                    <>
                      {' · '}
                      <span class="call-duration" dir="ltr" data-testid="pip-duration">
                        {formatDuration((now() - since()) / 1000, settings.lang())}
                      </span>
                    </>
                  )}
                </Show>
              </p>
            </div>
            <div class="pip-controls" data-tauri-drag-region>
              <button
                type="button"
                class="pip-button"
                aria-label={t('calls.pipReturn')}
                title={t('calls.pipReturn')}
                data-testid="pip-return"
                onClick={close}
              >
                <Icon name="openInFull" size={18} />
              </button>
              <Show when={isConnected(c().phase)}>
                <button
                  type="button"
                  class="pip-button pip-mute"
                  aria-pressed={muted()}
                  aria-label={muted() ? t('calls.unmute') : t('calls.mute')}
                  title={muted() ? t('calls.unmute') : t('calls.mute')}
                  data-testid="pip-mute"
                  onClick={toggleMute}
                >
                  <Icon name={muted() ? 'micOff' : 'mic'} size={18} />
                </button>
              </Show>
              <button
                type="button"
                class="pip-button pip-hang-up"
                aria-label={t('calls.hangUp')}
                title={t('calls.hangUp')}
                data-testid="pip-hang-up"
                onClick={hangUp}
              >
                <Icon name="callEnd" size={18} />
              </button>
            </div>
          </>
        )}
      </Show>
    </main>
  );
}
