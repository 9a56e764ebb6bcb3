// The people this account hears about: the newest `Account` per id, so that a name changed
// after a message arrived is shown everywhere the person is named.

import { createSignal } from 'solid-js';
import { nameOf } from '../lib/profile';
import type { Account, AccountId, ChatSummary, CoreEvent, MessageView } from '../platform/types';

export interface PeopleStore {
  /** The newest account heard with this id. */
  byId(id: AccountId): Account | undefined;
  /** Everyone heard of (the newest account of each), for people pickers. */
  all(): Account[];
  /** The newest version of `account` (itself when nothing newer was heard). */
  latest(account: Account): Account;
  /** The name to show for a person: their newest display name, else their username. */
  name(account: Account): string;
  /** Records accounts as heard now (the newest heard wins). */
  learn(accounts: readonly Account[]): void;
  /** Records the members of chats (and the senders of their last messages). */
  learnChats(chats: readonly ChatSummary[]): void;
  /** Records the sender and the reacting accounts of a message. */
  learnMessage(message: MessageView): void;
  /** Takes the accounts a host event carries. */
  apply(event: CoreEvent): void;
  /** Forgets everyone (sign-out, lock). */
  clear(): void;
}

function same(a: Account, b: Account): boolean {
  return a.username === b.username && a.displayName === b.displayName;
}

function messageAccounts(message: MessageView): Account[] {
  return [message.sender, ...message.reactions.flatMap((r) => r.accounts)];
}

export function createPeopleStore(): PeopleStore {
  const [people, setPeople] = createSignal<ReadonlyMap<AccountId, Account>>(new Map());
  const learn = (accounts: readonly Account[]): void => {
    const known = people();
    const changed = accounts.filter((a) => {
      const old = known.get(a.id);
      return old === undefined || !same(old, a);
    });
    if (changed.length === 0) return;
    setPeople((prev) => {
      const next = new Map(prev);
      for (const account of changed) next.set(account.id, account);
      return next;
    });
  };
  const learnChats = (chats: readonly ChatSummary[]): void => {
    learn(
      chats.flatMap((c) => [
        ...c.members.map((m) => m.account),
        ...(c.lastMessage === null ? [] : messageAccounts(c.lastMessage)),
      ]),
    );
  };
  const latest = (account: Account): Account => people().get(account.id) ?? account;
  return {
    byId: (id) => people().get(id),
    all: () => [...people().values()],
    latest,
    name: (account) => nameOf(latest(account)),
    learn,
    learnChats,
    learnMessage: (message) => learn(messageAccounts(message)),
    apply(event) {
      switch (event.type) {
        case 'chatUpdated':
          learnChats([event.chat]);
          break;
        case 'messageUpserted':
          learn(messageAccounts(event.message));
          break;
        case 'typing':
        case 'profileChanged':
          learn([event.account]);
          break;
        default:
          break;
      }
    },
    clear() {
      setPeople(new Map());
    },
  };
}
