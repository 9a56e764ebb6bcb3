// Builders for test data.

import type { Account, ChatSummary, Folder, MessageView } from '../src/platform/types';

/** An account; no display name unless given. */
export function account(id: number, username: string, displayName = ''): Account {
  return { id, username, displayName };
}

export const alice: Account = account(1, 'alice');
export const bob: Account = account(2, 'bob');

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
    entities: [],
    reactions: [],
    forwardedFrom: null,
    pinned: false,
    mentionsMe: false,
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
    unreadMentions: 0,
    readSeq: 0,
    peersReadSeq: 0,
    lastMessage: null,
    lastActivityAt: 0,
    pinned: false,
    mutedUntil: null,
    archived: false,
    isMember: true,
    draft: '',
    ...overrides,
  };
}

/** A folder of direct chats and groups named "Folder" unless overridden. */
export function folder(overrides: Partial<Folder> = {}): Folder {
  return {
    id: 1,
    name: 'Folder',
    direct: true,
    groups: true,
    unreadOnly: false,
    include: [],
    exclude: [],
    ...overrides,
  };
}
