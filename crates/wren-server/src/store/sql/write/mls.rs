//! The delivery service's writes: accepting one commit per epoch of a chat's MLS group,
//! and checking that a message was encrypted in the group's current epoch.

use super::{append_event, notify_members, Applied, Event};
use crate::store::sql::views::{log_kind, require_member, update_kind};
use crate::store::sql::{args, Db};
use crate::store::{StoreError, WriteOutcome};
use wren_proto::{AccountId, ChatId, ErrorCode, Update};

/// The commit that the op carries.
pub(super) struct Commit {
    pub(super) epoch: u64,
    pub(super) commit: Vec<u8>,
    pub(super) group_info: Vec<u8>,
    pub(super) welcome: Option<Vec<u8>>,
}

/// Accepts `commit` if it was made in the chat's current epoch: it becomes the chat's next
/// handshake, its Welcome follows it, and every member's devices get both.
pub(super) fn publish_commit(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
    commit: Commit,
    now: u64,
) -> Result<Applied, StoreError> {
    require_member(db, chat, account)?;
    let current = epoch_of(db, chat)?;
    if commit.epoch != current {
        return Err(stale_or_unknown(commit.epoch, current));
    }
    let epoch = current + 1;
    // Conditional on the epoch read above: when another writer (another node, on a
    // database with concurrent writers) moved the group on meanwhile, this changes nothing
    // and the commit is refused as stale.
    let moved = db.execute(
        "UPDATE chats SET mls_epoch = ?2, group_info = ?3 WHERE id = ?1 AND mls_epoch = ?4",
        args![chat.0, epoch, commit.group_info, current],
    )?;
    if moved == 0 {
        return Err(stale_or_unknown(commit.epoch, epoch));
    }
    let log_seq = append_handshake(
        db,
        chat,
        account,
        log_kind::MLS_COMMIT,
        &commit.commit,
        commit.epoch,
        now,
    )?;
    let mut applied = notify_members(
        db,
        chat,
        log_seq,
        update_kind::MLS_COMMIT,
        Update::MlsCommit {
            chat,
            log_seq,
            epoch: commit.epoch,
            welcome_follows: commit.welcome.is_some(),
            commit: commit.commit,
        },
    )?;
    if let Some(welcome) = commit.welcome {
        let seq = append_handshake(
            db,
            chat,
            account,
            log_kind::MLS_WELCOME,
            &welcome,
            commit.epoch,
            now,
        )?;
        let welcomed = notify_members(
            db,
            chat,
            seq,
            update_kind::MLS_WELCOME,
            Update::MlsWelcome {
                chat,
                log_seq: seq,
                welcome,
            },
        )?;
        applied.deliveries.extend(welcomed.deliveries);
    }
    applied.outcome = WriteOutcome::CommitAccepted { epoch, log_seq };
    Ok(applied)
}

/// Checks a message payload's MLS epoch (`None`: a plaintext payload) against the chat's
/// group: once the chat has a group, only messages of its current epoch are taken.
pub(super) fn check_payload_epoch(
    db: Db<'_>,
    chat: ChatId,
    epoch: Option<u64>,
) -> Result<(), StoreError> {
    let current = epoch_of(db, chat)?;
    match epoch {
        None if current == 0 => Ok(()),
        None => Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "this chat is end-to-end encrypted: a message must be an MLS message",
        )),
        Some(epoch) if epoch == current && current > 0 => Ok(()),
        Some(epoch) => Err(stale_or_unknown(epoch, current)),
    }
}

/// Takes a group title sealed in the group's current epoch by an admin: it becomes the
/// chat's title for every member's devices, and the server forgets any plaintext title. A
/// title sealed again (not a rename) is refused once one is sealed for that epoch.
pub(super) fn seal_title(
    db: Db<'_>,
    actor: AccountId,
    chat: ChatId,
    (epoch, sealed, rename): (u64, Vec<u8>, bool),
    now: u64,
) -> Result<Applied, StoreError> {
    super::chats::require_admin(db, chat, actor, "only admins can set the group's title")?;
    let current = epoch_of(db, chat)?;
    if current == 0 {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "the chat has no encryption group yet to seal its title with",
        ));
    }
    if epoch != current {
        return Err(stale_or_unknown(epoch, current));
    }
    if !rename && sealed_title_epoch(db, chat)? >= Some(epoch) {
        return Err(StoreError::rejected(
            ErrorCode::Conflict,
            format!("the group's title is sealed for epoch {epoch} already"),
        ));
    }
    let log_seq = append_handshake(db, chat, actor, log_kind::TITLE_SEALED, &sealed, epoch, now)?;
    db.execute(
        "UPDATE chats SET title = '', sealed_title_seq = ?2 WHERE id = ?1",
        args![chat.0, log_seq.0],
    )?;
    db.execute(
        "UPDATE chat_log SET text = NULL \
         WHERE chat_id = ?1 AND kind IN (?2, ?3) AND text IS NOT NULL",
        args![chat.0, log_kind::CREATED, log_kind::RENAMED],
    )?;
    let mut applied = notify_members(
        db,
        chat,
        log_seq,
        update_kind::TITLE_SEALED,
        Update::TitleSealed {
            chat,
            log_seq,
            epoch,
            sealed,
        },
    )?;
    applied.outcome = WriteOutcome::Done;
    Ok(applied)
}

/// The epoch of the chat's newest sealed title.
fn sealed_title_epoch(db: Db<'_>, chat: ChatId) -> Result<Option<u64>, StoreError> {
    db.query_opt(
        "SELECT l.target FROM chats c \
         JOIN chat_log l ON l.chat_id = c.id AND l.seq = c.sealed_title_seq WHERE c.id = ?1",
        args![chat.0],
        |r| r.get(0),
    )
}

/// The epoch of the chat's MLS group (0: none yet).
pub(super) fn epoch_of(db: Db<'_>, chat: ChatId) -> Result<u64, StoreError> {
    db.query_one(
        "SELECT mls_epoch FROM chats WHERE id = ?1",
        args![chat.0],
        |r| r.get(0),
    )
}

fn stale_or_unknown(epoch: u64, current: u64) -> StoreError {
    if epoch < current {
        StoreError::rejected(
            ErrorCode::StaleEpoch,
            format!("the chat's encryption group is at epoch {current}, not {epoch}"),
        )
    } else {
        StoreError::rejected(
            ErrorCode::BadRequest,
            format!("the chat's encryption group has no epoch {epoch} yet"),
        )
    }
}

fn append_handshake(
    db: Db<'_>,
    chat: ChatId,
    actor: AccountId,
    kind: i64,
    bytes: &[u8],
    epoch: u64,
    now: u64,
) -> Result<wren_proto::Seq, StoreError> {
    let mut event = Event::new(kind, actor);
    event.target = Some(epoch);
    let seq = append_event(db, chat, &event, now)?;
    db.execute(
        "UPDATE chat_log SET payload = ?3 WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, seq.0, bytes],
    )?;
    Ok(seq)
}
