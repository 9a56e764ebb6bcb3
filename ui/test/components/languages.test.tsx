// What the Arabic window shows: Arabic-Indic digits throughout, Arabic plural forms, and
// other people's names isolated inside translated sentences.

import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const LATIN_DIGIT = /[0-9]/;
const FSI = '\u2068';
const PDI = '\u2069';

async function inArabic(): Promise<ReturnType<typeof renderApp>> {
  const app = renderApp({ signedInAs: 'alice' });
  await screen.findByTestId('chat-list');
  app.state.settings.setLang('ar');
  return app;
}

describe('the Arabic window', () => {
  it('writes counts, badges and times in Arabic-Indic digits, never Latin ones', async () => {
    const { platform } = await inArabic();
    const row = await screen.findByTestId(`chat-item-${BOB}`);
    await waitFor(() => expect(within(row).getByTestId('unread-badge').textContent).toBe('٢'));
    expect(screen.getByRole('option', { name: /^bob.*رسالتان غير مقروءتين/ })).toBe(row);
    // Three is spoken as a number, and the row's name writes it in Arabic-Indic digits too.
    platform.deliver(BOB, 'bob', 'هل وصلت الصور؟');
    await waitFor(() => expect(within(row).getByTestId('unread-badge').textContent).toBe('٣'));
    const spoken = (name: string): boolean => name.includes('٣ رسائل غير مقروءة') && !LATIN_DIGIT.test(name);
    expect(screen.getByRole('option', { name: (name) => name.startsWith('bob') && spoken(name) })).toBe(row);
    const times = screen.getAllByTestId('chat-list')[0]?.querySelectorAll('time') ?? [];
    expect(times.length).toBe(4);
    for (const time of times) expect(time.textContent).not.toMatch(LATIN_DIGIT);

    fireEvent.click(screen.getByTestId(`chat-item-${TRIP}`));
    // Four members, one of the three others (bob) online.
    await waitFor(() => expect(screen.getByTestId('typing-indicator').textContent).toBe('٤ أعضاء، واحد متصل'));
    await screen.findAllByTestId('message');
    for (const time of screen.getByTestId('message-list').querySelectorAll('time')) {
      expect(time.textContent).not.toMatch(LATIN_DIGIT);
    }
    expect(document.title).toBe('رِن (٤)');
  });

  it('isolates a Latin name inside an Arabic sentence', async () => {
    const { platform } = await inArabic();
    fireEvent.click(await screen.findByTestId(`chat-item-${TRIP}`));
    platform.peerTyping(TRIP, 'carol');
    await waitFor(() => expect(screen.getByTestId('typing-indicator').textContent).toBe(`${FSI}carol${PDI} يكتب…`));
    fireEvent.click(screen.getByTestId('open-chat-info'));
    const remove = await screen.findByTestId('remove-member-3');
    expect(remove.getAttribute('aria-label')).toBe(`إزالة ${FSI}carol${PDI}`);
  });
});
