// New messages reach screen readers through one polite live region, once each; the
// virtualized message list itself is not a live region.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const FSI = '\u2068';
const PDI = '\u2069';

function announced(): string[] {
  return [...screen.getByTestId('announcer').querySelectorAll('p')].map((p) => p.textContent ?? '');
}

describe('announcing new messages', () => {
  it('says a message that arrives once, with its sender, however often its row is rendered', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
    await screen.findAllByTestId('message');
    const region = screen.getByTestId('announcer');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(screen.getByTestId('message-list').getAttribute('aria-live')).toBe('off');
    expect(announced()).toEqual([]);

    const message = platform.deliver(BOB, 'bob', 'Are you free now?');
    await waitFor(() => expect(announced()).toEqual([`${FSI}bob${PDI}: ${FSI}Are you free now?${PDI}`]));

    // The same message again (a re-sync), and its row mounted again after switching away and back.
    platform.hostEvent({ type: 'messageUpserted', message });
    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(TRIP)));
    fireEvent.click(screen.getByTestId(`chat-item-${BOB}`));
    await within(screen.getByTestId('message-list')).findByText('Are you free now?');
    expect(announced()).toHaveLength(1);
  });

  it('names the chat of a message that arrives elsewhere, and does not announce my own or old ones', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId(`chat-item-${BOB}`));
    await screen.findAllByTestId('message');
    const composer = screen.getByTestId('composer') as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'my own words' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    await within(screen.getByTestId('message-list')).findByText('my own words');

    platform.deliver(TRIP, 'carol', 'Snacks are packed');
    await waitFor(() =>
      expect(announced()).toEqual([`${FSI}carol${PDI} in ${FSI}Weekend trip${PDI}: ${FSI}Snacks are packed${PDI}`]),
    );
    const [old] = await platform.history(TRIP, null, 1);
    if (old === undefined) throw new Error('the seeded chat has messages');
    platform.hostEvent({ type: 'messageUpserted', message: { ...old, text: 'edited later', editedAt: Date.now() } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(announced()).toHaveLength(1);
  });
});
