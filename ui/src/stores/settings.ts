// User preferences kept on this machine: theme, language, interface scale, notification
// preview and kinds, auto-lock, the emoji picker's recent emojis and skin tone, and the folder tab shown.

import { createSignal, type Accessor } from 'solid-js';
import { isLang, translate, translatePlural, type Lang, type MessageKey, type Params, type PluralKey } from '../i18n';
import { applyDocumentLanguage } from '../lib/rtl';
import { isRecentList, isSkinTone, pushRecent, type SkinTone } from '../lib/emoji';
import { DEFAULT_SCALE, isScale } from '../lib/scale';
import type { NotifyKinds } from '../platform/types';

export type Theme = 'light' | 'dark' | 'system';

/** The idle times, in seconds, after which Wren may lock itself; 0 is never. */
export const AUTO_LOCK_CHOICES = [0, 60, 300, 900, 3600, 28800] as const;
export type AutoLock = (typeof AUTO_LOCK_CHOICES)[number];

function isAutoLock(value: unknown): value is AutoLock {
  return AUTO_LOCK_CHOICES.some((choice) => choice === value);
}

/** Every kind of chat notifies, and mentions always do: the default. */
export const ALL_NOTIFY_KINDS: NotifyKinds = { direct: true, groups: true, channels: true, mentions: true };

/** The switches kept in web storage, each false only when saved as false. */
function readNotifyKinds(value: unknown): NotifyKinds {
  if (typeof value !== 'object' || value === null) return ALL_NOTIFY_KINDS;
  const saved = value as Partial<Record<keyof NotifyKinds, unknown>>;
  return {
    direct: saved.direct !== false,
    groups: saved.groups !== false,
    channels: saved.channels !== false,
    mentions: saved.mentions !== false,
  };
}

export interface SettingsStore {
  theme: Accessor<Theme>;
  setTheme(theme: Theme): void;
  lang: Accessor<Lang>;
  setLang(lang: Lang): void;
  /** Interface scale in percent, 100–200. */
  scale: Accessor<number>;
  setScale(scale: number): void;
  notificationPreview: Accessor<boolean>;
  setNotificationPreview(show: boolean): void;
  /** Which kinds of chats notify on this device (Telegram's switches); all on by default. */
  notifyKinds: Accessor<NotifyKinds>;
  setNotifyKinds(kinds: NotifyKinds): void;
  /** Seconds without input after which Wren locks (when it has a passcode); 0: never. */
  autoLock: Accessor<AutoLock>;
  setAutoLock(seconds: number): void;
  /** The emojis picked last, the most recent first. */
  recentEmojis: Accessor<string[]>;
  /** Puts a picked emoji at the front of the recent ones. */
  rememberEmoji(emoji: string): void;
  /** The skin tone the emoji picker applies. */
  skinTone: Accessor<SkinTone>;
  setSkinTone(tone: SkinTone): void;
  /** The id of the chat folder whose tab is chosen on this device; null: "All chats". */
  folderTab: Accessor<number | null>;
  setFolderTab(id: number | null): void;
  t(key: MessageKey, params?: Params): string;
  /** The plural form of `key` for `count` in the current language. */
  plural(key: PluralKey, count: number): string;
}

/** The one web-storage key Wren keeps across sign-outs (see `webStorage.ts`). */
export const SETTINGS_KEY = 'wren.settings';

interface Saved {
  theme: Theme;
  lang: Lang;
  scale: number;
  notificationPreview: boolean;
  notifyKinds: NotifyKinds;
  autoLock: AutoLock;
  recentEmojis: string[];
  skinTone: SkinTone;
  folderTab: number | null;
}

function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark' || value === 'system';
}

function load(storage: Storage | null, systemLang: Lang): Saved {
  const fallback: Saved = {
    theme: 'system',
    lang: systemLang,
    scale: DEFAULT_SCALE,
    notificationPreview: true,
    notifyKinds: ALL_NOTIFY_KINDS,
    autoLock: 0,
    recentEmojis: [],
    skinTone: 0,
    folderTab: null,
  };
  const raw = storage?.getItem(SETTINGS_KEY);
  if (raw === null || raw === undefined) return fallback;
  try {
    const parsed = JSON.parse(raw) as Partial<Record<keyof Saved, unknown>>;
    return {
      theme: isTheme(parsed.theme) ? parsed.theme : fallback.theme,
      lang: isLang(parsed.lang) ? parsed.lang : fallback.lang,
      scale: isScale(parsed.scale) ? parsed.scale : fallback.scale,
      notificationPreview:
        typeof parsed.notificationPreview === 'boolean' ? parsed.notificationPreview : fallback.notificationPreview,
      notifyKinds: readNotifyKinds(parsed.notifyKinds),
      autoLock: isAutoLock(parsed.autoLock) ? parsed.autoLock : fallback.autoLock,
      recentEmojis: isRecentList(parsed.recentEmojis) ? parsed.recentEmojis : fallback.recentEmojis,
      skinTone: isSkinTone(parsed.skinTone) ? parsed.skinTone : fallback.skinTone,
      folderTab: Number.isSafeInteger(parsed.folderTab) ? (parsed.folderTab as number) : fallback.folderTab,
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
  const [scale, setScaleSignal] = createSignal(saved.scale);
  const [notificationPreview, setPreviewSignal] = createSignal(saved.notificationPreview);
  const [notifyKinds, setNotifyKindsSignal] = createSignal<NotifyKinds>(saved.notifyKinds);
  const [autoLock, setAutoLockSignal] = createSignal<AutoLock>(saved.autoLock);
  const [recentEmojis, setRecentEmojis] = createSignal<string[]>(saved.recentEmojis);
  const [skinTone, setSkinToneSignal] = createSignal<SkinTone>(saved.skinTone);
  const [folderTab, setFolderTabSignal] = createSignal<number | null>(saved.folderTab);
  const persist = (): void => {
    const value: Saved = {
      theme: theme(),
      lang: lang(),
      scale: scale(),
      notificationPreview: notificationPreview(),
      notifyKinds: notifyKinds(),
      autoLock: autoLock(),
      recentEmojis: recentEmojis(),
      skinTone: skinTone(),
      folderTab: folderTab(),
    };
    storage?.setItem(SETTINGS_KEY, JSON.stringify(value));
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
    scale,
    setScale(next) {
      if (!isScale(next)) return;
      setScaleSignal(next);
      persist();
    },
    notificationPreview,
    setNotificationPreview(show) {
      setPreviewSignal(show);
      persist();
    },
    notifyKinds,
    setNotifyKinds(kinds) {
      setNotifyKindsSignal({ ...kinds });
      persist();
    },
    autoLock,
    setAutoLock(next) {
      if (!isAutoLock(next)) return;
      setAutoLockSignal(next);
      persist();
    },
    recentEmojis,
    rememberEmoji(emoji) {
      setRecentEmojis((recent) => pushRecent(recent, emoji));
      persist();
    },
    skinTone,
    setSkinTone(tone) {
      if (!isSkinTone(tone)) return;
      setSkinToneSignal(tone);
      persist();
    },
    folderTab,
    setFolderTab(id) {
      setFolderTabSignal(id);
      persist();
    },
    t: (key, params) => translate(lang(), key, params),
    plural: (key, count) => translatePlural(lang(), key, count),
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
