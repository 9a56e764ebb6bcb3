//! Message content: a message's plaintext is a versioned [`MessageBody`].
//!
//! On the wire the body travels inside an MLS application message of the chat's group
//! (see [`crate::e2e`]): sealed on the store thread just before it is sent, opened on the
//! store thread in the same transaction that stores the message. A plaintext body on the
//! wire is accepted only in a chat made before end-to-end encryption that has no group.

use serde::{Deserialize, Serialize};

const BODY_V1: u8 = 1;

/// What a user wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody {
    /// The text.
    pub text: String,
}

/// Encodes a text message as plaintext payload bytes.
pub fn encode_text(text: &str) -> Vec<u8> {
    let body = MessageBody { text: text.into() };
    let mut out = vec![BODY_V1];
    // Serializing a struct of one string into a Vec cannot fail.
    out.extend(postcard::to_stdvec(&body).unwrap_or_default());
    out
}

/// The text of plaintext payload bytes; something readable for anything undecodable.
pub fn text_of(payload: &[u8], deleted: bool) -> String {
    if deleted {
        return String::new();
    }
    match payload.split_first() {
        Some((&BODY_V1, rest)) => match postcard::from_bytes::<MessageBody>(rest) {
            Ok(body) => body.text,
            Err(_) => "[unreadable message]".into(),
        },
        _ => "[message from a newer version of Wren]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
