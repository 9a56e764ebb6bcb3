// Who is online: the presence of the people this account sees, as the host last told it
// (asked with `presence`, then kept up to date by `presence` events).

import { createSignal } from 'solid-js';
import type { AccountId, CoreEvent, Platform, Presence } from '../platform/types';

/** The most accounts one `presence` call may name. */
export const PRESENCE_ASK_MAX = 200;
/** How often the open chat's members are asked again. */
export const PRESENCE_REFRESH_MS = 60_000;

export interface PresenceStore {
  /** The account's presence as last heard; undefined until the host said. */
  of(account: AccountId): Presence | undefined;
  /** Asks the host for these accounts' presence (this account and any beyond the first 200 left out). */
  ask(accounts: readonly AccountId[]): Promise<void>;
  /**
   * Asks for the accounts `accounts` names now and every minute, until the returned
   * function is called (the open chat's members).
   */
  follow(accounts: () => readonly AccountId[]): () => void;
  /** Asks again for everyone already heard of (e.g. after this account's own setting changed). */
  refresh(): Promise<void>;
  /** Takes a `presence` event. */
  apply(event: CoreEvent): void;
  /** Forgets everyone (sign-out, lock); answers still on their way are dropped. */
  clear(): void;
}

/** `me`: the signed-in account, never asked about. */
export function createPresenceStore(platform: Platform, me: () => AccountId | undefined): PresenceStore {
  const [known, setKnown] = createSignal<ReadonlyMap<AccountId, Presence>>(new Map());
  /** Moves on at every `clear`: an answer asked for before it is dropped. */
  let generation = 0;
  const put = (entries: readonly { account: AccountId; presence: Presence }[]): void => {
    if (entries.length === 0) return;
    setKnown((prev) => {
      const next = new Map(prev);
      for (const { account, presence } of entries) next.set(account, presence);
      return next;
    });
  };
  const ask = async (accounts: readonly AccountId[]): Promise<void> => {
    const self = me();
    const wanted = [...new Set(accounts)].filter((id) => id !== self).slice(0, PRESENCE_ASK_MAX);
    if (wanted.length === 0) return;
    const asked = generation;
    const found = await platform.presence(wanted);
    if (asked === generation) put(found);
  };
  return {
    of: (account) => known().get(account),
    ask,
    follow(accounts) {
      const once = (): void => void ask(accounts()).catch(() => undefined);
      once();
      const timer = setInterval(once, PRESENCE_REFRESH_MS);
      return () => clearInterval(timer);
    },
    refresh: () => ask([...known().keys()]),
    apply(event) {
      if (event.type === 'presence' && event.account !== me()) put([event]);
    },
    clear() {
      generation++;
      setKnown(new Map());
    },
  };
}
