// What screen readers are told through the live region: each text once, under a key (a
// message is announced when it arrives, never again when its row is re-rendered).

import { createSignal, type Accessor } from 'solid-js';

export interface Announcement {
  id: number;
  text: string;
}

export interface AnnouncerStore {
  /** The latest announcements, oldest first; a new one is a new node in the live region. */
  items: Accessor<readonly Announcement[]>;
  /** Announces `text` unless something was already announced under `key`. */
  say(key: string, text: string): void;
  /**
   * Forgets the texts announced (the host signed out, lock); the keys, only ids, are kept so
   * that nothing is said twice.
   */
  clear(): void;
}

/** Older announcements leave the region (removals are not read out). */
const KEEP = 3;

export function createAnnouncerStore(): AnnouncerStore {
  const [items, setItems] = createSignal<readonly Announcement[]>([]);
  const said = new Set<string>();
  let next = 0;
  return {
    items,
    say(key, text) {
      if (said.has(key)) return;
      said.add(key);
      const item = { id: next++, text };
      setItems((prev) => [...prev.slice(1 - KEEP), item]);
    },
    clear() {
      setItems([]);
    },
  };
}
