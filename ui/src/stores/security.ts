// End-to-end encryption as the UI shows it: whether this device is in a chat's encryption
// group (the lock mark) and the safety number with the contact of a direct chat.

import { contactOf } from '../lib/chats';
import type { AccountId, ChatEncryption, ChatId, ChatSummary, Platform, SafetyNumber } from '../platform/types';
import { createKeyedQuery } from './query';

export interface SecurityStore {
  /** The chat's encryption group; null while this device is not in it; undefined until known. */
  encryption(chat: ChatId): ChatEncryption | null | undefined;
  /** The safety number with `peer`; undefined until known. */
  safetyNumber(peer: AccountId): SafetyNumber | undefined;
  /** Asks the host again about the chat and, for a direct chat, its contact; quietly. */
  refresh(chat: ChatSummary, me: AccountId | undefined): void;
  /** Asks the host for the safety number with `peer`; rejects when it cannot be had. */
  loadSafetyNumber(peer: AccountId): Promise<void>;
  /** Marks the current safety number with `peer` verified, or clears the mark. */
  setVerified(peer: AccountId, verified: boolean): Promise<void>;
  /** Forgets everything (after signing out). */
  clear(): void;
}

export function createSecurityStore(platform: Platform): SecurityStore {
  const encryption = createKeyedQuery((chat: ChatId) => platform.chatEncryption(chat));
  const safety = createKeyedQuery((peer: AccountId) => platform.safetyNumber(peer, null));
  return {
    encryption: encryption.get,
    safetyNumber: safety.get,
    refresh(chat, me) {
      encryption.refresh(chat.id);
      const contact = contactOf(chat, me);
      if (contact !== null) safety.refresh(contact.id);
    },
    async loadSafetyNumber(peer) {
      safety.put(peer, await platform.safetyNumber(peer, null));
    },
    async setVerified(peer, verified) {
      safety.put(peer, await platform.safetyNumber(peer, verified));
    },
    clear() {
      encryption.clear();
      safety.clear();
    },
  };
}
