//! The key package directory: device identity keys, key package pools and claims.
//!
//! Claims run here, in the single writer, so each pooled package is handed out once even
//! when many claims for the same account arrive together.

use super::Applied;
use crate::store::sql::views::require_account;
use crate::store::sql::{args, Db};
use crate::store::{StoreError, WriteOutcome};
use wren_proto::rules::MAX_KEY_PACKAGE_POOL;
use wren_proto::{AccountId, ClaimedKeyPackage, DeviceId, ErrorCode};

/// The identity key of a live device of `account` (`None` while it has none), or
/// `Unauthorized` when the device is revoked or not the account's.
fn live_identity_key(
    db: Db<'_>,
    account: AccountId,
    device: DeviceId,
) -> Result<Option<Vec<u8>>, StoreError> {
    db.query_opt(
        "SELECT identity_key FROM devices \
         WHERE id = ?1 AND account_id = ?2 AND revoked_at IS NULL",
        args![device.0, account.0],
        |row| row.get(0),
    )?
    .ok_or(StoreError::rejected(
        ErrorCode::Unauthorized,
        "this session is no longer valid; sign in again",
    ))
}

/// Sets a device's identity key once; the same key again changes nothing.
pub(super) fn set_identity_key(
    db: Db<'_>,
    account: AccountId,
    device: DeviceId,
    key: &[u8; 32],
) -> Result<Applied, StoreError> {
    match live_identity_key(db, account, device)? {
        Some(existing) if existing == key => Ok(Applied::quiet(WriteOutcome::Done)),
        Some(_) => Err(StoreError::rejected(
            ErrorCode::Conflict,
            "this device already has a different identity key; a device's identity never changes",
        )),
        None => {
            db.execute(
                "UPDATE devices SET identity_key = ?2 WHERE id = ?1",
                args![device.0, &key[..]],
            )?;
            Ok(Applied::quiet(WriteOutcome::Done))
        }
    }
}

/// How many packages are in a device's pool.
fn pool_size(db: Db<'_>, device: DeviceId) -> Result<u64, StoreError> {
    db.query_one(
        "SELECT COUNT(*) FROM key_packages WHERE device_id = ?1",
        args![device.0],
        |row| row.get(0),
    )
}

/// Adds packages to a device's pool (refusing to grow it past [`MAX_KEY_PACKAGE_POOL`])
/// and replaces its last-resort package if one is given.
pub(super) fn upload(
    db: Db<'_>,
    account: AccountId,
    device: DeviceId,
    packages: &[Vec<u8>],
    last_resort: Option<&[u8]>,
) -> Result<Applied, StoreError> {
    if live_identity_key(db, account, device)?.is_none() {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "set this device's identity key before uploading key packages",
        ));
    }
    let pooled = pool_size(db, device)?;
    let total = pooled + packages.len() as u64;
    if total > MAX_KEY_PACKAGE_POOL as u64 {
        return Err(StoreError::rejected(
            ErrorCode::TooLarge,
            format!(
                "a device keeps at most {MAX_KEY_PACKAGE_POOL} key packages; \
                 it has {pooled}, so at most {} more fit",
                MAX_KEY_PACKAGE_POOL as u64 - pooled.min(MAX_KEY_PACKAGE_POOL as u64)
            ),
        ));
    }
    for package in packages {
        db.execute(
            "INSERT INTO key_packages (device_id, package) VALUES (?1, ?2)",
            args![device.0, package],
        )?;
    }
    if let Some(last_resort) = last_resort {
        db.execute(
            "UPDATE devices SET last_resort_package = ?2 WHERE id = ?1",
            args![device.0, last_resort],
        )?;
    }
    let remaining =
        u32::try_from(total).map_err(|_| StoreError::Corrupt(format!("{total} key packages")))?;
    Ok(Applied::quiet(WriteOutcome::KeyPackageCount(remaining)))
}

/// Takes one package of every live device of `account` that has an identity key: the
/// oldest of its pool, else its last-resort package (kept), else none.
pub(super) fn claim(db: Db<'_>, account: AccountId) -> Result<Applied, StoreError> {
    require_account(db, account)?;
    let devices: Vec<(u64, Vec<u8>, Option<Vec<u8>>)> = db.query_all(
        "SELECT id, identity_key, last_resort_package FROM devices \
         WHERE account_id = ?1 AND revoked_at IS NULL AND identity_key IS NOT NULL \
         ORDER BY id",
        args![account.0],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let mut claimed = Vec::with_capacity(devices.len());
    for (device, identity_key, last_resort) in devices {
        let pooled: Option<Vec<u8>> = db.query_opt(
            "DELETE FROM key_packages WHERE id = \
             (SELECT id FROM key_packages WHERE device_id = ?1 ORDER BY id LIMIT 1) \
             RETURNING package",
            args![device],
            |row| row.get(0),
        )?;
        let (package, last_resort) = match pooled {
            Some(package) => (Some(package), false),
            None => {
                let fallback = last_resort.is_some();
                (last_resort, fallback)
            }
        };
        claimed.push(ClaimedKeyPackage {
            device: DeviceId(device),
            identity_key,
            package,
            last_resort,
        });
    }
    Ok(Applied::quiet(WriteOutcome::KeyPackages(claimed)))
}

/// Deletes a device's key packages and its last-resort package (when it is revoked).
pub(super) fn forget_packages(db: Db<'_>, device: DeviceId) -> Result<(), StoreError> {
    db.execute(
        "DELETE FROM key_packages WHERE device_id = ?1",
        args![device.0],
    )?;
    db.execute(
        "UPDATE devices SET last_resort_package = NULL WHERE id = ?1",
        args![device.0],
    )?;
    Ok(())
}
