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
const BODY_V3: u8 = 3;

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

/// How a call went, as the caller's device records it in the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CallOutcome {
    /// Answered and talked.
    Answered,
    /// Nobody answered: the caller gave up, or it rang out.
    Missed,
    /// The callee declined.
    Declined,
    /// The callee was in another call.
    Busy,
}

/// A call, as a message of its chat's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// With video.
    pub video: bool,
    /// How it went.
    pub outcome: CallOutcome,
    /// How long it was answered, in seconds.
    pub duration_s: u32,
}

impl CallRecord {
    /// A line for search and notifications (the app shows the record itself).
    pub fn summary(&self) -> String {
        let kind = if self.video { "Video call" } else { "Call" };
        match self.outcome {
            CallOutcome::Answered => format!(
                "{kind} · {}:{:02}",
                self.duration_s / 60,
                self.duration_s % 60
            ),
            CallOutcome::Missed => format!("Missed {}", kind.to_lowercase()),
            CallOutcome::Declined => format!("Declined {}", kind.to_lowercase()),
            CallOutcome::Busy => format!("{kind} · busy"),
        }
    }
}

/// Message content of version 3: kinds beyond text, each inside the encryption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum BodyV3 {
    /// A call in the chat.
    Call(CallRecord),
}

/// A decoded message body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, or a readable line for a body this version cannot read (for a call: its
    /// summary).
    pub text: String,
    /// The message it replies to, when the body names one.
    pub reply_to: Option<Seq>,
    /// The call, for a call record.
    pub call: Option<CallRecord>,
}

/// Encodes a call record (version 3).
pub fn encode_call(record: &CallRecord) -> Vec<u8> {
    let mut out = vec![BODY_V3];
    // An enum of integers and booleans always serializes.
    out.extend(postcard::to_stdvec(&BodyV3::Call(*record)).unwrap_or_default());
    out
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
        call: None,
    };
    match payload.split_first() {
        Some((&BODY_V1, rest)) => match postcard::from_bytes::<MessageBody>(rest) {
            Ok(body) => Decoded {
                text: body.text,
                reply_to: None,
                call: None,
            },
            Err(_) => unreadable("[unreadable message]"),
        },
        Some((&BODY_V2, rest)) => match postcard::from_bytes::<MessageBodyV2>(rest) {
            Ok(body) => Decoded {
                text: body.text,
                reply_to: body.reply_to.map(Seq),
                call: None,
            },
            Err(_) => unreadable("[unreadable message]"),
        },
        Some((&BODY_V3, rest)) => match postcard::from_bytes::<BodyV3>(rest) {
            Ok(BodyV3::Call(record)) => Decoded {
                text: record.summary(),
                reply_to: None,
                call: Some(record),
            },
            Err(_) => unreadable("[message from a newer version of Wren]"),
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
    fn a_call_record_round_trips_with_a_summary() {
        let record = CallRecord {
            video: true,
            outcome: CallOutcome::Answered,
            duration_s: 133,
        };
        let body = decode(&encode_call(&record));
        assert_eq!(body.call, Some(record));
        assert_eq!(body.text, "Video call · 2:13");
        let missed = CallRecord {
            video: false,
            outcome: CallOutcome::Missed,
            duration_s: 0,
        };
        assert_eq!(decode(&encode_call(&missed)).text, "Missed call");
        // A kind of a later version reads as such, not as garbage.
        assert_eq!(
            decode(&[BODY_V3, 9]).text,
            "[message from a newer version of Wren]"
        );
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
