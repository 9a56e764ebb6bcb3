//! Read queries: credentials, devices, chats, history.

use super::db_err;
use crate::store::sql::views::{
    chat_info, log_kind, member_ids, message_from_row, require_member, MESSAGE_COLUMNS,
};
use crate::store::sql::{args, Db};
use crate::store::{ChatPage, Credentials, StoreError, TokenOwner};
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::rules::MAX_HISTORY_PAGE;
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatInfo, DeviceId, DeviceInfo, DeviceKey, ErrorCode, Message,
    Seq,
};

/// The most chats one `GetChats` page holds.
pub(super) const MAX_CHATS_PAGE: usize = 500;

/// Pages are cut to stay this far under the largest server frame.
pub(super) const FRAME_BUDGET: usize = wren_proto::codec::MAX_SERVER_FRAME_BYTES - 64 * 1024;

/// An account's username and password hash.
pub(super) fn credentials(
    conn: &Connection,
    username: &str,
) -> Result<Option<Credentials>, StoreError> {
    conn.prepare_cached(
        "SELECT id, username, password_hash, display_name FROM accounts WHERE username = ?1",
    )
    .map_err(db_err)?
    .query_row([username], |row| {
        Ok(Credentials {
            account: AccountInfo {
                id: AccountId(row.get(0)?),
                username: row.get(1)?,
                display_name: row.get(3)?,
            },
            password_hash: row.get(2)?,
        })
    })
    .optional()
    .map_err(db_err)
}

/// An account by username.
pub(super) fn lookup_user(
    conn: &Connection,
    username: &str,
) -> Result<Option<AccountInfo>, StoreError> {
    Ok(credentials(conn, username)?.map(|c| c.account))
}

/// The account's devices that are not revoked.
pub(super) fn devices(
    conn: &Connection,
    account: AccountId,
    current: DeviceId,
) -> Result<Vec<DeviceInfo>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, name, created_at, last_seen_at FROM devices \
             WHERE account_id = ?1 AND revoked_at IS NULL ORDER BY id",
        )
        .map_err(db_err)?;
    let rows = stmt
        .query_map([account.0], |row| {
            let id = DeviceId(row.get(0)?);
            Ok(DeviceInfo {
                id,
                name: row.get(1)?,
                created_at: row.get(2)?,
                last_seen_at: row.get(3)?,
                current: id == current,
            })
        })
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

/// How many key packages are left in a device's pool.
pub(super) fn key_package_count(conn: &Connection, device: DeviceId) -> Result<u32, StoreError> {
    let n: u64 = conn
        .prepare_cached("SELECT COUNT(*) FROM key_packages WHERE device_id = ?1")
        .map_err(db_err)?
        .query_row([device.0], |row| row.get(0))
        .map_err(db_err)?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{n} key packages")))
}

/// The live devices of an account that have an identity key, by id.
pub(super) fn device_keys(
    conn: &mut Connection,
    account: AccountId,
) -> Result<Vec<DeviceKey>, StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    let exists = tx
        .prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")
        .map_err(db_err)?
        .exists([account.0])
        .map_err(db_err)?;
    if !exists {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "there is no such account",
        ));
    }
    let mut stmt = tx
        .prepare_cached(
            "SELECT id, identity_key FROM devices WHERE account_id = ?1 \
             AND revoked_at IS NULL AND identity_key IS NOT NULL ORDER BY id",
        )
        .map_err(db_err)?;
    let rows = stmt
        .query_map([account.0], |row| {
            Ok(DeviceKey {
                device: DeviceId(row.get(0)?),
                identity_key: row.get(1)?,
            })
        })
        .map_err(db_err)?;
    rows.collect::<Result<_, _>>().map_err(db_err)
}

/// The account's chats after `after`, oldest first, at most [`MAX_CHATS_PAGE`] and cut to
/// fit a frame (a page always has at least one chat when any follows).
pub(super) fn chats(
    conn: &mut Connection,
    account: AccountId,
    after: Option<ChatId>,
) -> Result<ChatPage, StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    let after = after.map_or(0, |c| c.0);
    let ids: Vec<u64> = {
        let mut stmt = tx
            .prepare_cached(
                "SELECT chat_id FROM members WHERE account_id = ?1 AND chat_id > ?2                  ORDER BY chat_id LIMIT ?3",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![account.0, after, MAX_CHATS_PAGE + 1], |row| {
                row.get(0)
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)?
    };
    let mut more = ids.len() > MAX_CHATS_PAGE;
    let mut chats = Vec::with_capacity(ids.len().min(MAX_CHATS_PAGE));
    let mut bytes = 0;
    for id in ids.into_iter().take(MAX_CHATS_PAGE) {
        let Some(info) = chat_info(Db::Sqlite(&tx), ChatId(id), account)? else {
            continue;
        };
        bytes += wren_proto::encoded_len(&info).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if bytes > FRAME_BUDGET && !chats.is_empty() {
            more = true;
            break;
        }
        chats.push(info);
    }
    Ok(ChatPage { chats, more })
}

/// The live device with this token hash.
pub(super) fn token_owner(
    conn: &Connection,
    token_hash: &[u8; 32],
) -> Result<Option<TokenOwner>, StoreError> {
    conn.prepare_cached(
        "SELECT id, account_id FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL",
    )
    .map_err(db_err)?
    .query_row([&token_hash[..]], |row| {
        Ok(TokenOwner {
            device: DeviceId(row.get(0)?),
            account: AccountId(row.get(1)?),
        })
    })
    .optional()
    .map_err(db_err)
}

/// One chat the account is in.
pub(super) fn chat(
    conn: &mut Connection,
    account: AccountId,
    chat: ChatId,
) -> Result<ChatInfo, StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    require_member(Db::Sqlite(&tx), chat, account)?;
    chat_info(Db::Sqlite(&tx), chat, account)?.ok_or_else(StoreError::not_member)
}

/// The members of a chat the account is in.
pub(super) fn members_of(
    conn: &mut Connection,
    account: AccountId,
    chat: ChatId,
) -> Result<Vec<AccountId>, StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    require_member(Db::Sqlite(&tx), chat, account)?;
    member_ids(Db::Sqlite(&tx), chat)
}

/// The MLS epoch and group info of a chat the account is in.
pub(super) fn group_info(
    conn: &mut Connection,
    account: AccountId,
    chat: ChatId,
) -> Result<(u64, Option<Vec<u8>>), StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    require_member(Db::Sqlite(&tx), chat, account)?;
    let group = tx
        .prepare_cached("SELECT mls_epoch, group_info FROM chats WHERE id = ?1")
        .map_err(db_err)?
        .query_row([chat.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(db_err)?;
    Ok(group)
}

/// The newest sealed title of a chat the account is in: its epoch and bytes.
pub(super) fn sealed_title(
    conn: &mut Connection,
    account: AccountId,
    chat: ChatId,
) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    require_member(Db::Sqlite(&tx), chat, account)?;
    let sealed = tx
        .prepare_cached(
            "SELECT l.target, l.payload FROM chats c \
             JOIN chat_log l ON l.chat_id = c.id AND l.seq = c.sealed_title_seq \
             WHERE c.id = ?1",
        )
        .map_err(db_err)?
        .query_row([chat.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db_err)?;
    Ok(sealed)
}

/// Messages before `before`, newest first, capped by count and by frame size.
pub(super) fn history(
    conn: &mut Connection,
    account: AccountId,
    chat: ChatId,
    before: Option<Seq>,
    limit: u32,
) -> Result<Vec<Message>, StoreError> {
    let tx = conn.transaction().map_err(db_err)?;
    require_member(Db::Sqlite(&tx), chat, account)?;
    let before = before.map_or(i64::MAX, |s| i64::try_from(s.0).unwrap_or(i64::MAX));
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM chat_log WHERE chat_id = ?1 AND kind = {} AND seq < ?2 \
         ORDER BY seq DESC LIMIT ?3",
        log_kind::MESSAGE
    );
    let messages = Db::Sqlite(&tx).query_all(
        &sql,
        args![chat.0, before, limit.min(MAX_HISTORY_PAGE)],
        message_from_row,
    )?;
    let mut page = Vec::new();
    let mut bytes = 0;
    for msg in messages {
        bytes += wren_proto::encoded_len(&msg).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if bytes > FRAME_BUDGET && !page.is_empty() {
            break;
        }
        page.push(msg);
    }
    Ok(page)
}
