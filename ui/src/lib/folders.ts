// Chat folders as the chat list and the folder editor use them: which chats a folder shows,
// its unread count, the rules the host checks a list of folders by (shared with the
// in-memory host), and the small edits the editor and the row menu make.

import { MAX_FOLDERS, MAX_FOLDER_NAME_CHARS, type ChatId, type ChatSummary, type Folder } from '../platform/types';

/** The most chats a folder may always include, and the most it may never include. */
export const MAX_FOLDER_CHATS = 100;

/**
 * Control, zero-width-space and direction-changing characters: not allowed in a folder name
 * (the joiners stay: emoji sequences and some scripts need them).
 */
const INVISIBLE = /[\p{Cc}\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

/** How many characters a reader sees in `text` (grapheme clusters). */
export function visibleLength(text: string): number {
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;
}

/** Whether `chat` shows in the folder's tab: never when archived. */
export function inFolder(chat: ChatSummary, folder: Folder): boolean {
  if (chat.archived || folder.exclude.includes(chat.id)) return false;
  if (folder.include.includes(chat.id)) return true;
  const kind = chat.kind === 'direct' ? folder.direct : folder.groups;
  return kind && (!folder.unreadOnly || chat.unreadCount > 0);
}

/** The chats of a folder, in the order given. */
export function folderChats(chats: readonly ChatSummary[], folder: Folder): ChatSummary[] {
  return chats.filter((chat) => inFolder(chat, folder));
}

/** Unread messages across the folder's chats (its tab's badge). */
export function folderUnread(chats: readonly ChatSummary[], folder: Folder): number {
  return folderChats(chats, folder).reduce((sum, chat) => sum + chat.unreadCount, 0);
}

/** Why the host would refuse this list of folders (its English reason), or null. */
export function foldersProblem(folders: readonly Folder[]): string | null {
  if (folders.length > MAX_FOLDERS) return `an account has at most ${MAX_FOLDERS} folders`;
  const ids = new Set<number>();
  for (const folder of folders) {
    if (!Number.isSafeInteger(folder.id) || folder.id < 1) return 'a folder id is a positive whole number';
    if (ids.has(folder.id)) return `two folders have the id ${folder.id}`;
    ids.add(folder.id);
    const problem = folderProblem(folder);
    if (problem !== null) return problem;
  }
  return null;
}

/** Why the host would refuse one folder, or null. */
function folderProblem(folder: Folder): string | null {
  const name = folder.name.trim();
  const length = visibleLength(name);
  if (length < 1 || length > MAX_FOLDER_NAME_CHARS) return `a folder name has 1 to ${MAX_FOLDER_NAME_CHARS} characters`;
  if (INVISIBLE.test(name)) return 'a folder name cannot contain line breaks or invisible characters';
  if (!folder.direct && !folder.groups && folder.include.length === 0) {
    return `nothing can be in the folder "${name}": choose direct chats, groups or chats to include`;
  }
  if (folder.include.length > MAX_FOLDER_CHATS || folder.exclude.length > MAX_FOLDER_CHATS) {
    return `a folder includes and excludes at most ${MAX_FOLDER_CHATS} chats each`;
  }
  if (folder.include.some((id) => folder.exclude.includes(id))) return 'a chat cannot be both included and excluded';
  return null;
}

/** An id no folder of the list has: one more than the largest. */
export function nextFolderId(folders: readonly Folder[]): number {
  return folders.reduce((max, folder) => Math.max(max, folder.id), 0) + 1;
}

/**
 * The folder with `chat` always included (`add`) or no longer named in its include list; an
 * included chat is taken off the exclude list.
 */
export function withIncluded(folder: Folder, chat: ChatId, add: boolean): Folder {
  const include = folder.include.filter((id) => id !== chat);
  return {
    ...folder,
    include: add ? [...include, chat] : include,
    exclude: folder.exclude.filter((id) => id !== chat),
  };
}

/** The list with `folder` in place of the one with its id, or added at the end. */
export function putFolder(folders: readonly Folder[], folder: Folder): Folder[] {
  return folders.some((f) => f.id === folder.id)
    ? folders.map((f) => (f.id === folder.id ? folder : f))
    : [...folders, folder];
}

/** The list with the folder at `index` moved one place up (-1) or down (1); unchanged at the ends. */
export function moveFolder(folders: readonly Folder[], index: number, step: -1 | 1): Folder[] {
  const other = index + step;
  const a = folders[index];
  const b = folders[other];
  if (a === undefined || b === undefined) return [...folders];
  const next = [...folders];
  next[index] = b;
  next[other] = a;
  return next;
}
