//! From a message payload to the text the store keeps: decrypted in the chat's MLS group,
//! recognized as this device's own (MLS does not let a sender decrypt its own messages),
//! or a readable line saying why it cannot be read.

use super::group::{self, GroupCache, OpenError};
use crate::content;
use crate::error::StoreError;
use ring::digest::{digest, SHA256};
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::rules::MLS_PAYLOAD_TAG;
use wren_proto::{ChatId, Seq};

/// How long a sealed payload whose echo never came is remembered.
const OWN_SEALED_KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// Remembers the plaintext body of a payload this device sealed, until its echo arrives.
pub(crate) fn remember(
    conn: &Connection,
    payload: &[u8],
    body: &[u8],
    now_ms: u64,
) -> Result<(), StoreError> {
    let now = now_ms as i64;
    conn.prepare_cached("DELETE FROM own_sealed WHERE created_at < ?1")?
        .execute([now - OWN_SEALED_KEEP_MS])?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO own_sealed (payload_hash, text, body, created_at)
         VALUES (?1, '', ?2, ?3)",
    )?
    .execute(params![hash(payload), body, now])?;
    Ok(())
}

/// A payload's text, or why it cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Opened {
    /// The text, or the reason it cannot be read.
    pub(crate) text: String,
    /// Whether `text` is the message's text.
    pub(crate) readable: bool,
    /// It was encrypted for the chat's group, which this device is not in.
    pub(crate) missing_group: bool,
    /// The message it replies to, as its (decrypted) body names it.
    pub(crate) reply_to: Option<Seq>,
    /// The call, for a call record.
    pub(crate) call: Option<content::CallRecord>,
    /// The text's entities.
    pub(crate) entities: Vec<content::Entity>,
    /// Where a forwarded message came from.
    pub(crate) forwarded: Option<content::ForwardedFrom>,
    /// For an action on another message: what it does.
    pub(crate) action: Option<content::Action>,
}

impl Opened {
    fn text(text: String) -> Self {
        Opened {
            text,
            readable: true,
            missing_group: false,
            reply_to: None,
            call: None,
            entities: Vec::new(),
            forwarded: None,
            action: None,
        }
    }

    fn body(plain: &[u8]) -> Self {
        let body = content::decode(plain);
        Opened {
            reply_to: body.reply_to,
            call: body.call,
            entities: body.entities,
            forwarded: body.forwarded,
            action: body.action,
            ..Opened::text(body.text)
        }
    }

    fn unreadable(error: &OpenError) -> Self {
        Opened {
            text: error.to_string(),
            readable: false,
            missing_group: matches!(error, OpenError::NotInGroup),
            ..Opened::text(String::new())
        }
    }

    /// A deleted message's (empty) text.
    pub(crate) fn deleted() -> Self {
        Opened::text(String::new())
    }
}

/// The text of a payload received in `chat` through the update log.
pub(crate) fn open_text(
    conn: &Connection,
    groups: &mut GroupCache,
    chat: ChatId,
    payload: &[u8],
) -> Result<Opened, StoreError> {
    let key = hash(payload);
    let own: Option<(String, Option<Vec<u8>>)> = conn
        .prepare_cached("DELETE FROM own_sealed WHERE payload_hash = ?1 RETURNING text, body")?
        .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match own {
        Some((_, Some(body))) => return Ok(Opened::body(&body)),
        Some((text, None)) => return Ok(Opened::text(text)),
        None => {}
    }
    Ok(match group::open(conn, groups, chat, payload) {
        Ok(plain) => Opened::body(&plain),
        Err(e) => {
            tracing::warn!(error = %e, %chat, "cannot decrypt a message");
            Opened::unreadable(&e)
        }
    })
}

/// The text of a payload fetched as history: an MLS message there was sent before this
/// device joined the group, or was already read from the update log.
pub(crate) fn history_text(payload: &[u8]) -> Opened {
    match payload.first() {
        Some(&MLS_PAYLOAD_TAG) => Opened::unreadable(&OpenError::NotInGroup),
        _ => Opened::body(payload),
    }
}

/// Whether a payload is an MLS message.
pub(crate) fn is_sealed(payload: &[u8]) -> bool {
    payload.first() == Some(&MLS_PAYLOAD_TAG)
}

fn hash(payload: &[u8]) -> Vec<u8> {
    digest(&SHA256, payload).as_ref().to_vec()
}
