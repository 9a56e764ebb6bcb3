// The signed-in window: chat and channel lists on the inline-start side, the open chat or
// channel on the other, the dialogs, the call view (asking the host at start for a call under
// way) and the live region for new messages. Owns the global shortcuts (Ctrl+K, Ctrl+L to
// lock, Ctrl+1..3 to switch accounts, Esc for the notice, Alt+Up / Alt+Down and Ctrl+Tab /
// Ctrl+Shift+Tab to switch between the chats, then the channels, of the sidebar), locks after
// the chosen idle time, and opens the `wren://` links waiting in the store once the chat list
// is loaded.

import { Match, Show, Switch, createEffect, createMemo, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { CallView } from '../components/CallView';
import { Icon } from '../components/Icon';
import { LiveAnnouncer } from '../components/LiveAnnouncer';
import { Notice } from '../components/Notice';
import { formatNumber } from '../i18n/locale';
import { peerName } from '../lib/calls';
import { adjacentChat } from '../lib/chats';
import { channelRoute, chatRoute, parseChannelRoute, parseChatRoute } from '../lib/route';
import { watchIdle } from '../lib/idle';
import { accountShortcut, chatSwitchStep, isLockShortcut } from '../lib/shortcuts';
import { toErrorInfo } from '../platform/errors';
import type { ChannelInfo, ChatId, DeepLink, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { ChannelInfoDialog } from './ChannelInfoDialog';
import { ChannelView } from './ChannelView';
import { ChatInfoDialog } from './ChatInfoDialog';
import { Conversation } from './Conversation';
import { resolveDeepLink } from './deepLinks';
import { DirectoryDialog } from './DirectoryDialog';
import { errorText } from './errorText';
import { JoinChannelDialog } from './JoinChannelDialog';
import { NewChannelDialog } from './NewChannelDialog';
import { NewDirectDialog } from './NewDirectDialog';
import { NewGroupDialog } from './NewGroupDialog';
import { SafetyNumberDialog } from './SafetyNumberDialog';
import { BusinessProfileDialog } from './BusinessProfileDialog';
import { CallDevicesDialog } from './CallDevicesDialog';
import { SettingsDialog } from './SettingsDialog';
import { SponsoredAboutDialog } from './SponsoredAboutDialog';
import { SEARCH_INPUT_ID, Sidebar } from './Sidebar';

const CLOCK_TICK_MS = 30_000;
const TOAST_MS = 5000;

export function MainScreen(): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [now, setNow] = createSignal(Date.now());
  const [focus, setFocus] = createSignal<{ chat: ChatId; seq: Seq } | null>(null);
  const [toast, setToast] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  /** The invite link the join dialog offers. */
  const [joinLink, setJoinLink] = createSignal<string | null>(null);
  /** True once the chat list has been loaded (or failed to): links can be opened. */
  const [chatsReady, setChatsReady] = createSignal(false);
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;
  let links = Promise.resolve();
  const routed = parseChatRoute(window.location.hash);
  const routedChannel = parseChannelRoute(window.location.hash);

  const showError = (message: string): void => {
    setToast(message);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => setToast(null), TOAST_MS);
  };

  // Refused without a passcode: everything stays as it was, and the user is told why.
  const lock = (): void => {
    app.lock().catch((error: unknown) => {
      if (alive) showError(toErrorInfo(error).code === 'invalid' ? t('lock.needsPasscode') : errorText(t, error));
    });
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const step = chatSwitchStep(event);
    const account = accountShortcut(event);
    if (step !== null && app.dialog() === null) {
      // Not under a dialog, where Alt+Down still opens a <select>.
      event.preventDefault();
      switchTo(step);
    } else if (isLockShortcut(event)) {
      event.preventDefault();
      lock();
    } else if (account !== null) {
      event.preventDefault();
      app.accounts.switchToIndex(account).catch((error: unknown) => {
        if (alive) showError(errorText(t, error));
      });
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k' && !event.defaultPrevented) {
      // Not when something (the composer's "insert a link") used it already.
      event.preventDefault();
      const input = document.getElementById(SEARCH_INPUT_ID);
      if (input instanceof HTMLInputElement) {
        app.setDialog(null);
        input.focus();
        input.select();
      }
    } else if (event.key === 'Escape' && notice() !== null && !event.defaultPrevented && !event.cancelBubble) {
      // Only an Esc nothing else used (a dialog, menu, search box or reply strip stops it).
      setNotice(null);
    }
  };

  /** The next (1) or previous (-1) of the sidebar's chats, then channels; in the archive, of its chats. */
  const switchTo = (step: -1 | 1): void => {
    const archive = app.archiveOpen();
    const chats = archive ? app.chats.archivedIds() : app.tabIds();
    const channels = archive ? [] : app.channels.ids();
    const keys = [...chats.map((id) => `chat:${id}`), ...channels.map((id) => `channel:${id}`)];
    const chat = app.activeChat();
    const channel = app.activeChannel();
    const current = chat !== null ? `chat:${chat}` : channel !== null ? `channel:${channel}` : null;
    const next = adjacentChat(keys, current, step);
    if (next === null || next === current) return;
    const [kind, id] = next.split(':');
    if (kind === 'channel') app.openChannel(Number(id));
    else app.openChat(Number(id));
  };

  /** Shows a channel (subscribed, or a preview) in place of the open chat. */
  const showChannel = (channel: ChannelInfo): void => {
    app.channels.put(channel);
    app.setDialog(null);
    setNotice(null);
    app.openChannel(channel.id);
  };

  const openLink = async (link: DeepLink): Promise<void> => {
    const outcome = await resolveDeepLink(app.platform, app, t, link);
    if (!alive) return;
    if ('notice' in outcome) {
      setNotice(outcome.notice);
    } else if ('channel' in outcome) {
      showChannel(outcome.channel);
    } else if ('join' in outcome) {
      setNotice(null);
      setJoinLink(outcome.join);
      app.setDialog('joinChannel');
    } else {
      app.chats.put(outcome.open);
      app.setDialog(null);
      setNotice(null);
      app.openChat(outcome.open.id);
    }
  };

  onMount(() => {
    const clock = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    document.addEventListener('keydown', onKeyDown);
    const chats = app.chats
      .load()
      .then(() => {
        if (routed !== null && app.chats.byId(routed) !== undefined) app.openChat(routed);
      })
      .catch((error: unknown) => showError(toErrorInfo(error).message));
    const channels = app.channels
      .load()
      .then(() => {
        if (routedChannel !== null && app.channels.byId(routedChannel) !== undefined) app.openChannel(routedChannel);
      })
      .catch((error: unknown) => showError(errorText(t, error)));
    void Promise.all([chats, channels]).finally(() => setChatsReady(true));
    app.folders.load().catch(() => undefined);
    // A call may be under way (the window was reloaded, or the profile unlocked).
    app.calls.load().catch(() => undefined);
    const stopMissed = app.calls.onMissedWhileBusy((call) => {
      setNotice(t('calls.missedWhileBusy', { name: peerName(call, app.chats.list()) ?? t('calls.someone') }));
    });
    onCleanup(() => {
      stopMissed();
      alive = false;
      clearInterval(clock);
      clearTimeout(toastTimer);
      document.removeEventListener('keydown', onKeyDown);
      // Signed out or locked: the unread count goes with the chats.
      document.title = t('app.name');
    });
  });

  createEffect(() => {
    const seconds = app.settings.autoLock();
    if (seconds === 0 || !app.session.hasPasscode()) return;
    onCleanup(watchIdle(window, seconds * 1000, lock));
  });

  // Links wait in the store until this window is up; they are opened one after another.
  createEffect(() => {
    if (!chatsReady() || app.links.pending().length === 0) return;
    for (const link of app.links.drain()) links = links.then(() => openLink(link)).catch(() => undefined);
  });

  createEffect(() => {
    if (!app.chats.loaded()) return;
    const channel = app.activeChannel();
    const route = channel !== null ? channelRoute(channel) : chatRoute(app.activeChat());
    if (window.location.hash !== route) window.history.replaceState(null, '', route === '' ? ' ' : route);
  });

  createEffect(() => {
    const unread = app.chats.totalUnread(now());
    document.title = unread > 0 ? `${t('app.name')} (${formatNumber(unread, app.settings.lang())})` : t('app.name');
  });

  const openMessage = (chat: ChatId, seq: Seq): void => {
    setFocus({ chat, seq });
    if (app.activeChat() === chat) app.openChat(null);
    queueMicrotask(() => app.openChat(chat));
  };
  const closeDialog = (): void => app.setDialog(null);
  /** The open chat as a string, so that a chat id 0 still counts as open. */
  const openKey = createMemo(() => {
    const id = app.activeChat();
    return id === null ? null : String(id);
  });
  const activeSummary = () => {
    const id = app.activeChat();
    return id === null ? undefined : app.chats.byId(id);
  };
  /** The open channel as a string, like `openKey`. */
  const channelKey = createMemo(() => {
    const id = app.activeChannel();
    return id === null ? null : String(id);
  });
  const activeChannelInfo = () => {
    const id = app.activeChannel();
    return id === null ? undefined : app.channels.byId(id);
  };

  return (
    <div class="main-screen" data-testid="main-screen">
      <Sidebar now={now()} onOpenMessage={openMessage} onError={showError} />
      <main class="chat-area">
        <Show
          when={openKey()}
          keyed
          fallback={
            <Show
              when={channelKey()}
              keyed
              fallback={
                <div class="empty-chat" data-testid="no-chat-selected">
                  <span class="empty-chat-pill">{t('chat.select')}</span>
                </div>
              }
            >
              {(key) => (
                <Show when={app.channels.byId(Number(key))}>
                  {(channel) => <ChannelView channel={channel()} now={now()} onError={showError} />}
                </Show>
              )}
            </Show>
          }
        >
          {(key) => (
            <Show when={app.chats.byId(Number(key))}>
              {(chat) => (
                <Conversation
                  chat={chat()}
                  now={now()}
                  focusSeq={focus()?.chat === Number(key) ? (focus()?.seq ?? null) : null}
                  onError={showError}
                />
              )}
            </Show>
          )}
        </Show>
      </main>
      <Switch>
        <Match when={app.dialog() === 'newDirect'}>
          <NewDirectDialog onClose={closeDialog} />
        </Match>
        <Match when={app.dialog() === 'newGroup'}>
          <NewGroupDialog onClose={closeDialog} />
        </Match>
        <Match when={app.dialog() === 'settings'}>
          <SettingsDialog onClose={closeDialog} />
        </Match>
        <Match when={app.dialog() === 'chatInfo' && activeSummary()}>
          {(chat) => <ChatInfoDialog chat={chat()} onClose={closeDialog} />}
        </Match>
        <Match when={app.dialog() === 'safetyNumber' && activeSummary()}>
          {(chat) => <SafetyNumberDialog chat={chat()} onClose={closeDialog} />}
        </Match>
        <Match when={app.dialog() === 'directory'}>
          <DirectoryDialog onClose={closeDialog} onOpen={showChannel} />
        </Match>
        <Match when={app.dialog() === 'newChannel'}>
          <NewChannelDialog onClose={closeDialog} onCreated={showChannel} />
        </Match>
        <Match when={app.dialog() === 'channelInfo' && activeChannelInfo()}>
          {(channel) => <ChannelInfoDialog channel={channel()} onClose={closeDialog} />}
        </Match>
        <Match when={app.dialog() === 'sponsoredAbout'}>
          <SponsoredAboutDialog onClose={closeDialog} />
        </Match>
        <Match when={app.dialog() === 'businessProfile'}>
          <BusinessProfileDialog onClose={closeDialog} />
        </Match>
        <Match when={app.dialog() === 'joinChannel' && joinLink()}>
          {(link) => <JoinChannelDialog link={link()} onClose={closeDialog} onJoined={showChannel} />}
        </Match>
        <Match when={app.dialog() === 'callDevices' && app.calls.current()?.ended === null}>
          <CallDevicesDialog onClose={closeDialog} />
        </Match>
      </Switch>
      <CallView onError={showError} />
      <LiveAnnouncer announcer={app.announcer} />
      <Show when={notice()}>{(text) => <Notice text={text()} onClose={() => setNotice(null)} />}</Show>
      <Show when={toast()}>
        {(text) => (
          <div class="toast" role="alert" data-testid="error-toast">
            <Icon name="error" size={20} />
            <span>{text()}</span>
          </div>
        )}
      </Show>
    </div>
  );
}
