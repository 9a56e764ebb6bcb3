//! What the engine shows a user interface: chats, messages, search hits, devices.
//! These serialize in camelCase so a web UI can use them as they are.

use serde::Serialize;
use wren_proto::{AccountId, ChatId, ChatKind, Role, Seq};

/// An account as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The account id.
    pub id: AccountId,
    /// The username, without `@`.
    pub username: String,
    /// The name they chose to be shown by ("" when none: show the username).
    pub display_name: String,
}

impl Account {
    /// The display name, or the username when there is none.
    pub fn name(&self) -> &str {
        if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

impl From<wren_proto::AccountInfo> for Account {
    fn from(info: wren_proto::AccountInfo) -> Self {
        Account {
            id: info.id,
            username: info.username,
            display_name: info.display_name,
        }
    }
}

/// Whether someone is online, as far as their privacy (and this account's) lets it be
/// known. Serializes as `{"state": "online" | "lastSeen" | "hidden", "at"?: ms}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum PresenceView {
    /// Online now.
    Online,
    /// Last seen then.
    LastSeen {
        /// When (ms since the epoch).
        at: u64,
    },
    /// Not shown ("last seen recently").
    Hidden,
}

impl From<wren_proto::Presence> for PresenceView {
    fn from(presence: wren_proto::Presence) -> Self {
        match presence {
            wren_proto::Presence::Online => PresenceView::Online,
            wren_proto::Presence::LastSeen(at) => PresenceView::LastSeen { at },
            wren_proto::Presence::Hidden => PresenceView::Hidden,
        }
    }
}

/// One account's presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceOf {
    /// Whose.
    pub account: AccountId,
    /// What this account may know.
    pub presence: PresenceView,
}

impl From<wren_proto::PresenceInfo> for PresenceOf {
    fn from(info: wren_proto::PresenceInfo) -> Self {
        PresenceOf {
            account: info.account,
            presence: info.presence.into(),
        }
    }
}

/// What an account says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Who, with the display name.
    pub account: Account,
    /// A short text about them ("" when none).
    pub bio: String,
}

/// A member of a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    /// Who.
    pub account: Account,
    /// Admin or member.
    #[serde(serialize_with = "role_name")]
    pub role: Role,
}

/// One row of the chat list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatSummary {
    /// The chat id.
    pub id: ChatId,
    /// Direct or group.
    #[serde(serialize_with = "kind_name")]
    pub kind: ChatKind,
    /// The group title, or the peer's username for a direct chat.
    pub title: String,
    /// Current members.
    pub members: Vec<MemberView>,
    /// Messages from others after `read_seq`.
    pub unread_count: u64,
    /// Of those, the ones that mention this account (see [`MessageView::mentions_me`]).
    pub unread_mentions: u64,
    /// How far this account has read.
    pub read_seq: Seq,
    /// How far any other member has read.
    pub peers_read_seq: Seq,
    /// The newest message, if any.
    pub last_message: Option<MessageView>,
    /// Unix ms of the last activity, for sorting.
    pub last_activity_at: u64,
    /// Pinned chats sort first.
    pub pinned: bool,
    /// Muted on this device until then (ms since the epoch): its messages are not
    /// announced. `None`: not muted.
    pub muted_until: Option<u64>,
    /// In the account's archive (on all of its devices). A new message takes it out
    /// unless it is muted.
    pub archived: bool,
    /// Whether this account is still a member. A group it was removed from stays in the
    /// list with its history, read-only: nothing can be sent to it.
    pub is_member: bool,
    /// What the user typed and has not sent yet ("" when nothing), kept in the encrypted
    /// store.
    pub draft: String,
}

/// Where an outgoing message is on its way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeliveryState {
    /// In the outbox, not yet stored by the server.
    Pending,
    /// Stored by the server.
    Sent,
    /// A peer has read it.
    Read,
    /// The server refused it for good.
    Failed,
}

/// A message as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    /// The chat.
    pub chat: ChatId,
    /// The server position; `None` while in the outbox.
    pub seq: Option<Seq>,
    /// A local id that stays the same from sending to delivery.
    pub local_id: String,
    /// Who sent it.
    pub sender: Account,
    /// Whether this account sent it.
    pub outgoing: bool,
    /// The text; for an undecryptable message, why it cannot be read.
    pub text: String,
    /// The message could not be decrypted on this device (`text` says why).
    pub undecryptable: bool,
    /// The message it replies to.
    pub reply_to: Option<Seq>,
    /// Unix ms when it was sent.
    pub sent_at: u64,
    /// Unix ms of the last edit.
    pub edited_at: Option<u64>,
    /// Deleted for everyone.
    pub deleted: bool,
    /// Delivery progress (outgoing messages).
    pub state: DeliveryState,
    /// For a call in the chat's history: how it went (`text` is its summary).
    pub call: Option<crate::content::CallRecord>,
    /// Formatting and recognized spans of `text` (UTF-16 offsets).
    pub entities: Vec<crate::content::Entity>,
    /// Reactions, in the order they were first given.
    pub reactions: Vec<ReactionView>,
    /// Where a forwarded message came from.
    pub forwarded_from: Option<crate::content::ForwardedFrom>,
    /// Pinned in its chat.
    pub pinned: bool,
    /// From someone else, naming this account by `@username` or answering one of its
    /// messages: counted in `unread_mentions`, announced even in a muted chat.
    pub mentions_me: bool,
}

/// One emoji's reactions on a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionView {
    /// The emoji.
    pub emoji: String,
    /// How many gave it.
    pub count: u32,
    /// This account gave it.
    pub mine: bool,
    /// Who gave it, in the order they did.
    pub accounts: Vec<Account>,
}

/// A message that matched a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// The chat it is in.
    pub chat: ChatId,
    /// That chat's title.
    pub chat_title: String,
    /// The message.
    pub message: MessageView,
    /// The text around the match, matches wrapped in `\u{1}` and `\u{2}`.
    pub snippet: String,
}

fn role_name<S: serde::Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match role {
        Role::Admin => "admin",
        Role::Member => "member",
    })
}

fn kind_name<S: serde::Serializer>(kind: &ChatKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match kind {
        ChatKind::Direct => "direct",
        ChatKind::Group => "group",
    })
}
