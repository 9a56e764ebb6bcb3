// The desktop host: every Platform method is the Tauri command of the same name in
// snake_case, with camelCase argument keys; core events arrive on `wren://event`, the
// pictures of a call's video on the channel given to `watch_call_video`.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { parsePicture } from '../lib/i420';
import { toErrorInfo } from './errors';
import type {
  Account,
  AccountSlot,
  AccountId,
  BusinessProfile,
  CallId,
  CallInfo,
  CallMedia,
  ChannelAdmin,
  ChannelEarnings,
  ChannelId,
  ChannelInfo,
  ChatEncryption,
  ChatId,
  ChatSummary,
  CoreEvent,
  CurrentCall,
  DeepLink,
  Device,
  DirectoryQuery,
  Folder,
  GroupAdds,
  InviteLink,
  LastSeenVisibility,
  MediaDeviceChoice,
  MediaDevices,
  MessageView,
  NotifyKinds,
  NewChannel,
  PlanInfo,
  Platform,
  Post,
  PresenceOf,
  Profile,
  Privacy,
  ProfileStatus,
  SafetyNumber,
  SearchHit,
  Seq,
  SponsoredAction,
  SponsoredMessage,
  VideoPicture,
} from './types';

const EVENT_NAME = 'wren://event';
/** The Tauri event carrying the account slots whenever they change. */
const ACCOUNTS_EVENT_NAME = 'wren://accounts';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toErrorInfo(error);
  }
}

export class TauriPlatform implements Platform {
  profileStatus(): Promise<ProfileStatus> {
    return call('profile_status');
  }
  unlock(passcode: string): Promise<void> {
    return call('unlock', { passcode });
  }
  lock(): Promise<void> {
    return call('lock');
  }
  register(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<Account> {
    return call('register', { serverUrl, username, password, allowInsecure });
  }
  login(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<Account> {
    return call('login', { serverUrl, username, password, allowInsecure });
  }
  logout(): Promise<void> {
    return call('logout');
  }
  accountSlots(): Promise<AccountSlot[]> {
    return call('account_slots');
  }
  addAccount(): Promise<void> {
    return call('add_account');
  }
  switchAccount(id: string): Promise<void> {
    return call('switch_account', { id });
  }
  onAccountSlots(handler: (slots: AccountSlot[]) => void): () => void {
    let stopped = false;
    let unlisten: (() => void) | null = null;
    void listen<AccountSlot[]>(ACCOUNTS_EVENT_NAME, (event) => handler(event.payload)).then((fn) => {
      if (stopped) fn();
      else unlisten = fn;
    });
    return () => {
      stopped = true;
      unlisten?.();
    };
  }
  chats(): Promise<ChatSummary[]> {
    return call('chats');
  }
  history(chat: ChatId, before: Seq | null, limit: number): Promise<MessageView[]> {
    return call('history', { chat, before, limit });
  }
  send(chat: ChatId, text: string, replyTo: Seq | null, plain = false): Promise<MessageView> {
    return call('send', { chat, text, replyTo, plain });
  }
  edit(chat: ChatId, seq: Seq, text: string, plain = false): Promise<void> {
    return call('edit', { chat, seq, text, plain });
  }
  remove(chat: ChatId, seq: Seq): Promise<void> {
    return call('remove', { chat, seq });
  }
  deleteForMe(chat: ChatId, localIds: string[]): Promise<void> {
    return call('delete_for_me', { chat, localIds });
  }
  react(chat: ChatId, seq: Seq, emoji: string, add: boolean): Promise<void> {
    return call('react', { chat, seq, emoji, add });
  }
  forward(fromChat: ChatId, seqs: Seq[], toChat: ChatId): Promise<MessageView[]> {
    return call('forward', { fromChat, seqs, toChat });
  }
  pinMessage(chat: ChatId, seq: Seq, pinned: boolean): Promise<void> {
    return call('pin_message', { chat, seq, pinned });
  }
  pinnedMessages(chat: ChatId): Promise<MessageView[]> {
    return call('pinned_messages', { chat });
  }
  searchChat(chat: ChatId, query: string): Promise<SearchHit[]> {
    return call('search_chat', { chat, query });
  }
  seqAtDate(chat: ChatId, at: number): Promise<Seq | null> {
    return call('seq_at_date', { chat, at });
  }
  openLink(url: string): Promise<void> {
    return call('open_link', { url });
  }
  folders(): Promise<Folder[]> {
    return call('folders');
  }
  setFolders(folders: Folder[]): Promise<Folder[]> {
    return call('set_folders', { folders });
  }
  profile(account: AccountId): Promise<Profile> {
    return call('profile', { account });
  }
  setProfile(displayName: string, bio: string): Promise<Profile> {
    return call('set_profile', { displayName, bio });
  }
  markRead(chat: ChatId, upTo: Seq): Promise<void> {
    return call('mark_read', { chat, upTo });
  }
  typing(chat: ChatId): Promise<void> {
    return call('typing', { chat });
  }
  openDirect(username: string): Promise<ChatSummary> {
    return call('open_direct', { username });
  }
  createGroup(title: string, usernames: string[]): Promise<ChatSummary> {
    return call('create_group', { title, usernames });
  }
  addMember(chat: ChatId, username: string): Promise<void> {
    return call('add_member', { chat, username });
  }
  removeMember(chat: ChatId, account: AccountId): Promise<void> {
    return call('remove_member', { chat, account });
  }
  leave(chat: ChatId): Promise<void> {
    return call('leave', { chat });
  }
  rename(chat: ChatId, title: string): Promise<void> {
    return call('rename', { chat, title });
  }
  setPinned(chat: ChatId, pinned: boolean): Promise<void> {
    return call('set_pinned', { chat, pinned });
  }
  setChatMuted(chat: ChatId, until: number | null): Promise<void> {
    return call('set_chat_muted', { chat, until });
  }
  setChatArchived(chat: ChatId, archived: boolean): Promise<void> {
    return call('set_chat_archived', { chat, archived });
  }
  search(query: string): Promise<SearchHit[]> {
    return call('search', { query });
  }
  setDraft(chat: ChatId, text: string): Promise<void> {
    return call('set_draft', { chat, text });
  }
  chatEncryption(chat: ChatId): Promise<ChatEncryption | null> {
    return call('chat_encryption', { chat });
  }
  safetyNumber(peer: AccountId, verified: boolean | null): Promise<SafetyNumber> {
    return call('safety_number', { peer, verified });
  }
  devices(): Promise<Device[]> {
    return call('devices');
  }
  revokeDevice(id: number): Promise<void> {
    return call('revoke_device', { id });
  }
  setLastSeen(visibility: LastSeenVisibility): Promise<Privacy> {
    return call('set_last_seen', { visibility });
  }
  presence(accounts: AccountId[]): Promise<PresenceOf[]> {
    return call('presence', { accounts });
  }
  privacy(groupAdds: GroupAdds | null): Promise<Privacy> {
    return call('privacy', { groupAdds });
  }
  setPasscode(passcode: string | null): Promise<void> {
    return call('set_passcode', { passcode });
  }
  setNotifyKinds(kinds: NotifyKinds): Promise<void> {
    return call('set_notify_kinds', { kinds });
  }
  setTrayTexts(show: string, quit: string): Promise<void> {
    return call('set_tray_texts', { show, quit });
  }  setTrayUnread(count: number, tooltip: string): Promise<void> {
    return call('set_tray_unread', { count, tooltip });
  }

  setNotificationPreview(show: boolean, hiddenText: string): Promise<void> {
    return call('set_notification_preview', { show, hiddenText });
  }
  takeDeepLinks(): Promise<DeepLink[]> {
    return call('take_deep_links');
  }

  channels(): Promise<ChannelInfo[]> {
    return call('channels');
  }
  channelPosts(channel: ChannelId, before: Seq | null, limit: number): Promise<Post[]> {
    return call('channel_posts', { channel, before, limit });
  }
  refreshPosts(channel: ChannelId, before: Seq | null, limit: number): Promise<Post[]> {
    return call('refresh_posts', { channel, before, limit });
  }
  directory(query: DirectoryQuery): Promise<ChannelInfo[]> {
    return call('directory', { query });
  }
  findChannel(handle: string): Promise<ChannelInfo> {
    return call('find_channel', { handle });
  }
  previewPosts(channel: ChannelId, limit: number): Promise<Post[]> {
    return call('preview_posts', { channel, limit });
  }
  subscribe(channel: ChannelId): Promise<ChannelInfo> {
    return call('subscribe', { channel });
  }
  joinChannel(link: string): Promise<ChannelInfo> {
    return call('join_channel', { link });
  }
  leaveChannel(channel: ChannelId): Promise<void> {
    return call('leave_channel', { channel });
  }
  createChannel(channel: NewChannel): Promise<ChannelInfo> {
    return call('create_channel', { new: channel });
  }
  post(channel: ChannelId, text: string): Promise<Seq> {
    return call('post', { channel, text });
  }
  reportViews(channel: ChannelId, seqs: Seq[]): Promise<void> {
    return call('report_views', { channel, seqs });
  }
  createInvite(channel: ChannelId): Promise<InviteLink> {
    return call('create_invite', { channel });
  }
  revokeInvite(channel: ChannelId, link: string): Promise<void> {
    return call('revoke_invite', { channel, link });
  }
  editPost(channel: ChannelId, seq: Seq, text: string): Promise<void> {
    return call('edit_post', { channel, seq, text });
  }
  deletePost(channel: ChannelId, seq: Seq): Promise<void> {
    return call('delete_post', { channel, seq });
  }
  pinPost(channel: ChannelId, seq: Seq | null): Promise<void> {
    return call('pin_post', { channel, seq });
  }
  channelAdmins(channel: ChannelId): Promise<ChannelAdmin[]> {
    return call('channel_admins', { channel });
  }
  setChannelAdmin(channel: ChannelId, username: string, admin: boolean): Promise<void> {
    return call('set_channel_admin', { channel, username, admin });
  }
  channelEarnings(channel: ChannelId): Promise<ChannelEarnings> {
    return call('channel_earnings', { channel });
  }
  mutedChannels(): Promise<ChannelId[]> {
    return call('muted_channels');
  }
  setChannelMuted(channel: ChannelId, muted: boolean): Promise<void> {
    return call('set_channel_muted', { channel, muted });
  }

  sponsored(channel: ChannelId): Promise<SponsoredMessage | null> {
    return call('sponsored', { channel });
  }
  sponsoredEvent(campaign: number, channel: ChannelId, action: SponsoredAction): Promise<void> {
    return call('sponsored_event', { campaign, channel, action });
  }
  plan(): Promise<PlanInfo> {
    return call('plan');
  }
  businessProfile(account: AccountId): Promise<BusinessProfile | null> {
    return call('business_profile', { account });
  }
  setBusinessProfile(profile: BusinessProfile): Promise<void> {
    return call('set_business_profile', { profile });
  }

  startCall(chat: ChatId, video: boolean): Promise<CallInfo> {
    return call('start_call', { chat, video });
  }
  acceptCall(id: CallId): Promise<void> {
    return call('accept_call', { call: id });
  }
  declineCall(id: CallId): Promise<void> {
    return call('decline_call', { call: id });
  }
  hangUp(id: CallId): Promise<void> {
    return call('hang_up', { call: id });
  }
  currentCall(): Promise<CurrentCall | null> {
    return call('current_call');
  }
  switchCallMedia(change: { muted?: boolean; cameraOff?: boolean }): Promise<CallMedia> {
    // null: leave that switch as it is.
    return call('switch_call_media', { muted: change.muted ?? null, cameraOff: change.cameraOff ?? null });
  }
  listMediaDevices(): Promise<MediaDevices> {
    return call('list_media_devices');
  }
  chooseMediaDevices(choice: MediaDeviceChoice): Promise<MediaDevices> {
    return call('choose_media_devices', { microphone: choice.microphone, speaker: choice.speaker, camera: choice.camera });
  }
  watchCallVideo(onPicture: (picture: VideoPicture) => void): Promise<void> {
    // Each message: width and height (LE uint16), then the I420 planes; anything else is dropped.
    const channel = new Channel<ArrayBuffer>();
    channel.onmessage = (message) => {
      const picture = parsePicture(message);
      if (picture !== null) onPicture(picture);
    };
    return call('watch_call_video', { channel });
  }
  openCallWindow(): Promise<void> {
    return call('open_call_window');
  }
  closeCallWindow(): Promise<void> {
    return call('close_call_window');
  }
  pipStaysOnTop(): Promise<boolean> {
    return call('pip_stays_on_top');
  }

  onEvent(handler: (event: CoreEvent) => void): () => void {
    let stopped = false;
    let unlisten: (() => void) | null = null;
    void listen<CoreEvent>(EVENT_NAME, (event) => handler(event.payload)).then((fn) => {
      if (stopped) fn();
      else unlisten = fn;
    });
    return () => {
      stopped = true;
      unlisten?.();
    };
  }
}
