//! The `device_identity` table: this device's MLS signature key pair.

use crate::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::{AccountId, DeviceId};
use zeroize::Zeroizing;

/// A stored identity row.
pub(crate) struct StoredIdentity {
    pub(crate) account: AccountId,
    /// The serialized key pair, wiped when dropped.
    pub(crate) key_pair: Zeroizing<Vec<u8>>,
    pub(crate) initial_upload: bool,
}

pub(crate) fn load(
    conn: &Connection,
    device: DeviceId,
) -> Result<Option<StoredIdentity>, StoreError> {
    conn.prepare_cached(
        "SELECT account_id, key_pair, initial_upload FROM device_identity WHERE device_id = ?1",
    )?
    .query_row([device.0 as i64], |row| {
        Ok(StoredIdentity {
            account: AccountId(row.get::<_, i64>(0)? as u64),
            key_pair: Zeroizing::new(row.get(1)?),
            initial_upload: row.get(2)?,
        })
    })
    .optional()
    .map_err(StoreError::from)
}

pub(crate) fn insert(
    conn: &Connection,
    account: AccountId,
    device: DeviceId,
    key_pair: &[u8],
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO device_identity (device_id, account_id, key_pair) VALUES (?1, ?2, ?3)",
        params![device.0 as i64, account.0 as i64, key_pair],
    )?;
    Ok(())
}

pub(crate) fn set_initial_upload(conn: &Connection, device: DeviceId) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE device_identity SET initial_upload = 1 WHERE device_id = ?1",
        [device.0 as i64],
    )?;
    Ok(())
}
