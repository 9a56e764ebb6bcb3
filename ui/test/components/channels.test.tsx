import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { VIEW_REPORT_DELAY_MS } from '../../src/stores/channels';
import { renderApp } from '../render';

function fill(testId: string, value: string): void {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

/** The text of each post row on screen, oldest first. */
function postTexts(): string[] {
  return screen.queryAllByTestId('channel-post').map((row) => within(row).getByTestId('channel-post-text').textContent ?? '');
}

function postRow(text: string): HTMLElement | undefined {
  return screen.queryAllByTestId('channel-post').find((row) => row.textContent?.includes(text));
}

async function openDirectory(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId('directory-open'));
  return screen.findByTestId('directory-dialog');
}

describe('the channel directory', () => {
  it('searches, previews a channel with its posts and view counts, and subscribes', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    expect(screen.queryByTestId('channel-list')).toBeNull();
    const dialog = await openDirectory();
    await waitFor(() => expect(within(dialog).getAllByTestId('directory-result')).toHaveLength(5));
    expect(document.activeElement).toBe(screen.getByTestId('directory-search'));

    fill('directory-search', 'scien');
    await waitFor(() => expect(within(dialog).getAllByTestId('directory-result')).toHaveLength(1));
    const result = within(dialog).getByTestId('directory-result');
    expect(within(result).getByTestId('directory-result-title').textContent).toBe('Science Daily');
    expect(within(result).getByTestId('directory-result-handle').textContent).toBe('@science_daily');
    expect(within(result).getByTestId('directory-result-meta').textContent).toBe('3,206 subscribers · Science · English');

    fireEvent.click(result);
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Science Daily'));
    expect(screen.queryByTestId('directory-dialog')).toBeNull();
    expect(screen.getByTestId('channel-subtitle').textContent).toBe('3,206 subscribers · @science_daily');
    await waitFor(() => expect(postTexts()).toHaveLength(2));
    expect(postTexts()[0]).toContain('Octopuses');
    expect(within(postRow('Octopuses') as HTMLElement).getByTestId('channel-views').textContent).toContain('2,410');
    expect(within(postRow('sky blue') as HTMLElement).getByTestId('channel-views').textContent).toContain('1,980 views');
    // A preview cannot be posted to, and is not in the sidebar.
    expect(screen.queryByTestId('channel-composer')).toBeNull();
    expect(screen.queryByTestId('channel-list')).toBeNull();

    // Posts on screen are reported once.
    await waitFor(() => expect(platform.viewReports).toHaveLength(1), { timeout: VIEW_REPORT_DELAY_MS + 500 });
    expect(platform.viewReports[0]?.[1].sort()).toEqual([1, 2]);

    fireEvent.click(screen.getByTestId('channel-subscribe'));
    await waitFor(() => expect(screen.queryByTestId('channel-subscribe')).toBeNull());
    expect(screen.getByTestId('channel-leave')).toBeTruthy();
    expect(screen.getByTestId('channel-subtitle').textContent).toBe('3,207 subscribers · @science_daily');
    const list = await screen.findByTestId('channel-list');
    const row = within(list).getByRole('option');
    expect(row.getAttribute('aria-selected')).toBe('true');
    expect(row.textContent).toContain('Science Daily');
    expect(row.querySelector('svg')).not.toBeNull();
    // Posts reload from this device and the server: nothing is reported twice.
    await waitFor(() => expect(postTexts()).toHaveLength(2));
    await new Promise((r) => setTimeout(r, VIEW_REPORT_DELAY_MS + 50));
    expect(platform.viewReports).toHaveLength(1);
  });

  it('filters by topic and language, and says when nothing matches', async () => {
    renderApp({ signedInAs: 'alice' });
    const dialog = await openDirectory();
    await waitFor(() => expect(within(dialog).getAllByTestId('directory-result')).toHaveLength(5));
    fireEvent.change(screen.getByTestId('directory-topic'), { target: { value: 'sports' } });
    await waitFor(() => expect(within(dialog).getAllByTestId('directory-result')).toHaveLength(1));
    expect(within(dialog).getByTestId('directory-result-title').textContent).toBe('Football Live');
    fireEvent.change(screen.getByTestId('directory-language'), { target: { value: 'fr' } });
    expect((await within(dialog).findByTestId('directory-empty')).textContent).toBe('No channels found.');
    fireEvent.change(screen.getByTestId('directory-topic'), { target: { value: '' } });
    await waitFor(() => expect(within(dialog).getByTestId('directory-result-title').textContent).toBe('Cuisine du monde'));
  });

  it('moves between results with the arrow keys', async () => {
    renderApp({ signedInAs: 'alice' });
    const dialog = await openDirectory();
    await waitFor(() => expect(within(dialog).getAllByTestId('directory-result')).toHaveLength(5));
    const results = within(dialog).getAllByTestId('directory-result');
    fireEvent.keyDown(screen.getByTestId('directory-search'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(results[0]);
    fireEvent.keyDown(results[0] as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(results[1]);
    fireEvent.keyDown(results[1] as HTMLElement, { key: 'End' });
    expect(document.activeElement).toBe(results[4]);
  });

  it('joins a private channel with an invite link pasted in the search box', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const link = platform.inviteFor(platform.channelIdByTitle('Book club'));
    await openDirectory();
    fill('directory-search', link);
    fireEvent.click(await screen.findByTestId('directory-join'));
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Book club'));
    expect(screen.getByTestId('channel-subtitle').textContent).toBe('2 subscribers · Private channel');
  });
});

describe('a channel', () => {
  it('shows a post that arrives by event, with its view count', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const list = await screen.findByTestId('channel-list');
    fireEvent.click(within(list).getByRole('option'));
    await waitFor(() => expect(postTexts()).toHaveLength(3));
    const news = platform.channelIdByTitle('Wren News');
    const post = platform.publish(news, 'Breaking: Wren 0.3 is out');
    await waitFor(() => expect(postTexts().at(-1)).toBe('Breaking: Wren 0.3 is out'));
    expect(within(postRow('Wren 0.3') as HTMLElement).getByTestId('channel-views').textContent).toContain('0');
    // A new view count arrives for it.
    platform.hostEvent({ type: 'postUpserted', post: { ...post, views: 1_234 } });
    await waitFor(() =>
      expect(within(postRow('Wren 0.3') as HTMLElement).getByTestId('channel-views').textContent).toContain('1,234'),
    );
    expect(postTexts()).toHaveLength(4);
    // An edit shows the "edited" mark; a deleted post leaves a placeholder.
    platform.hostEvent({
      type: 'postUpserted',
      post: { ...post, text: 'Breaking: Wren 0.3 is out!', changedSeq: post.changedSeq + 1, editedAt: Date.now(), views: 1_300 },
    });
    await waitFor(() => expect(within(postRow('0.3 is out!') as HTMLElement).getByTestId('channel-post-edited')).toBeTruthy());
    platform.hostEvent({
      type: 'postUpserted',
      post: { ...post, text: '', deleted: true, changedSeq: post.changedSeq + 2, views: 1_300 },
    });
    // A deleted post stays as a placeholder, without its view count.
    await waitFor(() => expect(postTexts().at(-1)).toBe('Deleted post'));
    expect(postTexts()).toHaveLength(4);
    const placeholder = screen.getAllByTestId('channel-post').at(-1) as HTMLElement;
    expect(placeholder.dataset['deleted']).toBe('true');
    expect(within(placeholder).queryByTestId('channel-views')).toBeNull();
  });

  it('ignores posts of channels that are not open', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews', 'football_live'] } });
    const list = await screen.findByTestId('channel-list');
    fireEvent.click(within(list).getAllByRole('option')[0] as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Football Live'));
    await waitFor(() => expect(postTexts()).toHaveLength(2));
    platform.publish(platform.channelIdByTitle('Wren News'), 'elsewhere');
    await new Promise((r) => setTimeout(r, 20));
    expect(postTexts()).toHaveLength(2);
  });

  it('lets a subscriber leave after confirming', async () => {
    renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const list = await screen.findByTestId('channel-list');
    fireEvent.click(within(list).getByRole('option'));
    fireEvent.click(await screen.findByTestId('channel-leave'));
    const confirm = await screen.findByTestId('channel-leave-confirm');
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    fireEvent.click(screen.getByTestId('channel-leave-cancel'));
    expect(screen.queryByTestId('channel-leave-confirm')).toBeNull();
    fireEvent.click(screen.getByTestId('channel-leave'));
    fireEvent.click(await screen.findByTestId('channel-leave-confirm'));
    await screen.findByTestId('no-chat-selected');
    expect(screen.queryByTestId('channel-list')).toBeNull();
  });

  it('shows its info: description, link, topic, language and role', async () => {
    renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    fireEvent.click(within(await screen.findByTestId('channel-list')).getByRole('option'));
    fireEvent.click(await screen.findByTestId('channel-info-button'));
    const dialog = await screen.findByTestId('channel-info-dialog');
    expect(within(dialog).getByTestId('channel-info-title').textContent).toBe('Wren News');
    expect(within(dialog).getByTestId('channel-info-subscribers').textContent).toBe('12,482 subscribers');
    expect(within(dialog).getByTestId('channel-info-description').textContent).toBe('Release notes and tips from the Wren team.');
    expect(within(dialog).getByTestId('channel-info-handle').textContent).toBe('@wrennews');
    expect(dialog.textContent).toContain('wren://channel/wrennews');
    expect(within(dialog).getByTestId('channel-info-topic').textContent).toBe('News');
    expect(within(dialog).getByTestId('channel-info-language').textContent).toBe('English');
    expect(within(dialog).getByTestId('channel-info-role').textContent).toBe('Subscriber');
    expect(within(dialog).queryByTestId('channel-invite-create')).toBeNull();
    expect(within(dialog).getByTestId('channel-info-leave')).toBeTruthy();
  });

  it('switches between chats and channels with Alt+Down / Alt+Up', async () => {
    renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    await screen.findByTestId('channel-list');
    fireEvent.click(screen.getByTestId('chat-item-4'));
    await screen.findByTestId('conversation');
    const last = screen.getAllByRole('option').filter((o) => o.dataset['testid']?.startsWith('chat-item-')).at(-1);
    fireEvent.click(last as HTMLElement);
    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Wren News'));
    expect(screen.queryByTestId('conversation')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'ArrowUp', altKey: true });
    await screen.findByTestId('conversation');
    expect(screen.queryByTestId('channel-view')).toBeNull();
  });

  it('writes view counts in Arabic digits in an Arabic window', async () => {
    renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    fireEvent.click(await screen.findByTestId('open-settings'));
    fireEvent.change(await screen.findByTestId('settings-language'), { target: { value: 'ar' } });
    fireEvent.click(screen.getByTestId('dialog-close'));
    fireEvent.click(within(await screen.findByTestId('channel-list')).getByRole('option'));
    await waitFor(() => expect(postTexts()).toHaveLength(3));
    const views = within(postRow('channels are here') as HTMLElement).getByTestId('channel-views');
    expect(views.textContent).toContain('٩٬٨١٢');
    expect(views.textContent).toContain('مشاهدة');
    expect(screen.getByTestId('channel-subtitle').textContent).toContain('مشترك');
  });
});

describe('owning a channel', () => {
  it('creates a public channel, posts with the composer and makes an invite link', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-channel-open'));
    await screen.findByTestId('new-channel-dialog');
    expect(document.activeElement).toBe(screen.getByTestId('new-channel-title'));
    fill('new-channel-title', 'Alice writes');
    fill('new-channel-handle', '@Alice_Writes');
    fireEvent.change(screen.getByTestId('new-channel-topic'), { target: { value: 'art' } });
    fill('new-channel-description', 'Short stories.');
    fireEvent.click(screen.getByTestId('new-channel-create'));
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Alice writes'));
    expect(screen.queryByTestId('new-channel-dialog')).toBeNull();
    expect(screen.getByTestId('channel-subtitle').textContent).toBe('1 subscriber · @alice_writes');
    expect(await screen.findByTestId('channel-no-posts')).toBeTruthy();
    expect(within(screen.getByTestId('channel-list')).getByRole('option').textContent).toContain('Alice writes');
    const found = await platform.findChannel('alice_writes');
    expect(found).toMatchObject({ topic: 'art', language: 'en', description: 'Short stories.', role: 'owner' });

    const composer = screen.getByTestId('channel-composer') as HTMLTextAreaElement;
    await waitFor(() => expect(document.activeElement).toBe(composer));
    expect((screen.getByTestId('channel-send') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(composer, { target: { value: 'Once upon a time' } });
    fireEvent.click(screen.getByTestId('channel-send'));
    await waitFor(() => expect(postTexts()).toEqual(['Once upon a time']));
    expect(composer.value).toBe('');
    fireEvent.input(composer, { target: { value: 'Chapter two' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    await waitFor(() => expect(postTexts()).toEqual(['Once upon a time', 'Chapter two']));
    expect(within(postRow('Chapter two') as HTMLElement).getByTestId('channel-views').textContent).toContain('0');
    expect(screen.queryByTestId('channel-leave')).toBeNull();

    fireEvent.click(screen.getByTestId('channel-info-button'));
    const dialog = await screen.findByTestId('channel-info-dialog');
    expect(within(dialog).getByTestId('channel-info-role').textContent).toBe('Owner');
    expect(within(dialog).queryByTestId('channel-info-leave')).toBeNull();
    fireEvent.click(within(dialog).getByTestId('channel-invite-create'));
    const link = (await within(dialog).findByTestId('channel-invite-link')) as HTMLInputElement;
    expect(link.value).toMatch(/^wren:\/\/join\/[0-9a-f]{64}$/);
  });

  it('creates a private channel without a handle', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-channel-open'));
    fill('new-channel-title', 'Family');
    fireEvent.click(screen.getByTestId('new-channel-private'));
    expect(screen.queryByTestId('new-channel-handle')).toBeNull();
    fireEvent.click(screen.getByTestId('new-channel-create'));
    await waitFor(() => expect(screen.getByTestId('channel-title').textContent).toBe('Family'));
    expect(screen.getByTestId('channel-subtitle').textContent).toBe('1 subscriber · Private channel');
  });

  it('shows what is wrong under each field, the host refusals included', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-channel-open'));
    await screen.findByTestId('new-channel-dialog');
    const title = screen.getByTestId('new-channel-title');
    const handle = screen.getByTestId('new-channel-handle');

    // Nothing filled in: both required fields say so, and focus goes to the first.
    fireEvent.click(screen.getByTestId('new-channel-create'));
    expect((await screen.findByTestId('new-channel-title-error')).textContent).toBe(
      'Give the channel a name of up to 128 characters.',
    );
    expect(screen.getByTestId('new-channel-handle-error').textContent).toBe('A public channel needs a handle.');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(title.getAttribute('aria-describedby')).toBe(screen.getByTestId('new-channel-title-error').id);
    await waitFor(() => expect(document.activeElement).toBe(title));

    // A handle the host refuses: its message is shown under the handle.
    fill('new-channel-title', 'Mine');
    expect(screen.queryByTestId('new-channel-title-error')).toBeNull();
    fill('new-channel-handle', 'ab');
    fireEvent.click(screen.getByTestId('new-channel-create'));
    const error = await screen.findByTestId('new-channel-handle-error');
    expect(error.textContent).toBe('A handle has 5 to 32 letters a–z, digits and underscores, and starts with a letter.');
    expect(error.getAttribute('role')).toBe('alert');
    expect(handle.getAttribute('aria-invalid')).toBe('true');
    expect(handle.getAttribute('aria-describedby')).toContain(error.id);
    await waitFor(() => expect(document.activeElement).toBe(handle));
    expect(screen.queryByTestId('new-channel-title-error')).toBeNull();
    expect(screen.queryByTestId('form-error')).toBeNull();

    // A handle another channel has.
    fill('new-channel-handle', 'wrennews');
    fireEvent.click(screen.getByTestId('new-channel-create'));
    await waitFor(() =>
      expect(screen.getByTestId('new-channel-handle-error').textContent).toBe('This handle is taken by another channel.'),
    );
    expect(screen.getByTestId('new-channel-dialog')).toBeTruthy();
    expect(screen.queryByTestId('channel-view')).toBeNull();
  });

  it('says when the plan allows no more public channels', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    for (let i = 0; i < 10; i++) {
      await platform.createChannel({ title: `P${i}`, handle: `alice_p${i}`, description: '', topic: 'other', language: 'en' });
    }
    fireEvent.click(await screen.findByTestId('new-channel-open'));
    fill('new-channel-title', 'One more');
    fill('new-channel-handle', 'alice_more');
    fireEvent.click(screen.getByTestId('new-channel-create'));
    expect((await screen.findByTestId('form-error')).textContent).toBe(
      'You own as many public channels as your plan allows. Create a private channel instead.',
    );
  });
});
