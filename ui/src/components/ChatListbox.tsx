// A list of chats as a listbox with one tab stop (roving tabindex): Up / Down, Home / End
// and typing the start of a title move focus between rows; Enter opens the focused chat. A
// right-click on a row, or the ContextMenu key / Shift+F10 on the focused one, opens the row's
// menu (pin, mute, mark as read).

import { For, Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import { displayTitle } from '../lib/chats';
import { createTypeAhead, rovingTarget, typeAheadMatch } from '../lib/roving';
import type { ChatId, ChatSummary } from '../platform/types';
import { useApp } from '../stores/app';
import { chatMenuItems } from './chatMenu';
import { ChatListItem } from './ChatListItem';
import { ContextMenu, type MenuItem } from './ContextMenu';

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
}): JSX.Element {
  const app = useApp();
  const settings = app.settings;
  let list!: HTMLUListElement;
  const typeAhead = createTypeAhead();
  /** The row that last had focus; the tab stop while it is in the list. */
  const [focused, setFocused] = createSignal<ChatId | null>(null);
  // Opening a chat (from anywhere) makes it the tab stop.
  createEffect(on(() => props.active, () => setFocused(null), { defer: true }));
  const tabStop = (): ChatId | null => {
    for (const id of [focused(), props.active]) if (id !== null && props.ids.includes(id)) return id;
    return props.ids[0] ?? null;
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
    const moved = rovingTarget(event.key, at, props.ids.length);
    if (moved !== null) return moved;
    if ([...event.key].length !== 1 || event.key.trim() === '') return null;
    const titles = props.ids.map((id) => {
      const chat = props.chat(id);
      return chat === undefined ? '' : displayTitle(chat, settings.t);
    });
    const match = typeAheadMatch(titles, at, typeAhead(event.key));
    return match === -1 ? at : match;
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const at = rows().findIndex((row) => row === document.activeElement);
    const id = props.ids[at];
    if (event.key === 'Enter') {
      if (id === undefined) return;
      event.preventDefault();
      props.onOpen(id);
      return;
    }
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const row = rows()[at];
      if (id === undefined || row === undefined) return;
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
    const id = props.ids[rows().findIndex((row) => row === event.target)];
    if (id !== undefined) setFocused(id);
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
        <For each={props.ids}>
          {(id) => (
            <Show when={props.chat(id)}>
              {(chat) => (
                <ChatListItem
                  chat={chat()}
                  active={props.active === id}
                  tabStop={tabStop() === id}
                  now={props.now}
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
