import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

const TRIP = 2;

function fill(testId: string, value: string): void {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

/** The chat row whose title is `title`. */
function chatRow(title: string): HTMLElement | undefined {
  return screen
    .getAllByTestId('chat-title')
    .find((el) => el.textContent === title)
    ?.closest<HTMLElement>('[role="option"]') ?? undefined;
}

describe('wren:// links', () => {
  it('a user link opens the direct chat with that user, closing an open dialog', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    expect(chatRow('dave')).toBeUndefined();
    fireEvent.click(screen.getByTestId('open-settings'));
    await screen.findByTestId('settings-dialog');
    platform.openDeepLink({ kind: 'user', username: 'dave' });
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('dave'));
    expect(chatRow('dave')?.getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('a link opened on the sign-in screen is opened after signing in', async () => {
    const { platform } = renderApp();
    await screen.findByTestId('login-screen');
    platform.openDeepLink({ kind: 'user', username: 'carol' });
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('main-screen')).toBeNull();
    fill('login-username', 'alice');
    fill('login-password', 'password');
    fireEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('carol'));
  });

  it('a link the app was started with while locked is opened after unlocking', async () => {
    renderApp({ signedInAs: 'alice', passcode: '1234', links: [{ kind: 'chat', id: TRIP }] });
    await screen.findByTestId('lock-screen');
    fill('lock-passcode', '1234');
    fireEvent.submit(screen.getByTestId('lock-submit').closest('form') as HTMLFormElement);
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('Weekend trip'));
    expect(screen.getByTestId(`chat-item-${TRIP}`).getAttribute('aria-selected')).toBe('true');
  });

  it('a chat link opens a chat in the list and says so for a chat that is not', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'chat', id: 99 });
    expect((await screen.findByTestId('notice')).textContent).toBe('This chat is not in your list.');
    expect(screen.getByTestId('no-chat-selected')).toBeTruthy();
    platform.openDeepLink({ kind: 'chat', id: TRIP });
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('Weekend trip'));
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('an invite link that is not 64 hex digits says so; the notice closes', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'invite', code: 'abc123' });
    const notice = await screen.findByTestId('notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toBe('This invite link is not valid.');
    expect(screen.queryByTestId('join-channel-dialog')).toBeNull();
    fireEvent.click(screen.getByTestId('notice-close'));
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('an invite link offers to join the private channel, then opens it', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    const link = platform.inviteFor(platform.channelIdByTitle('Book club'));
    const code = link.slice('wren://join/'.length);
    platform.openDeepLink({ kind: 'invite', code });
    const dialog = await screen.findByTestId('join-channel-dialog');
    expect(dialog.textContent).toContain(link);
    expect(screen.queryByTestId('channel-view')).toBeNull();
    fireEvent.click(screen.getByTestId('join-channel-submit'));
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Book club'));
    expect(screen.queryByTestId('join-channel-dialog')).toBeNull();
    expect(screen.getByTestId('channel-leave')).toBeTruthy();
    await waitFor(() => expect(within(screen.getByTestId('channel-list')).getByText('Book club')).toBeTruthy());
  });

  it('an invite link that was revoked or never made says so in the join dialog', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'invite', code: 'a'.repeat(64) });
    fireEvent.click(await screen.findByTestId('join-channel-submit'));
    expect((await screen.findByTestId('form-error')).textContent).toBe(
      'This invite link does not work: it is not valid or was revoked.',
    );
    expect(screen.queryByTestId('channel-view')).toBeNull();
  });

  it('a channel link opens a preview of a public channel, with Subscribe', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'channel', handle: 'football_live' });
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Football Live'));
    expect(screen.getByTestId('channel-subscribe')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('channel-post')).toHaveLength(2));
    expect(screen.queryByTestId('channel-list')).toBeNull();
    expect(window.location.hash).toMatch(/^#\/channel\/\d+$/);
  });

  it('a channel link to a subscribed channel opens it, with @ or without', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    await screen.findByTestId('channel-list');
    platform.openDeepLink({ kind: 'channel', handle: '@WrenNews' });
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Wren News'));
    expect(screen.queryByTestId('channel-subscribe')).toBeNull();
    expect(screen.getByTestId('channel-leave')).toBeTruthy();
  });

  it('a link to an unknown channel says there is no such channel', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'channel', handle: 'nosuchchannel' });
    const text = (await screen.findByTestId('notice')).textContent ?? '';
    expect(text).toContain('No public channel ');
    expect(text).toContain('@nosuchchannel');
    expect(screen.getByTestId('no-chat-selected')).toBeTruthy();
  });

  it('an invalid link shows the link; Esc closes the notice', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'invalid', url: 'wren://nowhere/x' });
    expect((await screen.findByTestId('notice')).textContent).toContain('This link cannot be opened: ');
    expect(screen.getByTestId('notice').textContent).toContain('wren://nowhere/x');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('Esc in an open dialog closes the dialog, not the notice', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'invite', code: 'abc123' });
    await screen.findByTestId('notice');
    fireEvent.click(screen.getByTestId('new-group'));
    fireEvent.keyDown(await screen.findByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('new-group-dialog')).toBeNull();
    expect(screen.getByTestId('notice')).toBeTruthy();
  });

  it('a link to an unknown user says there is no such user', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'user', username: 'nobody' });
    const text = (await screen.findByTestId('notice')).textContent ?? '';
    expect(text.startsWith('No user ')).toBe(true);
    expect(text).toContain('@nobody');
    expect(screen.getByTestId('no-chat-selected')).toBeTruthy();
  });

  it('speaks Arabic in an Arabic window', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    fireEvent.change(await screen.findByTestId('settings-language'), { target: { value: 'ar' } });
    fireEvent.click(screen.getByTestId('dialog-close'));
    platform.openDeepLink({ kind: 'chat', id: 99 });
    expect((await screen.findByTestId('notice')).textContent).toBe('هذه المحادثة ليست في قائمتك.');
    expect(screen.getByTestId('notice-close').getAttribute('aria-label')).toBe('إغلاق');
  });
});
