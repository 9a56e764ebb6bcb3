import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { MemoryPlatform } from '../../src/platform/memory';
import type { BusinessProfile } from '../../src/platform/types';
import { renderApp } from '../render';

const ALICE = 1;

function fill(el: HTMLElement, value: string): void {
  fireEvent.input(el, { target: { value } });
}

async function openPlan(): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId('open-settings'));
  const section = await screen.findByTestId('settings-plan');
  await within(section).findByTestId('plan-name');
  return section;
}

async function openEditor(): Promise<HTMLElement> {
  const section = await openPlan();
  fireEvent.click(within(section).getByTestId('business-profile-open'));
  const dialog = await screen.findByTestId('business-profile-dialog');
  await within(dialog).findByTestId('business-profile-save');
  return dialog;
}

function text(testId: string): string {
  return screen.getByTestId(testId).textContent ?? '';
}

describe('the plan in settings', () => {
  it('on Free: what it includes, what Business would unlock, and that free stays free', async () => {
    renderApp({ signedInAs: 'alice' });
    const section = await openPlan();
    expect(text('plan-name')).toBe('Your plan: \u2068Free\u2069');
    expect(screen.getByTestId('plan-name').dataset['plan']).toBe('free');
    expect(within(section).queryByTestId('plan-until')).toBeNull();
    expect(text('plan-limit-channels')).toBe('Up to 10 public channels');
    expect(text('plan-limit-pins')).toBe('Up to 5 pinned chats');
    expect(text('plan-limit-profile')).toBe('No business profile');
    expect(text('plan-limit-sponsored')).toBe('Sponsored messages in large public channels');
    expect(text('plan-offer')).toBe(
      'The Business plan unlocks 20 public channels instead of 10, 10 pinned chats instead of 5, a business profile, and no sponsored messages.',
    );
    expect(text('plan-free-note')).toContain('Everything free stays free');
    expect(within(section).queryByTestId('business-profile-open')).toBeNull();
  });

  it('on Business: until when, the doubled limit, no sponsored messages, and the profile editor', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.setPlan('alice', 'business', new Date(2030, 2, 3, 12).getTime());
    const section = await openPlan();
    expect(text('plan-name')).toBe('Your plan: \u2068Business\u2069');
    expect(text('plan-until')).toMatch(/^Until \u2068.*2030\u2069$/);
    expect(text('plan-until')).toContain('March');
    expect(text('plan-limit-channels')).toBe('Up to 20 public channels');
    expect(text('plan-limit-pins')).toBe('Up to 10 pinned chats');
    expect(text('plan-limit-profile')).toContain('A business profile');
    expect(text('plan-limit-sponsored')).toBe('No sponsored messages');
    expect(within(section).queryByTestId('plan-offer')).toBeNull();
    expect(text('plan-free-note')).toContain('Everything free stays free');
    fireEvent.click(within(section).getByTestId('business-profile-open'));
    expect(await screen.findByTestId('business-profile-dialog')).toBeTruthy();
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
  });

  it('a Business plan without an end says so, and reads in Arabic', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.setPlan('alice', 'business');
    await openPlan();
    expect(text('plan-until')).toBe('No end date');
    fireEvent.change(screen.getByTestId('settings-language'), { target: { value: 'ar' } });
    expect(text('plan-name')).toBe('خطتك: \u2068الأعمال\u2069');
    expect(text('plan-limit-channels')).toBe('حتى ٢٠ قناة عامة');
    expect(text('plan-until')).toBe('بلا تاريخ انتهاء');
  });

  it('the Business plan lets the account own 20 public channels', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.setPlan('alice', 'business');
    for (let i = 0; i < 20; i++) {
      await platform.createChannel({ title: `P${i}`, handle: `alice_p${i}`, description: '', topic: 'other', language: 'en' });
    }
    await expect(
      platform.createChannel({ title: 'One more', handle: 'alice_more', description: '', topic: 'other', language: 'en' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the business profile editor', () => {
  it('checks each field as the host does, then saves', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.makeBusiness('alice');
    const dialog = await openEditor();
    const save = within(dialog).getByTestId('business-profile-save');
    // An empty profile to start with: every day closed, no quick replies.
    expect((screen.getByTestId('business-day-0') as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByTestId('business-opens-0')).toBeNull();
    expect(screen.getByTestId('business-no-replies')).toBeTruthy();

    // Monday, opening after it closes.
    fireEvent.click(screen.getByTestId('business-day-0'));
    const opens = screen.getByTestId('business-opens-0') as HTMLInputElement;
    const closes = screen.getByTestId('business-closes-0') as HTMLInputElement;
    expect(opens.value).toBe('09:00');
    fill(opens, '18:00');
    fill(closes, '09:00');
    const hoursError = await screen.findByTestId('business-hours-error-0');
    expect(hoursError.textContent).toBe('The opening time must be before the closing time.');
    expect(hoursError.getAttribute('role')).toBe('alert');
    expect(opens.getAttribute('aria-invalid')).toBe('true');
    expect(opens.getAttribute('aria-describedby')).toBe(hoursError.id);
    // Closing at 00:00 is midnight, the end of the day: fine.
    fill(closes, '00:00');
    await waitFor(() => expect(screen.queryByTestId('business-hours-error-0')).toBeNull());
    expect(opens.getAttribute('aria-invalid')).toBe('false');

    // Texts of at most 1024 characters (counted as characters, not UTF-16 units).
    const address = screen.getByTestId('business-address');
    fill(address, 'x'.repeat(1030));
    expect((await screen.findByTestId('business-address-error')).textContent).toBe(
      'At most 1,024 characters; this has 1,030.',
    );
    fill(screen.getByTestId('business-start-page-input'), '🚲'.repeat(1024));
    expect(screen.queryByTestId('business-start-page-input-error')).toBeNull();
    fill(screen.getByTestId('business-greeting'), 'Hello!');

    // Quick replies: a shortcut of 1–32 of a-z, 0-9 and _.
    fireEvent.click(screen.getByTestId('business-reply-add'));
    const row = (await screen.findAllByTestId('business-reply'))[0] as HTMLElement;
    const shortcut = within(row).getByTestId('business-reply-shortcut');
    await waitFor(() => expect(document.activeElement).toBe(shortcut));
    // Not complained about before it was typed in.
    expect(within(row).queryByTestId('business-reply-shortcut-error')).toBeNull();
    fill(shortcut, 'Hi!');
    expect((await within(row).findByTestId('business-reply-shortcut-error')).textContent).toBe(
      'A shortcut has 1 to 32 of the letters a–z, digits and _.',
    );
    fill(shortcut, 'hi');
    await waitFor(() => expect(within(row).queryByTestId('business-reply-shortcut-error')).toBeNull());
    fill(within(row).getByTestId('business-reply-text'), 'Hello, how can we help?');

    // Saving with a problem left: nothing is sent, and focus goes to it.
    fireEvent.click(save);
    expect((await within(dialog).findByTestId('form-error')).textContent).toBe(
      'Some fields need fixing before the profile can be saved.',
    );
    await waitFor(() => expect(document.activeElement).toBe(address));
    expect(await platform.businessProfile(ALICE)).toBeNull();

    fill(address, '1 Main Street');
    await waitFor(() => expect(screen.queryByTestId('business-address-error')).toBeNull());
    fireEvent.click(save);
    expect((await screen.findByTestId('business-profile-saved')).textContent).toBe('Business profile saved.');
    expect(within(dialog).queryByTestId('form-error')).toBeNull();
    const saved = await platform.businessProfile(ALICE);
    expect(saved).toMatchObject({
      hours: [{ day: 0, opens: 18 * 60, closes: 1440 }],
      address: '1 Main Street',
      greeting: 'Hello!',
      awayMessage: '',
      quickReplies: [{ shortcut: 'hi', text: 'Hello, how can we help?' }],
    });
    expect(saved?.startPage).toHaveLength(2048);
  });

  it('shows every problem once saving is tried, and takes at most 20 quick replies', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.makeBusiness('alice');
    const dialog = await openEditor();
    const add = within(dialog).getByTestId('business-reply-add') as HTMLButtonElement;
    for (let i = 0; i < 20; i++) fireEvent.click(add);
    await waitFor(() => expect(screen.getAllByTestId('business-reply')).toHaveLength(20));
    expect(add.disabled).toBe(true);
    // Empty shortcuts are not complained about until saving is tried.
    expect(screen.queryAllByTestId('business-reply-shortcut-error')).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('business-profile-save'));
    await waitFor(() => expect(screen.getAllByTestId('business-reply-shortcut-error')).toHaveLength(20));
    // Removing a row keeps the others, and makes room for one more.
    const second = screen.getAllByTestId('business-reply')[1] as HTMLElement;
    fill(within(second).getByTestId('business-reply-shortcut'), 'second');
    fireEvent.click(within(screen.getAllByTestId('business-reply')[0] as HTMLElement).getByTestId('business-reply-remove'));
    await waitFor(() => expect(screen.getAllByTestId('business-reply')).toHaveLength(19));
    expect((within(screen.getAllByTestId('business-reply')[0] as HTMLElement).getByTestId('business-reply-shortcut') as HTMLInputElement).value).toBe('second');
    expect(screen.getAllByTestId('business-reply-shortcut-error')).toHaveLength(18);
    expect(add.disabled).toBe(false);
  });

  it('loads the saved profile', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const profile: BusinessProfile = {
      hours: [{ day: 2, opens: 8 * 60 + 30, closes: 1440 }],
      utcOffsetMinutes: 330,
      address: 'MG Road',
      startPage: 'Welcome',
      greeting: 'Hi',
      awayMessage: 'Away',
      quickReplies: [{ shortcut: 'menu', text: 'Our menu' }],
    };
    platform.makeBusiness('alice', profile);
    await openEditor();
    expect((screen.getByTestId('business-day-2') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('business-opens-2') as HTMLInputElement).value).toBe('08:30');
    expect((screen.getByTestId('business-closes-2') as HTMLInputElement).value).toBe('00:00');
    expect((screen.getByTestId('business-utc-offset') as HTMLSelectElement).value).toBe('330');
    expect((screen.getByTestId('business-address') as HTMLTextAreaElement).value).toBe('MG Road');
    expect((screen.getByTestId('business-reply-shortcut') as HTMLInputElement).value).toBe('menu');
    // Saved unchanged, it comes back the same.
    fireEvent.click(screen.getByTestId('business-profile-save'));
    await screen.findByTestId('business-profile-saved');
    expect(await platform.businessProfile(ALICE)).toEqual(profile);
  });

  it("shows the host's refusal when the account is not on the Business plan", async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    platform.makeBusiness('alice');
    const dialog = await openEditor();
    fill(screen.getByTestId('business-address'), '1 Main Street');
    // The plan ended meanwhile.
    platform.setPlan('alice', 'free');
    fireEvent.click(within(dialog).getByTestId('business-profile-save'));
    const error = await within(dialog).findByTestId('form-error');
    expect(error.textContent).toBe('A business profile needs the Business plan. This account is on the Free plan.');
    expect(error.getAttribute('role')).toBe('alert');
    expect(screen.queryByTestId('business-profile-saved')).toBeNull();
    await expect(platform.setBusinessProfile({ ...emptyish(), address: 'x' })).rejects.toEqual({
      code: 'forbidden',
      message: 'a business profile needs the Business plan; this account is on Free',
    });
  });
});

function emptyish(): BusinessProfile {
  return { hours: [], utcOffsetMinutes: 0, address: '', startPage: '', greeting: '', awayMessage: '', quickReplies: [] };
}

async function startDirect(username: string): Promise<void> {
  fireEvent.click(await screen.findByTestId('new-direct'));
  fill(screen.getByTestId('new-direct-username'), username);
  fireEvent.click(screen.getByTestId('new-direct-submit'));
  await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe(username));
}

describe("a business contact's start page", () => {
  it('shows the start page, address and opening hours in an empty direct chat until the first message', async () => {
    renderApp({ signedInAs: 'alice', ackDelay: 5 });
    // dave is seeded on the Business plan, with a profile.
    await startDirect('dave');
    const page = await screen.findByTestId('business-start-page');
    expect(within(page).getByTestId('business-start-text').textContent).toContain("Dave's Bike Repair");
    expect(within(page).getByTestId('business-start-address').textContent).toBe('12 Harbour Street, Bristol');
    const days = within(page).getAllByTestId('business-start-day');
    expect(days).toHaveLength(7);
    expect(days[0]?.textContent).toBe('Monday 09:00–18:00');
    expect(days[5]?.textContent).toBe('Saturday 10:00–14:00');
    expect(days[6]?.textContent).toBe('Sunday Closed');
    expect(within(page).getByTestId('business-start-zone').textContent).toBe('Times in \u2068UTC\u2068+01:00\u2069\u2069');

    // The first message: the start page has done its job.
    fireEvent.input(screen.getByTestId('composer'), { target: { value: 'Hello! Can you fix a puncture today?' } });
    fireEvent.click(screen.getByTestId('send-button'));
    await waitFor(() => expect(screen.queryByTestId('business-start-page')).toBeNull());
  });

  it('is not shown for a contact without a business profile, nor once a chat has messages', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await startDirect('erin');
    await screen.findByTestId('conversation');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('business-start-page')).toBeNull();

    // bob becomes a business, but the chat with him already has messages.
    platform.makeBusiness('bob', { ...emptyish(), startPage: 'Bob & Co' });
    fireEvent.click(screen.getByTestId('chat-item-1'));
    await waitFor(() => expect(screen.getByTestId('conversation-title').textContent).toBe('bob'));
    await waitFor(() => expect(screen.getAllByTestId('message').length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('business-start-page')).toBeNull();
  });

  it('is not shown when the contact is no longer on the Business plan', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    (platform as MemoryPlatform).setPlan('dave', 'free');
    await startDirect('dave');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('business-start-page')).toBeNull();
  });
});

describe('pinned chats follow the plan', () => {
  it('Free pins 5 chats and refuses a sixth with the reason; Business pins 10', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    for (const chat of await platform.chats()) await platform.setPinned(chat.id, false);
    const chats = [];
    for (let i = 0; i < 11; i++) chats.push((await platform.createGroup(`Group ${i}`, ['bob'])).id);
    for (const chat of chats.slice(0, 5)) await platform.setPinned(chat, true);
    await expect(platform.setPinned(chats[5] as number, true)).rejects.toMatchObject({
      code: 'forbidden',
      message: '5 chats are pinned, the most the Free plan allows; Business pins 10',
    });
    // Unpinning one makes room again.
    await platform.setPinned(chats[0] as number, false);
    await platform.setPinned(chats[5] as number, true);
    platform.setPlan('alice', 'business');
    for (const chat of chats.slice(6, 10)) await platform.setPinned(chat, true);
    await platform.setPinned(chats[0] as number, true);
    await expect(platform.setPinned(chats[10] as number, true)).rejects.toMatchObject({ code: 'forbidden' });
    const pinned = (await platform.chats()).filter((c) => c.pinned).length;
    expect(pinned).toBe(10);
  });
});
