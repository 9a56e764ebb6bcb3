import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';
import { emulateScrolling } from '../scrolling';

const BOB = 1;
const TRIP = 2;

async function openChat(id: number) {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  return screen.findByTestId('conversation');
}

function composer(): HTMLTextAreaElement {
  return screen.getByTestId('composer') as HTMLTextAreaElement;
}

function type(text: string): void {
  fireEvent.input(composer(), { target: { value: text } });
}

function messageTexts(): string[] {
  return screen.queryAllByTestId('message-text').map((el) => el.textContent ?? '');
}

describe('chat list', () => {
  it('shows unread badges and the pinned chat first, and a new message moves its chat up', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const list = await screen.findByTestId('chat-list');
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBe(4));
    const order = () => within(list).getAllByRole('option').map((el) => el.dataset['testid']);
    expect(order()).toEqual(['chat-item-1', 'chat-item-2', 'chat-item-3', 'chat-item-4']);
    expect(within(screen.getByTestId('chat-item-1')).getByTestId('unread-badge').textContent).toBe('2');
    expect(within(screen.getByTestId('chat-item-3')).queryByTestId('unread-badge')).toBeNull();

    platform.deliver(3, 'carol', 'Are you there?');
    await waitFor(() => expect(order()).toEqual(['chat-item-1', 'chat-item-3', 'chat-item-2', 'chat-item-4']));
    const carol = screen.getByTestId('chat-item-3');
    expect(within(carol).getByTestId('unread-badge').textContent).toBe('1');
    expect(within(carol).getByTestId('chat-preview').textContent).toContain('Are you there?');
  });

  it('updates a chat row in place, so keyboard focus stays on it when a message arrives', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const row = await screen.findByTestId('chat-item-2');
    row.focus();
    expect(document.activeElement).toBe(row);
    platform.deliver(2, 'bob', 'Still there?');
    await waitFor(() => expect(within(row).getByTestId('chat-preview').textContent).toContain('Still there?'));
    expect(screen.getByTestId('chat-item-2')).toBe(row);
    expect(document.activeElement).toBe(row);
  });

  it('names a row by what it shows, with the unread count and the pinned state in words', async () => {
    renderApp({ signedInAs: 'alice' });
    const row = await screen.findByTestId(`chat-item-${BOB}`);
    await waitFor(() => expect(within(row).getByTestId('unread-badge').textContent).toBe('2'));
    const shown = [
      within(row).getByTestId('chat-title').textContent ?? '',
      row.querySelector('time')?.textContent ?? '',
      within(row).getByTestId('chat-preview').textContent ?? '',
    ];
    expect(shown).toEqual(['bob', expect.stringMatching(/\S/), 'Also: can you send me the photos from last time?']);
    const said = [...shown, '2 unread messages', 'Pinned'];
    expect(screen.getByRole('option', { name: (name) => said.every((part) => name.includes(part)) })).toBe(row);
  });

  it('says when it is offline or reconnecting', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    expect(screen.queryByTestId('connection-state')).toBeNull();
    platform.setConnection('offline');
    expect((await screen.findByTestId('connection-state')).textContent).toBe('Waiting for network…');
    platform.setConnection('connecting');
    await waitFor(() => expect(screen.getByTestId('connection-state').textContent).toBe('Connecting…'));
    platform.setConnection('online');
    await waitFor(() => expect(screen.queryByTestId('connection-state')).toBeNull());
  });

  it('finds chats and messages from the search box, and Ctrl+K focuses it', async () => {
    renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const search = screen.getByTestId('search-input');
    expect(document.activeElement).toBe(search);
    fireEvent.input(search, { target: { value: 'snacks' } });
    const hit = await screen.findByTestId('search-hit');
    expect(within(hit).getByText('snacks').tagName).toBe('MARK');
    fireEvent.click(hit);
    await screen.findByTestId('conversation');
    await waitFor(() => expect(messageTexts()).toContain('I will bring snacks 🍪'));
  });
});

describe('conversation', () => {
  it('shows a sent message as pending, then sent, then read by the peer', async () => {
    renderApp({ signedInAs: 'alice', simulatePeers: true });
    await openChat(BOB);
    type('See you at 10');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(composer().value).toBe('');
    const list = screen.getByTestId('message-list');
    const bubble = () => within(list).getByText('See you at 10').closest('[data-testid="message"]') as HTMLElement;
    const tick = () => within(bubble()).getByTestId('ticks').getAttribute('aria-label');
    await within(list).findByText('See you at 10');
    expect(tick()).toBe('Sending');
    expect(bubble().dataset['seq']).toBe('');
    await waitFor(() => expect(tick()).toBe('Sent'));
    expect(bubble().dataset['seq']).toBe('7');
    await waitFor(() => expect(tick()).toBe('Read'), { timeout: 2000 });
  });

  it('Shift+Enter adds a line instead of sending', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    type('line one');
    fireEvent.keyDown(composer(), { key: 'Enter', shiftKey: true });
    expect(composer().value).toBe('line one');
    expect(messageTexts()).not.toContain('line one');
  });

  it('keeps a draft per chat', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    type('half a thought');
    await openChat(TRIP);
    expect(composer().value).toBe('');
    await openChat(BOB);
    expect(composer().value).toBe('half a thought');
  });

  it('Up in an empty composer edits my last message; Enter saves it; Esc cancels', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.keyDown(composer(), { key: 'ArrowUp' });
    await screen.findByTestId('editing-bar');
    expect(composer().value).toBe('Did you see the forecast? Sunny all weekend ☀️');
    fireEvent.keyDown(composer(), { key: 'Escape' });
    expect(screen.queryByTestId('editing-bar')).toBeNull();
    expect(composer().value).toBe('');

    fireEvent.keyDown(composer(), { key: 'ArrowUp' });
    type('Sunny all weekend!');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await waitFor(() => expect(messageTexts()).toContain('Sunny all weekend!'));
    const edited = screen.getByText('Sunny all weekend!').closest('[data-testid="message"]') as HTMLElement;
    expect(within(edited).getByTestId('message-edited').textContent).toBe('edited');
  });

  it('deletes and replies from the context menu', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const own = (await screen.findByText('Yes! 10 am at the station?')).closest('[data-testid="message"]') as HTMLElement;
    fireEvent.contextMenu(own);
    const menu = await screen.findByTestId('context-menu');
    const actions = [...menu.querySelectorAll('.menu-item')].map((el) => el.textContent);
    expect(actions).toEqual(['Reply', 'Edit', 'Copy text', 'Forward', 'Pin', 'Select', 'Delete']);
    fireEvent.click(within(menu).getByTestId('message-menu-delete'));
    fireEvent.click(within(await screen.findByTestId('delete-dialog')).getByTestId('delete-for-everyone'));
    await waitFor(() => expect(own.dataset['seq'] === '2' && messageTexts()).toContain('Message deleted'));
    expect(messageTexts()).not.toContain('Yes! 10 am at the station?');

    const theirs = screen.getByText('Perfect. I will bring the map.').closest('[data-testid="message"]') as HTMLElement;
    fireEvent.contextMenu(theirs);
    const second = await screen.findByTestId('context-menu');
    expect(within(second).queryByTestId('menu-edit')).toBeNull();
    fireEvent.click(within(second).getByTestId('menu-reply'));
    expect((await screen.findByTestId('reply-bar')).textContent).toContain('Reply to \u2068bob\u2069');
    type('Thanks!');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    const reply = (await within(screen.getByTestId('message-list')).findByText('Thanks!')).closest('[data-testid="message"]') as HTMLElement;
    expect(within(reply).getByTestId('message-reply-quote').textContent).toContain('Perfect. I will bring the map.');
  });

  it('is usable from the keyboard: arrows walk messages, Enter opens the menu, Esc closes it', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const list = screen.getByTestId('message-list');
    await waitFor(() => expect(messageTexts().length).toBe(6));
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    const newest = document.activeElement as HTMLElement;
    expect(within(newest).getByTestId('message-text').textContent).toBe('Also: can you send me the photos from last time?');
    fireEvent.keyDown(newest, { key: 'ArrowUp' });
    const previous = document.activeElement as HTMLElement;
    expect(within(previous).getByTestId('message-text').textContent).toBe('Just saw it. Great news!');
    fireEvent.keyDown(previous, { key: 'Enter' });
    const menu = await screen.findByTestId('context-menu');
    expect(document.activeElement).toBe(within(menu).getByTestId('menu-reply'));
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByTestId('context-menu')).toBeNull();
    expect(document.activeElement).toBe(previous);
  });

  it('shows the new-messages divider above the first unread message and clears the badge', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const divider = await screen.findByTestId('unread-divider');
    const row = divider.closest('.message-row') as HTMLElement;
    expect(within(row).getByTestId('message-text').textContent).toBe('Just saw it. Great news!');
    await waitFor(() => expect(within(screen.getByTestId('chat-item-1')).queryByTestId('unread-badge')).toBeNull());
  });

  it('shows sender names and initials in groups, and who is typing', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(TRIP);
    await waitFor(() => expect(screen.getAllByTestId('message-sender').map((el) => el.textContent)).toContain('dave'));
    expect(screen.getAllByTestId('avatar').some((el) => el.textContent === 'D')).toBe(true);
    expect(screen.getAllByTestId('day-separator').length).toBeGreaterThanOrEqual(1);
    platform.peerTyping(TRIP, 'carol');
    await waitFor(() => expect(screen.getByTestId('typing-indicator').textContent).toContain('carol'));
    expect(screen.getByTestId('typing-indicator').textContent).toContain('is typing');
  });

  it('keeps only a window of a 100,000-message chat in the DOM and loads older pages on demand', async () => {
    const restore = emulateScrolling(600);
    try {
      const { state } = renderApp({ signedInAs: 'alice', archiveSize: 100_000 });
      await openChat(5);
      await waitFor(() => expect(screen.getAllByTestId('message').length).toBeGreaterThan(0));
      const list = screen.getByTestId('message-list');
      expect(list.scrollTop).toBeGreaterThan(1000);
      expect(screen.getAllByTestId('message').length).toBeLessThan(40);
      const shown = () => screen.getAllByTestId('message').map((el) => Number(el.dataset['seq']));
      expect(Math.max(...shown())).toBe(100_000);
      const loaded = state.conversations.get(5).messages().length;
      expect(loaded).toBeLessThan(300);

      list.scrollTop = 0;
      fireEvent.scroll(list);
      await waitFor(() => expect(state.conversations.get(5).messages().length).toBeGreaterThan(loaded));
      expect(list.scrollTop).toBeGreaterThan(0);
      expect(screen.getAllByTestId('message').length).toBeLessThan(40);
      expect(Math.max(...shown())).toBeLessThan(100_000);

      fireEvent.click(screen.getByTestId('scroll-to-bottom'));
      await waitFor(() => expect(Math.max(...shown())).toBe(100_000));
      expect(screen.queryByTestId('scroll-to-bottom')).toBeNull();
    } finally {
      restore();
    }
  });
});
