// Window-wide keyboard shortcuts, from key events to what they ask for.

import { MAX_ACCOUNTS } from '../platform/types';

/** Alt+Up / Alt+Down and Ctrl+Shift+Tab / Ctrl+Tab: the previous (-1) or next (1) chat. */
export function chatSwitchStep(event: KeyboardEvent): -1 | 1 | null {
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    if (event.key === 'ArrowUp') return -1;
    if (event.key === 'ArrowDown') return 1;
  }
  if (event.ctrlKey && !event.altKey && event.key === 'Tab') return event.shiftKey ? -1 : 1;
  return null;
}

/** Ctrl+= (or Ctrl++) larger, Ctrl+- smaller, Ctrl+0 back to 100%. */
export function scaleShortcut(event: KeyboardEvent): 'larger' | 'smaller' | 'reset' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  switch (event.key) {
    case '=':
    case '+':
      return 'larger';
    case '-':
      return 'smaller';
    case '0':
      return 'reset';
    default:
      return null;
  }
}

/** Ctrl+L (Cmd+L on macOS): lock Wren now. */
export function isLockShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l';
}

/**
 * Ctrl+Shift+M (Cmd+Shift+M on macOS): mute or unmute the microphone in a connected call. The
 * M key's place counts too when the layout writes a letter of another script there (Arabic).
 */
export function isMuteShortcut(event: KeyboardEvent): boolean {
  if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.altKey) return false;
  const key = event.key.toLowerCase();
  return key === 'm' || (event.code === 'KeyM' && /^\p{L}$/u.test(key) && !/^[a-z]$/.test(key));
}

/**
 * Ctrl+F (Cmd+F on macOS): search in the open chat. The F key's place counts too when the
 * layout writes a letter of another script there (Arabic).
 */
export function isFindShortcut(event: KeyboardEvent): boolean {
  if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return false;
  const key = event.key.toLowerCase();
  return key === 'f' || (event.code === 'KeyF' && /^\p{L}$/u.test(key) && !/^[a-z]$/.test(key));
}

/**
 * Ctrl+1, Ctrl+2, Ctrl+3 (Cmd on macOS): the account at that place in the list (0-based), up to
 * `MAX_ACCOUNTS`. The digit key's place counts too when the layout writes something else there
 * (AZERTY's "&" and "é" without Shift, Arabic-Indic digits).
 */
export function accountShortcut(event: KeyboardEvent): number | null {
  if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return null;
  const digit = /^[0-9]$/.test(event.key) ? event.key : /^Digit([0-9])$/.exec(event.code)?.[1];
  if (digit === undefined) return null;
  const index = Number(digit) - 1;
  return index >= 0 && index < MAX_ACCOUNTS ? index : null;
}
