//! The Wren client engine.
//!
//! [`Client`] is everything a front end (the desktop app, the CLI, tests) needs: it owns the
//! profile's encrypted SQLCipher store, keeps one WebSocket to the server, applies the
//! account's updates in order and exactly once, and delivers what the user sends through
//! a persistent outbox. It knows nothing of Tauri or of any UI.
//!
//! The protocol logic lives in state machines without IO — [`sync::SyncEngine`] and
//! [`outbox::Outbox`] — driven by one tokio task per connection.

mod backoff;
mod business;
pub mod calls;
mod client;
mod connection;
pub mod content;
pub mod e2e;
mod error;
pub mod events;
mod keychain;
pub mod model;
pub mod outbox;
pub mod profile;
mod store;
pub mod sync;

pub use backoff::Backoff;
pub use client::{Client, ClientOptions, MUTED_FOR_EVER};
pub use connection::transport::{websocket_url, CA_FILE_VARIABLE};
pub use error::{CoreError, KeyError, StoreError};
pub use events::{ClientEvent, ConnectionState};
pub use model::{
    Account, ChatSummary, DeliveryState, MemberView, MessageView, PresenceOf, PresenceView,
    ReactionView, SearchHit,
};
pub use wren_proto::{
    AccountId, BusinessProfile, CampaignId, CampaignReport, ChannelAdmin, ChannelEarnings,
    ChannelId, ChannelInfo, ChannelRole, ChatId, ChatKind, ClaimedKeyPackage, DeviceId, DeviceInfo,
    DeviceKey, DirectoryQuery, Folder, GroupAdds, Invite, LastSeenVisibility, NewCampaign,
    NewChannel, OpeningHours, PlanInfo, PlanKind, PlanLimits, Post, Privacy, QuickReply, Role, Seq,
    SponsoredAction, SponsoredMessage, SponsoredTarget,
};
