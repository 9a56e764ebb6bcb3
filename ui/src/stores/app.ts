// Everything the screens share, created once per app (and once per component test).

import { batch, createContext, createEffect, createMemo, createSignal, useContext, type Accessor } from 'solid-js';
import type { Lang } from '../i18n';
import { contactOf, displayTitle } from '../lib/chats';
import { folderChats } from '../lib/folders';
import { isArrival } from '../lib/messages';
import { isMuted } from '../lib/mute';
import type { ChannelId, ChatId, ConnectionState, CoreEvent, Folder, MessageView, Platform } from '../platform/types';
import { callRecordLabel } from '../lib/calls';
import { onMediaSwitched, onPipClosed } from '../lib/callWindow';
import { CHATS_ANSWERED, STATUS_ANSWERED, markStartup } from '../lib/startup';
import { createAccountsStore, type AccountsStore } from './accounts';
import { createAnnouncerStore, type AnnouncerStore } from './announcer';
import { createCallsStore, type CallsStore } from './calls';
import { createCallVideoStore, type CallVideoStore } from './callVideo';
import { createChannelsStore, type ChannelsStore } from './channels';
import { createChatsStore, type ChatsStore } from './chats';
import { createConversationsStore, type ConversationsStore } from './conversation';
import { LEGACY_DRAFTS_KEY, createDraftsStore, type DraftsStore } from './drafts';
import { createFoldersStore, type FoldersStore } from './folders';
import { createLinksStore, type LinksStore } from './links';
import { createPeopleStore, type PeopleStore } from './people';
import { createPresenceStore, type PresenceStore } from './presence';
import { createSecurityStore, type SecurityStore } from './security';
import { createSessionStore, type SessionStore } from './session';
import { createSettingsStore, type SettingsStore } from './settings';
import { createTypingStore, type TypingStore } from './typing';
import { wipeWebStorage } from './webStorage';

export type DialogKind =
  | 'newDirect'
  | 'newGroup'
  | 'chatInfo'
  | 'safetyNumber'
  | 'settings'
  | 'directory'
  | 'newChannel'
  | 'channelInfo'
  | 'joinChannel'
  | 'sponsoredAbout'
  | 'businessProfile'
  | 'callDevices';

export interface AppState {
  platform: Platform;
  session: SessionStore;
  /** The account slots of this app: switching, adding. */
  accounts: AccountsStore;
  chats: ChatsStore;
  /** The account's chat folders (tabs above the chat list). */
  folders: FoldersStore;
  /** The folder whose tab is chosen (remembered on this device); null: "All chats". */
  folderTab: Accessor<Folder | null>;
  /** The ids of the main chat list as the chosen tab shows it, in list order. */
  tabIds: Accessor<ChatId[]>;
  /** The channels this account is in or previews, and their posts. */
  channels: ChannelsStore;
  conversations: ConversationsStore;
  drafts: DraftsStore;
  /** The newest name of everyone heard of, for wherever a person is named. */
  people: PeopleStore;
  typing: TypingStore;
  /** Who is online, as far as everyone's privacy lets it be known. */
  presence: PresenceStore;
  settings: SettingsStore;
  /** `wren://` links waiting for the main window. */
  links: LinksStore;
  /** New messages for screen readers. */
  announcer: AnnouncerStore;
  /** Encryption of the open chat and the safety number with its contact. */
  security: SecurityStore;
  /** The call this device is in (or that just ended). */
  calls: CallsStore;
  /** The other side's pictures in this window's video calls. */
  callVideo: CallVideoStore;
  activeChat: Accessor<ChatId | null>;
  /** Also saves at once the drafts still waiting for a pause in typing; closes an open channel. */
  openChat(chat: ChatId | null): void;
  /** The channel shown instead of a chat (subscribed, or a preview). */
  activeChannel: Accessor<ChannelId | null>;
  /** Shows a channel (known to `channels`) instead of the open chat. */
  openChannel(channel: ChannelId | null): void;
  /**
   * Saves the drafts still waiting for a pause, locks the profile, then forgets everything
   * loaded from it and shows the lock screen. Rejects, changing nothing, when the host
   * refuses (no passcode).
   */
  lock(): Promise<void>;
  dialog: Accessor<DialogKind | null>;
  setDialog(dialog: DialogKind | null): void;
  /** The sidebar shows the archived chats instead of the main list. */
  archiveOpen: Accessor<boolean>;
  setArchiveOpen(open: boolean): void;
  connection: Accessor<ConnectionState>;
  sync: Accessor<{ done: number; total: number } | null>;
  /** Subscribes to host events; returns the unsubscribe function. */
  start(): () => void;
}

/** The host events that carry the account's chats and messages. */
const CONTENT_EVENTS: ReadonlySet<CoreEvent['type']> = new Set([
  'chatUpdated',
  'chatRemoved',
  'messageUpserted',
  'messageFailed',
  'messagesRemoved',
  'typing',
  'profileChanged',
  'foldersChanged',
  'presence',
  'channelUpdated',
  'channelRemoved',
  'postUpserted',
  'callChanged',
  'callEnded',
  'callMissedWhileBusy',
]);

export interface AppOptions {
  /** localStorage: the settings live there. */
  storage?: Storage | null;
  /** sessionStorage: only wiped (sign-out, lock). */
  sessionStorage?: Storage | null;
  now?: () => number;
  /** The language to start in until the user picks one. */
  systemLang?: Lang;
  /** Starts the page again after a switch of account (default: reloads it). */
  reload?: () => void;
}

export function createAppState(platform: Platform, options: AppOptions = {}): AppState {
  const storage = options.storage ?? null;
  const clock = options.now ?? Date.now;
  const sessionStorage = options.sessionStorage ?? null;
  // Older versions kept drafts here in clear text. They are deleted, not migrated: moving
  // them into the encrypted store would still leave this copy readable on disk until now.
  storage?.removeItem(LEGACY_DRAFTS_KEY);
  const chats = createChatsStore(platform);
  const folders = createFoldersStore(platform);
  const drafts = createDraftsStore(platform, (chat) => chats.byId(chat)?.draft ?? '');
  const conversations = createConversationsStore(platform);
  const people = createPeopleStore();
  const session = createSessionStore(platform);
  // Whatever waits for a pause in typing belongs to the account being left.
  const accounts = createAccountsStore(platform, session.phase, {
    reload: options.reload,
    leave: () => drafts.flush(),
  });
  const presence = createPresenceStore(platform, () => session.account()?.id);
  const loadChats = chats.load;
  chats.load = async () => {
    await loadChats();
    markStartup(CHATS_ANSWERED);
    people.learnChats(chats.list());
    // The contacts of the direct chats in the list, for their online dots.
    const me = session.account()?.id;
    const contacts = chats.list().flatMap((c) => contactOf(c, me)?.id ?? []);
    presence.ask(contacts).catch(() => undefined);
  };
  const typing = createTypingStore(options.now);
  const [activeChat, setActiveChat] = createSignal<ChatId | null>(null);
  const [activeChannel, setActiveChannel] = createSignal<ChannelId | null>(null);
  const [dialog, setDialog] = createSignal<DialogKind | null>(null);
  const [archiveOpen, setArchiveOpen] = createSignal(false);
  const [connection, setConnection] = createSignal<ConnectionState>('online');
  const [sync, setSync] = createSignal<{ done: number; total: number } | null>(null);
  const settings = createSettingsStore(storage, options.systemLang);
  const folderTab = createMemo((): Folder | null => {
    const id = settings.folderTab();
    return id === null ? null : (folders.byId(id) ?? null);
  });
  const tabIds = createMemo((): ChatId[] => {
    const folder = folderTab();
    return folder === null ? chats.mainIds() : folderChats(chats.list(), folder).map((c) => c.id);
  });
  const channels = createChannelsStore(platform, () => settings.lang());
  const links = createLinksStore(platform);
  const announcer = createAnnouncerStore();
  const security = createSecurityStore(platform);
  const calls = createCallsStore(platform, options.now);
  const callVideo = createCallVideoStore(platform);
  const takeLinks = (): void => {
    links.take().catch(() => undefined);
  };
  // The host shows the notifications: it needs the preview choice and, for hidden
  // previews, the stand-in text in the current language.
  const tellHost = (): void => {
    platform
      .setNotificationPreview(settings.notificationPreview(), settings.t('notifications.hiddenText'))
      .catch(() => undefined);
  };
  const setPreview = settings.setNotificationPreview;
  settings.setNotificationPreview = (show) => {
    setPreview(show);
    tellHost();
  };
  // Which kinds of chats the host announces at all (the UI's own announcer is not affected).
  const tellNotifyKinds = (): void => {
    platform.setNotifyKinds(settings.notifyKinds()).catch(() => undefined);
  };
  const setKinds = settings.setNotifyKinds;
  settings.setNotifyKinds = (kinds) => {
    setKinds(kinds);
    tellNotifyKinds();
  };
  // Signed out or locked: nothing of the account may stay in memory or in web storage.
  const forget = (): void => {
    drafts.clear();
    calls.clear();
    callVideo.clear();
    chats.clear();
    folders.clear();
    people.clear();
    presence.clear();
    channels.clear();
    setActiveChannel(null);
    wipeWebStorage(storage, sessionStorage);
  };
  // The host signed out, or the profile was locked: what was loaded and what shows it goes.
  const forgetAll = (): void => {
    setDialog(null);
    setActiveChat(null);
    setArchiveOpen(false);
    conversations.clear();
    security.clear();
    announcer.clear();
    forget();
  };
  const logout = session.logout;
  session.logout = async () => {
    const replaced = await logout();
    // Another account of this app took over: the page starts again from it.
    if (replaced) accounts.reload();
    else forget();
    return replaced;
  };
  const refresh = session.refresh;
  session.refresh = async () => {
    await refresh();
    markStartup(STATUS_ANSWERED);
    if (session.phase() === 'locked') forget();
  };
  const tellTray = (): void => {
    platform.setTrayTexts(settings.t('tray.show'), settings.t('tray.quit')).catch(() => undefined);
  };
  // The tray's tooltip in the UI's language, for the unread count of every account together
  // (the host counts the same; with nothing unread it shows the app's name).
  createEffect(() => {
    const total = accounts.slots().reduce((sum, slot) => sum + slot.unread, 0);
    if (total > 0) platform.setTrayUnread(total, settings.plural('tray.unread', total)).catch(() => undefined);
  });
  const setLang = settings.setLang;
  settings.setLang = (lang) => {
    setLang(lang);
    tellHost();
    tellTray();
  };

  // Each message that arrives is announced once, with its sender (and its chat, when that
  // is not the open one); not while a backlog is being synced, nor from a muted chat that is
  // not open (the host shows no notification for it either).
  const announce = (message: MessageView): void => {
    const chat = chats.byId(message.chat);
    if (sync() !== null || !isArrival(message, chat?.readSeq ?? 0)) return;
    const name = people.name(message.sender);
    const here = chat === undefined || activeChat() === message.chat;
    if (!here && isMuted(chat.mutedUntil, clock())) return;
    let text: string;
    if (message.undecryptable) {
      // Its text is only the reason it cannot be read: that is not what was said.
      text = here
        ? settings.t('announce.undecryptable', { name })
        : settings.t('announce.undecryptableIn', { name, chat: displayTitle(chat, settings.t) });
    } else if (message.call !== null && !message.deleted) {
      // A call record's text is an English summary for search: say the record itself.
      const label = callRecordLabel(message.call, message.outgoing, settings.t, settings.lang());
      text = here
        ? settings.t('announce.message', { name, text: label })
        : settings.t('announce.messageIn', { name, chat: displayTitle(chat, settings.t), text: label });
    } else {
      text = here
        ? settings.t('announce.message', { name, text: message.text })
        : settings.t('announce.messageIn', { name, chat: displayTitle(chat, settings.t), text: message.text });
    }
    announcer.say(`${message.chat}:${message.seq}`, text);
  };

  // Whatever changes in the open chat may have changed its encryption (a device joined, this
  // device got into the group): it is cheap to ask again.
  const recheck = (chat: ChatId): void => {
    const summary = chats.byId(chat);
    if (activeChat() === chat && summary !== undefined) security.refresh(summary, session.account()?.id);
  };

  const handle = (event: CoreEvent): void => {
    // Locked: a call still under way may report chats or messages; none may be kept.
    if (session.phase() === 'locked' && CONTENT_EVENTS.has(event.type)) return;
    people.apply(event);
    switch (event.type) {
      case 'chatUpdated':
      case 'chatRemoved':
        chats.apply(event);
        if (event.type === 'chatRemoved') {
          conversations.drop(event.chat);
          if (activeChat() === event.chat) setActiveChat(null);
        } else recheck(event.chat.id);
        break;
      case 'messageUpserted':
        conversations.apply(event.message);
        announce(event.message);
        recheck(event.message.chat);
        if (!event.message.outgoing) typing.stopped(event.message.chat, event.message.sender.id);
        break;
      case 'foldersChanged':
        folders.apply(event);
        break;
      case 'typing':
        typing.started(event.chat, event.account);
        break;
      case 'presence':
        presence.apply(event);
        break;
      case 'connection':
        setConnection(event.state);
        break;
      case 'syncProgress':
        setSync(event.done >= event.total ? null : { done: event.done, total: event.total });
        break;
      case 'messageFailed':
        if (event.localId !== null) conversations.failed(event.chat, event.localId);
        break;
      case 'messagesRemoved':
        conversations.removed(event.chat, event.localIds);
        break;
      case 'signedOut':
        forgetAll();
        session.signedOut();
        break;
      case 'linkOpened':
        takeLinks();
        break;
      case 'channelUpdated':
      case 'postUpserted':
        channels.apply(event);
        break;
      case 'callChanged':
      case 'callEnded':
      case 'callMissedWhileBusy':
        calls.apply(event);
        if (event.type === 'callEnded') {
          callVideo.clear();
          if (dialog() === 'callDevices') setDialog(null);
        }
        break;
      case 'channelRemoved':
        channels.apply(event);
        if (activeChannel() === event.channel) {
          setActiveChannel(null);
          if (dialog() === 'channelInfo') setDialog(null);
        }
        break;
    }
  };

  return {
    platform,
    session,
    accounts,
    chats,
    folders,
    folderTab,
    tabIds,
    channels,
    conversations,
    drafts,
    people,
    typing,
    presence,
    settings,
    links,
    announcer,
    security,
    calls,
    callVideo,
    activeChat,
    openChat(chat) {
      void drafts.flush();
      batch(() => {
        if (chat !== null) setActiveChannel(null);
        setActiveChat(chat);
      });
    },
    activeChannel,
    openChannel(channel) {
      void drafts.flush();
      batch(() => {
        if (channel !== null) setActiveChat(null);
        setActiveChannel(channel);
      });
    },
    async lock() {
      await drafts.flush();
      await session.lock();
      batch(forgetAll);
    },
    dialog,
    setDialog,
    archiveOpen,
    setArchiveOpen,
    connection,
    sync,
    start: () => {
      tellHost();
      tellNotifyKinds();
      tellTray();
      const stop = platform.onEvent(handle);
      const stopAccounts = accounts.start();
      // "Return to the call" in the picture-in-picture window: the call panel expands here.
      const stopPip = onPipClosed(() => calls.pipClosed());
      // Mute in the picture-in-picture window: ask how the call's switches stand now.
      const stopMedia = onMediaSwitched('main', () => calls.syncMedia());
      // The window is going away: save the drafts still waiting for a pause in typing.
      const leave = (): void => void drafts.flush();
      window.addEventListener('pagehide', leave);
      window.addEventListener('beforeunload', leave);
      // The app may have been started by a link.
      takeLinks();
      return () => {
        stop();
        stopAccounts();
        stopPip();
        stopMedia();
        window.removeEventListener('pagehide', leave);
        window.removeEventListener('beforeunload', leave);
      };
    },
  };
}

export const AppContext = createContext<AppState>();

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (app === undefined) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}
