// The call this device is in, over whatever screen is open: a modal panel with Accept and
// Decline (and the ringtone) while a call rings here, else a non-modal region with the other
// side's name, where the call stands, its duration and security emojis once answered, the
// other side's picture in a connected video call, Mute (also Ctrl+Shift+M), in a video call
// the camera switch, and Devices (the microphone, speaker and camera pickers) once connected,
// Picture in picture and Cancel / Hang up. While the picture-in-picture window is open the
// region is a compact bar (name, duration, Mute, Return to call, Hang up). An ended call shows
// why for a moment, then the view closes.

import { For, Show, createEffect, createMemo, createSignal, createUniqueId, on, onCleanup, onMount, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { formatDuration } from '../i18n/locale';
import { endedText, isConnected, peerName, phaseText } from '../lib/calls';
import { tellMediaSwitched } from '../lib/callWindow';
import { focusableIn, trapTab } from '../lib/focus';
import { inertOutside } from '../lib/inert';
import { startRingtone } from '../lib/ringtone';
import { isMuteShortcut } from '../lib/shortcuts';
import { toErrorInfo } from '../platform/errors';
import type { CallInfo, CallMedia } from '../platform/types';
import { useApp } from '../stores/app';
import type { ShownCall } from '../stores/calls';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { LIVE_REGION } from './LiveAnnouncer';
import { RemoteVideo } from './RemoteVideo';

/** How often the duration of an answered call is redrawn. */
const DURATION_TICK_MS = 500;

export function CallView(props: { onError: (message: string) => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const shown = app.calls.current;
  const fail = (error: unknown): void => props.onError(toErrorInfo(error).message);
  const name = (call: CallInfo): string => peerName(call, app.chats.list()) ?? t('calls.someone');
  /** The call ringing here, by id (a string, so that a call id 0 still counts). */
  const ringingId = createMemo(() => {
    const c = shown();
    const ringing = c !== null && c.ended === null && c.call.direction === 'incoming' && c.phase === 'ringing';
    return ringing ? String(c.call.id) : null;
  });
  const panelId = createMemo(() => {
    const c = shown();
    return c !== null && ringingId() === null ? String(c.call.id) : null;
  });
  /** Set when the user answered here: the call view then takes the keyboard focus. */
  let answered: number | null = null;

  const statusText = (c: ShownCall): string =>
    c.ended !== null
      ? endedText(c.ended.reason, c.ended.durationMs, t, app.settings.lang())
      : phaseText(c.call, c.phase, t);

  // Each change of where the call stands is said once (the incoming panel, a dialog, names itself).
  createEffect(() => {
    const c = shown();
    if (c === null || ringingId() !== null) return;
    const stage = c.ended !== null ? 'ended' : isConnected(c.phase) ? 'connected' : c.phase;
    app.announcer.say(`call:${c.call.id}:${stage}`, t('calls.announce', { name: name(c.call), status: statusText(c) }));
  });

  const accept = (call: CallInfo): void => {
    answered = call.id;
    app.platform.acceptCall(call.id).catch(fail);
  };
  const decline = (call: CallInfo): void => {
    app.platform.declineCall(call.id).catch(fail);
  };
  /** Each switch of the microphone is said (under a key of its own: each one is new). */
  let micSwitches = 0;
  const switchMedia = (call: CallInfo, change: Partial<CallMedia>): void => {
    app.calls
      .switchMedia(change)
      .then((now) => {
        tellMediaSwitched('main');
        if (change.muted !== undefined) {
          app.announcer.say(`call:${call.id}:mic:${++micSwitches}`, t(now.muted ? 'calls.muted' : 'calls.unmuted'));
        }
      })
      .catch(fail);
  };

  return (
    <>
      <Show when={ringingId()} keyed>
        {(id) => (
          <Show when={shown()?.call.id === Number(id) ? shown() : null}>
            {(c) => (
              <IncomingCall
                call={c().call}
                name={name(c().call)}
                onAccept={() => accept(c().call)}
                onDecline={() => decline(c().call)}
              />
            )}
          </Show>
        )}
      </Show>
      <Show when={panelId()} keyed>
        {(id) => (
          <Show when={shown()?.call.id === Number(id) ? shown() : null}>
            {(c) => (
              <OngoingCall
                shown={c()}
                name={name(c().call)}
                status={statusText(c())}
                takeFocus={answered === Number(id)}
                collapsed={app.calls.pipOpen()}
                media={app.calls.media()}
                onToggleMute={() => switchMedia(c().call, { muted: !app.calls.media().muted })}
                onToggleCamera={() => switchMedia(c().call, { cameraOff: !app.calls.media().cameraOff })}
                onDevices={() => app.setDialog('callDevices')}
                onHangUp={() => app.platform.hangUp(c().call.id).catch(fail)}
                onPip={() => app.calls.openPip().catch(fail)}
                onReturn={() => app.calls.closePip().catch(fail)}
              />
            )}
          </Show>
        )}
      </Show>
    </>
  );
}

/** A call ringing on this device: modal, Accept focused first, Esc declines; it rings. */
function IncomingCall(props: { call: CallInfo; name: string; onAccept: () => void; onDecline: () => void }): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const kindId = createUniqueId();
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  let backdrop!: HTMLDivElement;
  let panel!: HTMLDivElement;
  let acceptButton!: HTMLButtonElement;
  let restore = (): void => undefined;
  let stopRinging = (): void => undefined;
  onMount(() => {
    restore = inertOutside([backdrop, ...document.querySelectorAll(LIVE_REGION)]);
    acceptButton.focus();
    stopRinging = startRingtone();
  });
  onCleanup(() => {
    stopRinging();
    restore();
    if (previous?.isConnected) previous.focus();
  });
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onDecline();
    } else if (event.key === 'Tab') {
      trapTab(panel, event);
    }
  };
  const label = (): string => t(props.call.video ? 'calls.incomingVideoFrom' : 'calls.incomingFrom', { name: props.name });
  return (
    <Portal>
      {/* A click beside the panel neither declines nor takes the keyboard focus out of it. */}
      <div ref={backdrop} class="backdrop call-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
        <div
          ref={panel}
          class="dialog call-incoming"
          role="dialog"
          aria-modal="true"
          aria-label={label()}
          aria-describedby={kindId}
          data-testid="incoming-call"
          tabIndex={-1}
          onKeyDown={onKeyDown}
        >
          <Avatar name={props.name} id={props.call.peer} size="large" />
          <h2 class="call-name" dir="auto">
            <bdi>{props.name}</bdi>
          </h2>
          <p class="call-kind" id={kindId}>
            <Icon name={props.call.video ? 'videocam' : 'call'} size={18} />
            <span>{t(props.call.video ? 'calls.incomingVideo' : 'calls.incoming')}</span>
          </p>
          <div class="call-actions">
            <button
              ref={acceptButton}
              type="button"
              class="button primary"
              data-testid="incoming-call-accept"
              onClick={() => props.onAccept()}
            >
              <Icon name="call" size={18} />
              <span>{t('calls.accept')}</span>
            </button>
            <button type="button" class="button danger" data-testid="incoming-call-decline" onClick={() => props.onDecline()}>
              <Icon name="callEnd" size={18} />
              <span>{t('calls.decline')}</span>
            </button>
          </div>
        </div>
      </div>
    </Portal>
  );
}

/** A call placed or answered here, or one that just ended: non-modal, chats stay usable. */
function OngoingCall(props: {
  shown: ShownCall;
  name: string;
  status: string;
  /** Answered in the incoming panel: the keyboard focus comes here. */
  takeFocus: boolean;
  /** The call is in the picture-in-picture window: only a compact bar shows here. */
  collapsed: boolean;
  /** The call's microphone and camera switches. */
  media: CallMedia;
  onToggleMute: () => void;
  onToggleCamera: () => void;
  /** Opens the microphone, speaker and camera pickers. */
  onDevices: () => void;
  onHangUp: () => void;
  onPip: () => void;
  onReturn: () => void;
}): JSX.Element {
  const { settings, callVideo, platform } = useApp();
  const t = settings.t;
  const [now, setNow] = createSignal(Date.now());
  // Whether this window system keeps the picture-in-picture window above the others.
  const [pipOnTop, setPipOnTop] = createSignal(true);
  onMount(() => {
    platform
      .pipStaysOnTop()
      .then(setPipOnTop)
      .catch(() => setPipOnTop(true));
  });
  let region!: HTMLElement;
  let hangUpButton: HTMLButtonElement | undefined;
  let pipButton: HTMLButtonElement | undefined;
  let returnButton: HTMLButtonElement | undefined;
  let previous: HTMLElement | null = null;
  /** Set when the keyboard focus was in the region as it collapsed or expanded: it stays there. */
  let refocus = false;
  const ended = (): boolean => props.shown.ended !== null;
  const connected = (): boolean => !ended() && isConnected(props.shown.phase);
  const collapsed = (): boolean => props.collapsed && !ended();
  const connectedAt = (): number | null => (ended() ? null : props.shown.connectedAt);
  const emojis = (): readonly string[] | null => (ended() ? null : props.shown.emojis);
  const hangUpText = (): string => (isConnected(props.shown.phase) ? t('calls.hangUp') : t('calls.cancel'));

  // Ctrl+Shift+M mutes and unmutes while the call is connected, wherever the focus is.
  createEffect(() => {
    if (!connected()) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!isMuteShortcut(event)) return;
      event.preventDefault();
      props.onToggleMute();
    };
    document.addEventListener('keydown', onKeyDown);
    onCleanup(() => document.removeEventListener('keydown', onKeyDown));
  });
  createEffect(() => {
    if (connectedAt() === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), DURATION_TICK_MS);
    onCleanup(() => clearInterval(timer));
  });
  onMount(() => {
    if (!props.takeFocus) return;
    previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (hangUpButton ?? focusableIn(region)[0])?.focus();
  });
  onCleanup(() => {
    if (region.contains(document.activeElement) && previous?.isConnected) previous.focus();
  });
  // Collapsed to the bar or expanded again from here: the focus goes to the button that undoes it.
  createEffect(
    on(
      collapsed,
      (isCollapsed) => {
        if (!refocus) return;
        refocus = false;
        (isCollapsed ? returnButton : pipButton)?.focus();
      },
      { defer: true },
    ),
  );
  const toPip = (): void => {
    refocus = region.contains(document.activeElement);
    props.onPip();
  };
  const back = (): void => {
    refocus = region.contains(document.activeElement);
    props.onReturn();
  };

  const duration = (since: number): JSX.Element => (
    <span class="call-duration" dir="ltr" data-testid="call-duration" title={t('calls.duration')}>
      {formatDuration((now() - since) / 1000, settings.lang())}
    </span>
  );
  /** Mute / Unmute: pressed while muted. */
  const mute = (testId: string): JSX.Element => (
    <button
      type="button"
      class="button call-toggle"
      aria-pressed={props.media.muted}
      aria-keyshortcuts="Control+Shift+M"
      data-testid={testId}
      onClick={() => props.onToggleMute()}
    >
      <Icon name={props.media.muted ? 'micOff' : 'mic'} size={18} />
      <span>{props.media.muted ? t('calls.unmute') : t('calls.mute')}</span>
    </button>
  );
  const hangUp = (): JSX.Element => (
    <button
      ref={hangUpButton}
      type="button"
      class="button danger call-hang-up"
      data-testid="call-hang-up"
      onClick={() => props.onHangUp()}
    >
      <Icon name="callEnd" size={18} />
      <span>{hangUpText()}</span>
    </button>
  );

  return (
    <Portal>
      <section
        ref={region}
        class="call-view"
        classList={{ 'call-view-collapsed': collapsed() }}
        role="region"
        aria-label={t('calls.region')}
        data-testid="call-view"
        data-ended={ended() ? 'true' : 'false'}
        data-pip={collapsed() ? 'true' : 'false'}
      >
        <Show
          when={!collapsed()}
          fallback={
            <div class="call-bar" data-testid="call-bar">
              <Icon name={props.shown.call.video ? 'videocam' : 'call'} size={18} />
              <span class="call-bar-name" dir="auto">
                <bdi>{props.name}</bdi>
              </span>
              <Show when={connectedAt()}>{(since) => duration(since())}</Show>
              <span class="call-bar-actions">
                <Show when={connected()}>{mute('call-bar-mute')}</Show>
                <button
                  ref={returnButton}
                  type="button"
                  class="button call-bar-return"
                  data-testid="call-bar-return"
                  onClick={back}
                >
                  <Icon name="openInFull" size={18} />
                  <span>{t('calls.return')}</span>
                </button>
                {hangUp()}
              </span>
            </div>
          }
        >
          <div class="call-view-head">
            <Avatar name={props.name} id={props.shown.call.peer} />
            <div class="call-view-title">
              <h2 class="call-name" dir="auto">
                <bdi>{props.name}</bdi>
              </h2>
              <p class="call-kind">
                <Icon name={props.shown.call.video ? 'videocam' : 'call'} size={16} />
                <span>{t(props.shown.call.video ? 'calls.video' : 'calls.audio')}</span>
              </p>
            </div>
          </div>
          <Show when={connected() && props.shown.call.video}>
            <div class="call-video">
              <RemoteVideo
                video={callVideo}
                label={t('calls.videoFrom', { name: props.name })}
                testId="call-remote-video"
              />
            </div>
          </Show>
          <p class="call-status">
            <span data-testid="call-status">{props.status}</span>
            <Show when={connectedAt()}>
              {(since) => (
                <>
                  {' · '}
                  {duration(since())}
                </>
              )}
            </Show>
          </p>
          <Show when={emojis()}>
            {(list) => (
              <div class="call-security">
                <p
                  class="call-emojis"
                  role="img"
                  aria-label={t('calls.emojisLabel', { emojis: list().join(' ') })}
                  data-testid="call-emojis"
                >
                  <For each={list()}>
                    {(emoji, i) => (
                      <>
                        {i() > 0 ? ' ' : ''}
                        <span class="call-emoji">{emoji}</span>
                      </>
                    )}
                  </For>
                </p>
                <p class="call-emojis-explain">{t('calls.emojisExplain')}</p>
              </div>
            )}
          </Show>
          <Show when={connected()}>
            <div class="call-media">
              {mute('call-mute')}
              <Show when={props.shown.call.video}>
                {/* Pressed while the camera is off. */}
                <button
                  type="button"
                  class="button call-toggle"
                  aria-pressed={props.media.cameraOff}
                  data-testid="call-camera"
                  onClick={() => props.onToggleCamera()}
                >
                  <Icon name={props.media.cameraOff ? 'videocamOff' : 'videocam'} size={18} />
                  <span>{props.media.cameraOff ? t('calls.cameraOn') : t('calls.cameraOff')}</span>
                </button>
              </Show>
              <button
                type="button"
                class="button call-devices"
                aria-haspopup="dialog"
                data-testid="call-devices"
                onClick={() => props.onDevices()}
              >
                <Icon name="tune" size={18} />
                <span>{t('calls.devices')}</span>
              </button>
            </div>
          </Show>
          <Show when={!ended()}>
            <div class="call-view-actions">
              <Show when={connected()}>
                <button ref={pipButton} type="button" class="button call-pip" data-testid="call-pip" onClick={toPip}>
                  <Icon name="pip" size={18} />
                  <span>{t('calls.pip')}</span>
                </button>
              </Show>
              <Show when={connected() && !pipOnTop()}>
                <p class="call-pip-note muted" data-testid="call-pip-note">
                  {t('calls.pipNotOnTop')}
                </p>
              </Show>
              {hangUp()}
            </div>
          </Show>
        </Show>
      </section>
    </Portal>
  );
}
