// The "Archived chats" row at the top of the main chat list: how many chats the archive holds
// and their unread messages (grey while every unread one is muted). An option of the list like
// the chat rows, so that the list stays one tab stop; its accessible name starts with the
// visible title and says both counts.

import { Show, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import type { ArchiveCounts } from '../lib/archive';
import { useApp } from '../stores/app';
import { Icon } from './Icon';
import '../styles/archive.css';

export function ArchiveEntry(props: {
  counts: ArchiveCounts;
  /** The one row of the list that Tab reaches. */
  tabStop: boolean;
  onOpen: () => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const chats = (): string => settings.plural('archive.chats', props.counts.chats);
  const name = (): string => {
    const parts = [t('archive.title'), chats()];
    if (props.counts.unread > 0) parts.push(settings.plural('chat.unread', props.counts.unread));
    return parts.join(t('common.listSeparator'));
  };
  return (
    <li role="presentation">
      <button
        type="button"
        role="option"
        class="chat-item archive-entry"
        classList={{ unread: props.counts.unread > 0 }}
        aria-selected={false}
        aria-label={name()}
        tabIndex={props.tabStop ? 0 : -1}
        data-testid="archived-entry"
        onClick={() => props.onOpen()}
        onContextMenu={(event) => event.preventDefault()}
      >
        <span class="archive-avatar" aria-hidden="true">
          <Icon name="archive" size={28} />
        </span>
        <span class="chat-item-body">
          <span class="chat-item-top">
            <span class="chat-item-title">{t('archive.title')}</span>
          </span>
          <span class="chat-item-bottom">
            <span class="chat-item-preview" data-testid="archived-count">
              {chats()}
            </span>
            <Show when={props.counts.unread > 0}>
              <span
                class="unread-badge"
                classList={{ muted: props.counts.quiet }}
                data-testid="archived-unread"
                aria-hidden="true"
              >
                {formatNumber(props.counts.unread, settings.lang())}
              </span>
            </Show>
          </span>
        </span>
      </button>
    </li>
  );
}
