// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { FREE_PUBLIC_CHANNELS, type CoreEvent, type NewChannel } from '../../src/platform/types';

const SERVER = 'http://127.0.0.1:8080';

function channel(overrides: Partial<NewChannel> = {}): NewChannel {
  return { title: 'My channel', handle: null, description: '', topic: 'other', language: 'en', ...overrides };
}

function collect(host: MemoryPlatform): CoreEvent[] {
  const events: CoreEvent[] = [];
  host.onEvent((e) => events.push(e));
  return events;
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('memory host: the channel directory', () => {
  it('lists public channels only, most subscribers first, each a preview', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const all = await host.directory({ text: '', topic: null, language: null, limit: 50 });
    expect(all.map((c) => c.handle)).toEqual(['football_live', 'wrennews', 'tech_arabic', 'science_daily', 'cuisine_monde']);
    expect(all.every((c) => c.role === null)).toBe(true);
    expect(all.map((c) => c.title)).not.toContain('Book club');
    const counts = all.map((c) => c.subscribers);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  it('filters by words (prefixes of words of the title, handle or description), topic and language', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const find = async (text: string, topic: string | null = null, language: string | null = null) =>
      (await host.directory({ text, topic, language, limit: 50 })).map((c) => c.handle);
    expect(await find('scien')).toEqual(['science_daily']);
    expect(await find('DAILY')).toEqual(['science_daily']);
    expect(await find('release notes')).toEqual(['wrennews']);
    expect(await find('notes nothing')).toEqual([]);
    expect(await find('', 'sports')).toEqual(['football_live']);
    expect(await find('', null, 'ar')).toEqual(['tech_arabic']);
    expect(await find('التقنية')).toEqual(['tech_arabic']);
    expect(await find('', 'food', 'en')).toEqual([]);
    expect(await host.directory({ text: '', topic: null, language: null, limit: 2 })).toHaveLength(2);
    await expect(host.directory({ text: '', topic: 'cats', language: null, limit: 5 })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('finds a public channel by handle (any case, with @) and previews its posts, newest first', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const news = await host.findChannel('@WrenNews');
    expect(news).toMatchObject({ title: 'Wren News', handle: 'wrennews', role: null, topic: 'news', language: 'en' });
    const posts = await host.previewPosts(news.id, 10);
    expect(posts.map((p) => p.seq)).toEqual([3, 2, 1]);
    expect(posts[0]?.views).toBe(9_812);
    expect(posts[1]?.editedAt).not.toBeNull();
    expect(posts[1]?.changedSeq).toBeGreaterThan(posts[1]?.seq ?? 0);
    await expect(host.findChannel('nosuchchannel')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('memory host: subscribing and leaving', () => {
  it('subscribes to a public channel and leaves it, with events', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = collect(host);
    const preview = await host.findChannel('science_daily');
    expect(await host.channels()).toEqual([]);
    const joined = await host.subscribe(preview.id);
    expect(joined.role).toBe('subscriber');
    expect(joined.subscribers).toBe(preview.subscribers + 1);
    expect((await host.channels()).map((c) => c.id)).toEqual([preview.id]);
    expect(await host.channelPosts(preview.id, null, 10)).toHaveLength(2);
    await host.leaveChannel(preview.id);
    expect(await host.channels()).toEqual([]);
    await tick();
    expect(events).toEqual([
      { type: 'channelUpdated', channel: joined },
      { type: 'channelRemoved', channel: preview.id },
    ]);
    await expect(host.channelPosts(preview.id, null, 10)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('starts with the subscriptions it is given', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    expect((await host.channels()).map((c) => [c.handle, c.role])).toEqual([['wrennews', 'subscriber']]);
  });

  it('keeps private channels out of reach but by invite link', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const club = host.channelIdByTitle('Book club');
    await expect(host.subscribe(club)).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.previewPosts(club, 10)).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.joinChannel('wren://join/nope')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(host.joinChannel(`wren://join/${'0'.repeat(64)}`)).rejects.toMatchObject({ code: 'not_found' });
    const joined = await host.joinChannel(host.inviteFor(club));
    expect(joined).toMatchObject({ id: club, handle: null, role: 'subscriber', subscribers: 2 });
    expect((await host.channelPosts(club, null, 10)).map((p) => p.text)).toEqual(['This month: "The Left Hand of Darkness".']);
  });

  it('does not let the owner leave their channel', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const mine = await host.createChannel(channel());
    await expect(host.leaveChannel(mine.id)).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('memory host: creating channels', () => {
  it('checks the settings as the engine does, naming the field in the message', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const refused = async (c: NewChannel) => host.createChannel(c).then(() => null, (e: unknown) => e);
    expect(await refused(channel({ title: '  ' }))).toMatchObject({ code: 'invalid', message: expect.stringContaining('title') });
    for (const handle of ['abc', 'has space', '1abcde', 'a'.repeat(33), 'émile_x']) {
      expect(await refused(channel({ handle })), handle).toMatchObject({
        code: 'invalid',
        message: expect.stringContaining('handle'),
      });
    }
    expect(await refused(channel({ topic: 'cats' }))).toMatchObject({ code: 'invalid', message: expect.stringContaining('topic') });
    expect(await refused(channel({ language: 'EN' }))).toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('language'),
    });
    expect(await refused(channel({ description: 'x'.repeat(256) }))).toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('description'),
    });
    expect(await host.channels()).toEqual([]);
  });

  it('creates a public channel owned by the caller, its handle normalized', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const events = collect(host);
    const made = await host.createChannel(channel({ title: ' Cats ', handle: ' @Cat_Facts ', topic: 'science' }));
    expect(made).toMatchObject({ title: 'Cats', handle: 'cat_facts', role: 'owner', subscribers: 1, lastSeq: 0 });
    await tick();
    expect(events).toEqual([{ type: 'channelUpdated', channel: made }]);
    expect((await host.directory({ text: 'cat', topic: null, language: null, limit: 10 })).map((c) => c.id)).toEqual([made.id]);
  });

  it('keeps handles unique, whatever their case', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.createChannel(channel({ handle: 'WRENNEWS' }))).rejects.toMatchObject({ code: 'conflict' });
    await host.createChannel(channel({ handle: 'alices_notes' }));
    await expect(host.createChannel(channel({ handle: '@alices_notes' }))).rejects.toMatchObject({ code: 'conflict' });
  });

  it(`allows ${FREE_PUBLIC_CHANNELS} public channels on the Free plan, and private ones beyond`, async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    for (let i = 0; i < FREE_PUBLIC_CHANNELS; i++) await host.createChannel(channel({ handle: `alice_public_${i}` }));
    await expect(host.createChannel(channel({ handle: 'alice_one_more' }))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(host.createChannel(channel())).resolves.toMatchObject({ handle: null, role: 'owner' });
    // Another account has its own allowance.
    await host.login(SERVER, 'bob', 'password', false);
    await expect(host.createChannel(channel({ handle: 'bobs_first' }))).resolves.toMatchObject({ role: 'owner' });
  });
});

describe('memory host: posts and views', () => {
  it('lets the owner post; each post arrives as postUpserted and moves lastSeq', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const mine = await host.createChannel(channel({ handle: 'alice_posts' }));
    const events = collect(host);
    const seq = await host.post(mine.id, '  first post  ');
    expect(seq).toBe(1);
    await tick();
    expect(events).toEqual([
      {
        type: 'postUpserted',
        post: expect.objectContaining({ channel: mine.id, seq: 1, text: 'first post', views: 0, deleted: false }),
      },
      { type: 'channelUpdated', channel: expect.objectContaining({ id: mine.id, lastSeq: 1 }) },
    ]);
    await expect(host.post(mine.id, '   ')).rejects.toMatchObject({ code: 'invalid' });
    await expect(host.post(mine.id, 'x'.repeat(4097))).rejects.toMatchObject({ code: 'invalid' });
  });

  it('refuses posts and invite links from subscribers', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const news = await host.findChannel('wrennews');
    await host.subscribe(news.id);
    await expect(host.post(news.id, 'hi')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(host.createInvite(news.id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives owners invite links that others join with', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const secret = await host.createChannel(channel({ title: 'Secret' }));
    const { link } = await host.createInvite(secret.id);
    expect(link).toMatch(/^wren:\/\/join\/[0-9a-f]{64}$/);
    await host.login(SERVER, 'bob', 'password', false);
    await expect(host.findChannel('secret')).rejects.toMatchObject({ code: 'not_found' });
    await expect(host.joinChannel(link)).resolves.toMatchObject({ title: 'Secret', role: 'subscriber', subscribers: 2 });
  });

  it('counts a view once per post and reader', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const news = await host.findChannel('wrennews');
    const views = async () => (await host.previewPosts(news.id, 10)).map((p) => p.views);
    const before = await views();
    await host.reportViews(news.id, [3, 2]);
    await host.reportViews(news.id, [3]);
    expect(await views()).toEqual([(before[0] ?? 0) + 1, (before[1] ?? 0) + 1, before[2]]);
    await host.login(SERVER, 'bob', 'password', false);
    await host.reportViews(news.id, [3]);
    expect((await views())[0]).toBe((before[0] ?? 0) + 2);
    await expect(host.reportViews(news.id, Array.from({ length: 201 }, (_, i) => i))).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('pages posts newest first, before a position', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const mine = await host.createChannel(channel());
    for (let i = 1; i <= 5; i++) await host.post(mine.id, `post ${i}`);
    expect((await host.channelPosts(mine.id, null, 2)).map((p) => p.seq)).toEqual([5, 4]);
    expect((await host.refreshPosts(mine.id, 4, 2)).map((p) => p.seq)).toEqual([3, 2]);
    expect((await host.channelPosts(mine.id, 2, 10)).map((p) => p.seq)).toEqual([1]);
  });

  it('answers nothing about channels while locked', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice', passcode: '123456' });
    await expect(host.channels()).rejects.toMatchObject({ code: 'locked' });
    await expect(host.directory({ text: '', topic: null, language: null, limit: 5 })).rejects.toMatchObject({ code: 'locked' });
  });
});
