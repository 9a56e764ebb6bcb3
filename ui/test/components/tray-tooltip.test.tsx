import { screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

describe('tray tooltip', () => {
  it('counts the unread messages of every account in the UI’s language', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice', moreAccounts: ['bob'] });
    await screen.findByTestId('main-screen');
    const total = (): number => state.accounts.slots().reduce((sum, slot) => sum + slot.unread, 0);
    await waitFor(() => expect(total()).toBeGreaterThan(0));
    expect(platform.trayTooltip).toEqual([total(), `Wren: ${total()} unread messages`]);

    state.settings.setLang('ar');
    await waitFor(() => expect(platform.trayTooltip?.[1]).toMatch(/^رِن: /));
    expect(platform.trayTooltip?.[0]).toBe(total());
  });
});
