// One-to-one calls in the window: the call buttons of a direct chat, the call view from
// Calling… to Connected with its duration and security emojis, the incoming call panel
// (Accept, Decline, Esc, the ringtone), how a call ended, and call records in the history and
// the chat list, in English and Arabic. (The picture and picture in picture: video.test.tsx.)

import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/App';
import { MemoryPlatform, SIMULATED_CALL_EMOJIS } from '../../src/platform/memory';
import type { CallEndReason, CallInfo } from '../../src/platform/types';
import { createAppState } from '../../src/stores/app';
import { renderApp } from '../render';

const BOB = 1;
const TRIP = 2;
const CAROL = 3;
const BOB_ID = 2;
/** The memory host's clock follows the (possibly fake) timers, like the window's. */
const clock = (): number => Date.now();

/** The text without the bidi isolation marks around filled-in names and durations. */
const plain = (text: string | null | undefined): string => (text ?? '').replace(/[\u2068\u2069]/g, '');

let played: HTMLMediaElement[] = [];
let paused: HTMLMediaElement[] = [];

beforeEach(() => {
  played = [];
  paused = [];
  // There is no sound card here: playing is refused, as it may be on a real machine.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
    played.push(this);
    return Promise.reject(new DOMException('no audio output device', 'NotSupportedError'));
  });
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(function (this: HTMLMediaElement) {
    paused.push(this);
  });
});

afterEach(() => {
  // Unmounted while pause() is still stubbed (a ringing call stops its ringtone).
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function openChat(id: number): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId(`chat-item-${id}`));
  await waitFor(() => expect(screen.getByTestId('conversation').dataset['chat']).toBe(String(id)));
  return screen.getByTestId('conversation');
}

function status(): string {
  return plain(screen.getByTestId('call-status').textContent);
}

function recordLabels(): string[] {
  return screen.queryAllByTestId('call-record').map((r) => plain(r.textContent));
}

function preview(chat: number): string {
  return plain(within(screen.getByTestId(`chat-item-${chat}`)).getByTestId('chat-preview').textContent);
}

describe('call buttons', () => {
  it('are in the header of a direct chat only, not of a group or a channel', async () => {
    renderApp({ signedInAs: 'alice', subscriptions: { alice: ['wrennews'] } });
    const direct = await openChat(BOB);
    const header = direct.querySelector('header') as HTMLElement;
    expect(within(header).getByTestId('call-start-audio').getAttribute('aria-label')).toBe('Call');
    expect(within(header).getByTestId('call-start-video').getAttribute('aria-label')).toBe('Video call');

    await openChat(TRIP);
    expect(screen.queryByTestId('call-start-audio')).toBeNull();
    expect(screen.queryByTestId('call-start-video')).toBeNull();

    fireEvent.click(await screen.findByTestId('channel-item-1'));
    await screen.findByTestId('channel-view');
    expect(screen.queryByTestId('call-start-audio')).toBeNull();
  });

  it('are not offered in a group the user was removed from either', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(CAROL);
    expect(screen.getByTestId('call-start-audio')).toBeTruthy();
    platform.removeMe(TRIP);
    await openChat(TRIP);
    await screen.findByTestId('not-member');
    expect(screen.queryByTestId('call-start-audio')).toBeNull();
  });

  it('show the host’s refusal like the header’s other actions', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('call-start-audio'));
    await screen.findByTestId('call-view');
    fireEvent.click(screen.getByTestId('call-start-video'));
    expect((await screen.findByTestId('error-toast')).textContent).toContain('you are already in a call');
  });
});

describe('an outgoing call', () => {
  it('goes from Calling… to Ringing… to Connected, with a ticking duration and the emojis, and ends', async () => {
    const { platform } = renderApp({ signedInAs: 'alice', now: clock });
    await openChat(BOB);
    const start = vi.spyOn(platform, 'startCall');
    fireEvent.click(screen.getByTestId('call-start-audio'));
    expect(start).toHaveBeenCalledWith(BOB, false);

    const view = await screen.findByTestId('call-view');
    expect(view.getAttribute('role')).toBe('region');
    expect(view.getAttribute('aria-label')).toBe('Call');
    expect(view.textContent).toContain('bob');
    await waitFor(() => expect(status()).toBe('Calling…'));
    expect(screen.getByTestId('call-hang-up').textContent).toBe('Cancel');
    expect(screen.queryByTestId('call-duration')).toBeNull();
    expect(screen.queryByTestId('call-emojis')).toBeNull();
    // Until it is answered: Cancel only, and no picture (nor for a voice call later).
    expect(within(view).getAllByRole('button')).toHaveLength(1);
    expect(screen.queryByTestId('call-pip')).toBeNull();
    // The chats stay usable: nothing is inert.
    expect(document.querySelector('[inert]')).toBeNull();

    platform.simulateRemoteRinging();
    await waitFor(() => expect(status()).toBe('Ringing…'));

    vi.useFakeTimers();
    platform.simulateRemoteAnswer();
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('Connected');
    expect(screen.getByTestId('call-duration').textContent).toBe('0:00');
    expect(screen.getByTestId('call-hang-up').textContent).toBe('Hang up');
    expect(screen.getByTestId('call-pip').textContent).toBe('Picture in picture');
    expect(screen.queryByTestId('call-remote-video')).toBeNull();
    const emojis = screen.getByTestId('call-emojis');
    expect(emojis.textContent).toBe(SIMULATED_CALL_EMOJIS.join(' '));
    expect(plain(emojis.getAttribute('aria-label'))).toBe(`Security emojis: ${SIMULATED_CALL_EMOJIS.join(' ')}`);
    expect(view.textContent).toContain('If you both see these four emojis, the call is end-to-end encrypted.');

    await vi.advanceTimersByTimeAsync(5000);
    expect(screen.getByTestId('call-duration').textContent).toBe('0:05');
    await vi.advanceTimersByTimeAsync(128_000);
    expect(screen.getByTestId('call-duration').textContent).toBe('2:13');

    fireEvent.click(screen.getByTestId('call-hang-up'));
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('Call ended · 2:13');
    expect(screen.queryByTestId('call-hang-up')).toBeNull();
    expect(screen.queryByTestId('call-duration')).toBeNull();
    await vi.advanceTimersByTimeAsync(1900);
    expect(screen.getByTestId('call-view')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(100);
    expect(screen.queryByTestId('call-view')).toBeNull();
    vi.useRealTimers();

    // The caller's device wrote the record: in the history and as the chat's preview.
    await waitFor(() => expect(recordLabels()).toEqual(['Outgoing call · 2:13']));
    expect(preview(BOB)).toBe('Outgoing call · 2:13');
  });

  it('says each step to screen readers once', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('call-start-video'));
    await screen.findByTestId('call-view');
    platform.simulateRemoteRinging();
    platform.simulateRemoteAnswer();
    await waitFor(() => expect(status()).toBe('Connected'));
    const said = [...screen.getByTestId('announcer').querySelectorAll('p')].map((p) => plain(p.textContent));
    expect(said).toEqual(['Call with bob: Calling…', 'Call with bob: Ringing…', 'Call with bob: Connected']);
  });

  it('shows why it ended for two seconds, then closes', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('call-start-audio'));
    await waitFor(() => expect(status()).toBe('Calling…'));
    platform.simulateRemoteRinging();
    vi.useFakeTimers();
    platform.simulateRemoteDecline();
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('Declined');
    await vi.advanceTimersByTimeAsync(1999);
    expect(screen.getByTestId('call-view')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(1);
    expect(screen.queryByTestId('call-view')).toBeNull();
    vi.useRealTimers();
    await waitFor(() => expect(recordLabels()).toContain('Declined call'));
  });

  it('cancelled before an answer leaves a cancelled call', async () => {
    renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('call-start-video'));
    fireEvent.click(await screen.findByTestId('call-hang-up'));
    await waitFor(() => expect(status()).toBe('Cancelled'));
    await waitFor(() => expect(recordLabels()).toEqual(['Cancelled video call']));
    expect(preview(BOB)).toBe('Cancelled video call');
  });

  it('says every other way a call can end', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    const reasons: [CallEndReason, string][] = [
      ['noAnswer', 'No answer'],
      ['busy', 'Busy'],
      ['missed', 'Missed call'],
      ['answeredElsewhere', 'Answered on another device'],
      ['declinedElsewhere', 'Declined on another device'],
      [{ hungUp: { byMe: false } }, 'Call ended · 0:45'],
    ];
    let id = 100;
    for (const [reason, text] of reasons) {
      const call: CallInfo = { id: id++, chat: BOB, peer: BOB_ID, video: false, direction: 'outgoing' };
      platform.hostEvent({ type: 'callEnded', call, reason, durationMs: 45_600 });
      await waitFor(() => expect(status()).toBe(text));
    }
  });
});

describe('an incoming call', () => {
  it('rings in a dialog with Accept focused; accepting connects and moves focus to Hang up', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const composer = await within(await openChat(BOB)).findByTestId('composer');
    await waitFor(() => expect(document.activeElement).toBe(composer));
    const accept = vi.spyOn(platform, 'acceptCall');
    const call = platform.simulateIncomingCall('carol', false);

    const dialog = await screen.findByTestId('incoming-call');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(plain(dialog.getAttribute('aria-label'))).toBe('Incoming call from carol');
    expect(dialog.textContent).toContain('carol');
    expect(dialog.textContent).toContain('Incoming call');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('incoming-call-accept')));
    // Everything else waits (the live region excepted).
    expect(screen.getByTestId('chat-list').closest('[inert]')).not.toBeNull();
    expect(screen.getByTestId('announcer').closest('[inert]')).toBeNull();
    // It rings, in a loop, and a refused play() changes nothing.
    await waitFor(() => expect(played).toHaveLength(1));
    expect(played[0]?.loop).toBe(true);
    expect(played[0]?.src).toContain('ringtone');

    fireEvent.click(screen.getByTestId('incoming-call-accept'));
    expect(accept).toHaveBeenCalledWith(call.id);
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    expect(paused).toContain(played[0]);
    await waitFor(() => expect(status()).toBe('Connected'));
    expect(screen.getByTestId('call-view').textContent).toContain('carol');
    await screen.findByTestId('call-emojis');
    expect(document.activeElement).toBe(screen.getByTestId('call-hang-up'));
    expect(document.querySelector('[inert]')).toBeNull();

    platform.simulateRemoteHangUp();
    await waitFor(() => expect(status()).toBe('Call ended · 0:00'));
    // Carol called: her device wrote the record, incoming here.
    fireEvent.click(screen.getByTestId(`chat-item-${CAROL}`));
    await waitFor(() => expect(recordLabels()).toEqual(['Incoming call · 0:00']));
  });

  it('is declined with Decline, and the caller’s record says so', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(CAROL);
    const decline = vi.spyOn(platform, 'declineCall');
    const call = platform.simulateIncomingCall('carol', true);
    expect(plain((await screen.findByTestId('incoming-call')).textContent)).toContain('Incoming video call');
    fireEvent.click(screen.getByTestId('incoming-call-decline'));
    expect(decline).toHaveBeenCalledWith(call.id);
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    await waitFor(() => expect(status()).toBe('Declined'));
    await waitFor(() => expect(recordLabels()).toEqual(['Declined video call']));
    expect(preview(CAROL)).toBe('Declined video call');
  });

  it('is declined with Esc, and focus goes back where it was', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    const composer = await within(await openChat(BOB)).findByTestId('composer');
    await waitFor(() => expect(document.activeElement).toBe(composer));
    const decline = vi.spyOn(platform, 'declineCall');
    const call = platform.simulateIncomingCall('bob', false);
    await screen.findByTestId('incoming-call');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('incoming-call-accept')));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(decline).toHaveBeenCalledWith(call.id);
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    expect(document.activeElement).toBe(composer);
  });

  it('keeps Tab inside the dialog', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    platform.simulateIncomingCall('bob', false);
    const accept = await screen.findByTestId('incoming-call-accept');
    const decline = screen.getByTestId('incoming-call-decline');
    decline.focus();
    fireEvent.keyDown(decline, { key: 'Tab' });
    expect(document.activeElement).toBe(accept);
    fireEvent.keyDown(accept, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(decline);
  });

  it('names an unknown caller "Someone"', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await screen.findByTestId('chat-list');
    const call: CallInfo = { id: 9, chat: 999, peer: 999, video: true, direction: 'incoming' };
    platform.hostEvent({ type: 'callChanged', call, phase: 'ringing' });
    const dialog = await screen.findByTestId('incoming-call');
    expect(plain(dialog.getAttribute('aria-label'))).toBe('Incoming video call from Someone');
  });

  it('the caller giving up shows a missed call, in the history and the chat list', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    platform.simulateIncomingCall('bob', false);
    await screen.findByTestId('incoming-call');
    platform.simulateRemoteHangUp();
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    await waitFor(() => expect(status()).toBe('Missed call'));
    await waitFor(() => expect(recordLabels()).toEqual(['Missed call']));
    expect(preview(BOB)).toBe('Missed call');
    const record = screen.getByTestId('call-record');
    expect(record.dataset['outcome']).toBe('missed');
    expect(record.closest('[data-testid="message"]')?.getAttribute('data-outgoing')).toBe('false');
  });

  it('while in a call: a notice says who called, and the caller’s record says busy', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    fireEvent.click(screen.getByTestId('call-start-audio'));
    await screen.findByTestId('call-view');
    platform.simulateIncomingCall('carol', false);
    const notice = await screen.findByTestId('notice');
    expect(plain(notice.textContent)).toBe('carol called while you were in a call');
    expect(screen.queryByTestId('incoming-call')).toBeNull();
    await waitFor(() => expect(preview(CAROL)).toBe('Missed call (busy)'));
  });
});

describe('start-up', () => {
  it('shows a call already under way, with its emojis', async () => {
    window.localStorage.clear();
    window.history.replaceState(null, '', '/');
    const platform = new MemoryPlatform({ signedInAs: 'alice', ackDelay: 40 });
    await platform.startCall(BOB, false);
    platform.simulateRemoteAnswer();
    render(() => <App state={createAppState(platform, { storage: window.localStorage })} />);
    await waitFor(() => expect(status()).toBe('Connected'));
    expect(screen.getByTestId('call-view').textContent).toContain('bob');
    expect(screen.getByTestId('call-emojis').textContent).toBe(SIMULATED_CALL_EMOJIS.join(' '));
    expect(screen.getByTestId('call-duration').textContent).toBe('0:00');
  });
});

describe('call records', () => {
  it('are rendered for each outcome and side, localized, in the history and the chat list', async () => {
    const { platform, state } = renderApp({ signedInAs: 'alice', now: clock });
    await openChat(BOB);
    vi.useFakeTimers();
    // Outgoing: answered for 2:13, cancelled, declined, busy.
    let call = await platform.startCall(BOB, false);
    platform.simulateRemoteAnswer();
    await vi.advanceTimersByTimeAsync(133_000);
    await platform.hangUp(call.id);
    call = await platform.startCall(BOB, true);
    await platform.hangUp(call.id);
    await platform.startCall(BOB, false);
    platform.simulateRemoteDecline();
    await platform.startCall(BOB, true);
    platform.simulateRemoteBusy();
    // Incoming: answered for 0:45, missed, declined, missed while busy.
    call = platform.simulateIncomingCall('bob', true);
    await platform.acceptCall(call.id);
    await vi.advanceTimersByTimeAsync(45_000);
    platform.simulateRemoteHangUp();
    platform.simulateIncomingCall('bob', false);
    platform.simulateRemoteHangUp();
    call = platform.simulateIncomingCall('bob', false);
    await platform.declineCall(call.id);
    await platform.startCall(CAROL, false);
    platform.simulateIncomingCall('bob', false);
    await vi.advanceTimersByTimeAsync(3000);
    vi.useRealTimers();

    const english = [
      'Outgoing call · 2:13',
      'Cancelled video call',
      'Declined call',
      'Busy',
      'Incoming video call · 0:45',
      'Missed call',
      'Declined call',
      'Missed call (busy)',
    ];
    await waitFor(() => expect(recordLabels()).toEqual(english));
    expect(preview(BOB)).toBe('Missed call (busy)');
    const rows = screen.getAllByTestId('call-record');
    expect(rows.map((r) => r.closest('[data-testid="message"]')?.getAttribute('data-outgoing'))).toEqual([
      'true',
      'true',
      'true',
      'true',
      'false',
      'false',
      'false',
      'false',
    ]);
    // The record replaces the text: the English summary for search is not shown.
    expect(screen.getByTestId('message-list').textContent).not.toContain('Call · busy');

    state.settings.setLang('ar');
    await waitFor(() =>
      expect(recordLabels()).toEqual([
        'مكالمة صادرة · ٢:١٣',
        'مكالمة فيديو ملغاة',
        'مكالمة مرفوضة',
        'الخط مشغول',
        'مكالمة فيديو واردة · ٠:٤٥',
        'مكالمة فائتة',
        'مكالمة مرفوضة',
        'مكالمة فائتة (كنت في مكالمة أخرى)',
      ]),
    );
    expect(preview(BOB)).toBe('مكالمة فائتة (كنت في مكالمة أخرى)');
  });

  it('cannot be edited or copied from the message menu', async () => {
    const { platform } = renderApp({ signedInAs: 'alice' });
    await openChat(BOB);
    const call = await platform.startCall(BOB, false);
    await platform.hangUp(call.id);
    const record = await screen.findByTestId('call-record');
    const bubble = record.closest('[data-testid="message"]') as HTMLElement;
    fireEvent.contextMenu(bubble);
    const menu = await screen.findByTestId('context-menu');
    expect(within(menu).queryByTestId('menu-edit')).toBeNull();
    expect(within(menu).queryByTestId('menu-copy')).toBeNull();
    expect(within(menu).getByTestId('menu-reply')).toBeTruthy();
  });
});
