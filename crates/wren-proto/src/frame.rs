//! The top-level frames, one per WebSocket binary message.

use crate::{ErrorBody, Request, RequestId, Response, TypingNotice, UpdateEnvelope};
use serde::{Deserialize, Serialize};

/// A protocol version. Peers with different `major` versions cannot talk; `minor`
/// versions only add things an older peer may ignore.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Incompatible changes bump this.
    pub major: u16,
    /// Compatible additions bump this.
    pub minor: u16,
}

/// The version this build speaks.
pub const PROTOCOL_VERSION: Version = Version { major: 3, minor: 0 };

/// The first frame a client sends on every connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The protocol version the client speaks.
    pub version: Version,
    /// A free-form client name such as `wren-cli/0.1.0`, for logs.
    pub client: String,
}

/// The server's answer to a compatible [`Hello`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    /// The protocol version the server speaks.
    pub version: Version,
    /// A free-form server name such as `wren-server/0.1.0`.
    pub server: String,
    /// The largest frame the server accepts from this client, in bytes.
    pub max_frame_bytes: u32,
}

/// A request with the id its response will carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestFrame {
    /// Chosen by the client, unique among its requests in flight.
    pub id: RequestId,
    /// What is asked.
    pub body: Request,
}

/// Frames a client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ClientFrame {
    /// The version handshake; must be the first frame.
    Hello(Hello),
    /// Any request after the handshake.
    Request(RequestFrame),
}

/// Frames a server sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ServerFrame {
    /// Handshake accepted.
    Welcome(Welcome),
    /// The answer to the request with this id.
    Response {
        /// The id of the request this answers.
        id: RequestId,
        /// The outcome.
        result: Result<Response, ErrorBody>,
    },
    /// A live update from the account's update log.
    Update(UpdateEnvelope),
    /// Someone is typing in a chat; ephemeral, never stored, not in the update log.
    Typing(TypingNotice),
    /// A connection-level error; the server closes the connection after sending it.
    Fatal(ErrorBody),
    /// A channel the account is in changed (a post, an edit, a delete); not in the
    /// account's update log: a subscriber that misses one pulls the channel's difference.
    ChannelPush(crate::ChannelPush),
    /// A call signal from another device of a chat's members; ephemeral, never stored.
    CallSignal(crate::CallSignalNotice),
    /// Someone who shares a chat with the account came online or went offline, as the
    /// account may know it; ephemeral, never stored (ask `GetPresence` after a reconnect).
    Presence(crate::PresenceInfo),
}
