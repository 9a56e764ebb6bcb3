//! Typed error codes carried in responses and fatal frames.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong, in a form a program can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorCode {
    /// The request was well-formed but its arguments are not acceptable.
    BadRequest,
    /// The connection is not signed in, the credentials are wrong, or the token was revoked.
    Unauthorized,
    /// The account is signed in but may not do this (not a member, not an admin, ...).
    Forbidden,
    /// The named user, chat or message does not exist (or is not visible to the caller).
    NotFound,
    /// The request conflicts with existing state (for example a username already taken).
    Conflict,
    /// Too many attempts; try again after `retry_after_ms`.
    RateLimited,
    /// A frame or a payload is larger than the protocol allows.
    TooLarge,
    /// The bytes received are not a valid frame.
    MalformedFrame,
    /// The peer speaks a protocol major version this side does not.
    UnsupportedVersion,
    /// A request arrived before the `Hello` handshake.
    HandshakeRequired,
    /// A group would exceed its member limit.
    TooManyMembers,
    /// The server is shutting down; reconnect later.
    ShuttingDown,
    /// The server failed; details are in its logs, never in the response.
    Internal,
    /// The account asked for (to add to a group) does not allow it in its privacy settings.
    PrivacyRestricted,
    /// An MLS message was made in an epoch of the chat's group that is over: fetch the
    /// newer commits, apply them and try again.
    StaleEpoch,
}

impl ErrorCode {
    /// A stable lower-case name, used in logs, metrics and CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::MalformedFrame => "malformed_frame",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::HandshakeRequired => "handshake_required",
            ErrorCode::TooManyMembers => "too_many_members",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::Internal => "internal",
            ErrorCode::PrivacyRestricted => "privacy_restricted",
            ErrorCode::StaleEpoch => "stale_epoch",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as it travels on the wire: a code for programs, a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ErrorBody {
    /// The machine-readable kind of error.
    pub code: ErrorCode,
    /// A human-readable explanation; never contains internal details.
    pub message: String,
    /// For [`ErrorCode::RateLimited`]: how long to wait before trying again.
    pub retry_after_ms: Option<u64>,
}

impl ErrorBody {
    /// An error with a code and a message and no retry hint.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            retry_after_ms: None,
        }
    }
}
