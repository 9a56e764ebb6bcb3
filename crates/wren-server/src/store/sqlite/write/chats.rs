//! Chats and membership: direct chats, groups, add, remove, leave, rename.

use super::{announce_joined, append_event, fan_out, notify_members, Applied, Event, Pointer};
use crate::store::sql::views::{
    account_info, chat_info, chat_row, log_kind, member_ids, privacy, require_member, role_code,
    update_kind, ChatRow, KIND_DIRECT, KIND_GROUP, ROLE_ADMIN,
};
use crate::store::sql::Db;
use crate::store::sqlite::db_err;
use crate::store::{Delivery, StoreError, WriteOutcome};
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::rules::MAX_GROUP_MEMBERS;
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatKind, ErrorCode, GroupAdds, Member, Role, Seq, Update,
};

/// Returns the direct chat of `me` and `peer`, creating it if needed.
pub(super) fn open_direct(
    conn: &Connection,
    me: AccountId,
    peer: AccountId,
    now: u64,
) -> Result<Applied, StoreError> {
    if me == peer {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "you cannot open a direct chat with yourself",
        ));
    }
    require_account(conn, peer)?;
    let key = format!("{}:{}", me.0.min(peer.0), me.0.max(peer.0));
    let existing: Option<u64> = conn
        .prepare_cached("SELECT id FROM chats WHERE direct_key = ?1")
        .map_err(db_err)?
        .query_row([&key], |row| row.get(0))
        .optional()
        .map_err(db_err)?;
    if let Some(id) = existing {
        return Ok(Applied::quiet(WriteOutcome::Chat(view(
            conn,
            ChatId(id),
            me,
        )?)));
    }
    let chat = insert_chat(conn, KIND_DIRECT, "", Some(&key), now)?;
    let seq = created_event(conn, chat, me, "", now)?;
    insert_member(conn, chat, me, Role::Member, seq)?;
    insert_member(conn, chat, peer, Role::Member, seq)?;
    let mut deliveries = Vec::new();
    announce_joined(conn, chat, seq, &[me, peer], &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Chat(view(conn, chat, me)?),
        deliveries,
    })
}

/// Creates a group with `creator` as its admin.
pub(super) fn create_group(
    conn: &Connection,
    creator: AccountId,
    title: &str,
    members: &[AccountId],
    now: u64,
) -> Result<Applied, StoreError> {
    let mut everyone = vec![creator];
    for &m in members {
        if !everyone.contains(&m) {
            everyone.push(m);
        }
    }
    if everyone.len() > MAX_GROUP_MEMBERS {
        return Err(too_many_members());
    }
    for &m in &everyone[1..] {
        require_addable(conn, m)?;
    }
    let chat = insert_chat(conn, KIND_GROUP, title, None, now)?;
    let seq = created_event(conn, chat, creator, title, now)?;
    for (i, &m) in everyone.iter().enumerate() {
        let role = if i == 0 { Role::Admin } else { Role::Member };
        insert_member(conn, chat, m, role, seq)?;
    }
    // Nobody has read anything yet, so every member sees the same chat.
    let info = view(conn, chat, creator)?;
    let mut deliveries = Vec::with_capacity(everyone.len());
    let p = Pointer::event(update_kind::CHAT_JOINED, chat, seq);
    fan_out(
        conn,
        &everyone,
        p,
        Update::ChatJoined(info.clone()),
        &mut deliveries,
    )?;
    Ok(Applied {
        outcome: WriteOutcome::Chat(info),
        deliveries,
    })
}

/// Adds `account` to a group (admins only; adding a member again changes nothing).
pub(super) fn add_member(
    conn: &Connection,
    actor: AccountId,
    chat: ChatId,
    account: AccountId,
    now: u64,
) -> Result<Applied, StoreError> {
    require_admin(conn, chat, actor, "only admins can add members")?;
    let current = member_ids(Db::Sqlite(conn), chat)?;
    if current.contains(&account) {
        return Ok(Applied::quiet(WriteOutcome::Done));
    }
    let added = require_addable(conn, account)?;
    if current.len() >= MAX_GROUP_MEMBERS {
        return Err(too_many_members());
    }
    let event = Event {
        target: Some(account.0),
        role: Some(role_code(Role::Member)),
        ..Event::new(log_kind::MEMBER_ADDED, actor)
    };
    let seq = append_event(conn, chat, &event, now)?;
    insert_member(conn, chat, account, Role::Member, seq)?;
    let mut deliveries = Vec::with_capacity(current.len() + 1);
    let p = Pointer::event(update_kind::MEMBER_ADDED, chat, seq);
    let update = Update::MemberAdded {
        chat,
        log_seq: seq,
        member: Member {
            account: added,
            role: Role::Member,
        },
    };
    fan_out(conn, &current, p, update, &mut deliveries)?;
    announce_joined(conn, chat, seq, &[account], &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

/// Removes `account` from a group; removing oneself is leaving.
pub(super) fn remove_member(
    conn: &Connection,
    actor: AccountId,
    chat: ChatId,
    account: AccountId,
    now: u64,
) -> Result<Applied, StoreError> {
    if actor == account {
        require_member(Db::Sqlite(conn), chat, actor)?;
        require_group(conn, chat)?;
    } else {
        require_admin(conn, chat, actor, "only admins can remove members")?;
    }
    let before = member_ids(Db::Sqlite(conn), chat)?;
    if !before.contains(&account) {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "that person is not a member of this chat",
        ));
    }
    let event = Event {
        target: Some(account.0),
        ..Event::new(log_kind::MEMBER_REMOVED, actor)
    };
    let seq = append_event(conn, chat, &event, now)?;
    conn.prepare_cached("DELETE FROM members WHERE chat_id = ?1 AND account_id = ?2")
        .map_err(db_err)?
        .execute(params![chat.0, account.0])
        .map_err(db_err)?;
    let promoted = promote_if_no_admin(conn, chat)?;
    let mut deliveries = Vec::with_capacity(before.len());
    let p = Pointer::event(update_kind::MEMBER_REMOVED, chat, seq);
    let update = Update::MemberRemoved {
        chat,
        log_seq: seq,
        account,
    };
    fan_out(conn, &before, p, update, &mut deliveries)?;
    if let Some(promoted) = promoted {
        let remaining: Vec<AccountId> = before.into_iter().filter(|m| *m != account).collect();
        announce_promotion(conn, chat, promoted, &remaining, now, &mut deliveries)?;
    }
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

/// Renames a group (admins only).
pub(super) fn rename(
    conn: &Connection,
    actor: AccountId,
    chat: ChatId,
    title: &str,
    now: u64,
) -> Result<Applied, StoreError> {
    require_admin(conn, chat, actor, "only admins can rename the group")?;
    if super::mls::epoch_of(conn, chat)? > 0 {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "this group is end-to-end encrypted: its title must be sealed (SealTitle)",
        ));
    }
    let event = Event {
        text: Some(title),
        ..Event::new(log_kind::RENAMED, actor)
    };
    let seq = append_event(conn, chat, &event, now)?;
    conn.prepare_cached("UPDATE chats SET title = ?2 WHERE id = ?1")
        .map_err(db_err)?
        .execute(params![chat.0, title])
        .map_err(db_err)?;
    let update = Update::ChatRenamed {
        chat,
        log_seq: seq,
        title: title.to_owned(),
    };
    notify_members(conn, chat, seq, update_kind::RENAMED, update)
}

/// Makes the most senior member admin when no admin is left.
fn promote_if_no_admin(conn: &Connection, chat: ChatId) -> Result<Option<AccountId>, StoreError> {
    conn.prepare_cached(
        "UPDATE members SET role = ?2 WHERE chat_id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM members WHERE chat_id = ?1 AND role = ?2) \
         AND account_id = (SELECT account_id FROM members WHERE chat_id = ?1 \
                           ORDER BY joined_seq, account_id LIMIT 1) \
         RETURNING account_id",
    )
    .map_err(db_err)?
    .query_row(params![chat.0, ROLE_ADMIN], |row| row.get(0).map(AccountId))
    .optional()
    .map_err(db_err)
}

/// Logs and announces to `members` that `account` is now an admin.
fn announce_promotion(
    conn: &Connection,
    chat: ChatId,
    account: AccountId,
    members: &[AccountId],
    now: u64,
    deliveries: &mut Vec<Delivery>,
) -> Result<(), StoreError> {
    let event = Event {
        target: Some(account.0),
        role: Some(role_code(Role::Admin)),
        ..Event::new(log_kind::ROLE_CHANGED, account)
    };
    let seq = append_event(conn, chat, &event, now)?;
    let p = Pointer::event(update_kind::ROLE_CHANGED, chat, seq);
    let update = Update::RoleChanged {
        chat,
        log_seq: seq,
        account,
        role: Role::Admin,
    };
    fan_out(conn, members, p, update, deliveries)
}

/// The chat as `viewer` sees it; it must exist.
fn view(
    conn: &Connection,
    chat: ChatId,
    viewer: AccountId,
) -> Result<wren_proto::ChatInfo, StoreError> {
    chat_info(Db::Sqlite(conn), chat, viewer)?
        .ok_or_else(|| StoreError::Corrupt(format!("chat {chat} vanished")))
}

/// Checks that the caller is an admin of a group: not a member → Forbidden, direct chat →
/// BadRequest, plain member → Forbidden with `why`.
pub(super) fn require_admin(
    conn: &Connection,
    chat: ChatId,
    actor: AccountId,
    why: &'static str,
) -> Result<(), StoreError> {
    let role = require_member(Db::Sqlite(conn), chat, actor)?;
    require_group(conn, chat)?;
    if role != Role::Admin {
        return Err(StoreError::rejected(ErrorCode::Forbidden, why));
    }
    Ok(())
}

/// Refuses membership changes on direct chats.
fn require_group(conn: &Connection, chat: ChatId) -> Result<ChatRow, StoreError> {
    let row = chat_row(Db::Sqlite(conn), chat)?.ok_or_else(StoreError::not_member)?;
    if row.kind == ChatKind::Direct {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "a direct chat has no members to add or remove and no title",
        ));
    }
    Ok(row)
}

/// Checks that an account exists and lets others add it to groups.
fn require_addable(conn: &Connection, account: AccountId) -> Result<AccountInfo, StoreError> {
    let info = account_info(Db::Sqlite(conn), account)?.ok_or(no_such_user())?;
    if privacy(Db::Sqlite(conn), account)?.group_adds == GroupAdds::Nobody {
        return Err(StoreError::rejected(
            ErrorCode::PrivacyRestricted,
            format!("@{} does not allow being added to groups", info.username),
        ));
    }
    Ok(info)
}

/// Checks that an account exists.
fn require_account(conn: &Connection, account: AccountId) -> Result<(), StoreError> {
    account_info(Db::Sqlite(conn), account)?
        .ok_or(no_such_user())
        .map(|_| ())
}

fn no_such_user() -> StoreError {
    StoreError::rejected(ErrorCode::NotFound, "there is no such user")
}

fn too_many_members() -> StoreError {
    StoreError::rejected(
        ErrorCode::TooManyMembers,
        "a group has at most 1000 members",
    )
}

/// Inserts a chat row and returns its id.
fn insert_chat(
    conn: &Connection,
    kind: i64,
    title: &str,
    direct_key: Option<&str>,
    now: u64,
) -> Result<ChatId, StoreError> {
    conn.prepare_cached(
        "INSERT INTO chats (kind, title, created_at, direct_key) VALUES (?1, ?2, ?3, ?4)",
    )
    .map_err(db_err)?
    .execute(params![kind, title, now, direct_key])
    .map_err(db_err)?;
    u64::try_from(conn.last_insert_rowid())
        .map(ChatId)
        .map_err(|_| StoreError::Corrupt("negative chat id".into()))
}

/// Logs the "chat created" event with the first title, the first position of every chat.
fn created_event(
    conn: &Connection,
    chat: ChatId,
    actor: AccountId,
    title: &str,
    now: u64,
) -> Result<Seq, StoreError> {
    let event = Event {
        text: Some(title),
        ..Event::new(log_kind::CREATED, actor)
    };
    append_event(conn, chat, &event, now)
}

/// Inserts a membership row.
fn insert_member(
    conn: &Connection,
    chat: ChatId,
    account: AccountId,
    role: Role,
    joined_seq: Seq,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO members (chat_id, account_id, role, joined_seq) VALUES (?1, ?2, ?3, ?4)",
    )
    .map_err(db_err)?
    .execute(params![chat.0, account.0, role_code(role), joined_seq.0])
    .map_err(db_err)?;
    Ok(())
}
