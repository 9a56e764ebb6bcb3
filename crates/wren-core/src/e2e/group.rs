//! A chat's MLS group on this device, on the store thread: creating it, joining it (by
//! Welcome or by external commit), applying commits in the server's order, and sealing and
//! opening messages. Every function works in the caller's transaction, so a group's state
//! changes together with the message rows that go with it.
//!
//! A commit this device made waits in `mls_pending` until the server accepted it (then it
//! is merged) or another commit took its epoch (then it is dropped, and a group that the
//! commit would have created or joined is deleted).

use super::identity::{parse_identity, DeviceIdentity};
use super::provider::StoreProvider;
use super::{E2eError, CIPHERSUITE};
use openmls::group::{MlsGroupJoinConfig, StagedWelcome, MIXED_PLAINTEXT_WIRE_FORMAT_POLICY};
use openmls::prelude::tls_codec::{Deserialize as _, Serialize as _};
use openmls::prelude::{
    GroupId, KeyPackageIn, LeafNodeIndex, MlsGroup, MlsGroupCreateConfig, MlsMessageBodyIn,
    MlsMessageIn, MlsMessageOut, ProcessedMessageContent, ProtocolVersion,
    SenderRatchetConfiguration,
};
use openmls_rust_crypto::RustCrypto;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::hash_map::{Entry, HashMap};
use wren_proto::rules::MLS_PAYLOAD_TAG;
use wren_proto::{AccountId, ChatId, DeviceId};

/// How many past epochs' message keys are kept, for messages that arrive after a commit
/// this device made or applied (its own commit merges when the server accepts it, which
/// can be before the messages ahead of it in the chat's log are applied). Older epochs'
/// secrets are deleted: forward secrecy.
pub(crate) const PAST_EPOCHS: usize = 3;

/// How far out of order, and how far ahead, a message of the current epoch may be.
const OUT_OF_ORDER_TOLERANCE: u32 = 16;
const MAXIMUM_FORWARD_DISTANCE: u32 = 4096;

/// A chat's encryption group as this device sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupState {
    /// The group's epoch: it moves on with every change of its devices.
    pub epoch: u64,
    /// The devices in the group, by account and device id, sorted.
    pub devices: Vec<(AccountId, DeviceId)>,
}

/// A commit to publish, with what goes with it.
#[derive(Debug)]
pub(crate) struct Handshake {
    /// The commit (a `PublicMessage`).
    pub(crate) commit: Vec<u8>,
    /// The group info of the epoch it starts.
    pub(crate) group_info: Vec<u8>,
    /// The Welcome for the devices it adds.
    pub(crate) welcome: Option<Vec<u8>>,
}

/// Why a message could not be opened; shown in its bubble.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OpenError {
    /// This device is not in the chat's group (it joined after the message was sent).
    #[error("sent before this device joined the chat's encryption")]
    NotInGroup,
    /// The chat is end-to-end encrypted but the message is not.
    #[error("not end-to-end encrypted")]
    NotEncrypted,
    /// openmls refused it: forged, altered, replayed or of an epoch whose keys are gone.
    #[error("{0}")]
    Refused(String),
}

/// The MLS group id of a chat (the server checks the same).
pub(crate) fn group_id(chat: ChatId) -> GroupId {
    GroupId::from_slice(&chat.0.to_be_bytes())
}

pub(crate) fn create_config() -> MlsGroupCreateConfig {
    MlsGroupCreateConfig::builder()
        .ciphersuite(CIPHERSUITE)
        .use_ratchet_tree_extension(true)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .max_past_epochs(PAST_EPOCHS)
        .sender_ratchet_configuration(SenderRatchetConfiguration::new(
            OUT_OF_ORDER_TOLERANCE,
            MAXIMUM_FORWARD_DISTANCE,
        ))
        .build()
}

pub(crate) fn join_config() -> MlsGroupJoinConfig {
    MlsGroupJoinConfig::builder()
        .use_ratchet_tree_extension(true)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .max_past_epochs(PAST_EPOCHS)
        .sender_ratchet_configuration(SenderRatchetConfiguration::new(
            OUT_OF_ORDER_TOLERANCE,
            MAXIMUM_FORWARD_DISTANCE,
        ))
        .build()
}

fn load(conn: &Connection, chat: ChatId) -> Result<Option<MlsGroup>, E2eError> {
    let provider = StoreProvider::new(conn);
    MlsGroup::load(
        openmls::prelude::OpenMlsProvider::storage(&provider),
        &group_id(chat),
    )
    .map_err(|e| E2eError::Stored(e.to_string()))
}

/// The chat's group as this device has it: its epoch and the devices in it, by account
/// and device id (`None` when this device is not in the group).
pub(crate) fn describe(conn: &Connection, chat: ChatId) -> Result<Option<GroupState>, E2eError> {
    let Some(group) = load(conn, chat)?.filter(|g| g.is_active()) else {
        return Ok(None);
    };
    let mut devices: Vec<(AccountId, DeviceId)> = group
        .members()
        .filter_map(|m| parse_identity(&m.credential))
        .collect();
    devices.sort();
    Ok(Some(GroupState {
        epoch: group.epoch().as_u64(),
        devices,
    }))
}

/// A device's account and identity (signature) key, as its leaf has them.
pub(crate) type LeafKey = (AccountId, Vec<u8>);

/// The identity (signature) keys of the group's devices, by account.
pub(crate) fn leaf_keys(conn: &Connection, chat: ChatId) -> Result<Option<Vec<LeafKey>>, E2eError> {
    let Some(group) = load(conn, chat)?.filter(|g| g.is_active()) else {
        return Ok(None);
    };
    Ok(Some(
        group
            .members()
            .filter_map(|m| Some((parse_identity(&m.credential)?.0, m.signature_key)))
            .collect(),
    ))
}

/// A secret the chat's group exports in its current epoch (RFC 9420 §8.5), with that
/// epoch; `None` while this device is not in the group.
pub(crate) fn export_secret(
    conn: &Connection,
    chat: ChatId,
    label: &str,
    context: &[u8],
    len: usize,
) -> Result<Option<(u64, Vec<u8>)>, E2eError> {
    let Some(group) = load(conn, chat)?.filter(|g| g.is_active()) else {
        return Ok(None);
    };
    let provider = StoreProvider::new(conn);
    let secret = group
        .export_secret(
            openmls::prelude::OpenMlsProvider::crypto(&provider),
            label,
            context,
            len,
        )
        .map_err(|e| E2eError::Group(e.to_string()))?;
    Ok(Some((group.epoch().as_u64(), secret)))
}

/// Whether this device is in the chat's group.
pub(crate) fn has_group(conn: &Connection, chat: ChatId) -> Result<bool, E2eError> {
    Ok(load(conn, chat)?.is_some_and(|g| g.is_active()))
}

/// Creates the chat's group with this device and the devices of `key_packages` (packages
/// that fail validation are left out), as a pending commit of epoch 0.
pub(crate) fn create(
    conn: &Connection,
    identity: &DeviceIdentity,
    chat: ChatId,
    key_packages: &[Vec<u8>],
) -> Result<Handshake, E2eError> {
    let provider = StoreProvider::new(conn);
    let mut group = MlsGroup::new_with_group_id(
        &provider,
        &identity.keys,
        &create_config(),
        group_id(chat),
        identity.credential(),
    )
    .map_err(|e| E2eError::Group(e.to_string()))?;
    let packages: Vec<_> = key_packages
        .iter()
        .filter_map(|bytes| {
            let package = KeyPackageIn::tls_deserialize_exact(bytes).ok()?;
            package
                .validate(&RustCrypto::default(), ProtocolVersion::Mls10)
                .ok()
        })
        .collect();
    let (commit, welcome, group_info) = if packages.is_empty() {
        let bundle = group
            .self_update(&provider, &identity.keys, Default::default())
            .map_err(|e| E2eError::Group(e.to_string()))?;
        bundle.into_messages()
    } else {
        let (commit, welcome, group_info) = group
            .add_members(&provider, &identity.keys, &packages)
            .map_err(|e| E2eError::Group(e.to_string()))?;
        (commit, Some(welcome), group_info.map(MlsMessageOut::from))
    };
    pending(conn, chat, true, handshake(commit, welcome, group_info)?)
}

/// Joins the chat's group by external commit from its published group info, as a pending
/// commit (the group is deleted again if the commit loses its epoch).
pub(crate) fn join_external(
    conn: &Connection,
    identity: &DeviceIdentity,
    chat: ChatId,
    group_info: &[u8],
) -> Result<Handshake, E2eError> {
    let MlsMessageBodyIn::GroupInfo(info) = MlsMessageIn::tls_deserialize_exact(group_info)
        .map_err(|e| E2eError::Group(e.to_string()))?
        .extract()
    else {
        return Err(E2eError::Group(
            "the server's group info is not a GroupInfo".into(),
        ));
    };
    if info.group_id() != &group_id(chat) {
        return Err(E2eError::Group("the group info is of another chat".into()));
    }
    if let Some(mut stale) = load(conn, chat)? {
        if stale.is_active() {
            return Err(E2eError::Group(
                "this device is in the group already".into(),
            ));
        }
        let provider = StoreProvider::new(conn);
        stale
            .delete(openmls::prelude::OpenMlsProvider::storage(&provider))
            .map_err(|e| E2eError::Stored(e.to_string()))?;
    }
    let provider = StoreProvider::new(conn);
    let (_group, bundle) = MlsGroup::external_commit_builder()
        .with_config(join_config())
        .build_group(&provider, info, identity.credential())
        .map_err(|e| E2eError::Group(e.to_string()))?
        .load_psks(openmls::prelude::OpenMlsProvider::storage(&provider))
        .map_err(|e| E2eError::Group(e.to_string()))?
        .build(
            openmls::prelude::OpenMlsProvider::rand(&provider),
            openmls::prelude::OpenMlsProvider::crypto(&provider),
            &identity.keys,
            |_| true,
        )
        .map_err(|e| E2eError::Group(e.to_string()))?
        .finalize(&provider)
        .map_err(|e| E2eError::Group(e.to_string()))?;
    let (commit, _, group_info) = bundle.into_messages();
    pending(conn, chat, true, handshake(commit, None, group_info)?)
}

/// A commit removing every leaf whose device `keep` refuses; `None` when there is none.
pub(crate) fn remove_leaves(
    conn: &Connection,
    identity: &DeviceIdentity,
    chat: ChatId,
    keep: &dyn Fn(AccountId, DeviceId) -> bool,
) -> Result<Option<Handshake>, E2eError> {
    let Some(mut group) = load(conn, chat)? else {
        return Ok(None);
    };
    if group.pending_commit().is_some() {
        return Ok(None);
    }
    let gone: Vec<LeafNodeIndex> = group
        .members()
        .filter(|m| {
            parse_identity(&m.credential).is_none_or(|(account, device)| !keep(account, device))
        })
        .map(|m| m.index)
        .collect();
    if gone.is_empty() {
        return Ok(None);
    }
    let provider = StoreProvider::new(conn);
    let (commit, welcome, group_info) = group
        .remove_members(&provider, &identity.keys, &gone)
        .map_err(|e| E2eError::Group(e.to_string()))?;
    let group_info = group_info.map(MlsMessageOut::from);
    pending(conn, chat, false, handshake(commit, welcome, group_info)?).map(Some)
}

/// Deletes the chat's group on this device (it is joined anew from the server).
pub(crate) fn forget(conn: &Connection, chat: ChatId) -> Result<(), E2eError> {
    take_pending(conn, chat)?;
    if let Some(mut group) = load(conn, chat)? {
        let provider = StoreProvider::new(conn);
        group
            .delete(openmls::prelude::OpenMlsProvider::storage(&provider))
            .map_err(|e| E2eError::Stored(e.to_string()))?;
    }
    Ok(())
}

/// The server accepted this device's pending commit: it becomes the group's state.
pub(crate) fn accepted(conn: &Connection, chat: ChatId) -> Result<(), E2eError> {
    if take_pending(conn, chat)?.is_none() {
        return Ok(());
    }
    merge_pending(conn, chat)
}

/// Another commit took the epoch of this device's pending commit: it is dropped.
pub(crate) fn refused(conn: &Connection, chat: ChatId) -> Result<(), E2eError> {
    let Some((_, fresh)) = take_pending(conn, chat)? else {
        return Ok(());
    };
    let Some(mut group) = load(conn, chat)? else {
        return Ok(());
    };
    let provider = StoreProvider::new(conn);
    let storage = openmls::prelude::OpenMlsProvider::storage(&provider);
    if fresh {
        group.delete(storage)
    } else {
        group.clear_pending_commit(storage)
    }
    .map_err(|e| E2eError::Stored(e.to_string()))
}

/// What applying a commit from the chat log did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CommitApplied {
    /// The group moved to the next epoch.
    Applied,
    /// Already applied (this device's own commit), or of an epoch this device has passed.
    Skipped,
    /// This device is not in the group: it must join.
    NotInGroup,
    /// This device was removed from the group by the commit.
    Removed,
}

/// Records that sync has seen the commit of `epoch` (and whether its Welcome follows).
pub(crate) fn seen_commit(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    welcome_follows: bool,
) -> Result<(), E2eError> {
    conn.prepare_cached(
        "INSERT INTO mls_seen (chat_id, epoch, welcome_pending) VALUES (?1, ?2, ?3)
         ON CONFLICT(chat_id) DO UPDATE SET epoch = excluded.epoch,
             welcome_pending = excluded.welcome_pending
         WHERE excluded.epoch >= mls_seen.epoch",
    )
    .and_then(|mut s| s.execute(params![chat.0 as i64, (epoch + 1) as i64, welcome_follows]))
    .map_err(|e| E2eError::Stored(e.to_string()))?;
    Ok(())
}

/// Records that sync has seen the Welcome of the newest commit.
pub(crate) fn seen_welcome(conn: &Connection, chat: ChatId) -> Result<(), E2eError> {
    conn.prepare_cached("UPDATE mls_seen SET welcome_pending = 0 WHERE chat_id = ?1")
        .and_then(|mut s| s.execute([chat.0 as i64]))
        .map_err(|e| E2eError::Stored(e.to_string()))?;
    Ok(())
}

/// Whether sync has seen every handshake of the chat's group up to `epoch` (the Welcome of
/// the last commit included).
pub(crate) fn has_seen(conn: &Connection, chat: ChatId, epoch: u64) -> Result<bool, E2eError> {
    let seen: Option<(i64, bool)> = conn
        .prepare_cached("SELECT epoch, welcome_pending FROM mls_seen WHERE chat_id = ?1")
        .and_then(|mut s| {
            s.query_row([chat.0 as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| E2eError::Stored(e.to_string()))?;
    Ok(seen
        .is_some_and(|(seen, pending)| seen as u64 > epoch || (seen as u64 == epoch && !pending)))
}

/// Applies a commit of the chat's log, made in `epoch`.
pub(crate) fn apply_commit(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    commit: &[u8],
) -> Result<CommitApplied, E2eError> {
    if let Some((mine, _)) = pending_commit(conn, chat)? {
        if mine == commit {
            accepted(conn, chat)?;
            return Ok(CommitApplied::Applied);
        }
        // Another device's commit took this epoch.
        refused(conn, chat)?;
    }
    let Some(mut group) = load(conn, chat)? else {
        return Ok(CommitApplied::NotInGroup);
    };
    let current = group.epoch().as_u64();
    if epoch < current {
        return Ok(CommitApplied::Skipped);
    }
    if epoch > current {
        return Ok(CommitApplied::NotInGroup);
    }
    let message = MlsMessageIn::tls_deserialize_exact(commit)
        .map_err(|e| E2eError::Group(e.to_string()))?
        .try_into_protocol_message()
        .map_err(|e| E2eError::Group(e.to_string()))?;
    let provider = StoreProvider::new(conn);
    let processed = group
        .process_message(&provider, message)
        .map_err(|e| E2eError::Group(e.to_string()))?;
    let ProcessedMessageContent::StagedCommitMessage(staged) = processed.into_content() else {
        return Err(E2eError::Group("the handshake is not a commit".into()));
    };
    group
        .merge_staged_commit(&provider, *staged)
        .map_err(|e| E2eError::Group(e.to_string()))?;
    if group.is_active() {
        Ok(CommitApplied::Applied)
    } else {
        group
            .delete(openmls::prelude::OpenMlsProvider::storage(&provider))
            .map_err(|e| E2eError::Stored(e.to_string()))?;
        Ok(CommitApplied::Removed)
    }
}

/// Joins the chat's group with a Welcome, if it has secrets for this device and the device
/// is not in the group yet. Returns whether it joined.
pub(crate) fn join_welcome(
    conn: &Connection,
    chat: ChatId,
    welcome: &[u8],
) -> Result<bool, E2eError> {
    if pending_commit(conn, chat)?.is_some_and(|(_, fresh)| fresh) {
        // This device was creating or joining the group itself, but the commit this
        // Welcome goes with took the epoch: its own attempt is void.
        refused(conn, chat)?;
    }
    if has_group(conn, chat)? {
        return Ok(false);
    }
    let MlsMessageBodyIn::Welcome(welcome) = MlsMessageIn::tls_deserialize_exact(welcome)
        .map_err(|e| E2eError::Group(e.to_string()))?
        .extract()
    else {
        return Err(E2eError::Group("not a Welcome".into()));
    };
    let provider = StoreProvider::new(conn);
    let staged = match StagedWelcome::new_from_welcome(&provider, &join_config(), welcome, None) {
        Ok(staged) => staged,
        // Secrets for other devices only.
        Err(openmls::group::WelcomeError::NoMatchingKeyPackage) => return Ok(false),
        Err(e) => return Err(E2eError::Group(e.to_string())),
    };
    let group = staged
        .into_group(&provider)
        .map_err(|e| E2eError::Group(e.to_string()))?;
    if group.group_id() != &group_id(chat) {
        let mut group = group;
        group
            .delete(openmls::prelude::OpenMlsProvider::storage(&provider))
            .map_err(|e| E2eError::Stored(e.to_string()))?;
        return Err(E2eError::Group("the Welcome is for another chat".into()));
    }
    Ok(true)
}

/// Encrypts a message body for the chat's group; `Ok(None)` while this device is not in
/// the group (or a commit of its own waits for the server).
pub(crate) fn seal(
    conn: &Connection,
    identity: &DeviceIdentity,
    chat: ChatId,
    plaintext: &[u8],
) -> Result<Option<Vec<u8>>, E2eError> {
    let Some(mut group) = load(conn, chat)? else {
        return Ok(None);
    };
    if !group.is_active() || group.pending_commit().is_some() {
        return Ok(None);
    }
    let provider = StoreProvider::new(conn);
    let message = group
        .create_message(&provider, &identity.keys, plaintext)
        .map_err(|e| E2eError::Group(e.to_string()))?;
    let mut wire = vec![MLS_PAYLOAD_TAG];
    wire.extend(
        message
            .tls_serialize_detached()
            .map_err(|e| E2eError::Group(e.to_string()))?,
    );
    Ok(Some(wire))
}

/// Chats' groups loaded during one store job, so that a batch of a chat's messages loads
/// its group once. It lives only as long as the job's transaction (a rollback drops it with
/// the job); anything that changes a group other than opening a message (a commit, a
/// Welcome, forgetting it) must [`forget`](GroupCache::forget) the chat, and a failed open
/// drops it too, so the next one starts from what the store has.
#[derive(Default)]
pub(crate) struct GroupCache(HashMap<ChatId, Option<MlsGroup>>);

impl GroupCache {
    /// Drops what is loaded for `chat`.
    pub(crate) fn forget(&mut self, chat: ChatId) {
        self.0.remove(&chat);
    }

    fn get(&mut self, conn: &Connection, chat: ChatId) -> Result<Option<&mut MlsGroup>, E2eError> {
        let group = match self.0.entry(chat) {
            Entry::Occupied(loaded) => loaded.into_mut(),
            Entry::Vacant(slot) => slot.insert(load(conn, chat)?),
        };
        Ok(group.as_mut())
    }
}

/// Decrypts a message payload of the chat. A plaintext payload is taken only in a chat
/// that has no group on this device (one made before end-to-end encryption).
pub(crate) fn open(
    conn: &Connection,
    groups: &mut GroupCache,
    chat: ChatId,
    wire: &[u8],
) -> Result<Vec<u8>, OpenError> {
    let opened = open_in(conn, groups, chat, wire);
    if opened.is_err() {
        groups.forget(chat);
    }
    opened
}

fn open_in(
    conn: &Connection,
    groups: &mut GroupCache,
    chat: ChatId,
    wire: &[u8],
) -> Result<Vec<u8>, OpenError> {
    let group = groups
        .get(conn, chat)
        .map_err(|e| OpenError::Refused(e.to_string()))?;
    let Some((&MLS_PAYLOAD_TAG, mls)) = wire.split_first() else {
        return match group {
            None => Ok(wire.to_vec()),
            Some(_) => Err(OpenError::NotEncrypted),
        };
    };
    let Some(group) = group else {
        return Err(OpenError::NotInGroup);
    };
    // A group this device is only joining (its commit not accepted yet) has no keys for
    // what others send in the meantime.
    if pending_commit(conn, chat)
        .map_err(|e| OpenError::Refused(e.to_string()))?
        .is_some_and(|(_, fresh)| fresh)
    {
        return Err(OpenError::NotInGroup);
    }
    let refused = |e: String| OpenError::Refused(e);
    let message = MlsMessageIn::tls_deserialize_exact(mls)
        .map_err(|e| refused(e.to_string()))?
        .try_into_protocol_message()
        .map_err(|e| refused(e.to_string()))?;
    let provider = StoreProvider::new(conn);
    let processed = group
        .process_message(&provider, message)
        .map_err(|e| refused(e.to_string()))?;
    match processed.into_content() {
        ProcessedMessageContent::ApplicationMessage(message) => Ok(message.into_bytes()),
        _ => Err(refused("not an application message".into())),
    }
}

fn merge_pending(conn: &Connection, chat: ChatId) -> Result<(), E2eError> {
    let Some(mut group) = load(conn, chat)? else {
        return Ok(());
    };
    let provider = StoreProvider::new(conn);
    group
        .merge_pending_commit(&provider)
        .map_err(|e| E2eError::Group(e.to_string()))
}

fn handshake(
    commit: MlsMessageOut,
    welcome: Option<MlsMessageOut>,
    group_info: Option<MlsMessageOut>,
) -> Result<Handshake, E2eError> {
    let serialize = |m: &MlsMessageOut| {
        m.tls_serialize_detached()
            .map_err(|e| E2eError::Group(e.to_string()))
    };
    let group_info = group_info
        .ok_or_else(|| E2eError::Group("the commit came without its group info".into()))?;
    Ok(Handshake {
        commit: serialize(&commit)?,
        group_info: serialize(&group_info)?,
        welcome: welcome.as_ref().map(serialize).transpose()?,
    })
}

/// Records a commit of this device that waits for the server.
fn pending(
    conn: &Connection,
    chat: ChatId,
    fresh: bool,
    handshake: Handshake,
) -> Result<Handshake, E2eError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO mls_pending (chat_id, commit_bytes, fresh) VALUES (?1, ?2, ?3)",
    )
    .and_then(|mut s| s.execute(params![chat.0 as i64, handshake.commit, fresh]))
    .map_err(|e| E2eError::Stored(e.to_string()))?;
    Ok(handshake)
}

fn pending_commit(conn: &Connection, chat: ChatId) -> Result<Option<(Vec<u8>, bool)>, E2eError> {
    conn.prepare_cached("SELECT commit_bytes, fresh FROM mls_pending WHERE chat_id = ?1")
        .and_then(|mut s| {
            s.query_row([chat.0 as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| E2eError::Stored(e.to_string()))
}

fn take_pending(conn: &Connection, chat: ChatId) -> Result<Option<(Vec<u8>, bool)>, E2eError> {
    let found = pending_commit(conn, chat)?;
    if found.is_some() {
        conn.prepare_cached("DELETE FROM mls_pending WHERE chat_id = ?1")
            .and_then(|mut s| s.execute([chat.0 as i64]))
            .map_err(|e| E2eError::Stored(e.to_string()))?;
    }
    Ok(found)
}
