import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPlatform, OWNER_SHARE_MILLI } from '../../src/platform/memory';
import { TauriPlatform } from '../../src/platform/tauri';
import type { CoreEvent } from '../../src/platform/types';

const SERVER = 'http://127.0.0.1:8080';

function collect(host: MemoryPlatform): CoreEvent[] {
  const events: CoreEvent[] = [];
  host.onEvent((e) => events.push(e));
  return events;
}

afterEach(() => {
  clearMocks();
});

describe('managing a channel on the memory host', () => {
  it('lets the owner edit, delete and pin posts, with events, and refuses subscribers', async () => {
    const host = new MemoryPlatform({ signedInAs: 'dave', subscriptions: { alice: ['wrennews'] } });
    const news = host.channelIdByTitle('Wren News');
    const events = collect(host);

    await host.editPost(news, 3, '  Wren 0.2 is out!  ');
    const [edited] = await host.channelPosts(news, 4, 1);
    expect(edited).toMatchObject({ seq: 3, text: 'Wren 0.2 is out!', deleted: false });
    expect(edited?.editedAt).not.toBeNull();
    expect(events.find((e) => e.type === 'postUpserted')).toMatchObject({ post: { seq: 3, text: 'Wren 0.2 is out!' } });
    await expect(host.editPost(news, 3, '   ')).rejects.toMatchObject({ code: 'invalid' });

    await host.pinPost(news, 3);
    expect((await host.channels()).find((c) => c.id === news)?.pinned).toBe(3);
    expect(events.at(-1)).toMatchObject({ type: 'channelUpdated', channel: { id: news, pinned: 3 } });
    await expect(host.pinPost(news, 99)).rejects.toMatchObject({ code: 'not_found' });

    // Deleting the pinned post unpins it; a deleted post can be neither edited nor pinned.
    await host.deletePost(news, 3);
    const [gone] = await host.channelPosts(news, 4, 1);
    expect(gone).toMatchObject({ seq: 3, text: '', deleted: true });
    expect((await host.channels()).find((c) => c.id === news)?.pinned).toBeNull();
    await expect(host.editPost(news, 3, 'again')).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.deletePost(news, 3)).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.pinPost(news, 3)).rejects.toMatchObject({ code: 'not_found' });
    await host.pinPost(news, 2);
    await host.pinPost(news, null);
    expect((await host.channels()).find((c) => c.id === news)?.pinned).toBeNull();

    await host.login(SERVER, 'alice', 'password', false);
    await expect(host.editPost(news, 2, 'mine now')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(host.deletePost(news, 2)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(host.pinPost(news, 2)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(host.channelAdmins(news)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(host.channelEarnings(news)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lists the owner and admins; only the owner names admins, and only subscribers', async () => {
    const host = new MemoryPlatform({ signedInAs: 'dave', subscriptions: { alice: ['wrennews'], bob: ['wrennews'] } });
    const news = host.channelIdByTitle('Wren News');
    expect((await host.channelAdmins(news)).map((a) => [a.account.username, a.role])).toEqual([['dave', 'owner']]);

    await host.setChannelAdmin(news, 'bob', true);
    await host.setChannelAdmin(news, '@alice', true);
    expect((await host.channelAdmins(news)).map((a) => [a.account.username, a.role])).toEqual([
      ['dave', 'owner'],
      ['alice', 'admin'],
      ['bob', 'admin'],
    ]);
    await expect(host.setChannelAdmin(news, 'carol', true)).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.setChannelAdmin(news, 'nobody', true)).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.setChannelAdmin(news, 'dave', false)).rejects.toMatchObject({ code: 'not_found' });
    await host.setChannelAdmin(news, 'bob', false);
    expect((await host.channelAdmins(news)).map((a) => a.account.username)).toEqual(['dave', 'alice']);

    // An admin posts, sees the admins and the earnings, but names nobody.
    await host.login(SERVER, 'alice', 'password', false);
    expect((await host.channels()).find((c) => c.id === news)?.role).toBe('admin');
    await host.editPost(news, 1, 'Welcome!');
    expect(await host.channelAdmins(news)).toHaveLength(2);
    await expect(host.setChannelAdmin(news, 'bob', true)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('revokes invite links: they stop working, and a second revoke is not_found', async () => {
    const host = new MemoryPlatform({ signedInAs: 'bob' });
    const club = host.channelIdByTitle('Book club');
    const { link } = await host.createInvite(club);
    expect(host.inviteWorks(club, link)).toBe(true);
    await host.revokeInvite(club, link);
    expect(host.inviteWorks(club, link)).toBe(false);
    await expect(host.revokeInvite(club, link)).rejects.toMatchObject({ code: 'not_found' });
    await host.login(SERVER, 'carol', 'password', false);
    await expect(host.joinChannel(link)).rejects.toMatchObject({ code: 'not_found' });
  });

  it("counts the channel's sponsored impressions and the owner's half", async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = host.channelIdByTitle('Wren News');
    const message = await host.sponsored(news);
    expect(message).not.toBeNull();
    await host.sponsoredEvent(message?.campaign ?? 0, news, 'shown');
    // A repeat is not counted again; clicks are not impressions.
    await host.sponsoredEvent(message?.campaign ?? 0, news, 'shown');
    await host.sponsoredEvent(message?.campaign ?? 0, news, 'clicked');
    await host.login(SERVER, 'dave', 'password', false);
    expect(await host.channelEarnings(news)).toEqual({ shown: 1, creditsMilli: OWNER_SHARE_MILLI });
    host.addSponsoredImpressions(news, 2);
    expect(await host.channelEarnings(news)).toEqual({ shown: 3, creditsMilli: 1_500 });
    const sports = host.channelIdByTitle('Football Live');
    await expect(host.channelEarnings(sports)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps muted channels on this device, per account', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', subscriptions: { alice: ['wrennews', 'football_live'] } });
    const news = host.channelIdByTitle('Wren News');
    expect(await host.mutedChannels()).toEqual([]);
    await host.setChannelMuted(news, true);
    await host.setChannelMuted(news, true);
    expect(await host.mutedChannels()).toEqual([news]);
    await expect(host.setChannelMuted(host.channelIdByTitle('Book club'), true)).rejects.toMatchObject({ code: 'not_found' });
    await host.login(SERVER, 'dave', 'password', false);
    expect(await host.mutedChannels()).toEqual([]);
    await host.login(SERVER, 'alice', 'password', false);
    await host.setChannelMuted(news, false);
    expect(await host.mutedChannels()).toEqual([]);
  });
});

describe('the tauri host', () => {
  it('calls the channel management commands with camelCase arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'channel_admins') return [{ account: { id: 4, username: 'dave' }, role: 'owner' }];
      if (cmd === 'channel_earnings') return { shown: 3, creditsMilli: 1500 };
      if (cmd === 'muted_channels') return [2];
      return null;
    });
    const host = new TauriPlatform();
    await host.editPost(2, 7, 'new text');
    await host.deletePost(2, 7);
    await host.pinPost(2, 5);
    await host.pinPost(2, null);
    await host.revokeInvite(2, 'wren://join/ab');
    await expect(host.channelAdmins(2)).resolves.toEqual([{ account: { id: 4, username: 'dave' }, role: 'owner' }]);
    await host.setChannelAdmin(2, 'alice', true);
    await expect(host.channelEarnings(2)).resolves.toEqual({ shown: 3, creditsMilli: 1500 });
    await expect(host.mutedChannels()).resolves.toEqual([2]);
    await host.setChannelMuted(2, false);
    expect(calls).toEqual([
      ['edit_post', { channel: 2, seq: 7, text: 'new text' }],
      ['delete_post', { channel: 2, seq: 7 }],
      ['pin_post', { channel: 2, seq: 5 }],
      ['pin_post', { channel: 2, seq: null }],
      ['revoke_invite', { channel: 2, link: 'wren://join/ab' }],
      ['channel_admins', { channel: 2 }],
      ['set_channel_admin', { channel: 2, username: 'alice', admin: true }],
      ['channel_earnings', { channel: 2 }],
      ['muted_channels', {}],
      ['set_channel_muted', { channel: 2, muted: false }],
    ]);
  });
});
