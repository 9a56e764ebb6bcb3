//! The OS keychain (Keychain on macOS, Credential Manager on Windows, Secret Service on
//! Linux), holding one random database key per profile.

use crate::error::KeyError;
use crate::profile::DatabaseKey;
use zeroize::Zeroizing;

const SERVICE: &str = "wren-messenger";

fn entry(name: &str) -> Result<keyring::Entry, KeyError> {
    keyring::Entry::new(SERVICE, name).map_err(|e| KeyError::NoKeychain(e.to_string()))
}

/// Stores a new key and reads it back, so a keychain that silently drops secrets is caught
/// before the database is encrypted with a key nobody can recover.
pub(crate) fn store(name: &str, key: &DatabaseKey) -> Result<(), KeyError> {
    let entry = entry(name)?;
    entry
        .set_secret(&key.0)
        .map_err(|e| KeyError::NoKeychain(e.to_string()))?;
    match entry.get_secret().map(Zeroizing::new) {
        Ok(read) if read.as_slice() == key.0 => Ok(()),
        Ok(_) => Err(KeyError::NoKeychain(
            "the keychain returned another secret".into(),
        )),
        Err(e) => Err(KeyError::NoKeychain(e.to_string())),
    }
}

/// Loads a profile's key.
pub(crate) fn load(name: &str) -> Result<DatabaseKey, KeyError> {
    match entry(name)?.get_secret().map(Zeroizing::new) {
        Ok(bytes) if bytes.len() == 32 => {
            let mut key = DatabaseKey([0u8; 32]);
            key.0.copy_from_slice(&bytes);
            Ok(key)
        }
        Ok(_) => Err(KeyError::MissingFromKeychain),
        Err(keyring::Error::NoEntry) => Err(KeyError::MissingFromKeychain),
        Err(e) => Err(KeyError::NoKeychain(e.to_string())),
    }
}

/// Deletes a key that is no longer used; a failure only leaves an unused secret behind.
pub(crate) fn remove(name: &str) {
    if let Ok(entry) = entry(name) {
        if let Err(e) = entry.delete_credential() {
            tracing::warn!(error = %e, "cannot delete an old key from the OS keychain");
        }
    }
}
