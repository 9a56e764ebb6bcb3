//! A profile is one directory holding one account's encrypted database and a small
//! plaintext file that says where the database key comes from.
//!
//! The key is 32 random bytes kept in the OS keychain, or 32 bytes derived from a local
//! passcode with Argon2id. The plaintext file holds no secret: only the key source and,
//! for a passcode, the Argon2id salt and parameters. Parameters read back from the file
//! must lie within [`KDF_BOUNDS`]: a file edited to make the derivation cheap (or so costly
//! that unlocking exhausts the machine) is refused.

use crate::error::KeyError;
use crate::keychain;
use argon2::{Algorithm, Argon2, Params, Version};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use zeroize::Zeroize;

const PROFILE_FILE: &str = "profile.json";
const DATABASE_FILE: &str = "wren.db";

/// The fewest characters a new passcode may have. An attacker with a copy of the profile
/// guesses offline at the speed Argon2id allows, so the passcode's length is what protects
/// the messages; six characters of any kind is the floor.
pub const MIN_PASSCODE_CHARS: usize = 6;

/// Why a new passcode is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasscodeError {
    /// Fewer than [`MIN_PASSCODE_CHARS`] characters.
    #[error("a passcode needs at least {MIN_PASSCODE_CHARS} characters")]
    TooShort,
}

/// Checks a passcode the user is choosing (not one that unlocks an existing profile).
pub fn validate_passcode(passcode: &str) -> Result<(), PasscodeError> {
    if passcode.chars().count() < MIN_PASSCODE_CHARS {
        return Err(PasscodeError::TooShort);
    }
    Ok(())
}

/// Argon2id parameters, as `profile.json` records them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_cost: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

/// The parameters of every new passcode key: 19 MiB, 2 passes, 1 lane (OWASP's
/// recommended minimum for Argon2id). Pinned here rather than taken from the argon2
/// crate's defaults, so that a dependency update cannot change them.
pub const KDF_PARAMS: KdfParams = KdfParams {
    m_cost: 19 * 1024,
    t_cost: 2,
    p_cost: 1,
};

/// The accepted range of each Argon2id parameter read from `profile.json`: never weaker
/// than [`KDF_PARAMS`], never more than 1 GiB, 32 passes or 16 lanes.
pub const KDF_BOUNDS: [(&str, RangeInclusive<u32>); 3] = [
    ("m_cost", KDF_PARAMS.m_cost..=1024 * 1024),
    ("t_cost", KDF_PARAMS.t_cost..=32),
    ("p_cost", KDF_PARAMS.p_cost..=16),
];

/// The accepted salt length in bytes (new profiles use 16).
const SALT_BYTES: RangeInclusive<usize> = 16..=64;

impl KdfParams {
    /// Checks the parameters against [`KDF_BOUNDS`].
    pub fn check(&self) -> Result<(), KeyError> {
        let values = [self.m_cost, self.t_cost, self.p_cost];
        for ((parameter, range), value) in KDF_BOUNDS.into_iter().zip(values) {
            if !range.contains(&value) {
                return Err(KeyError::UnsafeKdf {
                    parameter,
                    value: u64::from(value),
                    min: u64::from(*range.start()),
                    max: u64::from(*range.end()),
                });
            }
        }
        Ok(())
    }
}

/// A 256-bit database key. Its `Debug` output hides it, so it never reaches a log, and it
/// is wiped from memory when dropped.
#[derive(Clone)]
pub struct DatabaseKey(pub(crate) [u8; 32]);

impl DatabaseKey {
    /// The key in hex, for tools that open the database directly (benchmarks, recovery).
    /// The engine itself never formats the key; a caller should wipe this copy when done
    /// (`zeroize::Zeroizing::new(key.to_hex())`).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl Drop for DatabaseKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(..)")
    }
}

/// Where a profile's database key comes from, as recorded in `profile.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeySource {
    /// The key is stored in the OS keychain under this entry.
    Keychain {
        /// The keychain entry's user name (a random profile id).
        entry: String,
    },
    /// The key is derived from a passcode with Argon2id.
    Passcode {
        /// Hex-encoded 16-byte salt.
        salt: String,
        /// Memory cost in KiB.
        m_cost: u32,
        /// Iterations.
        t_cost: u32,
        /// Lanes.
        p_cost: u32,
    },
}

#[derive(Serialize, Deserialize)]
struct ProfileFile {
    version: u32,
    key: KeySource,
    /// A key change in progress: the database may already be encrypted with this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending_key: Option<KeySource>,
}

/// The paths of a profile directory.
#[derive(Clone, Debug)]
pub struct ProfileDir {
    root: PathBuf,
}

impl ProfileDir {
    /// A profile rooted at `root` (created on first use).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ProfileDir { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The encrypted SQLite database.
    pub fn database(&self) -> PathBuf {
        self.root.join(DATABASE_FILE)
    }

    fn profile_file(&self) -> PathBuf {
        self.root.join(PROFILE_FILE)
    }

    /// Whether the profile has been created.
    pub fn exists(&self) -> bool {
        self.profile_file().exists()
    }

    fn read(&self) -> Result<Option<ProfileFile>, KeyError> {
        let path = self.profile_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| KeyError::ProfileFile {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
    }

    fn write(&self, file: &ProfileFile) -> Result<(), KeyError> {
        let text = serde_json::to_string_pretty(file).map_err(|e| KeyError::ProfileFile {
            path: self.profile_file().display().to_string(),
            reason: e.to_string(),
        })?;
        write_atomically(&self.profile_file(), text.as_bytes())?;
        Ok(())
    }

    /// The recorded key source, if the profile exists.
    pub fn key_source(&self) -> Result<Option<KeySource>, KeyError> {
        Ok(self.read()?.map(|file| file.key))
    }

    /// Obtains the key of an existing profile, or creates the profile with a new key.
    ///
    /// A new profile uses the passcode when one is given (it must pass
    /// [`validate_passcode`]), else the OS keychain.
    pub fn unlock_or_create(&self, passcode: Option<&str>) -> Result<DatabaseKey, KeyError> {
        match self.key_source()? {
            Some(source) => key_for(&source, passcode),
            None => {
                std::fs::create_dir_all(&self.root)?;
                let (key_source, key) = new_key(passcode)?;
                self.write(&ProfileFile {
                    version: 1,
                    key: key_source,
                    pending_key: None,
                })?;
                Ok(key)
            }
        }
    }

    /// The key of a key change that was interrupted, if there is one and it can be
    /// obtained (with the same passcode, for a passcode key).
    pub fn pending_key(&self, passcode: Option<&str>) -> Result<Option<DatabaseKey>, KeyError> {
        match self.read()?.and_then(|file| file.pending_key) {
            Some(source) => Ok(key_for(&source, passcode).ok()),
            None => Ok(None),
        }
    }

    /// Starts a key change: a new key (from `passcode`, or the OS keychain for `None`) is
    /// recorded as pending before the database is re-encrypted with it.
    pub(crate) fn begin_key_change(&self, passcode: Option<&str>) -> Result<DatabaseKey, KeyError> {
        let mut file = self.read()?.ok_or(KeyError::PasscodeRequired)?;
        let (source, key) = new_key(passcode)?;
        file.pending_key = Some(source);
        self.write(&file)?;
        Ok(key)
    }

    /// The database now uses the pending key: make it the key.
    pub(crate) fn finish_key_change(&self) -> Result<(), KeyError> {
        let Some(mut file) = self.read()? else {
            return Ok(());
        };
        if let Some(pending) = file.pending_key.take() {
            let old = std::mem::replace(&mut file.key, pending);
            self.write(&file)?;
            if let KeySource::Keychain { entry } = old {
                keychain::remove(&entry);
            }
        }
        Ok(())
    }

    /// The database still uses the current key: forget the pending one.
    pub(crate) fn abandon_key_change(&self) -> Result<(), KeyError> {
        let Some(mut file) = self.read()? else {
            return Ok(());
        };
        if let Some(pending) = file.pending_key.take() {
            self.write(&file)?;
            if let KeySource::Keychain { entry } = pending {
                keychain::remove(&entry);
            }
        }
        Ok(())
    }
}

impl ProfileDir {
    /// Deletes the profile for good: its keychain entries, its database (with SQLite's
    /// side files) and `profile.json`, then the directory if nothing else is left in it.
    /// The store must be closed first. What is already gone is not an error.
    pub fn destroy(&self) -> Result<(), KeyError> {
        if let Some(file) = self.read()? {
            for source in std::iter::once(file.key).chain(file.pending_key) {
                if let KeySource::Keychain { entry } = source {
                    keychain::remove(&entry);
                }
            }
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            remove_if_present(&self.root.join(format!("{DATABASE_FILE}{suffix}")))?;
        }
        remove_if_present(&self.profile_file())?;
        if let Err(e) = std::fs::remove_dir(&self.root) {
            tracing::debug!(error = %e, dir = %self.root.display(), "profile directory kept");
        }
        Ok(())
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A fresh key: derived from a new passcode with a new salt, or random in the OS keychain.
fn new_key(passcode: Option<&str>) -> Result<(KeySource, DatabaseKey), KeyError> {
    let rng = SystemRandom::new();
    match passcode {
        Some(passcode) => {
            validate_passcode(passcode)?;
            let mut salt = [0u8; 16];
            fill(&rng, &mut salt)?;
            let source = KeySource::Passcode {
                salt: hex::encode(salt),
                m_cost: KDF_PARAMS.m_cost,
                t_cost: KDF_PARAMS.t_cost,
                p_cost: KDF_PARAMS.p_cost,
            };
            let key = key_for(&source, Some(passcode))?;
            Ok((source, key))
        }
        None => {
            let mut id = [0u8; 16];
            fill(&rng, &mut id)?;
            let mut key = DatabaseKey([0u8; 32]);
            fill(&rng, &mut key.0)?;
            let entry = hex::encode(id);
            keychain::store(&entry, &key)?;
            Ok((KeySource::Keychain { entry }, key))
        }
    }
}

fn key_for(source: &KeySource, passcode: Option<&str>) -> Result<DatabaseKey, KeyError> {
    match source {
        KeySource::Keychain { entry } => keychain::load(entry),
        KeySource::Passcode {
            salt,
            m_cost,
            t_cost,
            p_cost,
        } => {
            let passcode = passcode.ok_or(KeyError::PasscodeRequired)?;
            let bad = |reason: String| KeyError::ProfileFile {
                path: PROFILE_FILE.into(),
                reason,
            };
            KdfParams {
                m_cost: *m_cost,
                t_cost: *t_cost,
                p_cost: *p_cost,
            }
            .check()?;
            let salt = hex::decode(salt).map_err(|e| bad(format!("salt: {e}")))?;
            if !SALT_BYTES.contains(&salt.len()) {
                return Err(KeyError::UnsafeKdf {
                    parameter: "salt bytes",
                    value: salt.len() as u64,
                    min: *SALT_BYTES.start() as u64,
                    max: *SALT_BYTES.end() as u64,
                });
            }
            let params = Params::new(*m_cost, *t_cost, *p_cost, Some(32))
                .map_err(|e| bad(format!("argon2 parameters: {e}")))?;
            let mut key = DatabaseKey([0u8; 32]);
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password_into(passcode.as_bytes(), &salt, &mut key.0)
                .map_err(|e| bad(format!("argon2: {e}")))?;
            Ok(key)
        }
    }
}

fn fill(rng: &SystemRandom, buf: &mut [u8]) -> Result<(), KeyError> {
    rng.fill(buf)
        .map_err(|_| KeyError::Io(std::io::Error::other("the system random generator failed")))
}

/// Writes a file so that a crash or a power cut leaves either the old or the new contents:
/// a new file beside it (a name of its own, so two writers cannot mix their bytes) is
/// written and flushed to disk, renamed over the old one, and the rename itself is
/// flushed by syncing the directory.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{:016x}.tmp", fastrand::u64(..)));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(dir)
}

/// Makes a rename in `dir` durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Windows cannot open a directory as a file; its rename is journalled by NTFS.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passcode_profile_reopens_with_the_same_key_and_not_with_another() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path());
        let first = profile.unlock_or_create(Some("123456")).expect("create");
        let again = profile.unlock_or_create(Some("123456")).expect("reopen");
        let other = profile.unlock_or_create(Some("654321")).expect("derive");
        assert_eq!(first.0, again.0);
        assert_ne!(first.0, other.0);
        assert!(matches!(
            profile.unlock_or_create(None),
            Err(KeyError::PasscodeRequired)
        ));
    }

    #[test]
    fn a_destroyed_profile_leaves_nothing_of_its_own_and_spares_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path().join("p"));
        profile.unlock_or_create(Some("123456")).expect("create");
        std::fs::write(profile.database(), b"ciphertext").expect("db");
        profile.destroy().expect("destroy");
        assert!(!profile.root().exists(), "an emptied directory goes too");

        let root = ProfileDir::new(dir.path());
        root.unlock_or_create(Some("123456")).expect("create");
        std::fs::write(root.database(), b"ciphertext").expect("db");
        std::fs::write(dir.path().join("wren.db-wal"), b"wal").expect("wal");
        std::fs::create_dir(dir.path().join("accounts")).expect("other");
        root.destroy().expect("destroy");
        assert!(!root.exists() && !root.database().exists());
        assert!(!dir.path().join("wren.db-wal").exists());
        assert!(
            dir.path().join("accounts").is_dir(),
            "what is not the profile's stays"
        );
        root.destroy().expect("destroying twice is not an error");
    }

    #[test]
    fn the_profile_file_holds_no_secret() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path());
        let key = profile
            .unlock_or_create(Some("correct horse"))
            .expect("create");
        let text = std::fs::read_to_string(dir.path().join(PROFILE_FILE)).expect("read");
        assert!(!text.contains("correct horse"));
        assert!(!text.contains(&hex::encode(key.0)));
    }

    #[test]
    fn a_new_passcode_has_at_least_six_characters_but_any_passcode_may_try_to_unlock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path());
        assert!(matches!(
            profile.unlock_or_create(Some("12345")),
            Err(KeyError::WeakPasscode(PasscodeError::TooShort))
        ));
        assert!(!profile.exists(), "nothing is created with a weak passcode");
        assert_eq!(validate_passcode("ßéçret"), Ok(()));
        assert_eq!(validate_passcode("日本語"), Err(PasscodeError::TooShort));
        profile.unlock_or_create(Some("123456")).expect("create");
        // Unlocking is not choosing: a short attempt derives a (wrong) key like any other.
        profile.unlock_or_create(Some("1")).expect("derive");
        assert!(matches!(
            profile.begin_key_change(Some("short")),
            Err(KeyError::WeakPasscode(PasscodeError::TooShort))
        ));
    }

    fn write_params(dir: &Path, salt: &str, m_cost: u32, t_cost: u32, p_cost: u32) {
        let file = ProfileFile {
            version: 1,
            key: KeySource::Passcode {
                salt: salt.into(),
                m_cost,
                t_cost,
                p_cost,
            },
            pending_key: None,
        };
        ProfileDir::new(dir).write(&file).expect("write");
    }

    #[test]
    fn new_profiles_use_the_pinned_parameters_and_files_outside_the_bounds_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path());
        profile
            .unlock_or_create(Some("correct horse"))
            .expect("create");
        let Some(KeySource::Passcode {
            salt,
            m_cost,
            t_cost,
            p_cost,
        }) = profile.key_source().expect("read")
        else {
            panic!("a passcode profile");
        };
        assert_eq!(
            KdfParams {
                m_cost,
                t_cost,
                p_cost
            },
            KDF_PARAMS
        );
        assert_eq!(salt.len(), 32);
        let salt = "00".repeat(16);
        for (m, t, p, parameter) in [
            (8, 2, 1, "m_cost"),
            (KDF_PARAMS.m_cost - 1, 2, 1, "m_cost"),
            (u32::MAX, 2, 1, "m_cost"),
            (KDF_PARAMS.m_cost, 1, 1, "t_cost"),
            (KDF_PARAMS.m_cost, 1_000_000, 1, "t_cost"),
            (KDF_PARAMS.m_cost, 2, 0, "p_cost"),
            (KDF_PARAMS.m_cost, 2, 255, "p_cost"),
        ] {
            write_params(dir.path(), &salt, m, t, p);
            match profile.unlock_or_create(Some("correct horse")) {
                Err(KeyError::UnsafeKdf { parameter: p, .. }) => assert_eq!(p, parameter),
                other => panic!("m={m} t={t} p={p}: {other:?}"),
            }
        }
        write_params(dir.path(), "00", KDF_PARAMS.m_cost, 2, 1);
        assert!(matches!(
            profile.unlock_or_create(Some("correct horse")),
            Err(KeyError::UnsafeKdf {
                parameter: "salt bytes",
                ..
            })
        ));
        write_params(dir.path(), &salt, 64 * 1024, 3, 4);
        profile
            .unlock_or_create(Some("correct horse"))
            .expect("stronger parameters within the bounds are fine");
    }

    #[test]
    fn the_profile_file_is_replaced_whole_and_no_temporary_file_stays() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path());
        profile
            .unlock_or_create(Some("first passcode"))
            .expect("create");
        profile
            .begin_key_change(Some("second passcode"))
            .expect("begin");
        profile.finish_key_change().expect("finish");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![PROFILE_FILE.to_string()]);
        let again = profile
            .unlock_or_create(Some("second passcode"))
            .expect("the new passcode is the key");
        let pending = profile.pending_key(Some("second passcode")).expect("read");
        assert!(pending.is_none());
        assert_eq!(format!("{again:?}"), "DatabaseKey(..)");
    }
}
