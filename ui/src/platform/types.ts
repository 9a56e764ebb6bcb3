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
}

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
  /** Newest position read by me. */
  readSeq: Seq;
  /** Newest position read by any other member (for read ticks). */
  peersReadSeq: Seq;
  lastMessage: MessageView | null;
  /** Unix ms of the last activity, for sorting. */
  lastActivityAt: number;
  pinned: boolean;
  /**
   * False once this account was removed from the group: the chat stays with its history,
   * read-only (nothing can be sent; unsent messages show as failed).
   */
  isMember: boolean;
  /** The unsent text saved for this chat in the account's encrypted store ("" when none). */
  draft: string;
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
}

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
}

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** A `wren://` link the app was opened with, as the host read it. */
export type DeepLink =
  /** wren://user/NAME: open (or start) the direct chat with NAME. */
  | { kind: 'user'; username: string }
  /** wren://chat/ID: open a chat the user already belongs to. */
  | { kind: 'chat'; id: ChatId }
  /** wren://join/CODE: join by invite (not offered by the server yet). */
  | { kind: 'invite'; code: string }
  /** Anything else. */
  | { kind: 'invalid'; url: string };

export type CoreEvent =
  | { type: 'chatUpdated'; chat: ChatSummary }
  | { type: 'chatRemoved'; chat: ChatId }
  | { type: 'messageUpserted'; message: MessageView }
  /** The server refused an outgoing message for good; `localId` is null if it is gone. */
  | { type: 'messageFailed'; chat: ChatId; localId: string | null; reason: string }
  | { type: 'typing'; chat: ChatId; account: Account }
  | { type: 'connection'; state: ConnectionState }
  | { type: 'syncProgress'; done: number; total: number }
  /** This device was signed out (revoked elsewhere, or logged out). */
  | { type: 'signedOut' }
  /** `wren://` links are waiting: call `takeDeepLinks`. */
  | { type: 'linkOpened' };

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
  logout(): Promise<void>;

  chats(): Promise<ChatSummary[]>;
  /**
   * Newest first, `before` exclusive; null = from the newest. Returns at most
   * `HISTORY_PAGE_MAX` messages whatever `limit` asks for, so fewer than `limit` does not
   * by itself mean the start of history was reached.
   */
  history(chat: ChatId, before: Seq | null, limit: number): Promise<MessageView[]>;
  send(chat: ChatId, text: string, replyTo: Seq | null): Promise<MessageView>;
  edit(chat: ChatId, seq: Seq, text: string): Promise<void>;
  remove(chat: ChatId, seq: Seq): Promise<void>;
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
  /** A new passcode needs at least 6 characters (else the code 'weak_passcode'). */
  setPasscode(passcode: string | null): Promise<void>;
  /**
   * Shows or hides the message text in native notifications; `hiddenText` (in the UI's
   * language) is the body shown instead when hidden.
   */
  setNotificationPreview(show: boolean, hiddenText: string): Promise<void>;
  /** The tray menu's item labels, in the UI's language. */
  setTrayTexts(show: string, quit: string): Promise<void>;
  /** Returns and forgets the `wren://` links waiting in the host, oldest first. */
  takeDeepLinks(): Promise<DeepLink[]>;

  /** Subscribes to core events; returns an unsubscribe function. */
  onEvent(handler: (event: CoreEvent) => void): () => void;
}
