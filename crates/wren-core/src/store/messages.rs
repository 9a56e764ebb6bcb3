//! Message rows: storing what the server says, and reading messages back as views.

use crate::content;
use crate::e2e;
use crate::error::StoreError;
use crate::model::{Account, DeliveryState, MessageView, ReactionView};
use rusqlite::{params, Connection, OptionalExtension, Row};
use wren_proto::{AccountId, ChatId, ClientMsgId, Message, Seq};

pub(crate) const STATE_PENDING: i64 = 0;
pub(crate) const STATE_SENT: i64 = 1;
pub(crate) const STATE_FAILED: i64 = 2;
/// Stored from the server but not decryptable here; the text says why.
pub(crate) const STATE_UNREADABLE: i64 = 3;

/// Shown in the history.
pub(crate) const SHOWN: i64 = 0;
/// Deleted on this device only.
pub(crate) const HIDDEN_FOR_ME: i64 = 1;
/// An action on another message (a reaction, a pin): never shown.
pub(crate) const HIDDEN_ACTION: i64 = 2;

/// The columns `view_from_row` reads, in order ([`VIEW_COLUMN_COUNT`] of them). Reactions
/// come as `at US emoji US account US username` records joined by RS.
pub(crate) const VIEW_COLUMNS: &str =
    "m.id, m.chat_id, m.seq, m.sender_id, coalesce(u.username, ''),
    m.text, m.reply_to, m.sent_at, m.edited_at, m.deleted, m.state, c.peers_read_seq, m.call,
    m.entities, m.forwarded,
    (SELECT group_concat(r.at || char(31) || r.emoji || char(31) || r.account_id || char(31)
                         || coalesce(ru.username, '') || char(31)
                         || replace(replace(coalesce(ru.display_name, ''), char(30), ''),
                                    char(31), ''), char(30))
     FROM reactions r LEFT JOIN users ru ON ru.id = r.account_id
     WHERE r.chat_id = m.chat_id AND r.target_seq = m.seq),
    EXISTS (SELECT 1 FROM pinned_messages p WHERE p.chat_id = m.chat_id AND p.seq = m.seq),
    coalesce(u.display_name, ''), m.mentions_me";

/// How many columns [`VIEW_COLUMNS`] has: a query's own columns come after them.
pub(crate) const VIEW_COLUMN_COUNT: usize = 19;

/// The joins `view_from_row` needs, after `FROM messages m`.
pub(crate) const VIEW_JOINS: &str =
    "JOIN chats c ON c.id = m.chat_id LEFT JOIN users u ON u.id = m.sender_id";

pub(crate) fn view_from_row(row: &Row<'_>, me: AccountId) -> rusqlite::Result<MessageView> {
    let seq: Option<i64> = row.get(2)?;
    let sender = AccountId(row.get::<_, i64>(3)? as u64);
    let state: i64 = row.get(10)?;
    let peers_read_seq: i64 = row.get(11)?;
    let outgoing = sender == me;
    let state = match (state, seq) {
        (STATE_FAILED, _) => DeliveryState::Failed,
        (STATE_PENDING, _) | (_, None) => DeliveryState::Pending,
        (_, Some(seq)) if outgoing && seq <= peers_read_seq => DeliveryState::Read,
        _ => DeliveryState::Sent,
    };
    Ok(MessageView {
        local_id: row.get::<_, i64>(0)?.to_string(),
        chat: ChatId(row.get::<_, i64>(1)? as u64),
        seq: seq.map(|s| Seq(s as u64)),
        sender: Account {
            id: sender,
            username: row.get(4)?,
            display_name: row.get(17)?,
        },
        outgoing,
        text: row.get(5)?,
        undecryptable: row.get::<_, i64>(10)? == STATE_UNREADABLE,
        reply_to: row.get::<_, Option<i64>>(6)?.map(|s| Seq(s as u64)),
        sent_at: row.get::<_, i64>(7)? as u64,
        edited_at: row.get::<_, Option<i64>>(8)?.map(|t| t as u64),
        deleted: row.get(9)?,
        state,
        call: row
            .get::<_, Option<Vec<u8>>>(12)?
            .and_then(|bytes| call_from_bytes(&bytes)),
        entities: row
            .get::<_, Option<Vec<u8>>>(13)?
            .and_then(|bytes| from_stored(&bytes))
            .unwrap_or_default(),
        forwarded_from: row
            .get::<_, Option<Vec<u8>>>(14)?
            .and_then(|bytes| from_stored(&bytes)),
        reactions: reactions_from(row.get::<_, Option<String>>(15)?.as_deref(), me),
        pinned: row.get(16)?,
        mentions_me: row.get(18)?,
    })
}

/// Groups `at US emoji US account US username US display name` records by emoji, in the
/// order each emoji was first given, and each emoji's people in the order they gave it.
fn reactions_from(records: Option<&str>, me: AccountId) -> Vec<ReactionView> {
    let mut rows: Vec<(i64, &str, AccountId, &str, &str)> = records
        .unwrap_or_default()
        .split('\u{1e}')
        .filter_map(|record| {
            let mut fields = record.split('\u{1f}');
            let at = fields.next()?.parse().ok()?;
            let emoji = fields.next()?;
            let account = AccountId(fields.next()?.parse().ok()?);
            let username = fields.next().unwrap_or_default();
            Some((
                at,
                emoji,
                account,
                username,
                fields.next().unwrap_or_default(),
            ))
        })
        .collect();
    rows.sort_by_key(|&(at, _, account, _, _)| (at, account.0));
    let mut out: Vec<ReactionView> = Vec::new();
    for (_, emoji, account, username, display_name) in rows {
        let person = Account {
            id: account,
            username: username.into(),
            display_name: display_name.into(),
        };
        match out.iter_mut().find(|r| r.emoji == emoji) {
            Some(reaction) => {
                reaction.count += 1;
                reaction.mine |= account == me;
                reaction.accounts.push(person);
            }
            None => out.push(ReactionView {
                emoji: emoji.into(),
                count: 1,
                mine: account == me,
                accounts: vec![person],
            }),
        }
    }
    out
}

/// Bytes of a stored entity list or origin.
pub(crate) fn to_stored<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Strings, integers and options always serialize into a Vec.
    postcard::to_stdvec(value).unwrap_or_default()
}

fn from_stored<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes)
        .map_err(|e| tracing::warn!(error = %e, "a stored message field does not read"))
        .ok()
}

/// A stored call record's bytes.
pub(crate) fn call_bytes(record: &content::CallRecord) -> Vec<u8> {
    // A struct of integers and booleans always serializes.
    postcard::to_stdvec(record).unwrap_or_default()
}

fn call_from_bytes(bytes: &[u8]) -> Option<content::CallRecord> {
    postcard::from_bytes(bytes)
        .map_err(|e| tracing::warn!(error = %e, "a stored call record does not read"))
        .ok()
}

/// One shown message by local id (`None` for an action or one deleted for me).
pub(crate) fn view(
    conn: &Connection,
    me: AccountId,
    local_id: i64,
) -> Result<Option<MessageView>, StoreError> {
    let sql = format!(
        "SELECT {VIEW_COLUMNS} FROM messages m {VIEW_JOINS} WHERE m.id = ?1 AND m.hidden = 0"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([local_id], |row| view_from_row(row, me))
        .optional()?)
}

/// The newest message of a chat (an unsent one counts as newest).
pub(crate) fn last(
    conn: &Connection,
    me: AccountId,
    chat: ChatId,
) -> Result<Option<MessageView>, StoreError> {
    let sql = format!(
        "SELECT {VIEW_COLUMNS} FROM messages m {VIEW_JOINS} WHERE m.chat_id = ?1 AND m.hidden = 0
         ORDER BY m.seq IS NULL DESC, m.seq DESC, m.id DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([chat.0 as i64], |row| view_from_row(row, me))
        .optional()?)
}

/// Stored messages older than `before`, newest first; with no `before`, unsent messages
/// come first.
pub(crate) fn history(
    conn: &Connection,
    me: AccountId,
    chat: ChatId,
    before: Option<Seq>,
    limit: u32,
) -> Result<Vec<MessageView>, StoreError> {
    let mut out = Vec::new();
    if before.is_none() {
        let sql = format!(
            "SELECT {VIEW_COLUMNS} FROM messages m {VIEW_JOINS}
             WHERE m.chat_id = ?1 AND m.seq IS NULL AND m.hidden = 0 ORDER BY m.id DESC LIMIT ?2"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![chat.0 as i64, limit], |row| view_from_row(row, me))?;
        for row in rows {
            out.push(row?);
        }
    }
    let remaining = limit.saturating_sub(out.len() as u32);
    let before = before.map(|s| s.0 as i64).unwrap_or(i64::MAX);
    let sql = format!(
        "SELECT {VIEW_COLUMNS} FROM messages m {VIEW_JOINS}
         WHERE m.chat_id = ?1 AND m.seq < ?2 AND m.hidden = 0 ORDER BY m.seq DESC LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![chat.0 as i64, before, remaining], |row| {
        view_from_row(row, me)
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// Where a message being stored came from, which decides how its text is found.
pub(crate) enum Source<'g> {
    /// The update log, in order: an MLS payload is decrypted in the chat's group (loaded
    /// once per chat for the batch).
    Updates(&'g mut e2e::group::GroupCache),
    /// A history page: an MLS payload there cannot be decrypted (any more) on this device.
    History,
}

/// A message as [`upsert`] stored it.
pub(crate) struct Stored {
    /// Its local id.
    pub(crate) id: i64,
    /// It was for the chat's encryption group while this device is not in it.
    pub(crate) missing_group: bool,
    /// A new action read from the update log, to apply in order.
    pub(crate) action: Option<content::Action>,
}

/// Stores a message as the server has it, merging with a local copy found by the sender's
/// idempotency key (our own unsent message, or one stored before) or by position; the
/// local copy keeps its text.
pub(crate) fn upsert(
    conn: &Connection,
    message: &Message,
    source: Source<'_>,
) -> Result<Stored, StoreError> {
    let existing: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, text FROM messages WHERE sender_id = ?1 AND client_msg_id = ?2",
        )?
        .query_row(
            params![message.sender.0 as i64, message.client_msg_id.0 as i64],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let seq = message.seq.0 as i64;
    let edited_at = message.edited_at.map(|t| t as i64);
    if let Some((id, old_text)) = existing {
        conn.prepare_cached(
            "UPDATE messages SET seq = ?2, sent_at = ?3, edited_at = ?4, deleted = ?5,
                 state = CASE state WHEN ?7 THEN ?7 ELSE ?6 END
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            seq,
            message.sent_at as i64,
            edited_at,
            message.deleted,
            STATE_SENT,
            STATE_UNREADABLE
        ])?;
        let text = if message.deleted {
            String::new()
        } else if e2e::sealed::is_sealed(&message.payload) {
            old_text.clone()
        } else {
            content::text_of(&message.payload, false)
        };
        if old_text != text {
            set_text(conn, id, &text)?;
        }
        conn.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
            .execute([id])?;
        return Ok(Stored {
            id,
            missing_group: false,
            action: None,
        });
    }
    let in_order = matches!(source, Source::Updates(_));
    let opened = match (message.deleted, source) {
        (true, _) => e2e::sealed::Opened::deleted(),
        (false, Source::Updates(groups)) => {
            e2e::sealed::open_text(conn, groups, message.chat, &message.payload)?
        }
        (false, Source::History) => e2e::sealed::history_text(&message.payload),
    };
    let state = if opened.readable {
        STATE_SENT
    } else {
        STATE_UNREADABLE
    };
    let missing_group = opened.missing_group;
    let reply_to = opened.reply_to.or(message.reply_to);
    let call = opened.call.as_ref().map(call_bytes);
    let mentions_me = mentions_owner(conn, message, &opened.text, &opened.entities, reply_to)?;
    let entities = (!opened.entities.is_empty()).then(|| to_stored(&opened.entities));
    let forwarded = opened.forwarded.as_ref().map(to_stored);
    let hidden = if opened.action.is_some() {
        HIDDEN_ACTION
    } else {
        SHOWN
    };
    let text = opened.text;
    let id = conn
        .prepare_cached(
            "INSERT INTO messages (chat_id, seq, sender_id, client_msg_id, text, reply_to, sent_at,
                                   edited_at, deleted, state, call, entities, forwarded, hidden,
                                   mentions_me)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
             ON CONFLICT(chat_id, seq) DO UPDATE SET
                text = excluded.text, edited_at = excluded.edited_at, deleted = excluded.deleted,
                state = excluded.state, call = excluded.call, entities = excluded.entities,
                forwarded = excluded.forwarded,
                hidden = max(hidden, excluded.hidden)
             RETURNING id",
        )?
        .query_row(
            params![
                message.chat.0 as i64,
                seq,
                message.sender.0 as i64,
                message.client_msg_id.0 as i64,
                text,
                reply_to.map(|s| s.0 as i64),
                message.sent_at as i64,
                edited_at,
                message.deleted,
                state,
                call,
                entities,
                forwarded,
                hidden,
                mentions_me,
            ],
            |row| row.get(0),
        )?;
    Ok(Stored {
        id,
        missing_group,
        action: opened.action.filter(|_| in_order),
    })
}

/// Whether `message` (from someone else) names this store's account by `@username` or
/// answers one of its messages.
fn mentions_owner(
    conn: &Connection,
    message: &Message,
    text: &str,
    entities: &[content::Entity],
    reply_to: Option<Seq>,
) -> Result<bool, StoreError> {
    // Most messages name nobody and answer nothing: no need to look up who this is.
    let names_someone = entities
        .iter()
        .any(|e| e.kind == content::EntityKind::Mention);
    if !names_someone && reply_to.is_none() {
        return Ok(false);
    }
    let Some((owner, username)) = super::session::owner(conn)? else {
        return Ok(false);
    };
    if message.sender == owner {
        return Ok(false);
    }
    if content::entities::mentions(text, entities, &username) {
        return Ok(true);
    }
    let Some(target) = reply_to else {
        return Ok(false);
    };
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM messages WHERE chat_id = ?1 AND seq = ?2 AND sender_id = ?3",
        )?
        .query_row(
            params![message.chat.0 as i64, target.0 as i64, owner.0 as i64],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn set_text(conn: &Connection, id: i64, text: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE messages SET text = ?2 WHERE id = ?1")?
        .execute(params![id, text])?;
    Ok(())
}

/// Applies an edit to a stored message; returns its local id, if it is stored.
/// An undecryptable edit makes the message undecryptable; a readable one makes it readable.
pub(crate) fn edit(
    conn: &Connection,
    chat: ChatId,
    seq: Seq,
    opened: &e2e::sealed::Opened,
    at: u64,
) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = conn
        .prepare_cached(
            "UPDATE messages SET text = ?3, edited_at = ?4,
                 state = CASE WHEN ?5 THEN (CASE state WHEN ?6 THEN ?7 ELSE state END) ELSE ?6 END,
                 entities = ?8
             WHERE chat_id = ?1 AND seq = ?2 AND deleted = 0 AND hidden != 2
             RETURNING id",
        )?
        .query_row(
            params![
                chat.0 as i64,
                seq.0 as i64,
                opened.text,
                at as i64,
                opened.readable,
                STATE_UNREADABLE,
                STATE_SENT,
                (!opened.entities.is_empty()).then(|| to_stored(&opened.entities)),
            ],
            |row| row.get(0),
        )
        .optional()?;
    Ok(id)
}

/// Turns a stored message into a tombstone; returns its local id, if it is stored.
pub(crate) fn tombstone(
    conn: &Connection,
    chat: ChatId,
    seq: Seq,
) -> Result<Option<i64>, StoreError> {
    let id: Option<i64> = conn
        .prepare_cached(
            "UPDATE messages SET text = '', deleted = 1, entities = NULL, forwarded = NULL,
                 body = NULL
             WHERE chat_id = ?1 AND seq = ?2 RETURNING id",
        )?
        .query_row(params![chat.0 as i64, seq.0 as i64], |row| row.get(0))
        .optional()?;
    for table in [
        "DELETE FROM reactions WHERE chat_id = ?1 AND target_seq = ?2",
        "DELETE FROM pinned_messages WHERE chat_id = ?1 AND seq = ?2",
    ] {
        conn.prepare_cached(table)?
            .execute(params![chat.0 as i64, seq.0 as i64])?;
    }
    Ok(id)
}

/// The local id of our own message with this idempotency key.
pub(crate) fn local_id_of(
    conn: &Connection,
    me: AccountId,
    id: ClientMsgId,
) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT id FROM messages WHERE sender_id = ?1 AND client_msg_id = ?2")?
        .query_row(params![me.0 as i64, id.0 as i64], |row| row.get(0))
        .optional()?)
}
