// The virtualized message list: only the rows in (and just around) the viewport are in the
// DOM. Row heights are measured as rows render; the first visible row stays put when older
// pages are prepended or heights change, and the list sticks to the bottom while the user
// is there. It is not a live region (`aria-live="off"` overrides the log role's): rows
// mounted while scrolling must not be read out; new messages are announced by
// `LiveAnnouncer`.

import { For, Show, createEffect, createMemo, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { callRecordLabel } from '../lib/calls';
import { HeightIndex, isAtBottom, visibleWindow } from '../lib/virtual';
import type { ChatSummary, MessageView, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import type { Conversation } from '../stores/conversation';
import { Icon } from './Icon';
import { MessageRow } from './MessageRow';

const ESTIMATED_ROW = 56;
const OVERSCAN = 8;
const LOAD_OLDER_MARGIN = 800;
const BOTTOM_SLACK = 48;
/** Used when the element has no layout (tests): roughly a laptop screen. */
const FALLBACK_VIEWPORT = 800;

export interface ListController {
  scrollToBottom(): void;
  scrollToSeq(seq: Seq): void;
}

export interface MessageListProps {
  conversation: Conversation;
  chat: ChatSummary;
  now: number;
  /** The first unread message when the chat was opened; the divider goes above it. */
  firstUnread: Seq | null;
  onMenu: (message: MessageView, x: number, y: number) => void;
  /** The newest message the user has seen on screen. */
  onSeen: (seq: Seq) => void;
  controller: (controller: ListController) => void;
  /** While messages are being selected: each row gets a check box over it. */
  selection?: MessageSelection | null;
  /** Shows why something done from a message failed (a reaction, a link, a mention). */
  onError?: (message: string) => void;
}

/** The selected messages, and what a click on a row does while selecting. */
export interface MessageSelection {
  has(localId: string): boolean;
  /** `range`: Shift was held (select from the last clicked message). */
  toggle(message: MessageView, range: boolean): void;
}

interface Anchor {
  key: string;
  index: number;
  delta: number;
}

/** Binary search by seq: rows are ordered by seq, with outbox messages (no seq) last. */
function seqPosition(rows: readonly MessageView[], seq: Seq): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = rows[mid]?.seq ?? null;
    if (s !== null && s < seq) lo = mid + 1;
    else hi = mid;
  }
  return rows[lo]?.seq === seq ? lo : -1;
}

export function MessageList(props: MessageListProps): JSX.Element {
  const { settings, people } = useApp();
  const t = settings.t;
  let scroller!: HTMLDivElement;
  let spacer!: HTMLDivElement;
  let index = new HeightIndex(0, ESTIMATED_ROW);
  let rows: readonly MessageView[] = [];
  const measured = new Map<string, number>();
  let stick = props.firstUnread === null;
  let positioned = false;

  const [version, setVersion] = createSignal(0);
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(FALLBACK_VIEWPORT);
  const [atBottom, setAtBottom] = createSignal(true);
  const [highlight, setHighlight] = createSignal<string | null>(null);
  const bump = (): void => {
    setVersion((v) => v + 1);
  };

  let lastPrepend = 0;
  const seqIndex = (seq: Seq): number => seqPosition(rows, seq);

  const captureAnchor = (): Anchor | null => {
    if (stick || rows.length === 0) return null;
    const top = scroller.scrollTop;
    const i = index.indexAt(top);
    const key = rows[i]?.localId;
    return key === undefined ? null : { key, index: i, delta: top - index.offsetOf(i) };
  };

  /** Scrolls programmatically; handled at once, as the scroll event comes later (or never, off-screen). */
  const setTop = (top: number): void => {
    scroller.scrollTop = top;
    onScroll();
  };

  const layout = (anchor: Anchor | null): void => {
    spacer.style.height = `${index.total}px`;
    if (stick) setTop(index.total);
    else if (anchor !== null) {
      const i = [anchor.index, anchor.index + lastPrepend].find((at) => rows[at]?.localId === anchor.key) ??
        rows.findIndex((m) => m.localId === anchor.key);
      if (i !== -1) setTop(index.offsetOf(i) + anchor.delta);
    }
  };

  /** Brings the height index in line with a new message array, reusing measurements. */
  const sync = (next: readonly MessageView[]): void => {
    const first = rows[0]?.localId;
    const last = rows[rows.length - 1]?.localId;
    const at = first === undefined ? -1 : next.findIndex((m) => m.localId === first);
    const grewAtEnds = at !== -1 && next[at + rows.length - 1]?.localId === last;
    lastPrepend = grewAtEnds ? at : 0;
    if (grewAtEnds) {
      index.prepend(at);
      index.append(next.length - at - rows.length);
    } else {
      index = new HeightIndex(next.length, ESTIMATED_ROW);
      next.forEach((m, i) => {
        const h = measured.get(m.localId);
        if (h !== undefined) index.set(i, h);
      });
    }
    rows = next;
  };

  const placeInitially = (): void => {
    if (positioned || rows.length === 0) return;
    positioned = true;
    const unread = props.firstUnread === null ? -1 : seqIndex(props.firstUnread);
    if (unread === -1) {
      stick = true;
      setTop(index.total);
      return;
    }
    stick = false;
    setTop(Math.max(0, index.offsetOf(unread) - 8));
  };

  createEffect(
    on(
      () => props.conversation.messages(),
      (next) => {
        const anchor = captureAnchor();
        sync(next);
        bump();
        layout(anchor);
        placeInitially();
        onScroll();
      },
    ),
  );

  const observer =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          const anchor = captureAnchor();
          let changed = false;
          for (const entry of entries) {
            const el = entry.target as HTMLElement;
            if (el === scroller) {
              setViewport(scroller.clientHeight || FALLBACK_VIEWPORT);
              continue;
            }
            const key = el.dataset['key'];
            const i = Number(el.dataset['index']);
            const height = el.offsetHeight;
            if (key === undefined || height <= 0 || rows[i]?.localId !== key) continue;
            measured.set(key, height);
            if (index.set(i, height) !== 0) changed = true;
          }
          if (changed) {
            bump();
            layout(anchor);
          }
        });
  onCleanup(() => observer?.disconnect());

  const range = createMemo(() => {
    version();
    return visibleWindow(index, scrollTop(), viewport(), OVERSCAN);
  });
  const visible = createMemo(() => {
    const r = range();
    return rows.slice(r.start, r.end);
  });
  /** The message `m` replies to, when it is loaded. */
  const quotedBy = (m: MessageView): MessageView | undefined =>
    m.replyTo === null ? undefined : rows[(version(), seqIndex(m.replyTo))];
  /** Rows are keyed by local id: a message that changes (ticks, edits) keeps its DOM node. */
  const visibleKeys = createMemo(() => visible().map((m) => m.localId));
  const visibleByKey = createMemo(() => new Map(visible().map((m) => [m.localId, m])));

  const reportSeen = (): void => {
    const top = scroller.scrollTop;
    const last = index.indexAt(top + viewport() - 1);
    const first = index.indexAt(top);
    for (let i = last; i >= first; i--) {
      const seq = rows[i]?.seq;
      if (seq !== null && seq !== undefined) {
        props.onSeen(seq);
        return;
      }
    }
  };

  const maybeLoadOlder = (): void => {
    const c = props.conversation;
    if (scroller.scrollTop < LOAD_OLDER_MARGIN && c.hasOlder() && !c.loading() && c.loaded()) void c.loadOlder();
  };

  function onScroll(): void {
    const top = scroller.scrollTop;
    setScrollTop(top);
    const bottom = isAtBottom(top, viewport(), index.total, BOTTOM_SLACK);
    if (positioned) stick = bottom;
    setAtBottom(bottom);
    if (document.visibilityState === 'visible') reportSeen();
    maybeLoadOlder();
  }

  const scrollToSeq = (seq: Seq): void => {
    const i = seqIndex(seq);
    const key = rows[i]?.localId;
    if (key === undefined) return;
    stick = false;
    setTop(Math.max(0, index.offsetOf(i) - viewport() / 3));
    setHighlight(key);
    setTimeout(() => setHighlight((k) => (k === key ? null : k)), 1500);
  };

  onMount(() => {
    setViewport(scroller.clientHeight || FALLBACK_VIEWPORT);
    observer?.observe(scroller);
    props.controller({
      scrollToBottom() {
        stick = true;
        setTop(index.total);
      },
      scrollToSeq,
    });
  });

  /** Up / Down move focus between messages; from the list itself, Up goes to the newest shown. */
  const onKeyDown = (event: KeyboardEvent): void => {
    if ((event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || event.altKey) return;
    const bubbles = [...scroller.querySelectorAll<HTMLElement>('[data-testid="message"]')];
    const at = bubbles.indexOf(event.target as HTMLElement);
    const next = at === -1 ? bubbles[bubbles.length - 1] : bubbles[at + (event.key === 'ArrowUp' ? -1 : 1)];
    if (next === undefined) return;
    event.preventDefault();
    next.focus();
  };

  /** What the check box of a row reads: who wrote it and what it says. */
  const selectLabel = (m: MessageView): string => {
    let text = m.text;
    if (m.deleted) text = t('chat.deleted');
    else if (m.undecryptable) text = t('message.undecryptable');
    else if (m.call !== null) text = callRecordLabel(m.call, m.outgoing, t, settings.lang());
    return t('select.toggle', { name: people.name(m.sender), text: text.slice(0, 120) });
  };

  const firstUnreadVisible = (): boolean => {
    const seq = props.firstUnread;
    if (seq === null) return true;
    version();
    const i = seqIndex(seq);
    if (i === -1) return true;
    const r = range();
    return i >= r.start && i < r.end;
  };

  return (
    <div class="message-list-wrap">
      <div
        ref={scroller}
        class="message-list"
        role="log"
        aria-label={t('chat.messages')}
        aria-live="off"
        data-testid="message-list"
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div ref={spacer} class="message-list-spacer">
          <For each={visibleKeys()}>
            {(key, offset) => {
              const i = () => range().start + offset();
              return (
                <Show when={visibleByKey().get(key)}>
                  {(message) => (
                    <div
                      class="message-row"
                      classList={{ selecting: Boolean(props.selection), selected: props.selection?.has(key) === true }}
                      data-testid="message-row"
                      data-selected={props.selection ? String(props.selection.has(key)) : undefined}
                      data-key={key}
                      data-index={i()}
                      style={{ top: `${(version(), index.offsetOf(i()))}px` }}
                      ref={(el) => {
                        observer?.observe(el);
                        onCleanup(() => observer?.unobserve(el));
                      }}
                    >
                      <MessageRow
                        message={message()}
                        previous={(version(), rows[i() - 1])}
                        chat={props.chat}
                        now={props.now}
                        firstUnread={message().seq !== null && message().seq === props.firstUnread}
                        highlighted={highlight() === key}
                        quoted={quotedBy(message())}
                        onMenu={props.onMenu}
                        onQuoteClick={scrollToSeq}
                        onError={props.onError}
                      />
                      <Show when={props.selection}>
                        {(selection) => (
                          <button
                            type="button"
                            role="checkbox"
                            class="message-select"
                            aria-checked={selection().has(key)}
                            aria-label={selectLabel(message())}
                            data-testid="message-select"
                            onClick={(event) => selection().toggle(message(), event.shiftKey)}
                          >
                            <span class="message-select-mark">
                              <Icon name="checkCircle" size={22} />
                            </span>
                          </button>
                        )}
                      </Show>
                    </div>
                  )}
                </Show>
              );
            }}
          </For>
        </div>
      </div>
      <div class="floating-buttons">
        <Show when={!firstUnreadVisible()}>
          <button
            type="button"
            class="round-button"
            aria-label={t('chat.jumpToUnread')}
            title={t('chat.jumpToUnread')}
            data-testid="jump-to-unread"
            onClick={() => props.firstUnread !== null && scrollToSeq(props.firstUnread)}
          >
            <Icon name="up" />
          </button>
        </Show>
        <Show when={!atBottom()}>
          <button
            type="button"
            class="round-button"
            aria-label={
              props.chat.unreadCount > 0
                ? t('chat.scrollToBottomUnread', { count: props.chat.unreadCount })
                : t('chat.scrollToBottom')
            }
            title={t('chat.scrollToBottom')}
            data-testid="scroll-to-bottom"
            onClick={() => {
              stick = true;
              setTop(index.total);
            }}
          >
            <Icon name="down" />
            <Show when={props.chat.unreadCount > 0}>
              <span class="round-button-badge" data-testid="scroll-to-bottom-count">
                {formatNumber(props.chat.unreadCount, settings.lang())}
              </span>
            </Show>
          </button>
        </Show>
      </div>
    </div>
  );
}
