import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../render';

// Seeded: bob is online, carol was last seen 25 minutes ago, erin shows hers to nobody.
const BOB = 1;
const TRIP = 2;
const CAROL = 3;
const ERIN = 4;
const FSI = '\u2068';
const PDI = '\u2069';
const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

async function openChat(id: number): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  return screen.findByTestId('conversation');
}

const headerPresence = (): string => screen.getByTestId('chat-presence').textContent ?? '';
const row = (id: number): HTMLElement => screen.getByTestId(`chat-item-${id}`);
const dotIn = (id: number): HTMLElement | null => within(row(id)).queryByTestId('chat-online-dot');

describe('who is online', () => {
  it('says in a direct chat header whether the contact is online or when they were last seen', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    await waitFor(() => expect(headerPresence()).toBe('online'));
    await openChat(CAROL);
    await waitFor(() => expect(headerPresence()).toBe('last seen 25 minutes ago'));
    await openChat(ERIN);
    await waitFor(() => expect(headerPresence()).toBe('last seen recently'));
  });

  it('marks an online contact in the chat list with a dot and in words', async () => {
    renderApp({ signedInAs: 'alice' });
    await waitFor(() => expect(dotIn(BOB)).not.toBeNull());
    expect(dotIn(CAROL)).toBeNull();
    expect(dotIn(ERIN)).toBeNull();
    // A group has no dot, even with members online.
    expect(dotIn(TRIP)).toBeNull();
    expect(screen.getByRole('option', { name: /^bob, online,/ })).toBe(row(BOB));
    expect(screen.queryByRole('option', { name: /^carol, online/ })).toBeNull();
  });

  it('follows presence events in the header and the list', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    await waitFor(() => expect(headerPresence()).toBe('online'));
    platform.peerPresence('bob', Date.now() - 5.5 * MINUTE);
    await waitFor(() => expect(headerPresence()).toBe('last seen 5 minutes ago'));
    expect(dotIn(BOB)).toBeNull();
    expect(screen.queryByRole('option', { name: /^bob, online/ })).toBeNull();
    platform.peerPresence('carol', 'online');
    await waitFor(() => expect(dotIn(CAROL)).not.toBeNull());
    expect(screen.getByRole('option', { name: /^carol, online,/ })).toBe(row(CAROL));
    platform.peerPresence('bob', 'online');
    await waitFor(() => expect(headerPresence()).toBe('online'));
  });

  it('shows a contact who shares it with contacts only, and nothing beyond "recently" otherwise', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.peerSetsLastSeen('bob', 'contacts');
    platform.peerSetsLastSeen('carol', 'nobody');
    await openChat(BOB);
    await waitFor(() => expect(headerPresence()).toBe('online'));
    await openChat(CAROL);
    await waitFor(() => expect(headerPresence()).toBe('last seen recently'));
  });

  it('shows everyone as "last seen recently" once the user hides their own', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await waitFor(() => expect(dotIn(BOB)).not.toBeNull());
    fireEvent.click(screen.getByTestId('open-settings'));
    const nobody = (await screen.findByTestId('privacy-last-seen-nobody')) as HTMLInputElement;
    expect(screen.getByText('Last seen & online')).toBeTruthy();
    expect(screen.getByTestId('settings-last-seen').getAttribute('aria-describedby')).toBe('settings-last-seen-hint');
    expect(document.getElementById('settings-last-seen-hint')?.textContent).toContain('Nobody');
    await waitFor(() => expect((screen.getByTestId('privacy-last-seen-everybody') as HTMLInputElement).checked).toBe(true));
    fireEvent.click(nobody);
    await waitFor(() => expect(nobody.checked).toBe(true));
    await expect(platform.privacy(null)).resolves.toEqual({ groupAdds: 'everybody', lastSeen: 'nobody' });
    await waitFor(() => expect(dotIn(BOB)).toBeNull());
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    await openChat(BOB);
    await waitFor(() => expect(headerPresence()).toBe('last seen recently'));
    // An event while hidden says so too.
    platform.peerPresence('bob', 'online');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(headerPresence()).toBe('last seen recently');
  });

  it('forgets who is online on sign-out', async () => {
    const { state } = renderApp({ signedInAs: 'alice' });
    await waitFor(() => expect(dotIn(BOB)).not.toBeNull());
    expect(state.presence.of(2)).toEqual({ state: 'online' });
    await state.session.logout();
    expect(state.presence.of(2)).toBeUndefined();
  });

  it('keeps the radios on what the server has when the change is refused', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const everybody = screen.getByTestId('privacy-last-seen-everybody') as HTMLInputElement;
    await waitFor(() => expect(everybody.checked).toBe(true));
    vi.spyOn(platform, 'setLastSeen').mockRejectedValue({ code: 'network', message: 'offline' });
    fireEvent.click(screen.getByTestId('privacy-last-seen-contacts'));
    await screen.findByTestId('form-error');
    expect(everybody.checked).toBe(true);
    expect((screen.getByTestId('privacy-last-seen-contacts') as HTMLInputElement).checked).toBe(false);
  });

  it('counts the members of a group and those online, leaving the user out', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(TRIP);
    await waitFor(() => expect(headerPresence()).toBe('4 members, 1 online'));
    platform.peerPresence('carol', 'online');
    await waitFor(() => expect(headerPresence()).toBe('4 members, 2 online'));
    platform.peerPresence('bob', Date.now());
    platform.peerPresence('carol', Date.now());
    await waitFor(() => expect(headerPresence()).toBe('4 members'));
  });

  it('moves "last seen" on with the clock', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    await waitFor(() => expect(headerPresence()).toBe('online'));
    platform.peerPresence('bob', Date.now());
    await waitFor(() => expect(headerPresence()).toBe('last seen just now'));
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    await waitFor(() => expect(headerPresence()).toMatch(/^last seen [12] minutes? ago$/));
  });

  it('asks again for the open chat every minute', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(CAROL);
    await waitFor(() => expect(headerPresence()).toBe('last seen 25 minutes ago'));
    const asks = vi.spyOn(platform, 'presence');
    await vi.advanceTimersByTimeAsync(MINUTE);
    // Everyone in the chat but the user.
    expect(asks).toHaveBeenCalledWith([3]);
  });
});

describe('who is typing', () => {
  it('names who is typing in a group header and row', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId(`chat-item-${TRIP}`);
    platform.peerTyping(TRIP, 'carol');
    await waitFor(() => expect(within(row(TRIP)).getByTestId('chat-typing').textContent).toBe(`${FSI}carol${PDI} is typing…`));
    expect(within(row(TRIP)).queryByTestId('chat-preview')).toBeNull();
    await openChat(TRIP);
    const header = (): string => screen.getByTestId('typing-indicator').textContent ?? '';
    await waitFor(() => expect(header()).toBe(`${FSI}carol${PDI} is typing…`));
    expect(screen.queryByTestId('chat-presence')).toBeNull();
    platform.peerTyping(TRIP, 'dave');
    await waitFor(() => expect(header()).toBe(`${FSI}carol${PDI} and ${FSI}dave${PDI} are typing…`));
    platform.peerTyping(TRIP, 'bob');
    await waitFor(() => expect(header()).toBe('3 people are typing…'));
    expect(within(row(TRIP)).getByTestId('chat-typing').textContent).toBe('3 people are typing…');
  });

  it('shows "typing…" in a direct chat row, then the preview again when the message arrives', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId(`chat-item-${CAROL}`);
    platform.peerTyping(CAROL, 'carol');
    await waitFor(() => expect(within(row(CAROL)).getByTestId('chat-typing').textContent).toBe('typing…'));
    expect(screen.getByRole('option', { name: /^carol,.*typing…/ })).toBe(row(CAROL));
    platform.deliver(CAROL, 'carol', 'Here I am');
    await waitFor(() => expect(within(row(CAROL)).getByTestId('chat-preview').textContent).toBe('Here I am'));
    expect(within(row(CAROL)).queryByTestId('chat-typing')).toBeNull();
  });

  it('says it in Arabic, with the Arabic plural forms', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice' });
    state.settings.setLang('ar');
    await openChat(TRIP);
    await waitFor(() => expect(headerPresence()).toBe('٤ أعضاء، واحد متصل'));
    platform.peerTyping(TRIP, 'carol');
    platform.peerTyping(TRIP, 'dave');
    const header = (): string => screen.getByTestId('typing-indicator').textContent ?? '';
    await waitFor(() => expect(header()).toBe(`${FSI}carol${PDI} و${FSI}dave${PDI} يكتبان…`));
    platform.peerTyping(TRIP, 'bob');
    await waitFor(() => expect(header()).toBe('٣ أشخاص يكتبون…'));
  });
});
