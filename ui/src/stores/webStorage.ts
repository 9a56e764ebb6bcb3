// Web storage (localStorage, sessionStorage) is kept in clear text in the webview's profile
// directory, readable without the passcode: anything about the account or its chats belongs
// in the encrypted store behind the host. Sign-out and lock wipe what Wren left here.

import { SETTINGS_KEY } from './settings';

/** Wren's keys in web storage all start with this. */
const WREN_PREFIX = 'wren.';

/**
 * The keys that survive a wipe: only `wren.settings` (theme, language, interface scale,
 * whether notifications show message text, the idle time before locking, the emoji picker's skin
 * tone and recent emojis, and the number of the folder tab last chosen). These are preferences of whoever uses this
 * machine, not of the account, and say nothing about its chats; the sign-in and lock
 * screens need the language, theme and scale before any profile is open.
 */
const KEPT: ReadonlySet<string> = new Set([SETTINGS_KEY]);

/** Removes every Wren key but the kept settings from each storage. */
export function wipeWebStorage(...stores: (Storage | null)[]): void {
  for (const storage of stores) {
    if (storage === null) continue;
    const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i));
    for (const key of keys) if (key !== null && key.startsWith(WREN_PREFIX) && !KEPT.has(key)) storage.removeItem(key);
  }
}
