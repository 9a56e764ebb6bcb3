// The archive in the sidebar: a header with the way back, then the archived chats in the same
// list as the main one (same keys, same row menu). The back button or Esc returns to the main
// list.

import type { JSX } from 'solid-js';
import type { ChatId } from '../platform/types';
import { useApp } from '../stores/app';
import { ChatListbox } from './ChatListbox';
import { Icon } from './Icon';
import '../styles/archive.css';

const HEADING_ID = 'wren-archive-heading';

export function ArchiveView(props: {
  now: number;
  onOpen: (chat: ChatId) => void;
  /** Back to the main list. */
  onBack: () => void;
  /** Shows why an action of a chat's menu failed. */
  onError: (message: string) => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  // Only an Esc nothing inside used (a row's menu takes its own).
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    event.stopPropagation();
    props.onBack();
  };
  return (
    <section class="archive-view" aria-labelledby={HEADING_ID} data-testid="archive-view" onKeyDown={onKeyDown}>
      <div class="archive-header">
        <button
          type="button"
          class="icon-button"
          aria-label={t('archive.back')}
          title={t('archive.back')}
          aria-keyshortcuts="Escape"
          data-testid="archive-back"
          onClick={() => props.onBack()}
        >
          <Icon name="back" />
        </button>
        <h2 id={HEADING_ID} class="archive-heading">
          {t('archive.title')}
        </h2>
      </div>
      <ChatListbox
        ids={app.chats.archivedIds()}
        chat={app.chats.byId}
        active={app.activeChat()}
        label={t('archive.title')}
        testId="archive-list"
        now={props.now}
        onOpen={props.onOpen}
        onError={props.onError}
      />
    </section>
  );
}
