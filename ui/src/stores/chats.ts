// The chat list: every chat summary the host reported, kept sorted for display.

import { createMemo, createSignal, type Accessor } from 'solid-js';
import { chatsIn } from '../lib/archive';
import { sortChats, totalUnread } from '../lib/chats';
import type { ChatId, ChatSummary, CoreEvent, Platform, Seq } from '../platform/types';

/** How many of the newest messages to look through for the newest sent one (see `markRead`). */
const NEWEST_PAGE = 50;

export interface ChatsStore {
  /** Pinned first, then by last activity. */
  list: Accessor<ChatSummary[]>;
  /** The ids of [`list`], in the same order: rows keyed by id keep their DOM nodes when a chat changes. */
  ids: Accessor<ChatId[]>;
  /** The ids of the main list: the chats not in the archive, in list order. */
  mainIds: Accessor<ChatId[]>;
  /** The ids of the archived chats, in list order. */
  archivedIds: Accessor<ChatId[]>;
  byId(id: ChatId): ChatSummary | undefined;
  /** Unread messages for the window title and tray, with mutes judged at `now` (see `totalUnread`). */
  totalUnread(now: number): number;
  loaded: Accessor<boolean>;
  load(): Promise<void>;
  apply(event: CoreEvent): void;
  /**
   * Marks the whole chat read, up to its newest sent message (asked from the host when the
   * newest one is still unsent); the new summary arrives as `chatUpdated`. Does nothing when
   * nothing is unread.
   */
  markRead(id: ChatId): Promise<void>;
  /** Records a summary returned by a call (e.g. a chat just created). */
  put(chat: ChatSummary): void;
  /** Forgets every chat (sign-out, lock): summaries carry last messages and drafts. */
  clear(): void;
}

/** The position of the chat's newest sent message; null when it has none. */
async function newestSeq(platform: Platform, chat: ChatId): Promise<Seq | null> {
  const page = await platform.history(chat, null, NEWEST_PAGE);
  return page.find((m) => m.seq !== null)?.seq ?? null;
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
    mainIds: createMemo(() => chatsIn(list(), false).map((c) => c.id)),
    archivedIds: createMemo(() => chatsIn(list(), true).map((c) => c.id)),
    byId: (id) => chats().get(id),
    totalUnread: (now) => totalUnread(list(), now),
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
    async markRead(id) {
      const chat = chats().get(id);
      if (chat === undefined || chat.unreadCount === 0) return;
      const seq = chat.lastMessage?.seq ?? (await newestSeq(platform, id));
      if (seq !== null && seq > chat.readSeq) await platform.markRead(id, seq);
    },
    put,
    clear() {
      setChats(new Map());
      setLoaded(false);
    },
  };
}
