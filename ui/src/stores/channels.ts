// The channels this account is in (and the ones being previewed), and the loaded posts of
// each opened channel, fed by the host's `channelUpdated`, `channelRemoved` and
// `postUpserted` events. Posts seen on screen are reported to the host, once each.

import { batch, createMemo, createSignal, untrack, type Accessor } from 'solid-js';
import type { Lang } from '../i18n';
import { mergePosts, normalizeHandle, sortChannels } from '../lib/channels';
import { MAX_VIEWS_PER_REPORT } from '../platform/types';
import type { ChannelId, ChannelInfo, CoreEvent, Platform, Post, Seq } from '../platform/types';

/** Posts asked for per page. */
export const POST_PAGE = 50;
/** Posts seen within this long are reported together. */
export const VIEW_REPORT_DELAY_MS = 400;

export interface ChannelFeed {
  channel: ChannelId;
  /** Loaded posts, oldest first (deleted ones included: the view leaves them out). */
  posts: Accessor<readonly Post[]>;
  /** False once the oldest post has been loaded (always false for a preview). */
  hasOlder: Accessor<boolean>;
  loading: Accessor<boolean>;
  loaded: Accessor<boolean>;
  /**
   * Loads the newest page: for a channel this account is in, the posts stored on this device
   * at once, then the server's (fresh view counts); for a preview, the host's preview page.
   */
  load(preview: boolean): Promise<void>;
  /** One page of older posts; resolves to how many arrived. */
  loadOlder(): Promise<number>;
  /** The newest page again from the server, for fresh view counts. */
  refresh(): Promise<void>;
  upsert(post: Post): void;
  /** A post was on screen: reported to the host (batched), once per app run. */
  seen(seq: Seq): void;
  /** The newest position of a post that was on screen (0: none yet). */
  seenUpTo: Accessor<Seq>;
  /** Stops a pending view report. */
  dispose(): void;
}

export function createChannelFeed(platform: Platform, channel: ChannelId): ChannelFeed {
  const [posts, setPosts] = createSignal<readonly Post[]>([]);
  const [hasOlder, setHasOlder] = createSignal(false);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [seenUpTo, setSeenUpTo] = createSignal<Seq>(0);
  let preview = false;
  const reported = new Set<Seq>();
  let pending: Seq[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const merge = (incoming: readonly Post[]): void => {
    setPosts((prev) => mergePosts(prev, incoming));
  };

  const flush = (): void => {
    timer = undefined;
    const seqs = pending;
    pending = [];
    for (let i = 0; i < seqs.length; i += MAX_VIEWS_PER_REPORT) {
      const chunk = seqs.slice(i, i + MAX_VIEWS_PER_REPORT);
      // Not counted: it may be reported again the next time it is on screen.
      platform.reportViews(channel, chunk).catch(() => {
        for (const seq of chunk) reported.delete(seq);
      });
    }
  };

  const oldest = (): Seq | null => posts()[0]?.seq ?? null;

  return {
    channel,
    posts,
    hasOlder,
    loading,
    loaded,
    async load(asPreview) {
      preview = asPreview;
      setLoading(true);
      try {
        if (asPreview) {
          const page = await platform.previewPosts(channel, POST_PAGE);
          batch(() => {
            setPosts(mergePosts([], page));
            setHasOlder(false);
            setLoaded(true);
          });
          return;
        }
        const local = await platform.channelPosts(channel, null, POST_PAGE);
        batch(() => {
          setPosts((prev) => mergePosts(loaded() ? prev : [], local));
          setHasOlder(local.length >= POST_PAGE);
          setLoaded(true);
        });
        try {
          const fresh = await platform.refreshPosts(channel, null, POST_PAGE);
          batch(() => {
            merge(fresh);
            if (fresh.length >= POST_PAGE) setHasOlder(true);
          });
        } catch (error) {
          // Offline: what this device has is shown; with nothing to show, say why.
          if (local.length === 0) throw error;
        }
      } finally {
        setLoading(false);
      }
    },
    async loadOlder() {
      const before = oldest();
      if (preview || !hasOlder() || loading() || before === null) return 0;
      setLoading(true);
      try {
        let page = await platform.channelPosts(channel, before, POST_PAGE);
        if (page.length < POST_PAGE) {
          page = await platform.refreshPosts(channel, before, POST_PAGE).catch(() => page);
        }
        batch(() => {
          merge(page);
          setHasOlder(page.length >= POST_PAGE);
        });
        return page.length;
      } finally {
        setLoading(false);
      }
    },
    async refresh() {
      if (!loaded()) return;
      merge(preview ? await platform.previewPosts(channel, POST_PAGE) : await platform.refreshPosts(channel, null, POST_PAGE));
    },
    upsert(post) {
      if (post.channel === channel && loaded()) merge([post]);
    },
    seenUpTo,
    seen(seq) {
      if (seq > untrack(seenUpTo)) setSeenUpTo(seq);
      if (reported.has(seq)) return;
      reported.add(seq);
      pending.push(seq);
      timer ??= setTimeout(flush, VIEW_REPORT_DELAY_MS);
    },
    dispose() {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}

export interface ChannelsStore {
  /** The channels this account is in, by title. */
  list: Accessor<ChannelInfo[]>;
  /** The ids of `list`, in the same order. */
  ids: Accessor<ChannelId[]>;
  /** A channel this account is in, or one being previewed. */
  byId(id: ChannelId): ChannelInfo | undefined;
  /** A known public channel by handle (with or without `@`). */
  byHandle(handle: string): ChannelInfo | undefined;
  loaded: Accessor<boolean>;
  load(): Promise<void>;
  apply(event: CoreEvent): void;
  /** Records a channel returned by a call (a preview, one just subscribed to or created). */
  put(channel: ChannelInfo): void;
  /** The posts of a channel, kept while the app runs so that reopening it is instant. */
  feed(id: ChannelId): ChannelFeed;
  /** Whether the reader hid (or reported) the sponsored messages of a channel this session. */
  sponsoredHidden(id: ChannelId): boolean;
  hideSponsored(id: ChannelId): void;
  /**
   * Records that a campaign's message was on screen in a channel; false when it already was
   * this session (it is reported once).
   */
  firstSponsoredShow(campaign: number, channel: ChannelId): boolean;
  /** Whether a channel is muted on this device (from `mutedChannels`). */
  isMuted(id: ChannelId): boolean;
  /** Mutes or unmutes a channel on this device, then reads the muted list back from the host. */
  setMuted(id: ChannelId, muted: boolean): Promise<void>;
  /** The invite links of a channel made this session, oldest first. */
  invites(id: ChannelId): readonly SessionInvite[];
  /** Records an invite link just made. */
  addInvite(id: ChannelId, link: string): void;
  /** Revokes an invite link with the host; it stays listed, marked revoked. */
  revokeInvite(id: ChannelId, link: string): Promise<void>;
  /** Forgets every channel and post (sign-out, lock). */
  clear(): void;
}

/** An invite link made this session. */
export interface SessionInvite {
  link: string;
  revoked: boolean;
}

export function createChannelsStore(platform: Platform, lang: () => Lang): ChannelsStore {
  const [known, setKnown] = createSignal<ReadonlyMap<ChannelId, ChannelInfo>>(new Map());
  const [loaded, setLoaded] = createSignal(false);
  const feeds = new Map<ChannelId, ChannelFeed>();
  const [hiddenSponsored, setHiddenSponsored] = createSignal<ReadonlySet<ChannelId>>(new Set());
  const sponsoredShown = new Set<string>();
  const [muted, setMutedSet] = createSignal<ReadonlySet<ChannelId>>(new Set());
  const [invites, setInvites] = createSignal<ReadonlyMap<ChannelId, readonly SessionInvite[]>>(new Map());
  const loadMuted = async (): Promise<void> => {
    setMutedSet(new Set(await platform.mutedChannels()));
  };
  const markInvite = (id: ChannelId, link: string, revoked: boolean, add: boolean): void => {
    setInvites((prev) => {
      const list = prev.get(id) ?? [];
      const next = add
        ? [...list.filter((i) => i.link !== link), { link, revoked }]
        : list.map((i) => (i.link === link ? { link, revoked } : i));
      return new Map(prev).set(id, next);
    });
  };
  const list = createMemo(() =>
    sortChannels(
      [...known().values()].filter((c) => c.role !== null),
      lang(),
    ),
  );
  const put = (channel: ChannelInfo): void => {
    setKnown((prev) => new Map(prev).set(channel.id, channel));
  };
  const drop = (id: ChannelId): void => {
    setKnown((prev) => {
      const next = new Map(prev);
      next.delete(id);
      return next;
    });
    feeds.get(id)?.dispose();
    feeds.delete(id);
  };
  return {
    list,
    ids: createMemo(() => list().map((c) => c.id)),
    byId: (id) => known().get(id),
    byHandle(handle) {
      const wanted = normalizeHandle(handle);
      for (const c of known().values()) if (c.handle === wanted) return c;
      return undefined;
    },
    loaded,
    async load() {
      const all = await platform.channels();
      setKnown(new Map(all.map((c) => [c.id, c])));
      setLoaded(true);
      // Without the muted list the channels still show, only without their muted marks.
      await loadMuted().catch(() => undefined);
    },
    apply(event) {
      if (event.type === 'channelUpdated') put(event.channel);
      else if (event.type === 'channelRemoved') drop(event.channel);
      else if (event.type === 'postUpserted') feeds.get(event.post.channel)?.upsert(event.post);
    },
    put,
    feed(id) {
      let feed = feeds.get(id);
      if (feed === undefined) {
        feed = createChannelFeed(platform, id);
        feeds.set(id, feed);
      }
      return feed;
    },
    sponsoredHidden: (id) => hiddenSponsored().has(id),
    hideSponsored(id) {
      setHiddenSponsored((prev) => new Set(prev).add(id));
    },
    firstSponsoredShow(campaign, channel) {
      const key = `${campaign}:${channel}`;
      if (sponsoredShown.has(key)) return false;
      sponsoredShown.add(key);
      return true;
    },
    isMuted: (id) => muted().has(id),
    async setMuted(id, value) {
      await platform.setChannelMuted(id, value);
      await loadMuted().catch(() => {
        setMutedSet((prev) => {
          const next = new Set(prev);
          if (value) next.add(id);
          else next.delete(id);
          return next;
        });
      });
    },
    invites: (id) => invites().get(id) ?? [],
    addInvite(id, link) {
      markInvite(id, link, false, true);
    },
    async revokeInvite(id, link) {
      await platform.revokeInvite(id, link);
      markInvite(id, link, true, false);
    },
    clear() {
      setMutedSet(new Set<ChannelId>());
      setInvites(new Map());
      for (const feed of feeds.values()) feed.dispose();
      feeds.clear();
      setHiddenSponsored(new Set<ChannelId>());
      sponsoredShown.clear();
      setKnown(new Map());
      setLoaded(false);
    },
  };
}
