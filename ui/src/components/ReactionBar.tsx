// The reactions under a message: one chip per emoji with its count (pressed when this
// account gave it; pressing takes it back or adds it), and a button that opens the emoji
// picker to add one.

import { For, Show, createSignal, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { isolate } from '../lib/rtl';
import type { MessageView, Reaction } from '../platform/types';
import { errorText } from '../screens/errorText';
import { useApp } from '../stores/app';
import { EmojiPicker } from './EmojiPicker';
import { Icon } from './Icon';
import '../styles/message-content.css';

/** The reaction chips of a stored message and its "add a reaction" button. */
export function ReactionBar(props: {
  message: MessageView;
  /** Nothing can be changed (a chat this account was removed from). */
  readOnly?: boolean;
  onError?: (message: string) => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [picking, setPicking] = createSignal(false);
  const react = (emoji: string, add: boolean): void => {
    const seq = props.message.seq;
    if (seq === null) return;
    app.platform.react(props.message.chat, seq, emoji, add).catch((error: unknown) => props.onError?.(errorText(t, error)));
  };
  const label = (reaction: Reaction): string =>
    t('reaction.label', {
      emoji: reaction.emoji,
      names: reaction.accounts.map((a) => isolate(app.people.name(a))).join(t('common.listSeparator')),
    });
  return (
    <div class="reaction-bar" role="group" aria-label={t('reaction.bar')} data-testid="reaction-bar">
      <For each={props.message.reactions}>
        {(reaction) => (
          <button
            type="button"
            class="reaction-chip"
            classList={{ mine: reaction.mine }}
            aria-pressed={reaction.mine}
            aria-label={label(reaction)}
            title={label(reaction)}
            data-testid="reaction-chip"
            data-emoji={reaction.emoji}
            disabled={props.readOnly === true}
            onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && event.stopPropagation()}
            onClick={() => react(reaction.emoji, !reaction.mine)}
          >
            <span class="reaction-emoji" aria-hidden="true">
              {reaction.emoji}
            </span>
            <span class="reaction-count" aria-hidden="true">
              {formatNumber(reaction.count, app.settings.lang())}
            </span>
          </button>
        )}
      </For>
      <Show when={props.readOnly !== true}>
        <button
          type="button"
          class="reaction-add"
          aria-label={t('reaction.add')}
          title={t('reaction.add')}
          aria-haspopup="dialog"
          data-testid="reaction-add"
          onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && event.stopPropagation()}
          onClick={() => setPicking(true)}
        >
          <Icon name="add" size={16} />
        </button>
      </Show>
      <Show when={picking()}>
        <EmojiPicker
          onPick={(emoji) => {
            setPicking(false);
            if (!props.message.reactions.some((r) => r.emoji === emoji && r.mine)) react(emoji, true);
          }}
          onClose={() => setPicking(false)}
        />
      </Show>
    </div>
  );
}
