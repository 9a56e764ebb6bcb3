//! Creating key packages on the store thread.

use super::identity::DeviceIdentity;
use super::provider::StoreProvider;
use super::{E2eError, CIPHERSUITE};
use openmls::prelude::tls_codec::Serialize as _;
use openmls::prelude::{Capabilities, ExtensionType, KeyPackage};
use rusqlite::Connection;

/// Serialized key packages ready for `UploadKeyPackages`.
pub(crate) struct NewKeyPackages {
    /// One-time packages.
    pub(crate) packages: Vec<Vec<u8>>,
    /// The last-resort package, if one was asked for.
    pub(crate) last_resort: Option<Vec<u8>>,
}

/// Creates `count` one-time key packages (and a last-resort one if asked), storing their
/// private parts through openmls in `conn` (the caller's transaction).
pub(crate) fn create(
    conn: &Connection,
    identity: &DeviceIdentity,
    count: usize,
    last_resort: bool,
) -> Result<NewKeyPackages, E2eError> {
    let provider = StoreProvider::new(conn);
    let mut packages = Vec::with_capacity(count);
    for _ in 0..count {
        packages.push(one(&provider, identity, false)?);
    }
    let last_resort = if last_resort {
        Some(one(&provider, identity, true)?)
    } else {
        None
    };
    Ok(NewKeyPackages {
        packages,
        last_resort,
    })
}

fn one(
    provider: &StoreProvider<'_>,
    identity: &DeviceIdentity,
    last_resort: bool,
) -> Result<Vec<u8>, E2eError> {
    // Every leaf says it understands the last-resort extension, as RFC 9420 asks of
    // extensions a key package carries.
    let capabilities =
        Capabilities::new(None, None, Some(&[ExtensionType::LastResort]), None, None);
    let mut builder = KeyPackage::builder().leaf_node_capabilities(capabilities);
    if last_resort {
        builder = builder.mark_as_last_resort();
    }
    let bundle = builder
        .build(CIPHERSUITE, provider, &identity.keys, identity.credential())
        .map_err(|e| E2eError::Create(e.to_string()))?;
    bundle
        .key_package()
        .tls_serialize_detached()
        .map_err(|e| E2eError::Create(e.to_string()))
}
