// Builders for test data.

import type { Account, ChatSummary, MessageView } from '../src/platform/types';

export const alice: Account = { id: 1, username: 'alice' };
export const bob: Account = { id: 2, username: 'bob' };

export function message(overrides: Partial<MessageView> = {}): MessageView {
  const seq = overrides.seq === undefined ? 1 : overrides.seq;
  return {
    chat: 1,
    seq,
    localId: `m-${seq ?? 'pending'}`,
    sender: bob,
    outgoing: false,
    text: 'hello',
    replyTo: null,
    sentAt: 1_000 + (seq ?? 0),
    editedAt: null,
    deleted: false,
    undecryptable: false,
    state: 'sent',
    call: null,
    ...overrides,
  };
}

export function chat(overrides: Partial<ChatSummary> = {}): ChatSummary {
  return {
    id: 1,
    kind: 'direct',
    title: 'bob',
    members: [
      { account: alice, role: 'admin' },
      { account: bob, role: 'member' },
    ],
    unreadCount: 0,
    readSeq: 0,
    peersReadSeq: 0,
    lastMessage: null,
    lastActivityAt: 0,
    pinned: false,
    mutedUntil: null,
    isMember: true,
    draft: '',
    ...overrides,
  };
}
