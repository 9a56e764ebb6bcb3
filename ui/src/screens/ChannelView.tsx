// The right column for one channel: header (title, subscribers, @handle), the posts with
// their view counts, and at the bottom what this account may do: post (owner, admins),
// leave (subscribers), or subscribe (a preview of a public channel). Once the newest post
// has been on screen, a public channel asks the host for a sponsored message and shows it
// below the newest post (the host answers null for small channels and Business readers).
// The pinned post shows in a bar above the posts (a click shows the post); the header has
// the Mute toggle (kept on this device) for channels this account is in.

import { Match, Show, Switch, createEffect, createMemo, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { PostList } from '../components/PostList';
import { SponsoredMessageCard } from '../components/SponsoredMessage';
import { MAX_POST, canPost } from '../lib/channels';
import type { ChannelInfo, Post, Seq, SponsoredAction, SponsoredMessage } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

/** How often the view counts of an open channel are asked again. */
const VIEW_REFRESH_MS = 60_000;

export function ChannelView(props: { channel: ChannelInfo; now: number; onError: (text: string) => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const id = props.channel.id;
  const feed = app.channels.feed(id);
  const current = (): ChannelInfo => app.channels.byId(id) ?? props.channel;
  const subscribed = (): boolean => current().role !== null;
  const [busy, setBusy] = createSignal(false);
  const [confirmLeave, setConfirmLeave] = createSignal(false);
  let composer: HTMLTextAreaElement | undefined;
  let section!: HTMLElement;

  const fail = (error: unknown): void => props.onError(errorText(t, error));

  // ---- the sponsored message ----
  const [sponsored, setSponsored] = createSignal<SponsoredMessage | null>(null);
  let alive = true;
  let askedSponsored = false;
  onCleanup(() => (alive = false));
  /** The newest post shown (deleted ones are left out); null while there is none. */
  const newestSeq = createMemo((): number | null => {
    const posts = feed.posts();
    for (let i = posts.length - 1; i >= 0; i--) {
      const post = posts[i];
      if (post !== undefined && !post.deleted) return post.seq;
    }
    return null;
  });
  /** Everything new was read: the newest post has been on screen. */
  const readToNewest = (): boolean => {
    if (!feed.loaded() || feed.loading()) return false;
    const newest = newestSeq();
    return newest === null || feed.seenUpTo() >= newest;
  };
  // Asked once per opening, only for a public channel, only after the newest post was seen.
  createEffect(() => {
    if (askedSponsored || current().handle === null || app.channels.sponsoredHidden(id) || !readToNewest()) return;
    askedSponsored = true;
    app.platform
      .sponsored(id)
      .then((message) => {
        if (alive && message !== null && message.channel === id) setSponsored(message);
      })
      .catch(() => undefined);
  });
  const tellSponsored = (message: SponsoredMessage, action: SponsoredAction): void => {
    app.platform.sponsoredEvent(message.campaign, message.channel, action).catch(() => undefined);
  };
  const shownSponsored = (): SponsoredMessage | null => (app.channels.sponsoredHidden(id) ? null : sponsored());
  /** The focused Hide / Report button goes away with the message: focus goes to the posts. */
  const hideSponsored = (): void => {
    app.channels.hideSponsored(id);
    section.querySelector<HTMLElement>('[data-testid="channel-posts"]')?.focus();
  };

  onMount(() => {
    feed.load(!subscribed()).catch(fail);
    composer?.focus();
    const timer = setInterval(() => void feed.refresh().catch(() => undefined), VIEW_REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });
  // Subscribed from the preview: the posts now come from this device and the server.
  createEffect(
    on(
      subscribed,
      (now, before) => {
        if (now && before === false) feed.load(false).catch(fail);
      },
      { defer: true },
    ),
  );

  const subscribe = async (): Promise<void> => {
    setBusy(true);
    try {
      app.channels.put(await app.platform.subscribe(id));
      // The button is gone: focus goes to the posts.
      section.querySelector<HTMLElement>('[data-testid="channel-posts"]')?.focus();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  // ---- the pinned post ----
  const pinnedPost = createMemo((): Post | null => {
    const seq = current().pinned;
    if (seq === null) return null;
    return feed.posts().find((p) => p.seq === seq) ?? null;
  });
  /** Shown while a post is pinned (and not known to be deleted). */
  const pinnedSeq = (): Seq | null => {
    const seq = current().pinned;
    return seq === null || pinnedPost()?.deleted === true ? null : seq;
  };
  /** Brings the pinned post into view and focus, loading older pages until it is there. */
  const showPinned = async (): Promise<void> => {
    const seq = pinnedSeq();
    if (seq === null) return;
    const row = (): HTMLElement | null =>
      section.querySelector<HTMLElement>(`[data-testid="channel-post"][data-seq="${seq}"]`);
    for (let page = 0; row() === null && feed.hasOlder() && page < 20; page++) {
      if ((await feed.loadOlder().catch(() => 0)) === 0) break;
    }
    const el = row();
    if (el === null) return;
    if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'center' });
    el.focus();
  };

  // ---- muting ----
  const muted = (): boolean => app.channels.isMuted(id);
  const toggleMute = (): void => {
    app.channels.setMuted(id, !muted()).catch(fail);
  };

  const leave = async (): Promise<void> => {
    setBusy(true);
    try {
      await app.platform.leaveChannel(id);
      if (app.activeChannel() === id) app.openChannel(null);
    } catch (error) {
      fail(error);
      setBusy(false);
    }
  };

  return (
    <section
      ref={section}
      class="conversation channel-view"
      aria-label={current().title}
      data-testid="channel-view"
      data-channel={id}
    >
      <header class="conversation-header">
        <button
          type="button"
          class="conversation-title-button"
          aria-haspopup="dialog"
          title={t('channel.info')}
          data-testid="open-channel-info"
          onClick={() => app.setDialog('channelInfo')}
        >
          <Avatar name={current().title} id={id} />
          <span class="conversation-title-text">
            <span class="conversation-title-line">
              <Icon name="megaphone" size={18} class="chat-kind" />
              <span class="conversation-title" dir="auto" data-testid="channel-title">
                <bdi>{current().title}</bdi>
              </span>
            </span>
            <span class="conversation-subtitle" data-testid="channel-subtitle">
              {app.settings.plural('channel.subscribers', current().subscribers)}
              {' · '}
              <Show when={current().handle} fallback={t('channel.private')}>
                {(handle) => <bdi>@{handle()}</bdi>}
              </Show>
            </span>
          </span>
        </button>
        <Show when={subscribed()}>
          <button
            type="button"
            class="icon-button"
            classList={{ toggled: muted() }}
            aria-pressed={muted()}
            aria-label={t('channel.mute')}
            title={muted() ? t('channel.unmute') : t('channel.mute')}
            data-testid="channel-mute"
            onClick={toggleMute}
          >
            <Icon name={muted() ? 'bellOff' : 'bell'} />
          </button>
        </Show>
        <button
          type="button"
          class="icon-button"
          aria-label={t('channel.info')}
          title={t('channel.info')}
          aria-haspopup="dialog"
          data-testid="channel-info-button"
          onClick={() => app.setDialog('channelInfo')}
        >
          <Icon name="info" />
        </button>
      </header>
      <Show when={pinnedSeq() !== null}>
        <button
          type="button"
          class="pinned-bar"
          data-testid="pinned-bar"
          data-seq={pinnedSeq() ?? ''}
          aria-label={t('channel.pinnedGoTo', { text: pinnedPost()?.text ?? '…' })}
          onClick={() => void showPinned()}
        >
          <Icon name="pin" size={18} />
          <span class="pinned-bar-body">
            <span class="pinned-bar-title">{t('channel.pinnedPost')}</span>
            <span class="pinned-bar-text" dir="auto" data-testid="pinned-bar-text">
              {pinnedPost()?.text ?? '…'}
            </span>
          </span>
        </button>
      </Show>
      <Show
        when={feed.loaded()}
        fallback={<div class="message-list-wrap loading">{t('common.loading')}</div>}
      >
        <PostList
          feed={feed}
          now={props.now}
          manage={canPost(current())}
          pinned={pinnedSeq()}
          onError={fail}
          footer={
            <Show when={shownSponsored()} keyed>
              {(message) => (
                <SponsoredMessageCard
                  message={message}
                  onShown={() => {
                    if (app.channels.firstSponsoredShow(message.campaign, id)) tellSponsored(message, 'shown');
                  }}
                  onClicked={() => tellSponsored(message, 'clicked')}
                  onOpenChannel={(handle) => app.links.open({ kind: 'channel', handle })}
                  onAbout={() => app.setDialog('sponsoredAbout')}
                  onHide={hideSponsored}
                  onReport={() => {
                    tellSponsored(message, 'reported');
                    hideSponsored();
                  }}
                />
              )}
            </Show>
          }
        />
      </Show>
      <Switch>
        <Match when={canPost(current())}>
          <ChannelComposer
            channel={id}
            onError={fail}
            onPosted={(seq) => {
              if (!feed.posts().some((p) => p.seq === seq)) void feed.refresh().catch(() => undefined);
            }}
            ref={(el) => (composer = el)}
          />
        </Match>
        <Match when={!subscribed()}>
          <div class="channel-bar" data-testid="channel-preview-bar">
            <span class="muted">{t('channel.preview')}</span>
            <button
              type="button"
              class="button primary"
              disabled={busy()}
              data-testid="channel-subscribe"
              onClick={() => void subscribe()}
            >
              {t('channel.subscribe')}
            </button>
          </div>
        </Match>
        <Match when={current().role === 'subscriber'}>
          <div class="channel-bar" data-testid="channel-subscriber-bar">
            <Show
              when={confirmLeave()}
              fallback={
                <button type="button" class="button" data-testid="channel-leave" onClick={() => setConfirmLeave(true)}>
                  {t('channel.leave')}
                </button>
              }
            >
              <span role="status" dir="auto">
                {t('channel.leaveConfirm', { title: current().title })}
              </span>
              <button
                type="button"
                class="button danger"
                disabled={busy()}
                data-testid="channel-leave-confirm"
                ref={(el) => queueMicrotask(() => el.focus())}
                onClick={() => void leave()}
              >
                {t('channel.leaveSubmit')}
              </button>
              <button type="button" class="button" data-testid="channel-leave-cancel" onClick={() => setConfirmLeave(false)}>
                {t('common.cancel')}
              </button>
            </Show>
          </div>
        </Match>
      </Switch>
    </section>
  );
}

/** The post box of owners and admins: Enter publishes, Shift+Enter breaks the line. */
function ChannelComposer(props: {
  channel: number;
  onError: (error: unknown) => void;
  onPosted: (seq: number) => void;
  ref: (el: HTMLTextAreaElement) => void;
}): JSX.Element {
  const { platform, settings } = useApp();
  const t = settings.t;
  const [text, setText] = createSignal('');
  const [sending, setSending] = createSignal(false);
  let box!: HTMLTextAreaElement;

  const fit = (): void => {
    box.style.height = 'auto';
    box.style.height = `${box.scrollHeight}px`;
  };

  const submit = async (): Promise<void> => {
    const value = text().trim();
    if (value === '' || sending()) return;
    setSending(true);
    try {
      const seq = await platform.post(props.channel, value);
      setText('');
      queueMicrotask(fit);
      props.onPosted(seq);
    } catch (error) {
      // The text stays in the box, to try again.
      props.onError(error);
    } finally {
      setSending(false);
      box.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div class="composer" data-testid="channel-composer-bar">
      <div class="composer-row">
        <textarea
          ref={(el) => {
            box = el;
            props.ref(el);
          }}
          class="composer-input"
          rows={1}
          dir="auto"
          maxLength={MAX_POST}
          placeholder={t('channel.composerPlaceholder')}
          aria-label={t('channel.composerLabel')}
          data-testid="channel-composer"
          value={text()}
          readOnly={sending()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            fit();
          }}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          class="send-button"
          aria-label={t('channel.send')}
          title={t('channel.send')}
          data-testid="channel-send"
          disabled={text().trim() === '' || sending()}
          onClick={() => void submit()}
        >
          <Icon name="send" />
        </button>
      </div>
    </div>
  );
}
