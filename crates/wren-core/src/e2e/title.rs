//! Group titles sealed for the chat's MLS group, so that the server never reads them.
//!
//! A title is sealed with AES-128-GCM (the ciphersuite's AEAD) under a key the group
//! exports for its current epoch (RFC 9420 §8.5: label `wren group title`, the chat id as
//! context), with a random nonce and the chat and epoch as associated data. It is padded
//! to a multiple of 32 bytes, so its ciphertext shows its length only roughly. Any device
//! in the group in that epoch can open it; an admin's device seals it again after each
//! commit, so that devices that join later read it too.

use super::E2eError;
use ring::aead::{Aad, LessSafeKey, Nonce, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::Connection;
use wren_proto::rules::validate_title;
use wren_proto::ChatId;

const LABEL: &str = "wren group title";
const VERSION: u8 = 1;
const PAD_TO: usize = 32;

/// Seals `title` in the chat's group's current epoch: that epoch and the sealed bytes, or
/// `None` while this device is not in the group.
pub(crate) fn seal(
    conn: &Connection,
    chat: ChatId,
    title: &str,
) -> Result<Option<(u64, Vec<u8>)>, E2eError> {
    let Some((epoch, key)) = exported_key(conn, chat)? else {
        return Ok(None);
    };
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| E2eError::Create("no randomness for a title's nonce".into()))?;
    let mut sealed = padded(title);
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(associated_data(chat, epoch)),
        &mut sealed,
    )
    .map_err(|_| E2eError::Group("cannot seal the group's title".into()))?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(Some((epoch, out)))
}

/// Opens a title sealed in `epoch`: `None` while this device's group is in another epoch
/// (or it has none); an error for bytes that are not a title sealed for this chat then.
pub(crate) fn open(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    sealed: &[u8],
) -> Result<Option<String>, E2eError> {
    let Some((current, key)) = exported_key(conn, chat)? else {
        tracing::debug!(%chat, epoch, "a sealed title kept until this device is in the group");
        return Ok(None);
    };
    if current != epoch {
        return Ok(None);
    }
    let refused = |why: &str| E2eError::Group(format!("the group's sealed title {why}"));
    let (&version, rest) = sealed.split_first().ok_or_else(|| refused("is empty"))?;
    if version != VERSION || rest.len() < NONCE_LEN {
        return Err(refused("has an unknown format"));
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| refused("has no nonce"))?;
    let mut buffer = ciphertext.to_vec();
    let plain = key
        .open_in_place(nonce, Aad::from(associated_data(chat, epoch)), &mut buffer)
        .map_err(|_| refused("does not decrypt: altered, or sealed for another group"))?;
    let text = unpadded(plain).ok_or_else(|| refused("is badly padded"))?;
    let text = std::str::from_utf8(text).map_err(|_| refused("is not text"))?;
    let title = validate_title(text).map_err(|e| refused(&format!("cannot be shown: {e}")))?;
    Ok(Some(title.to_owned()))
}

fn exported_key(conn: &Connection, chat: ChatId) -> Result<Option<(u64, LessSafeKey)>, E2eError> {
    super::exporter::aead_key(conn, chat, LABEL)
}

fn associated_data(chat: ChatId, epoch: u64) -> [u8; 16] {
    let mut aad = [0u8; 16];
    aad[..8].copy_from_slice(&chat.0.to_be_bytes());
    aad[8..].copy_from_slice(&epoch.to_be_bytes());
    aad
}

/// The title, a 0x80 byte, and zeros up to a multiple of [`PAD_TO`] bytes.
fn padded(title: &str) -> Vec<u8> {
    let mut bytes = title.as_bytes().to_vec();
    bytes.push(0x80);
    bytes.resize(bytes.len().div_ceil(PAD_TO) * PAD_TO, 0);
    bytes
}

fn unpadded(bytes: &[u8]) -> Option<&[u8]> {
    let end = bytes.iter().rposition(|&b| b != 0)?;
    (bytes[end] == 0x80).then(|| &bytes[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_hides_the_length_to_32_bytes_and_comes_off_again() {
        for title in ["", "Plans", "a title of exactly thirty-one b", "Ünïcødé 🎉"] {
            let bytes = padded(title);
            assert_eq!(bytes.len() % PAD_TO, 0);
            assert!(bytes.len() > title.len());
            assert_eq!(unpadded(&bytes), Some(title.as_bytes()));
        }
        assert_eq!(padded("Plans").len(), padded("Weekend at the lake").len());
        assert_eq!(unpadded(&[0, 0, 0]), None);
        assert_eq!(unpadded(b"no marker\0\0"), None);
    }
}
