// A channel's posts, oldest at the top and newest at the bottom like a chat: day separators,
// then each post with its text, "edited" mark, view count and time. Sticks to the bottom
// while the user is there, loads older posts near the top, and reports each post that was on
// screen (IntersectionObserver; without one, as soon as it is shown). Not a live region: rows
// mounted while scrolling must not be read out. Up / Down move focus between posts.

import { For, Show, createEffect, createMemo, on, onCleanup, onMount, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { formatDay, formatTime, needsDaySeparator } from '../lib/dates';
import type { Post } from '../platform/types';
import { useApp } from '../stores/app';
import type { ChannelFeed } from '../stores/channels';
import { Icon } from './Icon';

const LOAD_OLDER_MARGIN = 400;
const BOTTOM_SLACK = 48;
/** The share of a post that must be in view for it to count as seen. */
const SEEN_THRESHOLD = 0.6;

export function PostList(props: {
  feed: ChannelFeed;
  now: number;
  /** Shown below the newest post, inside the scrolling list (the sponsored message). */
  footer?: JSX.Element;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  let scroller!: HTMLDivElement;
  let stick = true;
  const shown = createMemo((): Post[] => props.feed.posts().filter((p) => !p.deleted));
  /** Rows are keyed by position: a post that changes (views, edits) keeps its DOM node. */
  const seqs = createMemo(() => shown().map((p) => p.seq));
  const bySeq = createMemo(() => new Map(shown().map((p) => [p.seq, p])));

  const observer =
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              const seq = Number((entry.target as HTMLElement).dataset['seq']);
              if (Number.isFinite(seq)) props.feed.seen(seq);
              observer?.unobserve(entry.target);
            }
          },
          { threshold: SEEN_THRESHOLD },
        );
  onCleanup(() => observer?.disconnect());

  const watch = (el: HTMLElement, seq: number): void => {
    if (observer === null) props.feed.seen(seq);
    else {
      observer.observe(el);
      onCleanup(() => observer.unobserve(el));
    }
  };

  const toBottom = (): void => {
    scroller.scrollTop = scroller.scrollHeight;
  };

  // New posts keep the list at the bottom when it was there; older ones keep the view still.
  createEffect(
    on(
      () => props.feed.posts(),
      () => {
        if (stick) queueMicrotask(toBottom);
      },
    ),
  );

  const loadOlder = async (): Promise<void> => {
    const before = scroller.scrollHeight;
    const arrived = await props.feed.loadOlder().catch(() => 0);
    if (arrived > 0) queueMicrotask(() => (scroller.scrollTop += scroller.scrollHeight - before));
  };

  const onScroll = (): void => {
    const top = scroller.scrollTop;
    stick = scroller.scrollHeight - top - scroller.clientHeight <= BOTTOM_SLACK;
    const feed = props.feed;
    if (top < LOAD_OLDER_MARGIN && feed.hasOlder() && !feed.loading() && feed.loaded()) void loadOlder();
  };

  onMount(() => queueMicrotask(toBottom));

  const onKeyDown = (event: KeyboardEvent): void => {
    if ((event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || event.altKey) return;
    const rows = [...scroller.querySelectorAll<HTMLElement>('[data-testid="channel-post"]')];
    const at = rows.indexOf(event.target as HTMLElement);
    const next = at === -1 ? rows[rows.length - 1] : rows[at + (event.key === 'ArrowUp' ? -1 : 1)];
    if (next === undefined) return;
    event.preventDefault();
    next.focus();
  };

  return (
    <div class="message-list-wrap">
      <div
        ref={scroller}
        class="post-list"
        role="log"
        aria-label={t('channel.posts')}
        aria-live="off"
        aria-busy={props.feed.loading()}
        tabIndex={0}
        data-testid="channel-posts"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <Show when={props.feed.loaded() && shown().length === 0}>
          <div class="empty-chat" data-testid="channel-no-posts">
            <span class="empty-chat-pill">{t('channel.noPosts')}</span>
          </div>
        </Show>
        <div class="post-list-inner">
          <For each={seqs()}>
            {(seq, i) => (
              <Show when={bySeq().get(seq)}>
                {(post) => (
                  <>
                    <Show when={needsDaySeparator(shown()[i() - 1]?.sentAt, post().sentAt)}>
                      <div class="day-separator" role="separator" data-testid="day-separator">
                        <span>{formatDay(post().sentAt, props.now, settings.lang())}</span>
                      </div>
                    </Show>
                    <PostRow post={post()} ref={(el) => watch(el, seq)} />
                  </>
                )}
              </Show>
            )}
          </For>
          {props.footer}
        </div>
      </div>
    </div>
  );
}

function PostRow(props: { post: Post; ref: (el: HTMLElement) => void }): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  return (
    <article
      ref={props.ref}
      class="post bubble"
      tabIndex={-1}
      data-testid="channel-post"
      data-seq={props.post.seq}
    >
      <span class="message-text" dir="auto" data-testid="channel-post-text">
        {props.post.text}
      </span>
      <span class="message-meta post-meta">
        <span class="post-views" data-testid="channel-views" title={settings.plural('channel.views', props.post.views)}>
          <Icon name="eye" size={14} />
          <span aria-hidden="true">{formatNumber(props.post.views, settings.lang())}</span>
          <span class="visually-hidden">{settings.plural('channel.views', props.post.views)}</span>
        </span>
        <Show when={props.post.editedAt !== null}>
          <span class="message-edited" data-testid="channel-post-edited">
            {t('message.edited')}
          </span>
        </Show>
        <time class="message-time" dateTime={new Date(props.post.sentAt).toISOString()}>
          {formatTime(props.post.sentAt, settings.lang())}
        </time>
      </span>
    </article>
  );
}
