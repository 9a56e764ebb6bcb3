// A list of chats as a listbox with one tab stop (roving tabindex): Up / Down, Home / End
// and typing the start of a title move focus between rows; Enter opens the focused chat. A
// right-click on a row, or the ContextMenu key / Shift+F10 on the focused one, opens the row's
// menu (pin, mute, archive, mark as read). The main list starts with the "Archived chats" row,
// one more option of the same list.

import { For, Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import type { ArchiveCounts } from '../lib/archive';
import { displayTitle } from '../lib/chats';
import { createTypeAhead, rovingTarget, typeAheadMatch } from '../lib/roving';
import type { ChatId, ChatSummary } from '../platform/types';
import { useApp } from '../stores/app';
import { ArchiveEntry } from './ArchiveEntry';
import { chatMenuItems } from './chatMenu';
import { ChatListItem } from './ChatListItem';
import { ContextMenu, type MenuItem } from './ContextMenu';

/** The key of the "Archived chats" row among the chat ids. */
const ARCHIVE = 'archive';
type RowKey = ChatId | typeof ARCHIVE;

export function ChatListbox(props: {
  ids: readonly ChatId[];
  chat: (id: ChatId) => ChatSummary | undefined;
  /** The open chat. */
  active: ChatId | null;
  label: string;
  testId?: string;
  now: number;
  onOpen: (id: ChatId) => void;
  /** Shows why a menu action failed. */
  onError: (message: string) => void;
  /** The "Archived chats" row first, with these counts; none when absent or null. */
  archive?: ArchiveCounts | null;
  onOpenArchive?: () => void;
  /** Rows of archived chats say "Archived" (search results, which mix both lists). */
  markArchived?: boolean;
}): JSX.Element {
  const app = useApp();
  const settings = app.settings;
  let list!: HTMLUListElement;
  const typeAhead = createTypeAhead();
  /** The rows' keys in list order: the archive row, when shown, then the chats. */
  const keys = (): readonly RowKey[] => (props.archive ? [ARCHIVE, ...props.ids] : props.ids);
  /** The row that last had focus; the tab stop while it is in the list. */
  const [focused, setFocused] = createSignal<RowKey | null>(null);
  // Opening a chat (from anywhere) makes it the tab stop.
  createEffect(on(() => props.active, () => setFocused(null), { defer: true }));
  const tabStop = (): RowKey | null => {
    for (const key of [focused(), props.active]) if (key !== null && keys().includes(key)) return key;
    return keys()[0] ?? null;
  };
  const open = (key: RowKey): void => {
    if (key === ARCHIVE) props.onOpenArchive?.();
    else props.onOpen(key);
  };
  const rows = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>('[role="option"]')];
  /** The open row menu, with the items of its chat as it was when the menu opened. */
  const [menu, setMenu] = createSignal<{ x: number; y: number; items: MenuItem[] } | null>(null);
  const openMenu = (id: ChatId, x: number, y: number): void => {
    const chat = props.chat(id);
    const items = chat === undefined ? [] : chatMenuItems(app, chat, props.now, props.onError);
    setMenu(items.length > 0 ? { x, y, items } : null);
  };

  const target = (event: KeyboardEvent, at: number): number | null => {
    const moved = rovingTarget(event.key, at, keys().length);
    if (moved !== null) return moved;
    if ([...event.key].length !== 1 || event.key.trim() === '') return null;
    const titles = keys().map((id) => {
      if (id === ARCHIVE) return settings.t('archive.title');
      const chat = props.chat(id);
      return chat === undefined ? '' : displayTitle(chat, settings.t);
    });
    const match = typeAheadMatch(titles, at, typeAhead(event.key));
    return match === -1 ? at : match;
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const at = rows().findIndex((row) => row === document.activeElement);
    const id = keys()[at];
    if (event.key === 'Enter') {
      if (id === undefined) return;
      event.preventDefault();
      open(id);
      return;
    }
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const row = rows()[at];
      if (id === undefined || id === ARCHIVE || row === undefined) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      openMenu(id, box.left + box.width / 2, box.top + box.height / 2);
      return;
    }
    const next = target(event, at);
    if (next === null) return;
    event.preventDefault();
    rows()[next]?.focus();
  };

  const onFocusIn = (event: FocusEvent): void => {
    const key = keys()[rows().findIndex((row) => row === event.target)];
    if (key !== undefined) setFocused(key);
  };

  // The menu is outside the list: its keys must not move focus between the rows.
  return (
    <>
      <ul
        ref={list}
        role="listbox"
        class="chat-list"
        aria-label={props.label}
        data-testid={props.testId}
        onKeyDown={onKeyDown}
        onFocusIn={onFocusIn}
      >
        <Show when={props.archive}>
          {(counts) => <ArchiveEntry counts={counts()} tabStop={tabStop() === ARCHIVE} onOpen={() => open(ARCHIVE)} />}
        </Show>
        <For each={props.ids}>
          {(id) => (
            <Show when={props.chat(id)}>
              {(chat) => (
                <ChatListItem
                  chat={chat()}
                  active={props.active === id}
                  tabStop={tabStop() === id}
                  now={props.now}
                  markArchived={props.markArchived === true}
                  onOpen={() => props.onOpen(id)}
                  onMenu={(x, y) => openMenu(id, x, y)}
                />
              )}
            </Show>
          )}
        </For>
      </ul>
      <Show when={menu()} keyed>
        {(open) => (
          <ContextMenu
            x={open.x}
            y={open.y}
            label={settings.t('chat.actions')}
            testId="chat-menu"
            items={open.items}
            onClose={() => setMenu(null)}
          />
        )}
      </Show>
    </>
  );
}
