// A message's formatted text, links, mentions, spoilers, "forwarded from" and reactions.

import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { MessageRow } from '../../src/components/MessageRow';
import { MemoryPlatform } from '../../src/platform/memory';
import { parseMessage } from '../../src/platform/memoryMarkdown';
import type { MessageView } from '../../src/platform/types';
import { AppContext, createAppState } from '../../src/stores/app';
import { alice, bob, chat, message } from '../fixtures';

function renderRow(view: MessageView) {
  const platform = new MemoryPlatform({ signedInAs: 'alice' });
  const state = createAppState(platform);
  const errors: string[] = [];
  const [row] = [view];
  const result = render(() => (
    <AppContext.Provider value={state}>
      <MessageRow
        message={row}
        previous={undefined}
        chat={chat()}
        now={Date.now()}
        firstUnread={false}
        highlighted={false}
        quoted={undefined}
        onMenu={() => undefined}
        onQuoteClick={() => undefined}
        onError={(text) => errors.push(text)}
      />
    </AppContext.Provider>
  ));
  return { ...result, platform, state, errors, bubble: screen.getByTestId('message') };
}

/** A message from bob as the engine reads `markdown`. */
function formatted(markdown: string, overrides: Partial<MessageView> = {}): MessageView {
  return message({ ...parseMessage(markdown), ...overrides });
}

describe('formatted message text', () => {
  it('renders bold, italic, underline, strike, code and code blocks as elements', () => {
    const { bubble } = renderRow(formatted('**b** __i__ ++u++ ~~s~~ `c`\n```js\nlet x;\n```'));
    expect(bubble.querySelector('strong')?.textContent).toBe('b');
    expect(bubble.querySelector('em')?.textContent).toBe('i');
    expect(bubble.querySelector('u')?.textContent).toBe('u');
    expect(bubble.querySelector('s')?.textContent).toBe('s');
    expect(bubble.querySelector('code.message-code')?.textContent).toBe('c');
    const pre = bubble.querySelector('pre');
    expect(pre?.getAttribute('dir')).toBe('ltr');
    expect(pre?.querySelector('code')?.textContent).toBe('let x;');
    const text = screen.getByTestId('message-text');
    expect(text.getAttribute('dir')).toBe('auto');
    expect(text.querySelector('.formatted-text')).not.toBeNull();
  });

  it('never runs markup or scripts from a message', () => {
    const { bubble } = renderRow(formatted('<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script>'));
    expect(bubble.querySelector('img')).toBeNull();
    expect(bubble.querySelector('script')).toBeNull();
    expect(bubble.querySelector('a[href^="javascript"]')).toBeNull();
    expect(screen.getByTestId('message-text').textContent).toBe(
      '<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script>',
    );
  });

  it('ignores a textLink entity with a javascript: target the host might send', () => {
    const { bubble } = renderRow(
      message({ text: 'click', entities: [{ kind: 'textLink', offset: 0, length: 5, url: 'javascript:alert(1)', language: null }] }),
    );
    expect(bubble.querySelector('a')).toBeNull();
    expect(screen.getByTestId('message-text').textContent).toBe('click');
  });

  it('keeps direction overrides inside the message text', () => {
    renderRow(message({ text: 'abc\u202Edef', entities: [] }));
    const text = screen.getByTestId('message-text');
    expect(text.getAttribute('dir')).toBe('auto');
    expect(text.querySelector('.formatted-text')?.textContent).toBe('abc\u202Edef');
  });

  it('hides a spoiler until it is activated with the keyboard or a click', () => {
    renderRow(formatted('the end: ||he wins||'));
    const spoiler = screen.getByTestId('message-spoiler');
    expect(spoiler.dataset['revealed']).toBe('false');
    expect(spoiler.getAttribute('role')).toBe('button');
    expect(spoiler.getAttribute('aria-label')).toBe('Hidden text (spoiler): press to reveal');
    fireEvent.keyDown(spoiler, { key: 'Enter' });
    expect(screen.getByTestId('message-spoiler').dataset['revealed']).toBe('true');
    expect(screen.getByTestId('message-spoiler').textContent).toBe('he wins');
  });

  it('opens a URL through the host, with https:// when it has none, never in the webview', async () => {
    const { platform } = renderRow(formatted('see www.example.com/a'));
    const link = screen.getByTestId('message-link');
    expect(link.getAttribute('href')).toBe('https://www.example.com/a');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    await waitFor(() => expect(platform.openedLinks).toEqual(['https://www.example.com/a']));
  });

  it('shows the real target of a text link before opening it', async () => {
    const { platform } = renderRow(formatted('[your bank](https://evil.example/login)'));
    fireEvent.click(screen.getByTestId('message-link'));
    const dialog = await screen.findByTestId('link-confirm-dialog');
    expect(within(dialog).getByTestId('link-confirm-url').textContent).toBe('https://evil.example/login');
    expect(platform.openedLinks).toEqual([]);
    fireEvent.click(within(dialog).getByTestId('link-confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('link-confirm-dialog')).toBeNull());
    expect(platform.openedLinks).toEqual([]);
    fireEvent.click(screen.getByTestId('message-link'));
    fireEvent.click(await screen.findByTestId('link-confirm-open'));
    await waitFor(() => expect(platform.openedLinks).toEqual(['https://evil.example/login']));
  });

  it('opens the direct chat of a mentioned user', async () => {
    const { state } = renderRow(formatted('ask @carol'));
    const mention = screen.getByTestId('message-mention');
    expect(mention.textContent).toBe('@carol');
    fireEvent.click(mention);
    await waitFor(() => expect(state.activeChat()).toBe(3));
  });

  it('reports a mention of nobody as an error', async () => {
    const { errors } = renderRow(formatted('ask @nobody'));
    fireEvent.click(screen.getByTestId('message-mention'));
    await waitFor(() => expect(errors).toHaveLength(1));
  });

  it('says where a forwarded message came from', () => {
    renderRow(message({ forwardedFrom: { name: 'carol', sentAt: 1 } }));
    expect(screen.getByTestId('message-forwarded-from').textContent).toBe('Forwarded from \u2068carol\u2069');
  });
});

describe('reactions', () => {
  const reactions = [
    { emoji: '👍', count: 2, mine: true, accounts: [alice, bob] },
    { emoji: '😂', count: 1, mine: false, accounts: [bob] },
  ];

  it('shows one chip per emoji with its count and who reacted', () => {
    renderRow(message({ reactions }));
    const chips = screen.getAllByTestId('reaction-chip');
    expect(chips.map((c) => c.dataset['emoji'])).toEqual(['👍', '😂']);
    expect(chips.map((c) => c.getAttribute('aria-pressed'))).toEqual(['true', 'false']);
    expect(chips[0]?.textContent).toBe('👍2');
    expect(chips[0]?.getAttribute('aria-label')).toBe('Reaction \u2068👍\u2069: \u2068\u2068alice\u2069, \u2068bob\u2069\u2069');
  });

  it('toggles this account’s reaction through the host', async () => {
    const { platform } = renderRow(message({ reactions }));
    const seen: MessageView[] = [];
    platform.onEvent((event) => event.type === 'messageUpserted' && seen.push(event.message));
    fireEvent.click(screen.getAllByTestId('reaction-chip')[1] as HTMLElement);
    await waitFor(() => expect(seen.at(-1)?.reactions).toEqual([{ emoji: '😂', count: 1, mine: true, accounts: [alice] }]));
  });

  it('adds a reaction picked in the emoji picker, and reports a refusal', async () => {
    const { platform, errors } = renderRow(message({ reactions }));
    for (const emoji of ['👍', '🎉', '🔥']) await platform.react(1, 1, emoji, true);
    fireEvent.click(screen.getByTestId('reaction-add'));
    await screen.findByTestId('emoji-picker');
    fireEvent.input(screen.getByTestId('emoji-search'), { target: { value: 'rocket' } });
    const option = await screen.findByRole('button', { name: 'rocket' });
    fireEvent.click(option);
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(screen.queryByTestId('emoji-picker')).toBeNull();
  });
});
