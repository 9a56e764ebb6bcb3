// The message box: Enter sends, Shift+Enter breaks the line, Up in an empty box edits the
// last own message, Esc cancels a reply or an edit. Keeps a draft per chat.

import { Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import type { ChatId, MessageView } from '../platform/types';
import { useApp } from '../stores/app';
import { Icon } from './Icon';

const TYPING_EVERY_MS = 3000;

export interface ComposerProps {
  chat: ChatId;
  replyTo: MessageView | null;
  editing: MessageView | null;
  onSend: (text: string) => void;
  onSaveEdit: (message: MessageView, text: string) => void;
  onCancel: () => void;
  /** Up in an empty box. */
  onEditLast: () => void;
  ref: (textarea: HTMLTextAreaElement) => void;
}

export function Composer(props: ComposerProps): JSX.Element {
  const { drafts, settings, platform } = useApp();
  const t = settings.t;
  const [text, setText] = createSignal(drafts.get(props.chat));
  let box!: HTMLTextAreaElement;
  let lastTyping = 0;

  /** Grows with the text; the stylesheet's max-block-size (in rem) caps it. */
  const fit = (): void => {
    box.style.height = 'auto';
    box.style.height = `${box.scrollHeight}px`;
  };
  const show = (value: string): void => {
    setText(value);
    queueMicrotask(fit);
  };

  createEffect(
    on(
      () => props.editing,
      (editing, previous) => {
        if (editing !== null) show(editing.text);
        else if (previous !== null && previous !== undefined) show(drafts.get(props.chat));
        if (editing !== null || props.replyTo !== null) box.focus();
      },
      { defer: true },
    ),
  );
  createEffect(on(() => props.replyTo, (reply) => reply !== null && box.focus(), { defer: true }));

  const submit = (): void => {
    const value = text().trim();
    if (props.editing !== null) {
      if (value !== '' && value !== props.editing.text) props.onSaveEdit(props.editing, value);
      else props.onCancel();
      return;
    }
    if (value === '') return;
    props.onSend(value);
    drafts.set(props.chat, '');
    void drafts.flush(props.chat);
    show('');
  };

  const onInput = (value: string): void => {
    setText(value);
    fit();
    if (props.editing !== null) return;
    drafts.set(props.chat, value);
    const now = Date.now();
    if (value !== '' && now - lastTyping > TYPING_EVERY_MS) {
      lastTyping = now;
      void platform.typing(props.chat).catch(() => undefined);
    }
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && (props.editing !== null || props.replyTo !== null)) {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    } else if (event.key === 'ArrowUp' && !event.altKey && text() === '' && props.editing === null) {
      event.preventDefault();
      props.onEditLast();
    }
  };

  const context = (): { title: string; body: string } | null => {
    if (props.editing !== null) return { title: t('composer.editing'), body: props.editing.text };
    if (props.replyTo !== null) {
      const body = props.replyTo.undecryptable ? t('message.undecryptable') : props.replyTo.text;
      return { title: t('composer.replyingTo', { name: props.replyTo.sender.username }), body };
    }
    return null;
  };

  return (
    <div class="composer" data-testid="composer-bar">
      <Show when={context()}>
        {(c) => (
          <div class="composer-context" data-testid={props.editing !== null ? 'editing-bar' : 'reply-bar'}>
            <Icon name={props.editing !== null ? 'pencil' : 'reply'} />
            <div class="composer-context-text">
              <span class="composer-context-title" dir="auto">
                {c().title}
              </span>
              <span class="composer-context-body" dir="auto">
                {c().body}
              </span>
            </div>
            <button
              type="button"
              class="icon-button"
              aria-label={t('composer.cancel')}
              data-testid="composer-cancel"
              onClick={() => props.onCancel()}
            >
              <Icon name="close" />
            </button>
          </div>
        )}
      </Show>
      <div class="composer-row">
        <textarea
          ref={(el) => {
            box = el;
            props.ref(el);
          }}
          class="composer-input"
          rows={1}
          dir="auto"
          placeholder={t('composer.placeholder')}
          aria-label={t('composer.label')}
          data-testid="composer"
          value={text()}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          class="send-button"
          aria-label={props.editing !== null ? t('composer.save') : t('composer.send')}
          data-testid="send-button"
          disabled={text().trim() === ''}
          onClick={submit}
        >
          <Icon name={props.editing !== null ? 'check' : 'send'} />
        </button>
      </div>
    </div>
  );
}
