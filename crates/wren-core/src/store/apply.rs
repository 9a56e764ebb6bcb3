//! Applying updates from the account's update log, together with the new `pts`, in one
//! transaction: after a crash either both are stored or neither, so every update is
//! applied exactly once.

use super::{chats, messages, session};
use crate::content;
use crate::error::StoreError;
use rusqlite::Connection;
use std::collections::BTreeSet;
use wren_proto::{AccountId, ChatId, ChatInfo, Pts, Update, UpdateEnvelope};

/// What an applied batch changed, so the engine can tell the UI.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Chats whose row or messages changed.
    pub(crate) chats: BTreeSet<ChatId>,
    /// Chats this account is no longer in.
    pub(crate) removed: BTreeSet<ChatId>,
    /// Local ids of messages that were added or changed, in order.
    pub(crate) messages: Vec<i64>,
    /// Chats mentioned by an update but not stored: the engine fetches them.
    pub(crate) unknown_chats: BTreeSet<ChatId>,
    /// The `pts` stored after the batch.
    pub(crate) pts: Pts,
}

/// Applies the updates that follow the stored `pts`, skipping any already applied.
pub(crate) fn apply(
    conn: &mut Connection,
    me: AccountId,
    updates: &[UpdateEnvelope],
) -> Result<Applied, StoreError> {
    let tx = conn.transaction()?;
    let mut applied = Applied {
        pts: session::pts(&tx)?,
        ..Applied::default()
    };
    for envelope in updates {
        if envelope.pts <= applied.pts {
            continue;
        }
        apply_one(&tx, me, &envelope.update, &mut applied)?;
        applied.pts = envelope.pts;
    }
    session::set_pts(&tx, applied.pts)?;
    tx.commit()?;
    Ok(applied)
}

fn apply_one(
    conn: &Connection,
    me: AccountId,
    update: &Update,
    out: &mut Applied,
) -> Result<(), StoreError> {
    let chat = update.chat();
    if let Update::ChatJoined(info) = update {
        join(conn, info, out)?;
        return Ok(());
    }
    if !chats::exists(conn, chat)? {
        out.unknown_chats.insert(chat);
        return Ok(());
    }
    out.chats.insert(chat);
    match update {
        Update::NewMessage(message) => {
            out.messages.push(messages::upsert(conn, message)?);
            chats::touch(conn, chat, message.seq, message.sent_at)?;
            if message.sender == me {
                chats::raise_read_mark(conn, chat, true, message.seq)?;
            }
        }
        Update::MessageEdited {
            seq,
            log_seq,
            payload,
            edited_at,
            ..
        } => {
            let text = content::text_of(payload, false);
            out.messages
                .extend(messages::edit(conn, chat, *seq, &text, *edited_at)?);
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MessageDeleted { seq, log_seq, .. } => {
            out.messages.extend(messages::tombstone(conn, chat, *seq)?);
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MemberAdded {
            log_seq, member, ..
        } => {
            chats::upsert_member(conn, chat, member)?;
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MemberRemoved {
            log_seq, account, ..
        } => {
            if *account == me {
                chats::delete_chat(conn, chat)?;
                out.chats.remove(&chat);
                out.removed.insert(chat);
            } else {
                chats::remove_member(conn, chat, *account)?;
                chats::touch(conn, chat, *log_seq, 0)?;
            }
        }
        Update::ChatRenamed { log_seq, title, .. } => {
            chats::rename(conn, chat, title)?;
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::RoleChanged {
            log_seq,
            account,
            role,
            ..
        } => {
            chats::set_role(conn, chat, *account, *role)?;
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::ReadMark { account, up_to, .. } => {
            chats::raise_read_mark(conn, chat, *account == me, *up_to)?;
        }
        Update::ChatJoined(_) => {}
    }
    Ok(())
}

fn join(conn: &Connection, info: &ChatInfo, out: &mut Applied) -> Result<(), StoreError> {
    chats::upsert_chat(conn, info)?;
    out.chats.insert(info.id);
    out.removed.remove(&info.id);
    Ok(())
}

/// Replaces the chat list after the server said this store is too far behind: chats that
/// are gone are deleted, the rest refreshed, and every chat's history marked as unknown
/// (what is stored stays, gaps are filled from the server on demand).
pub(crate) fn reset(
    conn: &mut Connection,
    list: &[ChatInfo],
    pts: Pts,
) -> Result<Applied, StoreError> {
    let tx = conn.transaction()?;
    let mut out = Applied {
        pts,
        ..Applied::default()
    };
    let keep: BTreeSet<ChatId> = list.iter().map(|c| c.id).collect();
    for chat in chats::chat_ids(&tx)? {
        if !keep.contains(&chat) {
            chats::delete_chat(&tx, chat)?;
            out.removed.insert(chat);
        }
    }
    for info in list {
        join(&tx, info, &mut out)?;
    }
    chats::forget_synced_ranges(&tx)?;
    session::set_pts(&tx, pts)?;
    tx.commit()?;
    Ok(out)
}
