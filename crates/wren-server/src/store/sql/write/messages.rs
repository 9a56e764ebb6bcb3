//! Messages and read marks: send, edit, delete, mark read.

use super::{append_event, fan_out, next_seq, notify_members, Applied, Event, Pointer};
use crate::store::sql::views::{
    chat_row, log_kind, member_ids, message, require_member, update_kind,
};
use crate::store::sql::{args, Db};
use crate::store::{StoreError, WriteOutcome};
use wren_proto::{AccountId, ChatId, ChatKind, ClientMsgId, ErrorCode, Message, Role, Seq, Update};

/// Read marks fan out to every member only in groups up to this size.
const READ_MARK_FANOUT_MAX: usize = 100;

/// A message to append.
pub(super) struct NewMessage {
    pub(super) sender: AccountId,
    pub(super) chat: ChatId,
    pub(super) client_msg_id: ClientMsgId,
    pub(super) payload: Vec<u8>,
    /// The MLS epoch of the payload; `None` for plaintext.
    pub(super) epoch: Option<u64>,
    pub(super) reply_to: Option<Seq>,
}

/// Appends a message, or returns the original place of a resend.
pub(super) fn send(db: Db<'_>, new: NewMessage, now: u64) -> Result<Applied, StoreError> {
    let NewMessage {
        sender,
        chat,
        client_msg_id,
        payload,
        epoch,
        reply_to,
    } = new;
    let original: Option<(u64, u64, u64)> = db.query_opt(
        "SELECT chat_id, seq, created_at FROM chat_log \
             WHERE actor = ?1 AND client_msg_id = ?2 AND kind = 0",
        args![sender.0, client_msg_id.0 as i64],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    if let Some((original_chat, seq, sent_at)) = original {
        if original_chat != chat.0 {
            return Err(StoreError::rejected(
                ErrorCode::Conflict,
                "this message id was already used in another chat",
            ));
        }
        return Ok(Applied::quiet(WriteOutcome::Sent {
            chat,
            seq: Seq(seq),
            sent_at,
            fresh: false,
        }));
    }
    let members = member_ids(db, chat)?;
    if !members.contains(&sender) {
        return Err(StoreError::not_member());
    }
    super::mls::check_payload_epoch(db, chat, epoch)?;
    if let Some(r) = reply_to {
        if message(db, chat, r)?.is_none() {
            return Err(StoreError::rejected(
                ErrorCode::BadRequest,
                "the message you reply to does not exist",
            ));
        }
    }
    let seq = next_seq(db, chat)?;
    db.execute(
        "INSERT INTO chat_log \
         (chat_id, seq, kind, actor, client_msg_id, payload, reply_to, created_at) \
         VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7)",
        args![
            chat.0,
            seq.0,
            sender.0,
            client_msg_id.0 as i64,
            &payload,
            reply_to.map(|s| s.0),
            now
        ],
    )?;
    let mut deliveries = Vec::with_capacity(members.len());
    let p = Pointer::event(update_kind::NEW_MESSAGE, chat, seq);
    let msg = Message {
        chat,
        seq,
        sender,
        client_msg_id,
        payload,
        reply_to,
        sent_at: now,
        edited_at: None,
        deleted: false,
    };
    fan_out(db, &members, p, Update::NewMessage(msg), &mut deliveries)?;
    super::settings::unarchive_on_message(db, chat, now, &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Sent {
            chat,
            seq,
            sent_at: now,
            fresh: true,
        },
        deliveries,
    })
}

/// Replaces the payload of the editor's own message.
pub(super) fn edit(
    db: Db<'_>,
    editor: AccountId,
    chat: ChatId,
    target: Seq,
    payload: Vec<u8>,
    epoch: Option<u64>,
    now: u64,
) -> Result<Applied, StoreError> {
    require_member(db, chat, editor)?;
    super::mls::check_payload_epoch(db, chat, epoch)?;
    let msg = message(db, chat, target)?
        .filter(|m| !m.deleted)
        .ok_or(no_such_message())?;
    if msg.sender != editor {
        return Err(StoreError::rejected(
            ErrorCode::Forbidden,
            "you can only edit your own messages",
        ));
    }
    let seq = append_event(db, chat, &pointing_at(log_kind::EDIT, editor, target), now)?;
    // The edit event keeps the payload it replaces, so that a former member can be shown
    // the message as it was when they left.
    db.execute(
        "UPDATE chat_log SET payload = ?3 WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, seq.0, msg.payload],
    )?;
    db.execute(
        "UPDATE chat_log SET payload = ?3, edited_at = ?4 WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, target.0, &payload, now],
    )?;
    let update = Update::MessageEdited {
        chat,
        seq: target,
        log_seq: seq,
        payload,
        edited_at: now,
    };
    notify_members(db, chat, seq, update_kind::EDITED, update)
}

/// Deletes a message for everyone (its sender, or a group admin); idempotent.
pub(super) fn delete(
    db: Db<'_>,
    actor: AccountId,
    chat: ChatId,
    target: Seq,
    now: u64,
) -> Result<Applied, StoreError> {
    let role = require_member(db, chat, actor)?;
    let msg = message(db, chat, target)?.ok_or(no_such_message())?;
    if msg.deleted {
        return Ok(Applied::quiet(WriteOutcome::Done));
    }
    let is_group_admin =
        role == Role::Admin && chat_row(db, chat)?.is_some_and(|row| row.kind == ChatKind::Group);
    if msg.sender != actor && !is_group_admin {
        return Err(StoreError::rejected(
            ErrorCode::Forbidden,
            "you can only delete your own messages",
        ));
    }
    let seq = append_event(db, chat, &pointing_at(log_kind::DELETE, actor, target), now)?;
    db.execute(
        "UPDATE chat_log SET payload = ?3, deleted = 1 WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, target.0, Vec::new()],
    )?;
    // Deleted for everyone means its earlier versions too.
    db.execute(
        &format!(
            "UPDATE chat_log SET payload = NULL WHERE chat_id = ?1 AND kind = {} AND target = ?2",
            log_kind::EDIT
        ),
        args![chat.0, target.0],
    )?;
    let update = Update::MessageDeleted {
        chat,
        seq: target,
        log_seq: seq,
    };
    notify_members(db, chat, seq, update_kind::DELETED, update)
}

/// Moves the reader's mark forward (never back) and tells who needs to know.
pub(super) fn mark_read(
    db: Db<'_>,
    reader: AccountId,
    chat: ChatId,
    up_to: Seq,
) -> Result<Applied, StoreError> {
    require_member(db, chat, reader)?;
    let (last_seq, read_seq): (u64, u64) = db.query_one(
        "SELECT c.last_seq, m.read_seq FROM chats c JOIN members m ON m.chat_id = c.id \
             WHERE c.id = ?1 AND m.account_id = ?2",
        args![chat.0, reader.0],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let up_to = up_to.0.min(last_seq);
    if up_to <= read_seq {
        return Ok(Applied::quiet(WriteOutcome::Done));
    }
    db.execute(
        "UPDATE members SET read_seq = ?3 WHERE chat_id = ?1 AND account_id = ?2",
        args![chat.0, reader.0, up_to],
    )?;
    let members = member_ids(db, chat)?;
    let targets = if members.len() <= READ_MARK_FANOUT_MAX {
        members
    } else {
        vec![reader]
    };
    let mut deliveries = Vec::with_capacity(targets.len());
    let p = Pointer {
        kind: update_kind::READ_MARK,
        chat,
        seq: Seq(up_to),
        extra: reader.0,
    };
    let update = Update::ReadMark {
        chat,
        account: reader,
        up_to: Seq(up_to),
    };
    fan_out(db, &targets, p, update, &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

/// An edit or delete event row pointing at a message.
fn pointing_at(kind: i64, actor: AccountId, target: Seq) -> Event<'static> {
    Event {
        target: Some(target.0),
        ..Event::new(kind, actor)
    }
}

fn no_such_message() -> StoreError {
    StoreError::rejected(ErrorCode::NotFound, "there is no such message")
}
