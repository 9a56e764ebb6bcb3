//! The Wren wire protocol.
//!
//! Every frame that crosses a Wren WebSocket is a [`ClientFrame`] or a [`ServerFrame`],
//! encoded with [`codec`] as one binary WebSocket message. The first frame on every
//! connection is [`ClientFrame::Hello`]; the server answers [`ServerFrame::Welcome`] or,
//! for an unknown major version, [`ServerFrame::Fatal`] and closes.
//!
//! This crate does no IO: it is types, a codec and validation rules shared by the server
//! and the client engine. See `docs/PROTOCOL.md` for the prose version.

mod channel;
pub mod codec;
mod error;
mod frame;
mod ids;
pub mod media;
mod model;
mod plan;
mod request;
pub mod rules;
mod sponsored;
mod update;

pub use channel::{
    AdminChange, ChannelAdmin, ChannelInfo, ChannelPosts, ChannelPush, ChannelRole, DirectoryQuery,
    Invite, NewChannel, NewPost, Post,
};
pub use codec::{
    decode_client, decode_limited, decode_server, encode, encoded_len, DecodeError, EncodeError,
};
pub use error::{ErrorBody, ErrorCode};
pub use frame::{
    ClientFrame, Hello, RequestFrame, ServerFrame, Version, Welcome, PROTOCOL_VERSION,
};
pub use ids::{
    AccountId, CampaignId, ChannelId, ChatId, ClientMsgId, DeviceId, Pts, RequestId, Seq,
};
pub use media::MediaRelayInfo;
pub use model::{
    AccountInfo, CallSignalNotice, ChatInfo, ChatKind, ChatSettings, ClaimedKeyPackage, DeviceInfo,
    DeviceKey, Folder, GroupAdds, LastSeenVisibility, Member, Message, Presence, PresenceInfo,
    Privacy, Profile, Role, Session, TypingNotice,
};
pub use plan::{BusinessProfile, OpeningHours, PlanInfo, PlanKind, PlanLimits, QuickReply};
pub use request::{Difference, Request, Response};
pub use sponsored::{
    CampaignReport, ChannelEarnings, NewCampaign, SponsoredAction, SponsoredMessage,
    SponsoredTarget,
};
pub use update::{Update, UpdateEnvelope};
