// Display names and bios: set in Settings → Profile, seen by the others wherever the person is
// named, refused (with the reason) when the server would refuse them.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/App';
import type { MemoryPlatform } from '../../src/platform/memory';
import { createAppState } from '../../src/stores/app';
import { renderApp } from '../render';

/** alice's chats, as the seeded host numbers them. */
const WITH_BOB = 1;
const TRIP = 2;
const WITH_ERIN = 4;
const SERVER = 'http://127.0.0.1:8080';
const ARABIC_NAME = 'أليس الحلبي';

async function openSettings(): Promise<void> {
  fireEvent.click(await screen.findByTestId('open-settings'));
  await screen.findByTestId('settings-profile');
}

function setField(testId: string, value: string): void {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

/** Signs the same host in as someone else and shows their window instead. */
async function switchTo(platform: MemoryPlatform, username: string): Promise<void> {
  cleanup();
  await platform.logout();
  await platform.login(SERVER, username, 'password', false);
  render(() => <App state={createAppState(platform, { storage: window.localStorage })} />);
  await screen.findByTestId('chat-list');
}

describe('profile', () => {
  it('an Arabic display name saved in settings is the chat title and sender name the others see', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openSettings();
    const name = screen.getByTestId('profile-display-name') as HTMLInputElement;
    expect(name.value).toBe('');
    setField('profile-display-name', `  ${ARABIC_NAME} `);
    setField('profile-bio', 'أحب الرحلات');
    expect(screen.getByTestId('profile-bio-left').textContent).toBe('129 characters left');
    fireEvent.click(screen.getByTestId('profile-save'));
    await screen.findByTestId('profile-saved');
    expect(name.value).toBe(ARABIC_NAME);

    await switchTo(platform, 'bob');
    const row = screen.getByTestId(`chat-item-${WITH_BOB}`);
    expect(within(row).getByTestId('chat-title').textContent).toBe(ARABIC_NAME);

    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    await screen.findAllByTestId('message');
    const senders = screen.getAllByTestId('message-sender').map((s) => s.textContent);
    expect(senders).toContain(ARABIC_NAME);
    expect(senders).not.toContain('alice');

    fireEvent.click(screen.getByTestId(`chat-item-${WITH_BOB}`));
    fireEvent.click(await screen.findByTestId('chat-info-button'));
    const info = await screen.findByTestId('chat-info-dialog');
    expect(within(info).getByTestId('info-title').textContent).toBe(ARABIC_NAME);
    expect(within(info).getByTestId('chat-info-username').textContent).toBe('@alice');
    expect((await within(info).findByTestId('chat-info-bio')).textContent).toBe('أحب الرحلات');
  });

  it('a peer renaming themselves is shown at once in the chat list, the group and its members', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId(`chat-item-${TRIP}`));
    await screen.findAllByTestId('message');
    platform.peerSetsProfile('dave', 'David');
    await waitFor(() => expect(screen.getAllByTestId('message-sender').map((s) => s.textContent)).toContain('David'));
    expect(within(screen.getByTestId(`chat-item-${TRIP}`)).getByTestId('chat-preview').textContent).toContain('David: ');
    fireEvent.click(screen.getByTestId('chat-info-button'));
    const member = await screen.findByTestId('member-4');
    expect(within(member).getByTestId('member-name').textContent).toBe('David');
    expect(within(member).getByTestId('member-username').textContent).toBe('@dave');
  });

  it('refuses a display name that is too long or holds a direction override, saying why', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openSettings();
    setField('profile-display-name', 'a'.repeat(65));
    expect(screen.getByTestId('profile-display-name-left').textContent).toBe('1 character too many');
    fireEvent.click(screen.getByTestId('profile-save'));
    const error = await screen.findByTestId('profile-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('A display name has at most 64 characters.');
    expect(screen.getByTestId('profile-display-name').getAttribute('aria-invalid')).toBe('true');

    setField('profile-display-name', 'alice\u202Eevil');
    fireEvent.click(screen.getByTestId('profile-save'));
    await waitFor(() =>
      expect(screen.getByTestId('profile-error').textContent).toBe(
        'A display name cannot contain invisible or direction-changing characters.',
      ),
    );
    expect(screen.queryByTestId('profile-saved')).toBeNull();
    expect((await platform.profile(1)).account.displayName).toBe('');
  });

  it('the chat filter finds a chat by the peer’s display name typed without diacritics', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.peerSetsProfile('erin', 'Érin Lévêque');
    await waitFor(() =>
      expect(within(screen.getByTestId(`chat-item-${WITH_ERIN}`)).getByTestId('chat-title').textContent).toBe(
        'Érin Lévêque',
      ),
    );
    fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'LEVEQUE' } });
    const results = await screen.findByTestId('search-results');
    await waitFor(() => expect(within(results).queryByTestId(`chat-item-${WITH_ERIN}`)).not.toBeNull());
    expect(within(results).queryByTestId(`chat-item-${WITH_BOB}`)).toBeNull();
  });
});

describe('profile rules of the in-memory host', () => {
  it('trims, counts code points, and names the field it refuses', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const emoji = '😀'.repeat(64);
    await expect(platform.setProfile(` ${emoji} `, '')).resolves.toMatchObject({ account: { displayName: emoji }, bio: '' });
    await expect(platform.setProfile('a'.repeat(65), '')).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('display name') });
    await expect(platform.setProfile('', 'b'.repeat(141))).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('bio') });
    await expect(platform.setProfile('', 'two\nlines')).rejects.toMatchObject({ message: expect.stringContaining('bio') });
    for (const hidden of ['\u200B', '\u200F', '\u202A', '\u2066', '\uFEFF', '\u0007']) {
      await expect(platform.setProfile(`a${hidden}b`, '')).rejects.toMatchObject({ code: 'invalid' });
    }
    await expect(platform.setProfile('', '')).resolves.toMatchObject({ account: { displayName: '' }, bio: '' });
  });
});

describe('errors from inside a message', () => {
  it('a reaction the host refuses shows why', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await platform.react(WITH_BOB, 6, '👍', true);
    fireEvent.click(await screen.findByTestId(`chat-item-${WITH_BOB}`));
    const chip = await screen.findByTestId('reaction-chip');
    platform.react = () => Promise.reject({ code: 'network', message: 'offline' });
    fireEvent.click(chip);
    expect((await screen.findByTestId('error-toast')).textContent).toContain('Cannot reach the server.');
  });
});
