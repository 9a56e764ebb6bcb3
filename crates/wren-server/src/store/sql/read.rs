//! Read queries: credentials, devices, chats, history.

use crate::store::sql::views::{
    chat_info, log_kind, member_ids, message_from_row, require_account, require_member,
    MESSAGE_COLUMNS,
};
use crate::store::sql::{args, Db};
use crate::store::{ChatPage, Credentials, StoreError, TokenOwner};
use wren_proto::rules::MAX_HISTORY_PAGE;
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatInfo, DeviceId, DeviceInfo, DeviceKey, Message, Seq,
};

/// The most chats one `GetChats` page holds.
pub(super) const MAX_CHATS_PAGE: usize = 500;

/// Pages are cut to stay this far under the largest server frame.
pub(super) const FRAME_BUDGET: usize = wren_proto::codec::MAX_SERVER_FRAME_BYTES - 64 * 1024;

/// An account's username and password hash.
pub(crate) fn credentials(db: Db<'_>, username: &str) -> Result<Option<Credentials>, StoreError> {
    db.query_opt(
        "SELECT id, username, password_hash, display_name FROM accounts WHERE username = ?1",
        args![username],
        |row| {
            Ok(Credentials {
                account: AccountInfo {
                    id: AccountId(row.get(0)?),
                    username: row.get(1)?,
                    display_name: row.get(3)?,
                },
                password_hash: row.get(2)?,
            })
        },
    )
}

/// An account by username.
pub(crate) fn lookup_user(db: Db<'_>, username: &str) -> Result<Option<AccountInfo>, StoreError> {
    Ok(credentials(db, username)?.map(|c| c.account))
}

/// The account's devices that are not revoked.
pub(crate) fn devices(
    db: Db<'_>,
    account: AccountId,
    current: DeviceId,
) -> Result<Vec<DeviceInfo>, StoreError> {
    let rows = db.query_all(
        "SELECT id, name, created_at, last_seen_at FROM devices \
             WHERE account_id = ?1 AND revoked_at IS NULL ORDER BY id",
        args![account.0],
        |row| {
            let id = DeviceId(row.get(0)?);
            Ok(DeviceInfo {
                id,
                name: row.get(1)?,
                created_at: row.get(2)?,
                last_seen_at: row.get(3)?,
                current: id == current,
            })
        },
    )?;
    Ok(rows)
}

/// How many key packages are left in a device's pool.
pub(crate) fn key_package_count(db: Db<'_>, device: DeviceId) -> Result<u32, StoreError> {
    let n: u64 = db.query_one(
        "SELECT COUNT(*) FROM key_packages WHERE device_id = ?1",
        args![device.0],
        |row| row.get(0),
    )?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{n} key packages")))
}

/// The live devices of an account that have an identity key, by id.
pub(crate) fn device_keys(db: Db<'_>, account: AccountId) -> Result<Vec<DeviceKey>, StoreError> {
    require_account(db, account)?;
    let rows = db.query_all(
        "SELECT id, identity_key FROM devices WHERE account_id = ?1 \
             AND revoked_at IS NULL AND identity_key IS NOT NULL ORDER BY id",
        args![account.0],
        |row| {
            Ok(DeviceKey {
                device: DeviceId(row.get(0)?),
                identity_key: row.get(1)?,
            })
        },
    )?;
    Ok(rows)
}

/// The account's chats after `after`, oldest first, at most [`MAX_CHATS_PAGE`] and cut to
/// fit a frame (a page always has at least one chat when any follows).
pub(crate) fn chats(
    db: Db<'_>,
    account: AccountId,
    after: Option<ChatId>,
) -> Result<ChatPage, StoreError> {
    let after = after.map_or(0, |c| c.0);
    let ids: Vec<u64> = db.query_all(
        "SELECT chat_id FROM members WHERE account_id = ?1 AND chat_id > ?2 \
         ORDER BY chat_id LIMIT ?3",
        args![account.0, after, MAX_CHATS_PAGE + 1],
        |row| row.get(0),
    )?;
    let mut more = ids.len() > MAX_CHATS_PAGE;
    let mut chats = Vec::with_capacity(ids.len().min(MAX_CHATS_PAGE));
    let mut bytes = 0;
    for id in ids.into_iter().take(MAX_CHATS_PAGE) {
        let Some(info) = chat_info(db, ChatId(id), account)? else {
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
pub(crate) fn token_owner(
    db: Db<'_>,
    token_hash: &[u8; 32],
) -> Result<Option<TokenOwner>, StoreError> {
    db.query_opt(
        "SELECT id, account_id FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL",
        args![&token_hash[..]],
        |row| {
            Ok(TokenOwner {
                device: DeviceId(row.get(0)?),
                account: AccountId(row.get(1)?),
            })
        },
    )
}

/// One chat the account is in.
pub(crate) fn chat(db: Db<'_>, account: AccountId, chat: ChatId) -> Result<ChatInfo, StoreError> {
    require_member(db, chat, account)?;
    chat_info(db, chat, account)?.ok_or_else(StoreError::not_member)
}

/// The members of a chat the account is in.
pub(crate) fn members_of(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
) -> Result<Vec<AccountId>, StoreError> {
    require_member(db, chat, account)?;
    member_ids(db, chat)
}

/// The MLS epoch and group info of a chat the account is in.
pub(crate) fn group_info(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
) -> Result<(u64, Option<Vec<u8>>), StoreError> {
    require_member(db, chat, account)?;
    let group = db.query_one(
        "SELECT mls_epoch, group_info FROM chats WHERE id = ?1",
        args![chat.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(group)
}

/// The newest sealed title of a chat the account is in: its epoch and bytes.
pub(crate) fn sealed_title(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
    require_member(db, chat, account)?;
    let sealed = db.query_opt(
        "SELECT l.target, l.payload FROM chats c \
             JOIN chat_log l ON l.chat_id = c.id AND l.seq = c.sealed_title_seq \
             WHERE c.id = ?1",
        args![chat.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(sealed)
}

/// Messages before `before`, newest first, capped by count and by frame size.
pub(crate) fn history(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
    before: Option<Seq>,
    limit: u32,
) -> Result<Vec<Message>, StoreError> {
    require_member(db, chat, account)?;
    let before = before.map_or(i64::MAX, |s| i64::try_from(s.0).unwrap_or(i64::MAX));
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM chat_log WHERE chat_id = ?1 AND kind = {} AND seq < ?2 \
         ORDER BY seq DESC LIMIT ?3",
        log_kind::MESSAGE
    );
    let messages = db.query_all(
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
