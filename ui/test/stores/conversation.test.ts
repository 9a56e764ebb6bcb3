import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import {
  KEPT_CONVERSATIONS,
  MAX_JUMP_PAGES,
  PAGE_SIZE,
  createConversation,
  createConversationsStore,
} from '../../src/stores/conversation';

const ARCHIVE = 5;

async function archive(size = 1000) {
  const platform = new MemoryPlatform({ signedInAs: 'alice', archiveSize: size, ackDelay: 5 });
  const conversation = createRoot(() => createConversation(platform, ARCHIVE));
  await conversation.loadLatest();
  return { platform, conversation };
}

describe('conversation', () => {
  it('loads the newest page first, oldest at the top', async () => {
    const { conversation } = await archive();
    const seqs = conversation.messages().map((m) => m.seq);
    expect(seqs.length).toBe(PAGE_SIZE);
    expect(seqs[0]).toBe(1000 - PAGE_SIZE + 1);
    expect(seqs[seqs.length - 1]).toBe(1000);
    expect(conversation.hasOlder()).toBe(true);
  });

  it('prepends older pages until the start of history', async () => {
    const { conversation } = await archive(2 * PAGE_SIZE + 30);
    expect(await conversation.loadOlder()).toBe(PAGE_SIZE);
    expect(await conversation.loadOlder()).toBe(30);
    expect(conversation.hasOlder()).toBe(false);
    expect(conversation.messages().map((m) => m.seq)).toEqual(Array.from({ length: 2 * PAGE_SIZE + 30 }, (_, i) => i + 1));
  });

  it('loads back to a given message page by page', async () => {
    const { conversation } = await archive();
    await conversation.loadUntil(10);
    expect(conversation.messages()[0]?.seq).toBeLessThanOrEqual(10);
    expect(conversation.hasOlder()).toBe(true);
  });

  it('jumps back at most MAX_JUMP_PAGES pages into a long backlog and can still scroll further', async () => {
    const { conversation } = await archive(100_000);
    await conversation.loadUntil(1);
    expect(conversation.messages()).toHaveLength((MAX_JUMP_PAGES + 1) * PAGE_SIZE);
    expect(conversation.hasOlder()).toBe(true);
    expect(await conversation.loadOlder()).toBe(PAGE_SIZE);
  });

  it('shows a sent message once: pending, then replaced by the stored one', async () => {
    const { platform, conversation } = await archive(10);
    const pending = await platform.send(ARCHIVE, 'hi', null);
    conversation.upsert(pending);
    expect(conversation.messages().at(-1)).toMatchObject({ text: 'hi', seq: null, state: 'pending' });
    conversation.upsert({ ...pending, seq: 11, state: 'sent' });
    expect(conversation.messages().filter((m) => m.text === 'hi')).toHaveLength(1);
    expect(conversation.messages().at(-1)).toMatchObject({ seq: 11, state: 'sent' });
  });

  it('keeps the sent state when the pending copy arrives late', async () => {
    const { platform, conversation } = await archive(10);
    const pending = await platform.send(ARCHIVE, 'race', null);
    conversation.upsert({ ...pending, seq: 11, state: 'sent' });
    conversation.upsert(pending);
    expect(conversation.messages().filter((m) => m.text === 'race')).toEqual([
      expect.objectContaining({ seq: 11, state: 'sent' }),
    ]);
  });

  it('applies an edit in place', async () => {
    const { conversation } = await archive(10);
    const third = conversation.messages()[2];
    if (third === undefined) throw new Error('no message');
    conversation.upsert({ ...third, text: 'changed', editedAt: 1 });
    expect(conversation.messages()[2]?.text).toBe('changed');
    expect(conversation.messages()).toHaveLength(10);
  });
});

describe('conversations kept in memory', () => {
  it('keeps only the newest page of a chat left, and loads the rest again when scrolled to', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice', archiveSize: 1000, ackDelay: 5 });
    const store = createRoot(() => createConversationsStore(platform));
    const long = store.get(ARCHIVE);
    await long.loadLatest();
    for (let page = 0; page < 5; page++) await long.loadOlder();
    expect(long.messages()).toHaveLength(6 * PAGE_SIZE);

    const other = store.get(1);
    await other.loadLatest();
    expect(long.messages().map((m) => m.seq)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => 1000 - PAGE_SIZE + i + 1));
    expect(long.hasOlder()).toBe(true);
    expect(store.get(ARCHIVE)).toBe(long);
    expect(await long.loadOlder()).toBe(PAGE_SIZE);
    expect(long.messages()[0]?.seq).toBe(1000 - 2 * PAGE_SIZE + 1);
  });

  it('forgets the chats opened least recently beyond KEPT_CONVERSATIONS', () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    const store = createRoot(() => createConversationsStore(platform));
    const first = store.get(1000);
    for (let chat = 1; chat <= KEPT_CONVERSATIONS; chat++) store.get(chat);
    expect(store.get(1000)).toBe(first);
    store.get(2000);
    for (let chat = 1; chat <= KEPT_CONVERSATIONS; chat++) store.get(5000 + chat);
    expect(store.get(1000)).not.toBe(first);
  });
});

describe('conversation changes on this device', () => {
  it('drops messages deleted for me and tells listeners of every upsert', async () => {
    const { conversation } = await archive(10);
    const newest = conversation.messages()[9];
    if (newest === undefined) throw new Error('no message 10');
    const seen: (number | null)[] = [];
    const stop = conversation.onUpsert((m) => seen.push(m.seq));
    conversation.upsert({ ...newest, pinned: true });
    expect(seen).toEqual([10]);
    stop();
    conversation.upsert({ ...newest, pinned: false });
    expect(seen).toEqual([10]);

    conversation.removeLocal(['archive-9', 'archive-10']);
    expect(conversation.messages().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
