// The emoji picker: a search box, a skin tone choice, category tabs (recently used first),
// and a grid of emojis moved through with the arrow keys. A modal dialog: Esc or a click
// outside closes it. Picking an emoji remembers it as recent and hands it to `onPick`.

import { For, Show, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import {
  EMOJI_CATEGORIES,
  SKIN_TONES,
  loadEmojis,
  searchEmojis,
  withTone,
  type EmojiCategory,
  type EmojiEntry,
  type SkinTone,
} from '../lib/emoji';
import { directionOf } from '../lib/rtl';
import { useApp } from '../stores/app';
import { Dialog } from './Dialog';

/** Emojis in a row of the grid (the stylesheet's grid has as many columns). */
const COLUMNS = 8;

type Tab = EmojiCategory | 'recent';

/** An emoji as the grid shows it. */
interface Option {
  emoji: string;
  label: string;
}

/** The emoji a category's tab shows. */
const TAB_ICONS: Record<Tab, string> = {
  recent: '🕘',
  smileys: '😀',
  people: '👋',
  animals: '🐻',
  food: '🍔',
  travel: '✈️',
  activities: '⚽',
  objects: '💡',
  symbols: '❤️',
  flags: '🏁',
};

const TONE_SAMPLE = ['✋', '✋🏻', '✋🏼', '✋🏽', '✋🏾', '✋🏿'];

export interface EmojiPickerProps {
  /** An emoji was picked (the picker stays open until `onClose`). */
  onPick: (emoji: string) => void;
  onClose: () => void;
}

/** The emoji picker dialog (`emoji-picker`). */
export function EmojiPicker(props: EmojiPickerProps): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const [entries] = createResource(loadEmojis);
  const [query, setQuery] = createSignal('');
  const [tab, setTab] = createSignal<Tab>(settings.recentEmojis().length > 0 ? 'recent' : 'smileys');
  const [active, setActive] = createSignal(0);
  let grid: HTMLDivElement | undefined;
  const tabs = (): Tab[] => ['recent', ...EMOJI_CATEGORIES];

  /** Labels of emojis by the emoji (any skin tone), for the recent ones. */
  const labels = createMemo(() => {
    const map = new Map<string, string>();
    for (const entry of entries() ?? []) {
      map.set(entry.emoji, entry.label);
      for (const toned of entry.tones ?? []) map.set(toned, entry.label);
    }
    return map;
  });
  const show = (entry: EmojiEntry): Option => ({ emoji: withTone(entry, settings.skinTone()), label: entry.label });
  const options = createMemo((): Option[] => {
    const all = entries() ?? [];
    if (query().trim() !== '') return searchEmojis(all, query()).map(show);
    const current = tab();
    if (current === 'recent') return settings.recentEmojis().map((emoji) => ({ emoji, label: labels().get(emoji) ?? emoji }));
    return all.filter((entry) => entry.category === current).map(show);
  });
  const panelLabel = (): string =>
    query().trim() !== '' ? t('emoji.results') : t(`emoji.category.${tab()}`);

  const pick = (emoji: string): void => {
    settings.rememberEmoji(emoji);
    props.onPick(emoji);
  };
  const focusOption = (index: number): void => {
    setActive(index);
    grid?.querySelectorAll<HTMLButtonElement>('[data-testid="emoji-option"]')[index]?.focus();
  };
  const selectTab = (next: Tab): void => {
    setTab(next);
    setActive(0);
  };

  const onGridKey = (event: KeyboardEvent): void => {
    const count = options().length;
    const forward = directionOf(settings.lang()) === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = forward === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
    const steps: Record<string, number> = { [forward]: 1, [back]: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
    let next: number | null = null;
    const step = steps[event.key];
    if (step !== undefined) next = Math.min(count - 1, Math.max(0, active() + step));
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    if (next === null || count === 0) return;
    event.preventDefault();
    focusOption(next);
  };
  const onTabKey = (event: KeyboardEvent): void => {
    const list = tabs();
    const at = list.indexOf(tab());
    const forward = directionOf(settings.lang()) === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    let next: number | null = null;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      next = (at + (event.key === forward ? 1 : list.length - 1)) % list.length;
    } else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = list.length - 1;
    const target = next === null ? undefined : list[next];
    if (target === undefined) return;
    event.preventDefault();
    selectTab(target);
    (event.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-category="${target}"]`)?.focus();
  };
  const onSearchKey = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown' && options().length > 0) {
      event.preventDefault();
      focusOption(0);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const first = options()[0];
      if (first !== undefined) pick(first.emoji);
    }
  };

  return (
    <Dialog title={t('emoji.picker')} testId="emoji-picker" onClose={props.onClose}>
      <div class="emoji-picker">
        <div class="emoji-picker-tools">
          <input
            type="search"
            class="emoji-search"
            aria-label={t('emoji.search')}
            placeholder={t('emoji.search')}
            data-testid="emoji-search"
            autocomplete="off"
            spellcheck={false}
            value={query()}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setActive(0);
            }}
            onKeyDown={onSearchKey}
          />
          <select
            class="emoji-skin-tone"
            aria-label={t('emoji.skinTone')}
            data-testid="emoji-skin-tone"
            value={String(settings.skinTone())}
            onChange={(e) => settings.setSkinTone(Number(e.currentTarget.value) as SkinTone)}
          >
            <For each={SKIN_TONES}>
              {(tone) => (
                <option value={String(tone)}>
                  {`${TONE_SAMPLE[tone] ?? ''} ${t(`emoji.tone${tone}`)}`}
                </option>
              )}
            </For>
          </select>
        </div>
        <Show when={query().trim() === ''}>
          <div class="emoji-tabs" role="tablist" aria-label={t('emoji.categories')} onKeyDown={onTabKey}>
            <For each={tabs()}>
              {(each) => (
                <button
                  type="button"
                  role="tab"
                  class="emoji-tab"
                  aria-selected={tab() === each}
                  aria-label={t(`emoji.category.${each}`)}
                  title={t(`emoji.category.${each}`)}
                  tabIndex={tab() === each ? 0 : -1}
                  data-testid="emoji-category"
                  data-category={each}
                  onClick={() => selectTab(each)}
                >
                  <span aria-hidden="true">{TAB_ICONS[each]}</span>
                </button>
              )}
            </For>
          </div>
        </Show>
        <Show when={entries.state !== 'pending' || tab() === 'recent'} fallback={<p class="emoji-note">{t('common.loading')}</p>}>
          <Show
            when={options().length > 0}
            fallback={
              <p class="emoji-note" role="status">
                {query().trim() !== '' ? t('emoji.noResults') : t('emoji.noRecent')}
              </p>
            }
          >
            <div ref={grid} class="emoji-grid" role="group" aria-label={panelLabel()} onKeyDown={onGridKey}>
              <For each={options()}>
                {(option, index) => (
                  <button
                    type="button"
                    class="emoji-option"
                    aria-label={option.label}
                    title={option.label}
                    tabIndex={index() === Math.min(active(), options().length - 1) ? 0 : -1}
                    data-testid="emoji-option"
                    data-emoji={option.emoji}
                    onFocus={() => setActive(index())}
                    onClick={() => pick(option.emoji)}
                  >
                    {option.emoji}
                  </button>
                )}
              </For>
            </div>
          </Show>
        </Show>
      </div>
    </Dialog>
  );
}
