//! The account's chat folders, as the server last said (kept in `meta` as JSON).

use super::session;
use super::Store;
use crate::error::StoreError;
use rusqlite::Connection;
use wren_proto::Folder;

const KEY: &str = "folders";

/// The folders stored here, in tab order.
pub(crate) fn get(conn: &Connection) -> Result<Vec<Folder>, StoreError> {
    match session::get(conn, KEY)? {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("stored folders do not read: {e}"))),
    }
}

/// Replaces the folders; whether they changed.
pub(crate) fn replace(conn: &Connection, folders: &[Folder]) -> Result<bool, StoreError> {
    if get(conn)? == folders {
        return Ok(false);
    }
    let json = serde_json::to_string(folders)
        .map_err(|e| StoreError::Corrupt(format!("folders do not encode: {e}")))?;
    session::set(conn, KEY, &json)?;
    Ok(true)
}

impl Store {
    /// The folders stored here, in tab order.
    pub(crate) async fn folders(&self) -> Result<Vec<Folder>, StoreError> {
        self.actor.call(|c| get(c)).await
    }

    /// Replaces the folders with the server's; whether they changed.
    pub(crate) async fn replace_folders(&self, folders: Vec<Folder>) -> Result<bool, StoreError> {
        self.actor.call(move |c| replace(c, &folders)).await
    }
}
