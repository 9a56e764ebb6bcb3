//! Actions: messages that change another message of their chat (a reaction, a pin) instead
//! of being shown. Every device applies them in the order of the chat's update log, with
//! the same rules, so all of them agree; the server only sees encrypted messages and
//! cannot enforce who may pin, so each device checks it.

use crate::content::{self, Action};
use crate::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::{AccountId, ChatId, Seq};

/// `chats.kind` of a group.
const GROUP: i64 = 1;
/// `members.role` of an admin.
const ADMIN: i64 = 1;

/// Why this device will not send an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not something one may do (bad emoji, too many reactions, no such message).
    Invalid(String),
    /// Only admins may do this here.
    Forbidden(String),
}

/// Checks that `actor` may do `action` in `chat` as this device knows the chat now.
pub(crate) fn check(
    conn: &Connection,
    chat: ChatId,
    actor: AccountId,
    action: &Action,
) -> Result<Result<(), Refusal>, StoreError> {
    let target = match action {
        Action::React { target, .. } | Action::Pin { target, .. } => *target,
    };
    if !is_shown(conn, chat, target)? {
        return Ok(Err(Refusal::Invalid(format!(
            "there is no message {target} in this chat"
        ))));
    }
    Ok(match action {
        Action::React { emoji, add, .. } => {
            if !content::is_reaction_emoji(emoji) {
                Err(Refusal::Invalid(format!("{emoji:?} is not an emoji")))
            } else if *add && !reaction_fits(conn, chat, target, actor, emoji)? {
                Err(Refusal::Invalid(format!(
                    "one person can react with at most {} different emojis",
                    content::MAX_REACTIONS_PER_USER
                )))
            } else {
                Ok(())
            }
        }
        Action::Pin { .. } => {
            if may_pin(conn, chat, actor)? {
                Ok(())
            } else {
                Err(Refusal::Forbidden(
                    "only the group's admins can pin messages".into(),
                ))
            }
        }
    })
}

/// Applies `action` sent by `actor` at `at` (ms); returns the local id of the message it
/// changed, if that message is stored here. One that breaks a rule changes nothing.
pub(crate) fn apply(
    conn: &Connection,
    chat: ChatId,
    actor: AccountId,
    action: &Action,
    at: u64,
) -> Result<Option<i64>, StoreError> {
    match action {
        Action::React { target, emoji, add } => {
            if !content::is_reaction_emoji(emoji) {
                return Ok(None);
            }
            if *add {
                if !reaction_fits(conn, chat, *target, actor, emoji)? {
                    return Ok(None);
                }
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO reactions (chat_id, target_seq, account_id, emoji, at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    chat.0 as i64,
                    target.0 as i64,
                    actor.0 as i64,
                    emoji,
                    at as i64
                ])?;
            } else {
                conn.prepare_cached(
                    "DELETE FROM reactions
                     WHERE chat_id = ?1 AND target_seq = ?2 AND account_id = ?3 AND emoji = ?4",
                )?
                .execute(params![
                    chat.0 as i64,
                    target.0 as i64,
                    actor.0 as i64,
                    emoji
                ])?;
            }
            local_id(conn, chat, *target)
        }
        Action::Pin { target, pinned } => {
            if !may_pin(conn, chat, actor)? {
                tracing::warn!(%chat, actor = actor.0, "a pin from someone who may not pin");
                return Ok(None);
            }
            if *pinned {
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO pinned_messages (chat_id, seq, pinned_at)
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![chat.0 as i64, target.0 as i64, at as i64])?;
            } else {
                conn.prepare_cached("DELETE FROM pinned_messages WHERE chat_id = ?1 AND seq = ?2")?
                    .execute(params![chat.0 as i64, target.0 as i64])?;
            }
            local_id(conn, chat, *target)
        }
    }
}

/// Whether `actor` may add `emoji` without going over the per-person limit.
fn reaction_fits(
    conn: &Connection,
    chat: ChatId,
    target: Seq,
    actor: AccountId,
    emoji: &str,
) -> Result<bool, StoreError> {
    let (given, has_it): (i64, bool) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(max(emoji = ?4), 0) FROM reactions
             WHERE chat_id = ?1 AND target_seq = ?2 AND account_id = ?3",
        )?
        .query_row(
            params![chat.0 as i64, target.0 as i64, actor.0 as i64, emoji],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
    Ok(has_it || (given as usize) < content::MAX_REACTIONS_PER_USER)
}

/// In a group only admins pin; in a direct chat either side.
fn may_pin(conn: &Connection, chat: ChatId, actor: AccountId) -> Result<bool, StoreError> {
    let row: Option<(i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT c.kind, m.role FROM chats c
             LEFT JOIN members m ON m.chat_id = c.id AND m.account_id = ?2
             WHERE c.id = ?1",
        )?
        .query_row(params![chat.0 as i64, actor.0 as i64], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    Ok(match row {
        Some((GROUP, role)) => role == Some(ADMIN),
        Some((_, role)) => role.is_some(),
        None => false,
    })
}

fn is_shown(conn: &Connection, chat: ChatId, seq: Seq) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM messages
             WHERE chat_id = ?1 AND seq = ?2 AND deleted = 0 AND hidden = 0 AND call IS NULL",
        )?
        .query_row(params![chat.0 as i64, seq.0 as i64], |_| Ok(()))
        .optional()?
        .is_some())
}

fn local_id(conn: &Connection, chat: ChatId, seq: Seq) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT id FROM messages WHERE chat_id = ?1 AND seq = ?2")?
        .query_row(params![chat.0 as i64, seq.0 as i64], |row| row.get(0))
        .optional()?)
}
