import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../render';
import { emulateScrolling } from '../scrolling';

const BOB = 1;
const TRIP = 2;
const CAROL = 3;
const ARCHIVE = 5;

async function openChat(id: number): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  return screen.findByTestId('conversation');
}

/** The bubble whose text is `text` (or matches it), if it is in the DOM. */
function findBubble(text: string | RegExp): HTMLElement | undefined {
  const texts = within(screen.getByTestId('message-list')).queryAllByTestId('message-text');
  const el = texts.find((t) => (typeof text === 'string' ? t.textContent === text : text.test(t.textContent ?? '')));
  return (el?.closest('[data-testid="message"]') as HTMLElement | null) ?? undefined;
}

/** The bubble whose text is `text`, once it is shown. */
async function bubble(text: string | RegExp, timeout = 1000): Promise<HTMLElement> {
  let found: HTMLElement | undefined;
  await waitFor(
    () => {
      found = findBubble(text);
      expect(found).toBeDefined();
    },
    { timeout },
  );
  return found as HTMLElement;
}

async function openMenu(text: string): Promise<HTMLElement> {
  fireEvent.contextMenu(await bubble(text));
  return screen.findByTestId('context-menu');
}

function menuIds(menu: HTMLElement): string[] {
  return [...menu.querySelectorAll<HTMLElement>('.menu-item')].map((el) => el.dataset['testid'] ?? '');
}

function messageTexts(): string[] {
  return screen.queryAllByTestId('message-text').map((el) => el.textContent ?? '');
}

/** Whether the message showing `text` is highlighted (as after a jump to it). */
function isHighlighted(text: string | RegExp): boolean {
  return findBubble(text)?.closest('.message')?.classList.contains('highlighted') === true;
}

/** A clipboard that keeps what was written. */
function fakeClipboard(): { text: () => string } {
  let written = '';
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: (value: string) => {
        written = value;
        return Promise.resolve();
      },
    },
  });
  return { text: () => written };
}

afterEach(() => {
  delete (navigator as { clipboard?: unknown }).clipboard;
  vi.useRealTimers();
});

describe('message menu', () => {
  it('offers reactions, forward, pin, select and delete on a stored message', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const menu = await openMenu('Yes! 10 am at the station?');
    expect(menuIds(menu)).toEqual([
      'menu-reply',
      'menu-edit',
      'menu-copy',
      'message-menu-forward',
      'message-menu-pin',
      'message-menu-select',
      'message-menu-delete',
    ]);
    const reactions = within(menu).getAllByTestId('menu-reaction');
    expect(reactions.length).toBeGreaterThan(0);
    expect(reactions[0]?.dataset['emoji']).toBe('👍');
    expect(within(menu).getByTestId('message-menu-react')).toBeTruthy();
    // Focus starts on the first action, not on a reaction.
    expect(document.activeElement).toBe(within(menu).getByTestId('menu-reply'));
  });

  it('reacts with a quick reaction, and takes it back the second time', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const react = vi.spyOn(platform, 'react');
    let menu = await openMenu('Perfect. I will bring the map.');
    fireEvent.click(within(menu).getAllByTestId('menu-reaction')[0] as HTMLElement);
    expect(screen.queryByTestId('context-menu')).toBeNull();
    expect(react).toHaveBeenLastCalledWith(BOB, 3, '👍', true);
    await waitFor(async () => {
      const [view] = await platform.history(BOB, 4, 1);
      expect(view?.reactions[0]?.mine).toBe(true);
    });
    menu = await openMenu('Perfect. I will bring the map.');
    const thumbs = within(menu).getAllByTestId('menu-reaction')[0] as HTMLElement;
    expect(thumbs.getAttribute('aria-label')).toContain('Take back');
    fireEvent.click(thumbs);
    expect(react).toHaveBeenLastCalledWith(BOB, 3, '👍', false);
  });

  it('reacts with any emoji through "React…"', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const react = vi.spyOn(platform, 'react');
    fireEvent.click(within(await openMenu('Perfect. I will bring the map.')).getByTestId('message-menu-react'));
    const picker = await screen.findByTestId('emoji-picker');
    const options = await within(picker).findAllByTestId('emoji-option', {}, { timeout: 5000 });
    const emoji = options[0]?.dataset['emoji'] ?? '';
    fireEvent.click(options[0] as HTMLElement);
    expect(react).toHaveBeenLastCalledWith(BOB, 3, emoji, true);
    await waitFor(() => expect(screen.queryByTestId('emoji-picker')).toBeNull());
  });

  it('shows Pin to a group admin and to either side of a direct chat, not to a group member', async () => {
    renderApp({ signedInAs: 'bob' });
    await openChat(TRIP);
    let menu = await openMenu('Who is driving?');
    expect(menuIds(menu)).not.toContain('message-menu-pin');
    expect(menuIds(menu)).toContain('message-menu-forward');
    fireEvent.keyDown(menu, { key: 'Escape' });

    await openChat(BOB);
    menu = await openMenu('Yes! 10 am at the station?');
    expect(menuIds(menu)).toContain('message-menu-pin');
  });

  it('shows Pin to the admin of a group', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(TRIP);
    const menu = await openMenu('Who is driving?');
    expect(menuIds(menu)).toContain('message-menu-pin');
  });

  it('sends a failed message again and drops the failed copy', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', ackDelay: 60_000 });
    await openChat(BOB);
    const composer = screen.getByTestId('composer') as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'Try again' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    const pending = await bubble('Try again');
    const localId = pending.dataset['localId'] ?? '';
    platform.hostEvent({ type: 'messageFailed', chat: BOB, localId, reason: 'refused' });
    await waitFor(() => expect(pending.dataset['state']).toBe('failed'));

    fireEvent.contextMenu(pending);
    const menu = await screen.findByTestId('context-menu');
    expect(menuIds(menu)).toEqual(['message-menu-retry', 'menu-copy', 'message-menu-delete']);
    expect(within(menu).queryByTestId('menu-reaction')).toBeNull();
    fireEvent.click(within(menu).getByTestId('message-menu-retry'));
    await waitFor(() => {
      const copies = screen.getAllByTestId('message').filter((el) => el.textContent?.includes('Try again'));
      expect(copies.map((el) => el.dataset['state'])).toEqual(['pending']);
    });
    expect((await bubble('Try again')).dataset['localId']).not.toBe(localId);
  });
});

describe('deleting messages', () => {
  it('deletes for me: the row goes, for this device only', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const menu = await openMenu('Perfect. I will bring the map.');
    fireEvent.click(within(menu).getByTestId('message-menu-delete'));
    const dialog = await screen.findByTestId('delete-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('Delete message');
    // Someone else's message in a direct chat: for me only.
    expect(within(dialog).queryByTestId('delete-for-everyone')).toBeNull();
    fireEvent.click(within(dialog).getByTestId('delete-for-me'));
    await waitFor(() => expect(messageTexts()).not.toContain('Perfect. I will bring the map.'));
    expect(screen.queryByTestId('delete-dialog')).toBeNull();
    expect(messageTexts()).not.toContain('Message deleted');
    // Still there for the others (the host only hides it here).
    const history = await platform.history(BOB, null, 10);
    expect(history.map((m) => m.text)).not.toContain('Perfect. I will bring the map.');
  });

  it('deletes an own message for everyone', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const menu = await openMenu('Yes! 10 am at the station?');
    fireEvent.click(within(menu).getByTestId('message-menu-delete'));
    const dialog = await screen.findByTestId('delete-dialog');
    fireEvent.click(within(dialog).getByTestId('delete-for-everyone'));
    await waitFor(() => expect(messageTexts()).toContain('Message deleted'));
    expect(messageTexts()).not.toContain('Yes! 10 am at the station?');
  });

  it('drops rows removed on this device by the host', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const row = await bubble('Just saw it. Great news!');
    platform.hostEvent({ type: 'messagesRemoved', chat: BOB, localIds: [row.dataset['localId'] ?? ''] });
    await waitFor(() => expect(messageTexts()).not.toContain('Just saw it. Great news!'));
  });
});

describe('forwarding', () => {
  it('forwards a message to a chat picked from a filtered list and opens that chat', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const menu = await openMenu('Perfect. I will bring the map.');
    fireEvent.click(within(menu).getByTestId('message-menu-forward'));
    const dialog = await screen.findByTestId('forward-dialog');
    expect(within(dialog).getByTestId(`forward-target-${CAROL}`)).toBeTruthy();
    // The group this account is in is offered.
    expect(within(dialog).getByTestId(`forward-target-${TRIP}`)).toBeTruthy();
    // Diacritics and case do not matter.
    fireEvent.input(within(dialog).getByTestId('forward-filter'), { target: { value: 'CÁROL' } });
    await waitFor(() => expect(within(dialog).queryByTestId(`forward-target-${BOB}`)).toBeNull());
    fireEvent.click(within(dialog).getByTestId(`forward-target-${CAROL}`));

    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(CAROL)));
    expect(screen.queryByTestId('forward-dialog')).toBeNull();
    await waitFor(() => expect(messageTexts()).toContain('Perfect. I will bring the map.'));
    const [forwarded] = await platform.history(CAROL, null, 1);
    expect(forwarded?.text).toBe('Perfect. I will bring the map.');
    expect(forwarded?.forwardedFrom?.name).toBe('bob');
  });

  it('says so when no chat matches', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(within(await openMenu('Perfect. I will bring the map.')).getByTestId('message-menu-forward'));
    const dialog = await screen.findByTestId('forward-dialog');
    fireEvent.input(within(dialog).getByTestId('forward-filter'), { target: { value: 'nobody-here' } });
    expect((await within(dialog).findByTestId('forward-empty')).textContent).toBe('No chats found.');
  });
});

describe('selecting messages', () => {
  it('selects a range with Shift+click, copies the texts and leaves with Esc', async () => {
    const clipboard = fakeClipboard();
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(within(await openMenu('Yes! 10 am at the station?')).getByTestId('message-menu-select'));
    const bar = await screen.findByTestId('selection-bar');
    expect(screen.queryByTestId('composer')).toBeNull();
    expect(within(bar).getByTestId('selection-count').textContent).toBe('1 message selected');

    const rowOf = async (text: string) => (await bubble(text)).closest('[data-testid="message-row"]') as HTMLElement;
    expect((await rowOf('Yes! 10 am at the station?')).dataset['selected']).toBe('true');
    const last = within(await rowOf('Just saw it. Great news!')).getByTestId('message-select');
    fireEvent.click(last, { shiftKey: true });
    expect(within(bar).getByTestId('selection-count').textContent).toBe('4 messages selected');
    expect(last.getAttribute('aria-checked')).toBe('true');
    const selected = screen.getAllByTestId('message-row').filter((el) => el.dataset['selected'] === 'true');
    expect(selected.length).toBe(4);

    // A plain click takes one back out.
    fireEvent.click(within(await rowOf('Perfect. I will bring the map.')).getByTestId('message-select'));
    expect(within(bar).getByTestId('selection-count').textContent).toBe('3 messages selected');

    fireEvent.click(within(bar).getByTestId('selection-copy'));
    expect(clipboard.text()).toBe(
      ['alice: Yes! 10 am at the station?', 'alice: Did you see the forecast? Sunny all weekend ☀️', 'bob: Just saw it. Great news!'].join(
        '\n',
      ),
    );
    expect(screen.queryByTestId('selection-bar')).toBeNull();

    fireEvent.click(within(await openMenu('Just saw it. Great news!')).getByTestId('message-menu-select'));
    await screen.findByTestId('selection-bar');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('selection-bar')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('composer')));
  });

  it('deletes and forwards the selected messages', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(within(await openMenu('Hey Alice! Are we still on for Saturday?')).getByTestId('message-menu-select'));
    const row = (await bubble('Perfect. I will bring the map.')).closest('[data-testid="message-row"]') as HTMLElement;
    fireEvent.click(within(row).getByTestId('message-select'));
    fireEvent.click(screen.getByTestId('selection-forward'));
    fireEvent.click(within(await screen.findByTestId('forward-dialog')).getByTestId(`forward-target-${CAROL}`));
    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(CAROL)));
    const forwarded = (await platform.history(CAROL, null, 10)).filter((m) => m.forwardedFrom !== null);
    const texts = forwarded.map((m) => m.text).reverse();
    expect(texts).toEqual(['Hey Alice! Are we still on for Saturday?', 'Perfect. I will bring the map.']);

    await openChat(BOB);
    fireEvent.click(within(await openMenu('Just saw it. Great news!')).getByTestId('message-menu-select'));
    const next = (await bubble('Also: can you send me the photos from last time?')).closest('[data-testid="message-row"]') as HTMLElement;
    fireEvent.click(within(next).getByTestId('message-select'));
    fireEvent.click(screen.getByTestId('selection-delete'));
    const dialog = await screen.findByTestId('delete-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('Delete 2 messages');
    fireEvent.click(within(dialog).getByTestId('delete-for-me'));
    await waitFor(() => expect(messageTexts()).not.toContain('Just saw it. Great news!'));
    expect(messageTexts()).not.toContain('Also: can you send me the photos from last time?');
    expect(screen.queryByTestId('selection-bar')).toBeNull();
  });
});

describe('pinned messages', () => {
  it('shows the pinned bar after pinning, jumps on click, cycles, and hides after unpinning', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    expect(screen.queryByTestId('pinned-bar')).toBeNull();
    fireEvent.click(within(await openMenu('Perfect. I will bring the map.')).getByTestId('message-menu-pin'));
    const bar = await screen.findByTestId('pinned-bar');
    expect(within(bar).getByTestId('pinned-bar-text').textContent).toBe('Perfect. I will bring the map.');
    expect(within(bar).getByTestId('pinned-bar-title').textContent).toBe('Pinned message');

    fireEvent.click(within(await openMenu('Hey Alice! Are we still on for Saturday?')).getByTestId('message-menu-pin'));
    await waitFor(() =>
      expect(within(screen.getByTestId('pinned-bar')).getByTestId('pinned-bar-title').textContent).toBe('Pinned message 1 of 2'),
    );
    const text = () => within(screen.getByTestId('pinned-bar')).getByTestId('pinned-bar-text').textContent;
    expect(text()).toBe('Hey Alice! Are we still on for Saturday?');

    fireEvent.click(within(screen.getByTestId('pinned-bar')).getByRole('button', { name: /Go to pinned message/ }));
    await waitFor(() => expect(isHighlighted('Hey Alice! Are we still on for Saturday?')).toBe(true));
    expect(text()).toBe('Perfect. I will bring the map.');
    expect(within(screen.getByTestId('pinned-bar')).getByTestId('pinned-bar-title').textContent).toBe('Pinned message 2 of 2');
    fireEvent.click(within(screen.getByTestId('pinned-bar')).getByRole('button', { name: /Go to pinned message/ }));
    await waitFor(() => expect(isHighlighted('Perfect. I will bring the map.')).toBe(true));
    expect(text()).toBe('Hey Alice! Are we still on for Saturday?');

    // The message menu now offers Unpin.
    const menu = await openMenu('Hey Alice! Are we still on for Saturday?');
    expect(within(menu).getByTestId('message-menu-pin').textContent).toBe('Unpin');
    fireEvent.keyDown(menu, { key: 'Escape' });

    fireEvent.click(screen.getByTestId('pinned-bar-unpin'));
    await waitFor(() => expect(text()).toBe('Perfect. I will bring the map.'));
    fireEvent.click(screen.getByTestId('pinned-bar-unpin'));
    await waitFor(() => expect(screen.queryByTestId('pinned-bar')).toBeNull());
  });

  it('loads older history to show a pinned message far back', async () => {
    const restore = emulateScrolling(600);
    try {
      const { platform } = renderApp({ signedInAs: 'alice', archiveSize: 600 });
      await screen.findByTestId(`chat-item-${ARCHIVE}`);
      await platform.pinMessage(ARCHIVE, 10, true);
      await openChat(ARCHIVE);
      const bar = await screen.findByTestId('pinned-bar');
      expect(within(bar).getByTestId('pinned-bar-text').textContent).toMatch(/^#10 /);
      expect(findBubble(/^#10 /)).toBeUndefined();
      fireEvent.click(within(bar).getByRole('button', { name: /Go to pinned message/ }));
      await bubble(/^#10 /, 3000);
      expect(isHighlighted(/^#10 /)).toBe(true);
    } finally {
      restore();
    }
  });

  it('keeps showing the pinned bar without the unpin button to whoever may not unpin', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(TRIP);
    fireEvent.click(within(await openMenu('Who is driving?')).getByTestId('message-menu-pin'));
    await screen.findByTestId('pinned-bar-unpin');
    platform.removeMe(TRIP);
    await screen.findByTestId('not-member');
    expect(screen.queryByTestId('pinned-bar-unpin')).toBeNull();
    expect(within(screen.getByTestId('pinned-bar')).getByTestId('pinned-bar-text').textContent).toBe('Who is driving?');
  });
});

describe('search in the chat', () => {
  it('opens with Ctrl+F, counts the hits, moves between them and closes with Esc', async () => {
    const { state } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('composer')));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'f', ctrlKey: true });
    const bar = await screen.findByTestId('chat-search');
    const input = within(bar).getByTestId('chat-search-input') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    fireEvent.input(input, { target: { value: 'the' } });
    const count = within(bar).getByTestId('chat-search-count');
    await waitFor(() => expect(count.textContent).toBe('1 of 4'));
    await waitFor(() => expect(isHighlighted('Also: can you send me the photos from last time?')).toBe(true));

    fireEvent.click(within(bar).getByTestId('chat-search-next'));
    expect(count.textContent).toBe('2 of 4');
    await waitFor(() => expect(isHighlighted('Did you see the forecast? Sunny all weekend ☀️')).toBe(true));
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(count.textContent).toBe('3 of 4');
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(count.textContent).toBe('2 of 4');
    fireEvent.click(within(bar).getByTestId('chat-search-prev'));
    expect(count.textContent).toBe('1 of 4');

    state.settings.setLang('ar');
    await waitFor(() => expect(count.textContent).toBe('١ من ٤'));
    state.settings.setLang('en');

    fireEvent.input(input, { target: { value: 'zebra' } });
    await waitFor(() => expect(count.textContent).toBe('No results'));

    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('chat-search')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('composer'));
  });

  it('jumps to the first message of a day, and says when there is none from that day on', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('chat-search-open'));
    fireEvent.click(within(await screen.findByTestId('chat-search')).getByTestId('chat-search-date'));
    const dialog = await screen.findByTestId('jump-date-dialog');
    const input = within(dialog).getByTestId('jump-date-input') as HTMLInputElement;
    expect(input.type).toBe('date');
    const day = (offset: number): string => {
      const d = new Date();
      d.setDate(d.getDate() + offset);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    fireEvent.input(input, { target: { value: day(1) } });
    fireEvent.click(within(dialog).getByTestId('jump-date-submit'));
    expect((await within(dialog).findByTestId('jump-date-none')).textContent).toBe('There are no messages from that day on.');

    fireEvent.input(input, { target: { value: day(-3) } });
    fireEvent.click(within(dialog).getByTestId('jump-date-submit'));
    await waitFor(() => expect(screen.queryByTestId('jump-date-dialog')).toBeNull());
    await waitFor(() => expect(isHighlighted('Hey Alice! Are we still on for Saturday?')).toBe(true));
  });
});
