//! The openmls provider of the store thread: RustCrypto for crypto and randomness, and
//! `openmls_sqlite_storage` over the store's own SQLCipher connection for what openmls
//! keeps (the private init and HPKE keys of key packages, later group state).

use super::E2eError;
use openmls::prelude::OpenMlsProvider;
use openmls_rust_crypto::RustCrypto;
use openmls_sqlite_storage::{Codec, SqliteStorageProvider};
use rusqlite::Connection;

/// Encodes what openmls stores as JSON (the codec openmls's own examples use).
#[derive(Default)]
pub(crate) struct JsonCodec;

impl Codec for JsonCodec {
    type Error = serde_json::Error;

    fn to_vec<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Self::Error> {
        serde_json::to_vec(value)
    }

    fn from_slice<T: serde::de::DeserializeOwned>(slice: &[u8]) -> Result<T, Self::Error> {
        serde_json::from_slice(slice)
    }
}

/// An openmls provider borrowing the store's connection (or an open transaction on it).
pub(crate) struct StoreProvider<'c> {
    crypto: RustCrypto,
    storage: SqliteStorageProvider<JsonCodec, &'c Connection>,
}

impl<'c> StoreProvider<'c> {
    /// A provider writing into `conn`.
    pub(crate) fn new(conn: &'c Connection) -> Self {
        StoreProvider {
            crypto: RustCrypto::default(),
            storage: SqliteStorageProvider::new(conn),
        }
    }
}

impl<'c> OpenMlsProvider for StoreProvider<'c> {
    type CryptoProvider = RustCrypto;
    type RandProvider = RustCrypto;
    type StorageProvider = SqliteStorageProvider<JsonCodec, &'c Connection>;

    fn storage(&self) -> &Self::StorageProvider {
        &self.storage
    }

    fn crypto(&self) -> &Self::CryptoProvider {
        &self.crypto
    }

    fn rand(&self) -> &Self::RandProvider {
        &self.crypto
    }
}

/// Creates (or brings up to date) openmls's own tables, which it versions itself in
/// `openmls_sqlite_storage_migrations`.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), E2eError> {
    SqliteStorageProvider::<JsonCodec, &mut Connection>::new(conn)
        .run_migrations()
        .map_err(|e| E2eError::Storage(e.to_string()))
}
