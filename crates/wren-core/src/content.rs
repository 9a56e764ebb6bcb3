//! Message content: a message's plaintext is a versioned [`MessageBody`].
//!
//! On the wire the body travels inside an MLS application message of the chat's group
//! (see [`crate::e2e`]): sealed on the store thread just before it is sent, opened on the
//! store thread in the same transaction that stores the message. A plaintext body on the
//! wire is accepted only in a chat made before end-to-end encryption that has no group.

use serde::{Deserialize, Serialize};
use wren_proto::Seq;

const BODY_V1: u8 = 1;
const BODY_V2: u8 = 2;

/// What a user wrote (version 1: text only; chats from before end-to-end encryption).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody {
    /// The text.
    pub text: String,
}

/// What a user wrote (version 2): the text and the message it replies to, both inside the
/// encryption, so the server learns neither.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct MessageBodyV2 {
    text: String,
    reply_to: Option<u64>,
}

/// A decoded message body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, or a readable line for a body this version cannot read.
    pub text: String,
    /// The message it replies to, when the body names one.
    pub reply_to: Option<Seq>,
}

/// Encodes a text message (version 1) as plaintext payload bytes.
pub fn encode_text(text: &str) -> Vec<u8> {
    let body = MessageBody { text: text.into() };
    let mut out = vec![BODY_V1];
    // Serializing a struct of one string into a Vec cannot fail.
    out.extend(postcard::to_stdvec(&body).unwrap_or_default());
    out
}

/// Encodes a message (version 2): its text and the message it replies to.
pub fn encode_body(text: &str, reply_to: Option<Seq>) -> Vec<u8> {
    let body = MessageBodyV2 {
        text: text.into(),
        reply_to: reply_to.map(|s| s.0),
    };
    let mut out = vec![BODY_V2];
    // Serializing a string and an integer into a Vec cannot fail.
    out.extend(postcard::to_stdvec(&body).unwrap_or_default());
    out
}

/// Decodes a plaintext body of any version; something readable for anything undecodable.
pub fn decode(payload: &[u8]) -> Decoded {
    let unreadable = |text: &str| Decoded {
        text: text.into(),
        reply_to: None,
    };
    match payload.split_first() {
        Some((&BODY_V1, rest)) => match postcard::from_bytes::<MessageBody>(rest) {
            Ok(body) => Decoded {
                text: body.text,
                reply_to: None,
            },
            Err(_) => unreadable("[unreadable message]"),
        },
        Some((&BODY_V2, rest)) => match postcard::from_bytes::<MessageBodyV2>(rest) {
            Ok(body) => Decoded {
                text: body.text,
                reply_to: body.reply_to.map(Seq),
            },
            Err(_) => unreadable("[unreadable message]"),
        },
        _ => unreadable("[message from a newer version of Wren]"),
    }
}

/// The text of plaintext payload bytes; something readable for anything undecodable.
pub fn text_of(payload: &[u8], deleted: bool) -> String {
    if deleted {
        return String::new();
    }
    decode(payload).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_travels_inside_the_body() {
        let body = decode(&encode_body("yes", Some(Seq(41))));
        assert_eq!(body.text, "yes");
        assert_eq!(body.reply_to, Some(Seq(41)));
        assert_eq!(decode(&encode_body("no", None)).reply_to, None);
        assert_eq!(decode(&encode_text("old")).text, "old");
    }

    #[test]
    fn text_round_trips_and_garbage_is_readable() {
        assert_eq!(text_of(&encode_text("مرحبا hello"), false), "مرحبا hello");
        assert_eq!(text_of(&encode_text("x"), true), "");
        assert_eq!(text_of(&[1, 200], false), "[unreadable message]");
        assert_eq!(
            text_of(&[9, 1], false),
            "[message from a newer version of Wren]"
        );
    }
}
