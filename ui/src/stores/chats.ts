// The chat list: every chat summary the host reported, kept sorted for display.

import { createMemo, createSignal, type Accessor } from 'solid-js';
import { sortChats, totalUnread } from '../lib/chats';
import type { ChatId, ChatSummary, CoreEvent, Platform } from '../platform/types';

export interface ChatsStore {
  /** Pinned first, then by last activity. */
  list: Accessor<ChatSummary[]>;
  /** The ids of [`list`], in the same order: rows keyed by id keep their DOM nodes when a chat changes. */
  ids: Accessor<ChatId[]>;
  byId(id: ChatId): ChatSummary | undefined;
  totalUnread: Accessor<number>;
  loaded: Accessor<boolean>;
  load(): Promise<void>;
  apply(event: CoreEvent): void;
  /** Records a summary returned by a call (e.g. a chat just created). */
  put(chat: ChatSummary): void;
  /** Forgets every chat (sign-out, lock): summaries carry last messages and drafts. */
  clear(): void;
}

export function createChatsStore(platform: Platform): ChatsStore {
  const [chats, setChats] = createSignal<ReadonlyMap<ChatId, ChatSummary>>(new Map());
  const [loaded, setLoaded] = createSignal(false);
  const list = createMemo(() => sortChats([...chats().values()]));
  const put = (chat: ChatSummary): void => {
    setChats((prev) => new Map(prev).set(chat.id, chat));
  };
  return {
    list,
    ids: createMemo(() => list().map((c) => c.id)),
    byId: (id) => chats().get(id),
    totalUnread: createMemo(() => totalUnread(list())),
    loaded,
    async load() {
      const all = await platform.chats();
      setChats(new Map(all.map((c) => [c.id, c])));
      setLoaded(true);
    },
    apply(event) {
      if (event.type === 'chatUpdated') put(event.chat);
      else if (event.type === 'chatRemoved') {
        setChats((prev) => {
          const next = new Map(prev);
          next.delete(event.chat);
          return next;
        });
      }
    },
    put,
    clear() {
      setChats(new Map());
      setLoaded(false);
    },
  };
}
