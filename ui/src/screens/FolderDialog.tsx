// Creating or editing one chat folder: its name (with a character counter), the kinds of
// chats it shows (direct chats, groups, only while unread), and chats it always or never
// shows, picked from a filtered list. Saving or deleting sends the whole list of folders to
// the host; a refusal is shown with the host's reason and the dialog stays open.

import { For, Show, createMemo, createSignal, createUniqueId, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import type { MessageKey, Params } from '../i18n';
import { displayTitle, filterChats } from '../lib/chats';
import { nextFolderId, putFolder, visibleLength } from '../lib/folders';
import { toErrorInfo } from '../platform/errors';
import { MAX_FOLDER_NAME_CHARS, type ChatId, type Folder } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';
import '../styles/folders.css';

/** What to show when saving folders failed: the host's reason for a refused list. */
export function folderSaveError(t: (key: MessageKey, params?: Params) => string, error: unknown): string {
  const info = toErrorInfo(error);
  return info.code === 'invalid' ? t('folders.refused', { message: info.message }) : errorText(t, error);
}

/** `list` with `id` added (`on`) or taken out. */
function toggled(list: readonly ChatId[], id: ChatId, on: boolean): ChatId[] {
  const rest = list.filter((x) => x !== id);
  return on ? [...rest, id] : rest;
}

/** The folder editor dialog; closes itself once the host saved the change. */
export function FolderDialog(props: {
  /** The folder to edit; null: a new one. */
  folder: Folder | null;
  onClose: () => void;
}): JSX.Element {
  const app = useApp();
  const { settings } = app;
  const t = settings.t;
  const start = props.folder;
  const counterId = createUniqueId();
  const [name, setName] = createSignal(start?.name ?? '');
  const [direct, setDirect] = createSignal(start?.direct ?? false);
  const [groups, setGroups] = createSignal(start?.groups ?? false);
  const [unreadOnly, setUnreadOnly] = createSignal(start?.unreadOnly ?? false);
  const [include, setInclude] = createSignal<readonly ChatId[]>(start?.include ?? []);
  const [exclude, setExclude] = createSignal<readonly ChatId[]>(start?.exclude ?? []);
  const [filter, setFilter] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  // Archived chats never show in a folder's tab: they are not offered.
  const chats = createMemo(() =>
    filterChats(
      app.chats.list().filter((chat) => !chat.archived),
      filter(),
      t,
    ),
  );
  const left = (): number => MAX_FOLDER_NAME_CHARS - visibleLength(name().trim());
  const counter = (): string =>
    left() >= 0 ? settings.plural('profile.charsLeft', left()) : settings.plural('profile.charsOver', -left());

  const setIncluded = (id: ChatId, on: boolean): void => {
    setInclude((list) => toggled(list, id, on));
    if (on) setExclude((list) => toggled(list, id, false));
  };
  const setExcluded = (id: ChatId, on: boolean): void => {
    setExclude((list) => toggled(list, id, on));
    if (on) setInclude((list) => toggled(list, id, false));
  };

  const send = async (folders: readonly Folder[]): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      await app.folders.save(folders);
      props.onClose();
    } catch (err) {
      setError(folderSaveError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const save = (): void => {
    const all = app.folders.list();
    const folder: Folder = {
      id: start?.id ?? nextFolderId(all),
      name: name().trim(),
      direct: direct(),
      groups: groups(),
      unreadOnly: unreadOnly(),
      include: [...include()],
      exclude: [...exclude()],
    };
    void send(putFolder(all, folder));
  };
  const remove = (id: number): void => {
    if (settings.folderTab() === id) settings.setFolderTab(null);
    void send(app.folders.list().filter((folder) => folder.id !== id));
  };

  const check = (label: MessageKey, testId: string, value: () => boolean, set: (on: boolean) => void): JSX.Element => (
    <label class="check-row">
      <input type="checkbox" checked={value()} onChange={(e) => set(e.currentTarget.checked)} data-testid={testId} />
      <span>{t(label)}</span>
    </label>
  );

  return (
    <Dialog title={t(start === null ? 'folders.newTitle' : 'folders.editTitle')} testId="folder-dialog" onClose={props.onClose}>
      <form
        class="folder-form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label class="field">
          <span>{t('folders.name')}</span>
          <input
            value={name()}
            dir="auto"
            aria-describedby={counterId}
            aria-invalid={left() < 0}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="folder-name"
          />
        </label>
        <p id={counterId} class="char-counter muted" classList={{ over: left() < 0 }} data-testid="folder-name-left">
          {counter()}
        </p>
        <fieldset class="folder-kinds">
          <legend>{t('folders.kinds')}</legend>
          {check('folders.direct', 'folder-direct', direct, setDirect)}
          {check('folders.groups', 'folder-groups', groups, setGroups)}
          {check('folders.unreadOnly', 'folder-unread', unreadOnly, setUnreadOnly)}
        </fieldset>
        <fieldset class="folder-chats">
          <legend>{t('folders.chats')}</legend>
          <input
            type="search"
            class="folder-filter"
            placeholder={t('folders.filter')}
            aria-label={t('folders.filter')}
            value={filter()}
            onInput={(e) => setFilter(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Esc clears the filter first, then closes the dialog.
              if (e.key === 'Escape' && filter() !== '') {
                e.stopPropagation();
                setFilter('');
              }
            }}
            data-testid="folder-filter"
          />
          <div class="folder-chat folder-chat-head" aria-hidden="true">
            <span />
            <span>{t('folders.always')}</span>
            <span>{t('folders.never')}</span>
          </div>
          <ul class="folder-chat-list">
            <For each={chats()} fallback={<li class="muted">{t('folders.noMatch')}</li>}>
              {(chat) => {
                const title = (): string => displayTitle(chat, t);
                return (
                  <li class="folder-chat">
                    <bdi class="folder-chat-title">{title()}</bdi>
                    <input
                      type="checkbox"
                      aria-label={t('folders.alwaysChat', { name: title() })}
                      checked={include().includes(chat.id)}
                      onChange={(e) => setIncluded(chat.id, e.currentTarget.checked)}
                      data-testid={`folder-include-${chat.id}`}
                    />
                    <input
                      type="checkbox"
                      aria-label={t('folders.neverChat', { name: title() })}
                      checked={exclude().includes(chat.id)}
                      onChange={(e) => setExcluded(chat.id, e.currentTarget.checked)}
                      data-testid={`folder-exclude-${chat.id}`}
                    />
                  </li>
                );
              }}
            </For>
          </ul>
        </fieldset>
        <FormError message={error()} />
        <div class="form-actions">
          <Show when={start}>
            {(folder) => (
              <button
                type="button"
                class="button danger"
                disabled={busy()}
                onClick={() => remove(folder().id)}
                data-testid="folder-delete"
              >
                {t('folders.delete')}
              </button>
            )}
          </Show>
          <button type="submit" class="button primary" disabled={busy()} data-testid="folder-save">
            {t('folders.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
