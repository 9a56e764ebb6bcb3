// The directory of public channels: a search box, topic and language filters, and the
// results (most subscribers first). Choosing one shows the channel (a preview with a
// Subscribe button until subscribed). An invite link pasted in the search box can be joined.

import { For, Show, createSignal, createUniqueId, onCleanup, onMount, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import { MAX_DIRECTORY_QUERY, inviteLinkIn, languageName, languageOptions, topicLabel } from '../lib/channels';
import { CHANNEL_TOPICS, DIRECTORY_PAGE_MAX, type ChannelInfo } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';
import { joinErrorText } from './JoinChannelDialog';

const SEARCH_DEBOUNCE_MS = 250;

export function DirectoryDialog(props: { onClose: () => void; onOpen: (channel: ChannelInfo) => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const lang = app.settings.lang;
  const [text, setText] = createSignal('');
  const [topic, setTopic] = createSignal('');
  const [language, setLanguage] = createSignal('');
  const [results, setResults] = createSignal<ChannelInfo[] | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [joining, setJoining] = createSignal(false);
  const resultsId = createUniqueId();
  let list: HTMLUListElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older searches that arrive late are dropped. */
  let latest = 0;
  onCleanup(() => clearTimeout(timer));

  const search = async (): Promise<void> => {
    clearTimeout(timer);
    const ask = ++latest;
    const words = text().trim();
    try {
      const found = await app.platform.directory({
        // A pasted `@handle` finds the channel by its handle's words.
        text: inviteLinkIn(words) !== null ? '' : words.replace(/^@/, ''),
        topic: topic() === '' ? null : topic(),
        language: language() === '' ? null : language(),
        limit: DIRECTORY_PAGE_MAX,
      });
      if (ask !== latest) return;
      setError(null);
      setResults(found);
    } catch (err) {
      if (ask !== latest) return;
      setError(errorText(t, err));
      setResults([]);
    }
  };
  const searchSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(), SEARCH_DEBOUNCE_MS);
  };
  onMount(() => void search());

  const join = async (link: string): Promise<void> => {
    setJoining(true);
    try {
      props.onOpen(await app.platform.joinChannel(link));
    } catch (err) {
      setError(joinErrorText(t, err));
    } finally {
      setJoining(false);
    }
  };

  /** Down from the search box goes to the first result; Up / Down move between results. */
  const items = (): HTMLElement[] =>
    list === undefined ? [] : [...list.querySelectorAll<HTMLElement>('[data-testid="directory-result"]')];
  const onListKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown' && event.key !== 'Home' && event.key !== 'End') return;
    const rows = items();
    const at = rows.indexOf(event.target as HTMLElement);
    const next =
      event.key === 'Home' ? 0 : event.key === 'End' ? rows.length - 1 : at + (event.key === 'ArrowUp' ? -1 : 1);
    const row = rows[Math.max(0, Math.min(rows.length - 1, next))];
    if (row === undefined) return;
    event.preventDefault();
    row.focus();
  };

  const meta = (c: ChannelInfo): string =>
    [app.settings.plural('channel.subscribers', c.subscribers), topicLabel(t, c.topic), languageName(c.language, lang())].join(
      ' · ',
    );

  return (
    <Dialog title={t('directory.title')} testId="directory-dialog" onClose={props.onClose}>
      <form
        class="form directory-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <div class="search-box">
          <Icon name="search" size={20} />
          <input
            type="search"
            value={text()}
            maxLength={MAX_DIRECTORY_QUERY}
            placeholder={t('directory.search')}
            aria-label={t('directory.search')}
            aria-controls={resultsId}
            autocomplete="off"
            spellcheck={false}
            data-testid="directory-search"
            onInput={(e) => {
              setText(e.currentTarget.value);
              searchSoon();
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                const first = items()[0];
                if (first !== undefined) {
                  e.preventDefault();
                  first.focus();
                }
              }
            }}
          />
        </div>
        <div class="directory-filters">
          <label class="field grow">
            <span>{t('directory.topic')}</span>
            <select
              value={topic()}
              data-testid="directory-topic"
              onChange={(e) => {
                setTopic(e.currentTarget.value);
                void search();
              }}
            >
              <option value="">{t('directory.anyTopic')}</option>
              <For each={CHANNEL_TOPICS}>{(code) => <option value={code}>{topicLabel(t, code)}</option>}</For>
            </select>
          </label>
          <label class="field grow">
            <span>{t('directory.language')}</span>
            <select
              value={language()}
              data-testid="directory-language"
              onChange={(e) => {
                setLanguage(e.currentTarget.value);
                void search();
              }}
            >
              <option value="">{t('directory.anyLanguage')}</option>
              <For each={languageOptions(lang())}>{(option) => <option value={option.code}>{option.name}</option>}</For>
            </select>
          </label>
        </div>
      </form>
      <Show when={inviteLinkIn(text())}>
        {(link) => (
          <div class="form-actions start">
            <button
              type="button"
              class="button primary"
              disabled={joining()}
              data-testid="directory-join"
              onClick={() => void join(link())}
            >
              <Icon name="link" size={20} />
              <span>{t('directory.joinLink')}</span>
            </button>
          </div>
        )}
      </Show>
      <FormError message={error()} />
      <h3 class="section-title">{t('directory.results')}</h3>
      <Show when={results() !== null} fallback={<p class="muted">{t('common.loading')}</p>}>
        <Show when={(results() ?? []).length > 0}>
          <ul
            ref={list}
            id={resultsId}
            class="directory-results"
            aria-label={t('directory.results')}
            data-testid="directory-results"
            onKeyDown={onListKeyDown}
          >
            <For each={results()}>
              {(channel) => (
                <li>
                  <button
                    type="button"
                    class="directory-item"
                    data-testid="directory-result"
                    data-channel={channel.id}
                    onClick={() => props.onOpen(channel)}
                  >
                    <Avatar name={channel.title} id={channel.id} size="medium" />
                    <span class="chat-item-body">
                      <span class="chat-item-top">
                        <span class="chat-item-title" dir="auto" data-testid="directory-result-title">
                          <bdi>{channel.title}</bdi>
                        </span>
                        <Show when={channel.role !== null}>
                          <span class="role-tag">{t('channel.subscribed')}</span>
                        </Show>
                      </span>
                      <Show when={channel.handle}>
                        {(handle) => (
                          <span class="directory-handle" data-testid="directory-result-handle">
                            <bdi>@{handle()}</bdi>
                          </span>
                        )}
                      </Show>
                      <span class="directory-meta" data-testid="directory-result-meta">
                        {meta(channel)}
                      </span>
                    </span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={(results() ?? []).length === 0 && error() === null}>
          <p class="empty-note" role="status" data-testid="directory-empty">
            {t('directory.empty')}
          </p>
        </Show>
      </Show>
      <div class="form-actions">
        <button
          type="button"
          class="button"
          aria-haspopup="dialog"
          data-testid="directory-create"
          onClick={() => app.setDialog('newChannel')}
        >
          <Icon name="add" size={20} />
          <span>{t('directory.create')}</span>
        </button>
      </div>
    </Dialog>
  );
}
