//! The store's channel writes and what they return (see `sqlite/write/channels.rs`).

use std::sync::Arc;
use wren_proto::{AccountId, ChannelId, ChannelInfo, ChannelPush, ClientMsgId, Seq};

/// A channel's settings, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChannelSettings {
    /// The title.
    pub(crate) title: String,
    /// The normalized handle; `None` for a private channel.
    pub(crate) handle: Option<String>,
    /// The description.
    pub(crate) description: String,
    /// The topic.
    pub(crate) topic: String,
    /// The language code.
    pub(crate) language: String,
}

/// A write to channels.
#[derive(Clone, Debug)]
pub(crate) enum ChannelOp {
    /// Create a channel owned by `owner` (as many public ones as the owner's plan allows).
    Create {
        /// The owner.
        owner: AccountId,
        /// Its settings.
        settings: ChannelSettings,
    },
    /// Subscribe to a public channel.
    Subscribe {
        /// Who.
        account: AccountId,
        /// The channel.
        channel: ChannelId,
    },
    /// Subscribe with an invite link.
    JoinByInvite {
        /// Who.
        account: AccountId,
        /// SHA-256 of the link's token.
        token_hash: [u8; 32],
    },
    /// Leave a channel.
    Leave {
        /// Who.
        account: AccountId,
        /// The channel.
        channel: ChannelId,
    },
    /// Publish a post.
    Publish {
        /// The author (owner or admin).
        author: AccountId,
        /// The channel.
        channel: ChannelId,
        /// The author's idempotency key.
        client_msg_id: ClientMsgId,
        /// The validated text.
        text: String,
    },
    /// Replace a post's text (`Some`) or delete it (`None`).
    Change {
        /// The owner or an admin.
        actor: AccountId,
        /// The channel.
        channel: ChannelId,
        /// The post.
        seq: Seq,
        /// The new text; `None` deletes.
        text: Option<String>,
    },
    /// Pin a post, or unpin.
    Pin {
        /// The owner or an admin.
        actor: AccountId,
        /// The channel.
        channel: ChannelId,
        /// The post.
        seq: Option<Seq>,
    },
    /// Store an invite link's token hash.
    CreateInvite {
        /// The owner or an admin.
        actor: AccountId,
        /// The channel.
        channel: ChannelId,
        /// SHA-256 of the token.
        token_hash: [u8; 32],
    },
    /// Revoke an invite link.
    RevokeInvite {
        /// The owner or an admin.
        actor: AccountId,
        /// The channel.
        channel: ChannelId,
        /// SHA-256 of the token.
        token_hash: [u8; 32],
    },
    /// Make a subscriber admin, or an admin subscriber.
    SetAdmin {
        /// The owner.
        actor: AccountId,
        /// The channel.
        channel: ChannelId,
        /// Who.
        account: AccountId,
        /// Admin or not.
        admin: bool,
    },
    /// Count views: each (channel, post, account) once; one write for a whole batch.
    RecordViews {
        /// The views seen since the last flush.
        views: Vec<(ChannelId, Seq, AccountId)>,
    },
}

/// What a committed channel write returns.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ChannelOutcome {
    /// The channel as the caller now sees it.
    Channel(ChannelInfo),
    /// A post was stored (`push`: for the online subscribers; `None` on a resend).
    Posted {
        /// The channel.
        channel: ChannelId,
        /// The post's position.
        seq: Seq,
        /// When it was stored.
        sent_at: u64,
        /// The push for online subscribers.
        push: Option<Arc<ChannelPush>>,
    },
    /// A post changed.
    Changed(Arc<ChannelPush>),
    /// The caller subscribed (`true`) or left (`false`): the hub follows.
    Membership {
        /// Who.
        account: AccountId,
        /// The channel.
        channel: ChannelId,
        /// Subscribed or left.
        joined: bool,
        /// The channel after it (subscribing).
        info: Option<ChannelInfo>,
    },
    /// Done.
    Done,
}

impl ChannelOutcome {
    /// The push this outcome makes to the channel's online subscribers, if any.
    pub(crate) fn push(&self) -> Option<&Arc<ChannelPush>> {
        match self {
            ChannelOutcome::Posted { push, .. } => push.as_ref(),
            ChannelOutcome::Changed(push) => Some(push),
            _ => None,
        }
    }
}
