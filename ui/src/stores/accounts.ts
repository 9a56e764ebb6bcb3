// The account slots of this app (up to `MAX_ACCOUNTS`, Telegram's "add account"): the list as
// the host last said, and switching or adding, after which the page starts again from the new
// active account.

import { createEffect, createMemo, createSignal, on, type Accessor } from 'solid-js';
import type { AccountSlot, Platform } from '../platform/types';
import type { Phase } from './session';

export interface AccountsStore {
  /**
   * Every slot in Ctrl+1..3 order, asked from the host whenever the session becomes ready or
   * signed out; empty until then, and while locked.
   */
  slots: Accessor<readonly AccountSlot[]>;
  /** Unread messages of the accounts other than the active one. */
  othersUnread: Accessor<number>;
  /** The first slot, other than the active one, with an account signed in. */
  otherSignedIn: Accessor<AccountSlot | undefined>;
  /** Follows the host's changes to the slots; returns the unsubscribe function. */
  start(): () => void;
  /** Makes slot `id` active, then reloads; rejects as `switchAccount` does. */
  switchTo(id: string): Promise<void>;
  /** Switches to the slot at `index` (0-based); nothing for a place without a slot or the active one. */
  switchToIndex(index: number): Promise<void>;
  /** Opens a new, empty slot, then reloads (to its sign-in screen); rejects as `addAccount` does. */
  add(): Promise<void>;
  /** Starts the page again from the account now active. */
  reload(): void;
}

/**
 * Starts the page again, without the open chat in its address: that chat belongs to the
 * account left.
 */
function reloadPage(): void {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  window.location.reload();
}

export interface AccountsOptions {
  /** Starts the page again (default: `location.reload()`, the open chat's address dropped). */
  reload?: () => void;
  /** Done before the host leaves the active account: saves what still belongs to it. */
  leave?: () => Promise<void>;
}

/** The slots of `platform`, loaded whenever `phase` becomes 'ready' or 'signedOut'. */
export function createAccountsStore(
  platform: Platform,
  phase: Accessor<Phase>,
  options: AccountsOptions = {},
): AccountsStore {
  const reload = options.reload ?? reloadPage;
  const leave = options.leave ?? (() => Promise.resolve());
  const [slots, setSlots] = createSignal<readonly AccountSlot[]>([]);
  // Each answer or event counts once: an answer asked for before the latest change is dropped.
  let version = 0;
  /** A switch or an add is under way: the page is about to start again. */
  let leaving = false;
  const open = (): boolean => phase() === 'ready' || phase() === 'signedOut';
  const set = (next: readonly AccountSlot[]): void => {
    version++;
    setSlots(next);
  };
  const load = async (): Promise<void> => {
    const asked = ++version;
    const next = await platform.accountSlots();
    if (asked === version && open()) setSlots(next);
  };
  const away = async (go: () => Promise<void>): Promise<void> => {
    if (leaving) return;
    leaving = true;
    try {
      await leave();
      await go();
    } finally {
      leaving = false;
    }
    reload();
  };
  const switchTo = (id: string): Promise<void> => away(() => platform.switchAccount(id));

  createEffect(
    on(phase, (now) => {
      // Locked: the accounts' names may not stay in memory.
      if (now === 'locked') set([]);
      else if (now === 'ready' || now === 'signedOut') load().catch(() => undefined);
    }),
  );

  return {
    slots,
    othersUnread: createMemo(() => slots().reduce((sum, slot) => (slot.active ? sum : sum + slot.unread), 0)),
    otherSignedIn: () => slots().find((slot) => !slot.active && slot.account !== null),
    start: () =>
      platform.onAccountSlots((next) => {
        if (!open()) return;
        // The host made another account active on its own (a click on a notification for
        // it): the page starts again from that account.
        const shown = slots().find((slot) => slot.active);
        const now = next.find((slot) => slot.active);
        set(next);
        if (!leaving && shown !== undefined && now !== undefined && now.id !== shown.id) reload();
      }),
    switchTo,
    async switchToIndex(index) {
      const slot = slots()[index];
      if (slot !== undefined && !slot.active) await switchTo(slot.id);
    },
    add: () => away(() => platform.addAccount()),
    reload,
  };
}
