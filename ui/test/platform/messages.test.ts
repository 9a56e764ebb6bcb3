// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { parseMessage } from '../../src/platform/memoryMarkdown';
import type { CoreEvent, Entity } from '../../src/platform/types';

const BOB_CHAT = 1;
const TRIP = 2;

const e = (kind: Entity['kind'], offset: number, length: number, url: string | null = null, language: string | null = null): Entity => ({
  kind,
  offset,
  length,
  url,
  language,
});

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('memory host Markdown', () => {
  it('turns marks into entities and removes them from the text', () => {
    expect(parseMessage('a **b** __c__ ++d++ ~~e~~ ||f|| `g`')).toEqual({
      text: 'a b c d e f g',
      entities: [e('bold', 2, 1), e('italic', 4, 1), e('underline', 6, 1), e('strike', 8, 1), e('spoiler', 10, 1), e('code', 12, 1)],
    });
  });

  it('nests marks and keeps unclosed ones as typed', () => {
    expect(parseMessage('**bold __both__**')).toEqual({
      text: 'bold both',
      entities: [e('bold', 0, 9), e('italic', 5, 4)],
    });
    expect(parseMessage('2 ** 3 and __x')).toEqual({ text: '2 ** 3 and __x', entities: [] });
  });

  it('reads code blocks with their language, literally', () => {
    expect(parseMessage('see\n```rust\nlet **x** = 1;\n```')).toEqual({
      text: 'see\nlet **x** = 1;',
      entities: [e('pre', 4, 14, null, 'rust')],
    });
  });

  it('makes text links of http, https and mailto targets only', () => {
    expect(parseMessage('[site](https://example.com/a)')).toEqual({
      text: 'site',
      entities: [e('textLink', 0, 4, 'https://example.com/a')],
    });
    expect(parseMessage('[x](javascript:alert(1))').entities.some((x) => x.kind === 'textLink')).toBe(false);
    expect(parseMessage('[x](javascript:alert(1))').text).toBe('[x](javascript:alert(1))');
  });

  it('recognizes URLs, mentions and hashtags, also in plain text, in UTF-16 units', () => {
    const parsed = parseMessage('😀 @bob_1 see www.example.com/x. #مرحبا **no**', true);
    expect(parsed.text).toBe('😀 @bob_1 see www.example.com/x. #مرحبا **no**');
    expect(parsed.entities).toEqual([e('mention', 3, 6), e('url', 14, 17), e('hashtag', 33, 6)]);
    expect(parseMessage('@ab mail bob@example.com #1').entities).toEqual([]);
  });
});

describe('memory host messages', () => {
  it('sends formatted text unless plain, and edits the same way', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', ackDelay: 1 });
    const sent = await host.send(BOB_CHAT, '**hi** there', null);
    expect(sent).toMatchObject({ text: 'hi there', entities: [e('bold', 0, 2)], reactions: [], forwardedFrom: null, pinned: false });
    const plain = await host.send(BOB_CHAT, '**hi**', null, true);
    expect(plain).toMatchObject({ text: '**hi**', entities: [] });
    await expect(host.send(BOB_CHAT, '** **', null)).rejects.toMatchObject({ code: 'invalid' });
    await settle();
    const [latest] = await host.history(BOB_CHAT, null, 1);
    await host.edit(BOB_CHAT, latest?.seq ?? 0, 'now ~~struck~~');
    const [edited] = await host.history(BOB_CHAT, null, 1);
    expect(edited).toMatchObject({ text: 'now struck', entities: [e('strike', 4, 6)] });
  });

  it('keeps at most three different reactions per person and emits the message', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events: CoreEvent[] = [];
    host.onEvent((ev) => events.push(ev));
    for (const emoji of ['👍', '❤️', '😂']) await host.react(BOB_CHAT, 1, emoji, true);
    await expect(host.react(BOB_CHAT, 1, '🎉', true)).rejects.toMatchObject({ code: 'invalid' });
    await expect(host.react(BOB_CHAT, 1, 'ok', true)).rejects.toMatchObject({ code: 'invalid' });
    await host.react(BOB_CHAT, 1, '❤️', false);
    await host.react(BOB_CHAT, 1, '🎉', true);
    await settle();
    const last = events.filter((ev) => ev.type === 'messageUpserted').pop();
    expect(last?.type === 'messageUpserted' ? last.message.reactions : null).toEqual([
      { emoji: '👍', count: 1, mine: true, accounts: [{ id: 1, username: 'alice', displayName: '' }] },
      { emoji: '😂', count: 1, mine: true, accounts: [{ id: 1, username: 'alice', displayName: '' }] },
      { emoji: '🎉', count: 1, mine: true, accounts: [{ id: 1, username: 'alice', displayName: '' }] },
    ]);
  });

  it('forwards with the first origin kept', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', ackDelay: 1 });
    const [first] = await host.forward(BOB_CHAT, [1], TRIP);
    expect(first).toMatchObject({ text: 'Hey Alice! Are we still on for Saturday?', forwardedFrom: { name: 'bob' } });
    await settle();
    const [stored] = await host.history(TRIP, null, 1);
    const [again] = await host.forward(TRIP, [stored?.seq ?? 0], BOB_CHAT);
    expect(again?.forwardedFrom).toEqual(first?.forwardedFrom);
    await expect(host.forward(BOB_CHAT, [999], TRIP)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('pins for admins only in groups, most recent first', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await host.pinMessage(TRIP, 1, true);
    await host.pinMessage(TRIP, 3, true);
    expect((await host.pinnedMessages(TRIP)).map((m) => m.seq)).toEqual([3, 1]);
    await host.pinMessage(TRIP, 3, false);
    expect((await host.pinnedMessages(TRIP)).map((m) => m.seq)).toEqual([1]);
    const bob = new MemoryPlatform({ signedInAs: 'bob' });
    await expect(bob.pinMessage(TRIP, 1, true)).rejects.toMatchObject({ code: 'forbidden' });
    await bob.pinMessage(BOB_CHAT, 2, true);
    expect((await bob.history(BOB_CHAT, null, 10)).find((m) => m.seq === 2)?.pinned).toBe(true);
  });

  it('deletes for this account only, emitting messagesRemoved', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', ackDelay: 10_000 });
    const events: CoreEvent[] = [];
    host.onEvent((ev) => events.push(ev));
    const pending = await host.send(BOB_CHAT, 'unsent', null);
    const [, newest] = await host.history(BOB_CHAT, null, 2);
    await host.deleteForMe(BOB_CHAT, [pending.localId, newest?.localId ?? '']);
    await settle();
    expect(events).toContainEqual({ type: 'messagesRemoved', chat: BOB_CHAT, localIds: [pending.localId, newest?.localId] });
    const left = await host.history(BOB_CHAT, null, 50);
    expect(left.some((m) => m.localId === pending.localId || m.localId === newest?.localId)).toBe(false);
    const bob = new MemoryPlatform({ signedInAs: 'bob' });
    expect(await bob.history(BOB_CHAT, null, 50)).toHaveLength(6);
  });

  it('searches one chat and finds the first message at a date', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const hits = await host.searchChat(TRIP, 'driv');
    expect(hits.map((h) => h.message.seq)).toEqual([2, 1]);
    expect(hits[0]?.snippet).toContain('\u0001driv\u0002');
    const messages = await host.history(TRIP, null, 10);
    const third = messages.find((m) => m.seq === 3);
    expect(await host.seqAtDate(TRIP, third?.sentAt ?? 0)).toBe(3);
    expect(await host.seqAtDate(TRIP, Date.now() + 60_000)).toBeNull();
  });

  it('opens http, https and mailto links only, and records them', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await host.openLink('https://example.com');
    await host.openLink('mailto:bob@example.com');
    await expect(host.openLink('javascript:alert(1)')).rejects.toMatchObject({ code: 'invalid' });
    expect(host.openedLinks).toEqual(['https://example.com', 'mailto:bob@example.com']);
  });
});
