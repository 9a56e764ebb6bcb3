//! A call's media key and the four emojis that show it.
//!
//! The key is exported from the chat's MLS group in the epoch that sealed the call's
//! offer (label `wren call media`, the call id as context), so both sides derive it
//! without ever sending it, and nobody outside the group can. The emojis are the first 24
//! bits of SHA-256 over the key and a label, six bits each into a list of 64: both sides
//! show the same four, and a key that differs (someone in the middle) shows others.

use super::signal::CallId;
use crate::e2e::{group, E2eError};
use ring::digest::{digest, SHA256};
use rusqlite::Connection;
use wren_proto::ChatId;

const LABEL: &str = "wren call media";
const EMOJI_LABEL: &[u8] = b"wren call emojis";

/// The bytes of a call's media key.
pub const KEY_BYTES: usize = 32;

/// For tests of what a man in the middle would get: set, this device's call keys differ
/// from the other side's (their last byte flipped), so the two show different emojis and
/// neither can open the other's media. It weakens nothing: the device only loses its
/// calls' media.
pub const WRONG_KEY_VARIABLE: &str = "WREN_TEST_WRONG_CALL_KEY";

/// A call's media key.
pub type MediaKey = [u8; KEY_BYTES];

/// 64 emojis that look unlike each other at a glance.
const EMOJIS: [&str; 64] = [
    "🐶", "🐱", "🦊", "🐻", "🐼", "🐨", "🐯", "🦁", "🐮", "🐷", "🐸", "🐵", "🐔", "🐧", "🦉", "🐢",
    "🐙", "🦀", "🐳", "🦋", "🐝", "🐞", "🌵", "🌲", "🌻", "🍄", "🌙", "⭐", "🔥", "🌈", "❄️", "⚡",
    "🍎", "🍋", "🍉", "🍇", "🍓", "🥕", "🌽", "🍕", "🍩", "🎂", "☕", "🎈", "🎁", "🎸", "🎺", "⚽",
    "🏀", "🎲", "🚗", "🚲", "🚀", "⛵", "🏠", "⏰", "🔑", "🔔", "📚", "✏️", "💡", "🧲", "⚓", "👑",
];

/// The call's media key from the chat's group in its current epoch, if that is `epoch`.
pub(crate) fn media_key(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    call: CallId,
) -> Result<Option<MediaKey>, E2eError> {
    let Some((current, secret)) =
        group::export_secret(conn, chat, LABEL, &call.0.to_be_bytes(), KEY_BYTES)?
    else {
        return Ok(None);
    };
    if current != epoch {
        return Ok(None);
    }
    let mut key = [0u8; KEY_BYTES];
    key.copy_from_slice(&secret);
    if std::env::var_os(WRONG_KEY_VARIABLE).is_some() {
        key[KEY_BYTES - 1] ^= 0xff;
    }
    Ok(Some(key))
}

/// The four emojis both sides of a call show for its key.
pub fn emojis(key: &MediaKey) -> [&'static str; 4] {
    let mut input = key.to_vec();
    input.extend_from_slice(EMOJI_LABEL);
    let hash = digest(&SHA256, &input);
    let bits = u32::from_be_bytes([0, hash.as_ref()[0], hash.as_ref()[1], hash.as_ref()[2]]);
    [18, 12, 6, 0].map(|shift| EMOJIS[((bits >> shift) & 63) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_shows_the_same_emojis_and_another_key_others() {
        let key = [7u8; KEY_BYTES];
        assert_eq!(emojis(&key), emojis(&key));
        let mut other = key;
        other[31] ^= 1;
        assert_ne!(emojis(&key), emojis(&other));
        let distinct: std::collections::BTreeSet<_> = EMOJIS.iter().collect();
        assert_eq!(distinct.len(), EMOJIS.len(), "no emoji twice");
    }
}
