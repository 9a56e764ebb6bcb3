// Forward messages: a filterable list of the chats this account can send to (title or member
// names, ignoring case and diacritics); choosing one forwards the messages there and opens it.

import { For, Show, createMemo, createSignal, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { displayTitle, filterChats } from '../lib/chats';
import type { ChatId, ChatSummary, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';
import '../styles/conversation-tools.css';

export function ForwardDialog(props: {
  from: ChatId;
  /** The messages to forward, oldest first. */
  seqs: readonly Seq[];
  /** After the host forwarded them (the target chat is then opened). */
  onDone: () => void;
  onClose: () => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [filter, setFilter] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let list!: HTMLUListElement;
  const targets = createMemo((): ChatSummary[] =>
    filterChats(
      app.chats.list().filter((c) => c.isMember),
      filter(),
      t,
    ),
  );

  const forward = async (to: ChatId): Promise<void> => {
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      const sent = await app.platform.forward(props.from, [...props.seqs], to);
      for (const m of sent) app.conversations.apply(m);
      props.onDone();
      props.onClose();
      app.openChat(to);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  /** Down from the filter enters the list; Up and Down move along it. */
  const move = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...list.querySelectorAll<HTMLButtonElement>('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = at === -1 ? (event.key === 'ArrowDown' ? buttons[0] : undefined) : buttons[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next === undefined) return;
    event.preventDefault();
    next.focus();
  };

  return (
    <Dialog title={t('forward.title')} testId="forward-dialog" onClose={props.onClose}>
      <div class="form" onKeyDown={move}>
        <label class="field">
          <span>{t('forward.filter')}</span>
          <input
            type="search"
            value={filter()}
            autocomplete="off"
            spellcheck={false}
            data-testid="forward-filter"
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        </label>
        <FormError message={error()} />
        <ul ref={list} class="forward-targets" aria-label={t('forward.targets')}>
          <For each={targets()}>
            {(chat) => (
              <li>
                <button
                  type="button"
                  class="forward-target"
                  disabled={busy()}
                  data-testid={`forward-target-${chat.id}`}
                  onClick={() => void forward(chat.id)}
                >
                  <Avatar name={displayTitle(chat, t)} id={chat.id} size="small" />
                  <span class="forward-target-title" dir="auto">
                    <bdi>{displayTitle(chat, t)}</bdi>
                  </span>
                </button>
              </li>
            )}
          </For>
        </ul>
        <Show when={targets().length === 0}>
          <p class="forward-empty" role="status" data-testid="forward-empty">
            {t('forward.empty')}
          </p>
        </Show>
      </div>
    </Dialog>
  );
}
