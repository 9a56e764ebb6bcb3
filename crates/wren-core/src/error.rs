//! The errors of the client engine.

use wren_proto::{ChatId, ErrorBody};

/// Opening or using the local encrypted store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The key does not open this database (wrong passcode, or another profile's key).
    #[error("the local database key is wrong (wrong passcode?)")]
    WrongKey,
    /// The database file is from a newer version of Wren.
    #[error(
        "the local database was written by a newer Wren (schema {found}, this build knows {known})"
    )]
    TooNew {
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        known: i64,
    },
    /// The disk is full; nothing was written.
    #[error("the disk is full; nothing was saved")]
    DiskFull,
    /// SQLite reported an error.
    #[error("local database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store thread has stopped.
    #[error("the local database is closed")]
    Closed,
    /// Stored data could not be decoded.
    #[error("corrupt local data: {0}")]
    Corrupt(String),
    /// Creating, storing or reading MLS key material failed.
    #[error(transparent)]
    Mls(#[from] crate::e2e::E2eError),
}

impl StoreError {
    /// Maps SQLite's own codes for a wrong key and a full disk to typed variants.
    pub(crate) fn from_sqlite(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::WrongKey,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

/// The profile's key could not be obtained.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The profile is protected by a passcode and none was given.
    #[error("this profile is locked with a passcode; enter it to unlock")]
    PasscodeRequired,
    /// No passcode was given and the OS keychain cannot hold the key.
    #[error("no OS keychain is available ({0}); set a local passcode instead")]
    NoKeychain(String),
    /// The key is missing from the OS keychain.
    #[error("the key of this profile is missing from the OS keychain")]
    MissingFromKeychain,
    /// The profile description file is unreadable.
    #[error("profile file {path}: {reason}")]
    ProfileFile {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Reading or writing the profile directory failed.
    #[error("profile directory: {0}")]
    Io(#[from] std::io::Error),
    /// A new passcode is too weak.
    #[error(transparent)]
    WeakPasscode(#[from] crate::profile::PasscodeError),
    /// `profile.json` names a key derivation outside the accepted bounds: too weak to
    /// protect the key, or so costly that unlocking would exhaust the machine.
    #[error("profile.json: Argon2id {parameter} = {value} is outside {min}..={max}")]
    UnsafeKdf {
        /// Which parameter.
        parameter: &'static str,
        /// Its value in the file.
        value: u64,
        /// The least accepted.
        min: u64,
        /// The most accepted.
        max: u64,
    },
}

/// Everything that can go wrong in the client engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The profile key could not be obtained.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The server answered with an error.
    #[error("{0}")]
    Server(ErrorBody),
    /// The server cannot be reached now.
    #[error("offline: {0}")]
    Offline(String),
    /// The server did not answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server sent something this client does not understand.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The operation needs a signed-in account.
    #[error("not signed in")]
    NotSignedIn,
    /// The profile already belongs to another account.
    #[error("this profile belongs to @{0}; use another profile directory")]
    ProfileInUse(String),
    /// The user's input is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// This account is no longer a member of the chat: it is read-only.
    #[error("chat {0} is read-only: you are no longer in it")]
    NotMember(ChatId),
    /// The server address is not encrypted and the user did not allow that.
    #[error(
        "{0} is not encrypted: the password and the session would cross the network readable; \
         use wss:// or https://, or allow an unencrypted connection explicitly"
    )]
    Insecure(String),
    /// The client has been closed.
    #[error("the client is closed")]
    Closed,
    /// A microphone, speaker or camera this machine does not have (any more).
    #[error("no {0} on this computer: it may have been unplugged")]
    NoSuchDevice(String),
    /// Not allowed to this account here (e.g. pinning in a group without being an admin).
    #[error("{0}")]
    Forbidden(String),
}

impl CoreError {
    /// A stable short code for UIs and scripts (`wrong_key`, `offline`, `forbidden`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Store(StoreError::WrongKey) => "wrong_key",
            CoreError::Store(StoreError::DiskFull) => "disk_full",
            CoreError::Store(_) => "store",
            CoreError::Key(KeyError::PasscodeRequired) => "passcode_required",
            CoreError::Key(KeyError::WeakPasscode(_)) => "weak_passcode",
            CoreError::Key(_) => "key",
            CoreError::Server(body) => body.code.as_str(),
            CoreError::Offline(_) => "offline",
            CoreError::Timeout => "timeout",
            CoreError::Protocol(_) => "protocol",
            CoreError::NotSignedIn => "not_signed_in",
            CoreError::ProfileInUse(_) => "profile_in_use",
            CoreError::Invalid(_) => "invalid",
            CoreError::NotMember(_) => "not_member",
            CoreError::Insecure(_) => "insecure",
            CoreError::Closed => "closed",
            CoreError::NoSuchDevice(_) => "not_found",
            CoreError::Forbidden(_) => "forbidden",
        }
    }
}
