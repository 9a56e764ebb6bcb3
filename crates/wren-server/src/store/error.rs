//! Store errors: one enum for running operations, one for opening the store.

use std::borrow::Cow;
use wren_proto::{ErrorBody, ErrorCode};

/// A boxed backend error (SQLite today, PostgreSQL later).
pub(crate) type BackendError = Box<dyn std::error::Error + Send + Sync>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum StoreError {
    /// The request is refused for a reason the client may learn (not a member, ...).
    #[error("{code}: {message}")]
    Rejected {
        /// The wire error code.
        code: ErrorCode,
        /// A sentence for the user.
        message: Cow<'static, str>,
    },
    /// The store has shut down and takes no more work.
    #[error("the store is shut down")]
    Closed,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[source] BackendError),
    /// Another writer of the same database (another node) got in the way: a deadlock, a
    /// serialization failure, or a unique key it inserted first. Trying again sees its
    /// commit.
    #[error("write conflict: {0}")]
    Conflict(#[source] BackendError),
    /// A stored value is not what the schema allows.
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// A rejection with a code and a message for the user.
    pub(crate) fn rejected(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        StoreError::Rejected {
            code,
            message: message.into(),
        }
    }

    /// The caller is not a member of the chat (or it does not exist).
    pub(crate) fn not_member() -> Self {
        Self::rejected(ErrorCode::Forbidden, "you are not a member of this chat")
    }

    /// The wire form: rejections as they are, everything else as a generic internal error.
    pub(crate) fn to_body(&self) -> ErrorBody {
        match self {
            StoreError::Rejected { code, message } => ErrorBody::new(*code, message.clone()),
            StoreError::Closed => {
                ErrorBody::new(ErrorCode::ShuttingDown, "the server is shutting down")
            }
            StoreError::Database(_) | StoreError::Conflict(_) | StoreError::Corrupt(_) => {
                ErrorBody::new(ErrorCode::Internal, "the server failed; try again later")
            }
        }
    }
}

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenStoreError {
    /// The data directory could not be created or read.
    #[error("cannot use data directory: {0}")]
    Io(#[from] std::io::Error),
    /// The database could not be opened or migrated.
    #[error("cannot open database: {0}")]
    Database(#[source] BackendError),
    /// Another server (or a restore) is using the data directory.
    #[error("another wren-server is using {}; stop it first", .0.display())]
    InUse(std::path::PathBuf),
    /// There is no database where one was expected.
    #[error("no Wren database at {}", .0.display())]
    Missing(std::path::PathBuf),
    /// A file given as a backup is not a Wren database this server can use.
    #[error("{} is not a Wren database backup: {reason}", .path.display())]
    NotABackup {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The destination of a backup already exists (nothing is overwritten).
    #[error("{} already exists; choose a new file name", .0.display())]
    DestinationExists(std::path::PathBuf),
    /// The database was written by a newer server.
    #[error("database schema version {found} is newer than this server supports ({supported})")]
    TooNew {
        /// The version found on disk.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
}
