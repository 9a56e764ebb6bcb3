//! `wren-server migrate`, `backup` and `restore` on the SQLite store of a data directory.
//!
//! Copies go through SQLite's online backup API, so a backup is a consistent snapshot
//! taken while the server keeps writing. A backup is written under a temporary name,
//! checked and synced before it takes its final name; a restore copies into the live file
//! in one transaction, after keeping the database it replaces.

use super::lock::DirLock;
use super::{schema, DB_FILE};
use crate::store::OpenStoreError;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Pages copied per step between progress reports (16 MiB with 4 KiB pages).
const PAGES_PER_STEP: i32 = 4096;

/// What a schema migration did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migrated {
    /// The schema version found (0: a new database).
    pub from: u32,
    /// The schema version now.
    pub to: u32,
}

/// How far a copy has come, in bytes of database pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopyProgress {
    /// Bytes copied so far.
    pub copied: u64,
    /// Bytes in all.
    pub total: u64,
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// Where the database that was replaced is kept (`None`: there was none).
    pub previous: Option<PathBuf>,
    /// The migration of the restored database to this server's schema.
    pub schema: Migrated,
}

/// Creates or upgrades the database of `data_dir` (refused while a server uses it: a
/// server migrates when it starts).
pub fn migrate(data_dir: &Path) -> Result<Migrated, OpenStoreError> {
    std::fs::create_dir_all(data_dir)?;
    let _lock = DirLock::acquire(data_dir)?;
    let mut conn = open(&data_dir.join(DB_FILE))?;
    let (from, to) = schema::migrate(&mut conn)?;
    Ok(Migrated { from, to })
}

/// Copies the database of `data_dir` to the new file `dest`, while a server may be
/// running on it; returns the bytes written.
pub fn backup(
    data_dir: &Path,
    dest: &Path,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<u64, OpenStoreError> {
    let db = data_dir.join(DB_FILE);
    if !db.is_file() {
        return Err(OpenStoreError::Missing(db));
    }
    copy_to_new_file(&open(&db)?, dest, progress)
}

/// Replaces the database of `data_dir` (no server may be running on it) with the backup
/// `src`, keeping the replaced database beside it, and migrates the result.
pub fn restore(
    data_dir: &Path,
    src: &Path,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<Restored, OpenStoreError> {
    let source = open_backup(src)?;
    std::fs::create_dir_all(data_dir)?;
    let _lock = DirLock::acquire(data_dir)?;
    let db = data_dir.join(DB_FILE);
    let mut live = open(&db)?;
    let previous = if schema_version(&live)? > 0 {
        let kept = unused_name(data_dir, &format!("wren-before-restore-{}", unix_seconds()));
        copy_to_new_file(&live, &kept, &mut |_| {})?;
        Some(kept)
    } else {
        None
    };
    copy(&source, &mut live, progress).map_err(db_err)?;
    let (from, to) = schema::migrate(&mut live)?;
    Ok(Restored {
        previous,
        schema: Migrated { from, to },
    })
}

/// Opens `src` read-only and checks that it is a sound Wren database this build can
/// migrate.
fn open_backup(src: &Path) -> Result<Connection, OpenStoreError> {
    let not_a_backup = |reason: &str| OpenStoreError::NotABackup {
        path: src.to_owned(),
        reason: reason.to_owned(),
    };
    if !src.is_file() {
        return Err(OpenStoreError::Missing(src.to_owned()));
    }
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(&e.to_string()))?;
    let version = schema_version(&conn).map_err(|_| not_a_backup("not an SQLite database"))?;
    let has_accounts: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts')",
            [],
            |row| row.get(0),
        )
        .map_err(db_err)?;
    if version == 0 || !has_accounts {
        return Err(not_a_backup("it holds no Wren schema"));
    }
    if version > schema::newest_version() {
        return Err(OpenStoreError::TooNew {
            found: version,
            supported: schema::newest_version(),
        });
    }
    quick_check(&conn).map_err(|problem| not_a_backup(&problem))?;
    Ok(conn)
}

/// Copies `source` into the new file `dest`: under a temporary name first, checked and
/// synced, then renamed, so `dest` never names a partial copy. Returns its size.
fn copy_to_new_file(
    source: &Connection,
    dest: &Path,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<u64, OpenStoreError> {
    if dest.exists() {
        return Err(OpenStoreError::DestinationExists(dest.to_owned()));
    }
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| {
        let mut out = Connection::open(&partial).map_err(db_err)?;
        copy(source, &mut out, progress).map_err(db_err)?;
        quick_check(&out).map_err(|problem| {
            OpenStoreError::Database(format!("the copy failed its check: {problem}").into())
        })?;
        drop(out);
        let file = std::fs::File::open(&partial)?;
        file.sync_all()?;
        let size = file.metadata()?.len();
        std::fs::rename(&partial, dest)?;
        sync_parent(dest)?;
        Ok(size)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Copies every page of `source` into `dest` in steps, reporting progress after each. A
/// write to the source between steps restarts the copy; after one restart the rest is
/// copied in a single step, so a busy server cannot keep the copy from finishing.
fn copy(
    source: &Connection,
    dest: &mut Connection,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<(), rusqlite::Error> {
    let page_size: u64 = source.query_row("PRAGMA page_size", [], |row| row.get(0))?;
    let backup = Backup::new(source, dest)?;
    let mut pages_per_step = PAGES_PER_STEP;
    let mut remaining_before = i32::MAX;
    loop {
        let step = backup.step(pages_per_step)?;
        let now = backup.progress();
        let total = u64::try_from(now.pagecount).unwrap_or(0);
        let remaining = u64::try_from(now.remaining).unwrap_or(0);
        progress(CopyProgress {
            copied: total.saturating_sub(remaining) * page_size,
            total: total * page_size,
        });
        match step {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked => std::thread::sleep(Duration::from_millis(10)),
            _ => {}
        }
        if now.remaining > remaining_before {
            pages_per_step = -1;
        }
        remaining_before = now.remaining;
    }
}

/// `PRAGMA quick_check`: `Ok` when the database is sound, else what SQLite found.
fn quick_check(conn: &Connection) -> Result<(), String> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(verdict)
    }
}

/// The schema version SQLite keeps in the file header.
fn schema_version(conn: &Connection) -> Result<u32, OpenStoreError> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(db_err)
}

/// Opens the live database with the pragmas the server uses.
fn open(path: &Path) -> Result<Connection, OpenStoreError> {
    schema::open_connection(path).map_err(|e| OpenStoreError::Database(Box::new(e)))
}

fn db_err(e: rusqlite::Error) -> OpenStoreError {
    OpenStoreError::Database(Box::new(e))
}

/// Makes a rename in `path`'s directory durable.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// `dir/STEM.db`, or `dir/STEM-2.db` and on if that exists.
fn unused_name(dir: &Path, stem: &str) -> PathBuf {
    let mut path = dir.join(format!("{stem}.db"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.db"));
        n += 1;
    }
    path
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
