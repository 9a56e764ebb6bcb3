// The chat folder tabs above the chat list (`role=tablist`): "All chats", then one tab per
// folder with its unread count. One tab stop: Left / Right (mirrored right to left), Home and
// End move between the tabs and choose the one reached; the chosen tab controls the list.

import { For, Show, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { directionOf } from '../lib/rtl';
import type { Folder } from '../platform/types';
import { useApp } from '../stores/app';
import '../styles/folders.css';

/** The id of the tab element of a folder (null: "All chats"), for the panel's `aria-labelledby`. */
export function folderTabId(folder: number | null): string {
  return folder === null ? 'wren-folder-tab-all' : `wren-folder-tab-${folder}`;
}

/** The tab row; `selected` is controlled by the caller (remembered in the settings). */
export function FolderTabs(props: {
  folders: readonly Folder[];
  /** The chosen folder; null: "All chats". */
  selected: number | null;
  /** Unread messages in a folder's chats. */
  unread: (folder: Folder) => number;
  /** The id of the element the tabs control (the chat list's panel). */
  panelId: string;
  onSelect: (folder: number | null) => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  let list!: HTMLDivElement;
  const keys = (): (number | null)[] => [null, ...props.folders.map((f) => f.id)];

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const all = keys();
    const at = all.indexOf(props.selected);
    const forward = directionOf(settings.lang()) === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const backward = forward === 'ArrowRight' ? 'ArrowLeft' : 'ArrowRight';
    let next: number;
    if (event.key === forward) next = (at + 1) % all.length;
    else if (event.key === backward) next = (at - 1 + all.length) % all.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = all.length - 1;
    else return;
    event.preventDefault();
    const key = all[next] ?? null;
    props.onSelect(key);
    list.querySelector<HTMLElement>(`#${folderTabId(key)}`)?.focus();
  };

  const tab = (key: number | null, name: () => string, unread: () => number): JSX.Element => (
    <button
      type="button"
      role="tab"
      id={folderTabId(key)}
      class="folder-tab"
      aria-selected={props.selected === key}
      aria-controls={props.panelId}
      tabIndex={props.selected === key ? 0 : -1}
      data-testid={key === null ? 'folder-tab-all' : `folder-tab-${key}`}
      onClick={() => props.onSelect(key)}
    >
      <bdi>{name()}</bdi>
      <Show when={unread() > 0}>
        <span class="visually-hidden">{`${t('common.listSeparator')}${settings.plural('chat.unread', unread())}`}</span>
        <span class="folder-tab-badge" data-testid="folder-tab-unread" aria-hidden="true">
          {formatNumber(unread(), settings.lang())}
        </span>
      </Show>
    </button>
  );

  return (
    <div ref={list} class="folder-tabs" role="tablist" aria-label={t('folders.tabs')} data-testid="folder-tabs" onKeyDown={onKeyDown}>
      {tab(null, () => t('folders.all'), () => 0)}
      <For each={props.folders}>
        {(folder) =>
          tab(
            folder.id,
            () => folder.name,
            () => props.unread(folder),
          )
        }
      </For>
    </div>
  );
}
