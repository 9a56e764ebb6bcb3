//! The openmls provider of the store thread: RustCrypto for crypto and randomness, and
//! `openmls_sqlite_storage` over the store's own SQLCipher connection for what openmls
//! keeps (the private init and HPKE keys of key packages, later group state).

use super::E2eError;
use openmls::prelude::OpenMlsProvider;
use openmls_rust_crypto::RustCrypto;
use openmls_sqlite_storage::{Codec, SqliteStorageProvider};
use rusqlite::Connection;

/// Encodes what openmls stores as CBOR: self-describing as openmls's stored types need
/// (postcard is not), and compact where JSON writes every key byte as a decimal number;
/// openmls rewrites a group's secrets after every message.
#[derive(Default)]
pub(crate) struct CborCodec;

/// A CBOR encoding or decoding error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct CborError(String);

impl Codec for CborCodec {
    type Error = CborError;

    fn to_vec<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Self::Error> {
        let mut out = Vec::new();
        ciborium::into_writer(value, &mut out).map_err(|e| CborError(e.to_string()))?;
        Ok(out)
    }

    fn from_slice<T: serde::de::DeserializeOwned>(slice: &[u8]) -> Result<T, Self::Error> {
        ciborium::from_reader(slice).map_err(|e| CborError(e.to_string()))
    }
}

/// An openmls provider borrowing the store's connection (or an open transaction on it).
pub(crate) struct StoreProvider<'c> {
    crypto: RustCrypto,
    storage: SqliteStorageProvider<CborCodec, &'c Connection>,
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
    type StorageProvider = SqliteStorageProvider<CborCodec, &'c Connection>;

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
    SqliteStorageProvider::<CborCodec, &mut Connection>::new(conn)
        .run_migrations()
        .map_err(|e| E2eError::Storage(e.to_string()))
}
