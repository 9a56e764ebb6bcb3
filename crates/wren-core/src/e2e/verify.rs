//! Checking a key package another device published.

use super::{E2eError, CIPHERSUITE};
use openmls::prelude::tls_codec::Deserialize as _;
use openmls::prelude::{BasicCredential, KeyPackageIn, ProtocolVersion};
use openmls_rust_crypto::RustCrypto;

/// What a valid key package says about its device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedKeyPackage {
    /// The basic credential's identity (`wren:<account>:<device>` for Wren devices).
    pub identity: Vec<u8>,
    /// The Ed25519 public key that signed it.
    pub signature_key: Vec<u8>,
    /// Whether it carries the last-resort extension.
    pub last_resort: bool,
}

/// Parses a serialized MLS key package and checks it: Wren's ciphersuite, MLS 1.0, a
/// basic credential, and valid signatures (openmls's own validation).
pub fn verify_key_package(bytes: &[u8]) -> Result<VerifiedKeyPackage, E2eError> {
    let invalid = |e: String| E2eError::InvalidKeyPackage(e);
    let package = KeyPackageIn::tls_deserialize_exact(bytes).map_err(|e| invalid(e.to_string()))?;
    let package = package
        .validate(&RustCrypto::default(), ProtocolVersion::Mls10)
        .map_err(|e| invalid(e.to_string()))?;
    if package.ciphersuite() != CIPHERSUITE {
        return Err(invalid(format!("ciphersuite {:?}", package.ciphersuite())));
    }
    let leaf = package.leaf_node();
    let credential =
        BasicCredential::try_from(leaf.credential().clone()).map_err(|e| invalid(e.to_string()))?;
    Ok(VerifiedKeyPackage {
        identity: credential.identity().to_vec(),
        signature_key: leaf.signature_key().as_slice().to_vec(),
        last_resort: package.last_resort(),
    })
}
