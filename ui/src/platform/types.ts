// The contract between the web UI and its host (the Tauri shell over wren-core).
// The UI talks to the host only through `Platform`; tests and the browser demo use an
// in-memory implementation, the desktop app uses the Tauri one.

export type ChatId = number;

/** The most messages one `history` call returns (the engine's page cap). */
export const HISTORY_PAGE_MAX = 200;
export type Seq = number;
export type AccountId = number;

export type ChatKind = 'direct' | 'group';
export type Role = 'admin' | 'member';

export interface Account {
  id: AccountId;
  username: string;
  /**
   * The name the person chose to be shown by, in any script; "" when none (show the
   * username). As the engine last heard it: a `profileChanged` event carries a newer one.
   */
  displayName: string;
}

/** What an account says about itself. */
export interface Profile {
  account: Account;
  /** A short text about them ("" when none). */
  bio: string;
}

/** The longest display name, in characters. */
export const MAX_DISPLAY_NAME_CHARS = 64;
/** The longest bio, in characters. */
export const MAX_BIO_CHARS = 140;

export interface Member {
  account: Account;
  role: Role;
}

/**
 * One row of the chat list. `title` is the group title or the peer's username; a group's
 * title is "" while this device cannot open its sealed (end-to-end encrypted) title yet
 * (show it with `displayTitle`).
 */
export interface ChatSummary {
  id: ChatId;
  kind: ChatKind;
  title: string;
  members: Member[];
  unreadCount: number;
  /** Of the unread messages, those that mention this account (see `MessageView.mentionsMe`). */
  unreadMentions: number;
  /** Newest position read by me. */
  readSeq: Seq;
  /** Newest position read by any other member (for read ticks). */
  peersReadSeq: Seq;
  lastMessage: MessageView | null;
  /** Unix ms of the last activity, for sorting. */
  lastActivityAt: number;
  pinned: boolean;
  /**
   * Muted on all of the account's devices until then (ms since the epoch); null: not muted. A muted chat's
   * messages still arrive and count as unread, but the host shows no notification for them.
   * Once the time is past the chat is no longer muted (a summary sent earlier still holds
   * it). Muted for ever is a very large number (`MUTED_FOREVER`, or more: JSON may round it).
   */
  mutedUntil: number | null;
  /**
   * In the account's archive (the same on all of its devices). A new message takes an
   * archived chat out of the archive unless it is muted; the summary then comes again.
   */
  archived: boolean;
  /**
   * False once this account was removed from the group: the chat stays with its history,
   * read-only (nothing can be sent; unsent messages show as failed).
   */
  isMember: boolean;
  /** The unsent text saved for this chat in the account's encrypted store ("" when none). */
  draft: string;
}

/** The `until` of `setChatMuted` that mutes a chat for ever. */
export const MUTED_FOREVER = Number.MAX_SAFE_INTEGER;

/** Which kinds of chats notify on this device. */
export interface NotifyKinds {
  direct: boolean;
  groups: boolean;
  channels: boolean;
  /** Mentions and replies to this account notify even in muted chats and switched-off kinds. */
  mentions: boolean;
}

/** pending: in the outbox; sent: stored by the server; read: a peer has read it. */
export type DeliveryState = 'pending' | 'sent' | 'read' | 'failed';

export interface MessageView {
  chat: ChatId;
  /** Server position; null while still in the outbox. */
  seq: Seq | null;
  /** Local id, stable from the moment the user pressed Enter. */
  localId: string;
  sender: Account;
  outgoing: boolean;
  /** The text; when `undecryptable`, why it cannot be read instead (never show it as the message). */
  text: string;
  /** This device could not decrypt the message. */
  undecryptable: boolean;
  replyTo: Seq | null;
  sentAt: number;
  editedAt: number | null;
  deleted: boolean;
  state: DeliveryState;
  /**
   * A call in the chat, written by the caller's device when the call ended; `text` is then an
   * English summary (for search), never shown: the UI renders the record itself.
   */
  call: CallRecord | null;
  /**
   * Formatting and recognized spans of `text`, in UTF-16 code units (JavaScript string
   * indices): properly nested, never crossing; `code` and `pre` contain no other entity.
   * Entities the sending client made are checked again on arrival and dropped if invalid.
   */
  entities: Entity[];
  /** Reactions, in the order they were first given. */
  reactions: Reaction[];
  /** Forwarded: who wrote it first and when; null for an original message. */
  forwardedFrom: ForwardedFrom | null;
  /** Pinned in its chat (the pinned bar lists it). */
  pinned: boolean;
  /**
   * From someone else, naming this account by @username or answering one of its messages:
   * counted in the chat's `unreadMentions`; the host announces it even in a muted chat.
   */
  mentionsMe: boolean;
}

/**
 * A chat folder: a named filter over the chats, shown as a tab above the chat list, the same
 * on all of the account's devices. A chat is in it when its id is in `include`, or it matches
 * the kinds (`direct`, `groups`; with `unreadOnly`, only while it has unread messages), and
 * its id is not in `exclude`. Archived chats are never in a folder's tab.
 */
export interface Folder {
  /** Chosen by the UI, unique among the folders (e.g. one more than the largest). */
  id: number;
  /** 1 to `MAX_FOLDER_NAME_CHARS` visible characters. */
  name: string;
  direct: boolean;
  groups: boolean;
  unreadOnly: boolean;
  include: ChatId[];
  exclude: ChatId[];
}

/** How many folders an account has at most. */
export const MAX_FOLDERS = 10;
/** The longest folder name, in characters. */
export const MAX_FOLDER_NAME_CHARS = 12;

/** What an entity does to its range of the text. */
export type EntityKind =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'strike'
  | 'spoiler'
  | 'code'
  | 'pre'
  /** A link whose shown text differs from its target (`url`). */
  | 'textLink'
  /** A URL written in the text (the range is the URL; open it with `https://` when it has no scheme). */
  | 'url'
  /** `@username` in the text. */
  | 'mention'
  /** `#hashtag` in the text. */
  | 'hashtag';

/** A span of a message's text. `offset` and `length` count UTF-16 code units. */
export interface Entity {
  kind: EntityKind;
  offset: number;
  length: number;
  /** The target of a `textLink` (http, https or mailto only); null for the other kinds. */
  url: string | null;
  /** The language of a `pre` block, when given; null otherwise. */
  language: string | null;
}

/** One emoji's reactions on a message. */
export interface Reaction {
  emoji: string;
  count: number;
  /** This account gave it. */
  mine: boolean;
  /** Who gave it, in the order they did. */
  accounts: Account[];
}

/** Where a forwarded message came from. */
export interface ForwardedFrom {
  /** The original sender's name as the forwarder's device knew it. */
  name: string;
  /** When the original was sent (Unix ms). */
  sentAt: number;
}

/** How many different emojis one person may react with on one message. */
export const MAX_REACTIONS_PER_USER = 3;

/** A chat's end-to-end encryption group, as this device is in it. */
export interface ChatEncryption {
  /** Moves on with every change of the group's devices. */
  epoch: number;
  /** The devices messages are encrypted for, as [account, device] pairs. */
  devices: [AccountId, number][];
}

/** What to compare with a contact to know that nobody else can read the chat. */
export interface SafetyNumber {
  /** Sixty digits in twelve groups of five, separated by single spaces. */
  digits: string;
  /** The user marked this very number as verified. */
  verified: boolean;
  /** The user had verified an earlier number: the contact added a device or a key changed. */
  changed: boolean;
  /** How many of the contact's devices it covers. */
  contactDevices: number;
  /** From the keys in the direct chat's encryption group (false: the keys the server lists). */
  fromChat: boolean;
}

export interface SearchHit {
  chat: ChatId;
  chatTitle: string;
  message: MessageView;
  /** The text with matches wrapped in \u0001 ... \u0002 markers. */
  snippet: string;
}

export interface Device {
  id: number;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/** Who may add the account to groups; the server refuses others' adds with 'forbidden'. */
export type GroupAdds = 'everybody' | 'nobody';

/** The account's privacy settings, kept and enforced by the server. */
export interface Privacy {
  groupAdds: GroupAdds;
  /**
   * Who sees when this account is online and when it was last seen: everybody, its
   * contacts (people it has a direct chat with), or nobody. Whoever hides theirs from
   * everybody ('nobody') sees nobody else's either.
   */
  lastSeen: LastSeenVisibility;
}

/** Who sees an account's online status and last seen time. */
export type LastSeenVisibility = 'everybody' | 'contacts' | 'nobody';

/**
 * Whether someone is online, as far as their privacy (and this account's) lets it be known:
 * online now; last seen at `at` (Unix ms); or hidden ("last seen recently").
 */
export type Presence = { state: 'online' } | { state: 'lastSeen'; at: number } | { state: 'hidden' };

/** One account's presence. */
export interface PresenceOf {
  account: AccountId;
  presence: Presence;
}

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** A `wren://` link the app was opened with, as the host read it. */
export type DeepLink =
  /** wren://user/NAME: open (or start) the direct chat with NAME. */
  | { kind: 'user'; username: string }
  /** wren://chat/ID: open a chat the user already belongs to. */
  | { kind: 'chat'; id: ChatId }
  /** wren://channel/HANDLE: a public channel (a preview until subscribed). */
  | { kind: 'channel'; handle: string }
  /** wren://join/CODE: join a private channel by invite (the link is `wren://join/CODE`). */
  | { kind: 'invite'; code: string }
  /** Anything else. */
  | { kind: 'invalid'; url: string };

// ---- channels: server-readable broadcast (not end-to-end encrypted) ----

export type ChannelId = number;

/** owner and admins post; subscribers read. */
export type ChannelRole = 'owner' | 'admin' | 'subscriber';

/** The topics a channel can have (the host refuses any other). */
export const CHANNEL_TOPICS = [
  'news',
  'technology',
  'science',
  'business',
  'finance',
  'sports',
  'entertainment',
  'music',
  'education',
  'travel',
  'food',
  'art',
  'games',
  'health',
  'other',
] as const;

export type ChannelTopic = (typeof CHANNEL_TOPICS)[number];

/** The most posts one channel page returns (the engine's cap). */
export const CHANNEL_PAGE_MAX = 200;
/** The most channels one directory page returns. */
export const DIRECTORY_PAGE_MAX = 50;
/** The most posts one `reportViews` call may name. */
export const MAX_VIEWS_PER_REPORT = 200;
/** How many public channels an account on the Free plan may own. */
export const FREE_PUBLIC_CHANNELS = 10;

export interface ChannelInfo {
  id: ChannelId;
  /** The public handle (lower case, without `@`); null for a private channel. */
  handle: string | null;
  title: string;
  /** What the channel is about (may be empty). */
  description: string;
  /** One of `CHANNEL_TOPICS`. */
  topic: string;
  /** The language of its posts: two lower-case letters (ISO 639-1). */
  language: string;
  /** Subscribed accounts, owner and admins included. */
  subscribers: number;
  /** The newest position in the channel's log. */
  lastSeq: Seq;
  /** The pinned post, if any. */
  pinned: Seq | null;
  /** This account's role; null while only previewing a public channel. */
  role: ChannelRole | null;
  createdAt: number;
}

export interface Post {
  channel: ChannelId;
  seq: Seq;
  /** The position of its newest change (posting, editing, deleting). */
  changedSeq: Seq;
  /** The text ("" once deleted). */
  text: string;
  sentAt: number;
  editedAt: number | null;
  deleted: boolean;
  views: number;
}

export interface DirectoryQuery {
  /** Words to look for in titles, handles and descriptions ("" for all). */
  text: string;
  topic: string | null;
  language: string | null;
  limit: number;
}

export interface NewChannel {
  title: string;
  /** null: a private channel, joined only by invite link. */
  handle: string | null;
  description: string;
  topic: string;
  language: string;
}

export interface InviteLink {
  /** `wren://join/` followed by 64 hex digits. */
  link: string;
}

/** The owner or an admin of a channel (`channelAdmins`). */
export interface ChannelAdmin {
  account: Account;
  role: 'owner' | 'admin';
}

/** What sponsored messages earned a channel (`channelEarnings`). */
export interface ChannelEarnings {
  /** Sponsored messages shown in the channel. */
  shown: number;
  /** The owner's half of the revenue, in thousandths of a credit (one credit per impression). */
  creditsMilli: number;
}

// ---- sponsored messages and plans ----

/** Where a sponsored message's button leads: a public channel (by handle) or an https:// link. */
export type SponsoredTarget = { channel: string } | { link: string };

/**
 * A sponsored message a large public channel shows below its newest post. Chosen by the
 * channel's topic and language only, never by who reads; never shown in chats, groups,
 * private or small channels, nor to accounts on the Business plan.
 */
export interface SponsoredMessage {
  campaign: number;
  channel: ChannelId;
  title: string;
  text: string;
  target: SponsoredTarget;
  /** The button's label. */
  button: string;
}

/** What the reader did with a sponsored message (each counted once per account). */
export type SponsoredAction = 'shown' | 'clicked' | 'reported';

export type PlanKind = 'free' | 'business';

/** What a plan allows, as the server enforces it. */
export interface PlanLimits {
  /** Public channels the account may own. */
  publicChannels: number;
  /** Chats the account may pin. */
  pinnedChats: number;
  /** Whether the account may have a business profile. */
  businessProfile: boolean;
  /** Whether sponsored messages are shown to the account. */
  sponsoredMessages: boolean;
}

export interface PlanInfo {
  plan: PlanKind;
  /** When a Business plan ends, Unix ms (null: no end, or Free). */
  until: number | null;
  limits: PlanLimits;
}

/** How many public channels an account on the Business plan may own. */
export const BUSINESS_PUBLIC_CHANNELS = FREE_PUBLIC_CHANNELS * 2;
/** How many chats an account on the Free plan may pin. */
export const FREE_PINNED_CHATS = 5;
/** How many chats an account on the Business plan may pin. */
export const BUSINESS_PINNED_CHATS = FREE_PINNED_CHATS * 2;
/** The longest text of a business profile field (address, start page, greeting, away message, quick reply). */
export const MAX_BUSINESS_TEXT = 1024;
/** The most quick replies a business profile has. */
export const MAX_QUICK_REPLIES = 20;
/** Minutes in a day: the latest an opening-hours entry may close. */
export const MINUTES_PER_DAY = 1440;
/** The UTC offsets a business profile may have, in minutes (-12:00 … +14:00). */
export const MIN_UTC_OFFSET = -720;
export const MAX_UTC_OFFSET = 840;

/** Opening hours on one day of the week. */
export interface OpeningHours {
  /** 0 = Monday … 6 = Sunday. */
  day: number;
  /** Minutes after midnight (the business's local time) when it opens. */
  opens: number;
  /** Minutes after midnight when it closes: after `opens`, at most 1440. */
  closes: number;
}

/** A shortcut the business types to send a saved text. */
export interface QuickReply {
  /** 1 to 32 of a-z, 0-9 and _. */
  shortcut: string;
  text: string;
}

/** A business's public profile (Business plan only). */
export interface BusinessProfile {
  /** At most one entry per day. */
  hours: OpeningHours[];
  /** The offset of the business's local time from UTC, in minutes. */
  utcOffsetMinutes: number;
  address: string;
  /** Shown to a new contact before the first message. */
  startPage: string;
  /** Sent to a new contact automatically. */
  greeting: string;
  /** Sent outside opening hours. */
  awayMessage: string;
  quickReplies: QuickReply[];
}

// ---- calls: one-to-one, in direct chats ----

export type CallId = number;

/** Which way a call goes, seen from this device. */
export type CallDirection = 'outgoing' | 'incoming';

/** A call as this device knows it. */
export interface CallInfo {
  id: CallId;
  /** The direct chat it belongs to. */
  chat: ChatId;
  /** The other account. */
  peer: AccountId;
  video: boolean;
  direction: CallDirection;
}

/**
 * Where a call stands. 'calling': outgoing, no device of the callee rings yet; 'ringing':
 * outgoing, a device of the callee rings, or incoming, this device rings; connected: answered,
 * between this device and `peerDevice`.
 */
export type CallPhase = 'calling' | 'ringing' | { connected: { peerDevice: number } };

/** Why a call ended on this device. */
export type CallEndReason =
  /** Hung up after it was answered (by this device, or by the other side). */
  | { hungUp: { byMe: boolean } }
  /** This device cancelled its call before it was answered. */
  | 'cancelled'
  /** Nobody answered this device's call in time. */
  | 'noAnswer'
  /** The callee declined (on this device, or the other side did). */
  | { declined: { byMe: boolean } }
  /** The callee is in another call. */
  | 'busy'
  /** The call rang here and the caller stopped (or it rang out). */
  | 'missed'
  /** Another device of this account answered it. */
  | 'answeredElsewhere'
  /** Another device of this account declined it. */
  | 'declinedElsewhere';

/**
 * One picture of the other side's video, as the host decoded it: I420, that is the Y plane
 * (width × height bytes), then the U and V planes (⌈width/2⌉ × ⌈height/2⌉ bytes each).
 */
export interface VideoPicture {
  width: number;
  height: number;
  i420: Uint8Array;
}

/** The four emojis of a call's key: both sides see the same ones unless someone is in the middle. */
export type CallEmojis = [string, string, string, string];

/** The call this device is in (`currentCall`). */
export interface CurrentCall {
  call: CallInfo;
  phase: CallPhase;
  /** Known once the call is answered. */
  emojis: CallEmojis | null;
}

/**
 * The switches of this device's side of a call (`switchCallMedia`). Muted: the call sends
 * silence; camera off: it sends no picture. Both are off (`false`) again for each new call.
 */
export interface CallMedia {
  muted: boolean;
  cameraOff: boolean;
}

/** A microphone, speaker or camera of this machine, as the host names it. */
export interface MediaDevice {
  /** Stable while the device stays connected; what `chooseMediaDevices` takes. */
  id: string;
  /** The name the system gives it, to show. */
  name: string;
}

/**
 * The devices calls use, by id. null: the system's default microphone or speaker, the first
 * camera.
 */
export interface MediaDeviceChoice {
  microphone: string | null;
  speaker: string | null;
  camera: string | null;
}

/** This machine's microphones, speakers and cameras (any list may be empty), and the choice. */
export interface MediaDevices {
  microphones: MediaDevice[];
  speakers: MediaDevice[];
  cameras: MediaDevice[];
  chosen: MediaDeviceChoice;
}

export type CallOutcome = 'answered' | 'missed' | 'declined' | 'busy';

/** A call as a message of its chat's history (the caller's device writes it). */
export interface CallRecord {
  video: boolean;
  outcome: CallOutcome;
  /** How long it was answered, in seconds (0 unless answered). */
  durationS: number;
}

export type CoreEvent =
  | { type: 'chatUpdated'; chat: ChatSummary }
  | { type: 'chatRemoved'; chat: ChatId }
  | { type: 'messageUpserted'; message: MessageView }
  /** The server refused an outgoing message for good; `localId` is null if it is gone. */
  | { type: 'messageFailed'; chat: ChatId; localId: string | null; reason: string }
  /**
   * Someone this account shares a chat with (or this account, from another device) changed
   * their display name; the chats they are in also come again as `chatUpdated`.
   */
  | { type: 'profileChanged'; account: Account }
  /** The account's folders changed (on another device, or after signing in). */
  | { type: 'foldersChanged'; folders: Folder[] }
  /** Someone this account shares a chat with came online or went offline. */
  | { type: 'presence'; account: AccountId; presence: Presence }
  /** Messages deleted on this device (delete for me): drop these rows. */
  | { type: 'messagesRemoved'; chat: ChatId; localIds: string[] }
  | { type: 'typing'; chat: ChatId; account: Account }
  | { type: 'connection'; state: ConnectionState }
  | { type: 'syncProgress'; done: number; total: number }
  /** This device was signed out (revoked elsewhere, or logged out). */
  | { type: 'signedOut' }
  /** `wren://` links are waiting: call `takeDeepLinks`. */
  | { type: 'linkOpened' }
  /** A channel this account is in was created, joined or changed. */
  | { type: 'channelUpdated'; channel: ChannelInfo }
  /** This account left a channel (or the channel is gone). */
  | { type: 'channelRemoved'; channel: ChannelId }
  /** A post of a channel this account is in was published, edited, deleted or re-counted. */
  | { type: 'postUpserted'; post: Post }
  /** The call on this device changed: placed, ringing, answered. */
  | { type: 'callChanged'; call: CallInfo; phase: CallPhase }
  /** The call on this device ended; `durationMs`: how long it was connected, if it was. */
  | { type: 'callEnded'; call: CallInfo; reason: CallEndReason; durationMs: number | null }
  /** Someone called while this device was in another call; they were told busy. */
  | { type: 'callMissedWhileBusy'; call: CallInfo };

export interface ErrorInfo {
  /** Stable code such as 'unauthorized', 'forbidden', 'wrong_key', 'network'. */
  code: string;
  message: string;
}

export interface ProfileStatus {
  /** True when a local profile exists on this machine. */
  exists: boolean;
  /** True when the profile is locked by a passcode that must be entered. */
  locked: boolean;
  /** The signed-in account, when unlocked and signed in. */
  account: Account | null;
  serverUrl: string | null;
}

/** The most accounts one app holds at once (as Telegram Desktop). */
export const MAX_ACCOUNTS = 3;

/**
 * One account slot of this app: its own encrypted store and keychain entry. The active
 * slot is the one every other call works on; the others keep syncing in the background,
 * count their unread messages and notify (naming their account).
 */
export interface AccountSlot {
  /** Stable on this device; the order of the list is the order of Ctrl+1..3. */
  id: string;
  /** Who is signed in there; null while a newly added slot is not signed in yet. */
  account: Account | null;
  /** Unread messages in its chats (what the tray counts for it). */
  unread: number;
  active: boolean;
}

/** Every call rejects with an ErrorInfo on failure. */
export interface Platform {
  profileStatus(): Promise<ProfileStatus>;
  unlock(passcode: string): Promise<void>;
  /**
   * Closes the profile and drops its key from memory: until `unlock`, every call but
   * `profileStatus` rejects with the code 'locked'. Rejects with 'invalid' when the profile
   * has no passcode (its key is in the OS keychain).
   */
  lock(): Promise<void>;
  /**
   * `allowInsecure`: the user allowed an unencrypted address (ws://, http://) to another
   * computer; without it such an address is refused with the code 'insecure'.
   */
  register(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<Account>;
  login(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<Account>;
  /**
   * Signs the active account out. When other accounts are signed in here, this one's local
   * store is deleted and the first of the others becomes active (the UI then reloads, see
   * `switchAccount`); the last account stays as a signed-out profile, as before.
   */
  logout(): Promise<void>;

  /** Every account slot of this app, in Ctrl+1..3 order. Rejects 'locked' while locked. */
  accountSlots(): Promise<AccountSlot[]>;
  /**
   * Opens a new, empty slot (its own store; the app's passcode when it has one) and makes
   * it active; the UI then reloads and shows the sign-in screen for it. Rejects 'invalid'
   * when MAX_ACCOUNTS are already there, and 'busy' during a call.
   */
  addAccount(): Promise<void>;
  /**
   * Makes `id` the active slot. A slot left before it was signed in is removed. The host
   * does not re-render anything: the UI reloads itself (`location.reload()`) after this
   * resolves, so every store starts again from the new account. Rejects 'not_found' for an
   * unknown id and 'busy' during a call.
   */
  switchAccount(id: string): Promise<void>;
  /** Called with the whole list whenever an account's unread count or the list changes. */
  onAccountSlots(handler: (slots: AccountSlot[]) => void): () => void;

  chats(): Promise<ChatSummary[]>;
  /**
   * Newest first, `before` exclusive; null = from the newest. Returns at most
   * `HISTORY_PAGE_MAX` messages whatever `limit` asks for, so fewer than `limit` does not
   * by itself mean the start of history was reached.
   */
  history(chat: ChatId, before: Seq | null, limit: number): Promise<MessageView[]>;
  /**
   * Sends a message. Unless `plain`, Markdown-style marks in `text` become entities and are
   * removed from the text: `**bold**`, `__italic__`, `++underline++`, `~~strike~~`,
   * `||spoiler||`, `` `code` ``, ```` ```lang\n block\n``` ```` and `[text](https://…)`;
   * URLs, `@mentions` and `#hashtags` are recognized in any case. A mark that is not closed
   * stays as typed. Rejects with 'invalid' for an empty or oversize message.
   */
  send(chat: ChatId, text: string, replyTo: Seq | null, plain?: boolean): Promise<MessageView>;
  /** Replaces an own message's text, read as `send` reads it. */
  edit(chat: ChatId, seq: Seq, text: string, plain?: boolean): Promise<void>;
  /** Deletes a message for everyone (own messages; admins in groups also others'). */
  remove(chat: ChatId, seq: Seq): Promise<void>;
  /**
   * Deletes messages on this device only (by local id: failed and unsent ones too; an unsent
   * one is taken out of the outbox). Each comes back as `messagesRemoved`.
   */
  deleteForMe(chat: ChatId, localIds: string[]): Promise<void>;
  /**
   * Adds (`add`) or takes back this account's `emoji` reaction to the message at `seq`; the
   * message comes back as `messageUpserted` at once, and on every member's devices when it
   * arrives. At most `MAX_REACTIONS_PER_USER` different emojis per person per message:
   * rejects with 'invalid' beyond that, or for something that is not an emoji.
   */
  react(chat: ChatId, seq: Seq, emoji: string, add: boolean): Promise<void>;
  /**
   * Forwards messages (by seq, in the given order) of `fromChat` to `toChat`, each with its
   * text, entities and "forwarded from" (a forwarded message keeps its first origin). Rejects
   * with 'not_member' when this account cannot send to `toChat`, 'invalid' for a seq not
   * stored here or a call record. Returns the new messages.
   */
  forward(fromChat: ChatId, seqs: Seq[], toChat: ChatId): Promise<MessageView[]>;
  /**
   * Pins or unpins a message for everyone in the chat (in a group: admins only, else
   * 'forbidden'; in a direct chat: either side).
   */
  pinMessage(chat: ChatId, seq: Seq, pinned: boolean): Promise<void>;
  /** The chat's pinned messages, the most recently pinned first. */
  pinnedMessages(chat: ChatId): Promise<MessageView[]>;
  /** Searches one chat's messages (same rules and snippet markers as `search`), newest first. */
  searchChat(chat: ChatId, query: string): Promise<SearchHit[]>;
  /** The first stored message sent at or after `at` (Unix ms), for jump to date; null: none. */
  seqAtDate(chat: ChatId, at: number): Promise<Seq | null>;
  /**
   * Opens a link in the system's browser (or mail client). Rejects with 'invalid' for any
   * scheme but http, https and mailto. Show the real target first when a link's text differs.
   */
  openLink(url: string): Promise<void>;
  /** The account's chat folders, in tab order, as this device last heard them. */
  folders(): Promise<Folder[]>;
  /**
   * Replaces the account's folders (tab order as given); resolves to them as the server keeps
   * them (names trimmed) and they also come as `foldersChanged`. Rejects 'invalid' with the
   * reason (more than `MAX_FOLDERS`, a bad name, a duplicate id, a folder nothing can be in, a
   * chat both included and excluded), 'network' while offline.
   */
  setFolders(folders: Folder[]): Promise<Folder[]>;
  /** An account's profile (rejects 'not_found' for none). */
  profile(account: AccountId): Promise<Profile>;
  /**
   * Sets this account's display name and bio ("" clears one); returns the saved profile.
   * Rejects 'invalid' (with a message saying which) for more than `MAX_DISPLAY_NAME_CHARS` /
   * `MAX_BIO_CHARS` characters, a line break, or invisible / direction-changing characters.
   */
  setProfile(displayName: string, bio: string): Promise<Profile>;
  markRead(chat: ChatId, upTo: Seq): Promise<void>;
  typing(chat: ChatId): Promise<void>;
  openDirect(username: string): Promise<ChatSummary>;
  createGroup(title: string, usernames: string[]): Promise<ChatSummary>;
  addMember(chat: ChatId, username: string): Promise<void>;
  removeMember(chat: ChatId, account: AccountId): Promise<void>;
  /** Leaves a group and deletes it here; a group this account was removed from is only deleted. */
  leave(chat: ChatId): Promise<void>;
  rename(chat: ChatId, title: string): Promise<void>;
  setPinned(chat: ChatId, pinned: boolean): Promise<void>;
  /**
   * Mutes the chat's notifications on this device until `until` (ms since the epoch;
   * `MUTED_FOREVER`: for ever), or unmutes it (null). The new summary arrives as
   * `chatUpdated`. Rejects with 'not_member' in a group this account was removed from.
   */
  setChatMuted(chat: ChatId, until: number | null): Promise<void>;
  /**
   * Puts the chat in the account's archive or takes it out (all of its devices); the new
   * summary arrives as `chatUpdated`. Rejects with 'network' while offline.
   */
  setChatArchived(chat: ChatId, archived: boolean): Promise<void>;
  search(query: string): Promise<SearchHit[]>;
  /**
   * Saves the chat's draft in the account's encrypted store ("" clears it); it comes back as
   * the summary's `draft`. Rejects while the profile is locked.
   */
  setDraft(chat: ChatId, text: string): Promise<void>;
  /** The chat's encryption group; null while this device is not in it yet. */
  chatEncryption(chat: ChatId): Promise<ChatEncryption | null>;
  /**
   * The safety number with `peer`; with `verified`, first marks the current number verified
   * (true) or clears the mark (false).
   */
  safetyNumber(peer: AccountId, verified: boolean | null): Promise<SafetyNumber>;
  devices(): Promise<Device[]>;
  revokeDevice(id: number): Promise<void>;
  /**
   * The account's privacy settings (asks the server); with `groupAdds`, first changes who
   * may add the account to groups. Resolves to the settings now in force.
   */
  privacy(groupAdds: GroupAdds | null): Promise<Privacy>;
  /** Changes who sees this account's online status and last seen time; the settings now. */
  setLastSeen(visibility: LastSeenVisibility): Promise<Privacy>;
  /**
   * The presence of these accounts (at most 200; others' only: this account is left out).
   * Changes arrive as `presence` events for the people this account shares a chat with.
   */
  presence(accounts: AccountId[]): Promise<PresenceOf[]>;
  /** A new passcode needs at least 6 characters (else the code 'weak_passcode'). */
  setPasscode(passcode: string | null): Promise<void>;
  /**
   * Shows or hides the message text in native notifications; `hiddenText` (in the UI's
   * language) is the body shown instead when hidden.
   */
  setNotificationPreview(show: boolean, hiddenText: string): Promise<void>;
  /**
   * Which kinds of chats the host announces at all on this device (Telegram's "Private
   * chats / Groups / Channels" switches); a message that mentions this account is announced
   * whatever its kind's switch says while `mentions` is on. Applies until changed again.
   */
  setNotifyKinds(kinds: NotifyKinds): Promise<void>;
  /** The tray menu's item labels, in the UI's language. */
  setTrayTexts(show: string, quit: string): Promise<void>;
  /**
   * The tray icon's tooltip while `count` messages are unread in all accounts together, in
   * the UI's language; the host shows it whenever that is the count on the icon.
   */
  setTrayUnread(count: number, tooltip: string): Promise<void>;
  /** Returns and forgets the `wren://` links waiting in the host, oldest first. */
  takeDeepLinks(): Promise<DeepLink[]>;

  // ---- channels ----

  /** The channels this account is in. */
  channels(): Promise<ChannelInfo[]>;
  /** Posts stored on this device, newest first, `before` exclusive (null = from the newest). */
  channelPosts(channel: ChannelId, before: Seq | null, limit: number): Promise<Post[]>;
  /** Posts fetched from the server (fresh view counts) and stored, newest first. */
  refreshPosts(channel: ChannelId, before: Seq | null, limit: number): Promise<Post[]>;
  /** Public channels matching the query, most subscribers first. */
  directory(query: DirectoryQuery): Promise<ChannelInfo[]>;
  /** A public channel by its handle (with or without `@`); `role` null: a preview. */
  findChannel(handle: string): Promise<ChannelInfo>;
  /** The newest posts of a public channel this account is not in, newest first. */
  previewPosts(channel: ChannelId, limit: number): Promise<Post[]>;
  subscribe(channel: ChannelId): Promise<ChannelInfo>;
  /** Joins a channel with an invite link (`wren://join/…`). */
  joinChannel(link: string): Promise<ChannelInfo>;
  /** The owner cannot leave their channel. */
  leaveChannel(channel: ChannelId): Promise<void>;
  /**
   * A new channel owned by this account. Rejects with 'invalid' (the message names the
   * field: title, handle, description, topic, language), 'conflict' (the handle is taken) or
   * 'forbidden' (no more public channels on this plan).
   */
  createChannel(channel: NewChannel): Promise<ChannelInfo>;
  /** Publishes a post (owner and admins); resolves to its position. */
  post(channel: ChannelId, text: string): Promise<Seq>;
  /** Tells the host these posts were on screen; each is counted once per device. */
  reportViews(channel: ChannelId, seqs: Seq[]): Promise<void>;
  /** A new invite link of the channel (owner and admins). */
  createInvite(channel: ChannelId): Promise<InviteLink>;
  /**
   * Revokes an invite link (owner and admins): it stops working at once. 'not_found' when
   * the channel has no such working link.
   */
  revokeInvite(channel: ChannelId, link: string): Promise<void>;
  /** Replaces a post's text (owner and admins); a deleted post is 'not_found'. */
  editPost(channel: ChannelId, seq: Seq, text: string): Promise<void>;
  /** Deletes a post for everyone (owner and admins). */
  deletePost(channel: ChannelId, seq: Seq): Promise<void>;
  /** Pins a post, or unpins with null (owner and admins); arrives as `channelUpdated`. */
  pinPost(channel: ChannelId, seq: Seq | null): Promise<void>;
  /** The owner and the admins, owner first (owner and admins; others get 'forbidden'). */
  channelAdmins(channel: ChannelId): Promise<ChannelAdmin[]>;
  /**
   * Makes a subscriber an admin, or an admin a subscriber (owner only: 'forbidden');
   * 'not_found' when that user is not a subscriber of the channel.
   */
  setChannelAdmin(channel: ChannelId, username: string, admin: boolean): Promise<void>;
  /** Sponsored impressions in the channel and the owner's share (owner and admins). */
  channelEarnings(channel: ChannelId): Promise<ChannelEarnings>;
  /** The channels muted on this device. */
  mutedChannels(): Promise<ChannelId[]>;
  /** Mutes or unmutes a channel's notifications on this device. */
  setChannelMuted(channel: ChannelId, muted: boolean): Promise<void>;

  // ---- sponsored messages and plans ----

  /**
   * The sponsored message a channel shows now; null in private and small channels and for
   * accounts on the Business plan. Only the channel view asks (never chats or groups).
   */
  sponsored(channel: ChannelId): Promise<SponsoredMessage | null>;
  /** Tells the server a sponsored message was shown, clicked or reported (counted once per account). */
  sponsoredEvent(campaign: number, channel: ChannelId, action: SponsoredAction): Promise<void>;
  /** This account's plan and what it allows. */
  plan(): Promise<PlanInfo>;
  /** An account's business profile; null when it has none or is not on the Business plan. */
  businessProfile(account: AccountId): Promise<BusinessProfile | null>;
  /**
   * Sets this account's business profile. Rejects with 'invalid' (the message names the
   * problem) or 'forbidden' (the account is not on the Business plan).
   */
  setBusinessProfile(profile: BusinessProfile): Promise<void>;

  // ---- calls ----

  /**
   * Calls the other member of a direct chat; every device of theirs rings. Rejects (code
   * 'invalid') in a group or channel, or when this device is in a call already.
   */
  startCall(chat: ChatId, video: boolean): Promise<CallInfo>;
  /** Answers the call ringing on this device. */
  acceptCall(call: CallId): Promise<void>;
  /** Declines the call ringing on this device (it stops ringing on every device). */
  declineCall(call: CallId): Promise<void>;
  /** Cancels an outgoing call not answered yet, declines a ringing one, hangs up an answered one. */
  hangUp(call: CallId): Promise<void>;
  /** The call this device is in, if any. */
  currentCall(): Promise<CurrentCall | null>;
  /**
   * Mutes / unmutes the microphone and turns the camera off / on in this device's call; a
   * switch left out stays as it is (`{}` changes nothing). Resolves with the switches as they
   * are now. Rejects (code 'invalid') when this device is in no call.
   */
  switchCallMedia(change: { muted?: boolean; cameraOff?: boolean }): Promise<CallMedia>;
  /** This machine's microphones, speakers and cameras, and the ones chosen for calls. */
  listMediaDevices(): Promise<MediaDevices>;
  /**
   * Chooses the microphone, speaker and camera of calls (null: the system's default, for the
   * camera the first one): at once in the call under way, and for later calls, until the app
   * quits. Resolves with the devices and the choice as they are now. Rejects (code
   * 'not_found') when an id names no device of this machine.
   */
  chooseMediaDevices(choice: MediaDeviceChoice): Promise<MediaDevices>;
  /**
   * From now on, hands `onPicture` every picture the other side sends in this device's calls
   * (the newest: pictures are dropped, never queued, while the window is slow). Resolves once
   * watching; call it once per window, not once per call.
   */
  watchCallVideo(onPicture: (picture: VideoPicture) => void): Promise<void>;
  /**
   * Opens the call's picture-in-picture window (small, frameless, always on top; it loads this
   * UI with `?pip=1`).
   */
  openCallWindow(): Promise<void>;
  /** Closes the picture-in-picture window and brings the main window to the front. */
  closeCallWindow(): Promise<void>;
  /**
   * Whether the window system keeps the picture-in-picture window above the others (Wayland
   * does not let an app do that).
   */
  pipStaysOnTop(): Promise<boolean>;

  /** Subscribes to core events; returns an unsubscribe function. */
  onEvent(handler: (event: CoreEvent) => void): () => void;
}
