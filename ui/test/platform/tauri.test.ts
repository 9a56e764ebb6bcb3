import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { TauriPlatform } from '../../src/platform/tauri';
import { MUTED_FOREVER } from '../../src/platform/types';

afterEach(() => {
  clearMocks();
});

describe('tauri host', () => {
  it('calls snake_case commands with camelCase arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    const host = new TauriPlatform();
    await host.markRead(3, 42);
    await host.send(3, 'hi', 7);
    await host.setPinned(3, true);
    await host.login('http://s', 'alice', 'pw', true);
    await host.revokeDevice(9);
    await host.setPasscode(null);
    await host.lock();
    await host.setNotificationPreview(false, 'رسالة جديدة');
    await host.setTrayTexts('Show Wren', 'Quit');
    await host.setDraft(3, 'half a thought');
    expect(calls).toEqual([
      ['mark_read', { chat: 3, upTo: 42 }],
      ['send', { chat: 3, text: 'hi', replyTo: 7, plain: false }],
      ['set_pinned', { chat: 3, pinned: true }],
      ['login', { serverUrl: 'http://s', username: 'alice', password: 'pw', allowInsecure: true }],
      ['revoke_device', { id: 9 }],
      ['set_passcode', { passcode: null }],
      ['lock', {}],
      ['set_notification_preview', { show: false, hiddenText: 'رسالة جديدة' }],
      ['set_tray_texts', { show: 'Show Wren', quit: 'Quit' }],
      ['set_draft', { chat: 3, text: 'half a thought' }],
    ]);
  });

  it('mutes a chat with set_chat_muted: until a time, for ever, or unmutes with null', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    const host = new TauriPlatform();
    await host.setChatMuted(3, 1_700_003_600_000);
    await host.setChatMuted(3, MUTED_FOREVER);
    await host.setChatMuted(3, null);
    expect(MUTED_FOREVER).toBe(Number.MAX_SAFE_INTEGER);
    expect(calls).toEqual([
      ['set_chat_muted', { chat: 3, until: 1_700_003_600_000 }],
      ['set_chat_muted', { chat: 3, until: Number.MAX_SAFE_INTEGER }],
      ['set_chat_muted', { chat: 3, until: null }],
    ]);
  });

  it('asks chat_encryption and safety_number, passing verified only to change the mark', async () => {
    const calls: [string, unknown][] = [];
    const number = { digits: '12345', verified: true, changed: false, contactDevices: 2, fromChat: true };
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'chat_encryption') return (args as { chat: number }).chat === 3 ? { epoch: 4, devices: [[2, 1]] } : null;
      return number;
    });
    const host = new TauriPlatform();
    await expect(host.chatEncryption(3)).resolves.toEqual({ epoch: 4, devices: [[2, 1]] });
    await expect(host.chatEncryption(5)).resolves.toBeNull();
    await expect(host.safetyNumber(2, null)).resolves.toEqual(number);
    await host.safetyNumber(2, true);
    await host.safetyNumber(2, false);
    expect(calls).toEqual([
      ['chat_encryption', { chat: 3 }],
      ['chat_encryption', { chat: 5 }],
      ['safety_number', { peer: 2, verified: null }],
      ['safety_number', { peer: 2, verified: true }],
      ['safety_number', { peer: 2, verified: false }],
    ]);
  });

  it('takes the waiting wren:// links with take_deep_links', async () => {
    const calls: [string, unknown][] = [];
    const waiting = [
      { kind: 'user', username: 'bob' },
      { kind: 'chat', id: 7 },
      { kind: 'channel', handle: 'wrennews' },
      { kind: 'invite', code: 'x1' },
      { kind: 'invalid', url: 'wren://nope' },
    ];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'take_deep_links' ? waiting : null;
    });
    await expect(new TauriPlatform().takeDeepLinks()).resolves.toEqual(waiting);
    expect(calls.map(([cmd]) => cmd)).toEqual(['take_deep_links']);
  });

  it('calls the channel commands with their argument names', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'create_invite') return { link: 'wren://join/abc' };
      if (cmd === 'post') return 7;
      return cmd === 'leave_channel' || cmd === 'report_views' ? null : [];
    });
    const host = new TauriPlatform();
    const query = { text: 'news', topic: 'science', language: null, limit: 20 };
    const created = { title: 'Cats', handle: 'cat_facts', description: '', topic: 'other', language: 'en' };
    await host.channels();
    await host.channelPosts(4, null, 50);
    await host.refreshPosts(4, 12, 50);
    await host.directory(query);
    await host.findChannel('wrennews');
    await host.previewPosts(4, 30);
    await host.subscribe(4);
    await host.joinChannel('wren://join/abc');
    await host.leaveChannel(4);
    await host.createChannel(created);
    await expect(host.post(4, 'hello')).resolves.toBe(7);
    await host.reportViews(4, [1, 2]);
    await expect(host.createInvite(4)).resolves.toEqual({ link: 'wren://join/abc' });
    expect(calls).toEqual([
      ['channels', {}],
      ['channel_posts', { channel: 4, before: null, limit: 50 }],
      ['refresh_posts', { channel: 4, before: 12, limit: 50 }],
      ['directory', { query }],
      ['find_channel', { handle: 'wrennews' }],
      ['preview_posts', { channel: 4, limit: 30 }],
      ['subscribe', { channel: 4 }],
      ['join_channel', { link: 'wren://join/abc' }],
      ['leave_channel', { channel: 4 }],
      ['create_channel', { new: created }],
      ['post', { channel: 4, text: 'hello' }],
      ['report_views', { channel: 4, seqs: [1, 2] }],
      ['create_invite', { channel: 4 }],
    ]);
  });

  it('calls the sponsored-message and plan commands with their argument names', async () => {
    const calls: [string, unknown][] = [];
    const message = {
      campaign: 5,
      channel: 4,
      title: 'T',
      text: 'x',
      target: { channel: 'wrennews' },
      button: 'Go',
    };
    const plan = { plan: 'business', until: null, limits: { publicChannels: 20, pinnedChats: 10, businessProfile: true, sponsoredMessages: false } };
    const profile = {
      hours: [{ day: 0, opens: 540, closes: 1020 }],
      utcOffsetMinutes: 60,
      address: 'A',
      startPage: 'S',
      greeting: 'G',
      awayMessage: 'W',
      quickReplies: [{ shortcut: 'hi', text: 'Hello' }],
    };
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'sponsored') return (args as { channel: number }).channel === 4 ? message : null;
      if (cmd === 'plan') return plan;
      if (cmd === 'business_profile') return profile;
      return null;
    });
    const host = new TauriPlatform();
    await expect(host.sponsored(4)).resolves.toEqual(message);
    await expect(host.sponsored(9)).resolves.toBeNull();
    await host.sponsoredEvent(5, 4, 'shown');
    await host.sponsoredEvent(5, 4, 'clicked');
    await host.sponsoredEvent(5, 4, 'reported');
    await expect(host.plan()).resolves.toEqual(plan);
    await expect(host.businessProfile(3)).resolves.toEqual(profile);
    await host.setBusinessProfile(profile);
    expect(calls).toEqual([
      ['sponsored', { channel: 4 }],
      ['sponsored', { channel: 9 }],
      ['sponsored_event', { campaign: 5, channel: 4, action: 'shown' }],
      ['sponsored_event', { campaign: 5, channel: 4, action: 'clicked' }],
      ['sponsored_event', { campaign: 5, channel: 4, action: 'reported' }],
      ['plan', {}],
      ['business_profile', { account: 3 }],
      ['set_business_profile', { profile }],
    ]);
  });

  it('passes a command error through as {code, message}', async () => {
    mockIPC(() => {
      throw { code: 'forbidden', message: 'admins only' };
    });
    await expect(new TauriPlatform().leave(1)).rejects.toEqual({ code: 'forbidden', message: 'admins only' });
  });

  it('delivers core events from wren://event', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const { emit } = await import('@tauri-apps/api/event');
    const seen: unknown[] = [];
    const stop = new TauriPlatform().onEvent((e) => seen.push(e));
    await new Promise((r) => setTimeout(r, 0));
    await emit('wren://event', { type: 'connection', state: 'offline' });
    expect(seen).toEqual([{ type: 'connection', state: 'offline' }]);
    stop();
  });

  it('lists, adds and switches account slots, and delivers their changes from wren://accounts', async () => {
    const calls: [string, unknown][] = [];
    const slots = [{ id: 'a', account: { id: 1, username: 'alice', displayName: '' }, unread: 2, active: true }];
    mockIPC(
      (cmd, args) => {
        calls.push([cmd, args]);
        return cmd === 'account_slots' ? slots : null;
      },
      { shouldMockEvents: true },
    );
    const host = new TauriPlatform();
    await expect(host.accountSlots()).resolves.toEqual(slots);
    await host.addAccount();
    await host.switchAccount('a');
    expect(calls.filter(([cmd]) => !cmd.startsWith('plugin:'))).toEqual([
      ['account_slots', {}],
      ['add_account', {}],
      ['switch_account', { id: 'a' }],
    ]);
    const { emit } = await import('@tauri-apps/api/event');
    const seen: unknown[] = [];
    const stop = host.onAccountSlots((next) => seen.push(next));
    await new Promise((r) => setTimeout(r, 0));
    await emit('wren://accounts', slots);
    expect(seen).toEqual([slots]);
    stop();
  });
});
