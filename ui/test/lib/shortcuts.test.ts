import { describe, expect, it } from 'vitest';
import { accountShortcut, scaleShortcut } from '../../src/lib/shortcuts';

const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);

describe('the account shortcut', () => {
  it('is Ctrl+1..3 (Cmd on macOS), 0-based', () => {
    expect(accountShortcut(key({ key: '1', code: 'Digit1', ctrlKey: true }))).toBe(0);
    expect(accountShortcut(key({ key: '2', code: 'Digit2', ctrlKey: true }))).toBe(1);
    expect(accountShortcut(key({ key: '3', code: 'Digit3', metaKey: true }))).toBe(2);
    // The number pad's digits too.
    expect(accountShortcut(key({ key: '2', code: 'Numpad2', ctrlKey: true }))).toBe(1);
  });

  it('is nothing beyond the last account, without Ctrl, or with Shift or Alt (AltGr)', () => {
    expect(accountShortcut(key({ key: '4', code: 'Digit4', ctrlKey: true }))).toBeNull();
    expect(accountShortcut(key({ key: '1', code: 'Digit1' }))).toBeNull();
    expect(accountShortcut(key({ key: '1', code: 'Digit1', ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(accountShortcut(key({ key: '1', code: 'Digit1', ctrlKey: true, altKey: true }))).toBeNull();
    expect(accountShortcut(key({ key: 'k', code: 'KeyK', ctrlKey: true }))).toBeNull();
  });

  it('does not take Ctrl+0, which resets the interface scale', () => {
    const reset = key({ key: '0', code: 'Digit0', ctrlKey: true });
    expect(accountShortcut(reset)).toBeNull();
    expect(scaleShortcut(reset)).toBe('reset');
  });

  it('counts the digit key where the layout writes something else there (AZERTY, Arabic-Indic digits)', () => {
    expect(accountShortcut(key({ key: '&', code: 'Digit1', ctrlKey: true }))).toBe(0);
    expect(accountShortcut(key({ key: 'é', code: 'Digit2', ctrlKey: true }))).toBe(1);
    expect(accountShortcut(key({ key: '٣', code: 'Digit3', ctrlKey: true }))).toBe(2);
    expect(accountShortcut(key({ key: '(', code: 'Digit5', ctrlKey: true }))).toBeNull();
  });
});
