//! Sealing call signals for the chat's MLS group: AES-128-GCM under a key the group
//! exports for its epoch (label `wren call signal`), a random nonce, and the chat, epoch
//! and sending device as associated data, so that the server can neither read a signal
//! nor pass one off as another device's. The sealed plaintext starts with the time it was
//! sent: a signal older than [`MAX_AGE_MS`] (one the server held back or replays) is
//! dropped.

use super::signal::Signal;
use crate::e2e::{exporter, E2eError};
use ring::aead::{Aad, Nonce, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::Connection;
use wren_proto::{ChatId, DeviceId};

const LABEL: &str = "wren call signal";
/// How old (or how far ahead of this device's clock) a signal may be.
pub(crate) const MAX_AGE_MS: u64 = 60_000;

fn associated_data(chat: ChatId, epoch: u64, device: DeviceId) -> [u8; 24] {
    let mut aad = [0u8; 24];
    aad[..8].copy_from_slice(&chat.0.to_be_bytes());
    aad[8..16].copy_from_slice(&epoch.to_be_bytes());
    aad[16..].copy_from_slice(&device.0.to_be_bytes());
    aad
}

/// Seals `signal` from this `device` in the chat's group's current epoch, sent at `now_ms`:
/// that epoch and the sealed bytes, or `None` while this device is not in the group.
pub(crate) fn seal(
    conn: &Connection,
    chat: ChatId,
    device: DeviceId,
    signal: &Signal,
    now_ms: u64,
) -> Result<Option<(u64, Vec<u8>)>, E2eError> {
    let Some((epoch, key)) = exporter::aead_key(conn, chat, LABEL)? else {
        return Ok(None);
    };
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| E2eError::Create("no randomness for a call signal's nonce".into()))?;
    let mut sealed = now_ms.to_be_bytes().to_vec();
    sealed.extend(signal.encode());
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(associated_data(chat, epoch, device)),
        &mut sealed,
    )
    .map_err(|_| E2eError::Group("cannot seal a call signal".into()))?;
    let mut out = nonce.to_vec();
    out.extend(sealed);
    Ok(Some((epoch, out)))
}

/// Why a sealed signal was not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum Refused {
    /// This device's group is in another epoch (or it has none).
    #[error("sealed in epoch {0}, which this device's group is not in")]
    OtherEpoch(u64),
    /// Altered, sealed for another chat, or claimed by another device.
    #[error("does not decrypt")]
    Forged,
    /// Sent too long ago, or ahead of this device's clock.
    #[error("sent {0} ms away from now")]
    Stale(i128),
    /// Not a signal this version knows.
    #[error("is not a call signal")]
    Unknown,
}

/// Opens a signal that `device` sealed in `epoch`, received at `now_ms`.
pub(crate) fn open(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    device: DeviceId,
    sealed: &[u8],
    now_ms: u64,
) -> Result<Result<Signal, Refused>, E2eError> {
    let Some((current, key)) = exporter::aead_key(conn, chat, LABEL)? else {
        return Ok(Err(Refused::OtherEpoch(epoch)));
    };
    if current != epoch {
        return Ok(Err(Refused::OtherEpoch(epoch)));
    }
    if sealed.len() < NONCE_LEN {
        return Ok(Err(Refused::Forged));
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let Ok(nonce) = Nonce::try_assume_unique_for_key(nonce) else {
        return Ok(Err(Refused::Forged));
    };
    let mut buffer = ciphertext.to_vec();
    let Ok(plain) = key.open_in_place(
        nonce,
        Aad::from(associated_data(chat, epoch, device)),
        &mut buffer,
    ) else {
        return Ok(Err(Refused::Forged));
    };
    if plain.len() < 8 {
        return Ok(Err(Refused::Unknown));
    }
    let (sent, body) = plain.split_at(8);
    let mut sent_at = [0u8; 8];
    sent_at.copy_from_slice(sent);
    let age = i128::from(now_ms) - i128::from(u64::from_be_bytes(sent_at));
    if age.unsigned_abs() > u128::from(MAX_AGE_MS) {
        return Ok(Err(Refused::Stale(age)));
    }
    Ok(Signal::decode(body).ok_or(Refused::Unknown))
}
