import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n';
import { renderApp } from '../render';

async function openChannel(title: string): Promise<void> {
  const list = await screen.findByTestId('channel-list');
  const row = within(list)
    .getAllByRole('option')
    .find((o) => o.textContent?.includes(title));
  fireEvent.click(row as HTMLElement);
  await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe(title));
  await waitFor(() => expect(screen.getAllByTestId('channel-post').length).toBeGreaterThan(0));
}

function post(seq: number): HTMLElement {
  const row = screen.getAllByTestId('channel-post').find((r) => r.dataset['seq'] === String(seq));
  if (row === undefined) throw new Error(`no post ${seq}`);
  return row;
}

const textOf = (seq: number): string => within(post(seq)).getByTestId('channel-post-text').textContent ?? '';

function openMenu(seq: number): HTMLElement {
  fireEvent.click(within(post(seq)).getByTestId('post-menu'));
  return screen.getByTestId('context-menu');
}

async function openInfo(): Promise<HTMLElement> {
  fireEvent.click(screen.getByTestId('channel-info-button'));
  return screen.findByTestId('channel-info-dialog');
}

describe('post actions', () => {
  it('lets the owner edit a post in place: Enter saves, Esc cancels', async () => {
    renderApp({ signedInAs: 'dave' });
    await openChannel('Wren News');
    const menu = openMenu(3);
    expect(within(menu).getAllByRole('menuitem').map((i) => i.dataset['testid'])).toEqual(['post-edit', 'post-pin', 'post-delete']);
    fireEvent.click(within(menu).getByTestId('post-edit'));
    const box = (await screen.findByTestId('post-edit-input')) as HTMLTextAreaElement;
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(box.value).toContain('Wren 0.2 is out');

    // Esc leaves the post as it was.
    fireEvent.input(box, { target: { value: 'never saved' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByTestId('post-edit-input')).toBeNull();
    expect(textOf(3)).toContain('Wren 0.2 is out');
    await waitFor(() => expect(document.activeElement).toBe(post(3)));

    fireEvent.click(within(openMenu(3)).getByTestId('post-edit'));
    const again = (await screen.findByTestId('post-edit-input')) as HTMLTextAreaElement;
    fireEvent.input(again, { target: { value: 'Wren 0.2 is out — update now!' } });
    fireEvent.keyDown(again, { key: 'Enter' });
    await waitFor(() => expect(textOf(3)).toBe('Wren 0.2 is out — update now!'));
    expect(screen.queryByTestId('post-edit-input')).toBeNull();
    expect(within(post(3)).getByTestId('channel-post-edited')).toBeTruthy();
  });

  it('opens the menu from the keyboard and deletes a post after asking', async () => {
    const { platform } = renderApp({ signedInAs: 'dave' });
    await openChannel('Wren News');
    post(2).focus();
    fireEvent.keyDown(post(2), { key: 'Enter' });
    const menu = screen.getByTestId('context-menu');
    expect(document.activeElement).toBe(within(menu).getByTestId('post-edit'));
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(within(menu).getByTestId('post-delete'));
    fireEvent.click(within(menu).getByTestId('post-delete'));
    // Cancelling keeps it.
    fireEvent.click(await screen.findByTestId('post-delete-cancel'));
    expect(screen.queryByTestId('post-delete-confirm')).toBeNull();
    expect(textOf(2)).toContain('Ctrl+K');

    fireEvent.click(within(openMenu(2)).getByTestId('post-delete'));
    const confirm = await screen.findByTestId('post-delete-confirm');
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    fireEvent.click(confirm);
    await waitFor(() => expect(textOf(2)).toBe('Deleted post'));
    expect(post(2).dataset['deleted']).toBe('true');
    expect(within(post(2)).queryByTestId('post-menu')).toBeNull();
    const [stored] = await platform.channelPosts(platform.channelIdByTitle('Wren News'), 3, 1);
    expect(stored?.deleted).toBe(true);
  });

  it('pins and unpins a post; the pinned bar shows it and brings it into focus', async () => {
    renderApp({ signedInAs: 'dave' });
    await openChannel('Wren News');
    expect(screen.queryByTestId('pinned-bar')).toBeNull();
    fireEvent.click(within(openMenu(1)).getByTestId('post-pin'));
    const bar = await screen.findByTestId('pinned-bar');
    expect(bar.dataset['seq']).toBe('1');
    expect(within(bar).getByTestId('pinned-bar-text').textContent).toContain('Welcome to Wren News');
    expect(within(post(1)).getByTestId('post-pinned-mark')).toBeTruthy();
    fireEvent.click(bar);
    await waitFor(() => expect(document.activeElement).toBe(post(1)));

    const pin = within(openMenu(1)).getByTestId('post-pin');
    expect(pin.textContent).toBe('Unpin');
    fireEvent.click(pin);
    await waitFor(() => expect(screen.queryByTestId('pinned-bar')).toBeNull());
  });

  it('shows subscribers the pinned bar but no post actions', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    await openChannel('Wren News');
    expect(screen.queryAllByTestId('post-menu')).toHaveLength(0);
    fireEvent.contextMenu(post(3));
    fireEvent.keyDown(post(3), { key: 'Enter' });
    expect(screen.queryByTestId('context-menu')).toBeNull();
    expect(screen.queryByTestId('channel-composer')).toBeNull();

    // The owner pins a post elsewhere: the event brings the bar.
    const info = (await platform.channels()).find((c) => c.title === 'Wren News');
    platform.hostEvent({ type: 'channelUpdated', channel: { ...(info as NonNullable<typeof info>), pinned: 2 } });
    const bar = await screen.findByTestId('pinned-bar');
    expect(bar.textContent).toContain('Ctrl+K');
    fireEvent.click(bar);
    await waitFor(() => expect(document.activeElement).toBe(post(2)));
  });
});

describe('channel info for owners and admins', () => {
  it('lists the admins; the owner adds and removes one, and sees the host refusing a non-subscriber', async () => {
    const { platform } = renderApp({ signedInAs: 'dave', subscriptions: { alice: ['wrennews'] } });
    await openChannel('Wren News');
    const dialog = await openInfo();
    const admins = within(dialog).getByTestId('channel-admins');
    await waitFor(() => expect(within(admins).getAllByRole('listitem')).toHaveLength(1));
    expect(admins.textContent).toContain('dave');
    expect(admins.textContent).toContain('Owner');

    fireEvent.input(within(dialog).getByTestId('channel-admin-add'), { target: { value: 'carol' } });
    fireEvent.click(within(dialog).getByTestId('channel-admin-add-submit'));
    expect((await within(dialog).findByTestId('form-error')).textContent).toBe(
      translate('en', 'channel.adminNotFound', { name: 'carol' }),
    );
    expect(within(admins).getAllByRole('listitem')).toHaveLength(1);

    fireEvent.input(within(dialog).getByTestId('channel-admin-add'), { target: { value: '@alice' } });
    fireEvent.click(within(dialog).getByTestId('channel-admin-add-submit'));
    await waitFor(() => expect(within(admins).getAllByRole('listitem')).toHaveLength(2));
    expect(within(dialog).queryByTestId('form-error')).toBeNull();
    const alice = (await platform.channelAdmins(platform.channelIdByTitle('Wren News'))).find(
      (a) => a.account.username === 'alice',
    );
    expect(alice?.role).toBe('admin');
    const row = within(admins).getByTestId(`channel-admin-${alice?.account.id}`);
    expect(row.textContent).toContain('Admin');
    expect((within(dialog).getByTestId('channel-admin-add') as HTMLInputElement).value).toBe('');

    const remove = within(row).getByTestId(`channel-admin-remove-${alice?.account.id}`) as HTMLButtonElement;
    await waitFor(() => expect(remove.disabled).toBe(false));
    fireEvent.click(remove);
    await waitFor(() => expect(within(admins).getAllByRole('listitem')).toHaveLength(1));
    expect(await platform.channelAdmins(platform.channelIdByTitle('Wren News'))).toHaveLength(1);
  });

  it('shows an admin the admins without the add form, and a subscriber neither admins nor earnings', async () => {
    renderApp({ signedInAs: 'alice', channelAdmins: { alice: ['wrennews'] }, subscriptions: { alice: ['football_live'] } });
    await openChannel('Wren News');
    expect(screen.getAllByTestId('post-menu').length).toBeGreaterThan(0);
    const dialog = await openInfo();
    const admins = within(dialog).getByTestId('channel-admins');
    await waitFor(() => expect(within(admins).getAllByRole('listitem')).toHaveLength(2));
    expect(admins.textContent).toContain('dave');
    expect(admins.textContent).toContain('alice');
    expect(within(dialog).queryByTestId('channel-admin-add')).toBeNull();
    expect(within(admins).queryAllByRole('button')).toHaveLength(0);
    expect(await within(dialog).findByTestId('channel-earnings')).toBeTruthy();
    fireEvent.click(within(dialog).getByTestId('dialog-close'));

    await openChannel('Football Live');
    expect(screen.queryAllByTestId('post-menu')).toHaveLength(0);
    const info = await openInfo();
    expect(within(info).queryByTestId('channel-admins')).toBeNull();
    expect(within(info).queryByTestId('channel-earnings')).toBeNull();
    expect(within(info).queryByTestId('form-error')).toBeNull();
  });

  it('revokes an invite link made in this session', async () => {
    const { platform } = renderApp({ signedInAs: 'bob' });
    await openChannel('Book club');
    const dialog = await openInfo();
    fireEvent.click(within(dialog).getByTestId('channel-invite-create'));
    const input = (await within(dialog).findByTestId('channel-invite-link')) as HTMLInputElement;
    const link = input.value;
    const club = platform.channelIdByTitle('Book club');
    expect(platform.inviteWorks(club, link)).toBe(true);
    const row = within(dialog).getByTestId('channel-invite');
    expect(row.dataset['revoked']).toBe('false');
    expect(row.textContent).toContain(link);

    fireEvent.click(within(row).getByTestId('invite-revoke'));
    await waitFor(() => expect(row.dataset['revoked']).toBe('true'));
    expect(platform.inviteWorks(club, link)).toBe(false);
    expect(within(dialog).queryByTestId('channel-invite-link')).toBeNull();
    expect(within(row).queryByTestId('invite-revoke')).toBeNull();
    expect(within(row).getByTestId('invite-revoked').textContent).toContain('no longer works');
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByTestId('channel-invite-create')));

    // A new link is listed too, and the revoked one stays revoked after reopening.
    fireEvent.click(within(dialog).getByTestId('channel-invite-create'));
    await waitFor(() => expect(within(dialog).getAllByTestId('channel-invite')).toHaveLength(2));
    fireEvent.click(within(dialog).getByTestId('dialog-close'));
    const reopened = await openInfo();
    const rows = within(reopened).getAllByTestId('channel-invite');
    expect(rows.map((r) => r.dataset['revoked'])).toEqual(['true', 'false']);
  });

  it("shows the sponsored impressions and the owner's share in credits, in the locale's digits", async () => {
    const { platform, state } = renderApp({ signedInAs: 'dave' });
    platform.addSponsoredImpressions(platform.channelIdByTitle('Wren News'), 3);
    await openChannel('Wren News');
    const dialog = await openInfo();
    const earnings = await within(dialog).findByTestId('channel-earnings');
    expect(within(earnings).getByTestId('channel-earnings-shown').textContent).toBe('3');
    expect(within(earnings).getByTestId('channel-earnings-credits').textContent).toBe('\u20681.500\u2069 credits');
    state.settings.setLang('ar');
    await waitFor(() => expect(within(earnings).getByTestId('channel-earnings-credits').textContent).toContain('١٫٥٠٠'));
    expect(within(earnings).getByTestId('channel-earnings-shown').textContent).toBe('٣');
  });
});

describe('muting a channel', () => {
  it('toggles mute in the header and marks the channel in the sidebar', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews', 'football_live'] } });
    const news = platform.channelIdByTitle('Wren News');
    await openChannel('Wren News');
    const item = screen.getByTestId(`channel-item-${news}`);
    expect(within(item).queryByTestId('channel-muted-mark')).toBeNull();
    const toggle = screen.getByTestId('channel-mute');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-pressed')).toBe('true'));
    expect(within(item).getByTestId('channel-muted-mark')).toBeTruthy();
    expect(screen.getByRole('option', { name: /^Wren News.*, Muted/ })).toBe(item);
    expect(await platform.mutedChannels()).toEqual([news]);
    expect(screen.getByTestId(`channel-item-${platform.channelIdByTitle('Football Live')}`).querySelector('[data-testid="channel-muted-mark"]')).toBeNull();

    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-pressed')).toBe('false'));
    expect(within(item).queryByTestId('channel-muted-mark')).toBeNull();
    expect(screen.queryByRole('option', { name: /Muted/ })).toBeNull();
    expect(await platform.mutedChannels()).toEqual([]);
  });

  it('starts with the channels muted on this device', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const news = platform.channelIdByTitle('Wren News');
    void platform.setChannelMuted(news, true);
    const item = await screen.findByTestId(`channel-item-${news}`);
    await waitFor(() => expect(within(item).getByTestId('channel-muted-mark')).toBeTruthy());
    await openChannel('Wren News');
    expect(screen.getByTestId('channel-mute').getAttribute('aria-pressed')).toBe('true');
  });

  it('offers no mute toggle in a preview', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.openDeepLink({ kind: 'channel', handle: 'science_daily' });
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Science Daily'));
    expect(screen.queryByTestId('channel-mute')).toBeNull();
  });
});
