//! Opening connections and migrating the schema (numbered migrations, `PRAGMA user_version`).

use super::db_err;
use crate::store::{OpenStoreError, StoreError};
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_privacy_and_departures.sql"),
    include_str!("migrations/003_key_packages.sql"),
    include_str!("migrations/004_mls_groups.sql"),
    include_str!("migrations/005_sealed_titles.sql"),
    include_str!("migrations/006_channels.sql"),
    include_str!("migrations/007_plans.sql"),
    include_str!("migrations/008_sponsored.sql"),
    include_str!("migrations/009_pins.sql"),
    include_str!("migrations/010_profiles.sql"),
    include_str!("migrations/011_presence.sql"),
    include_str!("migrations/012_chat_settings.sql"),
    include_str!("migrations/013_folders.sql"),
];

/// Opens a connection with the pragmas every connection needs.
pub(super) fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(db_err)?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(db_err)?;
    // WAL lets readers run beside the writer; FULL makes every commit survive power loss.
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(db_err)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(db_err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(db_err)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// The schema version of the newest migration this build knows.
pub(super) fn newest_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

/// Brings the schema to the newest version, one migration per transaction; returns the
/// version found and the version now.
pub(super) fn migrate(conn: &mut Connection) -> Result<(u32, u32), OpenStoreError> {
    let open_err = |e: rusqlite::Error| OpenStoreError::Database(Box::new(e));
    let found: u32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(open_err)?;
    let supported = newest_version();
    if found > supported {
        return Err(OpenStoreError::TooNew { found, supported });
    }
    for (version, sql) in (found..).zip(MIGRATIONS.iter().skip(found as usize)) {
        let tx = conn.transaction().map_err(open_err)?;
        tx.execute_batch(sql).map_err(open_err)?;
        tx.pragma_update(None, "user_version", version + 1)
            .map_err(open_err)?;
        tx.commit().map_err(open_err)?;
        tracing::info!(version = version + 1, "migrated database schema");
    }
    Ok((found, supported.max(found)))
}
