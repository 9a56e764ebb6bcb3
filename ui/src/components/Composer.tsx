// The message box: Enter sends, Shift+Enter breaks the line, Up in an empty box edits the
// last own message, Esc cancels a reply or an edit. Keeps a draft per chat. Formatting
// shortcuts put Markdown-style marks around the selection, Ctrl+K inserts a link, the emoji
// button inserts an emoji, and `@` in a group suggests its members.

import { For, Show, createEffect, createSignal, createUniqueId, on, type JSX } from 'solid-js';
import { formatMark, insertText, mentionAt, mentionCandidates, toggleMark, type Edited } from '../lib/composerText';
import type { Account, ChatId, MessageView } from '../platform/types';
import { useApp } from '../stores/app';
import { EmojiPicker } from './EmojiPicker';
import { Icon } from './Icon';
import { LinkDialog } from './LinkDialog';
import '../styles/message-content.css';

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
  const { drafts, settings, platform, chats, session, people } = useApp();
  const t = settings.t;
  const [text, setText] = createSignal(drafts.get(props.chat));
  /** The selection the link dialog or emoji picker will replace, while one is open. */
  const [inserting, setInserting] = createSignal<{ kind: 'link' | 'emoji'; start: number; end: number } | null>(null);
  const [mention, setMention] = createSignal<{ start: number; query: string } | null>(null);
  const [mentionIndex, setMentionIndex] = createSignal(0);
  const listId = createUniqueId();
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

  /** Members matching the `@name` before the caret, in a group. */
  const suggestions = (): Account[] => {
    const at = mention();
    const chat = chats.byId(props.chat);
    if (at === null || chat === undefined || chat.kind !== 'group') return [];
    return mentionCandidates(chat.members, session.account(), at.query);
  };
  const updateMention = (): void => {
    const caret = box.selectionStart;
    const next = caret === box.selectionEnd ? mentionAt(box.value, caret) : null;
    if (next?.start !== mention()?.start) setMentionIndex(0);
    setMention(next);
  };
  /** Puts an edit into the box as if typed, with its selection. */
  const apply = (edited: Edited): void => {
    box.value = edited.value;
    onInput(edited.value);
    box.focus();
    box.setSelectionRange(edited.start, edited.end);
    updateMention();
  };
  const pickMention = (account: Account): void => {
    const at = mention();
    if (at === null) return;
    apply(insertText(box.value, at.start, box.selectionStart, `@${account.username} `));
    setMention(null);
  };
  const closeInserting = (): void => {
    setInserting(null);
    queueMicrotask(() => box.focus());
  };
  const insertFromDialog = (insert: string): void => {
    const at = inserting();
    setInserting(null);
    if (at !== null) queueMicrotask(() => apply(insertText(box.value, at.start, at.end, insert)));
  };

  /** Up / Down / Enter / Tab / Esc while mention suggestions show; true when the key was used. */
  const onMentionKey = (event: KeyboardEvent): boolean => {
    const list = suggestions();
    if (list.length === 0) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : list.length - 1;
      setMentionIndex((i) => (i + step) % list.length);
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      const chosen = list[Math.min(mentionIndex(), list.length - 1)];
      if (chosen !== undefined) pickMention(chosen);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      setMention(null);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    if (onMentionKey(event)) return;
    const mark = formatMark(event);
    if (mark !== null) {
      event.preventDefault();
      apply(toggleMark(box.value, box.selectionStart, box.selectionEnd, mark));
      return;
    }
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
      // Handled here: the window's Ctrl+K (focus the search box) skips a prevented event.
      event.preventDefault();
      setInserting({ kind: 'link', start: box.selectionStart, end: box.selectionEnd });
      return;
    }
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
      return { title: t('composer.replyingTo', { name: people.name(props.replyTo.sender) }), body };
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
          aria-autocomplete="list"
          aria-controls={suggestions().length > 0 ? listId : undefined}
          aria-activedescendant={suggestions().length > 0 ? `${listId}-${mentionIndex()}` : undefined}
          aria-keyshortcuts="Control+B Control+I Control+U Control+Shift+X Control+Shift+P Control+Shift+M Control+K"
          onInput={(e) => {
            onInput(e.currentTarget.value);
            updateMention();
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End' ? updateMention() : undefined}
          onClick={updateMention}
          onBlur={() => setMention(null)}
        />
        <Show when={suggestions().length > 0}>
          <ul class="mention-suggestions" role="listbox" id={listId} aria-label={t('format.mentions')} data-testid="mention-suggestions">
            <For each={suggestions()}>
              {(account, index) => (
                <li
                  id={`${listId}-${index()}`}
                  role="option"
                  class="mention-option"
                  aria-selected={index() === mentionIndex()}
                  data-testid="mention-option"
                  data-username={account.username}
                  dir="auto"
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pickMention(account);
                  }}
                >
                  <Show when={people.latest(account).displayName.trim() !== ''}>
                    <bdi class="mention-name">{people.name(account)}</bdi>{' '}
                  </Show>
                  <bdi class="mention-username">@{account.username}</bdi>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <button
          type="button"
          class="icon-button composer-emoji"
          aria-label={t('emoji.open')}
          aria-haspopup="dialog"
          data-testid="composer-emoji"
          onClick={() => setInserting({ kind: 'emoji', start: box.selectionStart, end: box.selectionEnd })}
        >
          <Icon name="mood" />
        </button>
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
      <Show when={inserting()}>
        {(at) => (
          <Show
            when={at().kind === 'link'}
            fallback={<EmojiPicker onPick={insertFromDialog} onClose={closeInserting} />}
          >
            <LinkDialog text={box.value.slice(at().start, at().end)} onInsert={insertFromDialog} onClose={closeInserting} />
          </Show>
        )}
      </Show>
    </div>
  );
}
