// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { MemoryPlatform, SPONSORED_MIN_SUBSCRIBERS } from '../../src/platform/memory';
import type { BusinessProfile } from '../../src/platform/types';

function profile(overrides: Partial<BusinessProfile> = {}): BusinessProfile {
  return { hours: [], utcOffsetMinutes: 0, address: '', startPage: '', greeting: '', awayMessage: '', quickReplies: [], ...overrides };
}

async function signIn(host: MemoryPlatform, username: string): Promise<void> {
  await host.login('http://127.0.0.1:8080', username, 'password', true);
}

describe('memory host: sponsored messages', () => {
  it('shows a campaign in the one big English news channel, and none in small or private ones', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const news = host.channelIdByTitle('Wren News');
    expect((await host.findChannel('wrennews')).subscribers).toBeGreaterThanOrEqual(SPONSORED_MIN_SUBSCRIBERS);
    expect(await host.sponsored(news)).toEqual({
      campaign: 1,
      channel: news,
      title: 'Wren Academy',
      text: 'Free evening courses on privacy and security for beginners.',
      target: { link: 'https://academy.example.com/courses' },
      button: 'See the courses',
    });
    // The French food campaign's channel is too small.
    const cuisine = host.channelIdByTitle('Cuisine du monde');
    expect((await host.findChannel('cuisine_monde')).subscribers).toBeLessThan(SPONSORED_MIN_SUBSCRIBERS);
    expect(await host.sponsored(cuisine)).toBeNull();
    // Other large channels: no campaign for their topic and language.
    expect(await host.sponsored(host.channelIdByTitle('Football Live'))).toBeNull();
    // A private channel: only its members may ask, and it shows none.
    const bookClub = host.channelIdByTitle('Book club');
    await expect(host.sponsored(bookClub)).rejects.toMatchObject({ code: 'not_found' });
    await host.joinChannel(host.inviteFor(bookClub));
    host.addCampaign({ title: 'Any', text: 'Any', target: { link: 'https://e.x/' }, button: 'Go', topics: [], languages: [], budget: 9 });
    expect(await host.sponsored(bookClub)).toBeNull();
  });

  it('shows none to a reader on the Business plan, and again once it ends', async () => {
    let now = Date.UTC(2030, 0, 1);
    const host = new MemoryPlatform({ signedInAs: 'alice', now: () => now });
    const news = host.channelIdByTitle('Wren News');
    host.setPlan('alice', 'business', now + 1000);
    expect(await host.sponsored(news)).toBeNull();
    now += 1000;
    expect((await host.plan()).plan).toBe('free');
    expect(await host.sponsored(news)).not.toBeNull();
  });

  it('counts each action once per account, per campaign only', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    const news = host.channelIdByTitle('Wren News');
    await host.sponsoredEvent(1, news, 'shown');
    await host.sponsoredEvent(1, news, 'shown');
    await host.sponsoredEvent(1, news, 'clicked');
    await signIn(host, 'bob');
    await host.sponsoredEvent(1, news, 'shown');
    await host.sponsoredEvent(1, news, 'reported');
    expect(host.campaignCounts(1)).toEqual({ shown: 2, clicks: 1, reports: 1 });
    // Not in a channel that shows none, nor for a campaign that is not running.
    const cuisine = host.channelIdByTitle('Cuisine du monde');
    await expect(host.sponsoredEvent(2, cuisine, 'shown')).rejects.toMatchObject({ code: 'bad_request' });
    host.stopCampaign(1);
    await signIn(host, 'carol');
    await expect(host.sponsoredEvent(1, news, 'shown')).rejects.toMatchObject({ code: 'not_found' });
    expect(await host.sponsored(news)).toBeNull();
  });

  it('rotates between matching campaigns by channel and minute, whoever reads', async () => {
    let now = 0;
    const host = new MemoryPlatform({ signedInAs: 'alice', now: () => now });
    const news = host.channelIdByTitle('Wren News');
    host.addCampaign({ title: 'Two', text: 't', target: { channel: 'science_daily' }, button: 'Go', topics: ['news'], languages: [], budget: 9 });
    const seen = new Set<number>();
    for (let minute = 0; minute < 4; minute++) {
      now = minute * 60_000;
      const forAlice = await host.sponsored(news);
      await signIn(host, 'bob');
      const forBob = await host.sponsored(news);
      await signIn(host, 'alice');
      expect(forBob).toEqual(forAlice);
      if (forAlice !== null) seen.add(forAlice.campaign);
    }
    expect(seen.size).toBe(2);
  });
});

describe('memory host: plans and business profiles', () => {
  it('puts accounts on Free by default, with its limits', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    expect(await host.plan()).toEqual({
      plan: 'free',
      until: null,
      limits: { publicChannels: 10, pinnedChats: 5, businessProfile: false, sponsoredMessages: true },
    });
    host.setPlan('alice', 'business', 123_456_789_000_000);
    expect(await host.plan()).toEqual({
      plan: 'business',
      until: 123_456_789_000_000,
      limits: { publicChannels: 20, pinnedChats: 10, businessProfile: true, sponsoredMessages: false },
    });
  });

  it('checks a profile first, then the plan, and shows it only while on Business', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.setBusinessProfile(profile({ quickReplies: [{ shortcut: 'No', text: '' }] }))).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(host.setBusinessProfile(profile({ address: 'Here' }))).rejects.toMatchObject({ code: 'forbidden' });
    host.makeBusiness('alice');
    await host.setBusinessProfile(profile({ address: 'Here' }));
    expect(await host.businessProfile(1)).toEqual(profile({ address: 'Here' }));
    host.setPlan('alice', 'free');
    expect(await host.businessProfile(1)).toBeNull();
    // dave is seeded as a business with a profile; bob has none.
    const dave = await host.openDirect('dave');
    const daveId = dave.members.find((m) => m.account.username === 'dave')?.account.id ?? -1;
    expect((await host.businessProfile(daveId))?.address).toBe('12 Harbour Street, Bristol');
    expect(await host.businessProfile(2)).toBeNull();
    await expect(host.businessProfile(999)).rejects.toMatchObject({ code: 'not_found' });
  });
});
