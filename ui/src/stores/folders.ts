// The account's chat folders as the host last sent them, and saving a changed list.

import { createSignal, type Accessor } from 'solid-js';
import type { CoreEvent, Folder, Platform } from '../platform/types';

export interface FoldersStore {
  /** The folders in tab order. */
  list: Accessor<readonly Folder[]>;
  byId(id: number): Folder | undefined;
  /** Asks the host for the folders (after signing in or unlocking). */
  load(): Promise<void>;
  /** Takes `foldersChanged`. */
  apply(event: CoreEvent): void;
  /** Saves the whole list (tab order as given); rejects as `setFolders` does, changing nothing. */
  save(folders: readonly Folder[]): Promise<void>;
  /** Forgets the folders (sign-out, lock). */
  clear(): void;
}

/** The folders store over `platform`; starts empty until `load`. */
export function createFoldersStore(platform: Platform): FoldersStore {
  const [list, setList] = createSignal<readonly Folder[]>([]);
  return {
    list,
    byId: (id) => list().find((folder) => folder.id === id),
    async load() {
      setList(await platform.folders());
    },
    apply(event) {
      if (event.type === 'foldersChanged') setList(event.folders);
    },
    async save(folders) {
      setList(await platform.setFolders([...folders]));
    },
    clear() {
      setList([]);
    },
  };
}
