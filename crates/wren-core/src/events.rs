//! What the engine tells a user interface, as it happens.

use crate::calls::{CallEvent, CallInfo, EndReason, Phase};
use crate::model::{Account, ChatSummary, MessageView};
use serde::Serialize;
use wren_proto::{ChannelId, ChannelInfo, ChatId, Post};

/// The state of the connection to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionState {
    /// Trying to connect or sign in.
    Connecting,
    /// Connected and signed in (or ready to sign in).
    Online,
    /// Not connected; will retry.
    Offline,
}

/// An event for the UI. Serializes as `{"type": "...", ...}` in camelCase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ClientEvent {
    /// A chat appeared or changed (title, members, unread count, last message).
    #[serde(rename_all = "camelCase")]
    ChatUpdated {
        /// The chat as the list shows it now.
        chat: ChatSummary,
    },
    /// This account left or was removed from a chat.
    #[serde(rename_all = "camelCase")]
    ChatRemoved {
        /// The chat.
        chat: ChatId,
    },
    /// A message appeared or changed (sent, delivered, edited, deleted, read).
    #[serde(rename_all = "camelCase")]
    MessageUpserted {
        /// The message as it is now.
        message: MessageView,
    },
    /// The server refused one of this account's messages for good.
    #[serde(rename_all = "camelCase")]
    MessageFailed {
        /// The chat.
        chat: ChatId,
        /// The message's local id, if it is still stored.
        local_id: Option<String>,
        /// Why, in words.
        reason: String,
    },
    /// Someone this account shares a chat with (or this account) changed their display
    /// name; the chats they are in also come as `ChatUpdated`.
    #[serde(rename_all = "camelCase")]
    ProfileChanged {
        /// Who, as they are now.
        account: Account,
    },
    /// The account's chat folders changed (on another device, or after signing in).
    #[serde(rename_all = "camelCase")]
    FoldersChanged {
        /// The folders now, in tab order.
        folders: Vec<wren_proto::Folder>,
    },
    /// Someone who shares a chat with this account came online or went offline.
    #[serde(rename_all = "camelCase")]
    Presence {
        /// Who.
        account: wren_proto::AccountId,
        /// What this account may know.
        presence: crate::model::PresenceView,
    },
    /// Messages deleted on this device only: the UI drops them.
    #[serde(rename_all = "camelCase")]
    MessagesRemoved {
        /// The chat.
        chat: ChatId,
        /// Their local ids.
        local_ids: Vec<String>,
    },
    /// Someone is typing.
    #[serde(rename_all = "camelCase")]
    Typing {
        /// Where.
        chat: ChatId,
        /// Who.
        account: Account,
    },
    /// The connection changed state.
    #[serde(rename_all = "camelCase")]
    Connection {
        /// The new state.
        state: ConnectionState,
    },
    /// Catch-up progress after being offline.
    #[serde(rename_all = "camelCase")]
    SyncProgress {
        /// Updates applied so far.
        done: u64,
        /// Updates to apply in all.
        total: u64,
    },
    /// This device was signed out (revoked elsewhere, or logged out).
    SignedOut,
    /// A channel this account is in appeared or changed.
    #[serde(rename_all = "camelCase")]
    ChannelUpdated {
        /// The channel as this device has it now.
        channel: ChannelInfo,
    },
    /// This account is no longer in a channel (it left, here or on another device).
    #[serde(rename_all = "camelCase")]
    ChannelRemoved {
        /// The channel.
        channel: ChannelId,
    },
    /// A post of a channel arrived or changed.
    #[serde(rename_all = "camelCase")]
    PostUpserted {
        /// The post as it is now.
        post: Post,
    },
    /// A new post arrived live in a channel this device reads and has not muted: one to
    /// announce (a notification when the window is not in front).
    #[serde(rename_all = "camelCase")]
    PostAnnounced {
        /// The channel's title.
        channel_title: String,
        /// The post.
        post: Post,
    },
    /// The call on this device changed: placed, ringing, answered.
    #[serde(rename_all = "camelCase")]
    CallChanged {
        /// The call.
        call: CallInfo,
        /// Where it stands.
        phase: Phase,
    },
    /// The call on this device ended.
    #[serde(rename_all = "camelCase")]
    CallEnded {
        /// The call.
        call: CallInfo,
        /// Why.
        reason: EndReason,
        /// How long it was connected, in milliseconds, if it was.
        duration_ms: Option<u64>,
    },
    /// Someone called while this device was in another call; they were told busy.
    #[serde(rename_all = "camelCase")]
    CallMissedWhileBusy {
        /// That call.
        call: CallInfo,
    },
}

impl From<CallEvent> for ClientEvent {
    fn from(event: CallEvent) -> Self {
        match event {
            CallEvent::Changed { call, phase } => ClientEvent::CallChanged { call, phase },
            CallEvent::Ended {
                call,
                reason,
                duration,
            } => ClientEvent::CallEnded {
                call,
                reason,
                duration_ms: duration.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            },
            CallEvent::MissedWhileBusy { call } => ClientEvent::CallMissedWhileBusy { call },
        }
    }
}
