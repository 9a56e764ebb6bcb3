// Everything the screens share, created once per app (and once per component test).

import { createContext, createSignal, useContext, type Accessor } from 'solid-js';
import type { Lang } from '../i18n';
import type { ChatId, ConnectionState, CoreEvent, Platform } from '../platform/types';
import { createChatsStore, type ChatsStore } from './chats';
import { createConversationsStore, type ConversationsStore } from './conversation';
import { createDraftsStore, type DraftsStore } from './drafts';
import { createSessionStore, type SessionStore } from './session';
import { createSettingsStore, type SettingsStore } from './settings';
import { createTypingStore, type TypingStore } from './typing';

export type DialogKind = 'newDirect' | 'newGroup' | 'chatInfo' | 'settings';

export interface AppState {
  platform: Platform;
  session: SessionStore;
  chats: ChatsStore;
  conversations: ConversationsStore;
  drafts: DraftsStore;
  typing: TypingStore;
  settings: SettingsStore;
  activeChat: Accessor<ChatId | null>;
  openChat(chat: ChatId | null): void;
  dialog: Accessor<DialogKind | null>;
  setDialog(dialog: DialogKind | null): void;
  connection: Accessor<ConnectionState>;
  sync: Accessor<{ done: number; total: number } | null>;
  /** Subscribes to host events; returns the unsubscribe function. */
  start(): () => void;
}

export interface AppOptions {
  storage?: Storage | null;
  now?: () => number;
  /** The language to start in until the user picks one. */
  systemLang?: Lang;
}

export function createAppState(platform: Platform, options: AppOptions = {}): AppState {
  const storage = options.storage ?? null;
  const chats = createChatsStore(platform);
  const conversations = createConversationsStore(platform);
  const typing = createTypingStore(options.now);
  const [activeChat, setActiveChat] = createSignal<ChatId | null>(null);
  const [dialog, setDialog] = createSignal<DialogKind | null>(null);
  const [connection, setConnection] = createSignal<ConnectionState>('online');
  const [sync, setSync] = createSignal<{ done: number; total: number } | null>(null);
  const session = createSessionStore(platform);
  const settings = createSettingsStore(storage, options.systemLang);
  const tellHost = (show: boolean): void => {
    platform.setNotificationPreview(show).catch(() => undefined);
  };
  const setPreview = settings.setNotificationPreview;
  settings.setNotificationPreview = (show) => {
    setPreview(show);
    tellHost(show);
  };

  const handle = (event: CoreEvent): void => {
    switch (event.type) {
      case 'chatUpdated':
      case 'chatRemoved':
        chats.apply(event);
        if (event.type === 'chatRemoved') {
          conversations.drop(event.chat);
          if (activeChat() === event.chat) setActiveChat(null);
        }
        break;
      case 'messageUpserted':
        conversations.apply(event.message);
        if (!event.message.outgoing) typing.stopped(event.message.chat, event.message.sender.id);
        break;
      case 'typing':
        typing.started(event.chat, event.account);
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
      case 'signedOut':
        setDialog(null);
        setActiveChat(null);
        conversations.clear();
        session.signedOut();
        break;
    }
  };

  return {
    platform,
    session,
    chats,
    conversations,
    drafts: createDraftsStore(storage),
    typing,
    settings,
    activeChat,
    openChat: setActiveChat,
    dialog,
    setDialog,
    connection,
    sync,
    start: () => {
      tellHost(settings.notificationPreview());
      return platform.onEvent(handle);
    },
  };
}

export const AppContext = createContext<AppState>();

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (app === undefined) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}
