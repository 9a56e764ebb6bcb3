//! What the store does for the chat features on messages: checking and queuing actions,
//! pinned messages, deleting on this device, finding a message by position or date.

use super::actions::{self, Refusal};
use super::messages::{self, view_from_row, STATE_PENDING, VIEW_COLUMNS, VIEW_JOINS};
use super::Store;
use crate::content::Action;
use crate::error::StoreError;
use crate::model::MessageView;
use rusqlite::{params, OptionalExtension};
use wren_proto::{AccountId, ChatId, Seq};

/// Why a message cannot be deleted on this device.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeepReason {
    /// Still in the outbox, on its way to the server.
    Sending,
}

impl Store {
    /// Whether `me` may do `action` in `chat`, as this device knows the chat.
    pub(crate) async fn check_action(
        &self,
        chat: ChatId,
        me: AccountId,
        action: Action,
    ) -> Result<Result<(), Refusal>, StoreError> {
        self.actor
            .call(move |c| actions::check(c, chat, me, &action))
            .await
    }

    /// The chat's pinned messages that are stored here, the most recently pinned first.
    pub(crate) async fn pinned_messages(
        &self,
        me: AccountId,
        chat: ChatId,
    ) -> Result<Vec<MessageView>, StoreError> {
        self.actor
            .call(move |c| {
                let sql = format!(
                    "SELECT {VIEW_COLUMNS} FROM pinned_messages p
                     JOIN messages m ON m.chat_id = p.chat_id AND m.seq = p.seq {VIEW_JOINS}
                     WHERE p.chat_id = ?1 AND m.deleted = 0 AND m.hidden = 0
                     ORDER BY p.pinned_at DESC, p.seq DESC"
                );
                let mut stmt = c.prepare_cached(&sql)?;
                let rows = stmt.query_map([chat.0 as i64], |row| view_from_row(row, me))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
    }

    /// The stored, shown message at `seq`.
    pub(crate) async fn message_at(
        &self,
        me: AccountId,
        chat: ChatId,
        seq: Seq,
    ) -> Result<Option<MessageView>, StoreError> {
        self.actor
            .call(move |c| {
                let sql = format!(
                    "SELECT {VIEW_COLUMNS} FROM messages m {VIEW_JOINS}
                     WHERE m.chat_id = ?1 AND m.seq = ?2 AND m.hidden = 0"
                );
                Ok(c.prepare_cached(&sql)?
                    .query_row(params![chat.0 as i64, seq.0 as i64], |row| {
                        view_from_row(row, me)
                    })
                    .optional()?)
            })
            .await
    }

    /// The first stored, shown message of `chat` sent at or after `at` (ms).
    pub(crate) async fn seq_at(&self, chat: ChatId, at: u64) -> Result<Option<Seq>, StoreError> {
        self.actor
            .call(move |c| {
                let seq: Option<i64> = c
                    .prepare_cached(
                        "SELECT min(seq) FROM messages
                         WHERE chat_id = ?1 AND sent_at >= ?2 AND hidden = 0 AND seq IS NOT NULL",
                    )?
                    .query_row(params![chat.0 as i64, at as i64], |row| row.get(0))?;
                Ok(seq.map(|s| Seq(s as u64)))
            })
            .await
    }

    /// Deletes messages of `chat` on this device only: their text goes, the rows stay as
    /// hidden placeholders (so the store still knows that part of the history is here).
    /// Nothing is deleted when one of them is still being sent. Returns the ids deleted.
    pub(crate) async fn delete_for_me(
        &self,
        chat: ChatId,
        ids: Vec<i64>,
    ) -> Result<Result<Vec<i64>, KeepReason>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let mut deleted = Vec::new();
                for id in ids {
                    let state: Option<i64> = tx
                        .prepare_cached(
                            "SELECT state FROM messages WHERE id = ?1 AND chat_id = ?2 AND hidden = 0",
                        )?
                        .query_row(params![id, chat.0 as i64], |row| row.get(0))
                        .optional()?;
                    match state {
                        None => continue,
                        Some(STATE_PENDING) => return Ok(Err(KeepReason::Sending)),
                        Some(_) => {}
                    }
                    tx.prepare_cached(
                        "UPDATE messages SET hidden = ?2, text = '', entities = NULL,
                             forwarded = NULL, body = NULL, call = NULL
                         WHERE id = ?1",
                    )?
                    .execute(params![id, messages::HIDDEN_FOR_ME])?;
                    deleted.push(id);
                }
                tx.commit()?;
                Ok(Ok(deleted))
            })
            .await
    }
}
