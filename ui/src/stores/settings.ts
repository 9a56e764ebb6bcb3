// User preferences kept on this machine: theme, language, notification preview.

import { createSignal, type Accessor } from 'solid-js';
import { isLang, translate, type Lang, type MessageKey, type Params } from '../i18n';
import { applyDocumentLanguage } from '../lib/rtl';

export type Theme = 'light' | 'dark' | 'system';

export interface SettingsStore {
  theme: Accessor<Theme>;
  setTheme(theme: Theme): void;
  lang: Accessor<Lang>;
  setLang(lang: Lang): void;
  notificationPreview: Accessor<boolean>;
  setNotificationPreview(show: boolean): void;
  t(key: MessageKey, params?: Params): string;
}

const STORAGE_KEY = 'wren.settings';

interface Saved {
  theme: Theme;
  lang: Lang;
  notificationPreview: boolean;
}

function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark' || value === 'system';
}

function load(storage: Storage | null, systemLang: Lang): Saved {
  const fallback: Saved = { theme: 'system', lang: systemLang, notificationPreview: true };
  const raw = storage?.getItem(STORAGE_KEY);
  if (raw === null || raw === undefined) return fallback;
  try {
    const parsed = JSON.parse(raw) as Partial<Record<keyof Saved, unknown>>;
    return {
      theme: isTheme(parsed.theme) ? parsed.theme : fallback.theme,
      lang: isLang(parsed.lang) ? parsed.lang : fallback.lang,
      notificationPreview:
        typeof parsed.notificationPreview === 'boolean' ? parsed.notificationPreview : fallback.notificationPreview,
    };
  } catch {
    return fallback;
  }
}

/** The first of the user's preferred languages that Wren speaks, else English. */
export function systemLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

/** `systemLang` is used until the user picks a language. */
export function createSettingsStore(storage: Storage | null, systemLang: Lang = 'en'): SettingsStore {
  const saved = load(storage, systemLang);
  const [theme, setThemeSignal] = createSignal<Theme>(saved.theme);
  const [lang, setLangSignal] = createSignal<Lang>(saved.lang);
  const [notificationPreview, setPreviewSignal] = createSignal(saved.notificationPreview);
  const persist = (): void => {
    const value: Saved = { theme: theme(), lang: lang(), notificationPreview: notificationPreview() };
    storage?.setItem(STORAGE_KEY, JSON.stringify(value));
  };
  return {
    theme,
    setTheme(next) {
      setThemeSignal(next);
      persist();
    },
    lang,
    setLang(next) {
      setLangSignal(next);
      persist();
    },
    notificationPreview,
    setNotificationPreview(show) {
      setPreviewSignal(show);
      persist();
    },
    t: (key, params) => translate(lang(), key, params),
  };
}

/** The theme actually shown: "system" follows the OS preference. */
export function resolveTheme(theme: Theme, prefersDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (prefersDark ? 'dark' : 'light') : theme;
}

/** Reflects language, direction and theme on the root element. */
export function applyToDocument(root: HTMLElement, lang: Lang, theme: Theme, prefersDark: boolean): void {
  applyDocumentLanguage(root, lang);
  root.dataset['theme'] = resolveTheme(theme, prefersDark);
}
