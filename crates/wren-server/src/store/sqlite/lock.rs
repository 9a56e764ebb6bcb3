//! The data directory's lock: one server (or one restore) at a time on a database file.
//!
//! An advisory lock on `wren.lock`, taken without waiting; the kernel releases it when
//! the process dies, so a crashed server never leaves a stale lock behind.

use crate::store::OpenStoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// The lock file inside the data directory.
const LOCK_FILE: &str = "wren.lock";

/// Exclusive use of a data directory, held until dropped.
#[derive(Debug)]
pub(crate) struct DirLock {
    /// The locked file; closing it releases the lock.
    _file: File,
}

impl DirLock {
    /// Takes the lock of `data_dir`, or says that another process holds it.
    pub(crate) fn acquire(data_dir: &Path) -> Result<Self, OpenStoreError> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data_dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(OpenStoreError::InUse(data_dir.to_owned())),
            Err(TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::DirLock;
    use crate::store::OpenStoreError;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        assert!(matches!(
            DirLock::acquire(dir.path()),
            Err(OpenStoreError::InUse(ref d)) if d == dir.path()
        ));
        drop(first);
        assert!(DirLock::acquire(dir.path()).is_ok());
    }
}
