//! The app's account slots: which profile directories it holds (each one account with its
//! own encrypted store and keychain entry), in which order, and which one is active. The
//! list lives in `accounts.json` at the profile root. The first slot is the root itself,
//! where a one-account profile has always lived, so an existing profile needs no move.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The most accounts one app holds at once (as Telegram Desktop).
pub(crate) const MAX_ACCOUNTS: usize = 3;
/// The slot whose directory is the profile root.
pub(crate) const ROOT_SLOT: &str = "main";
const LIST_FILE: &str = "accounts.json";
/// Where the other slots' directories are, under the root.
const MORE_DIR: &str = "accounts";

/// Why the slot list cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SlotError {
    /// No slot has this id.
    #[error("no account slot {0:?} in this app")]
    NotFound(String),
    /// [`MAX_ACCOUNTS`] slots exist already.
    #[error("Wren holds at most {MAX_ACCOUNTS} accounts; sign out of one first")]
    Full,
    /// `accounts.json` could not be written.
    #[error("cannot save the account list: {0}")]
    Io(#[from] std::io::Error),
}

/// The slots, in the order of Ctrl+1..3, and the active one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SlotList {
    slots: Vec<String>,
    active: String,
}

impl Default for SlotList {
    fn default() -> SlotList {
        SlotList {
            slots: vec![ROOT_SLOT.into()],
            active: ROOT_SLOT.into(),
        }
    }
}

impl SlotList {
    /// The list saved under `root`; one root slot when there is none. A list that cannot be
    /// read, or names a directory outside the root, is replaced by that default (logged):
    /// the other slots' stores stay on disk untouched.
    pub(crate) fn load(root: &Path) -> SlotList {
        let path = root.join(LIST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SlotList::default(),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the account list; using the first account");
                return SlotList::default();
            }
        };
        match serde_json::from_str::<SlotList>(&text) {
            Ok(list) if list.is_sound() => list,
            Ok(_) => {
                tracing::error!("the account list is not valid; using the first account");
                SlotList::default()
            }
            Err(e) => {
                tracing::error!(error = %e, "the account list is not valid; using the first account");
                SlotList::default()
            }
        }
    }

    /// Every id is the root's or a plain hex name, none twice, at most [`MAX_ACCOUNTS`],
    /// and the active one is among them.
    fn is_sound(&self) -> bool {
        let plain = |id: &String| {
            id == ROOT_SLOT || (!id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit()))
        };
        let mut unique = self.slots.clone();
        unique.sort();
        unique.dedup();
        !self.slots.is_empty()
            && self.slots.len() <= MAX_ACCOUNTS
            && unique.len() == self.slots.len()
            && self.slots.iter().all(plain)
            && self.slots.contains(&self.active)
    }

    /// Writes the list under `root`, whole or not at all.
    pub(crate) fn save(&self, root: &Path) -> Result<(), SlotError> {
        std::fs::create_dir_all(root)?;
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let tmp = root.join(format!(".{LIST_FILE}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, root.join(LIST_FILE))?;
        Ok(())
    }

    /// The slot ids in order.
    pub(crate) fn ids(&self) -> &[String] {
        &self.slots
    }

    /// The active slot's id.
    pub(crate) fn active(&self) -> &str {
        &self.active
    }

    /// The directory of slot `id`.
    pub(crate) fn dir(root: &Path, id: &str) -> PathBuf {
        if id == ROOT_SLOT {
            root.to_path_buf()
        } else {
            root.join(MORE_DIR).join(id)
        }
    }

    /// Appends a new slot with a fresh random id and makes it active.
    pub(crate) fn add(&mut self) -> Result<String, SlotError> {
        if self.slots.len() >= MAX_ACCOUNTS {
            return Err(SlotError::Full);
        }
        let id = loop {
            let id = format!("{:016x}", fastrand::u64(..));
            if !self.slots.contains(&id) {
                break id;
            }
        };
        self.slots.push(id.clone());
        self.active = id.clone();
        Ok(id)
    }

    /// Makes `id` active.
    pub(crate) fn activate(&mut self, id: &str) -> Result<(), SlotError> {
        if !self.slots.iter().any(|s| s == id) {
            return Err(SlotError::NotFound(id.into()));
        }
        self.active = id.into();
        Ok(())
    }

    /// Drops slot `id`; when it was active, the first one left becomes active. The last
    /// slot is never dropped: an app always has one (signed in or not).
    pub(crate) fn remove(&mut self, id: &str) {
        if self.slots.len() == 1 {
            return;
        }
        self.slots.retain(|s| s != id);
        if self.active == id {
            self.active = self.slots[0].clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_without_a_list_is_one_slot_at_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let list = SlotList::load(dir.path());
        assert_eq!(list.ids(), [ROOT_SLOT]);
        assert_eq!(list.active(), ROOT_SLOT);
        assert_eq!(SlotList::dir(dir.path(), ROOT_SLOT), dir.path());
    }

    #[test]
    fn slots_are_added_up_to_three_kept_across_restarts_and_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut list = SlotList::load(dir.path());
        let second = list.add().expect("second");
        let third = list.add().expect("third");
        assert!(matches!(list.add(), Err(SlotError::Full)));
        assert_eq!(list.active(), third);
        assert_eq!(
            SlotList::dir(dir.path(), &second),
            dir.path().join("accounts").join(&second)
        );
        list.activate(&second).expect("activate");
        list.save(dir.path()).expect("save");
        let again = SlotList::load(dir.path());
        assert_eq!(again, list);

        list.remove(&second);
        assert_eq!(list.ids(), [ROOT_SLOT.to_owned(), third.clone()]);
        assert_eq!(list.active(), ROOT_SLOT, "the first one left takes over");
        list.remove(ROOT_SLOT);
        list.remove(&third);
        assert_eq!(list.ids(), [third], "the last slot stays");
        assert!(matches!(list.activate("nope"), Err(SlotError::NotFound(_))));
    }

    #[test]
    fn a_list_that_points_outside_the_profile_or_is_garbage_is_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        for text in [
            r#"{"slots":["main","../../etc"],"active":"main"}"#,
            r#"{"slots":["main","ab","ab"],"active":"main"}"#,
            r#"{"slots":["main"],"active":"cd"}"#,
            r#"{"slots":["main","a","b","c"],"active":"main"}"#,
            "not json",
        ] {
            std::fs::write(dir.path().join(LIST_FILE), text).expect("write");
            assert_eq!(SlotList::load(dir.path()), SlotList::default(), "{text}");
        }
    }
}
