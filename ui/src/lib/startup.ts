// A Performance API mark for the start-up benchmark: the moment the chat list was first
// painted, read through WebDriver as `performance.getEntriesByName(CHAT_LIST_PAINTED)`.

export const CHAT_LIST_PAINTED = 'wren:chat-list-painted';

let marked = false;

/** Marks the first paint after now, once per page load. */
export function markChatListPainted(): void {
  if (marked || typeof requestAnimationFrame !== 'function' || typeof performance.mark !== 'function') return;
  marked = true;
  // The frame callback runs before the paint; the task queued from it runs after it.
  requestAnimationFrame(() => setTimeout(() => performance.mark(CHAT_LIST_PAINTED), 0));
}
