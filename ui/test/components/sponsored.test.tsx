import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SPONSORED_MIN_SUBSCRIBERS, type MemoryPlatform } from '../../src/platform/memory';
import { renderApp } from '../render';

/**
 * An IntersectionObserver the test drives: `intersect(el)` tells every observer watching
 * `el` that it came into view.
 */
class FakeObserver {
  static all: FakeObserver[] = [];
  readonly watched = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeObserver.all.push(this);
  }
  observe(el: Element): void {
    this.watched.add(el);
  }
  unobserve(el: Element): void {
    this.watched.delete(el);
  }
  disconnect(): void {
    this.watched.clear();
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
  static intersect(el: Element): void {
    for (const observer of FakeObserver.all) {
      if (!observer.watched.has(el)) continue;
      const entry = { target: el, isIntersecting: true, intersectionRatio: 1 } as unknown as IntersectionObserverEntry;
      observer.callback([entry], observer as unknown as IntersectionObserver);
    }
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeObserver.all = [];
});

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

function posts(): HTMLElement[] {
  return screen.queryAllByTestId('channel-post');
}

async function openSubscribed(title: string): Promise<void> {
  const list = await screen.findByTestId('channel-list');
  const row = within(list)
    .getAllByRole('option')
    .find((o) => o.textContent?.includes(title));
  fireEvent.click(row as HTMLElement);
  await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe(title));
}

/** Opens a public channel by its link, as a preview unless subscribed. */
async function openByLink(platform: MemoryPlatform, handle: string, title: string): Promise<void> {
  await screen.findByTestId('chat-list');
  platform.openDeepLink({ kind: 'channel', handle });
  await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe(title));
}

describe('sponsored messages', () => {
  it('are asked for only once the newest post was on screen, and reported shown once when on screen', async () => {
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = platform.channelIdByTitle('Wren News');
    await openSubscribed('Wren News');
    await waitFor(() => expect(posts()).toHaveLength(3));
    await tick();
    // Nothing read yet.
    expect(platform.sponsoredAsks).toEqual([]);
    expect(screen.queryByTestId('sponsored-message')).toBeNull();

    // Older posts on screen: not everything new was read.
    FakeObserver.intersect(posts()[0] as HTMLElement);
    FakeObserver.intersect(posts()[1] as HTMLElement);
    await tick();
    expect(platform.sponsoredAsks).toEqual([]);

    // The newest post: now the channel asks, and shows the message below the last post.
    FakeObserver.intersect(posts()[2] as HTMLElement);
    const card = await screen.findByTestId('sponsored-message');
    expect(platform.sponsoredAsks).toEqual([news]);
    expect(within(card).getByTestId('sponsored-label').textContent).toBe('Sponsored');
    expect(within(card).getByTestId('sponsored-title').textContent).toBe('Wren Academy');
    expect(within(card).getByTestId('sponsored-text').textContent).toBe(
      'Free evening courses on privacy and security for beginners.',
    );
    expect(card.getAttribute('aria-labelledby')?.split(' ')).toHaveLength(2);
    const lastPost = posts()[2] as HTMLElement;
    expect(lastPost.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('channel-posts').contains(card)).toBe(true);
    // A link target opens in the browser, without giving the page a handle on Wren.
    const button = within(card).getByTestId('sponsored-button');
    expect(button.tagName).toBe('A');
    expect(button.getAttribute('href')).toBe('https://academy.example.com/courses');
    expect(button.getAttribute('target')).toBe('_blank');
    expect(button.getAttribute('rel')).toContain('noopener');
    expect(button.textContent).toContain('See the courses');

    // Not reported until it is actually on screen; then once.
    await tick();
    expect(platform.sponsoredEvents).toEqual([]);
    FakeObserver.intersect(card);
    await waitFor(() => expect(platform.sponsoredEvents).toEqual([{ campaign: 1, channel: news, action: 'shown' }]));
    FakeObserver.intersect(card);
    await tick();
    expect(platform.sponsoredEvents).toHaveLength(1);
    expect(platform.campaignCounts(1)).toEqual({ shown: 1, clicks: 0, reports: 0 });

    // Chats never ask for sponsored messages.
    fireEvent.click(screen.getByTestId('chat-item-1'));
    await screen.findByTestId('conversation');
    await tick();
    expect(platform.sponsoredAsks).toEqual([news]);
    expect(screen.queryByTestId('sponsored-message')).toBeNull();
  });

  it('are not shown in small or private channels', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    // A campaign for any channel at all: still only large public channels show it.
    platform.addCampaign({
      title: 'Everywhere',
      text: 'Shown in any large public channel.',
      target: { link: 'https://example.com/' },
      button: 'Open',
      topics: [],
      languages: [],
      budget: 1000,
    });
    const small = platform.channelIdByTitle('Cuisine du monde');
    expect((await platform.findChannel('cuisine_monde')).subscribers).toBeLessThan(SPONSORED_MIN_SUBSCRIBERS);
    await openByLink(platform, 'cuisine_monde', 'Cuisine du monde');
    await waitFor(() => expect(posts()).toHaveLength(1));
    await waitFor(() => expect(platform.sponsoredAsks).toEqual([small]));
    await tick();
    expect(screen.queryByTestId('sponsored-message')).toBeNull();

    // A private channel is not even asked about.
    const bookClub = platform.channelIdByTitle('Book club');
    await platform.joinChannel(platform.inviteFor(bookClub));
    await openSubscribed('Book club');
    await waitFor(() => expect(posts()).toHaveLength(1));
    await tick();
    expect(screen.queryByTestId('sponsored-message')).toBeNull();
    expect(platform.sponsoredAsks).toEqual([small]);

    // A large public channel does show one (the control).
    await openByLink(platform, 'football_live', 'Football Live');
    expect(await screen.findByTestId('sponsored-message')).toBeTruthy();
  });

  it('are not shown to a reader on the Business plan', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.setPlan('alice', 'business');
    const news = platform.channelIdByTitle('Wren News');
    await openByLink(platform, 'wrennews', 'Wren News');
    await waitFor(() => expect(posts()).toHaveLength(3));
    await waitFor(() => expect(platform.sponsoredAsks).toEqual([news]));
    await tick();
    expect(screen.queryByTestId('sponsored-message')).toBeNull();
    expect(platform.sponsoredEvents).toEqual([]);
  });

  it('Hide hides it in this channel for the session; Report reports it and hides it', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews', 'football_live'] } });
    const news = platform.channelIdByTitle('Wren News');
    const football = platform.channelIdByTitle('Football Live');
    const sports = platform.addCampaign({
      title: 'Match tickets',
      text: 'Tickets for every match day.',
      target: { channel: 'football_live' },
      button: 'Open the channel',
      topics: ['sports'],
      languages: [],
      budget: 1000,
    });
    await openSubscribed('Wren News');
    fireEvent.click(await screen.findByTestId('sponsored-hide'));
    await waitFor(() => expect(screen.queryByTestId('sponsored-message')).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId('channel-posts'));
    // Hiding is not reporting.
    expect(platform.sponsoredEvents.filter((e) => e.action !== 'shown')).toEqual([]);

    // Another channel still shows its own.
    await openSubscribed('Football Live');
    const card = await screen.findByTestId('sponsored-message');
    expect(within(card).getByTestId('sponsored-title').textContent).toBe('Match tickets');
    fireEvent.click(within(card).getByTestId('sponsored-report'));
    await waitFor(() => expect(screen.queryByTestId('sponsored-message')).toBeNull());
    await waitFor(() =>
      expect(platform.sponsoredEvents).toContainEqual({ campaign: sports, channel: football, action: 'reported' }),
    );
    expect(platform.campaignCounts(sports).reports).toBe(1);

    // Back in the first channel: still hidden, and not asked for again.
    const asked = platform.sponsoredAsks.filter((c) => c === news).length;
    await openSubscribed('Wren News');
    await waitFor(() => expect(posts()).toHaveLength(3));
    await tick();
    expect(screen.queryByTestId('sponsored-message')).toBeNull();
    expect(platform.sponsoredAsks.filter((c) => c === news)).toHaveLength(asked);
    await openSubscribed('Football Live');
    await waitFor(() => expect(posts()).toHaveLength(2));
    await tick();
    expect(screen.queryByTestId('sponsored-message')).toBeNull();
  });

  it('About explains where they appear, how they are chosen, what is kept and how to turn them off', async () => {
    renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    await openSubscribed('Wren News');
    const about = await screen.findByTestId('sponsored-about');
    expect(about.getAttribute('aria-label')).toBe('About sponsored messages');
    about.focus();
    fireEvent.click(about);
    const dialog = await screen.findByTestId('sponsored-about-dialog');
    const text = within(dialog).getByTestId('sponsored-about-text').textContent ?? '';
    expect(text).toContain('only in large public channels');
    expect(text).toContain("chosen by the channel's topic and language, never by who reads");
    expect(text).toContain('keeps no record of who saw');
    expect(text).toContain('Business plan turns them off');
    expect(about.closest('[inert]')).not.toBeNull();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByTestId('sponsored-about-dialog')).toBeNull();
    expect(document.activeElement).toBe(about);
    // Reading about it changes nothing.
    expect(screen.getByTestId('sponsored-message')).toBeTruthy();
  });

  it('pressing a link button reports a click and leaves the link to the browser', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = platform.channelIdByTitle('Wren News');
    await openSubscribed('Wren News');
    const button = await screen.findByTestId('sponsored-button');
    // jsdom cannot open a browser window: the navigation itself is left out.
    const stop = (e: Event): void => e.preventDefault();
    document.addEventListener('click', stop, true);
    try {
      fireEvent.click(button);
    } finally {
      document.removeEventListener('click', stop, true);
    }
    await waitFor(() => expect(platform.sponsoredEvents).toContainEqual({ campaign: 1, channel: news, action: 'clicked' }));
    expect(platform.campaignCounts(1).clicks).toBe(1);
    expect(screen.getByTestId('channel-title').textContent).toBe('Wren News');
  });

  it('pressing a channel button reports a click and opens that channel like a wren://channel link', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = platform.channelIdByTitle('Wren News');
    platform.stopCampaign(1);
    const science = platform.addCampaign({
      title: 'Science Daily',
      text: 'One discovery a day, explained simply.',
      target: { channel: 'science_daily' },
      button: 'Open the channel',
      topics: ['news'],
      languages: ['en'],
      budget: 1000,
    });
    await openSubscribed('Wren News');
    const button = await screen.findByTestId('sponsored-button');
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('data-target')).toBe('wren://channel/science_daily');
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Science Daily'));
    // A preview: not subscribed.
    expect(screen.getByTestId('channel-subscribe')).toBeTruthy();
    expect(platform.sponsoredEvents).toContainEqual({ campaign: science, channel: news, action: 'clicked' });
  });

  it('never leads anywhere but a channel or an https:// link', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    platform.stopCampaign(1);
    platform.addCampaign({
      title: 'Bad',
      text: 'A link that is not https.',
      target: { link: 'javascript:alert(1)' },
      button: 'Click',
      topics: ['news'],
      languages: [],
      budget: 10,
    });
    await openSubscribed('Wren News');
    const card = await screen.findByTestId('sponsored-message');
    expect(within(card).queryByTestId('sponsored-button')).toBeNull();
    expect(card.querySelector('a')).toBeNull();
  });
});
