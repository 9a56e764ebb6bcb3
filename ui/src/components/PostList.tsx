// A channel's posts, oldest at the top and newest at the bottom like a chat: day separators,
// then each post with its text, "edited" mark, view count and time. Sticks to the bottom
// while the user is there, loads older posts near the top, and reports each post that was on
// screen (IntersectionObserver; without one, as soon as it is shown). Not a live region: rows
// mounted while scrolling must not be read out. Up / Down move focus between posts. A deleted
// post stays as a "Deleted post" placeholder. Owners and admins get a menu on each post (its
// ⋮ button, a right-click, or the ContextMenu key / Shift+F10 / Enter on the focused post):
// edit in place (Enter saves, Esc cancels), delete (asked first), pin or unpin.

import { For, Show, createEffect, createMemo, createSignal, createUniqueId, on, onCleanup, onMount, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { MAX_POST } from '../lib/channels';
import { formatDay, formatTime, needsDaySeparator } from '../lib/dates';
import type { Post, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import type { ChannelFeed } from '../stores/channels';
import { ContextMenu, type MenuItem } from './ContextMenu';
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
  /** This account may edit, delete and pin posts (owner, admins). */
  manage?: boolean;
  /** The pinned post. */
  pinned?: Seq | null;
  onError?: (error: unknown) => void;
}): JSX.Element {
  const { settings, platform } = useApp();
  const t = settings.t;
  let scroller!: HTMLDivElement;
  let stick = true;
  const shown = createMemo((): readonly Post[] => props.feed.posts());
  const [menu, setMenu] = createSignal<{ seq: Seq; x: number; y: number } | null>(null);
  const [editing, setEditing] = createSignal<Seq | null>(null);
  const [confirmDelete, setConfirmDelete] = createSignal<Seq | null>(null);
  const [busy, setBusy] = createSignal(false);
  const channel = props.feed.channel;
  const fail = (error: unknown): void => props.onError?.(error);
  const rowOf = (seq: Seq): HTMLElement | null =>
    scroller.querySelector<HTMLElement>(`[data-testid="channel-post"][data-seq="${seq}"]`);
  /** Focus goes back to the post once its editor or question is gone. */
  const focusRow = (seq: Seq): void => queueMicrotask(() => rowOf(seq)?.focus());

  const act = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    try {
      await action();
      return true;
    } catch (error) {
      fail(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const saveEdit = async (post: Post, text: string): Promise<void> => {
    const value = text.trim();
    if (value === '' || busy()) return;
    if (value === post.text) {
      setEditing(null);
      focusRow(post.seq);
      return;
    }
    // A refusal keeps the editor open with the text, to try again.
    if (await act(() => platform.editPost(channel, post.seq, value))) {
      setEditing(null);
      focusRow(post.seq);
    }
  };
  const cancelEdit = (seq: Seq): void => {
    setEditing(null);
    focusRow(seq);
  };
  const remove = async (seq: Seq): Promise<void> => {
    await act(() => platform.deletePost(channel, seq));
    setConfirmDelete(null);
    focusRow(seq);
  };
  const menuItems = (seq: Seq): MenuItem[] => {
    const post = bySeq().get(seq);
    if (props.manage !== true || post === undefined || post.deleted) return [];
    const pinned = props.pinned === seq;
    return [
      {
        label: t('channel.editPost'),
        icon: 'pencil',
        testId: 'post-edit',
        run: () => {
          setConfirmDelete(null);
          setEditing(seq);
        },
      },
      {
        label: pinned ? t('channel.unpinPost') : t('channel.pinPost'),
        icon: 'pin',
        testId: 'post-pin',
        run: () => void act(() => platform.pinPost(channel, pinned ? null : seq)),
      },
      {
        label: t('channel.deletePost'),
        icon: 'trash',
        testId: 'post-delete',
        danger: true,
        run: () => {
          setEditing(null);
          setConfirmDelete(seq);
        },
      },
    ];
  };
  const openMenu = (seq: Seq, x: number, y: number): void => {
    if (menuItems(seq).length > 0) setMenu({ seq, x, y });
  };
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

  const watch = (el: HTMLElement, seq: number, deleted: boolean): void => {
    if (deleted) return;
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
                    <PostRow
                      post={post()}
                      ref={(el) => watch(el, seq, post().deleted)}
                      manage={props.manage === true}
                      pinned={props.pinned === seq}
                      editing={editing() === seq}
                      confirmDelete={confirmDelete() === seq}
                      busy={busy()}
                      onMenu={(x, y) => openMenu(seq, x, y)}
                      onSaveEdit={(text) => void saveEdit(post(), text)}
                      onCancelEdit={() => cancelEdit(seq)}
                      onDelete={() => void remove(seq)}
                      onCancelDelete={() => {
                        setConfirmDelete(null);
                        focusRow(seq);
                      }}
                    />
                  </>
                )}
              </Show>
            )}
          </For>
          {props.footer}
        </div>
      </div>
      <Show when={menu()}>
        {(open) => (
          <ContextMenu
            x={open().x}
            y={open().y}
            label={t('channel.postActions')}
            items={menuItems(open().seq)}
            onClose={() => setMenu(null)}
          />
        )}
      </Show>
    </div>
  );
}

function PostRow(props: {
  post: Post;
  ref: (el: HTMLElement) => void;
  manage: boolean;
  pinned: boolean;
  editing: boolean;
  confirmDelete: boolean;
  busy: boolean;
  onMenu: (x: number, y: number) => void;
  onSaveEdit: (text: string) => void;
  onCancelEdit: () => void;
  onDelete: () => void;
  onCancelDelete: () => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const hasMenu = (): boolean => props.manage && !props.post.deleted;
  const onContextMenu = (event: MouseEvent): void => {
    if (!hasMenu()) return;
    event.preventDefault();
    props.onMenu(event.clientX, event.clientY);
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (!hasMenu() || event.target !== event.currentTarget) return;
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey) || event.key === 'Enter') {
      event.preventDefault();
      const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
      props.onMenu(box.left + box.width / 2, box.top + box.height / 2);
    }
  };
  return (
    <article
      ref={props.ref}
      class="post bubble"
      classList={{ deleted: props.post.deleted, pinned: props.pinned, editing: props.editing, 'with-menu': hasMenu() }}
      tabIndex={-1}
      aria-haspopup={hasMenu() ? 'menu' : undefined}
      data-testid="channel-post"
      data-seq={props.post.seq}
      data-deleted={props.post.deleted ? 'true' : undefined}
      onContextMenu={onContextMenu}
      onKeyDown={onKeyDown}
    >
      <Show when={hasMenu() && !props.editing}>
        <button
          type="button"
          class="icon-button small post-menu-button"
          aria-haspopup="menu"
          aria-label={t('channel.postActions')}
          title={t('channel.postActions')}
          tabIndex={-1}
          data-testid="post-menu"
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            props.onMenu(box.left, box.bottom);
          }}
        >
          <Icon name="more" size={18} />
        </button>
      </Show>
      <Show when={props.pinned && !props.post.deleted}>
        <span class="post-pinned-mark" data-testid="post-pinned-mark">
          <Icon name="pin" size={14} />
          <span>{t('channel.pinnedPost')}</span>
        </span>
      </Show>
      <Show
        when={props.editing}
        fallback={
          <span class="message-text" dir="auto" data-testid="channel-post-text">
            {props.post.deleted ? t('channel.deletedPost') : props.post.text}
          </span>
        }
      >
        <PostEditor text={props.post.text} busy={props.busy} onSave={props.onSaveEdit} onCancel={props.onCancelEdit} />
      </Show>
      <Show when={props.confirmDelete}>
        <span class="post-confirm" role="group" aria-label={t('channel.deleteConfirm')}>
          <span dir="auto">{t('channel.deleteConfirm')}</span>
          <button
            type="button"
            class="button danger small"
            disabled={props.busy}
            data-testid="post-delete-confirm"
            ref={(el) => queueMicrotask(() => el.focus())}
            onClick={() => props.onDelete()}
          >
            {t('channel.deletePost')}
          </button>
          <button
            type="button"
            class="button small"
            data-testid="post-delete-cancel"
            onClick={() => props.onCancelDelete()}
            onKeyDown={(e) => e.key === 'Escape' && props.onCancelDelete()}
          >
            {t('common.cancel')}
          </button>
        </span>
      </Show>
      <span class="message-meta post-meta">
        <Show when={!props.post.deleted}>
          <span class="post-views" data-testid="channel-views" title={settings.plural('channel.views', props.post.views)}>
            <Icon name="eye" size={14} />
            <span aria-hidden="true">{formatNumber(props.post.views, settings.lang())}</span>
            <span class="visually-hidden">{settings.plural('channel.views', props.post.views)}</span>
          </span>
        </Show>
        <Show when={props.post.editedAt !== null && !props.post.deleted}>
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

/** A post's text being edited: Enter saves, Shift+Enter breaks the line, Esc cancels. */
function PostEditor(props: { text: string; busy: boolean; onSave: (text: string) => void; onCancel: () => void }): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const hintId = createUniqueId();
  let box!: HTMLTextAreaElement;
  const fit = (): void => {
    box.style.height = 'auto';
    box.style.height = `${box.scrollHeight}px`;
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      props.onSave(box.value);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      // The caret moves in the text, not focus between posts.
      event.stopPropagation();
    }
  };
  return (
    <span class="post-editor">
      <textarea
        ref={(el) => {
          box = el;
          queueMicrotask(() => {
            el.focus();
            el.setSelectionRange(el.value.length, el.value.length);
            fit();
          });
        }}
        class="composer-input post-edit-input"
        dir="auto"
        rows={1}
        maxLength={MAX_POST}
        value={props.text}
        readOnly={props.busy}
        aria-label={t('channel.editLabel')}
        aria-describedby={hintId}
        data-testid="post-edit-input"
        onInput={fit}
        onKeyDown={onKeyDown}
      />
      <span id={hintId} class="muted post-edit-hint">
        {t('channel.editHint')}
      </span>
    </span>
  );
}
