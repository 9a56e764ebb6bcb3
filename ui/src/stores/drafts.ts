// The unsent text of each chat, kept across chat switches and restarts. Drafts live in
// memory here and in the account's encrypted store behind the host, never in web storage:
// a chat's draft starts as its summary's `draft` and each change is saved with `setDraft`
// once typing pauses.

import { createSignal } from 'solid-js';
import type { ChatId, Platform } from '../platform/types';

/** The pause in typing after which a draft is saved. */
export const SAVE_DRAFT_AFTER_MS = 400;

/** Where drafts were kept in clear text before they moved to the encrypted store. */
export const LEGACY_DRAFTS_KEY = 'wren.drafts';

export interface DraftsStore {
  get(chat: ChatId): string;
  /** Keeps the text at once and saves it once typing pauses. */
  set(chat: ChatId, text: string): void;
  /**
   * Saves now what is waiting for a pause: for `chat`, or for every chat. Resolves once the
   * host has answered each save (saves never reject).
   */
  flush(chat?: ChatId): Promise<void>;
  /** Forgets every draft, unsaved ones too, without saving anything (sign-out, lock). */
  clear(): void;
}

/** `saved`: the chat's draft as the host last reported it (its summary's `draft`). */
export function createDraftsStore(platform: Pick<Platform, 'setDraft'>, saved: (chat: ChatId) => string): DraftsStore {
  // Drafts changed here; they win over the summaries, which may predate the last save.
  const [drafts, setDrafts] = createSignal<ReadonlyMap<ChatId, string>>(new Map());
  const waiting = new Map<ChatId, ReturnType<typeof setTimeout>>();
  const get = (chat: ChatId): string => drafts().get(chat) ?? saved(chat);

  const save = (chat: ChatId): Promise<void> => {
    clearTimeout(waiting.get(chat));
    waiting.delete(chat);
    // Refused while the profile is locked: the draft then stays in memory only.
    return platform.setDraft(chat, get(chat)).catch(() => undefined);
  };

  return {
    get,
    set(chat, text) {
      const value = text.trim() === '' ? '' : text;
      if (value === get(chat)) return;
      setDrafts((prev) => new Map(prev).set(chat, value));
      clearTimeout(waiting.get(chat));
      waiting.set(chat, setTimeout(() => void save(chat), SAVE_DRAFT_AFTER_MS));
    },
    async flush(chat) {
      const ids = (chat === undefined ? [...waiting.keys()] : [chat]).filter((id) => waiting.has(id));
      await Promise.all(ids.map(save));
    },
    clear() {
      for (const timer of waiting.values()) clearTimeout(timer);
      waiting.clear();
      setDrafts(new Map());
    },
  };
}
