//! Message content: a message's plaintext is a versioned [`MessageBody`].
//!
//! On the wire the body travels inside an MLS application message of the chat's group
//! (see [`crate::e2e`]): sealed on the store thread just before it is sent, opened on the
//! store thread in the same transaction that stores the message. A plaintext body on the
//! wire is accepted only in a chat made before end-to-end encryption that has no group.

pub mod entities;
pub mod markdown;

pub use entities::{Entity, EntityError, EntityKind};
use serde::{Deserialize, Serialize};
use wren_proto::Seq;

const BODY_V1: u8 = 1;
const BODY_V2: u8 = 2;
const BODY_V3: u8 = 3;
const BODY_V4: u8 = 4;

/// How many different emojis one person may react with on one message.
pub const MAX_REACTIONS_PER_USER: usize = 3;
/// A reaction has at most this many bytes (the longest emoji sequences have about 35).
const MAX_EMOJI_BYTES: usize = 64;

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

/// Where a forwarded message came from, as the forwarding device knew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForwardedFrom {
    /// The original sender's name.
    pub name: String,
    /// When the original was sent (ms since the epoch).
    pub sent_at: u64,
}

/// A text message of version 4: text, entities, reply and origin, all inside the
/// encryption.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichText {
    /// The text, without the marks that made its entities.
    pub text: String,
    /// Formatting and recognized spans (UTF-16 offsets, see [`entities`]).
    pub entities: Vec<Entity>,
    /// The message it replies to.
    pub reply_to: Option<Seq>,
    /// For a forwarded message: where it came from.
    pub forwarded: Option<ForwardedFrom>,
}

/// Something a message does to another message of its chat, instead of being shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Adds (`add`) or takes back the sender's `emoji` reaction to `target`.
    React {
        /// The message reacted to.
        target: Seq,
        /// The emoji.
        emoji: String,
        /// Add, or take back.
        add: bool,
    },
    /// Pins or unpins `target` for everyone in the chat.
    Pin {
        /// The message.
        target: Seq,
        /// Pin, or unpin.
        pinned: bool,
    },
}

/// Message content of version 4.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum BodyV4 {
    /// Text with entities.
    Text(RichText),
    /// An action on another message.
    Action(Action),
}

/// A decoded message body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// The text, or a readable line for a body this version cannot read (for a call: its
    /// summary; for an action: empty).
    pub text: String,
    /// The message it replies to, when the body names one.
    pub reply_to: Option<Seq>,
    /// The call, for a call record.
    pub call: Option<CallRecord>,
    /// The text's entities, checked ([`entities::sanitize`]).
    pub entities: Vec<Entity>,
    /// Where a forwarded message came from.
    pub forwarded: Option<ForwardedFrom>,
    /// For an action: what it does (it is not shown as a message).
    pub action: Option<Action>,
}

/// Whether `emoji` can be a reaction: one grapheme, not plain ASCII text, no control or
/// space characters, at most 64 bytes.
pub fn is_reaction_emoji(emoji: &str) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    !emoji.is_empty()
        && emoji.len() <= MAX_EMOJI_BYTES
        && emoji.graphemes(true).count() == 1
        && emoji.chars().any(|c| u32::from(c) >= 0xA9)
        && !emoji.chars().any(|c| {
            c.is_control() || c.is_whitespace() || c.is_alphabetic() || entities::is_bidi_control(c)
        })
}

/// How to read what a person typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown-style marks become entities ([`markdown::parse`]).
    Markdown,
    /// The text as it is; only links, mentions and hashtags are recognized.
    Plain,
}

/// A text message from what a person typed (trailing white space dropped).
pub fn compose(input: &str, format: Format) -> RichText {
    let input = input.trim_end();
    let (text, entities) = match format {
        Format::Markdown => markdown::parse(input),
        Format::Plain => (input.to_owned(), markdown::detect(input)),
    };
    RichText {
        text,
        entities,
        ..RichText::default()
    }
}

/// Encodes a text message (version 4).
pub fn encode_rich(body: &RichText) -> Vec<u8> {
    encode_v4(&BodyV4::Text(body.clone()))
}

/// Encodes an action (version 4).
pub fn encode_action(action: &Action) -> Vec<u8> {
    encode_v4(&BodyV4::Action(action.clone()))
}

fn encode_v4(body: &BodyV4) -> Vec<u8> {
    let mut out = vec![BODY_V4];
    // Strings, integers and options always serialize into a Vec.
    out.extend(postcard::to_stdvec(body).unwrap_or_default());
    out
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
        ..Decoded::default()
    };
    match payload.split_first() {
        Some((&BODY_V1, rest)) => match postcard::from_bytes::<MessageBody>(rest) {
            Ok(body) => Decoded {
                entities: markdown::detect(&body.text),
                text: body.text,
                ..Decoded::default()
            },
            Err(_) => unreadable("[unreadable message]"),
        },
        Some((&BODY_V2, rest)) => match postcard::from_bytes::<MessageBodyV2>(rest) {
            Ok(body) => Decoded {
                entities: markdown::detect(&body.text),
                text: body.text,
                reply_to: body.reply_to.map(Seq),
                ..Decoded::default()
            },
            Err(_) => unreadable("[unreadable message]"),
        },
        Some((&BODY_V3, rest)) => match postcard::from_bytes::<BodyV3>(rest) {
            Ok(BodyV3::Call(record)) => Decoded {
                text: record.summary(),
                call: Some(record),
                ..Decoded::default()
            },
            Err(_) => unreadable("[message from a newer version of Wren]"),
        },
        Some((&BODY_V4, rest)) => match postcard::from_bytes::<BodyV4>(rest) {
            Ok(BodyV4::Text(body)) => Decoded {
                entities: entities::sanitize(&body.text, body.entities),
                text: body.text,
                reply_to: body.reply_to,
                forwarded: body.forwarded,
                ..Decoded::default()
            },
            Ok(BodyV4::Action(action)) => Decoded {
                action: Some(action),
                ..Decoded::default()
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
    fn rich_text_round_trips_with_entities_reply_and_origin() {
        let (text, entities) = markdown::parse("**مرحبا** 👍 see https://wren.example");
        let body = RichText {
            text,
            entities,
            reply_to: Some(Seq(7)),
            forwarded: Some(ForwardedFrom {
                name: "alice".into(),
                sent_at: 1_700_000_000_000,
            }),
        };
        let decoded = decode(&encode_rich(&body));
        assert_eq!(decoded.text, body.text);
        assert_eq!(decoded.entities, body.entities);
        assert_eq!(decoded.entities.len(), 2);
        assert_eq!(decoded.reply_to, Some(Seq(7)));
        assert_eq!(decoded.forwarded, body.forwarded);
        assert_eq!(decoded.action, None);
    }

    #[test]
    fn invalid_entities_from_a_sender_are_dropped_on_arrival() {
        let body = RichText {
            text: "abc".into(),
            entities: vec![
                Entity::plain(EntityKind::Bold, 0, 3),
                Entity::plain(EntityKind::Italic, 2, 9),
                Entity {
                    url: Some("javascript:alert(1)".into()),
                    ..Entity::plain(EntityKind::TextLink, 0, 1)
                },
            ],
            ..RichText::default()
        };
        assert_eq!(
            decode(&encode_rich(&body)).entities,
            vec![Entity::plain(EntityKind::Bold, 0, 3)]
        );
    }

    #[test]
    fn actions_round_trip_and_are_not_text() {
        for action in [
            Action::React {
                target: Seq(3),
                emoji: "👍🏽".into(),
                add: true,
            },
            Action::Pin {
                target: Seq(9),
                pinned: false,
            },
        ] {
            let decoded = decode(&encode_action(&action));
            assert_eq!(decoded.action, Some(action));
            assert_eq!(decoded.text, "");
        }
    }

    #[test]
    fn reactions_are_single_emojis() {
        for ok in ["👍", "👍🏽", "❤️", "👨‍👩‍👧‍👦", "🇸🇦", "1️⃣", "©️"]
        {
            assert!(is_reaction_emoji(ok), "{ok}");
        }
        for bad in [
            "",
            "ok",
            "👍👍",
            "a",
            "👍 ",
            "\u{202e}",
            "ب",
            "é",
            &"👍".repeat(20),
        ] {
            assert!(!is_reaction_emoji(bad), "{bad:?}");
        }
    }

    #[test]
    fn old_bodies_get_their_links_recognized() {
        let decoded = decode(&encode_body("see https://wren.example", None));
        assert_eq!(
            decoded.entities,
            vec![Entity::plain(EntityKind::Url, 4, 20)]
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
