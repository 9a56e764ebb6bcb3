// A group whose end-to-end encrypted title this device cannot open yet (it just joined)
// arrives with an empty title: it is shown, spoken and searched as "Encrypted group".

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { ChatSummary, MessageView } from '../../src/platform/types';
import { renderApp } from '../render';

const TRIP = 2;
const FSI = '\u2068';
const PDI = '\u2069';

/** Renders the app signed in as alice, the admin of "Weekend trip", and seals that title. */
async function withSealedTrip(): Promise<ReturnType<typeof renderApp>> {
  const app = renderApp({ signedInAs: 'alice' });
  await screen.findByTestId(`chat-item-${TRIP}`);
  const [trip] = (await app.platform.chats()).filter((c) => c.id === TRIP);
  if (trip === undefined) throw new Error('the seeded group exists');
  // As the host reports it before the admin's device re-seals the title for this one.
  const sealed: ChatSummary = { ...trip, title: '' };
  app.platform.hostEvent({ type: 'chatUpdated', chat: sealed });
  expect(await screen.findByRole('option', { name: /^Encrypted group/ })).toBe(screen.getByTestId(`chat-item-${TRIP}`));
  return app;
}

function rowTitle(): string {
  return within(screen.getByTestId(`chat-item-${TRIP}`)).getByTestId('chat-title').textContent ?? '';
}

describe('a group whose title is still sealed', () => {
  it('shows its real title once it can be read', async () => {
    renderApp({ signedInAs: 'alice' });
    await waitFor(() => expect(rowTitle()).toBe('Weekend trip'));
    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('Weekend trip'));
  });

  it('is named "Encrypted group" in the list, the header and the info dialog, never left blank', async () => {
    await withSealedTrip();
    const row = screen.getByTestId(`chat-item-${TRIP}`);
    expect(rowTitle()).toBe('Encrypted group');
    expect(screen.getByRole('option', { name: /^Encrypted group/ })).toBe(row);
    expect(within(row).getByTestId('chat-title').querySelector('bdi')?.textContent).toBe('Encrypted group');
    expect(within(row).getByTestId('avatar').textContent).toBe('EG');

    fireEvent.click(row);
    const conversation = await screen.findByTestId('conversation');
    expect(conversation.getAttribute('aria-label')).toBe('Encrypted group');
    expect(screen.getByTestId('conversation-title').textContent).toBe('Encrypted group');

    fireEvent.click(screen.getByTestId('open-chat-info'));
    expect((await screen.findByTestId('info-title')).textContent).toBe('Encrypted group');
    // The placeholder is not the title: the rename field starts empty.
    expect((screen.getByTestId('group-title-input') as HTMLInputElement).value).toBe('');
  });

  it('shows the real title, and offers it for renaming, once the title is re-sealed for this device', async () => {
    const { platform } = await withSealedTrip();
    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    fireEvent.click(await screen.findByTestId('open-chat-info'));
    const input = (await screen.findByTestId('group-title-input')) as HTMLInputElement;
    expect(input.value).toBe('');

    const [trip] = (await platform.chats()).filter((c) => c.id === TRIP);
    if (trip === undefined) throw new Error('the seeded group exists');
    platform.hostEvent({ type: 'chatUpdated', chat: trip });
    await waitFor(() => expect(screen.getByTestId('info-title').textContent).toBe('Weekend trip'));
    expect(input.value).toBe('Weekend trip');
    expect(screen.getByTestId('conversation-title').textContent).toBe('Weekend trip');
    expect(rowTitle()).toBe('Weekend trip');
  });

  it('is named in announcements of messages that arrive in it', async () => {
    const { platform } = await withSealedTrip();
    const [newest] = await platform.history(TRIP, null, 1);
    if (newest === undefined) throw new Error('the seeded group has messages');
    const arrived: MessageView = {
      ...newest,
      seq: 100,
      localId: 'arrived',
      sender: { id: 3, username: 'carol', displayName: '' },
      outgoing: false,
      text: 'Snacks are packed',
    };
    platform.hostEvent({ type: 'messageUpserted', message: arrived });
    await waitFor(() => {
      const said = [...screen.getByTestId('announcer').querySelectorAll('p')].map((p) => p.textContent);
      expect(said).toEqual([`${FSI}carol${PDI} in ${FSI}Encrypted group${PDI}: ${FSI}Snacks are packed${PDI}`]);
    });
  });

  it('is found by searching for its placeholder', async () => {
    await withSealedTrip();
    fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'encrypted' } });
    const results = await screen.findByTestId('search-results');
    await waitFor(() => expect(within(results).getByTestId(`chat-item-${TRIP}`)).toBeTruthy());
    expect(within(results).getAllByRole('option')).toHaveLength(1);
  });

  it('is named in Arabic in the Arabic window', async () => {
    const { state } = await withSealedTrip();
    state.settings.setLang('ar');
    await waitFor(() => expect(rowTitle()).toBe('مجموعة مشفرة'));
    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('مجموعة مشفرة'));
  });
});
