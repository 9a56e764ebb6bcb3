//! SFrame (RFC 9605, AES-128-GCM with SHA-256, through the `sframe` crate) for every media
//! datagram of a call: each device seals under a key derived from the call's media key
//! with its device id as the Key ID, so that senders are told apart and none can pass
//! for another; a receiver drops what does not decrypt (forged, or another key) and what
//! it has seen (replayed).

use sframe::frame::validation::{ReplayAttackProtectionStore, Tolerance};
use sframe::frame::{EncryptedFrame, MediaFrame, MonotonicCounter};
use sframe::key::{DecryptionKey, EncryptionKey};
use sframe::CipherSuite;
use std::collections::{HashMap, HashSet};
use wren_proto::DeviceId;

const SUITE: CipherSuite = CipherSuite::AesGcm128Sha256;
/// How far behind the newest frame of a sender a frame may arrive (reordering).
const REPLAY_WINDOW: usize = 1024;
/// Senders a receiver keeps keys for at most (a call's devices).
const MAX_SENDERS: usize = 16;

/// Why a datagram was not opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// Not an SFrame, or it does not decrypt under the call's key.
    #[error("not sealed with the call's key")]
    Forged,
    /// Seen before (or too old to tell).
    #[error("replayed")]
    Replayed,
}

/// Seals this device's datagrams.
pub(crate) struct FrameSealer {
    key: EncryptionKey,
    counter: MonotonicCounter,
}

impl FrameSealer {
    /// A sealer for `device` under the call's media key.
    pub(crate) fn new(
        media_key: &[u8],
        device: DeviceId,
    ) -> Result<Self, sframe::error::SframeError> {
        Ok(FrameSealer {
            key: EncryptionKey::derive_from(SUITE, device.0, media_key)?,
            counter: MonotonicCounter::default(),
        })
    }

    /// The SFrame of `plain`.
    pub(crate) fn seal(&mut self, plain: &[u8]) -> Result<Vec<u8>, sframe::error::SframeError> {
        let frame = MediaFrame::try_new(&mut self.counter, plain)?;
        Ok(frame.encrypt(&self.key)?.as_ref().to_vec())
    }
}

/// Opens the other devices' datagrams.
pub(crate) struct FrameOpener {
    media_key: Vec<u8>,
    keys: HashMap<u64, DecryptionKey>,
    /// Key IDs whose key opened a frame: the others' keys go on failure.
    proven: HashSet<u64>,
    replay: ReplayAttackProtectionStore,
}

impl FrameOpener {
    /// An opener under the call's media key.
    pub(crate) fn new(media_key: &[u8]) -> Self {
        FrameOpener {
            media_key: media_key.to_vec(),
            keys: HashMap::new(),
            proven: HashSet::new(),
            replay: ReplayAttackProtectionStore::new(Tolerance::new(REPLAY_WINDOW)),
        }
    }

    /// The plaintext of an SFrame, and the device that sealed it.
    pub(crate) fn open(&mut self, sealed: &[u8]) -> Result<(DeviceId, Vec<u8>), Dropped> {
        let frame = EncryptedFrame::try_from(sealed).map_err(|_| Dropped::Forged)?;
        let key_id = frame.header().key_id();
        if !self.keys.contains_key(&key_id) {
            if self.keys.len() >= MAX_SENDERS {
                return Err(Dropped::Forged);
            }
            let key = DecryptionKey::derive_from(SUITE, key_id, &self.media_key)
                .map_err(|_| Dropped::Forged)?;
            self.keys.insert(key_id, key);
        }
        let opened = frame.validated_decrypt(&self.keys, &mut self.replay);
        match opened {
            Ok(media) => {
                self.proven.insert(key_id);
                Ok((DeviceId(key_id), media.payload().to_vec()))
            }
            Err(e)
                if e.source_as::<sframe::frame::validation::ReplayAttackProtectionError>()
                    .is_some() =>
            {
                Err(Dropped::Replayed)
            }
            Err(_) => {
                // A key made for a Key ID that never decrypted anything is not kept.
                if !self.proven.contains(&key_id) {
                    self.keys.remove(&key_id);
                }
                Err(Dropped::Forged)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_frame_opens_once_and_a_forged_or_foreign_one_never() {
        let key = [3u8; 32];
        let mut alice = FrameSealer::new(&key, DeviceId(7)).expect("sealer");
        let mut bob = FrameOpener::new(&key);
        let sealed = alice.seal(b"frame 1").expect("seal");
        assert!(!sealed.windows(7).any(|w| w == b"frame 1"), "encrypted");
        assert_eq!(bob.open(&sealed), Ok((DeviceId(7), b"frame 1".to_vec())));
        assert_eq!(bob.open(&sealed), Err(Dropped::Replayed));
        let second = alice.seal(b"frame 2").expect("seal");
        let mut flipped = second.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(bob.open(&flipped), Err(Dropped::Forged));
        assert_eq!(bob.open(&second), Ok((DeviceId(7), b"frame 2".to_vec())));
        // Another call's key (someone in the middle) opens nothing.
        let mut mallory = FrameSealer::new(&[4u8; 32], DeviceId(7)).expect("sealer");
        let mut carol = FrameOpener::new(&key);
        let foreign = mallory.seal(b"frame 3").expect("seal");
        assert_eq!(carol.open(&foreign), Err(Dropped::Forged));
        assert_eq!(carol.open(b"not an sframe"), Err(Dropped::Forged));
    }
}
