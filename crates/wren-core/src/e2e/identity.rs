//! The device's signature key pair and credential.

use super::{E2eError, CIPHERSUITE};
use openmls::prelude::tls_codec::{Deserialize as _, Serialize as _};
use openmls::prelude::{BasicCredential, Credential, CredentialWithKey};
use openmls_basic_credential::SignatureKeyPair;
use wren_proto::{AccountId, DeviceId};
use zeroize::Zeroizing;

/// The credential identity of a device: `wren:<account>:<device>`.
pub fn credential_identity(account: AccountId, device: DeviceId) -> Vec<u8> {
    wren_proto::rules::device_identity(account, device)
}

/// The account and device a Wren credential names, if it is one.
pub(crate) fn parse_identity(credential: &Credential) -> Option<(AccountId, DeviceId)> {
    let basic = BasicCredential::try_from(credential.clone()).ok()?;
    wren_proto::rules::parse_device_identity(basic.identity())
}

/// A device's MLS identity: its account and device ids and its signature key pair (whose
/// private half is wiped when dropped).
pub(crate) struct DeviceIdentity {
    pub(crate) account: AccountId,
    pub(crate) device: DeviceId,
    pub(crate) keys: SignatureKeyPair,
}

impl DeviceIdentity {
    /// A fresh Ed25519 key pair for this device.
    pub(crate) fn generate(account: AccountId, device: DeviceId) -> Result<Self, E2eError> {
        let keys = SignatureKeyPair::new(CIPHERSUITE.signature_algorithm())
            .map_err(|e| E2eError::Create(format!("{e:?}")))?;
        Ok(DeviceIdentity {
            account,
            device,
            keys,
        })
    }

    /// Reads a key pair stored by [`DeviceIdentity::to_stored`].
    pub(crate) fn from_stored(
        account: AccountId,
        device: DeviceId,
        stored: &[u8],
    ) -> Result<Self, E2eError> {
        let keys = SignatureKeyPair::tls_deserialize_exact(stored)
            .map_err(|e| E2eError::Stored(e.to_string()))?;
        if keys.signature_scheme() != CIPHERSUITE.signature_algorithm() {
            return Err(E2eError::Stored("not an Ed25519 key pair".into()));
        }
        Ok(DeviceIdentity {
            account,
            device,
            keys,
        })
    }

    /// The key pair (private half included) as stored, in a buffer wiped when dropped.
    pub(crate) fn to_stored(&self) -> Result<Zeroizing<Vec<u8>>, E2eError> {
        self.keys
            .tls_serialize_detached()
            .map(Zeroizing::new)
            .map_err(|e| E2eError::Create(e.to_string()))
    }

    /// The Ed25519 public key (32 bytes).
    pub(crate) fn public_key(&self) -> &[u8] {
        self.keys.public()
    }

    /// The credential and public key that go into this device's leaf nodes.
    pub(crate) fn credential(&self) -> CredentialWithKey {
        CredentialWithKey {
            credential: BasicCredential::new(credential_identity(self.account, self.device)).into(),
            signature_key: self.keys.to_public_vec().into(),
        }
    }
}
