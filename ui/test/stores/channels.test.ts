import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { createChannelsStore, VIEW_REPORT_DELAY_MS } from '../../src/stores/channels';

function store(platform: MemoryPlatform) {
  return createRoot(() => createChannelsStore(platform, () => 'en'));
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('channels store', () => {
  it('lists the channels this account is in by title, apart from previews, following events', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice', subscriptions: { alice: ['wrennews', 'football_live'] } });
    const channels = store(platform);
    await channels.load();
    expect(channels.list().map((c) => c.title)).toEqual(['Football Live', 'Wren News']);
    const preview = await platform.findChannel('science_daily');
    channels.put(preview);
    expect(channels.byId(preview.id)?.role).toBeNull();
    expect(channels.byHandle('@Science_Daily')?.id).toBe(preview.id);
    expect(channels.ids()).toHaveLength(2);
    channels.apply({ type: 'channelUpdated', channel: { ...preview, role: 'subscriber' } });
    expect(channels.list().map((c) => c.title)).toEqual(['Football Live', 'Science Daily', 'Wren News']);
    channels.apply({ type: 'channelRemoved', channel: preview.id });
    expect(channels.byId(preview.id)).toBeUndefined();
    channels.clear();
    expect(channels.list()).toEqual([]);
    expect(channels.loaded()).toBe(false);
  });

  it('loads the stored posts, then the server page with fresh view counts', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = platform.channelIdByTitle('Wren News');
    const channels = store(platform);
    const stored = vi.spyOn(platform, 'channelPosts');
    const fresh = vi.spyOn(platform, 'refreshPosts').mockImplementation(async (channel, before, limit) => {
      platform.addViews(channel, 3, 100);
      return platform.channelPosts(channel, before, limit);
    });
    const feed = channels.feed(news);
    await feed.load(false);
    expect(stored).toHaveBeenCalledWith(news, null, 50);
    expect(fresh).toHaveBeenCalledWith(news, null, 50);
    expect(feed.posts().map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(feed.posts()[2]?.views).toBe(9_912);
    expect(feed.hasOlder()).toBe(false);
    // Offline: what this device has still shows.
    fresh.mockRejectedValue({ code: 'network', message: 'offline' });
    await expect(feed.load(false)).resolves.toBeUndefined();
    expect(feed.posts()).toHaveLength(3);
  });

  it('adds posts from events only to a loaded feed, and previews from the preview page', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    const channels = store(platform);
    const sports = (await platform.findChannel('football_live')).id;
    const feed = channels.feed(sports);
    const post = { channel: sports, seq: 9, changedSeq: 9, text: 'x', sentAt: 1, editedAt: null, deleted: false, views: 0 };
    channels.apply({ type: 'postUpserted', post });
    expect(feed.posts()).toEqual([]);
    await feed.load(true);
    expect(feed.posts().map((p) => p.seq)).toEqual([1, 2]);
    channels.apply({ type: 'postUpserted', post });
    expect(feed.posts().map((p) => p.seq)).toEqual([1, 2, 9]);
    expect(await feed.loadOlder()).toBe(0);
  });

  it('reports posts seen on screen once, in batches of at most 200', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    const channels = store(platform);
    const news = (await platform.findChannel('wrennews')).id;
    const reports = vi.spyOn(platform, 'reportViews').mockResolvedValue(undefined);
    const feed = channels.feed(news);
    for (let seq = 1; seq <= 250; seq++) feed.seen(seq);
    feed.seen(1);
    expect(reports).not.toHaveBeenCalled();
    await wait(VIEW_REPORT_DELAY_MS + 50);
    expect(reports.mock.calls.map(([channel, seqs]) => [channel, seqs.length])).toEqual([
      [news, 200],
      [news, 50],
    ]);
    feed.seen(2);
    await wait(VIEW_REPORT_DELAY_MS + 50);
    expect(reports).toHaveBeenCalledTimes(2);
  });

  it('reports a post again when its report failed', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice' });
    const channels = store(platform);
    const news = (await platform.findChannel('wrennews')).id;
    const reports = vi.spyOn(platform, 'reportViews').mockRejectedValueOnce({ code: 'network', message: 'offline' });
    const feed = channels.feed(news);
    feed.seen(3);
    await wait(VIEW_REPORT_DELAY_MS + 50);
    feed.seen(3);
    await wait(VIEW_REPORT_DELAY_MS + 50);
    expect(reports.mock.calls.map(([, seqs]) => seqs)).toEqual([[3], [3]]);
  });
  it('remembers the newest post seen, and the sponsored messages hidden or shown this session', async () => {
    const platform = new MemoryPlatform({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = platform.channelIdByTitle('Wren News');
    const channels = store(platform);
    const feed = channels.feed(news);
    expect(feed.seenUpTo()).toBe(0);
    feed.seen(2);
    feed.seen(1);
    expect(feed.seenUpTo()).toBe(2);
    // Seen again (already reported): still moves the mark.
    feed.seen(3);
    feed.seen(3);
    expect(feed.seenUpTo()).toBe(3);
    feed.dispose();

    expect(channels.sponsoredHidden(news)).toBe(false);
    channels.hideSponsored(news);
    expect(channels.sponsoredHidden(news)).toBe(true);
    expect(channels.sponsoredHidden(news + 1)).toBe(false);
    expect(channels.firstSponsoredShow(1, news)).toBe(true);
    expect(channels.firstSponsoredShow(1, news)).toBe(false);
    expect(channels.firstSponsoredShow(1, news + 1)).toBe(true);
    // Signed out or locked: a new session.
    channels.clear();
    expect(channels.sponsoredHidden(news)).toBe(false);
    expect(channels.firstSponsoredShow(1, news)).toBe(true);
  });
});
