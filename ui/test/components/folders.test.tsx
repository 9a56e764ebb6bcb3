// Chat folders as a user meets them: creating one in Settings, its tab filtering the chat list,
// including and excluding chats, unread-only folders, refusals; and mentions: the "@" badge on
// a chat row and the button that jumps to each unread mention.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { Folder } from '../../src/platform/types';
import { folder } from '../fixtures';
import { renderApp } from '../render';
import { emulateScrolling } from '../scrolling';

const BOB = 1;
const TRIP = 2;
const ARCHIVE = 5;

async function start(options: Parameters<typeof renderApp>[0] = {}): Promise<ReturnType<typeof renderApp>> {
  const app = renderApp({ signedInAs: 'alice', ...options });
  const list = await screen.findByTestId('chat-list');
  await waitFor(() => expect(within(list).getAllByRole('option').length).toBeGreaterThan(3));
  return app;
}

/** The chat rows of the list shown now. */
function shown(): (string | undefined)[] {
  return within(screen.getByTestId('chat-list'))
    .getAllByRole('option')
    .map((el) => el.dataset['testid'])
    .filter((id) => id !== 'archived-entry');
}

async function withFolders(app: ReturnType<typeof renderApp>, folders: Folder[]): Promise<void> {
  await app.platform.setFolders(folders);
  await screen.findByTestId('folder-tabs');
}

async function openFolderEditor(testId: string): Promise<HTMLElement> {
  fireEvent.click(screen.getByTestId('open-settings'));
  const section = await screen.findByTestId('settings-folders');
  fireEvent.click(within(section).getByTestId(testId));
  return screen.findByTestId('folder-dialog');
}

describe('folder tabs', () => {
  it('creates a "Work" folder of groups in Settings: its tab shows only groups and is remembered', async () => {
    const { state } = await start();
    expect(screen.queryByTestId('folder-tabs')).toBeNull();
    const dialog = await openFolderEditor('folder-create');
    const name = within(dialog).getByTestId('folder-name');
    fireEvent.input(name, { target: { value: 'Work' } });
    expect(within(dialog).getByTestId('folder-name-left').textContent).toBe('8 characters left');
    fireEvent.click(within(dialog).getByTestId('folder-groups'));
    fireEvent.click(within(dialog).getByTestId('folder-save'));
    await waitFor(() => expect(screen.queryByTestId('folder-dialog')).toBeNull());
    expect(within(screen.getByTestId('settings-folders')).getByTestId('folder-row-1').textContent).toContain('Work');
    fireEvent.click(screen.getByTestId('dialog-close'));

    const tabs = await screen.findByRole('tablist', { name: 'Chat folders' });
    const all = within(tabs).getByTestId('folder-tab-all');
    const work = within(tabs).getByTestId('folder-tab-1');
    expect(all.getAttribute('aria-selected')).toBe('true');
    expect(shown()).toContain(`chat-item-${BOB}`);
    fireEvent.click(work);
    await waitFor(() => expect(shown()).toEqual([`chat-item-${TRIP}`]));
    expect(work.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(work.id);
    expect(state.settings.folderTab()).toBe(1);
    expect(window.localStorage.getItem('wren.settings')).toContain('"folderTab":1');

    // Arrow keys move between the tabs and choose them.
    work.focus();
    fireEvent.keyDown(work, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(all);
    expect(all.getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(shown()).toContain(`chat-item-${BOB}`));
  });

  it('includes and takes out a chat with the row menu', async () => {
    const app = await start();
    await withFolders(app, [folder({ id: 1, name: 'Work', direct: false, groups: true })]);
    fireEvent.contextMenu(screen.getByTestId(`chat-item-${BOB}`), { clientX: 10, clientY: 10 });
    const item = within(await screen.findByTestId('chat-menu')).getByTestId('chat-menu-folder-1');
    expect(item.getAttribute('role')).toBe('menuitemcheckbox');
    expect(item.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(item);
    await waitFor(async () => expect((await app.platform.folders())[0]?.include).toEqual([BOB]));
    fireEvent.click(screen.getByTestId('folder-tab-1'));
    await waitFor(() => expect([...shown()].sort()).toEqual([`chat-item-${BOB}`, `chat-item-${TRIP}`]));

    fireEvent.contextMenu(screen.getByTestId(`chat-item-${BOB}`), { clientX: 10, clientY: 10 });
    const again = within(await screen.findByTestId('chat-menu')).getByTestId('chat-menu-folder-1');
    expect(again.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(again);
    await waitFor(() => expect(shown()).toEqual([`chat-item-${TRIP}`]));
  });

  it('never shows a chat excluded in the editor', async () => {
    const app = await start();
    await withFolders(app, [folder({ id: 1, name: 'Everything' })]);
    fireEvent.click(screen.getByTestId('folder-tab-1'));
    await waitFor(() => expect(shown()).toContain(`chat-item-${TRIP}`));
    const dialog = await openFolderEditor('folder-edit-1');
    fireEvent.click(within(dialog).getByTestId(`folder-exclude-${TRIP}`));
    fireEvent.click(within(dialog).getByTestId('folder-save'));
    await waitFor(() => expect(screen.queryByTestId('folder-dialog')).toBeNull());
    fireEvent.click(screen.getByTestId('dialog-close'));
    await waitFor(() => expect(shown()).not.toContain(`chat-item-${TRIP}`));
    expect(shown()).toContain(`chat-item-${BOB}`);
  });

  it('hides a read chat from an unread-only folder', async () => {
    const app = await start();
    const chats = await app.platform.chats();
    const unread = chats.filter((c) => c.kind === 'direct' && c.unreadCount > 0 && !c.archived).map((c) => `chat-item-${c.id}`);
    const read = chats.find((c) => c.kind === 'direct' && c.unreadCount === 0 && !c.archived);
    expect(read).toBeDefined();
    await withFolders(app, [folder({ id: 1, name: 'New', groups: false, unreadOnly: true })]);
    fireEvent.click(screen.getByTestId('folder-tab-1'));
    await waitFor(() => expect([...shown()].sort()).toEqual([...unread].sort()));
    expect(shown()).not.toContain(`chat-item-${read?.id}`);
  });

  it('shows why the host refused a folder in the dialog', async () => {
    await start();
    const dialog = await openFolderEditor('folder-create');
    fireEvent.input(within(dialog).getByTestId('folder-name'), { target: { value: 'Empty' } });
    fireEvent.click(within(dialog).getByTestId('folder-save'));
    const error = await within(dialog).findByTestId('form-error');
    expect(error.textContent).toMatch(/^The folders were not saved: .*nothing can be in the folder/);
    expect(screen.getByTestId('folder-dialog')).toBeTruthy();
    expect(screen.queryByTestId('folder-tabs')).toBeNull();
  });

  it('reorders folders in Settings', async () => {
    const app = await start();
    await withFolders(app, [folder({ id: 1, name: 'One' }), folder({ id: 2, name: 'Two' })]);
    fireEvent.click(screen.getByTestId('open-settings'));
    const section = await screen.findByTestId('settings-folders');
    expect((within(section).getByTestId('folder-up-1') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(section).getByTestId('folder-down-1'));
    await waitFor(async () => expect((await app.platform.folders()).map((f) => f.id)).toEqual([2, 1]));
    await waitFor(() => expect(document.activeElement).toBe(within(section).getByTestId('folder-up-1')));
  });
});

describe('mentions', () => {
  it('badges the row and jumps to each unread mention in turn', async () => {
    const restore = emulateScrolling(600);
    try {
      const app = await start({ archiveSize: 600 });
      for (let i = 0; i < 100; i++) app.platform.deliver(ARCHIVE, 'bob', `filler ${i}`);
      const first = app.platform.deliver(ARCHIVE, 'bob', 'Look at this, @Alice');
      for (let i = 100; i < 150; i++) app.platform.deliver(ARCHIVE, 'carol', `filler ${i}`);
      app.platform.deliver(ARCHIVE, 'carol', 'Replying to you', false, 1);
      for (let i = 150; i < 200; i++) app.platform.deliver(ARCHIVE, 'bob', `filler ${i}`);
      expect(first.mentionsMe).toBe(true);

      const row = screen.getByTestId(`chat-item-${ARCHIVE}`);
      const badge = await within(row).findByTestId('chat-mention-badge');
      expect(badge.getAttribute('aria-label')).toBe('2 unread mentions');
      expect(within(row).getByRole('img', { name: '2 unread mentions' })).toBe(badge);

      fireEvent.click(row);
      await screen.findByTestId('conversation');
      const jump = await screen.findByTestId('jump-to-mention');
      expect(jump.getAttribute('aria-label')).toMatch(/unread mention/);
      const message = (text: string): HTMLElement | null =>
        screen.queryAllByTestId('message').find((el) => el.textContent?.includes(text))?.closest('.message') ?? null;
      expect(message('Look at this')).toBeNull();

      fireEvent.click(jump);
      await waitFor(() => expect(message('Look at this')?.classList.contains('highlighted')).toBe(true));
      expect(message('Look at this')?.classList.contains('mentions-me')).toBe(true);

      fireEvent.click(screen.getByTestId('jump-to-mention'));
      await waitFor(() => expect(message('Replying to you')?.classList.contains('highlighted')).toBe(true));
      expect(message('Replying to you')?.classList.contains('mentions-me')).toBe(true);
    } finally {
      restore();
    }
  });
});
