//! A member's own settings of a chat (muted, archived), synced to all of its devices, and
//! the archive's rule: a new message takes a chat out of the archive unless it is muted;
//! and the account's chat folders.

use super::{fan_out, Applied, Pointer};
use crate::store::sql::views::{require_member, update_kind};
use crate::store::sql::Db;
use crate::store::sqlite::db_err;
use crate::store::{Delivery, StoreError, WriteOutcome};
use rusqlite::{params, Connection, OptionalExtension};
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
    conn: &Connection,
    account: AccountId,
    chat: ChatId,
    change: Change,
) -> Result<Applied, StoreError> {
    require_member(Db::Sqlite(conn), chat, account)?;
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
    conn.prepare_cached(statement)
        .map_err(db_err)?
        .execute(params![chat.0, account.0, value])
        .map_err(db_err)?;
    let settings = of(conn, account, chat)?;
    let mut deliveries = Vec::with_capacity(1);
    announce(conn, account, settings, &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::ChatSettings(settings),
        deliveries,
    })
}

/// After a new message at `now`: members who archived the chat without muting it (or
/// whose mute ran out) get it back in their list.
pub(super) fn unarchive_on_message(
    conn: &Connection,
    chat: ChatId,
    now: u64,
    deliveries: &mut Vec<Delivery>,
) -> Result<(), StoreError> {
    let back: Vec<AccountId> = conn
        .prepare_cached(
            "UPDATE members SET archived = 0
             WHERE chat_id = ?1 AND archived = 1 AND (muted_until IS NULL OR muted_until <= ?2)
             RETURNING account_id",
        )
        .map_err(db_err)?
        .query_map(params![chat.0, now.min(i64::MAX as u64) as i64], |row| {
            row.get(0).map(AccountId)
        })
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    for account in back {
        let settings = of(conn, account, chat)?;
        announce(conn, account, settings, deliveries)?;
    }
    Ok(())
}

/// The member's settings of the chat (the defaults once it left).
pub(in crate::store::sqlite) fn of(
    conn: &Connection,
    account: AccountId,
    chat: ChatId,
) -> Result<ChatSettings, StoreError> {
    let row: Option<(Option<i64>, bool)> = conn
        .prepare_cached(
            "SELECT muted_until, archived FROM members WHERE chat_id = ?1 AND account_id = ?2",
        )
        .map_err(db_err)?
        .query_row(params![chat.0, account.0], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(db_err)?;
    let (muted_until, archived) = row.unwrap_or((None, false));
    Ok(ChatSettings {
        chat,
        muted_until: muted_until.map(|u| u.max(0) as u64),
        archived,
    })
}

/// The account's chats whose settings are not the defaults.
pub(in crate::store::sqlite) fn all(
    conn: &Connection,
    account: AccountId,
) -> Result<Vec<ChatSettings>, StoreError> {
    let chats: Vec<ChatId> = conn
        .prepare_cached(
            "SELECT chat_id FROM members
             WHERE account_id = ?1 AND (muted_until IS NOT NULL OR archived = 1)
             ORDER BY chat_id",
        )
        .map_err(db_err)?
        .query_map([account.0], |row| row.get(0).map(ChatId))
        .map_err(db_err)?
        .collect::<Result<_, _>>()
        .map_err(db_err)?;
    chats
        .into_iter()
        .map(|chat| of(conn, account, chat))
        .collect()
}

fn announce(
    conn: &Connection,
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
        conn,
        &[account],
        pointer,
        Update::ChatSettingsChanged(settings),
        deliveries,
    )
}

/// Replaces the account's chat folders (already checked) and tells its devices.
pub(super) fn set_folders(
    conn: &Connection,
    account: AccountId,
    folders: Vec<Folder>,
) -> Result<Applied, StoreError> {
    let bytes = postcard::to_stdvec(&folders)
        .map_err(|e| StoreError::Corrupt(format!("folders do not encode: {e}")))?;
    conn.prepare_cached("UPDATE accounts SET folders = ?2 WHERE id = ?1")
        .map_err(db_err)?
        .execute(params![account.0, bytes])
        .map_err(db_err)?;
    let pointer = Pointer {
        kind: update_kind::FOLDERS,
        chat: ChatId(0),
        seq: Seq(0),
        extra: 0,
    };
    let mut deliveries = Vec::with_capacity(1);
    fan_out(
        conn,
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
pub(in crate::store::sqlite) fn folders(
    conn: &Connection,
    account: AccountId,
) -> Result<Vec<Folder>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT folders FROM accounts WHERE id = ?1")
        .map_err(db_err)?
        .query_row([account.0], |row| row.get(0))
        .optional()
        .map_err(db_err)?
        .flatten();
    match bytes {
        None => Ok(Vec::new()),
        Some(bytes) => postcard::from_bytes(&bytes)
            .map_err(|e| StoreError::Corrupt(format!("stored folders do not read: {e}"))),
    }
}
