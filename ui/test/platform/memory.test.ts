// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { MUTED_FOREVER, type CoreEvent } from '../../src/platform/types';

const BOB_CHAT = 1;

describe('memory host', () => {
  it('rejects a wrong password with an unauthorized error', async () => {
    const host = new MemoryPlatform();
    await expect(host.login('http://localhost:1', 'alice', 'nope', false)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(host.login('http://localhost:1', 'alice', 'password', false)).resolves.toMatchObject({ username: 'alice' });
  });

  it('locks only with a passcode, and then answers nothing but the passcode', async () => {
    const keychain = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(keychain.lock()).rejects.toMatchObject({ code: 'invalid' });
    await expect(keychain.chats()).resolves.toHaveLength(4);

    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await host.setPasscode('123456');
    await host.lock();
    await expect(host.profileStatus()).resolves.toMatchObject({ exists: true, locked: true, account: null });
    await expect(host.chats()).rejects.toMatchObject({ code: 'locked' });
    await expect(host.history(BOB_CHAT, null, 10)).rejects.toMatchObject({ code: 'locked' });
    await expect(host.unlock('000000')).rejects.toMatchObject({ code: 'wrong_key' });
    await expect(host.chats()).rejects.toMatchObject({ code: 'locked' });
    await host.unlock('123456');
    await expect(host.chats()).resolves.toHaveLength(4);
  });

  it('counts unread messages and clears them when read', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const before = (await host.chats()).find((c) => c.id === BOB_CHAT);
    expect(before?.unreadCount).toBe(2);
    host.deliver(BOB_CHAT, 'bob', 'one more');
    const after = (await host.chats()).find((c) => c.id === BOB_CHAT);
    expect(after?.unreadCount).toBe(3);
    await host.markRead(BOB_CHAT, after?.lastMessage?.seq ?? 0);
    expect((await host.chats()).find((c) => c.id === BOB_CHAT)?.unreadCount).toBe(0);
  });

  it('emits the pending message, then the sent one with the same local id', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', ackDelay: 1 });
    const events: CoreEvent[] = [];
    host.onEvent((e) => events.push(e));
    const pending = await host.send(BOB_CHAT, 'ping', null);
    await new Promise((r) => setTimeout(r, 20));
    const states = events.flatMap((e) => (e.type === 'messageUpserted' ? [[e.message.localId, e.message.state]] : []));
    expect(states).toEqual([
      [pending.localId, 'pending'],
      [pending.localId, 'sent'],
    ]);
  });

  it('finds messages with marked snippets, newest first', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const hits = await host.search('drive');
    expect(hits[0]?.chatTitle).toBe('Weekend trip');
    expect(hits[0]?.snippet).toContain('\u0001drive\u0002');
  });

  it('mutes and unmutes a chat, telling the UI with chatUpdated as pinning does', async () => {
    let now = 1_000_000;
    const host = new MemoryPlatform({ signedInAs: 'alice', now: () => now });
    const events: CoreEvent[] = [];
    host.onEvent((e) => events.push(e));
    const muted = async (): Promise<(number | null)[]> => (await host.chats()).map((c) => c.mutedUntil);
    expect(await muted()).toEqual([null, null, null, null]);

    await host.setChatMuted(BOB_CHAT, now + 3_600_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([{ type: 'chatUpdated', chat: expect.objectContaining({ id: BOB_CHAT, mutedUntil: now + 3_600_000 }) }]);
    expect((await host.chats()).find((c) => c.id === BOB_CHAT)?.mutedUntil).toBe(now + 3_600_000);

    // Messages still arrive and count as unread.
    host.deliver(BOB_CHAT, 'bob', 'shh');
    expect((await host.chats()).find((c) => c.id === BOB_CHAT)?.unreadCount).toBe(3);

    await host.setChatMuted(BOB_CHAT, null);
    await new Promise((r) => setTimeout(r, 0));
    expect(events.at(-1)).toEqual({ type: 'chatUpdated', chat: expect.objectContaining({ id: BOB_CHAT, mutedUntil: null }) });
    expect(await muted()).toEqual([null, null, null, null]);

    // A mute that has ended is reported as none; one for ever never ends.
    await host.setChatMuted(BOB_CHAT, now + 1000);
    await host.setChatMuted(2, MUTED_FOREVER);
    now += 1000;
    expect((await host.chats()).map((c) => [c.id, c.mutedUntil])).toEqual([
      [1, null],
      [2, MUTED_FOREVER],
      [3, null],
      [4, null],
    ]);
  });

  it('refuses to mute a group this account was removed from, or a chat that is not its own', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    host.removeMe(2);
    await expect(host.setChatMuted(2, MUTED_FOREVER)).rejects.toMatchObject({ code: 'not_member' });
    await expect(host.setChatMuted(99, null)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('archives a chat; a new message takes it out unless it is muted, and a mute that ran out no longer keeps it', async () => {
    let now = 1_000_000;
    const host = new MemoryPlatform({ signedInAs: 'alice', now: () => now });
    const events: CoreEvent[] = [];
    host.onEvent((e) => events.push(e));
    const archived = async (id: number): Promise<boolean | undefined> =>
      (await host.chats()).find((c) => c.id === id)?.archived;
    expect((await host.chats()).map((c) => c.archived)).toEqual([false, false, false, false]);

    await host.setChatArchived(BOB_CHAT, true);
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([{ type: 'chatUpdated', chat: expect.objectContaining({ id: BOB_CHAT, archived: true }) }]);
    // My own message leaves it where it is; the peer's brings it back.
    await host.send(BOB_CHAT, 'from me', null);
    await new Promise((r) => setTimeout(r, 400));
    expect(await archived(BOB_CHAT)).toBe(true);
    host.deliver(BOB_CHAT, 'bob', 'hello?');
    expect(await archived(BOB_CHAT)).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(events.at(-1)).toEqual({ type: 'chatUpdated', chat: expect.objectContaining({ id: BOB_CHAT, archived: false }) });

    await host.setChatMuted(3, now + 1000);
    await host.setChatArchived(3, true);
    host.deliver(3, 'carol', 'quiet');
    expect(await archived(3)).toBe(true);
    now += 1000;
    host.deliver(3, 'carol', 'not so quiet');
    expect(await archived(3)).toBe(false);

    // Also in a group this account was removed from.
    host.removeMe(2);
    await host.setChatArchived(2, true);
    expect(await archived(2)).toBe(true);
    await expect(host.setChatArchived(99, true)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('only lets admins remove members', async () => {
    const host = new MemoryPlatform({ signedInAs: 'bob' });
    await expect(host.removeMember(2, 3)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('keeps opened links until taken and tells the UI with linkOpened', async () => {
    const host = new MemoryPlatform({ links: [{ kind: 'chat', id: 2 }] });
    const events: CoreEvent[] = [];
    host.onEvent((e) => events.push(e));
    host.openDeepLink({ kind: 'user', username: 'bob' });
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([{ type: 'linkOpened' }]);
    expect(await host.takeDeepLinks()).toEqual([
      { kind: 'chat', id: 2 },
      { kind: 'user', username: 'bob' },
    ]);
    expect(await host.takeDeepLinks()).toEqual([]);
  });
});
