//! The nouns of the protocol: accounts, devices, chats, members, messages.

use crate::{AccountId, ChatId, ClientMsgId, DeviceId, Seq};
use serde::{Deserialize, Serialize};

/// A user as others see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// The account's id.
    pub id: AccountId,
    /// The account's unique, lower-case username.
    pub username: String,
    /// The name the account chose to be shown by, in any script ("" when none: show the
    /// username). Checked by [`crate::rules::normalize_display_name`].
    pub display_name: String,
}

/// A member's own settings of a chat, the same on all of its devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSettings {
    /// The chat.
    pub chat: ChatId,
    /// Muted until then (ms since the epoch; `i64::MAX`, centuries away: for ever, and
    /// larger values are taken as that); `None`: not muted.
    pub muted_until: Option<u64>,
    /// In the archive. A new message takes the chat out unless it is muted.
    pub archived: bool,
}

/// A chat folder: a named filter over the account's chats, shown as a tab above the chat
/// list, the same on all of its devices. A chat is in the folder when it is listed in
/// `include`, or matches the kinds (and, with `unread_only`, has unread messages), and is
/// not listed in `exclude`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    /// Chosen by the client, unique among the account's folders.
    pub id: u32,
    /// The tab's name (see [`crate::rules::validate_folder`]).
    pub name: String,
    /// Direct chats are in it.
    pub direct: bool,
    /// Groups are in it.
    pub groups: bool,
    /// Only chats with unread messages (of those the kinds bring in).
    pub unread_only: bool,
    /// Chats always in it.
    pub include: Vec<ChatId>,
    /// Chats never in it.
    pub exclude: Vec<ChatId>,
}

/// What an account says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Who, with the display name.
    pub account: AccountInfo,
    /// A short text about them ("" when none). Checked by [`crate::rules::normalize_bio`].
    pub bio: String,
}

/// A signed-in device, with the secret token that resumes its session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Who signed in.
    pub account: AccountInfo,
    /// This device's id.
    pub device: DeviceId,
    /// The bearer token for [`crate::Request::Resume`]; the server keeps only its hash.
    pub token: String,
}

/// One device of the caller's account, as listed in settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// The device's id.
    pub id: DeviceId,
    /// The name the device gave when it signed in.
    pub name: String,
    /// When it signed in, in Unix milliseconds.
    pub created_at: u64,
    /// When it was last connected, in Unix milliseconds.
    pub last_seen_at: u64,
    /// Whether this is the device making the request.
    pub current: bool,
}

/// Whether a chat is between two people or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChatKind {
    /// A one-to-one chat; exactly two members, no admins.
    Direct,
    /// A group of up to [`crate::rules::MAX_GROUP_MEMBERS`] members.
    Group,
}

/// A member's rights in a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// May rename the chat and add or remove members.
    Admin,
    /// May read and send.
    Member,
}

/// One member of a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's account.
    pub account: AccountInfo,
    /// What the member may do.
    pub role: Role,
}

/// A chat as the caller sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatInfo {
    /// The chat's id.
    pub id: ChatId,
    /// Direct chat or group.
    pub kind: ChatKind,
    /// The group's title; empty for direct chats (clients show the peer's name).
    pub title: String,
    /// Every current member.
    pub members: Vec<Member>,
    /// The newest position in the chat's log.
    pub last_seq: Seq,
    /// How far the caller has read.
    pub read_seq: Seq,
    /// How far the other members have read (the highest of them), for read ticks.
    pub peers_read_seq: Seq,
    /// When the chat was created, in Unix milliseconds.
    pub created_at: u64,
}

/// A message in its current state (edits applied, deletes as tombstones).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The chat it belongs to.
    pub chat: ChatId,
    /// Its position in the chat's log, assigned when it was sent.
    pub seq: Seq,
    /// Who sent it.
    pub sender: AccountId,
    /// The sender's idempotency key.
    pub client_msg_id: ClientMsgId,
    /// Opaque content; the server never interprets it (ciphertext once E2E is on).
    #[serde(with = "serde_bytes")]
    pub payload: Vec<u8>,
    /// The message this one replies to.
    pub reply_to: Option<Seq>,
    /// When the server stored it, in Unix milliseconds.
    pub sent_at: u64,
    /// When it was last edited, in Unix milliseconds.
    pub edited_at: Option<u64>,
    /// A deleted message keeps its place with an empty payload.
    pub deleted: bool,
}

/// Someone is typing in a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypingNotice {
    /// Where.
    pub chat: ChatId,
    /// Who.
    pub account: AccountInfo,
}

/// A call signal from another device of a chat's members, sealed for the chat's MLS group
/// (the server forwards it unread and keeps no copy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSignalNotice {
    /// The chat.
    pub chat: ChatId,
    /// The sending account, as the server authenticated it.
    pub account: AccountId,
    /// The sending device, as the server authenticated it.
    pub device: DeviceId,
    /// The MLS epoch whose exported key sealed it.
    pub epoch: u64,
    /// The sealed signal.
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// Who may add an account to groups (Telegram's "Who can add me to group chats").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupAdds {
    /// Anyone who knows the username.
    #[default]
    Everybody,
    /// Nobody: others cannot put this account into a group.
    Nobody,
}

/// Who sees when an account is online and when it was last seen (Telegram's "Last seen
/// & online"). Whoever chooses [`LastSeenVisibility::Nobody`] sees nobody else's either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LastSeenVisibility {
    /// Everyone who shares a chat with the account.
    #[default]
    Everybody,
    /// Its contacts: the people it has a direct chat with.
    Contacts,
    /// Nobody.
    Nobody,
}

/// Whether an account is online, as far as its privacy (and the viewer's) lets it be known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Presence {
    /// Connected now.
    Online,
    /// Last connected at this time (ms since the epoch).
    LastSeen(u64),
    /// Not shown to this viewer ("last seen recently").
    Hidden,
}

/// One account's presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceInfo {
    /// Whose.
    pub account: AccountId,
    /// What the viewer may know.
    pub presence: Presence,
}

/// An account's privacy settings, enforced by the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privacy {
    /// Who may add this account to groups.
    pub group_adds: GroupAdds,
    /// Who sees when it is online and was last seen.
    pub last_seen: LastSeenVisibility,
}

/// A device's identity key, as listed by `ListAccountDevices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceKey {
    /// The device.
    pub device: DeviceId,
    /// Its Ed25519 public key ([`crate::rules::IDENTITY_KEY_BYTES`] bytes).
    #[serde(with = "serde_bytes")]
    pub identity_key: Vec<u8>,
}

/// One device's share of a `ClaimKeyPackages` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimedKeyPackage {
    /// The device.
    pub device: DeviceId,
    /// Its Ed25519 public key.
    #[serde(with = "serde_bytes")]
    pub identity_key: Vec<u8>,
    /// The MLS key package taken for it; `None` when it has none (the device is missing).
    #[serde(with = "serde_bytes")]
    pub package: Option<Vec<u8>>,
    /// Whether `package` is the device's last-resort package (which stays on the server).
    pub last_resort: bool,
}
