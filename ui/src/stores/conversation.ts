// The loaded part of one chat's history, oldest first, growing upwards page by page.

import { batch, createSignal, type Accessor } from 'solid-js';
import { compareMessages } from '../lib/messages';
import type { ChatId, MessageView, Platform, Seq } from '../platform/types';

export const PAGE_SIZE = 100;
/** The most pages `loadUntil` loads in one go. */
export const MAX_JUMP_PAGES = 20;
/** Chats kept in memory besides the one on screen; the least recently opened goes first. */
export const KEPT_CONVERSATIONS = 8;

export interface Conversation {
  chat: ChatId;
  messages: Accessor<readonly MessageView[]>;
  /** False once the oldest message has been loaded. */
  hasOlder: Accessor<boolean>;
  loading: Accessor<boolean>;
  loaded: Accessor<boolean>;
  loadLatest(): Promise<void>;
  /** Loads one page of older messages; resolves to how many arrived. */
  loadOlder(): Promise<number>;
  /** Loads older history until `seq` is in memory. */
  loadUntil(seq: Seq): Promise<void>;
  /** Adds or replaces a message; a stale outbox copy never replaces the stored one. */
  upsert(message: MessageView): void;
  /** Shows the outgoing message with this local id as not sent. */
  markFailed(localId: string): void;
  /** Drops the rows of messages deleted on this device (by local id). */
  removeLocal(localIds: readonly string[]): void;
  /** Calls `listener` with every message upserted here from now on; returns the unsubscribe function. */
  onUpsert(listener: (message: MessageView) => void): () => void;
  /** Forgets all but the newest `keep` messages (older ones load again when scrolled to). */
  trim(keep: number): void;
}

function oldestSeq(messages: readonly MessageView[]): Seq | null {
  for (const m of messages) if (m.seq !== null) return m.seq;
  return null;
}

/** Index of the message with this local id or seq, searching from the newest end. */
function findIndex(messages: readonly MessageView[], message: MessageView): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m === undefined) continue;
    if (m.localId === message.localId) return i;
    if (message.seq !== null && m.seq === message.seq) return i;
  }
  return -1;
}

export function createConversation(platform: Platform, chat: ChatId): Conversation {
  const [messages, setMessages] = createSignal<readonly MessageView[]>([]);
  const [hasOlder, setHasOlder] = createSignal(true);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const listeners = new Set<(message: MessageView) => void>();

  const fetchOlder = async (limit: number): Promise<number> => {
    const before = oldestSeq(messages());
    if (!hasOlder() || (before === null && loaded())) return 0;
    setLoading(true);
    try {
      const page = await platform.history(chat, before, limit);
      const older = page.filter((m) => m.seq !== null).reverse();
      batch(() => {
        setMessages((prev) => [...older, ...prev]);
        if (page.length < limit) setHasOlder(false);
      });
      return older.length;
    } finally {
      setLoading(false);
    }
  };

  return {
    chat,
    messages,
    hasOlder,
    loading,
    loaded,
    async loadLatest() {
      setLoading(true);
      try {
        const page = await platform.history(chat, null, PAGE_SIZE);
        const stored = page.filter((m) => m.seq !== null).length;
        batch(() => {
          setMessages([...page].sort(compareMessages));
          setHasOlder(stored >= PAGE_SIZE);
          setLoaded(true);
        });
      } finally {
        setLoading(false);
      }
    },
    loadOlder: () => fetchOlder(PAGE_SIZE),
    async loadUntil(seq) {
      // Page by page, and not without bound: jumping to the first unread of a very long
      // backlog stops after MAX_JUMP_PAGES pages, and scrolling up loads the rest.
      for (let page = 0; page < MAX_JUMP_PAGES; page++) {
        const oldest = oldestSeq(messages());
        if (oldest === null || oldest <= seq || !hasOlder()) return;
        if ((await fetchOlder(PAGE_SIZE)) === 0) return;
      }
    },
    markFailed(localId) {
      setMessages((prev) =>
        prev.map((m) => (m.localId === localId && m.state === 'pending' ? { ...m, state: 'failed' } : m)),
      );
    },
    removeLocal(localIds) {
      const gone = new Set(localIds);
      setMessages((prev) => (prev.some((m) => gone.has(m.localId)) ? prev.filter((m) => !gone.has(m.localId)) : prev));
    },
    onUpsert(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    trim(keep) {
      if (messages().length <= keep) return;
      batch(() => {
        setMessages((prev) => prev.slice(prev.length - keep));
        setHasOlder(true);
      });
    },
    upsert(message) {
      if (message.chat !== chat || !loaded()) return;
      for (const listener of listeners) listener(message);
      setMessages((prev) => {
        const at = findIndex(prev, message);
        if (at === -1) return [...prev, message].sort(compareMessages);
        if (prev[at]?.seq !== null && message.seq === null) return prev;
        const next = [...prev];
        next[at] = message;
        const before = next[at - 1];
        const after = next[at + 1];
        const inOrder =
          (before === undefined || compareMessages(before, message) <= 0) &&
          (after === undefined || compareMessages(message, after) <= 0);
        return inOrder ? next : next.sort(compareMessages);
      });
    },
  };
}

/**
 * One Conversation per recently opened chat, so switching back is instant. What a long
 * scroll loaded does not stay: a chat left keeps its newest page, and only the
 * KEPT_CONVERSATIONS chats opened last stay in memory besides the one on screen.
 */
export interface ConversationsStore {
  /** The conversation of `chat`, which is now the one on screen. */
  get(chat: ChatId): Conversation;
  apply(message: MessageView): void;
  /** Marks an outgoing message of an opened chat as failed. */
  failed(chat: ChatId, localId: string): void;
  /** Drops messages deleted on this device from an opened chat. */
  removed(chat: ChatId, localIds: readonly string[]): void;
  drop(chat: ChatId): void;
  /** Forgets every opened chat (after signing out). */
  clear(): void;
}

export function createConversationsStore(platform: Platform): ConversationsStore {
  const open = new Map<ChatId, Conversation>();
  return {
    get(chat) {
      const c = open.get(chat) ?? createConversation(platform, chat);
      // Most recently opened last.
      open.delete(chat);
      open.set(chat, c);
      for (const [id, other] of open) if (id !== chat) other.trim(PAGE_SIZE);
      for (const id of [...open.keys()].slice(0, Math.max(0, open.size - 1 - KEPT_CONVERSATIONS))) open.delete(id);
      return c;
    },
    apply(message) {
      open.get(message.chat)?.upsert(message);
    },
    failed(chat, localId) {
      open.get(chat)?.markFailed(localId);
    },
    removed(chat, localIds) {
      open.get(chat)?.removeLocal(localIds);
    },
    drop(chat) {
      open.delete(chat);
    },
    clear() {
      open.clear();
    },
  };
}
