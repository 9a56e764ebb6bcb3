//! This device's MLS identity and its key packages on the server (the first slice of
//! end-to-end encryption; `openmls` does all the MLS work).
//!
//! Every signed-in device has its own Ed25519 signature key pair and a basic credential
//! whose identity names its account and device ([`identity::credential_identity`]). The key
//! pair lives in the account's SQLCipher store (`device_identity`, migration 003); the
//! private parts of key packages (init and HPKE keys) live in the same store through
//! `openmls_sqlite_storage`, so a later Welcome can be processed ([`provider`]). After each
//! sign-in or resume, [`upkeep`] publishes the identity key and keeps the device's pool of
//! key packages on the server topped up.

#[cfg(feature = "bench")]
pub mod bench;
pub(crate) mod exporter;
pub(crate) mod group;
pub(crate) mod identity;
pub(crate) mod packages;
pub(crate) mod provider;
mod safety;
pub(crate) mod sealed;
pub(crate) mod setup;
pub(crate) mod title;
pub(crate) mod upkeep;
mod verify;

pub use group::GroupState;
pub use identity::credential_identity;
pub use safety::{safety_number, SafetyNumber};
pub use verify::{verify_key_package, VerifiedKeyPackage};

use openmls::prelude::Ciphersuite;

/// The one ciphersuite Wren uses: X25519, AES-128-GCM, SHA-256, Ed25519.
pub const CIPHERSUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// What went wrong with MLS keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum E2eError {
    /// openmls could not create key material.
    #[error("cannot create MLS keys: {0}")]
    Create(String),
    /// Stored key material could not be read back.
    #[error("stored MLS key material is unreadable: {0}")]
    Stored(String),
    /// openmls's tables in the store could not be created or migrated.
    #[error("cannot prepare the MLS key storage: {0}")]
    Storage(String),
    /// The stored identity belongs to another account than the signed-in one.
    #[error("device {device} has an MLS identity of another account here")]
    OtherAccount {
        /// The device id.
        device: u64,
    },
    /// A key package is malformed, badly signed, or not what Wren uses.
    #[error("invalid key package: {0}")]
    InvalidKeyPackage(String),
    /// A chat's MLS group could not be created, joined or moved to its next epoch.
    #[error("end-to-end encryption group: {0}")]
    Group(String),
}
#[cfg(test)]
mod tests;
