// The bar at the top of a conversation while the chat has pinned messages: the one it points
// at (the most recently pinned first), "Pinned message 2 of 3" when there are several. A click
// jumps to that message and moves the bar on to the next older pin, round and round.

import { Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import type { MessageView, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { Icon } from './Icon';
import '../styles/conversation-tools.css';

/** One line of a message's text for the bar. */
function preview(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function PinnedBar(props: {
  /** The chat's pinned messages, the most recently pinned first (not empty). */
  pinned: readonly MessageView[];
  canUnpin: boolean;
  onJump: (seq: Seq) => void;
  onUnpin: (seq: Seq) => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const [at, setAt] = createSignal(0);
  // A new list (pinned or unpinned): start again from the newest pin.
  createEffect(on(() => props.pinned, () => setAt(0), { defer: true }));
  const current = (): MessageView | undefined => props.pinned[Math.min(at(), props.pinned.length - 1)];
  const title = (): string =>
    props.pinned.length > 1 ? t('pin.titleOf', { index: at() + 1, count: props.pinned.length }) : t('pin.title');
  const text = (): string => {
    const m = current();
    if (m === undefined) return '';
    return m.deleted ? t('chat.deleted') : preview(m.text);
  };
  const jump = (): void => {
    const seq = current()?.seq;
    if (seq === null || seq === undefined) return;
    props.onJump(seq);
    setAt((i) => (i + 1) % props.pinned.length);
  };

  return (
    <div class="chat-pinned-bar" data-testid="pinned-bar" data-seq={current()?.seq ?? ''}>
      <button type="button" class="pinned-bar" aria-label={t('pin.goTo', { text: text() })} onClick={jump}>
        <Icon name="pin" size={18} />
        <span class="pinned-bar-body">
          <span class="pinned-bar-title" data-testid="pinned-bar-title">
            {title()}
          </span>
          <span class="pinned-bar-text" dir="auto" data-testid="pinned-bar-text">
            {text()}
          </span>
        </span>
      </button>
      <Show when={props.canUnpin}>
        <button
          type="button"
          class="icon-button small"
          aria-label={t('pin.unpin')}
          title={t('pin.unpin')}
          data-testid="pinned-bar-unpin"
          onClick={() => {
            const seq = current()?.seq;
            if (seq !== null && seq !== undefined) props.onUnpin(seq);
          }}
        >
          <Icon name="close" size={18} />
        </button>
      </Show>
    </div>
  );
}
