// The emoji picker: categories, recent emojis, skin tone, keyboard and Esc.

import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { EmojiPicker } from '../../src/components/EmojiPicker';
import { MemoryPlatform } from '../../src/platform/memory';
import { AppContext, createAppState } from '../../src/stores/app';

function renderPicker() {
  window.localStorage.clear();
  const state = createAppState(new MemoryPlatform({ signedInAs: 'alice' }), { storage: window.localStorage });
  const picked: string[] = [];
  let closed = 0;
  render(() => (
    <AppContext.Provider value={state}>
      <EmojiPicker onPick={(emoji) => picked.push(emoji)} onClose={() => closed++} />
    </AppContext.Provider>
  ));
  return { state, picked, closed: () => closed };
}

const options = (): HTMLElement[] => screen.getAllByTestId('emoji-option');

describe('emoji picker', () => {
  it('shows a category, moves with the arrow keys and picks with Enter', async () => {
    const { picked, state } = renderPicker();
    await waitFor(() => expect(options().length).toBeGreaterThan(50));
    expect(screen.getByTestId('emoji-search')).toBe(document.activeElement);
    fireEvent.keyDown(screen.getByTestId('emoji-search'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(options()[0]);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowRight' });
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(options()[9]);
    expect(options().filter((o) => o.tabIndex === 0)).toEqual([options()[9]]);
    fireEvent.click(document.activeElement as HTMLElement);
    const emoji = options()[9]?.dataset['emoji'] ?? '';
    expect(picked).toEqual([emoji]);
    expect(state.settings.recentEmojis()).toEqual([emoji]);
    expect(JSON.parse(window.localStorage.getItem('wren.settings') ?? '{}').recentEmojis).toEqual([emoji]);
  });

  it('applies the skin tone to emojis that take one', async () => {
    const { state } = renderPicker();
    fireEvent.click(await screen.findByRole('tab', { name: 'People & body' }));
    await waitFor(() => expect(options().some((o) => o.dataset['emoji'] === '👋')).toBe(true));
    fireEvent.change(screen.getByTestId('emoji-skin-tone'), { target: { value: '4' } });
    await waitFor(() => expect(options().some((o) => o.dataset['emoji'] === '👋🏾')).toBe(true));
    expect(state.settings.skinTone()).toBe(4);
  });

  it('lists recent emojis first, most recent first, and closes on Esc', async () => {
    window.localStorage.clear();
    const state = createAppState(new MemoryPlatform({ signedInAs: 'alice' }), { storage: window.localStorage });
    state.settings.rememberEmoji('🎉');
    state.settings.rememberEmoji('🔥');
    let closed = 0;
    render(() => (
      <AppContext.Provider value={state}>
        <EmojiPicker onPick={() => undefined} onClose={() => closed++} />
      </AppContext.Provider>
    ));
    expect(screen.getByRole('tab', { name: 'Recently used' }).getAttribute('aria-selected')).toBe('true');
    expect(options().map((o) => o.dataset['emoji'])).toEqual(['🔥', '🎉']);
    await waitFor(() => expect(options()[0]?.getAttribute('aria-label')).toBe('fire'));
    fireEvent.keyDown(screen.getByTestId('emoji-search'), { key: 'Escape' });
    expect(closed).toBe(1);
  });
});
