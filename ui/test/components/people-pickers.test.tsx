import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

const BOB = 2;
const CAROL = 3;
const DAVE = 4;
const ERIN = 5;

describe('people pickers', () => {
  it('suggests a known person by display name without diacritics; picking fills the username', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    platform.peerSetsProfile('dave', 'Zoë Dávid');
    fireEvent.click(screen.getByTestId('new-direct'));
    const input = (await screen.findByTestId('new-direct-username')) as HTMLInputElement;
    expect(input.getAttribute('role')).toBe('combobox');
    expect(screen.getByLabelText('Username')).toBe(input);
    fireEvent.input(input, { target: { value: 'zoe' } });
    const list = await screen.findByTestId('people-suggestions');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(input.getAttribute('aria-controls')).toBe(list.id);
    const option = within(list).getByTestId(`people-option-${DAVE}`);
    expect(option.textContent).toBe('Zoë Dávid @dave');
    expect(within(list).getAllByRole('option')).toHaveLength(1);
    fireEvent.click(option);
    expect(input.value).toBe('dave');
    expect(screen.queryByTestId('people-suggestions')).toBeNull();
    fireEvent.click(screen.getByTestId('new-direct-submit'));
    expect((await screen.findByTestId('conversation-title')).textContent).toBe('Zoë Dávid');
  });

  it('matches Arabic names with the harakat ignored, and never suggests oneself', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('main-screen');
    platform.peerSetsProfile('erin', 'أَحْمَد');
    fireEvent.click(screen.getByTestId('new-direct'));
    const input = await screen.findByTestId('new-direct-username');
    fireEvent.input(input, { target: { value: 'أحمد' } });
    expect(await screen.findByTestId(`people-option-${ERIN}`)).toBeTruthy();
    fireEvent.input(input, { target: { value: 'ali' } });
    expect(screen.queryByTestId('people-suggestions')).toBeNull();
  });

  it('moves through the suggestions with the arrow keys, Enter picks, Esc closes without closing the dialog', async () => {
    renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-group'));
    const input = (await screen.findByTestId('new-group-members')) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'bob, ' } });
    expect(screen.queryByTestId('people-suggestions')).toBeNull();
    fireEvent.input(input, { target: { value: 'bob, a' } });
    const list = await screen.findByTestId('people-suggestions');
    // bob is typed already, alice is this account: carol and dave are left.
    expect(within(list).getAllByRole('option').map((o) => o.dataset['testid'])).toEqual([
      `people-option-${CAROL}`,
      `people-option-${DAVE}`,
    ]);
    expect(input.getAttribute('aria-activedescendant')).toBeNull();
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    const active = screen.getByTestId(`people-option-${DAVE}`);
    expect(input.getAttribute('aria-activedescendant')).toBe(active.id);
    expect(active.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(input.value).toBe('bob, dave, ');
    fireEvent.input(input, { target: { value: 'bob, dave, car' } });
    await screen.findByTestId('people-suggestions');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('people-suggestions')).toBeNull();
    expect(screen.getByTestId('new-group-dialog')).toBeTruthy();
  });

  it('suggests in the add-member field only people not in the group, and adds the one picked', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    fireEvent.click(await screen.findByTestId('new-group'));
    fireEvent.input(screen.getByTestId('new-group-title'), { target: { value: 'Book club' } });
    fireEvent.input(screen.getByTestId('new-group-members'), { target: { value: 'bob' } });
    fireEvent.click(screen.getByTestId('new-group-submit'));
    await screen.findByTestId('conversation-title');
    platform.peerSetsProfile('carol', 'Carolé');
    fireEvent.click(screen.getByTestId('chat-info-button'));
    const input = (await screen.findByTestId('add-member-input')) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'o' } });
    const list = await screen.findByTestId('people-suggestions');
    expect(within(list).queryByTestId(`people-option-${BOB}`)).toBeNull();
    fireEvent.input(input, { target: { value: 'carole' } });
    fireEvent.click(await screen.findByTestId(`people-option-${CAROL}`));
    expect(input.value).toBe('carol');
    fireEvent.click(screen.getByTestId('add-member-submit'));
    const members = screen.getByTestId('member-list');
    await waitFor(() => expect(within(members).getByTestId(`member-${CAROL}`)).toBeTruthy());
  });
});
