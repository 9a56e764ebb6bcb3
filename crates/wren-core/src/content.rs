//! Message content, and the one seam where end-to-end encryption plugs in.
//!
//! A message's plaintext is a versioned [`MessageBody`]. Between the outbox and the wire it
//! passes through a [`PayloadCipher`]: today [`Plaintext`], which leaves it as it is; the
//! MLS cipher of the E2E issue replaces it without touching the store, the outbox or sync.

use serde::{Deserialize, Serialize};
use wren_proto::{AccountId, ChatId, Message, Update};

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

/// Turns plaintext payloads into what goes on the wire, and back.
pub trait PayloadCipher: Send + Sync + 'static {
    /// Encrypts a payload for a chat.
    fn seal(&self, chat: ChatId, plaintext: Vec<u8>) -> Result<Vec<u8>, CipherError>;
    /// Decrypts a payload received in a chat from a sender.
    fn open(&self, chat: ChatId, sender: AccountId, wire: Vec<u8>) -> Result<Vec<u8>, CipherError>;
}

/// A payload could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
#[error("cannot decrypt or encrypt message: {0}")]
pub struct CipherError(pub String);

/// The cipher used until end-to-end encryption lands: payloads travel as they are.
#[derive(Debug, Default, Clone, Copy)]
pub struct Plaintext;

impl PayloadCipher for Plaintext {
    fn seal(&self, _chat: ChatId, plaintext: Vec<u8>) -> Result<Vec<u8>, CipherError> {
        Ok(plaintext)
    }

    fn open(
        &self,
        _chat: ChatId,
        _sender: AccountId,
        wire: Vec<u8>,
    ) -> Result<Vec<u8>, CipherError> {
        Ok(wire)
    }
}

/// Replaces a received message's wire payload with its plaintext (an undecryptable one
/// becomes a readable placeholder, so one bad message never stops sync).
pub fn open_message(cipher: &dyn PayloadCipher, message: &mut Message) {
    if message.deleted {
        return;
    }
    let wire = std::mem::take(&mut message.payload);
    message.payload = match cipher.open(message.chat, message.sender, wire) {
        Ok(plain) => plain,
        Err(e) => {
            tracing::warn!(error = %e, chat = %message.chat, seq = %message.seq, "cannot open a message");
            encode_text("[this message could not be decrypted]")
        }
    };
}

/// Opens the payloads an update carries.
pub fn open_update(cipher: &dyn PayloadCipher, update: &mut Update) {
    match update {
        Update::NewMessage(message) => open_message(cipher, message),
        Update::MessageEdited { chat, payload, .. } => {
            // An edit event names no sender; an MLS ciphertext authenticates its sender
            // itself, so the cipher does not rely on this argument.
            let wire = std::mem::take(payload);
            *payload = cipher
                .open(*chat, AccountId(0), wire)
                .unwrap_or_else(|_| encode_text("[this message could not be decrypted]"));
        }
        _ => {}
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
