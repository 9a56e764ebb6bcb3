// Performance API marks for the start-up benchmark, read through WebDriver as
// `performance.getEntriesByName(name)`: the moments the UI's script ran, the host answered
// the profile status and the chat list, and the chat list was first painted.

export const CHAT_LIST_PAINTED = 'wren:chat-list-painted';
/** The UI's script ran (every module evaluated). */
export const SCRIPT_STARTED = 'wren:script-started';
/** The host answered `profileStatus` (it waits for the profile to open). */
export const STATUS_ANSWERED = 'wren:status-answered';
/** The host answered `chats` for the first time. */
export const CHATS_ANSWERED = 'wren:chats-answered';

const marked = new Set<string>();

/** Sets the mark `name` now, once per page load. */
export function markStartup(name: string): void {
  if (marked.has(name) || typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  marked.add(name);
  performance.mark(name);
}

/** Marks the first paint after now, once per page load. */
export function markChatListPainted(): void {
  if (marked.has(CHAT_LIST_PAINTED) || typeof requestAnimationFrame !== 'function') return;
  marked.add(CHAT_LIST_PAINTED);
  // The frame callback runs before the paint; the task queued from it runs after it.
  requestAnimationFrame(() => setTimeout(() => performance.mark(CHAT_LIST_PAINTED), 0));
}
