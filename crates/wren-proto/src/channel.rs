//! Broadcast channels: public ones with an `@handle` listed in the directory, private ones
//! joined by invite link. Posts are readable by the server (broadcast, not end-to-end
//! encrypted), kept in a per-channel log that subscribers pull; the server pushes new
//! posts to the subscribers that are online, and writes nothing per subscriber.
//!
//! The serde names are camelCase so that a web UI can take these as they are; the wire
//! format (postcard) does not carry names, so they do not change it.

use crate::{AccountId, ChannelId, ClientMsgId, Seq};
use serde::{Deserialize, Serialize};

/// What the caller may do in a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChannelRole {
    /// Made it: posts, edits, names admins, makes invite links.
    Owner,
    /// Posts, edits, deletes and pins posts; makes invite links.
    Admin,
    /// Reads.
    Subscriber,
}

impl ChannelRole {
    /// Whether this role may post, edit, delete and pin.
    pub fn may_post(self) -> bool {
        matches!(self, ChannelRole::Owner | ChannelRole::Admin)
    }
}

/// A channel as the caller sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelInfo {
    /// The channel's id.
    pub id: ChannelId,
    /// The public handle (lower case, without `@`); `None` for a private channel.
    pub handle: Option<String>,
    /// The channel's title.
    pub title: String,
    /// What the channel is about (may be empty).
    pub description: String,
    /// Its topic, from [`crate::rules::CHANNEL_TOPICS`].
    pub topic: String,
    /// The language of its posts (an ISO 639-1 code, such as `en`).
    pub language: String,
    /// How many accounts are subscribed (owner and admins included).
    pub subscribers: u64,
    /// The newest position in the channel's log.
    pub last_seq: Seq,
    /// The pinned post, if any.
    pub pinned: Option<Seq>,
    /// The caller's role; `None` when only previewing a public channel.
    pub role: Option<ChannelRole>,
    /// When the channel was created, in Unix milliseconds.
    pub created_at: u64,
}

/// A post in its current state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    /// The channel.
    pub channel: ChannelId,
    /// Its position in the channel's log, given when it was posted.
    pub seq: Seq,
    /// The position in the channel's log of its newest change (posting, editing,
    /// deleting); what a subscriber compares with what it has.
    pub changed_seq: Seq,
    /// The text (empty once deleted).
    pub text: String,
    /// When it was posted, in Unix milliseconds.
    pub sent_at: u64,
    /// When it was last edited, in Unix milliseconds.
    pub edited_at: Option<u64>,
    /// A deleted post keeps its place with an empty text.
    pub deleted: bool,
    /// How many accounts have seen it (each counted once).
    pub views: u64,
}

/// A page of a channel's posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelPosts {
    /// Oldest change first (a difference), or newest post first (history).
    pub posts: Vec<Post>,
    /// The channel's newest log position.
    pub current: Seq,
    /// The caller was away too long: `posts` is the channel's newest page, and the
    /// caller should drop what it has of the channel and continue from `current`.
    pub too_long: bool,
}

/// A live change of a channel, pushed to its online subscribers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelPush {
    /// The post as it is now; its `changed_seq` is the channel's new `last_seq`.
    pub post: Post,
}

/// An owner or admin of a channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelAdmin {
    /// Who.
    pub account: crate::AccountInfo,
    /// Owner or admin.
    pub role: ChannelRole,
}

/// A channel's invite link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    /// The link, `wren://join/TOKEN`.
    pub link: String,
}

/// A new channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewChannel {
    /// The title, with the rules of group titles.
    pub title: String,
    /// The public handle; `None` makes a private channel.
    pub handle: Option<String>,
    /// What it is about, at most [`crate::rules::MAX_CHANNEL_DESCRIPTION_CHARS`].
    pub description: String,
    /// One of [`crate::rules::CHANNEL_TOPICS`].
    pub topic: String,
    /// An ISO 639-1 language code.
    pub language: String,
}

/// A post to publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPost {
    /// Where.
    pub channel: ChannelId,
    /// The author's idempotency key.
    pub client_msg_id: ClientMsgId,
    /// The text, at most [`crate::rules::MAX_POST_CHARS`] characters.
    pub text: String,
}

/// Which public channels to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryQuery {
    /// Words to find in title, handle, description and topic; empty lists all.
    pub text: String,
    /// Only this topic.
    pub topic: Option<String>,
    /// Only this language.
    pub language: Option<String>,
    /// At most this many (capped at [`crate::rules::MAX_DIRECTORY_PAGE`]).
    pub limit: u32,
}

/// An admin change in a channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminChange {
    /// The channel.
    pub channel: ChannelId,
    /// A subscriber.
    pub account: AccountId,
    /// Admin (`true`) or back to subscriber.
    pub admin: bool,
}
