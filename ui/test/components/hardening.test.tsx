// A hostile peer or server: being removed from a group, names that try to reorder the
// text around them, unencrypted server addresses, weak passcodes.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/platform/types';
import { renderApp } from '../render';

const TRIP = 2;
const RLO = '\u202E';
const FSI = '\u2068';
const PDI = '\u2069';

function fill(testId: string, value: string): void {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

async function openChat(id: number): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  return screen.findByTestId('conversation');
}

/** The element holding exactly `text`, which must be a <bdi> of its own. */
function isolatedIn(container: HTMLElement, text: string): HTMLElement | null {
  return [...container.querySelectorAll('bdi')].find((el) => el.textContent === text) ?? null;
}

describe('removed from a group', () => {
  it('keeps the history readable, fails what was unsent, and says why instead of the composer', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice', ackDelay: 60_000 });
    await openChat(TRIP);
    const composer = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'wait for me' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    const list = screen.getByTestId('message-list');
    await within(list).findByText('wait for me');

    platform.removeMe(TRIP);

    const closed = await screen.findByTestId('not-member');
    expect(closed.textContent).toBe('You are no longer a member of this group');
    expect(screen.queryByTestId('composer')).toBeNull();
    expect(screen.getByText('Leaving at 9 sharp, please be on time')).toBeTruthy();
    await waitFor(() => {
      const unsent = within(list).getByText('wait for me').closest('[data-testid="message"]') as HTMLElement;
      expect(unsent.dataset['state']).toBe('failed');
    });
    expect(screen.getByTestId(`chat-item-${TRIP}`)).toBeTruthy();

    // Nothing that sends to the group is left in the message menu: no reply, reaction or pin.
    const theirs = screen.getByText('Who is driving?').closest('[data-testid="message"]') as HTMLElement;
    fireEvent.contextMenu(theirs);
    const menu = await screen.findByTestId('context-menu');
    expect(within(menu).getAllByRole('menuitem').map((el) => el.dataset['testid'])).toEqual([
      'menu-copy',
      'message-menu-forward',
      'message-menu-select',
      'message-menu-delete',
    ]);
    fireEvent.keyDown(menu, { key: 'Escape' });

    state.settings.setLang('ar');
    await waitFor(() => expect(screen.getByTestId('not-member').textContent).toBe('لم تعد عضوًا في هذه المجموعة'));
    state.settings.setLang('en');

    // The chat can still be deleted from this device.
    fireEvent.click(screen.getByTestId('open-chat-info'));
    const leave = await screen.findByTestId('leave-group');
    expect(leave.textContent).toBe('Delete chat');
    fireEvent.click(leave);
    await waitFor(() => expect(screen.queryByTestId(`chat-item-${TRIP}`)).toBeNull());
  });
});

describe('names from other people', () => {
  it('isolates a title with a right-to-left override so it cannot reorder the text around it', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId(`chat-item-${TRIP}`);
    const spoof = `invoice${RLO}fdp.exe`;
    // As a server that does not check titles would deliver it.
    await platform.rename(TRIP, spoof);

    const row = screen.getByTestId(`chat-item-${TRIP}`);
    await waitFor(() => expect(isolatedIn(row, spoof)).not.toBeNull());
    const title = isolatedIn(row, spoof) as HTMLElement;
    expect(screen.getByRole('option', { name: (name) => name.startsWith(spoof) })).toBe(row);
    // The override is only inside the <bdi>, which ends it: the time and the preview after it keep their order.
    expect(row.textContent?.split(RLO)).toHaveLength(2);
    const time = row.querySelector('time');
    expect(time?.textContent).toBeTruthy();
    expect(title.contains(time)).toBe(false);
    expect(title.contains(within(row).getByTestId('chat-preview'))).toBe(false);
    // The avatar never takes the invisible override as a letter.
    expect(within(row).getByTestId('avatar').textContent).toBe('IE');

    await openChat(TRIP);
    expect(isolatedIn(screen.getByTestId('conversation-title'), spoof)).not.toBeNull();
    fireEvent.click(screen.getByTestId('open-chat-info'));
    expect(isolatedIn(await screen.findByTestId('info-title'), spoof)).not.toBeNull();
  });

  it('isolates sender names in bubbles and in the reply bar', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(TRIP);
    const [newest] = await platform.history(TRIP, null, 1);
    const sender = { id: 99, username: `${RLO}evil`, displayName: '' };
    const spoofed: MessageView = { ...(newest as MessageView), seq: 100, localId: 'spoof', sender, text: 'look' };
    platform.hostEvent({ type: 'messageUpserted', message: spoofed });
    const bubble = (await screen.findByText('look')).closest('[data-testid="message"]') as HTMLElement;
    expect(isolatedIn(bubble, sender.username)).not.toBeNull();

    fireEvent.contextMenu(bubble);
    fireEvent.click(within(await screen.findByTestId('context-menu')).getByTestId('menu-reply'));
    const bar = await screen.findByTestId('reply-bar');
    expect(bar.textContent).toContain(`Reply to ${FSI}${sender.username}${PDI}`);
  });
});

describe('sign-in address', () => {
  it('asks for explicit consent, with a warning, only for an unencrypted address to another computer', async () => {
    renderApp();
    await screen.findByTestId('login-screen');
    fill('login-server', 'http://127.0.0.1:8080');
    expect(screen.queryByTestId('allow-insecure')).toBeNull();
    fill('login-server', 'https://chat.example.org');
    expect(screen.queryByTestId('allow-insecure')).toBeNull();

    fill('login-server', 'http://chat.example.org:8080');
    expect(screen.getByTestId('insecure-warning').textContent).toContain('not encrypted');
    const allow = screen.getByTestId('allow-insecure') as HTMLInputElement;
    expect(allow.checked).toBe(false);
    fill('login-username', 'alice');
    fill('login-password', 'password');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe(
      'This server address is not encrypted. Use https://, or allow an unencrypted connection if you trust the network.',
    );

    fireEvent.change(allow, { target: { checked: true } });
    fireEvent.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('chat-list');
  });
});

describe('passcodes', () => {
  it('says a new passcode needs six characters, in English and Arabic', async () => {
    const { state } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    fill('settings-passcode', '12345');
    fireEvent.click(screen.getByTestId('settings-passcode-set'));
    expect((await screen.findByTestId('form-error')).textContent).toBe('A passcode needs at least 6 characters.');
    state.settings.setLang('ar');
    fireEvent.click(screen.getByTestId('settings-passcode-set'));
    await waitFor(() =>
      expect(screen.getByTestId('form-error').textContent).toBe('يجب أن يتكوّن رمز القفل من ٦ أحرف على الأقل.'),
    );
    state.settings.setLang('en');
    fill('settings-passcode', 'long enough');
    fireEvent.click(screen.getByTestId('settings-passcode-set'));
    expect(await screen.findByText('Passcode saved.')).toBeTruthy();
  });
});
