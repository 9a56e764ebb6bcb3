// An in-memory host: a fake server with a few users and chats and simulated peers.
// Vitest uses it to render screens; the browser demo (no Tauri) runs on it too.

import { hostProfileProblem } from '../lib/business';
import { INVITE_PREFIX, isInviteCode, isTopic, isValidHandle, normalizeHandle, searchWords } from '../lib/channels';
import { foldersProblem } from '../lib/folders';
import { namesUser } from '../lib/mentions';
import { isStrongEnough } from '../lib/passcode';
import { MEDIA_DEVICE_KINDS, devicesOfKind } from '../lib/mediaDevices';
import { isMuted } from '../lib/mute';
import { isUnencryptedRemote } from '../lib/server';
import { nameOf, problemMessage, profileProblem } from '../lib/profile';
import { markMatches } from '../lib/text';
import { hostError } from './errors';
import { parseMessage } from './memoryMarkdown';
import {
  BUSINESS_PINNED_CHATS,
  BUSINESS_PUBLIC_CHANNELS,
  CHANNEL_PAGE_MAX,
  CHANNEL_TOPICS,
  DIRECTORY_PAGE_MAX,
  FREE_PINNED_CHATS,
  FREE_PUBLIC_CHANNELS,
  HISTORY_PAGE_MAX,
  MAX_ACCOUNTS,
  MAX_REACTIONS_PER_USER,
  MAX_VIEWS_PER_REPORT,
} from './types';
import type {
  Account,
  AccountId,
  AccountSlot,
  BusinessProfile,
  CallEmojis,
  CallEndReason,
  CallId,
  CallInfo,
  CallMedia,
  CallPhase,
  CallRecord,
  ChannelAdmin,
  ChannelEarnings,
  ChannelId,
  ChannelInfo,
  ChannelRole,
  ChatEncryption,
  ChatId,
  ChatKind,
  ChatSummary,
  CoreEvent,
  CurrentCall,
  DeepLink,
  Device,
  DirectoryQuery,
  Entity,
  Folder,
  ForwardedFrom,
  GroupAdds,
  InviteLink,
  LastSeenVisibility,
  MediaDeviceChoice,
  MediaDevices,
  Member,
  MessageView,
  NewChannel,
  NotifyKinds,
  PlanInfo,
  PlanKind,
  Platform,
  Post,
  Presence,
  PresenceOf,
  Privacy,
  Profile,
  ProfileStatus,
  Reaction,
  Role,
  SafetyNumber,
  SearchHit,
  Seq,
  SponsoredAction,
  SponsoredMessage,
  SponsoredTarget,
  VideoPicture,
} from './types';

/**
 * The subscribers a public channel needs before it shows sponsored messages (the server's
 * default `sponsored_min_subscribers`).
 */
export const SPONSORED_MIN_SUBSCRIBERS = 1000;
/** Which campaign a channel shows changes this often (as on the server). */
const SPONSORED_ROTATE_MS = 60_000;

/** A campaign as an advertiser starts it (`addCampaign`). */
export interface CampaignSpec {
  title: string;
  text: string;
  target: SponsoredTarget;
  button: string;
  /** Channel topics it is shown in (empty: any). */
  topics: string[];
  /** Channel languages it is shown in (empty: any). */
  languages: string[];
  /** How many impressions it may have in all. */
  budget: number;
}

/** A campaign's counts: the only thing kept about what readers did (nobody is recorded). */
export interface CampaignCounts {
  shown: number;
  clicks: number;
  reports: number;
}

export interface MemoryOptions {
  /** Clock used for timestamps. */
  now?: () => number;
  /** Milliseconds before the fake server acknowledges a send. */
  ackDelay?: number;
  /** Whether peers in direct chats read, type and answer after a send. */
  simulatePeers?: boolean;
  /** Size of the seeded "Archive" group; 0 leaves it out. */
  archiveSize?: number;
  /** Start signed in as this seeded user (password "password"). */
  signedInAs?: string;
  /**
   * Seeded users signed in in further account slots of this app, after the one of
   * `signedInAs` (which stays active).
   */
  moreAccounts?: string[];
  /** A passcode the profile is locked with at start. */
  passcode?: string;
  /** `wren://` links the app was started with, waiting for the UI. */
  links?: DeepLink[];
  /**
   * Whether this device is in every chat's encryption group from the start (default true);
   * false: a chat is encrypted once `startEncryption` is called for it.
   */
  encryption?: boolean;
  /**
   * Seeded public channels (by handle) that seeded users are subscribed to from the start,
   * by username: `{ alice: ['wrennews'] }`.
   */
  subscriptions?: Record<string, string[]>;
  /** Seeded public channels (by handle) whose admins seeded users are, by username. */
  channelAdmins?: Record<string, string[]>;
  /** The microphones, speakers and cameras of the simulated machine (default `SIMULATED_MEDIA_DEVICES`). */
  mediaDevices?: MediaDeviceLists;
}

/** An account slot of the simulated app: who was signed in there when it was last active. */
interface SimulatedSlot {
  id: string;
  /** null: never signed in (only the active slot can be so). */
  account: AccountId | null;
}

interface StoredCampaign extends CampaignSpec, CampaignCounts {
  id: number;
  stopped: boolean;
}

interface StoredMessage {
  seq: Seq;
  localId: string;
  sender: AccountId;
  text: string;
  replyTo: Seq | null;
  sentAt: number;
  editedAt: number | null;
  deleted: boolean;
  undecryptable: boolean;
  /** A call record (written by the caller's device when the call ended). */
  call: CallRecord | null;
  entities: Entity[];
  /** Reactions in the order first given: each emoji with who gave it, in order. */
  reactions: StoredReaction[];
  forwardedFrom: ForwardedFrom | null;
  /** When it was pinned (this host's clock); null: not pinned. */
  pinnedAt: number | null;
}

interface StoredReaction {
  emoji: string;
  accounts: AccountId[];
}

interface PendingMessage {
  localId: string;
  sender: AccountId;
  text: string;
  replyTo: Seq | null;
  sentAt: number;
  entities: Entity[];
  forwardedFrom: ForwardedFrom | null;
}

/** The longest message the fake server takes, in characters. */
const MAX_MESSAGE_CHARS = 4096;
/** How many pinned messages `pinnedMessages` returns at most. */
const PINNED_MAX = 100;

/** Whether `text` is one emoji (a grapheme of pictographs, keycaps or flags). */
function isEmoji(text: string): boolean {
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return graphemes.length === 1 && /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)/u.test(text);
}

interface StoredChat {
  id: ChatId;
  kind: ChatKind;
  title: string;
  members: Map<AccountId, Role>;
  /** Accounts removed from the group: they keep it, read-only. */
  removed: Set<AccountId>;
  messages: StoredMessage[];
  outbox: PendingMessage[];
  readSeq: Map<AccountId, Seq>;
  pinnedBy: Set<AccountId>;
  /** When each account's mute of the chat ends (ms since the epoch), as its device keeps it. */
  mutedUntil: Map<AccountId, number>;
  /** The accounts that keep the chat in their archive. */
  archivedBy: Set<AccountId>;
  /** Each account's unsent text, as the encrypted store keeps it. */
  drafts: Map<AccountId, string>;
  /** Messages each account deleted on its device only, by local id. */
  hiddenFor: Map<AccountId, Set<string>>;
  createdAt: number;
}

interface StoredPost {
  seq: Seq;
  changedSeq: Seq;
  text: string;
  sentAt: number;
  editedAt: number | null;
  deleted: boolean;
  /** Views counted before this simulation (the seeded channels' readers). */
  baseViews: number;
  /** The accounts (one device each here) whose view was counted. */
  viewers: Set<AccountId>;
}

interface StoredChannel {
  id: ChannelId;
  handle: string | null;
  title: string;
  description: string;
  topic: string;
  language: string;
  members: Map<AccountId, ChannelRole>;
  /** Subscribers outside this simulation (the seeded channels' audience). */
  baseSubscribers: number;
  posts: StoredPost[];
  /** The newest position in the channel's log. */
  lastSeq: Seq;
  pinned: Seq | null;
  /** Working invite codes. */
  invites: Set<string>;
  /** Sponsored messages shown in the channel (counted as the server counts them). */
  sponsoredShown: number;
  createdAt: number;
}

/** A call this device is in, as the simulated engine keeps it. */
interface SimulatedCall {
  /** Seen from this device. */
  info: CallInfo;
  chat: StoredChat;
  /** Who placed it (that side's device writes the call record). */
  caller: AccountId;
  callee: AccountId;
  phase: CallPhase;
  /** When it was answered (this host's clock). */
  connectedAt: number | null;
  /** Muted, camera off: set by `switchCallMedia`; in the simulation they change nothing else. */
  media: CallMedia;
}

/** The four emojis of every simulated call's key (the engine derives them from the key). */
export const SIMULATED_CALL_EMOJIS: CallEmojis = ['🦊', '🌵', '🎈', '🚲'];

/** The microphones, speakers and cameras of a machine, without the choice. */
export type MediaDeviceLists = Omit<MediaDevices, 'chosen'>;

/** The devices the simulated machine has unless told otherwise (`MemoryOptions.mediaDevices`). */
export const SIMULATED_MEDIA_DEVICES: MediaDeviceLists = {
  microphones: [
    { id: 'mic-built-in', name: 'Built-in Microphone' },
    { id: 'mic-headset', name: 'USB Headset Microphone' },
  ],
  speakers: [{ id: 'speaker-built-in', name: 'Built-in Speakers' }],
  cameras: [{ id: 'camera-integrated', name: 'Integrated Camera' }],
};

/** The simulated video of the other side: a small picture, ten a second. */
export const SIMULATED_VIDEO = { width: 64, height: 36, intervalMs: 100 } as const;

/**
 * Picture number `frame` of the simulated video: a diagonal colour gradient with a white bar
 * moving across it (two columns a picture), in I420.
 */
export function simulatedPicture(frame: number, width: number = SIMULATED_VIDEO.width, height: number = SIMULATED_VIDEO.height): VideoPicture {
  const chromaWidth = (width + 1) >> 1;
  const chromaHeight = (height + 1) >> 1;
  const i420 = new Uint8Array(width * height + 2 * chromaWidth * chromaHeight);
  const barStart = (frame * 2) % width;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBar = (x - barStart + width) % width < 4;
      i420[y * width + x] = inBar ? 235 : 40 + Math.round((140 * x) / width + (40 * y) / height);
    }
  }
  const u = width * height;
  const v = u + chromaWidth * chromaHeight;
  for (let y = 0; y < chromaHeight; y++) {
    for (let x = 0; x < chromaWidth; x++) {
      i420[u + y * chromaWidth + x] = 170 - Math.round((80 * y) / chromaHeight);
      i420[v + y * chromaWidth + x] = 100 + Math.round((90 * x) / chromaWidth);
    }
  }
  return { width, height, i420 };
}

/** The English line a call record carries as its text (for search), as the engine writes it. */
export function callSummary(record: CallRecord): string {
  const kind = record.video ? 'Video call' : 'Call';
  switch (record.outcome) {
    case 'answered':
      return `${kind} · ${Math.floor(record.durationS / 60)}:${String(record.durationS % 60).padStart(2, '0')}`;
    case 'missed':
      return `Missed ${kind.toLowerCase()}`;
    case 'declined':
      return `Declined ${kind.toLowerCase()}`;
    case 'busy':
      return `${kind} · busy`;
  }
}

/** The owner's share of each sponsored impression, in thousandths of a credit (the server's). */
export const OWNER_SHARE_MILLI = 500;

const SEEDED_USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const PASSWORD = 'password';
/** Wrong passwords after which an account's logins are refused for a while (as the server does). */
const MAX_FAILED_LOGINS = 10;
const REPLIES = [
  'Sounds good!',
  'Haha, true 😄',
  'Let me check and get back to you.',
  'On my way.',
  'Can we talk about it tomorrow?',
  'Thanks!',
];
const WORDS = [
  'the', 'train', 'was', 'late', 'again', 'coffee', 'later', 'meeting', 'notes', 'photos',
  'weekend', 'plan', 'sounds', 'great', 'tomorrow', 'morning', 'ticket', 'beach', 'call', 'me',
];

const SAFETY_DIGITS = 60;
const SAFETY_GROUP = 5;

/** A made-up safety number, the same for both sides: 60 digits in groups of 5. */
function safetyDigits(seed: string): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let digits = '';
  for (let i = 0; i < SAFETY_DIGITS; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    digits += (i > 0 && i % SAFETY_GROUP === 0 ? ' ' : '') + String(h % 10);
  }
  return digits;
}

/** The most accounts one `presence` call may name. */
const MAX_PRESENCE_ASK = 200;
/** When an account never seen online in this simulation was last seen. */
const LONG_AGO_MS = 30 * 86_400_000;

/** An account's real presence, before anyone's privacy is applied. */
type SeenState = { online: true } | { online: false; at: number };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class MemoryPlatform implements Platform {
  private readonly now: () => number;
  private readonly ackDelay: number;
  private readonly simulatePeers: boolean;
  private readonly accounts = new Map<AccountId, { account: Account; password: string }>();
  /** What each account says about itself (absent: ""). */
  private readonly bios = new Map<AccountId, string>();
  private readonly chatsById = new Map<ChatId, StoredChat>();
  private readonly handlers = new Set<(event: CoreEvent) => void>();
  private devicesList: Device[];
  private me: Account | null = null;
  private serverUrl: string | null = null;
  private passcode: string | null;
  private unlocked: boolean;
  private nextAccountId = 1;
  private nextChatId = 1;
  private nextLocalId = 1;
  private waitingLinks: DeepLink[] = [];
  /** Each account's chat folders, in tab order (absent: none). */
  private readonly foldersBy = new Map<AccountId, Folder[]>();
  /** Who may add each account to groups; absent means everybody. */
  private groupAdds = new Map<AccountId, GroupAdds>();
  /** Who sees each account's presence; absent means everybody. */
  private readonly lastSeenBy = new Map<AccountId, LastSeenVisibility>();
  /** Each account's real presence: online now, or when it was last seen (absent: long ago). */
  private readonly onlineState = new Map<AccountId, SeenState>();
  /** Wrong passwords per username since its last good login (the server's limit). */
  private failedLogins = new Map<string, number>();
  /** Whether new chats start encrypted. */
  private readonly encryptNew: boolean;
  /** Chats whose encryption group this device is in, with their epoch. */
  private readonly epochs = new Map<ChatId, number>();
  /** Other accounts' devices: how many, and how often their keys changed. */
  private readonly peerDevices = new Map<AccountId, number>();
  /** Safety numbers the user verified, by `me:peer`. */
  private readonly verifiedNumbers = new Map<string, string>();
  private readonly channelsById = new Map<ChannelId, StoredChannel>();
  private nextChannelId = 1;
  /** The channels muted on this device, by the account signed in when they were muted. */
  private readonly mutedByAccount = new Map<AccountId, Set<ChannelId>>();
  /** Every URL `openLink` opened, oldest first (tests read it). */
  readonly openedLinks: string[] = [];
  /** Orders pins: each pin gets a later stamp than the one before, even within one millisecond. */
  private lastPinStamp = 0;
  /** Every `reportViews` call, for tests: `[channel, seqs]`. */
  readonly viewReports: [ChannelId, Seq[]][] = [];
  /** Each account's plan; absent: Free. `until` null: no end. */
  private readonly plans = new Map<AccountId, { plan: PlanKind; until: number | null }>();
  /** Business profiles by account (shown only while the account is on Business). */
  private readonly businessProfiles = new Map<AccountId, BusinessProfile>();
  private readonly campaigns: StoredCampaign[] = [];
  private nextCampaignId = 1;
  /** Sponsored events already counted, as `account:campaign:channel:action` (each counts once). */
  private readonly sponsoredCounted = new Set<string>();
  /** Every `sponsored` call, for tests: the channel asked about. */
  readonly sponsoredAsks: ChannelId[] = [];
  /** Every `sponsoredEvent` call, for tests. */
  readonly sponsoredEvents: { campaign: number; channel: ChannelId; action: SponsoredAction }[] = [];
  /** What the UI last asked about notification previews (tests read it). */
  notificationPreview = true;
  /** The body the UI last gave for notifications with hidden previews (tests read it). */
  notificationHiddenText: string | null = null;
  /** The kinds of chats the UI last asked to be notified about; null: never asked (tests read it). */
  notifyKinds: NotifyKinds | null = null;
  /** The tray menu labels the UI last gave, `[show, quit]` (tests read them). */
  trayTexts: [string, string] | null = null;
  /** The last tray tooltip the UI gave, with its count. */
  trayTooltip: [number, string] | null = null;
  /** The call this device is in. */
  private activeCall: SimulatedCall | null = null;
  private nextCallId = 1;
  /** Who `watchCallVideo` hands the pictures of the other side to. */
  private readonly videoWatchers = new Set<(picture: VideoPicture) => void>();
  /** Sends the simulated pictures while a video call is connected and someone watches. */
  private videoTimer: ReturnType<typeof setInterval> | undefined;
  private videoFrame = 0;
  /** Whether the call's picture-in-picture window is open (`openCallWindow`; tests read it). */
  pipOpen = false;
  private mediaDevices: MediaDeviceLists;
  /** The devices chosen for calls (`chooseMediaDevices`), kept whatever the account. */
  private mediaChoice: MediaDeviceChoice = { microphone: null, speaker: null, camera: null };
  /** The app's account slots in Ctrl+1..3 order; the active one's account is `me`. */
  private slots: SimulatedSlot[] = [{ id: 'slot-1', account: null }];
  private activeSlot = 'slot-1';
  private nextSlotId = 2;
  private readonly slotHandlers = new Set<(slots: AccountSlot[]) => void>();

  constructor(options: MemoryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ackDelay = options.ackDelay ?? 300;
    this.simulatePeers = options.simulatePeers ?? false;
    this.passcode = options.passcode ?? null;
    this.unlocked = this.passcode === null;
    this.waitingLinks = [...(options.links ?? [])];
    this.encryptNew = options.encryption ?? true;
    this.mediaDevices = structuredClone(options.mediaDevices ?? SIMULATED_MEDIA_DEVICES);
    for (const name of SEEDED_USERS) this.createAccount(name, PASSWORD);
    this.seed(options.archiveSize ?? 0);
    this.seedChannels(options.subscriptions ?? {}, options.channelAdmins ?? {});
    this.seedBusiness();
    const now = this.now();
    this.devicesList = [
      { id: 1, name: 'This computer', createdAt: now - 40 * 86_400_000, lastSeenAt: now, current: true },
      { id: 2, name: 'Laptop (Linux)', createdAt: now - 90 * 86_400_000, lastSeenAt: now - 3 * 3_600_000, current: false },
      { id: 3, name: 'Office desktop', createdAt: now - 200 * 86_400_000, lastSeenAt: now - 9 * 86_400_000, current: false },
    ];
    if (options.signedInAs !== undefined) {
      this.me = this.accountByName(options.signedInAs) ?? null;
      this.serverUrl = 'http://127.0.0.1:8080';
    }
    for (const name of options.moreAccounts ?? []) {
      const account = this.accountByName(name);
      if (account !== undefined) this.slots.push({ id: `slot-${this.nextSlotId++}`, account: account.id });
    }
  }

  // ---- profile and account ----

  async profileStatus(): Promise<ProfileStatus> {
    const locked = !this.unlocked;
    return {
      exists: this.me !== null || this.passcode !== null,
      locked,
      account: locked ? null : this.me,
      serverUrl: this.serverUrl,
    };
  }

  async unlock(passcode: string): Promise<void> {
    if (passcode !== this.passcode) throw hostError('wrong_key', 'wrong passcode');
    this.unlocked = true;
  }

  async lock(): Promise<void> {
    if (this.passcode === null) throw hostError('invalid', 'set a passcode first: without one, Wren cannot be locked');
    this.unlocked = false;
  }

  async register(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<Account> {
    this.checkServer(serverUrl, allowInsecure);
    const name = username.trim();
    if (name === '' || password === '') throw hostError('invalid', 'username and password are required');
    if (this.accountByName(name) !== undefined) throw hostError('taken', 'username taken');
    const account = this.createAccount(name, password);
    this.me = account;
    this.serverUrl = serverUrl;
    this.emitSlots();
    return account;
  }

  async login(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<Account> {
    this.checkServer(serverUrl, allowInsecure);
    const name = username.trim();
    const failures = this.failedLogins.get(name) ?? 0;
    if (failures >= MAX_FAILED_LOGINS) throw hostError('rate_limited', 'too many wrong passwords for this account');
    const entry = [...this.accounts.values()].find((a) => a.account.username === name);
    if (entry === undefined || entry.password !== password) {
      this.failedLogins.set(name, failures + 1);
      throw hostError('unauthorized', 'bad credentials');
    }
    this.failedLogins.delete(name);
    this.me = entry.account;
    this.serverUrl = serverUrl;
    this.emitSlots();
    return entry.account;
  }

  async logout(): Promise<void> {
    const next = this.slots.find((slot) => slot.id !== this.activeSlot && slot.account !== null);
    if (next === undefined) {
      this.me = null;
    } else {
      // Another account of this app takes over; this one's slot goes with its store.
      this.slots = this.slots.filter((slot) => slot.id !== this.activeSlot);
      this.activeSlot = next.id;
      this.me = this.slotAccount(next);
    }
    this.emitSlots();
  }

  // ---- account slots ----

  async accountSlots(): Promise<AccountSlot[]> {
    this.requireUnlocked();
    return this.slotList();
  }

  async addAccount(): Promise<void> {
    this.requireSwitchable();
    if (this.slots.length >= MAX_ACCOUNTS) throw hostError('invalid', `at most ${MAX_ACCOUNTS} accounts`);
    this.leaveSlot();
    const id = `slot-${this.nextSlotId++}`;
    this.slots.push({ id, account: null });
    this.activeSlot = id;
    this.me = null;
    this.emitSlots();
  }

  async switchAccount(id: string): Promise<void> {
    this.requireSwitchable();
    const target = this.slots.find((slot) => slot.id === id);
    if (target === undefined) throw hostError('not_found', `no account slot ${id}`);
    if (id === this.activeSlot) return;
    this.leaveSlot();
    this.activeSlot = id;
    this.me = this.slotAccount(target);
    this.emitSlots();
  }

  onAccountSlots(handler: (slots: AccountSlot[]) => void): () => void {
    this.slotHandlers.add(handler);
    return () => this.slotHandlers.delete(handler);
  }

  // ---- chats and messages ----

  async chats(): Promise<ChatSummary[]> {
    const me = this.requireMe();
    return [...this.chatsById.values()]
      .filter((c) => c.members.has(me.id) || c.removed.has(me.id))
      .map((c) => this.summary(c, me.id));
  }

  async history(chat: ChatId, before: Seq | null, limit: number): Promise<MessageView[]> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    const hidden = c.hiddenFor.get(me.id);
    const visible = hidden === undefined ? c.messages : c.messages.filter((m) => !hidden.has(m.localId));
    const end = before === null ? visible.length : lowerBound(visible, before);
    const start = Math.max(0, end - Math.min(HISTORY_PAGE_MAX, Math.max(0, limit)));
    const stored = visible.slice(start, end).reverse().map((m) => this.view(c, m, me.id));
    if (before !== null) return stored;
    const pending = [...c.outbox].reverse().map((p) => this.pendingView(c, p, c.removed.has(me.id)));
    return [...pending, ...stored];
  }

  async send(chat: ChatId, text: string, replyTo: Seq | null, plain = false): Promise<MessageView> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    const parsed = readMessage(text, plain);
    return this.queue(c, me.id, { ...parsed, replyTo, forwardedFrom: null });
  }

  async edit(chat: ChatId, seq: Seq, text: string, plain = false): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    const m = this.ownMessage(c, seq, me.id);
    if (m.call !== null) throw hostError('invalid', 'a call record cannot be edited');
    const parsed = readMessage(text, plain);
    m.text = parsed.text;
    m.entities = parsed.entities;
    m.editedAt = this.now();
    this.emit({ type: 'messageUpserted', message: this.view(c, m, me.id) });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async remove(chat: ChatId, seq: Seq): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    const m = this.ownMessage(c, seq, me.id);
    m.deleted = true;
    m.text = '';
    m.entities = [];
    m.reactions = [];
    m.pinnedAt = null;
    this.emit({ type: 'messageUpserted', message: this.view(c, m, me.id) });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async deleteForMe(chat: ChatId, localIds: string[]): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    let hidden = c.hiddenFor.get(me.id);
    if (hidden === undefined) {
      hidden = new Set();
      c.hiddenFor.set(me.id, hidden);
    }
    const removed: string[] = [];
    for (const localId of new Set(localIds)) {
      const at = c.outbox.findIndex((p) => p.localId === localId);
      if (at !== -1) {
        c.outbox.splice(at, 1);
        removed.push(localId);
      } else if (c.messages.some((m) => m.localId === localId) && !hidden.has(localId)) {
        hidden.add(localId);
        removed.push(localId);
      }
    }
    if (removed.length === 0) return;
    this.emit({ type: 'messagesRemoved', chat, localIds: removed });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async react(chat: ChatId, seq: Seq, emoji: string, add: boolean): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    const m = this.liveMessage(c, seq);
    if (!isEmoji(emoji)) throw hostError('invalid', 'a reaction is one emoji');
    const existing = m.reactions.find((r) => r.emoji === emoji);
    if (add) {
      if (existing?.accounts.includes(me.id) === true) return;
      const mine = m.reactions.filter((r) => r.accounts.includes(me.id)).length;
      if (mine >= MAX_REACTIONS_PER_USER) {
        throw hostError('invalid', `at most ${MAX_REACTIONS_PER_USER} different reactions per person on a message`);
      }
      if (existing === undefined) m.reactions.push({ emoji, accounts: [me.id] });
      else existing.accounts.push(me.id);
    } else {
      if (existing === undefined || !existing.accounts.includes(me.id)) return;
      existing.accounts = existing.accounts.filter((id) => id !== me.id);
      m.reactions = m.reactions.filter((r) => r.accounts.length > 0);
    }
    this.emit({ type: 'messageUpserted', message: this.view(c, m, me.id) });
  }

  async forward(fromChat: ChatId, seqs: Seq[], toChat: ChatId): Promise<MessageView[]> {
    const me = this.requireMe();
    const from = this.readableChat(fromChat, me.id);
    const originals = seqs.map((seq) => {
      const m = this.liveMessage(from, seq, 'invalid');
      if (m.call !== null || m.undecryptable) throw hostError('invalid', 'a call record or an unreadable message cannot be forwarded');
      return m;
    });
    const to = this.memberChat(toChat, me.id);
    return originals.map((m) =>
      this.queue(to, me.id, {
        text: m.text,
        entities: structuredClone(m.entities),
        replyTo: null,
        forwardedFrom: m.forwardedFrom === null ? { name: nameOf(this.accountOf(m.sender)), sentAt: m.sentAt } : { ...m.forwardedFrom },
      }),
    );
  }

  async pinMessage(chat: ChatId, seq: Seq, pinned: boolean): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    if (c.kind === 'group' && c.members.get(me.id) !== 'admin') throw hostError('forbidden', 'only admins pin messages in a group');
    const m = this.liveMessage(c, seq);
    if (pinned === (m.pinnedAt !== null)) return;
    m.pinnedAt = pinned ? this.nextPinStamp() : null;
    this.emit({ type: 'messageUpserted', message: this.view(c, m, me.id) });
  }

  async pinnedMessages(chat: ChatId): Promise<MessageView[]> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    return c.messages
      .filter((m) => m.pinnedAt !== null && !m.deleted)
      .sort((a, b) => (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0))
      .slice(0, PINNED_MAX)
      .map((m) => this.view(c, m, me.id));
  }

  async searchChat(chat: ChatId, query: string): Promise<SearchHit[]> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    const q = query.trim().toLocaleLowerCase();
    if (q === '') return [];
    const hidden = c.hiddenFor.get(me.id);
    const title = this.titleFor(c, me.id);
    const hits: SearchHit[] = [];
    for (let i = c.messages.length - 1; i >= 0 && hits.length < 100; i--) {
      const m = c.messages[i];
      if (m === undefined || m.deleted || m.undecryptable || hidden?.has(m.localId) === true) continue;
      if (!m.text.toLocaleLowerCase().includes(q)) continue;
      hits.push({ chat: c.id, chatTitle: title, message: this.view(c, m, me.id), snippet: markMatches(m.text, q) });
    }
    return hits;
  }

  async seqAtDate(chat: ChatId, at: number): Promise<Seq | null> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    const hidden = c.hiddenFor.get(me.id);
    return c.messages.find((m) => m.sentAt >= at && hidden?.has(m.localId) !== true)?.seq ?? null;
  }

  async openLink(url: string): Promise<void> {
    if (!/^(https?:\/\/|mailto:)/i.test(url.trim())) throw hostError('invalid', 'only http, https and mailto links are opened');
    this.openedLinks.push(url);
  }

  async folders(): Promise<Folder[]> {
    const me = this.requireMe();
    return structuredClone(this.foldersBy.get(me.id) ?? []);
  }

  async setFolders(folders: Folder[]): Promise<Folder[]> {
    const me = this.requireMe();
    const problem = foldersProblem(folders);
    if (problem !== null) throw hostError('invalid', problem);
    const kept = folders.map((f) => ({ ...structuredClone(f), name: f.name.trim() }));
    this.foldersBy.set(me.id, kept);
    this.emit({ type: 'foldersChanged', folders: structuredClone(kept) });
    return structuredClone(kept);
  }

  async profile(account: AccountId): Promise<Profile> {
    this.requireMe();
    const entry = this.accounts.get(account);
    if (entry === undefined) throw hostError('not_found', 'no such account');
    return { account: { ...entry.account }, bio: this.bios.get(account) ?? '' };
  }

  async setProfile(displayName: string, bio: string): Promise<Profile> {
    const me = this.requireMe();
    const problem = profileProblem(displayName, bio);
    if (problem !== null) throw hostError('invalid', problemMessage(problem));
    this.changeProfile(me.id, displayName.trim(), bio.trim());
    return this.profile(me.id);
  }

  async markRead(chat: ChatId, upTo: Seq): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    if (upTo <= (c.readSeq.get(me.id) ?? 0)) return;
    c.readSeq.set(me.id, upTo);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
    this.emitSlots();
  }

  async typing(chat: ChatId): Promise<void> {
    const me = this.requireMe();
    this.memberChat(chat, me.id);
  }

  async openDirect(username: string): Promise<ChatSummary> {
    const me = this.requireMe();
    const peer = this.accountByName(username.trim());
    if (peer === undefined) throw hostError('not_found', `no user ${username}`);
    const chat = this.directChat(me.id, peer.id) ?? this.addChat('direct', '', [me.id, peer.id], me.id);
    const summary = this.summary(chat, me.id);
    this.emit({ type: 'chatUpdated', chat: summary });
    return summary;
  }

  async createGroup(title: string, usernames: string[]): Promise<ChatSummary> {
    const me = this.requireMe();
    if (title.trim() === '') throw hostError('invalid', 'a group needs a title');
    const ids = usernames.map((name) => {
      const account = this.accountByName(name.trim());
      if (account === undefined) throw hostError('not_found', `no user ${name}`);
      this.requireAddable(account);
      return account.id;
    });
    const chat = this.addChat('group', title.trim(), [me.id, ...ids], me.id);
    const summary = this.summary(chat, me.id);
    this.emit({ type: 'chatUpdated', chat: summary });
    return summary;
  }

  async addMember(chat: ChatId, username: string): Promise<void> {
    const me = this.requireMe();
    const c = this.adminChat(chat, me.id);
    const account = this.accountByName(username.trim());
    if (account === undefined) throw hostError('not_found', `no user ${username}`);
    this.requireAddable(account);
    c.members.set(account.id, 'member');
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async removeMember(chat: ChatId, account: AccountId): Promise<void> {
    const me = this.requireMe();
    const c = this.adminChat(chat, me.id);
    c.members.delete(account);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async leave(chat: ChatId): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    c.members.delete(me.id);
    c.removed.delete(me.id);
    this.emit({ type: 'chatRemoved', chat });
  }

  async rename(chat: ChatId, title: string): Promise<void> {
    const me = this.requireMe();
    const c = this.adminChat(chat, me.id);
    if (title.trim() === '') throw hostError('invalid', 'a group needs a title');
    c.title = title.trim();
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async setPinned(chat: ChatId, pinned: boolean): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    if (pinned && !c.pinnedBy.has(me.id)) {
      const count = [...this.chatsById.values()].filter((other) => other.pinnedBy.has(me.id)).length;
      const plan = this.planOf(me.id);
      const allowed = plan.limits.pinnedChats;
      if (count >= allowed) {
        throw hostError(
          'forbidden',
          plan.plan === 'free'
            ? `${allowed} chats are pinned, the most the Free plan allows; Business pins ${BUSINESS_PINNED_CHATS}`
            : `${allowed} chats are pinned, the most the Business plan allows`,
        );
      }
    }
    if (pinned) c.pinnedBy.add(me.id);
    else c.pinnedBy.delete(me.id);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async setChatMuted(chat: ChatId, until: number | null): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    if (until === null) c.mutedUntil.delete(me.id);
    else c.mutedUntil.set(me.id, until);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async setChatArchived(chat: ChatId, archived: boolean): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    if (archived) c.archivedBy.add(me.id);
    else c.archivedBy.delete(me.id);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async search(query: string): Promise<SearchHit[]> {
    const me = this.requireMe();
    const q = query.trim().toLocaleLowerCase();
    if (q === '') return [];
    const hits: SearchHit[] = [];
    for (const c of this.chatsById.values()) {
      if (!c.members.has(me.id)) continue;
      for (let i = c.messages.length - 1; i >= 0 && hits.length < 100; i--) {
        const m = c.messages[i];
        if (m === undefined || m.deleted || m.undecryptable || !m.text.toLocaleLowerCase().includes(q)) continue;
        if (c.hiddenFor.get(me.id)?.has(m.localId) === true) continue;
        const title = this.titleFor(c, me.id);
        hits.push({ chat: c.id, chatTitle: title, message: this.view(c, m, me.id), snippet: markMatches(m.text, q) });
      }
    }
    return hits.sort((a, b) => b.message.sentAt - a.message.sentAt).slice(0, 50);
  }

  async setDraft(chat: ChatId, text: string): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    if (text === '') c.drafts.delete(me.id);
    else c.drafts.set(me.id, text);
  }

  // ---- devices and passcode ----

  async chatEncryption(chat: ChatId): Promise<ChatEncryption | null> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    const epoch = this.epochs.get(c.id);
    if (epoch === undefined) return null;
    const devices = [...c.members.keys()].flatMap((id): [AccountId, number][] =>
      id === me.id
        ? this.devicesList.map((d): [AccountId, number] => [id, d.id])
        : Array.from({ length: this.devicesOf(id) }, (_, i): [AccountId, number] => [id, i + 1]),
    );
    return { epoch, devices };
  }

  async safetyNumber(peer: AccountId, verified: boolean | null): Promise<SafetyNumber> {
    const me = this.requireMe();
    if (peer === me.id) throw hostError('invalid', 'a safety number is between you and someone else');
    if (!this.accounts.has(peer)) throw hostError('not_found', 'no such account');
    const contactDevices = this.devicesOf(peer);
    const [low, high] = [me.id, peer].sort((a, b) => a - b);
    const digits = safetyDigits(`${low}:${high}:${this.devicesOf(me.id)}:${contactDevices}`);
    const direct = this.directChat(me.id, peer);
    const fromChat = direct !== undefined && this.epochs.has(direct.id);
    const key = `${me.id}:${peer}`;
    if (verified !== null) {
      if (verified) this.verifiedNumbers.set(key, digits);
      else this.verifiedNumbers.delete(key);
      return { digits, verified, changed: false, contactDevices, fromChat };
    }
    const stored = this.verifiedNumbers.get(key);
    const changed = stored !== undefined && stored !== digits;
    return { digits, verified: stored === digits, changed, contactDevices, fromChat };
  }

  async devices(): Promise<Device[]> {
    this.requireMe();
    return this.devicesList.map((d) => ({ ...d }));
  }

  async revokeDevice(id: number): Promise<void> {
    this.requireMe();
    const device = this.devicesList.find((d) => d.id === id);
    if (device === undefined) throw hostError('not_found', 'no such device');
    if (device.current) throw hostError('forbidden', 'use sign out for this device');
    this.devicesList = this.devicesList.filter((d) => d.id !== id);
  }

  async privacy(groupAdds: GroupAdds | null): Promise<Privacy> {
    const me = this.requireMe();
    if (groupAdds !== null) this.groupAdds.set(me.id, groupAdds);
    return this.privacyOf(me.id);
  }

  async setLastSeen(visibility: LastSeenVisibility): Promise<Privacy> {
    const me = this.requireMe();
    this.lastSeenBy.set(me.id, visibility);
    return this.privacyOf(me.id);
  }

  async presence(accounts: AccountId[]): Promise<PresenceOf[]> {
    const me = this.requireMe();
    if (accounts.length > MAX_PRESENCE_ASK) throw hostError('invalid', `at most ${MAX_PRESENCE_ASK} accounts`);
    return [...new Set(accounts)]
      .filter((id) => id !== me.id && this.accounts.has(id))
      .map((account) => ({ account, presence: this.presenceSeenBy(account, me.id) }));
  }

  async setPasscode(passcode: string | null): Promise<void> {
    if (passcode !== null && !isStrongEnough(passcode)) {
      throw hostError('weak_passcode', 'a passcode needs at least 6 characters');
    }
    this.passcode = passcode;
    this.unlocked = true;
  }

  async setTrayTexts(show: string, quit: string): Promise<void> {
    this.trayTexts = [show, quit];
  }

  async setTrayUnread(count: number, tooltip: string): Promise<void> {
    this.trayTooltip = [count, tooltip];
  }

  async setNotificationPreview(show: boolean, hiddenText: string): Promise<void> {
    this.notificationPreview = show;
    this.notificationHiddenText = hiddenText;
  }

  async setNotifyKinds(kinds: NotifyKinds): Promise<void> {
    this.notifyKinds = { ...kinds };
  }

  async takeDeepLinks(): Promise<DeepLink[]> {
    const links = this.waitingLinks;
    this.waitingLinks = [];
    return links;
  }

  // ---- channels ----

  async channels(): Promise<ChannelInfo[]> {
    const me = this.requireMe();
    return [...this.channelsById.values()].filter((c) => c.members.has(me.id)).map((c) => this.channelInfo(c, me.id));
  }

  async channelPosts(channel: ChannelId, before: Seq | null, limit: number): Promise<Post[]> {
    const me = this.requireMe();
    return this.page(this.memberChannel(channel, me.id), before, limit);
  }

  async refreshPosts(channel: ChannelId, before: Seq | null, limit: number): Promise<Post[]> {
    const me = this.requireMe();
    return this.page(this.memberChannel(channel, me.id), before, limit);
  }

  async directory(query: DirectoryQuery): Promise<ChannelInfo[]> {
    const me = this.requireMe();
    if ([...query.text].length > 64) throw hostError('bad_request', 'a directory search has at most 64 characters');
    if (query.topic !== null && !isTopic(query.topic)) throw hostError('bad_request', 'the topic is not one of the list');
    if (query.language !== null && !/^[a-z]{2}$/.test(query.language)) {
      throw hostError('bad_request', 'the language is a two-letter ISO 639-1 code, such as en');
    }
    const words = searchWords(query.text);
    const limit = Math.min(DIRECTORY_PAGE_MAX, Math.max(1, query.limit));
    return [...this.channelsById.values()]
      .filter((c) => c.handle !== null)
      .filter((c) => query.topic === null || c.topic === query.topic)
      .filter((c) => query.language === null || c.language === query.language)
      .filter((c) => {
        if (words.length === 0) return true;
        const indexed = searchWords(`${c.title} ${c.handle ?? ''} ${c.description}`);
        return words.every((w) => indexed.some((i) => i.startsWith(w)));
      })
      .map((c) => this.channelInfo(c, me.id))
      .sort((a, b) => b.subscribers - a.subscribers || a.id - b.id)
      .slice(0, limit);
  }

  async findChannel(handle: string): Promise<ChannelInfo> {
    const me = this.requireMe();
    const c = this.publicChannel(normalizeHandle(handle));
    if (c === undefined) throw hostError('not_found', 'no such channel');
    return this.channelInfo(c, me.id);
  }

  async previewPosts(channel: ChannelId, limit: number): Promise<Post[]> {
    const me = this.requireMe();
    return this.page(this.readableChannel(channel, me.id), null, limit);
  }

  async subscribe(channel: ChannelId): Promise<ChannelInfo> {
    const me = this.requireMe();
    const c = this.readableChannel(channel, me.id);
    if (!c.members.has(me.id)) c.members.set(me.id, 'subscriber');
    const info = this.channelInfo(c, me.id);
    this.emit({ type: 'channelUpdated', channel: info });
    return info;
  }

  async joinChannel(link: string): Promise<ChannelInfo> {
    const me = this.requireMe();
    const trimmed = link.trim();
    const code = trimmed.startsWith(INVITE_PREFIX) ? trimmed.slice(INVITE_PREFIX.length) : trimmed;
    if (!isInviteCode(code)) {
      throw hostError('bad_request', `an invite link looks like ${INVITE_PREFIX} followed by 64 hex digits`);
    }
    const c = [...this.channelsById.values()].find((ch) => ch.invites.has(code.toLowerCase()));
    if (c === undefined) throw hostError('not_found', 'this invite link does not work (revoked, or never made)');
    if (!c.members.has(me.id)) c.members.set(me.id, 'subscriber');
    const info = this.channelInfo(c, me.id);
    this.emit({ type: 'channelUpdated', channel: info });
    return info;
  }

  async leaveChannel(channel: ChannelId): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChannel(channel, me.id);
    if (c.members.get(me.id) === 'owner') throw hostError('bad_request', 'the owner cannot leave their channel');
    c.members.delete(me.id);
    this.emit({ type: 'channelRemoved', channel });
  }

  async createChannel(channel: NewChannel): Promise<ChannelInfo> {
    const me = this.requireMe();
    // The engine checks the settings first, then the server the plan and the handle.
    const title = channel.title.trim();
    if (title === '' || [...title].length > 128 || /[\p{Cc}\p{Cf}]/u.test(title)) {
      throw hostError('invalid', 'this channel title cannot be used: 1 to 128 visible characters');
    }
    const handle = channel.handle === null ? null : normalizeHandle(channel.handle);
    if (handle !== null && !isValidHandle(handle)) {
      throw hostError('invalid', 'a channel handle has 5 to 32 of the letters a-z, digits and underscores, starting with a letter');
    }
    const description = channel.description.trim();
    if ([...description].length > 255 || /[\p{Cc}\p{Cf}]/u.test(description.replace(/\n/g, ''))) {
      throw hostError('invalid', 'the description has at most 255 characters and no invisible or text-reordering ones');
    }
    if (!isTopic(channel.topic)) throw hostError('invalid', `the topic is one of: ${CHANNEL_TOPICS.join(', ')}`);
    if (!/^[a-z]{2}$/.test(channel.language)) {
      throw hostError('invalid', 'the language is a two-letter ISO 639-1 code, such as en');
    }
    if (handle !== null) {
      const owned = [...this.channelsById.values()].filter((c) => c.handle !== null && c.members.get(me.id) === 'owner').length;
      const allowed = this.planOf(me.id).limits.publicChannels;
      if (owned >= allowed) {
        throw hostError('forbidden', `your plan allows ${allowed} public channels, and you own ${owned}`);
      }
      if (this.publicChannel(handle) !== undefined) throw hostError('conflict', 'this handle is taken by another channel');
    }
    const c = this.addChannel({
      handle,
      title,
      description,
      topic: channel.topic,
      language: channel.language,
      owner: me.id,
    });
    const info = this.channelInfo(c, me.id);
    this.emit({ type: 'channelUpdated', channel: info });
    return info;
  }

  async post(channel: ChannelId, text: string): Promise<Seq> {
    const me = this.requireMe();
    const c = this.posterChannel(channel, me.id);
    const body = text.trim();
    if (body === '' || [...body].length > 4096) {
      throw hostError('invalid', 'this post cannot be sent: 1 to 4096 characters');
    }
    return this.publishTo(c, body).seq;
  }

  async reportViews(channel: ChannelId, seqs: Seq[]): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChannel(channel, me.id);
    if (seqs.length > MAX_VIEWS_PER_REPORT) {
      throw hostError('bad_request', `one report names at most ${MAX_VIEWS_PER_REPORT} posts`);
    }
    this.viewReports.push([channel, [...seqs]]);
    for (const seq of seqs) this.storedPost(c, seq)?.viewers.add(me.id);
  }

  async createInvite(channel: ChannelId): Promise<InviteLink> {
    const me = this.requireMe();
    const c = this.posterChannel(channel, me.id);
    return { link: INVITE_PREFIX + this.newInvite(c) };
  }

  async revokeInvite(channel: ChannelId, link: string): Promise<void> {
    const me = this.requireMe();
    const c = this.posterChannel(channel, me.id);
    const trimmed = link.trim();
    const code = (trimmed.startsWith(INVITE_PREFIX) ? trimmed.slice(INVITE_PREFIX.length) : trimmed).toLowerCase();
    if (!c.invites.delete(code)) {
      throw hostError('not_found', 'no such invite link in this channel, or it is revoked already');
    }
  }

  async editPost(channel: ChannelId, seq: Seq, text: string): Promise<void> {
    const me = this.requireMe();
    // The engine checks the text first, then the server the role and the post.
    const body = text.trim();
    if (body === '' || [...body].length > 4096) {
      throw hostError('invalid', 'this post cannot be sent: 1 to 4096 characters');
    }
    const c = this.posterChannel(channel, me.id);
    const p = this.livePost(c, seq);
    p.text = body;
    p.editedAt = this.now();
    this.postChanged(c, p);
  }

  async deletePost(channel: ChannelId, seq: Seq): Promise<void> {
    const me = this.requireMe();
    const c = this.posterChannel(channel, me.id);
    const p = this.livePost(c, seq);
    p.deleted = true;
    p.text = '';
    if (c.pinned === seq) c.pinned = null;
    this.postChanged(c, p);
  }

  async pinPost(channel: ChannelId, seq: Seq | null): Promise<void> {
    const me = this.requireMe();
    const c = this.posterChannel(channel, me.id);
    if (seq !== null) this.livePost(c, seq);
    c.pinned = seq;
    this.emit({ type: 'channelUpdated', channel: this.channelInfo(c, me.id) });
  }

  async channelAdmins(channel: ChannelId): Promise<ChannelAdmin[]> {
    const me = this.requireMe();
    const c = this.posterChannel(channel, me.id);
    const admins: ChannelAdmin[] = [];
    for (const [id, role] of c.members) {
      const account = this.accounts.get(id)?.account;
      if (account !== undefined && (role === 'owner' || role === 'admin')) admins.push({ account: { ...account }, role });
    }
    return admins.sort(
      (a, b) => (a.role === 'owner' ? 0 : 1) - (b.role === 'owner' ? 0 : 1) || a.account.username.localeCompare(b.account.username),
    );
  }

  async setChannelAdmin(channel: ChannelId, username: string, admin: boolean): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChannel(channel, me.id);
    if (c.members.get(me.id) !== 'owner') throw hostError('forbidden', "only the channel's owner names admins");
    const account = this.accountByName(username.trim().replace(/^@/, ''));
    const role = account === undefined ? undefined : c.members.get(account.id);
    if (account === undefined || role === undefined || role === 'owner') {
      throw hostError('not_found', 'that account is not a subscriber of this channel');
    }
    c.members.set(account.id, admin ? 'admin' : 'subscriber');
  }

  async channelEarnings(channel: ChannelId): Promise<ChannelEarnings> {
    const me = this.requireMe();
    const c = this.memberChannel(channel, me.id);
    const role = c.members.get(me.id);
    if (role !== 'owner' && role !== 'admin') {
      throw hostError('forbidden', "only the channel's owner and admins see its earnings");
    }
    return { shown: c.sponsoredShown, creditsMilli: c.sponsoredShown * OWNER_SHARE_MILLI };
  }

  async mutedChannels(): Promise<ChannelId[]> {
    const me = this.requireMe();
    return [...(this.mutedByAccount.get(me.id) ?? [])].sort((a, b) => a - b);
  }

  async setChannelMuted(channel: ChannelId, muted: boolean): Promise<void> {
    const me = this.requireMe();
    this.memberChannel(channel, me.id);
    let set = this.mutedByAccount.get(me.id);
    if (set === undefined) {
      set = new Set();
      this.mutedByAccount.set(me.id, set);
    }
    if (muted) set.add(channel);
    else set.delete(channel);
  }

  // ---- sponsored messages and plans ----

  async sponsored(channel: ChannelId): Promise<SponsoredMessage | null> {
    const me = this.requireMe();
    const c = this.readableChannel(channel, me.id);
    this.sponsoredAsks.push(channel);
    if (!this.showsSponsored(c, me.id)) return null;
    const candidates = this.campaigns.filter(
      (k) =>
        !k.stopped &&
        k.shown < k.budget &&
        (k.topics.length === 0 || k.topics.includes(c.topic)) &&
        (k.languages.length === 0 || k.languages.includes(c.language)),
    );
    if (candidates.length === 0) return null;
    // Which one depends on the channel and the minute only, never on who reads.
    const turn = c.id * 31 + Math.floor(this.now() / SPONSORED_ROTATE_MS);
    const k = candidates[turn % candidates.length];
    if (k === undefined) return null;
    return { campaign: k.id, channel: c.id, title: k.title, text: k.text, target: { ...k.target }, button: k.button };
  }

  async sponsoredEvent(campaign: number, channel: ChannelId, action: SponsoredAction): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChannel(channel, me.id);
    this.sponsoredEvents.push({ campaign, channel, action });
    const key = `${me.id}:${campaign}:${channel}:${action}`;
    // A repeat is answered and not counted.
    if (this.sponsoredCounted.has(key)) return;
    if (!this.showsSponsored(c, me.id)) {
      throw hostError('bad_request', 'this channel shows no sponsored messages to this account');
    }
    const k = this.campaigns.find((x) => x.id === campaign);
    if (k === undefined || (action === 'shown' && (k.stopped || k.shown >= k.budget))) {
      throw hostError('not_found', 'no such running campaign');
    }
    this.sponsoredCounted.add(key);
    if (action === 'shown') {
      k.shown++;
      c.sponsoredShown++;
    }
    else if (action === 'clicked') k.clicks++;
    else k.reports++;
  }

  async plan(): Promise<PlanInfo> {
    const me = this.requireMe();
    return this.planOf(me.id);
  }

  async businessProfile(account: AccountId): Promise<BusinessProfile | null> {
    this.requireMe();
    if (!this.accounts.has(account)) throw hostError('not_found', 'no such account');
    const profile = this.businessProfiles.get(account);
    if (profile === undefined || this.planOf(account).plan !== 'business') return null;
    return structuredClone(profile);
  }

  async setBusinessProfile(profile: BusinessProfile): Promise<void> {
    const me = this.requireMe();
    // The engine checks the profile first, then the server the plan.
    const problem = hostProfileProblem(profile);
    if (problem !== null) throw hostError('invalid', problem);
    if (this.planOf(me.id).plan !== 'business') {
      throw hostError('forbidden', 'a business profile needs the Business plan; this account is on Free');
    }
    this.businessProfiles.set(me.id, structuredClone(profile));
  }

  // ---- calls (the engine's signalling; the other side's video is a made-up picture) ----

  async startCall(chat: ChatId, video: boolean): Promise<CallInfo> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    if (c.kind !== 'direct' || !c.members.has(me.id)) {
      throw hostError('invalid', 'calls are one-to-one: place them in a direct chat');
    }
    const peer = [...c.members.keys()].find((id) => id !== me.id);
    if (peer === undefined) throw hostError('invalid', 'this chat has nobody to call');
    if (this.activeCall !== null) throw hostError('invalid', 'you are already in a call');
    const info: CallInfo = { id: this.nextCallId++, chat: c.id, peer, video, direction: 'outgoing' };
    this.activeCall = { info, chat: c, caller: me.id, callee: peer, phase: 'calling', connectedAt: null, media: { muted: false, cameraOff: false } };
    this.emit({ type: 'callChanged', call: { ...info }, phase: 'calling' });
    if (this.simulatePeers) void this.peerPicksUp(info.id);
    return { ...info };
  }

  async acceptCall(call: CallId): Promise<void> {
    this.requireMe();
    const active = this.ringingHere(call);
    this.connect(active);
  }

  async declineCall(call: CallId): Promise<void> {
    this.requireMe();
    const active = this.ringingHere(call);
    this.endCall(active, { declined: { byMe: true } });
  }

  async hangUp(call: CallId): Promise<void> {
    this.requireMe();
    const active = this.activeCall;
    if (active === null || active.info.id !== call) throw hostError('invalid', 'there is no such call');
    if (typeof active.phase === 'object') this.endCall(active, { hungUp: { byMe: true } });
    else if (active.info.direction === 'outgoing') this.endCall(active, 'cancelled');
    else this.endCall(active, { declined: { byMe: true } });
  }

  async currentCall(): Promise<CurrentCall | null> {
    this.requireMe();
    const active = this.activeCall;
    if (active === null) return null;
    const connected = typeof active.phase === 'object';
    return {
      call: { ...active.info },
      phase: structuredClone(active.phase),
      emojis: connected ? [...SIMULATED_CALL_EMOJIS] : null,
    };
  }

  async switchCallMedia(change: { muted?: boolean; cameraOff?: boolean }): Promise<CallMedia> {
    this.requireMe();
    const active = this.activeCall;
    if (active === null) throw hostError('invalid', 'you are not in a call');
    if (typeof change.muted === 'boolean') active.media.muted = change.muted;
    if (typeof change.cameraOff === 'boolean') active.media.cameraOff = change.cameraOff;
    return { ...active.media };
  }

  async listMediaDevices(): Promise<MediaDevices> {
    return this.mediaDevicesNow();
  }

  async chooseMediaDevices(choice: MediaDeviceChoice): Promise<MediaDevices> {
    const now = this.mediaDevicesNow();
    for (const kind of MEDIA_DEVICE_KINDS) {
      const id = choice[kind];
      if (id !== null && !devicesOfKind(now, kind).some((device) => device.id === id)) {
        throw hostError('not_found', `this machine has no ${kind} with the id "${id}"`);
      }
    }
    this.mediaChoice = { microphone: choice.microphone, speaker: choice.speaker, camera: choice.camera };
    return this.mediaDevicesNow();
  }

  async watchCallVideo(onPicture: (picture: VideoPicture) => void): Promise<void> {
    this.videoWatchers.add(onPicture);
    this.syncVideo();
  }

  async openCallWindow(): Promise<void> {
    this.pipOpen = true;
  }

  async closeCallWindow(): Promise<void> {
    this.pipOpen = false;
  }

  /** Whether the simulated window system keeps windows on top (tests set it). */
  pipAboveOthers = true;

  async pipStaysOnTop(): Promise<boolean> {
    return this.pipAboveOthers;
  }

  onEvent(handler: (event: CoreEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  // ---- simulation helpers, public for tests and the demo ----

  /**
   * A peer sends a message to a chat, as if it arrived from the server (its Markdown-style
   * marks read as `send` reads them); `undecryptable`: this device cannot read it, and `text`
   * is why; `replyTo`: the message it answers.
   */
  deliver(chat: ChatId, from: string, text: string, undecryptable = false, replyTo: Seq | null = null): MessageView {
    const c = this.chatsById.get(chat);
    const sender = this.accountByName(from);
    if (c === undefined || sender === undefined) throw new Error('unknown chat or sender');
    const parsed = undecryptable ? { text, entities: [] } : parseMessage(text);
    const m = this.append(c, sender.id, parsed.text, replyTo, `remote-${this.nextLocalId++}`);
    m.entities = parsed.entities;
    m.undecryptable = undecryptable;
    const me = this.me;
    const view = this.view(c, m, me?.id ?? -1);
    if (me !== null && c.members.has(me.id)) {
      this.emit({ type: 'messageUpserted', message: view });
      this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
    }
    // The unread counts of the accounts in the chat, the other slots' included.
    this.emitSlots();
    return view;
  }

  /**
   * An admin removes the signed-in user from a group: it stays in the list, read-only, and
   * whatever was still unsent to it fails in place.
   */
  removeMe(chat: ChatId): void {
    const c = this.chatsById.get(chat);
    const me = this.me;
    if (c === undefined || me === null) throw new Error('unknown chat');
    c.members.delete(me.id);
    c.removed.add(me.id);
    for (const p of c.outbox) this.emit({ type: 'messageUpserted', message: this.pendingView(c, p, true) });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  /** This device joins the chat's encryption group. */
  startEncryption(chat: ChatId): void {
    const c = this.chatsById.get(chat);
    if (c === undefined) throw new Error('unknown chat');
    this.epochs.set(chat, 1);
    this.emitChat(c);
  }

  /** A contact adds a device: their safety number changes and their chats move to a new epoch. */
  peerAddsDevice(username: string): void {
    const account = this.accountByName(username);
    if (account === undefined) throw new Error('unknown user');
    this.peerDevices.set(account.id, this.devicesOf(account.id) + 1);
    for (const c of this.chatsById.values()) {
      const epoch = this.epochs.get(c.id);
      if (epoch === undefined || !c.members.has(account.id)) continue;
      this.epochs.set(c.id, epoch + 1);
      this.emitChat(c);
    }
  }

  /**
   * A seeded user changes their profile, as if it arrived from the server (the same rules as
   * `setProfile`, refused with an Error): this device hears `profileChanged` and the chats
   * shared with them again.
   */
  peerSetsProfile(username: string, displayName: string, bio = ''): void {
    const account = this.accountByName(username);
    if (account === undefined) throw new Error('unknown user');
    const problem = profileProblem(displayName, bio);
    if (problem !== null) throw new Error(problemMessage(problem));
    this.changeProfile(account.id, displayName.trim(), bio.trim());
  }

  /**
   * A seeded user comes online (`'online'`) or goes offline, last seen at that time (Unix
   * ms); the signed-in account hears a `presence` event, as its privacy and theirs allow,
   * when it shares a chat with them.
   */
  peerPresence(username: string, state: 'online' | number): void {
    const account = this.accountByName(username);
    if (account === undefined) throw new Error('unknown user');
    this.onlineState.set(account.id, state === 'online' ? { online: true } : { online: false, at: state });
    const me = this.me;
    if (me === null || !this.sharesChat(me.id, account.id)) return;
    this.emit({ type: 'presence', account: account.id, presence: this.presenceSeenBy(account.id, me.id) });
  }

  /** A seeded user changes who sees their presence (as `setLastSeen` would on their device). */
  peerSetsLastSeen(username: string, visibility: LastSeenVisibility): void {
    const account = this.accountByName(username);
    if (account === undefined) throw new Error('unknown user');
    this.lastSeenBy.set(account.id, visibility);
  }

  /** A peer starts typing in a chat. */
  peerTyping(chat: ChatId, from: string): void {
    const account = this.accountByName(from);
    if (account !== undefined) this.emit({ type: 'typing', chat, account });
  }

  /** Emits any event as the real host would (e.g. `signedOut`, `messageFailed`). */
  hostEvent(event: CoreEvent): void {
    this.emit(event);
  }

  /** The app is opened with a `wren://` link: it waits until the UI takes it. */
  openDeepLink(link: DeepLink): void {
    this.waitingLinks.push(link);
    this.emit({ type: 'linkOpened' });
  }

  /**
   * The owner of a channel publishes a post, as if it arrived from the server; subscribers
   * on this device get it as `postUpserted`.
   */
  publish(channel: ChannelId, text: string): Post {
    const c = this.channelsById.get(channel);
    if (c === undefined) throw new Error('unknown channel');
    return this.publishTo(c, text);
  }

  /** Other readers see a post: its count grows by `count` (shown at the next refresh). */
  addViews(channel: ChannelId, seq: Seq, count: number): void {
    const p = this.channelsById.get(channel)?.posts.find((x) => x.seq === seq);
    if (p === undefined) throw new Error('unknown post');
    p.baseViews += count;
  }

  /**
   * Other readers were shown sponsored messages in a channel: its earnings grow (each
   * impression is counted as the server counts one).
   */
  addSponsoredImpressions(channel: ChannelId, count: number): void {
    const c = this.channelsById.get(channel);
    if (c === undefined) throw new Error('unknown channel');
    c.sponsoredShown += count;
  }

  /** Whether an invite link of a channel still works (tests read it). */
  inviteWorks(channel: ChannelId, link: string): boolean {
    const code = link.startsWith(INVITE_PREFIX) ? link.slice(INVITE_PREFIX.length) : link;
    return this.channelsById.get(channel)?.invites.has(code.toLowerCase()) ?? false;
  }

  /** A working invite link of any channel, as its owner would make it. */
  inviteFor(channel: ChannelId): string {
    const c = this.channelsById.get(channel);
    if (c === undefined) throw new Error('unknown channel');
    return INVITE_PREFIX + this.newInvite(c);
  }

  /** The id of the seeded (or created) channel with this title. */
  channelIdByTitle(title: string): ChannelId {
    const c = [...this.channelsById.values()].find((ch) => ch.title === title);
    if (c === undefined) throw new Error(`no channel ${title}`);
    return c.id;
  }

  /**
   * Puts a seeded user on a plan (`until`: when a Business plan ends, Unix ms; null: no end).
   * Free is the default.
   */
  setPlan(username: string, plan: PlanKind, until: number | null = null): void {
    const account = this.accountByName(username);
    if (account === undefined) throw new Error('unknown user');
    if (plan === 'free') this.plans.delete(account.id);
    else this.plans.set(account.id, { plan, until });
  }

  /** Puts a seeded user on the Business plan, optionally with a profile. */
  makeBusiness(username: string, profile?: BusinessProfile, until: number | null = null): void {
    this.setPlan(username, 'business', until);
    const account = this.accountByName(username);
    if (account !== undefined && profile !== undefined) this.businessProfiles.set(account.id, structuredClone(profile));
  }

  /** Starts a campaign, as an advertiser would; resolves to its id. */
  addCampaign(spec: CampaignSpec): number {
    const k: StoredCampaign = { ...spec, id: this.nextCampaignId++, stopped: false, shown: 0, clicks: 0, reports: 0 };
    this.campaigns.push(k);
    return k.id;
  }

  /** Stops a campaign: it is not shown any more. */
  stopCampaign(id: number): void {
    const k = this.campaigns.find((x) => x.id === id);
    if (k === undefined) throw new Error('unknown campaign');
    k.stopped = true;
  }

  /** A campaign's counts (kept per campaign only). */
  campaignCounts(id: number): CampaignCounts {
    const k = this.campaigns.find((x) => x.id === id);
    if (k === undefined) throw new Error('unknown campaign');
    return { shown: k.shown, clicks: k.clicks, reports: k.reports };
  }

  /** The ids of the campaigns, oldest first. */
  campaignIds(): number[] {
    return this.campaigns.map((k) => k.id);
  }

  /** Emits a connection state change. */
  setConnection(state: 'connecting' | 'online' | 'offline'): void {
    this.emit({ type: 'connection', state });
  }

  /**
   * A seeded user calls the signed-in one (their direct chat is made if needed): this device
   * rings. When this device is in a call already, the caller is told busy instead: this side
   * gets `callMissedWhileBusy`, and the caller's device writes a 'busy' record into the chat.
   */
  simulateIncomingCall(fromUsername: string, video: boolean): CallInfo {
    const me = this.me;
    const caller = this.accountByName(fromUsername);
    if (me === null || caller === undefined || caller.id === me.id) throw new Error('unknown caller');
    let c = this.directChat(me.id, caller.id);
    if (c === undefined) {
      c = this.addChat('direct', '', [caller.id, me.id], caller.id);
      this.emitChat(c);
    }
    const info: CallInfo = { id: this.nextCallId++, chat: c.id, peer: caller.id, video, direction: 'incoming' };
    if (this.activeCall !== null) {
      this.emit({ type: 'callMissedWhileBusy', call: { ...info } });
      this.writeCallRecord(c, caller.id, { video, outcome: 'busy', durationS: 0 });
      return info;
    }
    this.activeCall = { info, chat: c, caller: caller.id, callee: me.id, phase: 'ringing', connectedAt: null, media: { muted: false, cameraOff: false } };
    this.emit({ type: 'callChanged', call: { ...info }, phase: 'ringing' });
    return { ...info };
  }

  /** A device of the callee starts ringing for this device's outgoing call. */
  simulateRemoteRinging(): void {
    const active = this.outgoing();
    if (active.phase !== 'calling') throw new Error('the call is not waiting for the callee');
    active.phase = 'ringing';
    this.emit({ type: 'callChanged', call: { ...active.info }, phase: 'ringing' });
  }

  /** The callee answers this device's outgoing call. */
  simulateRemoteAnswer(): void {
    const active = this.outgoing();
    if (typeof active.phase === 'object') throw new Error('the call is answered already');
    this.connect(active);
  }

  /**
   * The other side ends the call: hangs up an answered call, or, for a call ringing here,
   * the caller gives up (this device missed it).
   */
  simulateRemoteHangUp(): void {
    const active = this.activeCall;
    if (active === null) throw new Error('no call');
    if (typeof active.phase === 'object') this.endCall(active, { hungUp: { byMe: false } });
    else if (active.info.direction === 'incoming') this.endCall(active, 'missed');
    else throw new Error('the callee declines an unanswered call: use simulateRemoteDecline');
  }

  /** The callee declines this device's outgoing call. */
  simulateRemoteDecline(): void {
    const active = this.outgoing();
    if (typeof active.phase === 'object') throw new Error('the call is answered already');
    this.endCall(active, { declined: { byMe: false } });
  }

  /** The callee is in another call. */
  simulateRemoteBusy(): void {
    const active = this.outgoing();
    if (typeof active.phase === 'object') throw new Error('the call is answered already');
    this.endCall(active, 'busy');
  }

  /** Nobody answers in time: 'noAnswer' for an outgoing call, 'missed' for one ringing here. */
  simulateNoAnswer(): void {
    const active = this.activeCall;
    if (active === null || typeof active.phase === 'object') throw new Error('no unanswered call');
    this.endCall(active, active.info.direction === 'outgoing' ? 'noAnswer' : 'missed');
  }

  /** Another device of this account answers (or declines) the call ringing here. */
  simulateOtherDevice(answered: boolean): void {
    const active = this.activeCall;
    if (active === null || active.info.direction !== 'incoming' || active.phase !== 'ringing') {
      throw new Error('no call ringing here');
    }
    this.endCall(active, answered ? 'answeredElsewhere' : 'declinedElsewhere');
  }

  /**
   * Devices are plugged in or unplugged: the machine now has these. The choice stays as it
   * was, also of a device that is gone.
   */
  simulateMediaDevices(devices: MediaDeviceLists): void {
    this.mediaDevices = structuredClone(devices);
  }

  // ---- internals ----

  /** A copy of the machine's devices and the choice. */
  private mediaDevicesNow(): MediaDevices {
    return structuredClone({ ...this.mediaDevices, chosen: this.mediaChoice });
  }

  private outgoing(): SimulatedCall {
    const active = this.activeCall;
    if (active === null || active.info.direction !== 'outgoing') throw new Error('no outgoing call');
    return active;
  }

  private ringingHere(call: CallId): SimulatedCall {
    const active = this.activeCall;
    if (active === null || active.info.id !== call) throw hostError('invalid', 'there is no such call');
    if (active.info.direction !== 'incoming' || active.phase !== 'ringing') {
      throw hostError('invalid', 'this call is not ringing');
    }
    return active;
  }

  private connect(active: SimulatedCall): void {
    active.phase = { connected: { peerDevice: 1 } };
    active.connectedAt = this.now();
    this.emit({ type: 'callChanged', call: { ...active.info }, phase: structuredClone(active.phase) });
    this.syncVideo();
  }

  /** The other side's pictures flow while a video call is connected and someone watches. */
  private syncVideo(): void {
    const active = this.activeCall;
    const flowing = active !== null && active.info.video && typeof active.phase === 'object' && this.videoWatchers.size > 0;
    if (flowing && this.videoTimer === undefined) {
      this.videoTimer = setInterval(() => {
        const picture = simulatedPicture(this.videoFrame++);
        for (const watcher of this.videoWatchers) watcher(picture);
      }, SIMULATED_VIDEO.intervalMs);
    } else if (!flowing && this.videoTimer !== undefined) {
      clearInterval(this.videoTimer);
      this.videoTimer = undefined;
    }
  }

  /**
   * Ends the call on this device; the caller's device writes the record into the chat (none
   * when another device of this account took the call: that device's call gets the record).
   */
  private endCall(active: SimulatedCall, reason: CallEndReason): void {
    this.activeCall = null;
    this.syncVideo();
    const durationMs = active.connectedAt === null ? null : Math.max(0, this.now() - active.connectedAt);
    this.emit({ type: 'callEnded', call: { ...active.info }, reason, durationMs });
    const video = active.info.video;
    let record: CallRecord | null;
    if (typeof reason === 'object' && 'hungUp' in reason) {
      record = { video, outcome: 'answered', durationS: Math.floor((durationMs ?? 0) / 1000) };
    } else if (typeof reason === 'object' || reason === 'declinedElsewhere') {
      record = { video, outcome: 'declined', durationS: 0 };
    } else if (reason === 'busy') {
      record = { video, outcome: 'busy', durationS: 0 };
    } else if (reason === 'answeredElsewhere') {
      record = null;
    } else {
      record = { video, outcome: 'missed', durationS: 0 };
    }
    if (record !== null) this.writeCallRecord(active.chat, active.caller, record);
  }

  private writeCallRecord(c: StoredChat, caller: AccountId, record: CallRecord): void {
    const m = this.append(c, caller, callSummary(record), null, `call-${this.nextLocalId++}`);
    m.call = record;
    const me = this.me;
    if (me === null || !c.members.has(me.id)) return;
    this.emit({ type: 'messageUpserted', message: this.view(c, m, me.id) });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  /** The demo's callee: their device rings, then they answer (if the call is still on). */
  private async peerPicksUp(call: CallId): Promise<void> {
    await delay(600);
    const active = this.activeCall;
    if (active?.info.id !== call || active.phase !== 'calling') return;
    this.simulateRemoteRinging();
    await delay(2500);
    if (this.activeCall?.info.id === call && this.activeCall.phase === 'ringing') this.connect(this.activeCall);
  }

  /**
   * Saves an account's profile. A new display name replaces the account (members, senders
   * and direct chat titles are all built from it); when this device shares a chat with it,
   * it hears `profileChanged` and those chats again.
   */
  private changeProfile(id: AccountId, displayName: string, bio: string): void {
    const entry = this.accounts.get(id);
    if (entry === undefined) return;
    if (bio === '') this.bios.delete(id);
    else this.bios.set(id, bio);
    if (entry.account.displayName === displayName) return;
    const account: Account = { ...entry.account, displayName };
    this.accounts.set(id, { account, password: entry.password });
    if (this.me?.id === id) this.me = account;
    if (this.slots.some((slot) => slot.account === id) || this.me?.id === id) this.emitSlots();
    const me = this.me;
    if (me === null) return;
    const shared = [...this.chatsById.values()].filter(
      (c) => c.members.has(id) && (c.members.has(me.id) || c.removed.has(me.id)),
    );
    if (shared.length === 0 && me.id !== id) return;
    this.emit({ type: 'profileChanged', account: { ...account } });
    for (const c of shared) this.emitChat(c);
  }

  private emitChat(c: StoredChat): void {
    const me = this.me;
    if (me === null || !(c.members.has(me.id) || c.removed.has(me.id))) return;
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  private devicesOf(account: AccountId): number {
    return account === this.me?.id ? this.devicesList.length : (this.peerDevices.get(account) ?? 1);
  }

  private directChat(me: AccountId, peer: AccountId): StoredChat | undefined {
    return [...this.chatsById.values()].find(
      (c) => c.kind === 'direct' && c.members.has(me) && c.members.has(peer) && c.members.size === 2,
    );
  }

  private privacyOf(account: AccountId): Privacy {
    return { groupAdds: this.groupAdds.get(account) ?? 'everybody', lastSeen: this.lastSeenBy.get(account) ?? 'everybody' };
  }

  /**
   * `account`'s presence as `viewer` may see it: when its owner shows it to everybody, or to
   * contacts and they share a direct chat; never while the viewer hides their own.
   */
  private presenceSeenBy(account: AccountId, viewer: AccountId): Presence {
    const shown = this.lastSeenBy.get(account) ?? 'everybody';
    const visible =
      (this.lastSeenBy.get(viewer) ?? 'everybody') !== 'nobody' &&
      (shown === 'everybody' || (shown === 'contacts' && this.directChat(account, viewer) !== undefined));
    if (!visible) return { state: 'hidden' };
    const seen = this.onlineState.get(account) ?? { online: false, at: this.now() - LONG_AGO_MS };
    return seen.online ? { state: 'online' } : { state: 'lastSeen', at: seen.at };
  }

  private sharesChat(a: AccountId, b: AccountId): boolean {
    return [...this.chatsById.values()].some((c) => c.members.has(a) && c.members.has(b));
  }

  private emit(event: CoreEvent): void {
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(event);
    });
  }

  /** Tells `onAccountSlots` handlers the slots as they are now. */
  private emitSlots(): void {
    if (this.slotHandlers.size === 0 || !this.unlocked) return;
    const slots = this.slotList();
    queueMicrotask(() => {
      for (const handler of this.slotHandlers) handler(structuredClone(slots));
    });
  }

  private slotList(): AccountSlot[] {
    return this.slots.map((slot) => {
      const active = slot.id === this.activeSlot;
      const account = active ? this.me : this.slotAccount(slot);
      const unread = account === null ? 0 : this.unreadOf(account.id);
      return { id: slot.id, account: account === null ? null : { ...account }, unread, active };
    });
  }

  /** An account's unread messages in its unmuted chats (what the tray counts for it). */
  private unreadOf(account: AccountId): number {
    const now = this.now();
    let unread = 0;
    for (const c of this.chatsById.values()) {
      if (!(c.members.has(account) || c.removed.has(account))) continue;
      const summary = this.summary(c, account);
      if (!isMuted(summary.mutedUntil, now)) unread += summary.unreadCount;
    }
    return unread;
  }

  /** The account signed in in a slot that is not active, with its newest profile. */
  private slotAccount(slot: SimulatedSlot): Account | null {
    return slot.account === null ? null : (this.accounts.get(slot.account)?.account ?? null);
  }

  /** Keeps the account of the slot being left; a slot left before it was signed in goes. */
  private leaveSlot(): void {
    const slot = this.slots.find((s) => s.id === this.activeSlot);
    if (slot === undefined) return;
    if (this.me === null) this.slots = this.slots.filter((s) => s !== slot);
    else slot.account = this.me.id;
  }

  /** Slots are added and switched only while unlocked and in no call. */
  private requireSwitchable(): void {
    this.requireUnlocked();
    if (this.activeCall !== null) throw hostError('busy', 'end the call first');
  }

  private acknowledge(c: StoredChat, pending: PendingMessage, meId: AccountId): void {
    const at = c.outbox.indexOf(pending);
    // Removed from the group meanwhile: it stays unsent, shown as failed.
    if (at === -1 || !c.members.has(pending.sender)) return;
    c.outbox.splice(at, 1);
    const m = this.append(c, pending.sender, pending.text, pending.replyTo, pending.localId, pending.sentAt);
    m.entities = pending.entities;
    m.forwardedFrom = pending.forwardedFrom;
    if (this.me?.id !== meId) return;
    this.emit({ type: 'messageUpserted', message: this.view(c, m, meId) });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, meId) });
    if (this.simulatePeers && c.kind === 'direct') void this.peerAnswers(c, m, meId);
  }

  private async peerAnswers(c: StoredChat, m: StoredMessage, meId: AccountId): Promise<void> {
    const peer = [...c.members.keys()].find((id) => id !== meId);
    const account = peer === undefined ? undefined : this.accounts.get(peer)?.account;
    if (peer === undefined || account === undefined) return;
    await delay(700);
    c.readSeq.set(peer, m.seq);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, meId) });
    this.emit({ type: 'messageUpserted', message: this.view(c, m, meId) });
    await delay(400);
    this.peerPresence(account.username, 'online');
    this.emit({ type: 'typing', chat: c.id, account });
    await delay(1800);
    this.deliver(c.id, account.username, REPLIES[m.seq % REPLIES.length] ?? 'OK');
  }

  private append(
    c: StoredChat,
    sender: AccountId,
    text: string,
    replyTo: Seq | null,
    localId: string,
    sentAt = this.now(),
  ): StoredMessage {
    const last = c.messages[c.messages.length - 1];
    const m: StoredMessage = {
      seq: (last?.seq ?? 0) + 1,
      localId,
      sender,
      text,
      replyTo,
      sentAt: Math.max(sentAt, last?.sentAt ?? 0),
      editedAt: null,
      deleted: false,
      undecryptable: false,
      call: null,
      entities: parseMessage(text, true).entities,
      reactions: [],
      forwardedFrom: null,
      pinnedAt: null,
    };
    c.messages.push(m);
    c.readSeq.set(sender, m.seq);
    this.unarchiveOnMessage(c, sender);
    return m;
  }

  /**
   * As the server does: a new message takes the chat out of the archive of every other
   * member that has not muted it (or whose mute has ended). The caller sends the summary.
   */
  private unarchiveOnMessage(c: StoredChat, sender: AccountId): void {
    const now = this.now();
    for (const id of [...c.archivedBy]) {
      if (id !== sender && c.members.has(id) && (c.mutedUntil.get(id) ?? 0) <= now) c.archivedBy.delete(id);
    }
  }

  private summary(c: StoredChat, meId: AccountId): ChatSummary {
    const readSeq = c.readSeq.get(meId) ?? 0;
    let unread = 0;
    let unreadMentions = 0;
    for (let i = c.messages.length - 1; i >= 0; i--) {
      const m = c.messages[i];
      if (m === undefined || m.seq <= readSeq) break;
      if (m.sender === meId || m.deleted) continue;
      unread++;
      if (this.mentions(c, m, meId)) unreadMentions++;
    }
    let peersReadSeq = 0;
    for (const [id, seq] of c.readSeq) if (id !== meId && c.members.has(id)) peersReadSeq = Math.max(peersReadSeq, seq);
    const pending = c.outbox[c.outbox.length - 1];
    const last = c.messages[c.messages.length - 1];
    const isMember = c.members.has(meId);
    // Like the engine, a mute that has ended is reported as none.
    const mutedUntil = c.mutedUntil.get(meId) ?? null;
    const lastMessage =
      pending !== undefined ? this.pendingView(c, pending, !isMember) : last !== undefined ? this.view(c, last, meId) : null;
    const members: Member[] = [...c.members].flatMap(([id, role]) => {
      const account = this.accounts.get(id)?.account;
      return account === undefined ? [] : [{ account, role }];
    });
    return {
      id: c.id,
      kind: c.kind,
      title: this.titleFor(c, meId),
      members,
      unreadCount: unread,
      unreadMentions,
      readSeq,
      peersReadSeq,
      lastMessage,
      lastActivityAt: lastMessage?.sentAt ?? c.createdAt,
      pinned: c.pinnedBy.has(meId),
      mutedUntil: mutedUntil !== null && mutedUntil > this.now() ? mutedUntil : null,
      archived: c.archivedBy.has(meId),
      isMember,
      draft: c.drafts.get(meId) ?? '',
    };
  }

  private view(c: StoredChat, m: StoredMessage, meId: AccountId): MessageView {
    const sender = this.accountOf(m.sender);
    let peersRead = false;
    for (const [id, seq] of c.readSeq) if (id !== m.sender && seq >= m.seq) peersRead = true;
    return {
      chat: c.id,
      seq: m.seq,
      localId: m.localId,
      sender,
      outgoing: m.sender === meId,
      text: m.text,
      replyTo: m.replyTo,
      sentAt: m.sentAt,
      editedAt: m.editedAt,
      deleted: m.deleted,
      undecryptable: m.undecryptable,
      state: m.sender === meId && peersRead ? 'read' : 'sent',
      call: m.deleted || m.call === null ? null : { ...m.call },
      entities: m.deleted || m.undecryptable ? [] : structuredClone(m.entities),
      reactions: m.reactions.map((r) => this.reactionView(r, meId)),
      forwardedFrom: m.forwardedFrom === null ? null : { ...m.forwardedFrom },
      pinned: m.pinnedAt !== null,
      mentionsMe: this.mentions(c, m, meId),
    };
  }

  /** From someone else, naming `meId` by @username or answering one of its messages. */
  private mentions(c: StoredChat, m: StoredMessage, meId: AccountId): boolean {
    if (m.sender === meId || m.deleted || m.undecryptable) return false;
    const me = this.accounts.get(meId)?.account;
    if (me !== undefined && namesUser(m.text, me.username)) return true;
    if (m.replyTo === null) return false;
    const quoted = c.messages[lowerBound(c.messages, m.replyTo)];
    return quoted !== undefined && quoted.seq === m.replyTo && quoted.sender === meId;
  }

  private reactionView(r: StoredReaction, meId: AccountId): Reaction {
    return {
      emoji: r.emoji,
      count: r.accounts.length,
      mine: r.accounts.includes(meId),
      accounts: r.accounts.map((id) => ({ ...this.accountOf(id) })),
    };
  }

  /** The account as it is now; a stand-in for an id this host does not know. */
  private accountOf(id: AccountId): Account {
    return this.accounts.get(id)?.account ?? { id, username: 'unknown', displayName: '' };
  }

  private nextPinStamp(): number {
    this.lastPinStamp = Math.max(this.now(), this.lastPinStamp + 1);
    return this.lastPinStamp;
  }

  /** Puts a message into the outbox, tells the UI, and has the fake server take it later. */
  private queue(
    c: StoredChat,
    meId: AccountId,
    message: { text: string; entities: Entity[]; replyTo: Seq | null; forwardedFrom: ForwardedFrom | null },
  ): MessageView {
    const pending: PendingMessage = { localId: `local-${this.nextLocalId++}`, sender: meId, sentAt: this.now(), ...message };
    c.outbox.push(pending);
    const view = this.pendingView(c, pending);
    this.emit({ type: 'messageUpserted', message: view });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, meId) });
    setTimeout(() => this.acknowledge(c, pending, meId), this.ackDelay);
    return view;
  }

  /** A stored message that is not deleted, else `code` ('not_found' unless told). */
  private liveMessage(c: StoredChat, seq: Seq, code = 'not_found'): StoredMessage {
    const m = c.messages[lowerBound(c.messages, seq)];
    if (m === undefined || m.seq !== seq || m.deleted) throw hostError(code, 'no such message');
    return m;
  }

  private pendingView(c: StoredChat, p: PendingMessage, failed = false): MessageView {
    const sender = this.accountOf(p.sender);
    return {
      chat: c.id,
      seq: null,
      localId: p.localId,
      sender,
      outgoing: true,
      text: p.text,
      replyTo: p.replyTo,
      sentAt: p.sentAt,
      editedAt: null,
      deleted: false,
      undecryptable: false,
      state: failed ? 'failed' : 'pending',
      call: null,
      entities: structuredClone(p.entities),
      reactions: [],
      forwardedFrom: p.forwardedFrom === null ? null : { ...p.forwardedFrom },
      pinned: false,
      mentionsMe: false,
    };
  }

  private titleFor(c: StoredChat, meId: AccountId): string {
    if (c.kind === 'group') return c.title;
    const peer = [...c.members.keys()].find((id) => id !== meId);
    const account = peer === undefined ? undefined : this.accounts.get(peer)?.account;
    return account === undefined ? c.title : nameOf(account);
  }

  private createAccount(username: string, password: string): Account {
    const account: Account = { id: this.nextAccountId++, username, displayName: '' };
    this.accounts.set(account.id, { account, password });
    return account;
  }

  private accountByName(username: string): Account | undefined {
    for (const { account } of this.accounts.values()) if (account.username === username) return account;
    return undefined;
  }

  private addChat(kind: ChatKind, title: string, memberIds: AccountId[], admin: AccountId): StoredChat {
    const chat: StoredChat = {
      id: this.nextChatId++,
      kind,
      title,
      members: new Map(memberIds.map((id) => [id, id === admin ? 'admin' : 'member'])),
      removed: new Set(),
      messages: [],
      outbox: [],
      readSeq: new Map(),
      pinnedBy: new Set(),
      mutedUntil: new Map(),
      archivedBy: new Set(),
      drafts: new Map(),
      hiddenFor: new Map(),
      createdAt: this.now(),
    };
    this.chatsById.set(chat.id, chat);
    if (this.encryptNew) this.epochs.set(chat.id, 1);
    return chat;
  }

  /** Refuses, as the server does, to put an account that allows nobody into a group. */
  private requireAddable(account: Account): void {
    if (this.groupAdds.get(account.id) === 'nobody') {
      throw hostError('privacy_restricted', `@${account.username} does not allow being added to groups`);
    }
  }

  private requireUnlocked(): void {
    if (!this.unlocked) throw hostError('locked', 'the profile is locked; enter the passcode');
  }

  private requireMe(): Account {
    this.requireUnlocked();
    if (this.me === null) throw hostError('unauthorized', 'not signed in');
    return this.me;
  }

  private memberChat(chat: ChatId, meId: AccountId): StoredChat {
    const c = this.readableChat(chat, meId);
    if (!c.members.has(meId)) throw hostError('not_member', `chat ${chat} is read-only: you are no longer in it`);
    return c;
  }

  /** A chat the user is in, or was removed from (kept read-only). */
  private readableChat(chat: ChatId, meId: AccountId): StoredChat {
    const c = this.chatsById.get(chat);
    if (c === undefined || !(c.members.has(meId) || c.removed.has(meId))) throw hostError('not_found', 'no such chat');
    return c;
  }

  private adminChat(chat: ChatId, meId: AccountId): StoredChat {
    const c = this.memberChat(chat, meId);
    if (c.kind !== 'group' || c.members.get(meId) !== 'admin') throw hostError('forbidden', 'admins only');
    return c;
  }

  private ownMessage(c: StoredChat, seq: Seq, meId: AccountId): StoredMessage {
    const m = c.messages[lowerBound(c.messages, seq)];
    if (m === undefined || m.seq !== seq) throw hostError('not_found', 'no such message');
    if (m.sender !== meId) throw hostError('forbidden', 'not your message');
    return m;
  }

  private seed(archiveSize: number): void {
    const now = this.now();
    const id = (name: string): AccountId => this.accountByName(name)?.id ?? 0;
    const [alice, bob, carol, dave, erin] = SEEDED_USERS.map(id) as [number, number, number, number, number];
    const at = (minutesAgo: number): number => now - minutesAgo * 60_000;
    const script = (c: StoredChat, lines: [AccountId, string, number][]): void => {
      for (const [sender, text, minutesAgo] of lines) this.append(c, sender, text, null, `seed-${this.nextLocalId++}`, at(minutesAgo));
    };

    const withBob = this.addChat('direct', '', [alice, bob], alice);
    script(withBob, [
      [bob, 'Hey Alice! Are we still on for Saturday?', 60 * 26],
      [alice, 'Yes! 10 am at the station?', 60 * 26 - 3],
      [bob, 'Perfect. I will bring the map.', 60 * 26 - 5],
      [alice, 'Did you see the forecast? Sunny all weekend ☀️', 42],
      [bob, 'Just saw it. Great news!', 12],
      [bob, 'Also: can you send me the photos from last time?', 11],
    ]);
    withBob.readSeq.set(alice, 4);
    withBob.pinnedBy.add(alice);

    const trip = this.addChat('group', 'Weekend trip', [alice, bob, carol, dave], alice);
    script(trip, [
      [carol, 'Who is driving?', 60 * 50],
      [dave, 'I can drive, my car has five seats.', 60 * 49],
      [alice, 'Great, thanks Dave!', 60 * 48],
      [carol, 'I will bring snacks 🍪', 30],
      [dave, 'Leaving at 9 sharp, please be on time', 5],
    ]);
    trip.readSeq.set(alice, 3);

    const withCarol = this.addChat('direct', '', [alice, carol], alice);
    script(withCarol, [
      [carol, 'The slides look great.', 60 * 24 * 3],
      [alice, 'Thank you! I will send the final version tonight.', 60 * 24 * 3 - 10],
    ]);

    const withErin = this.addChat('direct', '', [alice, erin], alice);
    script(withErin, [[erin, 'مرحبا! كيف حالك؟', 60 * 24 * 9]]);

    // Bob is online, Carol and Dave were a while ago; Erin shows it to nobody.
    this.onlineState.set(alice, { online: true });
    this.onlineState.set(bob, { online: true });
    this.onlineState.set(carol, { online: false, at: at(25) });
    this.onlineState.set(dave, { online: false, at: at(60 * 27) });
    this.onlineState.set(erin, { online: false, at: at(60 * 3) });
    this.lastSeenBy.set(erin, 'nobody');

    if (archiveSize > 0) {
      const archive = this.addChat('group', 'Archive', [alice, bob, carol], alice);
      const senders = [alice, bob, carol];
      const step = 5;
      for (let i = 0; i < archiveSize; i++) {
        const words = 3 + ((i * 7) % 14);
        let text = `#${i + 1}`;
        for (let w = 0; w < words; w++) text += ' ' + (WORDS[(i * 13 + w * 5) % WORDS.length] ?? '');
        archive.messages.push({
          seq: i + 1,
          localId: `archive-${i + 1}`,
          sender: senders[i % 3] ?? alice,
          text,
          replyTo: null,
          sentAt: at((archiveSize - i) * step + 90),
          editedAt: null,
          deleted: false,
          undecryptable: false,
          call: null,
          entities: [],
          reactions: [],
          forwardedFrom: null,
          pinnedAt: null,
        });
      }
      archive.readSeq.set(alice, archiveSize - 4);
      archive.readSeq.set(bob, archiveSize);
      archive.readSeq.set(carol, archiveSize);
    }
  }

  // ---- plan and sponsored internals ----

  private planOf(account: AccountId): PlanInfo {
    const stored = this.plans.get(account);
    const business = stored !== undefined && (stored.until === null || stored.until > this.now());
    return business
      ? {
          plan: 'business',
          until: stored.until,
          limits: {
            publicChannels: BUSINESS_PUBLIC_CHANNELS,
            pinnedChats: BUSINESS_PINNED_CHATS,
            businessProfile: true,
            sponsoredMessages: false,
          },
        }
      : {
          plan: 'free',
          until: null,
          limits: {
            publicChannels: FREE_PUBLIC_CHANNELS,
            pinnedChats: FREE_PINNED_CHATS,
            businessProfile: false,
            sponsoredMessages: true,
          },
        };
  }

  /** A public channel with enough subscribers, read by an account on the Free plan. */
  private showsSponsored(c: StoredChannel, reader: AccountId): boolean {
    const subscribers = c.baseSubscribers + c.members.size;
    return c.handle !== null && subscribers >= SPONSORED_MIN_SUBSCRIBERS && this.planOf(reader).plan === 'free';
  }

  /** A Business account with a profile, and campaigns for the big English news channel. */
  private seedBusiness(): void {
    const dave = this.accountByName('dave');
    if (dave !== undefined) {
      this.plans.set(dave.id, { plan: 'business', until: this.now() + 180 * 86_400_000 });
      this.businessProfiles.set(dave.id, {
        hours: [0, 1, 2, 3, 4].map((day) => ({ day, opens: 9 * 60, closes: 18 * 60 })).concat([{ day: 5, opens: 10 * 60, closes: 14 * 60 }]),
        utcOffsetMinutes: 60,
        address: '12 Harbour Street, Bristol',
        startPage: "Dave's Bike Repair: repairs, servicing and spare parts. Ask us anything, we answer within the day.",
        greeting: 'Hi! Thanks for writing to Dave’s Bike Repair.',
        awayMessage: 'We are closed right now and will answer when we open.',
        quickReplies: [
          { shortcut: 'hours', text: 'We are open Monday to Friday 9–18 and Saturday 10–14.' },
          { shortcut: 'price', text: 'A full service costs 60 €.' },
        ],
      });
    }
    // Wren News (12,480 subscribers) is the one big English news channel: these show there.
    this.addCampaign({
      title: 'Wren Academy',
      text: 'Free evening courses on privacy and security for beginners.',
      target: { link: 'https://academy.example.com/courses' },
      button: 'See the courses',
      topics: ['news'],
      languages: ['en'],
      budget: 100_000,
    });
    // Aimed at Cuisine du monde, which has too few subscribers to show sponsored messages.
    this.addCampaign({
      title: 'Marché du samedi',
      text: 'Des produits frais chaque samedi matin.',
      target: { channel: 'cuisine_monde' },
      button: 'Voir',
      topics: ['food'],
      languages: ['fr'],
      budget: 1_000,
    });
  }

  // ---- channel internals ----

  private channelInfo(c: StoredChannel, meId: AccountId): ChannelInfo {
    return {
      id: c.id,
      handle: c.handle,
      title: c.title,
      description: c.description,
      topic: c.topic,
      language: c.language,
      subscribers: c.baseSubscribers + c.members.size,
      lastSeq: c.lastSeq,
      pinned: c.pinned,
      role: c.members.get(meId) ?? null,
      createdAt: c.createdAt,
    };
  }

  private postView(c: StoredChannel, p: StoredPost): Post {
    return {
      channel: c.id,
      seq: p.seq,
      changedSeq: p.changedSeq,
      text: p.deleted ? '' : p.text,
      sentAt: p.sentAt,
      editedAt: p.editedAt,
      deleted: p.deleted,
      views: p.baseViews + p.viewers.size,
    };
  }

  /** Newest first, `before` exclusive, at most `CHANNEL_PAGE_MAX`. */
  private page(c: StoredChannel, before: Seq | null, limit: number): Post[] {
    const count = Math.min(CHANNEL_PAGE_MAX, Math.max(1, limit));
    const older = before === null ? c.posts : c.posts.filter((p) => p.seq < before);
    return older.slice(-count).reverse().map((p) => this.postView(c, p));
  }

  /** A post that is not deleted, else 'not_found' (as the server answers). */
  private livePost(c: StoredChannel, seq: Seq): StoredPost {
    const p = this.storedPost(c, seq);
    if (p === undefined || p.deleted) throw hostError('not_found', 'no such post');
    return p;
  }

  /** A post was edited or deleted: it moves to a new position of the channel's log. */
  private postChanged(c: StoredChannel, p: StoredPost): void {
    p.changedSeq = ++c.lastSeq;
    const me = this.me;
    if (me !== null && c.members.has(me.id)) {
      this.emit({ type: 'postUpserted', post: this.postView(c, p) });
      this.emit({ type: 'channelUpdated', channel: this.channelInfo(c, me.id) });
    }
  }

  private storedPost(c: StoredChannel, seq: Seq): StoredPost | undefined {
    return c.posts.find((p) => p.seq === seq);
  }

  private publicChannel(handle: string): StoredChannel | undefined {
    return [...this.channelsById.values()].find((c) => c.handle !== null && c.handle === handle);
  }

  /** A channel this account is in, or a public one (a preview); a private one is not found. */
  private readableChannel(channel: ChannelId, meId: AccountId): StoredChannel {
    const c = this.channelsById.get(channel);
    if (c === undefined || (c.handle === null && !c.members.has(meId))) throw hostError('not_found', 'no such channel');
    return c;
  }

  private memberChannel(channel: ChannelId, meId: AccountId): StoredChannel {
    const c = this.channelsById.get(channel);
    if (c === undefined || !c.members.has(meId)) throw hostError('not_found', 'no such channel');
    return c;
  }

  private posterChannel(channel: ChannelId, meId: AccountId): StoredChannel {
    const c = this.memberChannel(channel, meId);
    const role = c.members.get(meId);
    if (role !== 'owner' && role !== 'admin') throw hostError('forbidden', "only the channel's owner and admins can do this");
    return c;
  }

  private publishTo(c: StoredChannel, text: string, sentAt = this.now()): Post {
    const seq = c.lastSeq + 1;
    const last = c.posts[c.posts.length - 1];
    const stored: StoredPost = {
      seq,
      changedSeq: seq,
      text,
      sentAt: Math.max(sentAt, last?.sentAt ?? 0),
      editedAt: null,
      deleted: false,
      baseViews: 0,
      viewers: new Set(),
    };
    c.posts.push(stored);
    c.lastSeq = seq;
    const post = this.postView(c, stored);
    const me = this.me;
    if (me !== null && c.members.has(me.id)) {
      this.emit({ type: 'postUpserted', post });
      this.emit({ type: 'channelUpdated', channel: this.channelInfo(c, me.id) });
    }
    return post;
  }

  private newInvite(c: StoredChannel): string {
    let code = '';
    for (let i = 0; i < 64; i++) code += '0123456789abcdef'[Math.floor(Math.random() * 16)] ?? '0';
    c.invites.add(code);
    return code;
  }

  private addChannel(settings: {
    handle: string | null;
    title: string;
    description: string;
    topic: string;
    language: string;
    owner: AccountId;
    baseSubscribers?: number;
    createdAt?: number;
  }): StoredChannel {
    const c: StoredChannel = {
      id: this.nextChannelId++,
      handle: settings.handle,
      title: settings.title,
      description: settings.description,
      topic: settings.topic,
      language: settings.language,
      members: new Map([[settings.owner, 'owner']]),
      baseSubscribers: settings.baseSubscribers ?? 0,
      posts: [],
      lastSeq: 0,
      pinned: null,
      invites: new Set(),
      sponsoredShown: 0,
      createdAt: settings.createdAt ?? this.now(),
    };
    this.channelsById.set(c.id, c);
    return c;
  }

  /** A few public channels (and one private) with posts and view counts. */
  private seedChannels(subscriptions: Record<string, string[]>, admins: Record<string, string[]>): void {
    const now = this.now();
    const id = (name: string): AccountId => this.accountByName(name)?.id ?? 0;
    const at = (minutesAgo: number): number => now - minutesAgo * 60_000;
    const channel = (
      settings: Omit<Parameters<MemoryPlatform['addChannel']>[0], 'owner'> & { owner: string },
      posts: [string, number, number][],
    ): StoredChannel => {
      const c = this.addChannel({ ...settings, owner: id(settings.owner), createdAt: at(60 * 24 * 400) });
      for (const [text, minutesAgo, views] of posts) {
        const seq = c.lastSeq + 1;
        c.posts.push({
          seq,
          changedSeq: seq,
          text,
          sentAt: at(minutesAgo),
          editedAt: null,
          deleted: false,
          baseViews: views,
          viewers: new Set(),
        });
        c.lastSeq = seq;
      }
      return c;
    };

    const news = channel(
      {
        handle: 'wrennews',
        title: 'Wren News',
        description: 'Release notes and tips from the Wren team.',
        topic: 'news',
        language: 'en',
        owner: 'dave',
        baseSubscribers: 12_480,
      },
      [
        ['Welcome to Wren News! We post release notes and tips here.', 60 * 24 * 30, 15_230],
        ['Tip: press Ctrl+K to search all your chats and messages.', 60 * 24 * 6, 11_094],
        ['Wren 0.2 is out: channels are here. Public channels have an @handle and are listed in the directory.', 60 * 5, 9_812],
      ],
    );
    const edited = news.posts[1];
    if (edited !== undefined) {
      edited.editedAt = edited.sentAt + 120_000;
      edited.changedSeq = ++news.lastSeq;
    }
    channel(
      {
        handle: 'football_live',
        title: 'Football Live',
        description: 'Scores, transfers and match days.',
        topic: 'sports',
        language: 'en',
        owner: 'bob',
        baseSubscribers: 48_200,
      },
      [
        ['Kick-off in 10 minutes! ⚽', 60 * 3, 40_117],
        ['Full time: 2–1. What a comeback!', 50, 38_502],
      ],
    );
    channel(
      {
        handle: 'science_daily',
        title: 'Science Daily',
        description: 'One discovery a day, explained simply.',
        topic: 'science',
        language: 'en',
        owner: 'carol',
        baseSubscribers: 3_205,
      },
      [
        ['Octopuses taste with their arms: their suckers carry chemical receptors.', 60 * 24 * 2, 2_410],
        ['Why is the sky blue? Shorter wavelengths scatter more in the air.', 60 * 20, 1_980],
      ],
    );
    channel(
      {
        handle: 'tech_arabic',
        title: 'أخبار التقنية',
        description: 'آخر أخبار التقنية والبرمجيات كل يوم.',
        topic: 'technology',
        language: 'ar',
        owner: 'erin',
        baseSubscribers: 5_630,
      },
      [
        ['مرحبا بكم في قناة أخبار التقنية!', 60 * 24 * 10, 4_880],
        ['صدر إصدار جديد من متصفح مفتوح المصدر اليوم.', 90, 3_120],
      ],
    );
    channel(
      {
        handle: 'cuisine_monde',
        title: 'Cuisine du monde',
        description: 'Une recette par semaine.',
        topic: 'food',
        language: 'fr',
        owner: 'carol',
        baseSubscribers: 870,
      },
      [['Cette semaine : la tarte tatin.', 60 * 24 * 4, 640]],
    );
    channel(
      {
        handle: null,
        title: 'Book club',
        description: 'A private reading circle. One book a month.',
        topic: 'other',
        language: 'en',
        owner: 'bob',
        baseSubscribers: 0,
      },
      [['This month: "The Left Hand of Darkness".', 60 * 24, 3]],
    );

    for (const [username, handles] of Object.entries(subscriptions)) {
      const account = this.accountByName(username);
      for (const handle of handles) {
        const c = this.publicChannel(handle);
        if (account !== undefined && c !== undefined && !c.members.has(account.id)) c.members.set(account.id, 'subscriber');
      }
    }
    for (const [username, handles] of Object.entries(admins)) {
      const account = this.accountByName(username);
      for (const handle of handles) {
        const c = this.publicChannel(handle);
        if (account !== undefined && c !== undefined && c.members.get(account.id) !== 'owner') c.members.set(account.id, 'admin');
      }
    }
  }

  private checkServer(serverUrl: string, allowInsecure: boolean): void {
    if (isUnencryptedRemote(serverUrl) && !allowInsecure) throw hostError('insecure', `${serverUrl} is not encrypted`);
    if (!/^(https?|wss?):\/\/[^\s/]+/.test(serverUrl.trim())) throw hostError('network', `cannot reach ${serverUrl}`);
  }
}

/** A message as the engine takes it: 'invalid' when empty or too long once read. */
function readMessage(text: string, plain: boolean): { text: string; entities: Entity[] } {
  const parsed = parseMessage(text, plain);
  if (parsed.text.trim() === '' || [...parsed.text].length > MAX_MESSAGE_CHARS) {
    throw hostError('invalid', `a message has 1 to ${MAX_MESSAGE_CHARS} characters`);
  }
  return parsed;
}

/** Index of the first message whose seq is >= `seq`. */
function lowerBound(messages: readonly StoredMessage[], seq: Seq): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((messages[mid]?.seq ?? 0) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
