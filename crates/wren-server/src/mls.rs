//! What the delivery service reads of MLS messages: their clear framing (group, epoch,
//! content type, wire format), and the devices in a group info's ratchet tree (checked by
//! openmls: tree hashes and signatures). Contents stay opaque; the server holds no keys.

use openmls::group::{ProposalStore, PublicGroup};
use openmls::prelude::tls_codec::Deserialize as _;
use openmls::prelude::{
    BasicCredential, ContentType, Credential, MlsMessageBodyIn, MlsMessageIn, ProtocolMessage,
};
use openmls_memory_storage::MemoryStorage;
use openmls_rust_crypto::RustCrypto;
use wren_proto::rules::MLS_PAYLOAD_TAG;
use wren_proto::{AccountId, ChatId, DeviceId};

/// Why an MLS message was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FramingError {
    /// Not a well-formed MLS message of the expected kind.
    #[error("{0}")]
    Malformed(&'static str),
    /// The message belongs to another chat's group.
    #[error("the MLS message is for another chat's group")]
    OtherGroup,
}

/// The MLS group id of a chat: its id as 8 big-endian bytes.
pub(crate) fn group_id(chat: ChatId) -> [u8; 8] {
    chat.0.to_be_bytes()
}

/// A message payload: a plaintext one of a chat made before end-to-end encryption, or an
/// MLS application message with the epoch it was made in.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Payload {
    /// Not an MLS message.
    Plain,
    /// An MLS `PrivateMessage` of the chat's group.
    Mls {
        /// The epoch it was encrypted in.
        epoch: u64,
    },
}

/// Reads a message payload's framing.
pub(crate) fn payload(chat: ChatId, bytes: &[u8]) -> Result<Payload, FramingError> {
    let Some((&MLS_PAYLOAD_TAG, mls)) = bytes.split_first() else {
        return Ok(Payload::Plain);
    };
    let message = protocol_message(mls)?;
    let ProtocolMessage::PrivateMessage(_) = &message else {
        return Err(FramingError::Malformed(
            "an application message must be an MLS PrivateMessage",
        ));
    };
    if message.content_type() != ContentType::Application {
        return Err(FramingError::Malformed(
            "a chat message must be an MLS application message",
        ));
    }
    same_group(chat, message.group_id().as_slice())?;
    Ok(Payload::Mls {
        epoch: message.epoch().as_u64(),
    })
}

/// A commit's epoch, after checking it is a `PublicMessage` commit of the chat's group,
/// that `group_info` is the group info of the epoch it starts, and that `welcome` (if any)
/// is a Welcome.
pub(crate) fn commit(
    chat: ChatId,
    commit: &[u8],
    group_info: &[u8],
    welcome: Option<&[u8]>,
) -> Result<u64, FramingError> {
    let message = protocol_message(commit)?;
    let ProtocolMessage::PublicMessage(_) = &message else {
        return Err(FramingError::Malformed(
            "a commit must be an MLS PublicMessage, so that the server can order it",
        ));
    };
    if message.content_type() != ContentType::Commit {
        return Err(FramingError::Malformed("the handshake is not a commit"));
    }
    same_group(chat, message.group_id().as_slice())?;
    let epoch = message.epoch().as_u64();
    let MlsMessageBodyIn::GroupInfo(info) = deserialize(group_info)?.extract() else {
        return Err(FramingError::Malformed(
            "the group info is not an MLS GroupInfo",
        ));
    };
    same_group(chat, info.group_id().as_slice())?;
    if info.epoch().as_u64() != epoch + 1 {
        return Err(FramingError::Malformed(
            "the group info is not of the epoch the commit starts",
        ));
    }
    if let Some(welcome) = welcome {
        let MlsMessageBodyIn::Welcome(_) = deserialize(welcome)?.extract() else {
            return Err(FramingError::Malformed("the welcome is not an MLS Welcome"));
        };
    }
    Ok(epoch)
}

/// A device in a group's ratchet tree, as its leaf names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LeafDevice {
    /// The account its credential names.
    pub(crate) account: AccountId,
    /// The device its credential names.
    pub(crate) device: DeviceId,
    /// Its signature key.
    pub(crate) key: Vec<u8>,
}

/// The devices in a serialized group info's ratchet tree, after openmls checked the tree
/// and the group info's signature. A leaf whose credential is not a Wren device's is an
/// error.
pub(crate) fn group_devices(group_info: &[u8]) -> Result<Vec<LeafDevice>, FramingError> {
    let MlsMessageBodyIn::GroupInfo(info) = deserialize(group_info)?.extract() else {
        return Err(FramingError::Malformed(
            "the group info is not an MLS GroupInfo",
        ));
    };
    let tree = info
        .extensions()
        .ratchet_tree()
        .ok_or(FramingError::Malformed(
            "the group info carries no ratchet tree",
        ))?
        .ratchet_tree()
        .clone();
    let (group, _) = PublicGroup::from_external(
        &RustCrypto::default(),
        &MemoryStorage::default(),
        tree,
        info,
        ProposalStore::new(),
    )
    .map_err(|_| FramingError::Malformed("the group info's tree or signature is invalid"))?;
    group
        .members()
        .map(|member| {
            let (account, device) = parse_identity(&member.credential)
                .ok_or(FramingError::Malformed("a leaf is not a Wren device"))?;
            Ok(LeafDevice {
                account,
                device,
                key: member.signature_key,
            })
        })
        .collect()
}

/// The account and device of a `wren:<account>:<device>` basic credential.
fn parse_identity(credential: &Credential) -> Option<(AccountId, DeviceId)> {
    let basic = BasicCredential::try_from(credential.clone()).ok()?;
    wren_proto::rules::parse_device_identity(basic.identity())
}

fn protocol_message(bytes: &[u8]) -> Result<ProtocolMessage, FramingError> {
    deserialize(bytes)?
        .try_into_protocol_message()
        .map_err(|_| FramingError::Malformed("not an MLS protocol message"))
}

fn deserialize(bytes: &[u8]) -> Result<MlsMessageIn, FramingError> {
    MlsMessageIn::tls_deserialize_exact(bytes)
        .map_err(|_| FramingError::Malformed("not a well-formed MLS message"))
}

fn same_group(chat: ChatId, group: &[u8]) -> Result<(), FramingError> {
    if group == group_id(chat) {
        Ok(())
    } else {
        Err(FramingError::OtherGroup)
    }
}
