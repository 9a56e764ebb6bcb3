//! AEAD keys a chat's MLS group exports for its current epoch (RFC 9420 §8.5), one per
//! purpose (label), bound to the chat; for small things sealed outside MLS messages (a
//! group's title, call signals) that every device in the group in that epoch opens.

use super::{group, E2eError};
use ring::aead::{LessSafeKey, UnboundKey, AES_128_GCM};
use rusqlite::Connection;
use wren_proto::ChatId;

const KEY_BYTES: usize = 16;

/// The chat's group's current epoch and its AES-128-GCM key for `label`, or `None` while
/// this device is not in the group.
pub(crate) fn aead_key(
    conn: &Connection,
    chat: ChatId,
    label: &str,
) -> Result<Option<(u64, LessSafeKey)>, E2eError> {
    let Some((epoch, secret)) =
        group::export_secret(conn, chat, label, &chat.0.to_be_bytes(), KEY_BYTES)?
    else {
        return Ok(None);
    };
    let key = UnboundKey::new(&AES_128_GCM, &secret)
        .map_err(|_| E2eError::Group("an exported key has a wrong length".into()))?;
    Ok(Some((epoch, LessSafeKey::new(key))))
}
