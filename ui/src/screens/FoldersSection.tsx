// Settings → Chat folders: the account's folders in tab order, each with buttons to move it
// up or down and to edit it, and the way to create one (up to `MAX_FOLDERS`). Every change
// sends the whole list to the host; the editor opens over the settings.

import { Index, Show, createSignal, type JSX } from 'solid-js';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import { moveFolder } from '../lib/folders';
import { MAX_FOLDERS, type Folder } from '../platform/types';
import { useApp } from '../stores/app';
import { FolderDialog, folderSaveError } from './FolderDialog';
import '../styles/folders.css';

const HEADING_ID = 'settings-folders-title';

/** The settings section listing the account's folders (`settings-folders`). */
export function FoldersSection(): JSX.Element {
  const app = useApp();
  const { settings } = app;
  const t = settings.t;
  let section!: HTMLElement;
  /** The folder being edited; 'new' while one is being created. */
  const [editing, setEditing] = createSignal<Folder | 'new' | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const full = (): boolean => app.folders.list().length >= MAX_FOLDERS;

  const move = (index: number, step: -1 | 1): void => {
    const id = app.folders.list()[index]?.id;
    setError(null);
    app.folders
      .save(moveFolder(app.folders.list(), index, step))
      .then(() => {
        // Focus follows the folder: the same button, or the other one at an end.
        const button = (dir: string): HTMLButtonElement | null =>
          section.querySelector<HTMLButtonElement>(`[data-testid="folder-${dir}-${id}"]`);
        const same = button(step === -1 ? 'up' : 'down');
        (same !== null && !same.disabled ? same : button(step === -1 ? 'down' : 'up'))?.focus();
      })
      .catch((err: unknown) => setError(folderSaveError(t, err)));
  };

  return (
    <section ref={section} class="settings-section" aria-labelledby={HEADING_ID} data-testid="settings-folders">
      <h3 id={HEADING_ID} class="section-title">
        {t('folders.section')}
      </h3>
      <p class="muted">{t('folders.hint')}</p>
      <Show when={app.folders.list().length > 0} fallback={<p class="muted">{t('folders.none')}</p>}>
        <ol class="folder-list" aria-labelledby={HEADING_ID}>
          <Index each={app.folders.list()}>
            {(folder, index) => (
              <li class="folder-row" data-testid={`folder-row-${folder().id}`}>
                <bdi class="folder-row-name">{folder().name}</bdi>
                <button
                  type="button"
                  class="icon-button"
                  aria-label={t('folders.up', { name: folder().name })}
                  title={t('folders.up', { name: folder().name })}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                  data-testid={`folder-up-${folder().id}`}
                >
                  <Icon name="up" />
                </button>
                <button
                  type="button"
                  class="icon-button"
                  aria-label={t('folders.down', { name: folder().name })}
                  title={t('folders.down', { name: folder().name })}
                  disabled={index === app.folders.list().length - 1}
                  onClick={() => move(index, 1)}
                  data-testid={`folder-down-${folder().id}`}
                >
                  <Icon name="down" />
                </button>
                <button
                  type="button"
                  class="button"
                  aria-haspopup="dialog"
                  aria-label={t('folders.edit', { name: folder().name })}
                  onClick={() => setEditing(folder())}
                  data-testid={`folder-edit-${folder().id}`}
                >
                  {t('folders.editButton')}
                </button>
              </li>
            )}
          </Index>
        </ol>
      </Show>
      <button
        type="button"
        class="button"
        aria-haspopup="dialog"
        disabled={full()}
        onClick={() => setEditing('new')}
        data-testid="folder-create"
      >
        <Icon name="add" size={20} />
        <span>{t('folders.create')}</span>
      </button>
      <Show when={full()}>
        <p class="muted" data-testid="folders-full">
          {t('folders.full', { count: MAX_FOLDERS })}
        </p>
      </Show>
      <FormError message={error()} />
      <Show when={editing()} keyed>
        {(target) => <FolderDialog folder={target === 'new' ? null : target} onClose={() => setEditing(null)} />}
      </Show>
    </section>
  );
}
