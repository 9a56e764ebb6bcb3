//! A profile is one directory holding one account's encrypted database and a small
//! plaintext file that says where the database key comes from.
//!
//! The key is 32 random bytes kept in the OS keychain, or 32 bytes derived from a local
//! passcode with Argon2id. The plaintext file holds no secret: only the key source and,
//! for a passcode, the Argon2id salt and parameters.

use crate::error::KeyError;
use crate::keychain;
use argon2::{Algorithm, Argon2, Params, Version};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const PROFILE_FILE: &str = "profile.json";
const DATABASE_FILE: &str = "wren.db";

/// A 256-bit database key. Its `Debug` output hides it, so it never reaches a log.
#[derive(Clone)]
pub struct DatabaseKey(pub(crate) [u8; 32]);

impl DatabaseKey {
    /// The key in hex, for tools that open the database directly (benchmarks, recovery).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
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
    /// A new profile uses the passcode when one is given, else the OS keychain.
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

/// A fresh key: derived from a passcode with a new salt, or random in the OS keychain.
fn new_key(passcode: Option<&str>) -> Result<(KeySource, DatabaseKey), KeyError> {
    let rng = SystemRandom::new();
    match passcode {
        Some(passcode) => {
            let mut salt = [0u8; 16];
            fill(&rng, &mut salt)?;
            let source = KeySource::Passcode {
                salt: hex::encode(salt),
                m_cost: Params::DEFAULT_M_COST,
                t_cost: Params::DEFAULT_T_COST,
                p_cost: Params::DEFAULT_P_COST,
            };
            let key = key_for(&source, Some(passcode))?;
            Ok((source, key))
        }
        None => {
            let mut id = [0u8; 16];
            fill(&rng, &mut id)?;
            let mut key = [0u8; 32];
            fill(&rng, &mut key)?;
            let entry = hex::encode(id);
            keychain::store(&entry, &key)?;
            Ok((KeySource::Keychain { entry }, DatabaseKey(key)))
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
            let salt = hex::decode(salt).map_err(|e| bad(format!("salt: {e}")))?;
            let params = Params::new(*m_cost, *t_cost, *p_cost, Some(32))
                .map_err(|e| bad(format!("argon2 parameters: {e}")))?;
            let mut key = [0u8; 32];
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password_into(passcode.as_bytes(), &salt, &mut key)
                .map_err(|e| bad(format!("argon2: {e}")))?;
            Ok(DatabaseKey(key))
        }
    }
}

fn fill(rng: &SystemRandom, buf: &mut [u8]) -> Result<(), KeyError> {
    rng.fill(buf)
        .map_err(|_| KeyError::Io(std::io::Error::other("the system random generator failed")))
}

/// Writes a file so that a crash leaves either the old or the new contents.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passcode_profile_reopens_with_the_same_key_and_not_with_another() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = ProfileDir::new(dir.path());
        let first = profile.unlock_or_create(Some("1234")).expect("create");
        let again = profile.unlock_or_create(Some("1234")).expect("reopen");
        let other = profile.unlock_or_create(Some("4321")).expect("derive");
        assert_eq!(first.0, again.0);
        assert_ne!(first.0, other.0);
        assert!(matches!(
            profile.unlock_or_create(None),
            Err(KeyError::PasscodeRequired)
        ));
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
}
