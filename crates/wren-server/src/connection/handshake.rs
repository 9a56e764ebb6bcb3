//! The first frame of a connection, and the fatal errors for frames that cannot be read.

use axum::extract::ws::Message;
use wren_proto::codec::MAX_CLIENT_FRAME_BYTES;
use wren_proto::rules::MAX_CLIENT_NAME_BYTES;
use wren_proto::{
    decode_client, ClientFrame, DecodeError, ErrorBody, ErrorCode, Welcome, PROTOCOL_VERSION,
};

/// Checks the first frame: a `Hello` with our major version.
pub(super) fn handshake(message: Message) -> Result<Welcome, ErrorBody> {
    let Message::Binary(bytes) = message else {
        return Err(ErrorBody::new(
            ErrorCode::HandshakeRequired,
            "the first frame must be a binary Hello",
        ));
    };
    match decode_client(&bytes) {
        Ok(ClientFrame::Hello(hello)) if hello.client.len() > MAX_CLIENT_NAME_BYTES => {
            Err(ErrorBody::new(
                ErrorCode::MalformedFrame,
                format!("the client name has at most {MAX_CLIENT_NAME_BYTES} bytes"),
            ))
        }
        Ok(ClientFrame::Hello(hello)) if hello.version.major == PROTOCOL_VERSION.major => {
            tracing::debug!(client = %hello.client, "handshake");
            Ok(Welcome {
                version: PROTOCOL_VERSION,
                server: concat!("wren-server/", env!("CARGO_PKG_VERSION")).to_owned(),
                max_frame_bytes: u32::try_from(MAX_CLIENT_FRAME_BYTES).unwrap_or(u32::MAX),
            })
        }
        Ok(ClientFrame::Hello(hello)) => Err(ErrorBody::new(
            ErrorCode::UnsupportedVersion,
            format!(
                "server speaks {}.x, client {}.x",
                PROTOCOL_VERSION.major, hello.version.major
            ),
        )),
        Ok(ClientFrame::Request(_)) => Err(ErrorBody::new(
            ErrorCode::HandshakeRequired,
            "the first frame must be Hello",
        )),
        Err(e) => Err(decode_error(&e)),
    }
}

/// The fatal error for a frame that does not decode.
pub(super) fn decode_error(e: &DecodeError) -> ErrorBody {
    let code = match e {
        DecodeError::TooLarge { .. } => ErrorCode::TooLarge,
        _ => ErrorCode::MalformedFrame,
    };
    ErrorBody::new(code, e.to_string())
}

/// The fatal error for a message the WebSocket layer refused as too large.
pub(super) fn oversize() -> ErrorBody {
    ErrorBody::new(
        ErrorCode::TooLarge,
        format!("frame exceeds the limit of {MAX_CLIENT_FRAME_BYTES} bytes"),
    )
}

/// Whether a read error means the peer sent a message over the transport limit.
pub(super) fn is_oversize(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(tungstenite::Error::Capacity(_)) = err.downcast_ref::<tungstenite::Error>() {
            return true;
        }
        source = err.source();
    }
    false
}
