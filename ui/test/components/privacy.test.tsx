import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../render';

const radio = (testId: string): HTMLInputElement => screen.getByTestId(testId) as HTMLInputElement;

async function openSettings(): Promise<void> {
  fireEvent.click(await screen.findByTestId('open-settings'));
}

describe('who can add me to groups', () => {
  it('shows the setting the server has and changes it there', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openSettings();
    expect(screen.getByText('Who can add me to groups')).toBeTruthy();
    await waitFor(() => expect(radio('group-adds-everybody').checked).toBe(true));
    fireEvent.click(radio('group-adds-nobody'));
    await waitFor(() => expect(radio('group-adds-nobody').checked).toBe(true));
    expect(radio('group-adds-everybody').checked).toBe(false);
    await expect(platform.privacy(null)).resolves.toEqual({ groupAdds: 'nobody', lastSeen: 'everybody' });
    // Reopened, the dialog reads it back from the server.
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    await openSettings();
    await waitFor(() => expect(radio('group-adds-nobody').checked).toBe(true));
  });

  it('keeps showing what the server has when a change fails', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openSettings();
    await waitFor(() => expect(radio('group-adds-everybody').checked).toBe(true));
    const refused = vi.spyOn(platform, 'privacy').mockRejectedValue({ code: 'network', message: 'offline' });
    fireEvent.click(radio('group-adds-nobody'));
    expect((await screen.findByTestId('form-error')).textContent).toBe(
      'Cannot reach the server. Check the address and your connection.',
    );
    expect(refused).toHaveBeenCalledWith('nobody');
    expect(radio('group-adds-everybody').checked).toBe(true);
    expect(radio('group-adds-nobody').checked).toBe(false);
  });

  it('cannot be changed while the server cannot be asked', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    vi.spyOn(platform, 'privacy').mockRejectedValue({ code: 'network', message: 'offline' });
    await openSettings();
    const choice = screen.getByTestId('settings-group-adds') as HTMLFieldSetElement;
    await waitFor(() => expect(choice.disabled).toBe(true));
    expect(radio('group-adds-everybody').checked).toBe(false);
    expect(radio('group-adds-nobody').checked).toBe(false);
  });

  it('is offered in Arabic', async () => {
    renderApp({ signedInAs: 'alice' });
    await openSettings();
    fireEvent.change(screen.getByTestId('settings-language'), { target: { value: 'ar' } });
    expect(screen.getByText('الخصوصية')).toBeTruthy();
    expect(screen.getByText('من يمكنه إضافتي إلى المجموعات')).toBeTruthy();
    const groupAdds = screen.getByTestId('settings-group-adds');
    expect(within(groupAdds).getByText('الجميع')).toBeTruthy();
    expect(within(groupAdds).getByText('لا أحد')).toBeTruthy();
  });
});
