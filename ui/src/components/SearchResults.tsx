// Search results: matching chats (archived ones too, marked so), then matching messages from the
// host's full-text search.

import { For, Show, createResource, type JSX } from 'solid-js';
import { filterChannels } from '../lib/channels';
import { displayTitle, filterChats } from '../lib/chats';
import { formatListStamp } from '../lib/dates';
import { parseSnippet } from '../lib/text';
import type { ChannelId, ChatId, SearchHit, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { Avatar } from './Avatar';
import { ChannelListbox } from './ChannelListbox';
import { ChatListbox } from './ChatListbox';

export function SearchResults(props: {
  query: string;
  now: number;
  onOpenChat: (chat: ChatId) => void;
  onOpenChannel: (channel: ChannelId) => void;
  onOpenMessage: (chat: ChatId, seq: Seq) => void;
  /** Shows why an action of a chat's menu failed. */
  onError: (message: string) => void;
}): JSX.Element {
  const { platform, chats, channels, settings } = useApp();
  const t = settings.t;
  const matchingChats = () => filterChats(chats.list(), props.query, t);
  const matchingChannels = () => filterChannels(channels.list(), props.query);
  /** The hit's chat as the list shows it (a group's title may still be sealed). */
  const hitTitle = (hit: SearchHit): string => {
    const chat = chats.byId(hit.chat);
    return chat === undefined ? hit.chatTitle : displayTitle(chat, t);
  };
  const [hits] = createResource(
    () => props.query.trim(),
    async (q): Promise<SearchHit[]> => (q === '' ? [] : platform.search(q).catch(() => [])),
  );
  const nothing = () =>
    matchingChats().length === 0 && matchingChannels().length === 0 && !hits.loading && (hits() ?? []).length === 0;
  return (
    <div class="search-results" data-testid="search-results">
      <Show when={matchingChats().length > 0}>
        <h3 class="list-heading">{t('sidebar.chatsHeading')}</h3>
        <ChatListbox
          ids={matchingChats().map((chat) => chat.id)}
          chat={chats.byId}
          active={null}
          label={t('sidebar.chatsHeading')}
          now={props.now}
          onOpen={props.onOpenChat}
          onError={props.onError}
          markArchived
        />
      </Show>
      <Show when={matchingChannels().length > 0}>
        <h3 class="list-heading">{t('sidebar.channels')}</h3>
        <ChannelListbox
          ids={matchingChannels().map((channel) => channel.id)}
          channel={channels.byId}
          active={null}
          label={t('sidebar.channels')}
          onOpen={props.onOpenChannel}
        />
      </Show>
      <Show when={(hits() ?? []).length > 0}>
        <h3 class="list-heading">{t('sidebar.messagesHeading')}</h3>
        <ul class="hit-list" aria-label={t('sidebar.messagesHeading')}>
          <For each={hits()}>
            {(hit) => (
              <li>
                <button
                  type="button"
                  class="hit-item"
                  data-testid="search-hit"
                  data-chat={hit.chat}
                  data-seq={hit.message.seq ?? ''}
                  onClick={() => hit.message.seq !== null && props.onOpenMessage(hit.chat, hit.message.seq)}
                >
                  <Avatar name={hitTitle(hit)} id={hit.chat} size="large" />
                  <span class="chat-item-body">
                    <span class="chat-item-top">
                      <span class="chat-item-title" dir="auto">
                        <bdi>{hitTitle(hit)}</bdi>
                      </span>
                      <time class="chat-item-time">{formatListStamp(hit.message.sentAt, props.now, settings.lang())}</time>
                    </span>
                    <span class="chat-item-preview" dir="auto" data-testid="search-snippet">
                      <For each={parseSnippet(hit.snippet)}>
                        {(part) => (part.match ? <mark>{part.text}</mark> : <>{part.text}</>)}
                      </For>
                    </span>
                  </span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={nothing()}>
        <p class="empty-note" data-testid="search-empty">
          {t('sidebar.noResults')}
        </p>
      </Show>
    </div>
  );
}
