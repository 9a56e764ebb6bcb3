import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

describe('settings', () => {
  it('switching to Arabic flips the whole document to right-to-left', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const select = (await screen.findByTestId('settings-language')) as HTMLSelectElement;
    expect(document.documentElement.getAttribute('dir')).toBe('ltr');
    fireEvent.change(select, { target: { value: 'ar' } });
    expect(document.documentElement.getAttribute('dir')).toBe('rtl');
    expect(document.documentElement.getAttribute('lang')).toBe('ar');
    expect(screen.getByRole('dialog').getAttribute('aria-labelledby')).toBeTruthy();
    expect(screen.getByText('الإعدادات')).toBeTruthy();
    expect((screen.getByTestId('search-input') as HTMLInputElement).placeholder).toBe('بحث');
    fireEvent.change(select, { target: { value: 'en' } });
    expect(document.documentElement.getAttribute('dir')).toBe('ltr');
  });

  it('sets the theme on the document', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    fireEvent.click(await screen.findByTestId('theme-dark'));
    expect(document.documentElement.dataset['theme']).toBe('dark');
    fireEvent.click(screen.getByTestId('theme-light'));
    expect(document.documentElement.dataset['theme']).toBe('light');
  });

  it('revokes another device, and Esc closes the dialog', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('open-settings'));
    const devices = await screen.findByTestId('device-list');
    await waitFor(() => expect(within(devices).getAllByRole('listitem').length).toBe(3));
    expect(within(devices).queryByTestId('revoke-device-1')).toBeNull();
    fireEvent.click(within(devices).getByTestId('revoke-device-2'));
    await waitFor(() => expect(within(devices).getAllByRole('listitem').length).toBe(2));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
  });
});

describe('new chats and groups', () => {
  it('opens a direct chat by username and says when the user does not exist', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-direct'));
    fireEvent.input(screen.getByTestId('new-direct-username'), { target: { value: 'nobody' } });
    fireEvent.click(screen.getByTestId('new-direct-submit'));
    expect((await screen.findByTestId('form-error')).textContent).toBe('No such user.');
    fireEvent.input(screen.getByTestId('new-direct-username'), { target: { value: 'dave' } });
    fireEvent.click(screen.getByTestId('new-direct-submit'));
    expect((await screen.findByTestId('conversation-title')).textContent).toBe('dave');
  });

  it('creates a group and lets its admin remove a member', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-group'));
    fireEvent.input(screen.getByTestId('new-group-title'), { target: { value: 'Book club' } });
    fireEvent.input(screen.getByTestId('new-group-members'), { target: { value: 'bob, carol' } });
    fireEvent.click(screen.getByTestId('new-group-submit'));
    expect((await screen.findByTestId('conversation-title')).textContent).toBe('Book club');
    fireEvent.click(screen.getByTestId('chat-info-button'));
    const members = await screen.findByTestId('member-list');
    expect(within(members).getAllByRole('listitem').length).toBe(3);
    fireEvent.click(within(members).getByTestId('remove-member-2'));
    await waitFor(() => expect(within(members).getAllByRole('listitem').length).toBe(2));
  });
});
