//! Group titles on this device: the sealed title the server keeps (see
//! [`crate::e2e::title`]), the title shown, and a title this device has still to seal.
//!
//! A device opens a sealed title when its group is in the epoch that sealed it: as the
//! title arrives through sync (its commit was applied just before), or when it asks the
//! server after joining. An admin's device seals the title it shows again whenever its
//! group has moved past the epoch of the server's sealed title, so that a device that
//! joined since can read it.

use super::groups::Me;
use super::Store;
use crate::e2e::title;
use crate::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::{AccountId, ChatId};

/// What this device should do next about a group's title.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TitleStep {
    /// Nothing: the title is settled, or this device cannot act on it.
    Nothing,
    /// Ask the server for its sealed title.
    Fetch,
    /// Hand the server this title, sealed in `epoch`.
    Seal {
        /// The epoch that sealed it.
        epoch: u64,
        /// The sealed title.
        sealed: Vec<u8>,
        /// A title the user set (`false`: the shown one, sealed again).
        rename: bool,
    },
}

/// The parts of a chat row the title steps read.
struct TitleRow {
    is_group: bool,
    shown: String,
    sealed: Option<Vec<u8>>,
    sealed_epoch: Option<u64>,
    to_seal: Option<String>,
}

fn row(conn: &Connection, chat: ChatId) -> Result<Option<TitleRow>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT kind, title, sealed_title, sealed_title_epoch, title_to_seal FROM chats
             WHERE id = ?1",
        )?
        .query_row([chat.0 as i64], |r| {
            Ok(TitleRow {
                is_group: r.get::<_, i64>(0)? == 1,
                shown: r.get(1)?,
                sealed: r.get(2)?,
                sealed_epoch: r.get::<_, Option<i64>>(3)?.map(|e| e as u64),
                to_seal: r.get(4)?,
            })
        })
        .optional()?)
}

/// Whether `me` is an admin of the chat (only a group has admins).
pub(crate) fn is_admin(conn: &Connection, me: AccountId, chat: ChatId) -> Result<bool, StoreError> {
    let role: Option<i64> = conn
        .prepare_cached("SELECT role FROM members WHERE chat_id = ?1 AND account_id = ?2")?
        .query_row(params![chat.0 as i64, me.0 as i64], |r| r.get(0))
        .optional()?;
    Ok(role == Some(1))
}

/// What this device should do about the chat's title now.
fn step(conn: &Connection, me: Me, chat: ChatId) -> Result<TitleStep, StoreError> {
    let Some(row) = row(conn, chat)?.filter(|r| r.is_group) else {
        return Ok(TitleStep::Nothing);
    };
    let admin = is_admin(conn, me.account, chat)?;
    if let Some(to_seal) = &row.to_seal {
        if !admin {
            // No longer an admin: the server would refuse it.
            clear_to_seal(conn, chat)?;
            return Ok(TitleStep::Nothing);
        }
        return Ok(sealed_step(conn, chat, to_seal, true)?);
    }
    let Some(sealed_epoch) = row.sealed_epoch else {
        return Ok(TitleStep::Fetch);
    };
    let Some(state) = crate::e2e::group::describe(conn, chat)? else {
        return Ok(TitleStep::Nothing);
    };
    // A kept title at epoch 0 did not open (forged or damaged): it is replaced.
    let unreadable = row.sealed.is_some() && sealed_epoch == 0;
    if admin && !row.shown.is_empty() && sealed_epoch < state.epoch {
        return Ok(sealed_step(conn, chat, &row.shown, unreadable)?);
    }
    Ok(TitleStep::Nothing)
}

fn sealed_step(
    conn: &Connection,
    chat: ChatId,
    text: &str,
    rename: bool,
) -> Result<TitleStep, crate::e2e::E2eError> {
    Ok(match title::seal(conn, chat, text)? {
        Some((epoch, sealed)) => TitleStep::Seal {
            epoch,
            sealed,
            rename,
        },
        None => TitleStep::Nothing,
    })
}

fn clear_to_seal(conn: &Connection, chat: ChatId) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE chats SET title_to_seal = NULL WHERE id = ?1")?
        .execute([chat.0 as i64])?;
    Ok(())
}

/// Keeps the server's newest sealed title of the chat (`None`: it has none) and opens it
/// if this device's group is in its epoch; whether the title shown changed. A title that
/// does not open is logged and counts as none: the chat keeps the title it shows, and an
/// admin's device seals that one again.
pub(crate) fn keep_sealed(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    sealed: Option<&[u8]>,
) -> Result<bool, StoreError> {
    conn.prepare_cached(
        "UPDATE chats SET sealed_title = ?2, sealed_title_epoch = ?3 WHERE id = ?1",
    )?
    .execute(params![chat.0 as i64, sealed, epoch as i64])?;
    open_kept(conn, chat)
}

/// Opens the kept sealed title if this device's group is now in its epoch (a commit was
/// just applied, or the group joined); whether the title shown changed.
pub(crate) fn open_kept(conn: &Connection, chat: ChatId) -> Result<bool, StoreError> {
    let Some(TitleRow {
        shown,
        sealed: Some(sealed),
        sealed_epoch: Some(epoch),
        to_seal,
        ..
    }) = row(conn, chat)?
    else {
        return Ok(false);
    };
    let opened = match title::open(conn, chat, epoch, &sealed) {
        Ok(Some(opened)) => opened,
        Ok(None) => {
            tracing::debug!(%chat, epoch, "a sealed title of another epoch than the group's");
            return Ok(false);
        }
        Err(e) => {
            // Forged or damaged: as good as none, so an admin's device seals the title anew.
            tracing::warn!(error = %e, %chat, "a group title that cannot be opened; left out");
            conn.prepare_cached("UPDATE chats SET sealed_title_epoch = 0 WHERE id = ?1")?
                .execute([chat.0 as i64])?;
            return Ok(false);
        }
    };
    tracing::debug!(%chat, epoch, "opened the group's sealed title");
    if to_seal.as_deref() == Some(opened.as_str()) {
        clear_to_seal(conn, chat)?;
    }
    if to_seal.is_some() || opened == shown {
        // A title of this device's own waits to be sealed: it stays shown.
        return Ok(false);
    }
    super::chats::rename(conn, chat, &opened)?;
    Ok(true)
}

impl Store {
    /// Shows `title` for the group at once and remembers to seal it (creating or renaming
    /// the group); a crash before it is sealed loses nothing.
    pub(crate) async fn set_title_to_seal(
        &self,
        chat: ChatId,
        title: String,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                c.prepare_cached(
                    "UPDATE chats SET title = ?2, title_to_seal = ?2 WHERE id = ?1 AND kind = 1",
                )?
                .execute(params![chat.0 as i64, title])?;
                Ok(())
            })
            .await
    }

    /// The groups with a title this device set and has still to seal.
    pub(crate) async fn titles_to_seal(&self) -> Result<Vec<ChatId>, StoreError> {
        self.actor
            .call(|c| {
                let mut statement =
                    c.prepare_cached("SELECT id FROM chats WHERE title_to_seal IS NOT NULL")?;
                let chats = statement
                    .query_map([], |r| r.get::<_, i64>(0).map(|id| ChatId(id as u64)))?
                    .collect::<Result<_, _>>()?;
                Ok(chats)
            })
            .await
    }

    /// What this device should do about the group's title now.
    pub(crate) async fn title_step(&self, me: Me, chat: ChatId) -> Result<TitleStep, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let next = step(&tx, me, chat)?;
                tx.commit()?;
                Ok(next)
            })
            .await
    }

    /// Keeps and opens the sealed title the server has (see [`keep_sealed`]); whether the
    /// title shown changed.
    pub(crate) async fn keep_sealed_title(
        &self,
        chat: ChatId,
        epoch: u64,
        sealed: Option<Vec<u8>>,
    ) -> Result<bool, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let changed = keep_sealed(&tx, chat, epoch, sealed.as_deref())?;
                tx.commit()?;
                Ok(changed)
            })
            .await
    }

    /// Keeps the title this device sealed and the server took in `epoch`, unless sync has
    /// already brought a title sealed in that epoch or a later one: the server takes a
    /// title sealed again only as the first of its epoch, so what sync brought is as new
    /// or newer, and a rename of this device's comes through sync after it. `None`: not
    /// kept; else whether the title shown changed.
    pub(crate) async fn keep_own_sealed_title(
        &self,
        chat: ChatId,
        epoch: u64,
        sealed: Vec<u8>,
    ) -> Result<Option<bool>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let known = row(&tx, chat)?.and_then(|r| r.sealed_epoch);
                if known.is_some_and(|known| known >= epoch) {
                    return Ok(None);
                }
                let changed = keep_sealed(&tx, chat, epoch, Some(&sealed))?;
                tx.commit()?;
                Ok(Some(changed))
            })
            .await
    }

    /// Opens the kept sealed title if this device's group is in its epoch now (see
    /// [`open_kept`]): a join or a merged commit of its own can bring it there after the
    /// title arrived; whether the title shown changed.
    pub(crate) async fn open_kept_title(&self, chat: ChatId) -> Result<bool, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let changed = open_kept(&tx, chat)?;
                tx.commit()?;
                Ok(changed)
            })
            .await
    }

    /// Whether `me` is an admin of the chat, as this device knows.
    pub(crate) async fn is_admin(&self, me: AccountId, chat: ChatId) -> Result<bool, StoreError> {
        self.actor.call(move |c| is_admin(c, me, chat)).await
    }

    /// The server refused this device's title for good (it is no longer an admin).
    pub(crate) async fn drop_title_to_seal(&self, chat: ChatId) -> Result<(), StoreError> {
        self.actor.call(move |c| clear_to_seal(c, chat)).await
    }
}
