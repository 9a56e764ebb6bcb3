//! The pieces the MLS benchmark (`cargo bench -p wren-core --features bench --bench mls`)
//! and the hostile-client tests drive: a device with its own SQLCipher store doing exactly
//! what the store thread does (each step in one transaction), and devices whose key
//! packages only fill a group.

use super::group::{self, CommitApplied, Handshake};
use super::identity::DeviceIdentity;
use super::sealed;
use crate::error::StoreError;
use crate::profile::DatabaseKey;
use crate::store::schema;
use openmls::prelude::tls_codec::Serialize as _;
use openmls::prelude::KeyPackage;
use openmls_rust_crypto::OpenMlsRustCrypto;
use rusqlite::Connection;
use std::path::Path;
use wren_proto::{AccountId, ChatId, DeviceId};

/// A device with an encrypted store, as a signed-in client has.
pub struct Device {
    conn: Connection,
    identity: DeviceIdentity,
}

/// A commit with what goes with it, serialized.
pub struct Commit {
    /// The commit.
    pub commit: Vec<u8>,
    /// The group info of the epoch it starts.
    pub group_info: Vec<u8>,
    /// The Welcome, if it adds devices.
    pub welcome: Option<Vec<u8>>,
}

impl From<Handshake> for Commit {
    fn from(h: Handshake) -> Self {
        Commit {
            commit: h.commit,
            group_info: h.group_info,
            welcome: h.welcome,
        }
    }
}

impl Device {
    /// Opens (creates) a store at `path` for device `device` of `account`.
    pub fn open(path: &Path, account: u64, device: u64) -> Result<Device, StoreError> {
        let conn = schema::open(path, &DatabaseKey([0x42; 32]))?;
        let identity = DeviceIdentity::generate(AccountId(account), DeviceId(device))?;
        Ok(Device { conn, identity })
    }

    /// This device's Ed25519 identity public key.
    pub fn public_key(&self) -> Vec<u8> {
        self.identity.public_key().to_vec()
    }

    /// One key package of this device (its private part kept in the store).
    pub fn key_package(&mut self) -> Result<Vec<u8>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut made = super::packages::create(&tx, &self.identity, 1, false)?;
        tx.commit()?;
        made.packages
            .pop()
            .ok_or_else(|| StoreError::Corrupt("no key package made".into()))
    }

    /// Creates the chat's group with the devices of `packages` and merges the commit, as
    /// when the server accepted it.
    pub fn create_group(&mut self, chat: u64, packages: &[Vec<u8>]) -> Result<Commit, StoreError> {
        let tx = self.conn.transaction()?;
        let made = group::create(&tx, &self.identity, ChatId(chat), packages)?;
        group::accepted(&tx, ChatId(chat))?;
        tx.commit()?;
        Ok(made.into())
    }

    /// Joins the chat's group by external commit and merges it.
    pub fn join(&mut self, chat: u64, group_info: &[u8]) -> Result<Commit, StoreError> {
        let tx = self.conn.transaction()?;
        let made = group::join_external(&tx, &self.identity, ChatId(chat), group_info)?;
        group::accepted(&tx, ChatId(chat))?;
        tx.commit()?;
        Ok(made.into())
    }

    /// Joins with a Welcome; whether it was for this device.
    pub fn welcome(&mut self, chat: u64, welcome: &[u8]) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let joined = group::join_welcome(&tx, ChatId(chat), welcome)?;
        tx.commit()?;
        Ok(joined)
    }

    /// Applies another device's commit made in `epoch`; whether it moved the group on.
    pub fn apply(&mut self, chat: u64, epoch: u64, commit: &[u8]) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let applied = group::apply_commit(&tx, ChatId(chat), epoch, commit)?;
        tx.commit()?;
        Ok(applied == CommitApplied::Applied)
    }

    /// The group's epoch on this device.
    pub fn epoch(&self, chat: u64) -> Result<Option<u64>, StoreError> {
        Ok(group::describe(&self.conn, ChatId(chat))?.map(|g| g.epoch))
    }

    /// Seals a message body as sending does: encrypted and remembered as this device's own.
    pub fn seal(&mut self, chat: u64, body: &[u8]) -> Result<Vec<u8>, StoreError> {
        let tx = self.conn.transaction()?;
        let wire = group::seal(&tx, &self.identity, ChatId(chat), body)?
            .ok_or_else(|| StoreError::Corrupt("not in the group".into()))?;
        sealed::remember(&tx, &wire, body, 0)?;
        tx.commit()?;
        Ok(wire)
    }

    /// Opens a received payload as applying an update does; whether it was readable.
    pub fn open_payload(&mut self, chat: u64, wire: &[u8]) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let opened = sealed::open_text(&tx, &mut group::GroupCache::default(), ChatId(chat), wire)?;
        tx.commit()?;
        Ok(opened.readable)
    }
}

impl Device {
    /// Opens received payloads in one transaction, as applying a batch of updates does;
    /// how many were readable.
    pub fn open_batch(&mut self, chat: u64, wires: &[Vec<u8>]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut groups = group::GroupCache::default();
        let mut readable = 0;
        for wire in wires {
            if sealed::open_text(&tx, &mut groups, ChatId(chat), wire)?.readable {
                readable += 1;
            }
        }
        tx.commit()?;
        Ok(readable)
    }
}

/// Key packages of `count` devices that only fill a group (in-memory keys; account ids
/// from `first_account`).
pub fn filler_key_packages(first_account: u64, count: usize) -> Result<Vec<Vec<u8>>, StoreError> {
    let provider = OpenMlsRustCrypto::default();
    (0..count as u64)
        .map(|i| {
            let identity = DeviceIdentity::generate(AccountId(first_account + i), DeviceId(1))?;
            let bundle = KeyPackage::builder()
                .build(
                    super::CIPHERSUITE,
                    &provider,
                    &identity.keys,
                    identity.credential(),
                )
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            bundle
                .key_package()
                .tls_serialize_detached()
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect()
}

/// The floor under Wren's MLS per message: two devices' groups kept in memory (openmls's
/// memory storage: no store, no transaction, no loading), one sealing `count` messages of
/// `body` and the other opening them. Returns the seal time and the open time, in all.
pub fn in_memory_seal_open(
    body: &[u8],
    count: u32,
) -> Result<(std::time::Duration, std::time::Duration), StoreError> {
    use openmls::prelude::tls_codec::Deserialize as _;
    use openmls::prelude::{MlsGroup, MlsMessageBodyIn, MlsMessageIn, ProcessedMessageContent};
    let fail = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
    let (alice_crypto, bob_crypto) = (OpenMlsRustCrypto::default(), OpenMlsRustCrypto::default());
    let alice = DeviceIdentity::generate(AccountId(1), DeviceId(1))?;
    let bob = DeviceIdentity::generate(AccountId(2), DeviceId(1))?;
    let bob_package = KeyPackage::builder()
        .build(super::CIPHERSUITE, &bob_crypto, &bob.keys, bob.credential())
        .map_err(|e| fail(&e))?;
    let mut sender = MlsGroup::new_with_group_id(
        &alice_crypto,
        &alice.keys,
        &group::create_config(),
        group::group_id(ChatId(1)),
        alice.credential(),
    )
    .map_err(|e| fail(&e))?;
    let (_, welcome, _) = sender
        .add_members(
            &alice_crypto,
            &alice.keys,
            &[bob_package.key_package().clone()],
        )
        .map_err(|e| fail(&e))?;
    sender
        .merge_pending_commit(&alice_crypto)
        .map_err(|e| fail(&e))?;
    let welcome = welcome.tls_serialize_detached().map_err(|e| fail(&e))?;
    let MlsMessageBodyIn::Welcome(welcome) = MlsMessageIn::tls_deserialize_exact(&welcome)
        .map_err(|e| fail(&e))?
        .extract()
    else {
        return Err(fail(&"not a Welcome"));
    };
    let mut receiver = openmls::group::StagedWelcome::new_from_welcome(
        &bob_crypto,
        &group::join_config(),
        welcome,
        None,
    )
    .map_err(|e| fail(&e))?
    .into_group(&bob_crypto)
    .map_err(|e| fail(&e))?;
    let (mut sealing, mut opening) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for _ in 0..count {
        let started = std::time::Instant::now();
        let wire = sender
            .create_message(&alice_crypto, &alice.keys, body)
            .map_err(|e| fail(&e))?
            .tls_serialize_detached()
            .map_err(|e| fail(&e))?;
        let sealed = std::time::Instant::now();
        let message = MlsMessageIn::tls_deserialize_exact(&wire)
            .map_err(|e| fail(&e))?
            .try_into_protocol_message()
            .map_err(|e| fail(&e))?;
        let processed = receiver
            .process_message(&bob_crypto, message)
            .map_err(|e| fail(&e))?;
        let ProcessedMessageContent::ApplicationMessage(opened) = processed.into_content() else {
            return Err(fail(&"not an application message"));
        };
        if opened.into_bytes() != body {
            return Err(fail(&"opened another body"));
        }
        sealing += sealed - started;
        opening += sealed.elapsed();
    }
    Ok((sealing, opening))
}
