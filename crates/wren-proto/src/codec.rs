//! The binary encoding: one frame per WebSocket binary message, serialized with postcard.
//!
//! postcard is a compact, documented, stable serde format (varint integers, length-prefixed
//! bytes, enum variants by index). Decoding checks the size limit before looking at the
//! bytes, refuses trailing garbage, and never panics: lengths are checked against the input
//! before anything is allocated.

use crate::{ClientFrame, ServerFrame};
use serde::{de::DeserializeOwned, Serialize};

/// The largest frame a client may send: big enough for a message at
/// [`crate::rules::MAX_PAYLOAD_BYTES`] plus its envelope.
pub const MAX_CLIENT_FRAME_BYTES: usize = 512 * 1024;

/// The largest frame a server sends; history and difference pages are cut to fit.
pub const MAX_SERVER_FRAME_BYTES: usize = 8 * 1024 * 1024;

/// A frame could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The frame is larger than the receiver accepts.
    #[error("frame of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// The frame's length.
        len: usize,
        /// The receiver's limit.
        max: usize,
    },
    /// The bytes are not a valid frame.
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// A valid frame was followed by extra bytes.
    #[error("malformed frame: {0} unexpected bytes after the frame")]
    TrailingBytes(usize),
}

/// A frame could not be encoded (only possible for frames over the size limit).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// The serializer failed.
    #[error("cannot encode frame: {0}")]
    Serialize(String),
}

/// Encodes any frame (or part of one) to bytes.
pub fn encode<T: Serialize>(frame: &T) -> Result<Vec<u8>, EncodeError> {
    postcard::to_stdvec(frame).map_err(|e| EncodeError::Serialize(e.to_string()))
}

/// The encoded size of a value, without allocating the encoding.
pub fn encoded_len<T: Serialize>(value: &T) -> Result<usize, EncodeError> {
    postcard::experimental::serialized_size(value)
        .map_err(|e| EncodeError::Serialize(e.to_string()))
}

/// Decodes a frame sent by a client, as the server does.
pub fn decode_client(bytes: &[u8]) -> Result<ClientFrame, DecodeError> {
    decode_limited(bytes, MAX_CLIENT_FRAME_BYTES)
}

/// Decodes a frame sent by a server, as the client does.
pub fn decode_server(bytes: &[u8]) -> Result<ServerFrame, DecodeError> {
    decode_limited(bytes, MAX_SERVER_FRAME_BYTES)
}

/// Decodes any value [`encode`] made (a stored one), at most `max` bytes long.
pub fn decode_limited<T: DeserializeOwned>(bytes: &[u8], max: usize) -> Result<T, DecodeError> {
    if bytes.len() > max {
        return Err(DecodeError::TooLarge {
            len: bytes.len(),
            max,
        });
    }
    let (value, rest) =
        postcard::take_from_bytes::<T>(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(DecodeError::TrailingBytes(rest.len()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChatId, ClientMsgId, Hello, Request, RequestFrame, RequestId, PROTOCOL_VERSION};
    use proptest::prelude::*;

    fn hello() -> ClientFrame {
        ClientFrame::Hello(Hello {
            version: PROTOCOL_VERSION,
            client: "t".into(),
        })
    }

    #[test]
    fn hello_bytes_are_stable() {
        // variant 0 (Hello), major 3, minor 0, string of length 1 "t"
        assert_eq!(encode(&hello()).expect("encode"), vec![0, 3, 0, 1, b't']);
    }

    #[test]
    fn key_package_requests_come_after_every_older_variant() {
        // Appended variants keep the older indices: GetPrivacy is still 24.
        assert_eq!(encode(&Request::GetPrivacy).expect("encode"), vec![24]);
        assert_eq!(
            encode(&Request::GetKeyPackageCount).expect("encode"),
            vec![28]
        );
        // The delivery service's requests (2.2) come after the key directory's.
        assert_eq!(
            encode(&Request::GetGroupInfo { chat: ChatId(1) }).expect("encode"),
            vec![31, 1]
        );
        // Sealed titles (2.3) after them, then channels (2.4).
        assert_eq!(
            encode(&Request::GetSealedTitle { chat: ChatId(1) }).expect("encode"),
            vec![33, 1]
        );
        assert_eq!(encode(&Request::MyChannels).expect("encode"), vec![40]);
        let upload = Request::UploadKeyPackages {
            packages: vec![vec![1, 2], vec![3]],
            last_resort: Some(vec![9]),
        };
        assert_eq!(
            encode(&upload).expect("encode"),
            vec![26, 2, 2, 1, 2, 1, 3, 1, 1, 9]
        );
        let frame = ClientFrame::Request(RequestFrame {
            id: RequestId(1),
            body: upload,
        });
        let bytes = encode(&frame).expect("encode");
        assert_eq!(decode_client(&bytes).expect("decode"), frame);
    }

    #[test]
    fn client_frames_round_trip() {
        let frame = ClientFrame::Request(RequestFrame {
            id: RequestId(7),
            body: Request::SendMessage {
                chat: ChatId(3),
                client_msg_id: ClientMsgId(u64::MAX),
                payload: vec![1, 2, 3],
                reply_to: None,
            },
        });
        let bytes = encode(&frame).expect("encode");
        assert_eq!(decode_client(&bytes).expect("decode"), frame);
    }

    #[test]
    fn oversize_frames_are_refused_before_decoding() {
        let bytes = vec![0u8; MAX_CLIENT_FRAME_BYTES + 1];
        assert_eq!(
            decode_client(&bytes),
            Err(DecodeError::TooLarge {
                len: MAX_CLIENT_FRAME_BYTES + 1,
                max: MAX_CLIENT_FRAME_BYTES
            })
        );
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut bytes = encode(&hello()).expect("encode");
        bytes.push(0);
        assert_eq!(decode_client(&bytes), Err(DecodeError::TrailingBytes(1)));
    }

    #[test]
    fn a_huge_length_prefix_is_an_error_not_an_allocation() {
        // Request frame, id 1, SendMessage, chat 1, client id 1, payload length ~2^63.
        let bytes = [
            1, 1, 16, 1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        ];
        assert!(matches!(
            decode_client(&bytes),
            Err(DecodeError::Malformed(_))
        ));
    }

    proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_client(&bytes);
            let _ = decode_server(&bytes);
        }

        #[test]
        fn decoding_mutated_valid_frames_never_panics(
            text in ".{0,40}",
            flip in any::<usize>(),
            value in any::<u8>(),
        ) {
            let frame = ClientFrame::Request(RequestFrame {
                id: RequestId(1),
                body: Request::Register { username: text.clone(), password: text, device_name: "d".into() },
            });
            let mut bytes = encode(&frame).expect("encode");
            let at = flip % bytes.len();
            bytes[at] = value;
            let _ = decode_client(&bytes);
        }
    }
}
