// The unsent text of each chat, kept across chat switches and restarts.

import { createSignal } from 'solid-js';
import type { ChatId } from '../platform/types';

export interface DraftsStore {
  get(chat: ChatId): string;
  set(chat: ChatId, text: string): void;
}

const STORAGE_KEY = 'wren.drafts';

function load(storage: Storage | null): ReadonlyMap<ChatId, string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    return new Map(
      Object.entries(parsed).flatMap(([k, v]) => (typeof v === 'string' && v !== '' ? [[Number(k), v] as const] : [])),
    );
  } catch {
    return new Map();
  }
}

export function createDraftsStore(storage: Storage | null): DraftsStore {
  const [drafts, setDrafts] = createSignal(load(storage));
  return {
    get: (chat) => drafts().get(chat) ?? '',
    set(chat, text) {
      const next = new Map(drafts());
      if (text.trim() === '') next.delete(chat);
      else next.set(chat, text);
      setDrafts(next);
      storage?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(next)));
    },
  };
}
