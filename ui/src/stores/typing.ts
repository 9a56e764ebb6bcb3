// Who is typing where: a typing event lasts a few seconds unless renewed.

import { createSignal } from 'solid-js';
import type { Account, ChatId } from '../platform/types';

export const TYPING_TIMEOUT_MS = 5000;

export interface TypingStore {
  /** Accounts typing in a chat right now. */
  in(chat: ChatId): Account[];
  /** A typing event arrived. */
  started(chat: ChatId, account: Account): void;
  /** A message from this account arrived, so it stopped typing. */
  stopped(chat: ChatId, accountId: number): void;
}

export function createTypingStore(now: () => number = Date.now): TypingStore {
  const [entries, setEntries] = createSignal<ReadonlyMap<string, { chat: ChatId; account: Account; until: number }>>(
    new Map(),
  );
  const [tick, setTick] = createSignal(0);
  const remove = (key: string): void => {
    setEntries((prev) => {
      if (!prev.has(key)) return prev;
      const next = new Map(prev);
      next.delete(key);
      return next;
    });
  };
  return {
    in(chat) {
      tick();
      const at = now();
      return [...entries().values()].filter((e) => e.chat === chat && e.until > at).map((e) => e.account);
    },
    started(chat, account) {
      const key = `${chat}:${account.id}`;
      setEntries((prev) => new Map(prev).set(key, { chat, account, until: now() + TYPING_TIMEOUT_MS }));
      setTimeout(() => {
        setTick((n) => n + 1);
        const entry = entries().get(key);
        if (entry !== undefined && entry.until <= now()) remove(key);
      }, TYPING_TIMEOUT_MS);
    },
    stopped(chat, accountId) {
      remove(`${chat}:${accountId}`);
    },
  };
}
