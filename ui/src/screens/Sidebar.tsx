// The left column: the account switcher, menu, search, connection state, the chat list (its
// archived chats behind the "Archived chats" row) and the channel list, or the archive, or
// search results; at the bottom the ways to find and create channels.

import { Show, createEffect, createMemo, createSignal, onCleanup, type JSX } from 'solid-js';
import { AccountSwitcher } from '../components/AccountSwitcher';
import { ArchiveView } from '../components/ArchiveView';
import { ChannelListbox } from '../components/ChannelListbox';
import { ChatListbox } from '../components/ChatListbox';
import { FolderTabs, folderTabId } from '../components/FolderTabs';
import { Icon } from '../components/Icon';
import { SearchResults } from '../components/SearchResults';
import { archiveCounts } from '../lib/archive';
import { folderUnread } from '../lib/folders';
import { markChatListPainted } from '../lib/startup';
import type { ChannelId, ChatId, Seq } from '../platform/types';
import { useApp } from '../stores/app';

export const SEARCH_INPUT_ID = 'wren-search';
/** The chat list's panel, which the folder tabs control. */
const FOLDER_PANEL_ID = 'wren-folder-panel';
const SEARCH_DEBOUNCE_MS = 200;

export function Sidebar(props: {
  now: number;
  onOpenMessage: (chat: ChatId, seq: Seq) => void;
  /** Shows why an action of a chat's menu, or a switch of account, failed. */
  onError: (message: string) => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [input, setInput] = createSignal('');
  const [query, setQuery] = createSignal('');
  let nav!: HTMLElement;
  const archive = createMemo(() => archiveCounts(app.chats.list(), props.now));
  const hasFolders = (): boolean => app.folders.list().length > 0;
  const tab = (): number | null => app.folderTab()?.id ?? null;
  /** Moves focus to the tab stop of the chat list shown now. */
  const focusList = (): void => {
    nav.querySelector<HTMLElement>('[role="listbox"] [role="option"][tabindex="0"]')?.focus();
  };
  const openArchive = (): void => {
    app.setArchiveOpen(true);
    focusList();
  };
  const closeArchive = (): void => {
    app.setArchiveOpen(false);
    nav.querySelector<HTMLElement>('[data-testid="archived-entry"]')?.focus();
  };
  // The archive emptied while shown (its last chat unarchived, or taken out by a new message):
  // back to the main list, and focus with it unless it was somewhere else.
  createEffect(() => {
    if (!app.archiveOpen() || !app.chats.loaded() || app.chats.archivedIds().length > 0) return;
    const lost = document.activeElement === null || document.activeElement === document.body;
    const here = lost || nav.contains(document.activeElement);
    app.setArchiveOpen(false);
    // After the main list is back in the page.
    if (here) queueMicrotask(focusList);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  createEffect(() => {
    if (app.chats.loaded()) markChatListPainted();
  });
  const onInput = (value: string): void => {
    setInput(value);
    clearTimeout(timer);
    timer = setTimeout(() => setQuery(value), SEARCH_DEBOUNCE_MS);
  };
  const clear = (): void => {
    clearTimeout(timer);
    setInput('');
    setQuery('');
  };
  const open = (chat: ChatId): void => {
    app.openChat(chat);
    clear();
  };
  const openChannel = (channel: ChannelId): void => {
    app.openChannel(channel);
    clear();
  };
  const banner = (): string | null => {
    const sync = app.sync();
    if (app.connection() === 'offline') return t('connection.offline');
    if (app.connection() === 'connecting') return t('connection.connecting');
    if (sync !== null) return t('connection.syncing', { done: sync.done, total: sync.total });
    return null;
  };

  return (
    <nav ref={nav} class="sidebar" aria-label={t('sidebar.chats')}>
      <div class="sidebar-header">
        <AccountSwitcher onError={props.onError} />
        <button
          type="button"
          class="icon-button"
          aria-label={t('sidebar.settings')}
          data-testid="open-settings"
          onClick={() => app.setDialog('settings')}
        >
          <Icon name="menu" />
        </button>
        <div class="search-box">
          <Icon name="search" size={20} />
          <input
            id={SEARCH_INPUT_ID}
            type="search"
            role="searchbox"
            placeholder={t('sidebar.search')}
            aria-label={t('sidebar.search')}
            aria-keyshortcuts="Control+K"
            data-testid="search-input"
            value={input()}
            onInput={(e) => onInput(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && input() !== '') {
                e.stopPropagation();
                clear();
              }
            }}
          />
        </div>
        <button
          type="button"
          class="icon-button"
          aria-label={t('sidebar.newDirect')}
          title={t('sidebar.newDirect')}
          data-testid="new-direct"
          onClick={() => app.setDialog('newDirect')}
        >
          <Icon name="pencil" />
        </button>
        <button
          type="button"
          class="icon-button"
          aria-label={t('sidebar.newGroup')}
          title={t('sidebar.newGroup')}
          data-testid="new-group"
          onClick={() => app.setDialog('newGroup')}
        >
          <Icon name="group" />
        </button>
      </div>
      <Show when={banner()}>
        {(text) => (
          <div class="connection-banner" role="status" data-testid="connection-state" data-state={app.connection()}>
            {text()}
          </div>
        )}
      </Show>
      <div class="sidebar-scroll">
        <Show
          when={query().trim() === ''}
          fallback={
            <SearchResults
              query={query()}
              now={props.now}
              onOpenChat={open}
              onOpenChannel={openChannel}
              onOpenMessage={props.onOpenMessage}
              onError={props.onError}
            />
          }
        >
          <Show
            when={!app.archiveOpen()}
            fallback={<ArchiveView now={props.now} onOpen={app.openChat} onBack={closeArchive} onError={props.onError} />}
          >
            <Show
              when={app.chats.list().length > 0 || !app.chats.loaded()}
              fallback={<p class="empty-note">{t('sidebar.empty')}</p>}
            >
              <Show when={hasFolders()}>
                <FolderTabs
                  folders={app.folders.list()}
                  selected={tab()}
                  unread={(folder) => folderUnread(app.chats.list(), folder)}
                  panelId={FOLDER_PANEL_ID}
                  onSelect={app.settings.setFolderTab}
                />
              </Show>
              <div
                id={FOLDER_PANEL_ID}
                role={hasFolders() ? 'tabpanel' : undefined}
                aria-labelledby={hasFolders() ? folderTabId(tab()) : undefined}
              >
                <ChatListbox
                  ids={app.tabIds()}
                  chat={app.chats.byId}
                  active={app.activeChat()}
                  label={app.folderTab()?.name ?? t('sidebar.chats')}
                  testId="chat-list"
                  now={props.now}
                  onOpen={app.openChat}
                  onError={props.onError}
                  archive={tab() === null && archive().chats > 0 ? archive() : null}
                  onOpenArchive={openArchive}
                />
              </div>
            </Show>
            <Show when={app.channels.list().length > 0}>
              <h3 class="list-heading">{t('sidebar.channels')}</h3>
              <ChannelListbox
                ids={app.channels.ids()}
                channel={app.channels.byId}
                active={app.activeChannel()}
                label={t('sidebar.channels')}
                testId="channel-list"
                onOpen={app.openChannel}
              />
            </Show>
          </Show>
        </Show>
      </div>
      <div class="sidebar-footer">
        <button
          type="button"
          class="button sidebar-action"
          aria-haspopup="dialog"
          data-testid="directory-open"
          onClick={() => app.setDialog('directory')}
        >
          <Icon name="explore" size={20} />
          <span>{t('sidebar.directory')}</span>
        </button>
        <button
          type="button"
          class="button sidebar-action"
          aria-haspopup="dialog"
          data-testid="new-channel-open"
          onClick={() => app.setDialog('newChannel')}
        >
          <Icon name="megaphone" size={20} />
          <span>{t('sidebar.newChannel')}</span>
        </button>
      </div>
    </nav>
  );
}
