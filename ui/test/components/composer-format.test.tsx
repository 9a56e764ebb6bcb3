// The composer's formatting shortcuts, link dialog, emoji button and @mention suggestions.

import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Composer } from '../../src/components/Composer';
import { MemoryPlatform } from '../../src/platform/memory';
import { AppContext, createAppState } from '../../src/stores/app';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;

async function renderComposer(chat: number) {
  const platform = new MemoryPlatform({ signedInAs: 'alice' });
  const state = createAppState(platform);
  await state.session.refresh();
  await state.chats.load();
  const sent: string[] = [];
  render(() => (
    <AppContext.Provider value={state}>
      <Composer
        chat={chat}
        replyTo={null}
        editing={null}
        onSend={(text) => sent.push(text)}
        onSaveEdit={() => undefined}
        onCancel={() => undefined}
        onEditLast={() => undefined}
        ref={() => undefined}
      />
    </AppContext.Provider>
  ));
  const box = screen.getByTestId('composer') as HTMLTextAreaElement;
  return { platform, state, sent, box };
}

function typeInto(box: HTMLTextAreaElement, value: string, caret = value.length): void {
  box.focus();
  box.value = value;
  box.setSelectionRange(caret, caret);
  fireEvent.input(box, { target: { value } });
}

describe('composer formatting', () => {
  it('wraps the selection in marks and unwraps it again', async () => {
    const { box } = await renderComposer(BOB);
    typeInto(box, 'say hello now');
    box.setSelectionRange(4, 9);
    fireEvent.keyDown(box, { key: 'b', ctrlKey: true });
    expect(box.value).toBe('say **hello** now');
    expect([box.selectionStart, box.selectionEnd]).toEqual([6, 11]);
    fireEvent.keyDown(box, { key: 'b', ctrlKey: true });
    expect(box.value).toBe('say hello now');
    const marks: [Record<string, unknown>, string][] = [
      [{ key: 'i', ctrlKey: true }, '__'],
      [{ key: 'u', ctrlKey: true }, '++'],
      [{ key: 'X', ctrlKey: true, shiftKey: true }, '~~'],
      [{ key: 'P', ctrlKey: true, shiftKey: true }, '||'],
      [{ key: 'M', ctrlKey: true, shiftKey: true }, '`'],
    ];
    for (const [keys, mark] of marks) {
      typeInto(box, '');
      fireEvent.keyDown(box, keys);
      expect(box.value).toBe(mark + mark);
      expect(box.selectionStart).toBe(mark.length);
    }
  });

  it('keeps the draft in step with a shortcut', async () => {
    const { box, state } = await renderComposer(BOB);
    typeInto(box, 'x');
    box.setSelectionRange(0, 1);
    fireEvent.keyDown(box, { key: 'i', ctrlKey: true });
    expect(state.drafts.get(BOB)).toBe('__x__');
  });

  it('inserts a link from the Ctrl+K dialog, prefilled with the selection', async () => {
    const { box } = await renderComposer(BOB);
    typeInto(box, 'read the docs please');
    box.setSelectionRange(9, 13);
    fireEvent.keyDown(box, { key: 'k', ctrlKey: true });
    const dialog = await screen.findByTestId('link-dialog');
    expect((within(dialog).getByTestId('link-dialog-text') as HTMLInputElement).value).toBe('docs');
    fireEvent.input(within(dialog).getByTestId('link-dialog-url'), { target: { value: 'javascript:alert(1)' } });
    fireEvent.click(within(dialog).getByTestId('link-dialog-submit'));
    expect(within(dialog).getByTestId('form-error')).toBeTruthy();
    fireEvent.input(within(dialog).getByTestId('link-dialog-url'), { target: { value: 'example.com/docs' } });
    fireEvent.click(within(dialog).getByTestId('link-dialog-submit'));
    await waitFor(() => expect(box.value).toBe('read the [docs](https://example.com/docs) please'));
    expect(screen.queryByTestId('link-dialog')).toBeNull();
  });

  it('inserts a picked emoji at the caret', async () => {
    const { box } = await renderComposer(BOB);
    typeInto(box, 'hi there', 2);
    fireEvent.click(screen.getByTestId('composer-emoji'));
    await screen.findByTestId('emoji-picker');
    fireEvent.input(screen.getByTestId('emoji-search'), { target: { value: 'thumbs up' } });
    fireEvent.click(await screen.findByRole('button', { name: 'thumbs up' }));
    await waitFor(() => expect(box.value).toBe('hi👍️ there'));
    expect(screen.queryByTestId('emoji-picker')).toBeNull();
  });
});

describe('mention suggestions', () => {
  it('suggests group members by username prefix, ignoring case and accents, without me', async () => {
    const { box } = await renderComposer(TRIP);
    typeInto(box, 'hey @');
    const list = await screen.findByTestId('mention-suggestions');
    expect(within(list).getAllByTestId('mention-option').map((o) => o.dataset['username'])).toEqual(['bob', 'carol', 'dave']);
    typeInto(box, 'hey @CÀ');
    await waitFor(() =>
      expect(screen.getAllByTestId('mention-option').map((o) => o.dataset['username'])).toEqual(['carol']),
    );
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('mention-option').id);
  });

  it('picks with the arrow keys and Enter, inserting "@name "', async () => {
    const { box, sent } = await renderComposer(TRIP);
    typeInto(box, 'ask @');
    await screen.findByTestId('mention-suggestions');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('mention-option')[1]?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('ask @carol ');
    expect(sent).toEqual([]);
    expect(screen.queryByTestId('mention-suggestions')).toBeNull();
  });

  it('closes with Esc and shows nothing in a direct chat', async () => {
    const first = await renderComposer(TRIP);
    typeInto(first.box, '@d');
    await screen.findByTestId('mention-suggestions');
    fireEvent.keyDown(first.box, { key: 'Escape' });
    expect(screen.queryByTestId('mention-suggestions')).toBeNull();
    document.body.innerHTML = '';
    const direct = await renderComposer(BOB);
    typeInto(direct.box, '@b');
    expect(screen.queryByTestId('mention-suggestions')).toBeNull();
  });
});

describe('Ctrl+K in the app', () => {
  it('opens the link dialog from the composer and focuses the search box elsewhere', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
    const box = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    box.focus();
    fireEvent.keyDown(box, { key: 'k', ctrlKey: true });
    await screen.findByTestId('link-dialog');
    expect(document.activeElement).not.toBe(screen.getByTestId('search-input'));
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('link-dialog')).toBeNull());
    fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('search-input'));
  });
});
