//! Pinned chats on this device: the server keeps each account's pins and tells all of its
//! devices; a pin set while offline waits here (`pin_pending`) until the server takes it.

use super::Store;
use crate::error::StoreError;
use rusqlite::{params, Connection};
use std::collections::BTreeSet;
use wren_proto::ChatId;

/// A pin the server announced: applied unless this device has one of its own waiting.
pub(crate) fn apply_announced(
    conn: &Connection,
    chat: ChatId,
    pinned: bool,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE chats SET pinned = ?2 WHERE id = ?1 AND pin_pending IS NULL")?
        .execute(params![chat.0 as i64, pinned])?;
    Ok(())
}

impl Store {
    /// Pins or unpins the chat here; `confirmed`: the server has it already, else it is
    /// sent when the device is next online.
    pub(crate) async fn set_pinned(
        &self,
        chat: ChatId,
        pinned: bool,
        confirmed: bool,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                c.prepare_cached(
                    "UPDATE chats SET pinned = ?2, pin_pending = CASE WHEN ?3 THEN NULL ELSE ?2 END
                     WHERE id = ?1",
                )?
                .execute(params![chat.0 as i64, pinned, confirmed])?;
                Ok(())
            })
            .await
    }

    /// The pins set here that the server has not confirmed yet.
    pub(crate) async fn pending_pins(&self) -> Result<Vec<(ChatId, bool)>, StoreError> {
        self.actor
            .call(|c| {
                let mut statement = c.prepare_cached(
                    "SELECT id, pin_pending FROM chats WHERE pin_pending IS NOT NULL ORDER BY id",
                )?;
                let pins = statement
                    .query_map([], |r| {
                        Ok((ChatId(r.get::<_, i64>(0)? as u64), r.get::<_, bool>(1)?))
                    })?
                    .collect::<Result<_, _>>()?;
                Ok(pins)
            })
            .await
    }

    /// Takes the server's list of pinned chats as the truth for every chat without a pin
    /// of this device's waiting; the chats whose pin changed.
    pub(crate) async fn replace_pins(
        &self,
        pinned: Vec<ChatId>,
    ) -> Result<Vec<ChatId>, StoreError> {
        self.actor
            .call(move |c| {
                let pinned: BTreeSet<ChatId> = pinned.into_iter().collect();
                let tx = c.transaction()?;
                let current: Vec<(ChatId, bool)> = {
                    let mut statement = tx
                        .prepare_cached("SELECT id, pinned FROM chats WHERE pin_pending IS NULL")?;
                    let rows = statement
                        .query_map([], |r| {
                            Ok((ChatId(r.get::<_, i64>(0)? as u64), r.get::<_, bool>(1)?))
                        })?
                        .collect::<Result<_, _>>()?;
                    rows
                };
                let mut changed = Vec::new();
                for (chat, was) in current {
                    let now = pinned.contains(&chat);
                    if now != was {
                        apply_announced(&tx, chat, now)?;
                        changed.push(chat);
                    }
                }
                tx.commit()?;
                Ok(changed)
            })
            .await
    }
}
