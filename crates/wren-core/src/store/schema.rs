//! Opening the encrypted database and migrating its schema.

use crate::error::StoreError;
use crate::profile::DatabaseKey;
use rusqlite::Connection;
use std::path::Path;
use zeroize::Zeroizing;

/// Numbered migrations; schema version N is reached by running the first N.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_membership.sql"),
    include_str!("migrations/003_device_identity.sql"),
    include_str!("migrations/004_mls_pending.sql"),
    include_str!("migrations/005_verified_contacts.sql"),
    include_str!("migrations/006_revoked_devices.sql"),
    include_str!("migrations/007_sealed_titles.sql"),
    include_str!("migrations/008_channels.sql"),
    include_str!("migrations/009_business.sql"),
    include_str!("migrations/010_channel_mute.sql"),
    include_str!("migrations/011_synced_pins.sql"),
    include_str!("migrations/012_call_records.sql"),
    include_str!("migrations/013_chat_mute.sql"),
    include_str!("migrations/014_rich_messages.sql"),
    include_str!("migrations/015_unread_indexes.sql"),
];

/// Opens (or creates) the database, checks the key, and migrates to the newest schema.
pub(crate) fn open(path: &Path, key: &DatabaseKey) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(StoreError::from_sqlite)?;
    // A raw 256-bit key: SQLCipher skips its own key derivation.
    conn.execute_batch(&key_pragma("key", key))
        .map_err(StoreError::from_sqlite)?;
    // The first read is where a wrong key shows: the page HMAC fails.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(StoreError::from_sqlite)?;
    // NORMAL in WAL mode survives a crash of the app; what the user writes (the outbox)
    // is committed with FULL so that it also survives a power cut. Updates from the server
    // can always be fetched again: they roll back together with their `pts`.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(StoreError::from_sqlite)?;
    let mut conn = migrate(conn)?;
    // openmls's own tables (key package private keys, later group state), which it
    // versions itself.
    crate::e2e::provider::migrate(&mut conn)?;
    Ok(conn)
}

/// Re-encrypts every page with a new key (SQLCipher's `rekey`).
pub(crate) fn rekey(conn: &Connection, key: &DatabaseKey) -> Result<(), StoreError> {
    conn.execute_batch(&key_pragma("rekey", key))
        .map_err(StoreError::from_sqlite)
}

/// `PRAGMA <pragma> = "x'<hex key>'";`, built in one allocation of the final size that is
/// wiped when dropped, so no copy of the key in hex outlives the statement.
fn key_pragma(pragma: &str, key: &DatabaseKey) -> Zeroizing<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = &key.0;
    let mut sql = Zeroizing::new(String::with_capacity(
        "PRAGMA  = \"x''\";".len() + pragma.len() + 2 * bytes.len(),
    ));
    sql.push_str("PRAGMA ");
    sql.push_str(pragma);
    sql.push_str(" = \"x'");
    for &byte in bytes {
        sql.push(char::from(HEX[usize::from(byte >> 4)]));
        sql.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    sql.push_str("'\";");
    sql
}

fn migrate(mut conn: Connection) -> Result<Connection, StoreError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(StoreError::from_sqlite)?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().map_err(StoreError::from_sqlite)?;
        tx.execute_batch(sql).map_err(StoreError::from_sqlite)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .map_err(StoreError::from_sqlite)?;
        tx.commit().map_err(StoreError::from_sqlite)?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_pragma_names_the_raw_key_in_hex_and_fills_its_buffer_exactly() {
        let key = DatabaseKey([0xa5; 32]);
        let sql = key_pragma("rekey", &key);
        assert_eq!(*sql, format!("PRAGMA rekey = \"x'{}'\";", "a5".repeat(32)));
        // No reallocation happened: the only copy is the one that is wiped on drop.
        assert_eq!(sql.len(), sql.capacity());
    }

    /// How SQLite runs `sql`: the details of its query plan, one line each.
    fn plan(conn: &Connection, sql: &str) -> String {
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let details = statement
            .query_map([], |row| row.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        details.join("\n")
    }

    #[test]
    fn the_chat_list_counts_unread_messages_from_index_entries_and_mentions_from_their_own_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = open(&dir.path().join("wren.db"), &DatabaseKey([3; 32])).expect("open");
        let unread = plan(
            &conn,
            "SELECT count(*) FROM messages WHERE chat_id = 1 AND seq > 5
             AND sender_id != 2 AND deleted = 0 AND hidden = 0",
        );
        assert!(
            unread.contains("COVERING INDEX messages_shown_by_seq"),
            "{unread}"
        );
        let mentions = plan(
            &conn,
            "SELECT count(*) FROM messages WHERE chat_id = 1 AND seq > 5
             AND mentions_me = 1 AND deleted = 0 AND hidden = 0",
        );
        // Only the messages that mention this account are in that index.
        assert!(
            mentions.contains("INDEX messages_mentioning_me"),
            "{mentions}"
        );
    }
}
