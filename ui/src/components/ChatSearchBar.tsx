// Search in the open chat (Ctrl+F): hits come from the host as the user types (after a short
// pause), newest first; the first one is shown at once. Enter or "older" goes to the next older
// hit, Shift+Enter or "newer" back; Esc closes. The calendar opens jump-to-date.

import { Show, createEffect, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import { toErrorInfo } from '../platform/errors';
import type { ChatId, SearchHit, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { Icon } from './Icon';
import '../styles/conversation-tools.css';

/** The pause in typing after which the chat is searched. */
export const CHAT_SEARCH_DELAY_MS = 250;

export function ChatSearchBar(props: {
  chat: ChatId;
  onJump: (seq: Seq) => void;
  onDate: () => void;
  onClose: () => void;
  onError: (message: string) => void;
  ref: (input: HTMLInputElement) => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [query, setQuery] = createSignal('');
  const [hits, setHits] = createSignal<readonly SearchHit[] | null>(null);
  const [at, setAt] = createSignal(0);
  let input!: HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older queries are dropped. */
  let asked = 0;
  onCleanup(() => clearTimeout(timer));
  onMount(() => {
    props.ref(input);
    input.focus();
  });

  const search = async (text: string): Promise<void> => {
    const ticket = ++asked;
    if (text.trim() === '') {
      setHits(null);
      return;
    }
    try {
      const found = await app.platform.searchChat(props.chat, text.trim());
      if (ticket !== asked) return;
      setAt(0);
      setHits(found);
      show(0);
    } catch (error) {
      if (ticket === asked) props.onError(toErrorInfo(error).message);
    }
  };
  createEffect(
    on(
      query,
      (text) => {
        clearTimeout(timer);
        timer = setTimeout(() => void search(text), CHAT_SEARCH_DELAY_MS);
      },
      { defer: true },
    ),
  );

  const show = (index: number): void => {
    const seq = hits()?.[index]?.message.seq;
    if (seq !== null && seq !== undefined) props.onJump(seq);
  };
  /** 1: the next older hit; -1: the next newer one. */
  const step = (direction: 1 | -1): void => {
    const count = hits()?.length ?? 0;
    const next = at() + direction;
    if (next < 0 || next >= count) return;
    setAt(next);
    show(next);
  };

  const onInputKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing || event.key !== 'Enter') return;
    event.preventDefault();
    step(event.shiftKey ? -1 : 1);
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing) return;
    event.preventDefault();
    event.stopPropagation();
    props.onClose();
  };

  const count = (): string => {
    const found = hits();
    if (found === null) return '';
    return found.length === 0 ? t('chatSearch.none') : t('chatSearch.count', { index: at() + 1, count: found.length });
  };
  const total = (): number => hits()?.length ?? 0;

  return (
    <div class="chat-search" role="search" aria-label={t('chatSearch.open')} data-testid="chat-search" onKeyDown={onKeyDown}>
      <Icon name="search" size={20} />
      <input
        ref={input}
        class="chat-search-input"
        type="search"
        aria-label={t('chatSearch.input')}
        placeholder={t('chatSearch.input')}
        autocomplete="off"
        spellcheck={false}
        value={query()}
        data-testid="chat-search-input"
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onInputKeyDown}
      />
      <span class="chat-search-count" role="status" data-testid="chat-search-count">
        {count()}
      </span>
      <Show when={hits() !== null}>
        <button
          type="button"
          class="icon-button small"
          aria-label={t('chatSearch.next')}
          title={t('chatSearch.next')}
          disabled={at() + 1 >= total()}
          data-testid="chat-search-next"
          onClick={() => step(1)}
        >
          <Icon name="up" size={20} />
        </button>
        <button
          type="button"
          class="icon-button small"
          aria-label={t('chatSearch.prev')}
          title={t('chatSearch.prev')}
          disabled={at() === 0}
          data-testid="chat-search-prev"
          onClick={() => step(-1)}
        >
          <Icon name="down" size={20} />
        </button>
      </Show>
      <button
        type="button"
        class="icon-button small"
        aria-label={t('chatSearch.date')}
        aria-haspopup="dialog"
        title={t('chatSearch.date')}
        data-testid="chat-search-date"
        onClick={() => props.onDate()}
      >
        <Icon name="calendar" size={20} />
      </button>
      <button
        type="button"
        class="icon-button small"
        aria-label={t('chatSearch.close')}
        title={t('chatSearch.close')}
        data-testid="chat-search-close"
        onClick={() => props.onClose()}
      >
        <Icon name="close" size={20} />
      </button>
    </div>
  );
}
