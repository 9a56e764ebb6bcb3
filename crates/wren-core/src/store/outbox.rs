//! The persistent outbox: a message is written here and into `messages` in one transaction
//! when the user sends it, and leaves the outbox when the server has stored it.

use super::actions;
use super::messages::{self, STATE_FAILED, STATE_PENDING, STATE_SENT};
use crate::content;
use crate::error::StoreError;
use crate::outbox::OutboxItem;
use rusqlite::{params, Connection};
use wren_proto::{AccountId, ChatId, ClientMsgId, Seq};

/// Queues a new message, durably even across a power cut; returns its local id.
pub(crate) fn enqueue(
    conn: &mut Connection,
    me: AccountId,
    item: &OutboxItem,
    now: u64,
) -> Result<i64, StoreError> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    let queued = insert(conn, me, item, now);
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    queued
}

fn insert(
    conn: &mut Connection,
    me: AccountId,
    item: &OutboxItem,
    now: u64,
) -> Result<i64, StoreError> {
    let tx = conn.transaction()?;
    let decoded = content::decode(&item.body);
    let hidden = if decoded.action.is_some() {
        messages::HIDDEN_ACTION
    } else {
        messages::SHOWN
    };
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO messages (chat_id, seq, sender_id, client_msg_id, text, reply_to, sent_at, state,
                                   call, entities, forwarded, hidden, body)
             VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
        )?
        .query_row(
            params![
                item.chat.0 as i64,
                me.0 as i64,
                item.client_msg_id.0 as i64,
                decoded.text,
                decoded.reply_to.map(|s| s.0 as i64),
                now as i64,
                STATE_PENDING,
                decoded.call.as_ref().map(messages::call_bytes),
                (!decoded.entities.is_empty()).then(|| messages::to_stored(&decoded.entities)),
                decoded.forwarded.as_ref().map(messages::to_stored),
                hidden,
                item.body,
            ],
            |row| row.get(0),
        )?;
    if let Some(action) = &decoded.action {
        // Shown here at once; every other device applies it when it arrives.
        actions::apply(&tx, item.chat, me, action, now)?;
    }
    tx.prepare_cached(
        "INSERT INTO outbox (message_id, chat_id, client_msg_id, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, item.chat.0 as i64, item.client_msg_id.0 as i64, now as i64])?;
    tx.commit()?;
    Ok(id)
}

/// Everything still waiting to be sent, oldest first.
pub(crate) fn pending(conn: &Connection) -> Result<Vec<OutboxItem>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.chat_id, o.client_msg_id, m.text, m.reply_to, m.call, m.body FROM outbox o
         JOIN messages m ON m.id = o.message_id ORDER BY o.message_id",
    )?;
    let rows = stmt.query_map([], |row| {
        let chat = ChatId(row.get::<_, i64>(0)? as u64);
        let id = ClientMsgId(row.get::<_, i64>(1)? as u64);
        if let Some(body) = row.get::<_, Option<Vec<u8>>>(5)? {
            return Ok(OutboxItem {
                chat,
                client_msg_id: id,
                body,
            });
        }
        // Queued by a version before schema 14: built from the stored columns.
        let call: Option<content::CallRecord> = row
            .get::<_, Option<Vec<u8>>>(4)?
            .and_then(|bytes| postcard::from_bytes(&bytes).ok());
        Ok(match call {
            Some(record) => OutboxItem::call(chat, id, &record),
            None => OutboxItem {
                chat,
                client_msg_id: id,
                body: content::encode_body(
                    &row.get::<_, String>(2)?,
                    row.get::<_, Option<i64>>(3)?.map(|s| Seq(s as u64)),
                ),
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The server stored the message at `seq`; returns its local id.
pub(crate) fn mark_sent(
    conn: &mut Connection,
    me: AccountId,
    id: ClientMsgId,
    seq: Seq,
    sent_at: u64,
) -> Result<Option<i64>, StoreError> {
    let tx = conn.transaction()?;
    let local = messages::local_id_of(&tx, me, id)?;
    if let Some(local) = local {
        tx.prepare_cached(
            "UPDATE messages SET seq = ?2, sent_at = ?3, state = ?4 WHERE id = ?1 AND seq IS NULL",
        )?
        .execute(params![local, seq.0 as i64, sent_at as i64, STATE_SENT])?;
        tx.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
            .execute([local])?;
    }
    tx.commit()?;
    Ok(local)
}

/// The server refused the message for good; returns its local id.
pub(crate) fn mark_failed(
    conn: &mut Connection,
    me: AccountId,
    id: ClientMsgId,
) -> Result<Option<i64>, StoreError> {
    let tx = conn.transaction()?;
    let local = messages::local_id_of(&tx, me, id)?;
    if let Some(local) = local {
        tx.execute(
            "UPDATE messages SET state = ?2 WHERE id = ?1",
            params![local, STATE_FAILED],
        )?;
        tx.execute("DELETE FROM outbox WHERE message_id = ?1", [local])?;
    }
    tx.commit()?;
    Ok(local)
}

/// Nothing more can be sent to `chat` (this account is no longer a member): everything
/// still queued for it is marked failed, in place. Returns their local ids.
pub(crate) fn fail_chat(conn: &Connection, chat: ChatId) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "UPDATE messages SET state = ?2
         WHERE id IN (SELECT message_id FROM outbox WHERE chat_id = ?1) RETURNING id",
    )?;
    let mut ids = stmt
        .query_map(params![chat.0 as i64, STATE_FAILED], |row| row.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    ids.sort_unstable();
    conn.prepare_cached("DELETE FROM outbox WHERE chat_id = ?1")?
        .execute([chat.0 as i64])?;
    Ok(ids)
}
