//! A member's own settings of a chat (muted, archived), synced to all of its devices, and
//! the archive's rule: a new message takes a chat out of the archive unless it is muted;
//! and the account's chat folders.

use super::{fan_out, Applied, Pointer};
use crate::store::sql::views::{require_member, update_kind};
use crate::store::sql::{args, Db};
use crate::store::{Delivery, StoreError, WriteOutcome};
use wren_proto::{AccountId, ChatId, ChatSettings, Folder, Seq, Update};

/// A change to one setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// Muted until then, or not muted.
    Muted(Option<u64>),
    /// In the archive or not.
    Archived(bool),
}

/// Applies `change` to `account`'s settings of `chat` and tells its devices.
pub(super) fn set(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
    change: Change,
) -> Result<Applied, StoreError> {
    require_member(db, chat, account)?;
    let statement = match change {
        Change::Muted(_) => {
            "UPDATE members SET muted_until = ?3 WHERE chat_id = ?1 AND account_id = ?2"
        }
        Change::Archived(_) => {
            "UPDATE members SET archived = ?3 WHERE chat_id = ?1 AND account_id = ?2"
        }
    };
    let value = match change {
        Change::Muted(until) => until.map(|u| u.min(i64::MAX as u64) as i64),
        Change::Archived(archived) => Some(i64::from(archived)),
    };
    db.execute(statement, args![chat.0, account.0, value])?;
    let settings = of(db, account, chat)?;
    let mut deliveries = Vec::with_capacity(1);
    announce(db, account, settings, &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::ChatSettings(settings),
        deliveries,
    })
}

/// After a new message at `now`: members who archived the chat without muting it (or
/// whose mute ran out) get it back in their list.
pub(super) fn unarchive_on_message(
    db: Db<'_>,
    chat: ChatId,
    now: u64,
    deliveries: &mut Vec<Delivery>,
) -> Result<(), StoreError> {
    let back: Vec<AccountId> = db.query_all(
        "UPDATE members SET archived = 0
         WHERE chat_id = ?1 AND archived = 1 AND (muted_until IS NULL OR muted_until <= ?2)
         RETURNING account_id",
        args![chat.0, now.min(i64::MAX as u64) as i64],
        |row| row.get(0).map(AccountId),
    )?;
    for account in back {
        let settings = of(db, account, chat)?;
        announce(db, account, settings, deliveries)?;
    }
    Ok(())
}

/// The member's settings of the chat (the defaults once it left).
pub(crate) fn of(db: Db<'_>, account: AccountId, chat: ChatId) -> Result<ChatSettings, StoreError> {
    let row: Option<(Option<i64>, bool)> = db.query_opt(
        "SELECT muted_until, archived FROM members WHERE chat_id = ?1 AND account_id = ?2",
        args![chat.0, account.0],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (muted_until, archived) = row.unwrap_or((None, false));
    Ok(ChatSettings {
        chat,
        muted_until: muted_until.map(|u| u.max(0) as u64),
        archived,
    })
}

/// The account's chats whose settings are not the defaults.
pub(crate) fn all(db: Db<'_>, account: AccountId) -> Result<Vec<ChatSettings>, StoreError> {
    let chats: Vec<ChatId> = db.query_all(
        "SELECT chat_id FROM members
         WHERE account_id = ?1 AND (muted_until IS NOT NULL OR archived = 1)
         ORDER BY chat_id",
        args![account.0],
        |row| row.get(0).map(ChatId),
    )?;
    chats
        .into_iter()
        .map(|chat| of(db, account, chat))
        .collect()
}

fn announce(
    db: Db<'_>,
    account: AccountId,
    settings: ChatSettings,
    deliveries: &mut Vec<Delivery>,
) -> Result<(), StoreError> {
    let pointer = Pointer {
        kind: update_kind::CHAT_SETTINGS,
        chat: settings.chat,
        seq: Seq(0),
        extra: 0,
    };
    fan_out(
        db,
        &[account],
        pointer,
        Update::ChatSettingsChanged(settings),
        deliveries,
    )
}

/// Replaces the account's chat folders (already checked) and tells its devices.
pub(super) fn set_folders(
    db: Db<'_>,
    account: AccountId,
    folders: Vec<Folder>,
) -> Result<Applied, StoreError> {
    let bytes = postcard::to_stdvec(&folders)
        .map_err(|e| StoreError::Corrupt(format!("folders do not encode: {e}")))?;
    db.execute(
        "UPDATE accounts SET folders = ?2 WHERE id = ?1",
        args![account.0, bytes],
    )?;
    let pointer = Pointer {
        kind: update_kind::FOLDERS,
        chat: ChatId(0),
        seq: Seq(0),
        extra: 0,
    };
    let mut deliveries = Vec::with_capacity(1);
    fan_out(
        db,
        &[account],
        pointer,
        Update::FoldersChanged(folders.clone()),
        &mut deliveries,
    )?;
    Ok(Applied {
        outcome: WriteOutcome::Folders(folders),
        deliveries,
    })
}

/// The account's chat folders, in tab order.
pub(crate) fn folders(db: Db<'_>, account: AccountId) -> Result<Vec<Folder>, StoreError> {
    let bytes: Option<Vec<u8>> = db
        .query_opt(
            "SELECT folders FROM accounts WHERE id = ?1",
            args![account.0],
            |row| row.get(0),
        )?
        .flatten();
    match bytes {
        None => Ok(Vec::new()),
        Some(bytes) => postcard::from_bytes(&bytes)
            .map_err(|e| StoreError::Corrupt(format!("stored folders do not read: {e}"))),
    }
}
