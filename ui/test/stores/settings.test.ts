import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { applyToDocument, createSettingsStore, resolveTheme, systemLanguage } from '../../src/stores/settings';

describe('settings', () => {
  it('translates with the chosen language and remembers it', () => {
    window.localStorage.clear();
    const settings = createRoot(() => createSettingsStore(window.localStorage));
    expect(settings.t('composer.send')).toBe('Send');
    settings.setLang('ar');
    expect(settings.t('composer.send')).toBe('إرسال');
    settings.setTheme('dark');
    const again = createRoot(() => createSettingsStore(window.localStorage));
    expect(again.lang()).toBe('ar');
    expect(again.theme()).toBe('dark');
  });

  it('keeps the auto-lock time, off by default, and only the offered ones', () => {
    window.localStorage.clear();
    const settings = createRoot(() => createSettingsStore(window.localStorage));
    expect(settings.autoLock()).toBe(0);
    settings.setAutoLock(900);
    settings.setAutoLock(42);
    expect(settings.autoLock()).toBe(900);
    expect(createRoot(() => createSettingsStore(window.localStorage)).autoLock()).toBe(900);
    window.localStorage.setItem('wren.settings', JSON.stringify({ autoLock: 5 }));
    expect(createRoot(() => createSettingsStore(window.localStorage)).autoLock()).toBe(0);
  });

  it('keeps the notification kinds, all on by default, each off only when saved off', () => {
    window.localStorage.clear();
    const settings = createRoot(() => createSettingsStore(window.localStorage));
    expect(settings.notifyKinds()).toEqual({ direct: true, groups: true, channels: true, mentions: true });
    settings.setNotifyKinds({ direct: true, groups: false, channels: true, mentions: false });
    expect(createRoot(() => createSettingsStore(window.localStorage)).notifyKinds()).toEqual({
      direct: true,
      groups: false,
      channels: true,
      mentions: false,
    });
    window.localStorage.setItem('wren.settings', JSON.stringify({ notifyKinds: { direct: 'no', channels: false } }));
    expect(createRoot(() => createSettingsStore(window.localStorage)).notifyKinds()).toEqual({
      direct: true,
      groups: true,
      channels: false,
      mentions: true,
    });
    window.localStorage.setItem('wren.settings', JSON.stringify({ notifyKinds: 'off' }));
    expect(createRoot(() => createSettingsStore(window.localStorage)).notifyKinds().groups).toBe(true);
  });

  it('follows the system theme only when asked to', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('puts language, direction and theme on the root element', () => {
    const root = document.createElement('html');
    applyToDocument(root, 'ar', 'system', true);
    expect(root.dir).toBe('rtl');
    expect(root.lang).toBe('ar');
    expect(root.dataset['theme']).toBe('dark');
  });

  it('starts in the system language when it is one Wren speaks, until the user picks one', () => {
    expect(systemLanguage(['ar-EG', 'en-US'])).toBe('ar');
    expect(systemLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(systemLanguage([])).toBe('en');
    window.localStorage.clear();
    const fresh = createRoot(() => createSettingsStore(window.localStorage, 'ar'));
    expect(fresh.lang()).toBe('ar');
    fresh.setLang('en');
    expect(createRoot(() => createSettingsStore(window.localStorage, 'ar')).lang()).toBe('en');
  });
});
