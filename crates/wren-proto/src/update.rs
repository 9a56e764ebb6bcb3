//! Updates: entries of an account's update log, pushed live and replayed by difference.

use crate::{AccountId, AccountInfo, ChatId, ChatInfo, Member, Message, Pts, Role, Seq};
use serde::{Deserialize, Serialize};

/// An update with its position in the account's update log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateEnvelope {
    /// The position of this update; the client has applied everything before it.
    pub pts: Pts,
    /// What changed.
    pub update: Update,
}

/// One change visible to an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Update {
    /// A message was sent to a chat the account is in.
    NewMessage(Message),
    /// A message's payload was replaced.
    MessageEdited {
        /// The chat.
        chat: ChatId,
        /// The message that changed.
        seq: Seq,
        /// The chat-log position of the edit event.
        log_seq: Seq,
        /// The new content.
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
        /// When, in Unix milliseconds.
        edited_at: u64,
    },
    /// A message was deleted for everyone.
    MessageDeleted {
        /// The chat.
        chat: ChatId,
        /// The message that was deleted.
        seq: Seq,
        /// The chat-log position of the delete event.
        log_seq: Seq,
    },
    /// The account joined a chat (created it, or was added): the whole chat as it is now.
    ChatJoined(ChatInfo),
    /// Someone else joined a chat the account is in.
    MemberAdded {
        /// The chat.
        chat: ChatId,
        /// The chat-log position of this event.
        log_seq: Seq,
        /// The new member.
        member: Member,
    },
    /// Someone left or was removed. When it is the account itself, the chat is gone for it.
    MemberRemoved {
        /// The chat.
        chat: ChatId,
        /// The chat-log position of this event.
        log_seq: Seq,
        /// Who is no longer a member.
        account: AccountId,
    },
    /// A group got a new title.
    ChatRenamed {
        /// The chat.
        chat: ChatId,
        /// The chat-log position of this event.
        log_seq: Seq,
        /// The new title.
        title: String,
    },
    /// A member's rights changed (the earliest member becomes admin when the last admin
    /// leaves).
    RoleChanged {
        /// The chat.
        chat: ChatId,
        /// The chat-log position of this event.
        log_seq: Seq,
        /// Whose rights changed.
        account: AccountId,
        /// The new role.
        role: Role,
    },
    /// A member read a chat up to a position (the account itself on another device, or a peer).
    ReadMark {
        /// The chat.
        chat: ChatId,
        /// Who read.
        account: AccountId,
        /// Everything up to and including this position is read.
        up_to: Seq,
    },
    /// A commit of the chat's MLS group was accepted: every device in the group applies it
    /// before any message after `log_seq`.
    MlsCommit {
        /// The chat.
        chat: ChatId,
        /// The commit's position in the chat's log.
        log_seq: Seq,
        /// The epoch the commit was made in (the group moves to `epoch + 1`).
        epoch: u64,
        /// The serialized commit (an MLS `PublicMessage`).
        #[serde(with = "serde_bytes")]
        commit: Vec<u8>,
        /// A Welcome follows right after it (a device that is not in the group waits for
        /// it before joining by itself).
        welcome_follows: bool,
    },
    /// A Welcome into the chat's MLS group, for the devices the commit before it added.
    MlsWelcome {
        /// The chat.
        chat: ChatId,
        /// Its position in the chat's log (right after its commit).
        log_seq: Seq,
        /// The serialized Welcome.
        #[serde(with = "serde_bytes")]
        welcome: Vec<u8>,
    },
    /// A group's title, sealed anew: renamed, or re-sealed for a later epoch.
    TitleSealed {
        /// The chat.
        chat: ChatId,
        /// Its position in the chat's log.
        log_seq: Seq,
        /// The epoch whose exported key sealed it.
        epoch: u64,
        /// The sealed title.
        #[serde(with = "serde_bytes")]
        sealed: Vec<u8>,
    },
    /// The account pinned or unpinned a chat (on one of its devices).
    ChatPinned {
        /// The chat.
        chat: ChatId,
        /// Pinned or not.
        pinned: bool,
    },
    /// The account changed its settings of a chat (muted, archived) on one of its devices,
    /// or a new message took the chat out of the archive.
    ChatSettingsChanged(crate::ChatSettings),
    /// The account's chat folders, as they are now (changed on one of its devices).
    FoldersChanged(Vec<crate::Folder>),
    /// Someone this account shares a chat with (or the account itself) changed their
    /// display name; it holds in every chat.
    ProfileChanged {
        /// Who, with the new display name.
        account: AccountInfo,
    },
}

impl Update {
    /// The chat this update concerns; `None` for one about an account.
    pub fn chat(&self) -> Option<ChatId> {
        match self {
            Update::NewMessage(m) => Some(m.chat),
            Update::ChatJoined(info) => Some(info.id),
            Update::MessageEdited { chat, .. }
            | Update::MessageDeleted { chat, .. }
            | Update::MemberAdded { chat, .. }
            | Update::MemberRemoved { chat, .. }
            | Update::ChatRenamed { chat, .. }
            | Update::RoleChanged { chat, .. }
            | Update::ReadMark { chat, .. }
            | Update::MlsCommit { chat, .. }
            | Update::MlsWelcome { chat, .. }
            | Update::TitleSealed { chat, .. }
            | Update::ChatPinned { chat, .. } => Some(*chat),
            Update::ChatSettingsChanged(settings) => Some(settings.chat),
            Update::ProfileChanged { .. } | Update::FoldersChanged(_) => None,
        }
    }
}
