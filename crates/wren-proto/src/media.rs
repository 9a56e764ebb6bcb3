//! The media relay: how a device joins a call's room on the server's QUIC endpoint (or,
//! where UDP is blocked, on a WebSocket at `/media`: the same join and answer as binary
//! messages, then one binary message per datagram).
//!
//! A device asks the server for the relay (`GetMediaRelay`: its UDP port and the SHA-256
//! of its certificate, which the device pins), connects with QUIC (ALPN [`MEDIA_ALPN`]),
//! and sends a [`RelayJoin`] on its first bidirectional stream. The relay answers one byte
//! ([`JOINED`], or an error code byte followed by a reason) and from then on forwards
//! every datagram of the connection, unread, to the other devices in the same room: the
//! call's devices, which encrypt their media end to end (SFrame).

use crate::ChatId;
use serde::{Deserialize, Serialize};

/// The ALPN protocol of the media relay.
pub const MEDIA_ALPN: &[u8] = b"wren-media/1";

/// The relay's answer to a join it accepted.
pub const JOINED: u8 = 0;

/// The largest join request the relay reads.
pub const MAX_JOIN_BYTES: usize = 1024;

/// Where a device's relay connection belongs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayJoin {
    /// The device's session token (as for `Resume`).
    pub token: String,
    /// The call's chat; the device's account must be a member.
    pub chat: ChatId,
    /// The call's id: the room within the chat.
    pub call: u64,
}

/// Where the media relay listens, and the certificate to pin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRelayInfo {
    /// Its UDP port, on the server's host.
    pub port: u16,
    /// The SHA-256 of its (self-signed) certificate.
    #[serde(with = "serde_bytes")]
    pub cert_sha256: Vec<u8>,
}
