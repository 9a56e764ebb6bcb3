//! Accounts and devices: register, sign in, resume, revoke, profile.

use super::{fan_out, Applied, Pointer};
use crate::store::sql::views::{account_info, account_pts, update_kind};
use crate::store::sql::views::{group_adds_code, last_seen_code, privacy};
use crate::store::sql::{args, Db};
use crate::store::{NewDevice, StoreError, WriteOutcome};
use wren_proto::{
    AccountId, AccountInfo, ChatId, DeviceId, ErrorCode, GroupAdds, LastSeenVisibility, Pts, Seq,
    Update,
};

/// Creates an account and its first device.
pub(super) fn register(
    db: Db<'_>,
    username: &str,
    password_hash: &str,
    device: &NewDevice,
    now: u64,
) -> Result<Applied, StoreError> {
    let taken: bool = db.query_one(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE username = ?1)",
        args![username],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::rejected(
            ErrorCode::Conflict,
            "this username is already taken",
        ));
    }
    let account = AccountId(db.query_one(
        "INSERT INTO accounts (username, password_hash, created_at) VALUES (?1, ?2, ?3) \
         RETURNING id",
        args![username, password_hash, now],
        |r| r.get(0),
    )?);
    add_device(db, account, device, now)
}

/// Signs a new device in to an existing account.
pub(super) fn add_device(
    db: Db<'_>,
    account: AccountId,
    device: &NewDevice,
    now: u64,
) -> Result<Applied, StoreError> {
    let names: Option<(String, String)> = db.query_opt(
        "SELECT username, display_name FROM accounts WHERE id = ?1",
        args![account.0],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (username, display_name) = names.ok_or(StoreError::rejected(
        ErrorCode::Unauthorized,
        "wrong username or password",
    ))?;
    let id: u64 = db.query_one(
        "INSERT INTO devices (account_id, name, token_hash, created_at, last_seen_at) \
         VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        args![account.0, &device.name, &device.token_hash[..], now],
        |r| r.get(0),
    )?;
    Ok(Applied::quiet(WriteOutcome::SignedIn {
        account: AccountInfo {
            id: account,
            username,
            display_name,
        },
        device: DeviceId(id),
        pts: Pts(account_pts(db, account)?),
    }))
}

/// Finds the live device with this token hash and marks it seen.
pub(super) fn resume(db: Db<'_>, token_hash: &[u8; 32], now: u64) -> Result<Applied, StoreError> {
    let found = db.query_opt(
        "SELECT d.id, d.account_id, a.username, a.pts, a.display_name FROM devices d \
             JOIN accounts a ON a.id = d.account_id \
             WHERE d.token_hash = ?1 AND d.revoked_at IS NULL",
        args![&token_hash[..]],
        |row| {
            Ok((
                DeviceId(row.get(0)?),
                AccountInfo {
                    id: AccountId(row.get(1)?),
                    username: row.get(2)?,
                    display_name: row.get(4)?,
                },
                Pts(row.get(3)?),
            ))
        },
    )?;
    let (device, account, pts) = found.ok_or(StoreError::rejected(
        ErrorCode::Unauthorized,
        "this session is no longer valid; sign in again",
    ))?;
    db.execute(
        "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1",
        args![device.0, now],
    )?;
    Ok(Applied::quiet(WriteOutcome::SignedIn {
        account,
        device,
        pts,
    }))
}

/// Revokes one of the account's devices (idempotent), deleting its key packages.
pub(super) fn revoke_device(
    db: Db<'_>,
    account: AccountId,
    device: DeviceId,
    now: u64,
) -> Result<Applied, StoreError> {
    let owner: Option<u64> = db.query_opt(
        "SELECT account_id FROM devices WHERE id = ?1",
        args![device.0],
        |row| row.get(0),
    )?;
    match owner {
        None => Err(StoreError::rejected(
            ErrorCode::NotFound,
            "there is no such device",
        )),
        Some(owner) if owner != account.0 => Err(StoreError::rejected(
            ErrorCode::Forbidden,
            "that device belongs to another account",
        )),
        Some(_) => {
            db.execute(
                "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                args![device.0, now],
            )?;
            super::keys::forget_packages(db, device)?;
            Ok(Applied::quiet(WriteOutcome::Done))
        }
    }
}

/// Changes who may add the account to groups.
pub(super) fn set_group_adds(
    db: Db<'_>,
    account: AccountId,
    allowed: GroupAdds,
) -> Result<Applied, StoreError> {
    db.execute(
        "UPDATE accounts SET group_adds = ?2 WHERE id = ?1",
        args![account.0, group_adds_code(allowed)],
    )?;
    Ok(Applied::quiet(WriteOutcome::Privacy(privacy(db, account)?)))
}

/// Sets the account's display name and bio (both already checked). A new display name
/// reaches the account's own devices and everyone who shares a chat with it, once each.
pub(super) fn set_profile(
    db: Db<'_>,
    account: AccountId,
    display_name: &str,
    bio: &str,
) -> Result<Applied, StoreError> {
    let old: String = db.query_one(
        "SELECT display_name FROM accounts WHERE id = ?1",
        args![account.0],
        |row| row.get(0),
    )?;
    db.execute(
        "UPDATE accounts SET display_name = ?2, bio = ?3 WHERE id = ?1",
        args![account.0, display_name, bio],
    )?;
    if old == display_name {
        return Ok(Applied::quiet(WriteOutcome::Done));
    }
    let info = account_info(db, account)?
        .ok_or_else(|| StoreError::Corrupt(format!("account {account} vanished")))?;
    let mut audience: Vec<AccountId> = db.query_all(
        "SELECT DISTINCT other.account_id FROM members mine \
         JOIN members other ON other.chat_id = mine.chat_id \
         WHERE mine.account_id = ?1 AND other.account_id != ?1",
        args![account.0],
        |row| row.get(0).map(AccountId),
    )?;
    audience.push(account);
    let pointer = Pointer {
        kind: update_kind::PROFILE_CHANGED,
        chat: ChatId(0),
        seq: Seq(0),
        extra: account.0,
    };
    let mut deliveries = Vec::with_capacity(audience.len());
    fan_out(
        db,
        &audience,
        pointer,
        Update::ProfileChanged { account: info },
        &mut deliveries,
    )?;
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

/// Changes who sees the account's online status and last seen time.
pub(super) fn set_last_seen(
    db: Db<'_>,
    account: AccountId,
    visibility: LastSeenVisibility,
) -> Result<Applied, StoreError> {
    db.execute(
        "UPDATE accounts SET last_seen_privacy = ?2 WHERE id = ?1",
        args![account.0, last_seen_code(visibility)],
    )?;
    Ok(Applied::quiet(WriteOutcome::Privacy(privacy(db, account)?)))
}

/// Records when the account's last connection closed.
pub(super) fn seen(db: Db<'_>, account: AccountId, at: u64) -> Result<Applied, StoreError> {
    db.execute(
        "UPDATE accounts SET last_seen_at = \
         CASE WHEN last_seen_at > ?2 THEN last_seen_at ELSE ?2 END WHERE id = ?1",
        args![account.0, at],
    )?;
    Ok(Applied::quiet(WriteOutcome::Done))
}
