//! The `meta` table: who this profile belongs to, where its server is, and how far it has
//! synced.

use crate::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::{AccountId, DeviceId, Pts};

/// A signed-in device's session as saved in the profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SavedSession {
    /// The server's WebSocket URL.
    pub(crate) server_url: String,
    /// The account.
    pub(crate) account: AccountId,
    /// The account's username.
    pub(crate) username: String,
    /// This device.
    pub(crate) device: DeviceId,
    /// The device's bearer token.
    pub(crate) token: String,
}

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()
        .map_err(StoreError::from)
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn parse<T: std::str::FromStr>(key: &str, value: Option<String>) -> Result<Option<T>, StoreError> {
    value
        .map(|v| {
            v.parse()
                .map_err(|_| StoreError::Corrupt(format!("meta {key} = {v:?}")))
        })
        .transpose()
}

/// The saved session, if this profile has signed in (and not out).
pub(crate) fn load(conn: &Connection) -> Result<Option<SavedSession>, StoreError> {
    let Some(token) = get(conn, "token")? else {
        return Ok(None);
    };
    let account: Option<u64> = parse("account_id", get(conn, "account_id")?)?;
    let device: Option<u64> = parse("device_id", get(conn, "device_id")?)?;
    match (
        get(conn, "server_url")?,
        account,
        get(conn, "username")?,
        device,
    ) {
        (Some(server_url), Some(account), Some(username), Some(device)) => Ok(Some(SavedSession {
            server_url,
            account: AccountId(account),
            username,
            device: DeviceId(device),
            token,
        })),
        _ => Err(StoreError::Corrupt("incomplete session in meta".into())),
    }
}

/// The account this profile belongs to, even after sign-out.
pub(crate) fn owner(conn: &Connection) -> Result<Option<(AccountId, String)>, StoreError> {
    let account: Option<u64> = parse("account_id", get(conn, "account_id")?)?;
    Ok(match (account, get(conn, "username")?) {
        (Some(id), Some(name)) => Some((AccountId(id), name)),
        _ => None,
    })
}

pub(crate) fn save(conn: &mut Connection, session: &SavedSession) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    set(&tx, "server_url", &session.server_url)?;
    set(&tx, "account_id", &session.account.0.to_string())?;
    set(&tx, "username", &session.username)?;
    set(&tx, "device_id", &session.device.0.to_string())?;
    set(&tx, "token", &session.token)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn forget_token(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM meta WHERE key = 'token'", [])?;
    Ok(())
}

/// The last `pts` applied to this store.
pub(crate) fn pts(conn: &Connection) -> Result<Pts, StoreError> {
    Ok(Pts(parse("pts", get(conn, "pts")?)?.unwrap_or(0)))
}

pub(crate) fn set_pts(conn: &Connection, pts: Pts) -> Result<(), StoreError> {
    set(conn, "pts", &pts.0.to_string())
}
