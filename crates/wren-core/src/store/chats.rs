//! Chat rows and members, and the chat list as the UI shows it.

use super::messages;
use crate::error::StoreError;
use crate::model::{Account, ChatSummary, MemberView};
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::{AccountId, ChatId, ChatInfo, ChatKind, Member, Role, Seq};

/// `synced_from` of a chat whose history is not known locally at all.
pub(crate) const NOTHING_SYNCED: i64 = i64::MAX;

pub(crate) fn upsert_user(
    conn: &Connection,
    account: &wren_proto::AccountInfo,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO users (id, username, display_name) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET username = excluded.username,
             display_name = excluded.display_name",
    )?
    .execute(params![
        account.id.0 as i64,
        account.username,
        account.display_name
    ])?;
    Ok(())
}

/// The chats stored here that `account` is a member of.
pub(crate) fn chats_with(conn: &Connection, account: AccountId) -> Result<Vec<ChatId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT chat_id FROM members WHERE account_id = ?1")?;
    let rows = stmt.query_map([account.0 as i64], |row| {
        Ok(ChatId(row.get::<_, i64>(0)? as u64))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn upsert_member(
    conn: &Connection,
    chat: ChatId,
    member: &Member,
) -> Result<(), StoreError> {
    upsert_user(conn, &member.account)?;
    conn.prepare_cached(
        "INSERT INTO members (chat_id, account_id, role) VALUES (?1, ?2, ?3)
         ON CONFLICT(chat_id, account_id) DO UPDATE SET role = excluded.role",
    )?
    .execute(params![
        chat.0 as i64,
        member.account.id.0 as i64,
        role_code(member.role)
    ])?;
    Ok(())
}

pub(crate) fn set_role(
    conn: &Connection,
    chat: ChatId,
    account: AccountId,
    role: Role,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE members SET role = ?3 WHERE chat_id = ?1 AND account_id = ?2")?
        .execute(params![chat.0 as i64, account.0 as i64, role_code(role)])?;
    Ok(())
}

pub(crate) fn remove_member(
    conn: &Connection,
    chat: ChatId,
    account: AccountId,
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM members WHERE chat_id = ?1 AND account_id = ?2")?
        .execute(params![chat.0 as i64, account.0 as i64])?;
    Ok(())
}

/// Stores a chat as the server describes it (so this account is a member of it); a chat
/// new to this store starts with no known history. Returns whether the chat was new. A
/// group whose title is sealed comes with an empty title: the one shown here stays.
pub(crate) fn upsert_chat(conn: &Connection, info: &ChatInfo) -> Result<bool, StoreError> {
    let existed = exists(conn, info.id)?;
    conn.prepare_cached(
        "INSERT INTO chats (id, kind, title, last_seq, read_seq, peers_read_seq, created_at,
                            last_activity_at, synced_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET
            kind = excluded.kind, is_member = 1,
            title = CASE WHEN excluded.title = '' THEN title ELSE excluded.title END,
            last_seq = max(last_seq, excluded.last_seq),
            read_seq = max(read_seq, excluded.read_seq),
            peers_read_seq = max(peers_read_seq, excluded.peers_read_seq)",
    )?
    .execute(params![
        info.id.0 as i64,
        kind_code(info.kind),
        info.title,
        info.last_seq.0 as i64,
        info.read_seq.0 as i64,
        info.peers_read_seq.0 as i64,
        info.created_at as i64,
        NOTHING_SYNCED,
    ])?;
    if !info.members.is_empty() {
        conn.prepare_cached("DELETE FROM members WHERE chat_id = ?1")?
            .execute([info.id.0 as i64])?;
        for member in &info.members {
            upsert_member(conn, info.id, member)?;
        }
    }
    Ok(!existed)
}

pub(crate) fn exists(conn: &Connection, chat: ChatId) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM chats WHERE id = ?1")?
        .query_row([chat.0 as i64], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(crate) fn delete_chat(conn: &Connection, chat: ChatId) -> Result<(), StoreError> {
    conn.execute("DELETE FROM chats WHERE id = ?1", [chat.0 as i64])?;
    Ok(())
}

/// Whether this account is still a member of a stored chat; `None` if it is not stored.
pub(crate) fn is_member(conn: &Connection, chat: ChatId) -> Result<Option<bool>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT is_member FROM chats WHERE id = ?1")?
        .query_row([chat.0 as i64], |row| row.get(0))
        .optional()?)
}

/// This account is no longer a member: the chat and its history stay, read-only, and
/// this account leaves its member list.
pub(crate) fn mark_not_member(
    conn: &Connection,
    me: AccountId,
    chat: ChatId,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE chats SET is_member = 0 WHERE id = ?1")?
        .execute([chat.0 as i64])?;
    remove_member(conn, chat, me)
}

/// Moves `last_seq` and the activity time forward (never back).
pub(crate) fn touch(conn: &Connection, chat: ChatId, seq: Seq, at: u64) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE chats SET last_seq = max(last_seq, ?2), last_activity_at = max(last_activity_at, ?3)
         WHERE id = ?1",
    )?
    .execute(params![chat.0 as i64, seq.0 as i64, at as i64])?;
    Ok(())
}

/// Moves a read mark forward: this account's, or the highest of the other members'.
pub(crate) fn raise_read_mark(
    conn: &Connection,
    chat: ChatId,
    mine: bool,
    up_to: Seq,
) -> Result<(), StoreError> {
    let sql = if mine {
        "UPDATE chats SET read_seq = max(read_seq, ?2) WHERE id = ?1"
    } else {
        "UPDATE chats SET peers_read_seq = max(peers_read_seq, ?2) WHERE id = ?1"
    };
    conn.prepare_cached(sql)?
        .execute(params![chat.0 as i64, up_to.0 as i64])?;
    Ok(())
}

pub(crate) fn rename(conn: &Connection, chat: ChatId, title: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE chats SET title = ?2 WHERE id = ?1")?
        .execute(params![chat.0 as i64, title])?;
    Ok(())
}

pub(crate) fn synced_from(conn: &Connection, chat: ChatId) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT synced_from FROM chats WHERE id = ?1")?
        .query_row([chat.0 as i64], |row| row.get(0))
        .optional()?)
}

pub(crate) fn lower_synced_from(
    conn: &Connection,
    chat: ChatId,
    seq: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE chats SET synced_from = min(synced_from, ?2) WHERE id = ?1")?
        .execute(params![chat.0 as i64, seq])?;
    Ok(())
}

/// Forgets which history is complete, after the server said this store is too far behind.
pub(crate) fn forget_synced_ranges(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("UPDATE chats SET synced_from = ?1", [NOTHING_SYNCED])?;
    Ok(())
}

pub(crate) fn chat_ids(conn: &Connection) -> Result<Vec<ChatId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM chats")?;
    let ids = stmt
        .query_map([], |row| row.get::<_, i64>(0))?
        .map(|id| id.map(|id| ChatId(id as u64)))
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn members(conn: &Connection, chat: ChatId) -> Result<Vec<MemberView>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.account_id, coalesce(u.username, ''), m.role, coalesce(u.display_name, '')
         FROM members m
         LEFT JOIN users u ON u.id = m.account_id WHERE m.chat_id = ?1 ORDER BY m.role DESC, u.username",
    )?;
    let rows = stmt.query_map([chat.0 as i64], |row| {
        Ok(MemberView {
            account: Account {
                id: AccountId(row.get::<_, i64>(0)? as u64),
                username: row.get(1)?,
                display_name: row.get(3)?,
            },
            role: if row.get::<_, i64>(2)? == 1 {
                Role::Admin
            } else {
                Role::Member
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One chat as the chat list shows it.
pub(crate) fn summary(
    conn: &Connection,
    me: AccountId,
    chat: ChatId,
) -> Result<Option<ChatSummary>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT kind, title, read_seq, peers_read_seq, last_activity_at, pinned, is_member,
                    draft, muted_until, archived
             FROM chats WHERE id = ?1",
        )?
        .query_row([chat.0 as i64], |row| {
            Ok((
                (row.get::<_, i64>(0)?, row.get::<_, String>(1)?),
                (row.get::<_, i64>(2)?, row.get::<_, i64>(3)?),
                row.get::<_, i64>(4)?,
                (row.get::<_, bool>(5)?, row.get::<_, bool>(6)?),
                (row.get::<_, String>(7)?, row.get::<_, i64>(8)?),
                row.get::<_, bool>(9)?,
            ))
        })
        .optional()?;
    let Some((
        (kind, title),
        (read_seq, peers_read_seq),
        last_activity_at,
        (pinned, is_member),
        (draft, muted_until),
        archived,
    )) = row
    else {
        return Ok(None);
    };
    let kind = if kind == 0 {
        ChatKind::Direct
    } else {
        ChatKind::Group
    };
    let members = members(conn, chat)?;
    let title = match kind {
        ChatKind::Group => title,
        ChatKind::Direct => members
            .iter()
            .find(|m| m.account.id != me)
            .map(|m| m.account.name().to_owned())
            .unwrap_or(title),
    };
    let unread_count: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM messages WHERE chat_id = ?1 AND seq > ?2
             AND sender_id != ?3 AND deleted = 0 AND hidden = 0",
        )?
        .query_row(params![chat.0 as i64, read_seq, me.0 as i64], |row| {
            row.get(0)
        })?;
    let unread_mentions: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM messages WHERE chat_id = ?1 AND seq > ?2
             AND mentions_me = 1 AND deleted = 0 AND hidden = 0",
        )?
        .query_row(params![chat.0 as i64, read_seq], |row| row.get(0))?;
    Ok(Some(ChatSummary {
        id: chat,
        kind,
        title,
        members,
        unread_count: unread_count as u64,
        unread_mentions: unread_mentions as u64,
        read_seq: Seq(read_seq as u64),
        peers_read_seq: Seq(peers_read_seq as u64),
        last_message: messages::last(conn, me, chat)?,
        last_activity_at: last_activity_at as u64,
        pinned,
        is_member,
        draft,
        muted_until: (muted_until as u64 > crate::client::now_ms()).then_some(muted_until as u64),
        archived,
    }))
}

/// Takes the account's settings of a chat (muted, archived) as the server has them.
pub(crate) fn apply_settings(
    conn: &Connection,
    settings: &wren_proto::ChatSettings,
) -> Result<(), StoreError> {
    let until = settings
        .muted_until
        .map_or(0, |ms| i64::try_from(ms).unwrap_or(i64::MAX));
    conn.prepare_cached("UPDATE chats SET muted_until = ?2, archived = ?3 WHERE id = ?1")?
        .execute(params![settings.chat.0 as i64, until, settings.archived])?;
    Ok(())
}

/// Takes the server's list of the chats whose settings are not the defaults: every other
/// stored chat goes back to the defaults. Returns the chats that changed.
pub(crate) fn replace_settings(
    conn: &Connection,
    list: &[wren_proto::ChatSettings],
) -> Result<Vec<ChatId>, StoreError> {
    let current: Vec<(ChatId, i64, bool)> = {
        let mut statement = conn.prepare_cached("SELECT id, muted_until, archived FROM chats")?;
        let rows = statement
            .query_map([], |r| {
                Ok((ChatId(r.get::<_, i64>(0)? as u64), r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        rows
    };
    let mut changed = Vec::new();
    for (chat, muted, archived) in current {
        let wanted =
            list.iter()
                .find(|s| s.chat == chat)
                .copied()
                .unwrap_or(wren_proto::ChatSettings {
                    chat,
                    muted_until: None,
                    archived: false,
                });
        let wanted_muted = wanted
            .muted_until
            .map_or(0, |ms| i64::try_from(ms).unwrap_or(i64::MAX));
        if wanted_muted != muted || wanted.archived != archived {
            apply_settings(conn, &wanted)?;
            changed.push(chat);
        }
    }
    Ok(changed)
}

/// Saves (or, empty, clears) the unsent text of a chat's composer.
pub(crate) fn set_draft(conn: &Connection, chat: ChatId, text: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE chats SET draft = ?2 WHERE id = ?1")?
        .execute(params![chat.0 as i64, text])?;
    Ok(())
}

/// The chat list: pinned first, then by last activity.
pub(crate) fn summaries(conn: &Connection, me: AccountId) -> Result<Vec<ChatSummary>, StoreError> {
    let mut list = Vec::new();
    for chat in chat_ids(conn)? {
        if let Some(summary) = summary(conn, me, chat)? {
            list.push(summary);
        }
    }
    list.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(b.last_activity_at.cmp(&a.last_activity_at))
            .then(b.id.cmp(&a.id))
    });
    Ok(list)
}

fn kind_code(kind: ChatKind) -> i64 {
    match kind {
        ChatKind::Direct => 0,
        ChatKind::Group => 1,
    }
}

fn role_code(role: Role) -> i64 {
    match role {
        Role::Member => 0,
        Role::Admin => 1,
    }
}
