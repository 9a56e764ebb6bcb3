// An in-memory host: a fake server with a few users and chats and simulated peers.
// Vitest uses it to render screens; the browser demo (no Tauri) runs on it too.

import { isStrongEnough } from '../lib/passcode';
import { isUnencryptedRemote } from '../lib/server';
import { markMatches } from '../lib/text';
import { hostError } from './errors';
import { HISTORY_PAGE_MAX } from './types';
import type {
  Account,
  AccountId,
  ChatEncryption,
  ChatId,
  ChatKind,
  ChatSummary,
  CoreEvent,
  DeepLink,
  Device,
  GroupAdds,
  Member,
  MessageView,
  Platform,
  Privacy,
  ProfileStatus,
  Role,
  SafetyNumber,
  SearchHit,
  Seq,
} from './types';

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
  /** A passcode the profile is locked with at start. */
  passcode?: string;
  /** `wren://` links the app was started with, waiting for the UI. */
  links?: DeepLink[];
  /**
   * Whether this device is in every chat's encryption group from the start (default true);
   * false: a chat is encrypted once `startEncryption` is called for it.
   */
  encryption?: boolean;
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
}

interface PendingMessage {
  localId: string;
  sender: AccountId;
  text: string;
  replyTo: Seq | null;
  sentAt: number;
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
  /** Each account's unsent text, as the encrypted store keeps it. */
  drafts: Map<AccountId, string>;
  createdAt: number;
}

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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class MemoryPlatform implements Platform {
  private readonly now: () => number;
  private readonly ackDelay: number;
  private readonly simulatePeers: boolean;
  private readonly accounts = new Map<AccountId, { account: Account; password: string }>();
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
  /** Who may add each account to groups; absent means everybody. */
  private groupAdds = new Map<AccountId, GroupAdds>();
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
  /** What the UI last asked about notification previews (tests read it). */
  notificationPreview = true;
  /** The body the UI last gave for notifications with hidden previews (tests read it). */
  notificationHiddenText: string | null = null;
  /** The tray menu labels the UI last gave, `[show, quit]` (tests read them). */
  trayTexts: [string, string] | null = null;

  constructor(options: MemoryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ackDelay = options.ackDelay ?? 300;
    this.simulatePeers = options.simulatePeers ?? false;
    this.passcode = options.passcode ?? null;
    this.unlocked = this.passcode === null;
    this.waitingLinks = [...(options.links ?? [])];
    this.encryptNew = options.encryption ?? true;
    for (const name of SEEDED_USERS) this.addAccount(name, PASSWORD);
    this.seed(options.archiveSize ?? 0);
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
    const account = this.addAccount(name, password);
    this.me = account;
    this.serverUrl = serverUrl;
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
    return entry.account;
  }

  async logout(): Promise<void> {
    this.me = null;
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
    const end = before === null ? c.messages.length : lowerBound(c.messages, before);
    const start = Math.max(0, end - Math.min(HISTORY_PAGE_MAX, Math.max(0, limit)));
    const stored = c.messages.slice(start, end).reverse().map((m) => this.view(c, m, me.id));
    if (before !== null) return stored;
    const pending = [...c.outbox].reverse().map((p) => this.pendingView(c, p, c.removed.has(me.id)));
    return [...pending, ...stored];
  }

  async send(chat: ChatId, text: string, replyTo: Seq | null): Promise<MessageView> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    const pending: PendingMessage = {
      localId: `local-${this.nextLocalId++}`,
      sender: me.id,
      text,
      replyTo,
      sentAt: this.now(),
    };
    c.outbox.push(pending);
    const view = this.pendingView(c, pending);
    this.emit({ type: 'messageUpserted', message: view });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
    setTimeout(() => this.acknowledge(c, pending, me.id), this.ackDelay);
    return view;
  }

  async edit(chat: ChatId, seq: Seq, text: string): Promise<void> {
    const me = this.requireMe();
    const c = this.memberChat(chat, me.id);
    const m = this.ownMessage(c, seq, me.id);
    m.text = text;
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
    this.emit({ type: 'messageUpserted', message: this.view(c, m, me.id) });
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
  }

  async markRead(chat: ChatId, upTo: Seq): Promise<void> {
    const me = this.requireMe();
    const c = this.readableChat(chat, me.id);
    if (upTo <= (c.readSeq.get(me.id) ?? 0)) return;
    c.readSeq.set(me.id, upTo);
    this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
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
    if (pinned) c.pinnedBy.add(me.id);
    else c.pinnedBy.delete(me.id);
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
    return { groupAdds: this.groupAdds.get(me.id) ?? 'everybody' };
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

  async setNotificationPreview(show: boolean, hiddenText: string): Promise<void> {
    this.notificationPreview = show;
    this.notificationHiddenText = hiddenText;
  }

  async takeDeepLinks(): Promise<DeepLink[]> {
    const links = this.waitingLinks;
    this.waitingLinks = [];
    return links;
  }

  onEvent(handler: (event: CoreEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  // ---- simulation helpers, public for tests and the demo ----

  /**
   * A peer sends a message to a chat, as if it arrived from the server; `undecryptable`: this
   * device cannot read it, and `text` is why.
   */
  deliver(chat: ChatId, from: string, text: string, undecryptable = false): MessageView {
    const c = this.chatsById.get(chat);
    const sender = this.accountByName(from);
    if (c === undefined || sender === undefined) throw new Error('unknown chat or sender');
    const m = this.append(c, sender.id, text, null, `remote-${this.nextLocalId++}`);
    m.undecryptable = undecryptable;
    const me = this.me;
    const view = this.view(c, m, me?.id ?? -1);
    if (me !== null && c.members.has(me.id)) {
      this.emit({ type: 'messageUpserted', message: view });
      this.emit({ type: 'chatUpdated', chat: this.summary(c, me.id) });
    }
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
  openLink(link: DeepLink): void {
    this.waitingLinks.push(link);
    this.emit({ type: 'linkOpened' });
  }

  /** Emits a connection state change. */
  setConnection(state: 'connecting' | 'online' | 'offline'): void {
    this.emit({ type: 'connection', state });
  }

  // ---- internals ----

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

  private emit(event: CoreEvent): void {
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(event);
    });
  }

  private acknowledge(c: StoredChat, pending: PendingMessage, meId: AccountId): void {
    const at = c.outbox.indexOf(pending);
    // Removed from the group meanwhile: it stays unsent, shown as failed.
    if (at === -1 || !c.members.has(pending.sender)) return;
    c.outbox.splice(at, 1);
    const m = this.append(c, pending.sender, pending.text, pending.replyTo, pending.localId, pending.sentAt);
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
    };
    c.messages.push(m);
    c.readSeq.set(sender, m.seq);
    return m;
  }

  private summary(c: StoredChat, meId: AccountId): ChatSummary {
    const readSeq = c.readSeq.get(meId) ?? 0;
    let unread = 0;
    for (let i = c.messages.length - 1; i >= 0; i--) {
      const m = c.messages[i];
      if (m === undefined || m.seq <= readSeq) break;
      if (m.sender !== meId && !m.deleted) unread++;
    }
    let peersReadSeq = 0;
    for (const [id, seq] of c.readSeq) if (id !== meId && c.members.has(id)) peersReadSeq = Math.max(peersReadSeq, seq);
    const pending = c.outbox[c.outbox.length - 1];
    const last = c.messages[c.messages.length - 1];
    const isMember = c.members.has(meId);
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
      readSeq,
      peersReadSeq,
      lastMessage,
      lastActivityAt: lastMessage?.sentAt ?? c.createdAt,
      pinned: c.pinnedBy.has(meId),
      isMember,
      draft: c.drafts.get(meId) ?? '',
    };
  }

  private view(c: StoredChat, m: StoredMessage, meId: AccountId): MessageView {
    const sender = this.accounts.get(m.sender)?.account ?? { id: m.sender, username: 'unknown' };
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
    };
  }

  private pendingView(c: StoredChat, p: PendingMessage, failed = false): MessageView {
    const sender = this.accounts.get(p.sender)?.account ?? { id: p.sender, username: 'unknown' };
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
    };
  }

  private titleFor(c: StoredChat, meId: AccountId): string {
    if (c.kind === 'group') return c.title;
    const peer = [...c.members.keys()].find((id) => id !== meId);
    return (peer === undefined ? undefined : this.accounts.get(peer)?.account.username) ?? c.title;
  }

  private addAccount(username: string, password: string): Account {
    const account = { id: this.nextAccountId++, username };
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
      drafts: new Map(),
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

  private requireMe(): Account {
    if (!this.unlocked) throw hostError('locked', 'the profile is locked; enter the passcode');
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
        });
      }
      archive.readSeq.set(alice, archiveSize - 4);
      archive.readSeq.set(bob, archiveSize);
      archive.readSeq.set(carol, archiveSize);
    }
  }

  private checkServer(serverUrl: string, allowInsecure: boolean): void {
    if (isUnencryptedRemote(serverUrl) && !allowInsecure) throw hostError('insecure', `${serverUrl} is not encrypted`);
    if (!/^(https?|wss?):\/\/[^\s/]+/.test(serverUrl.trim())) throw hostError('network', `cannot reach ${serverUrl}`);
  }
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
