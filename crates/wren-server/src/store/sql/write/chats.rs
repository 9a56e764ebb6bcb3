//! Chats and membership: direct chats, groups, add, remove, leave, rename.

use super::{announce_joined, append_event, fan_out, notify_members, Applied, Event, Pointer};
use crate::store::sql::views::{
    account_info, chat_info, chat_row, log_kind, member_ids, privacy, require_member, role_code,
    update_kind, ChatRow, KIND_DIRECT, KIND_GROUP, ROLE_ADMIN,
};
use crate::store::sql::{args, Db};
use crate::store::{Delivery, StoreError, WriteOutcome};
use wren_proto::rules::MAX_GROUP_MEMBERS;
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatKind, ErrorCode, GroupAdds, Member, Role, Seq, Update,
};

/// Returns the direct chat of `me` and `peer`, creating it if needed.
pub(super) fn open_direct(
    db: Db<'_>,
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
    require_account(db, peer)?;
    let key = format!("{}:{}", me.0.min(peer.0), me.0.max(peer.0));
    let existing: Option<u64> = db.query_opt(
        "SELECT id FROM chats WHERE direct_key = ?1",
        args![&key],
        |row| row.get(0),
    )?;
    if let Some(id) = existing {
        return Ok(Applied::quiet(WriteOutcome::Chat(view(
            db,
            ChatId(id),
            me,
        )?)));
    }
    let chat = insert_chat(db, KIND_DIRECT, "", Some(&key), now)?;
    let seq = created_event(db, chat, me, "", now)?;
    insert_member(db, chat, me, Role::Member, seq)?;
    insert_member(db, chat, peer, Role::Member, seq)?;
    let mut deliveries = Vec::new();
    announce_joined(db, chat, seq, &[me, peer], &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Chat(view(db, chat, me)?),
        deliveries,
    })
}

/// Creates a group with `creator` as its admin.
pub(super) fn create_group(
    db: Db<'_>,
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
        require_addable(db, m)?;
    }
    let chat = insert_chat(db, KIND_GROUP, title, None, now)?;
    let seq = created_event(db, chat, creator, title, now)?;
    for (i, &m) in everyone.iter().enumerate() {
        let role = if i == 0 { Role::Admin } else { Role::Member };
        insert_member(db, chat, m, role, seq)?;
    }
    // Nobody has read anything yet, so every member sees the same chat.
    let info = view(db, chat, creator)?;
    let mut deliveries = Vec::with_capacity(everyone.len());
    let p = Pointer::event(update_kind::CHAT_JOINED, chat, seq);
    fan_out(
        db,
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
    db: Db<'_>,
    actor: AccountId,
    chat: ChatId,
    account: AccountId,
    now: u64,
) -> Result<Applied, StoreError> {
    require_admin(db, chat, actor, "only admins can add members")?;
    let current = member_ids(db, chat)?;
    if current.contains(&account) {
        return Ok(Applied::quiet(WriteOutcome::Done));
    }
    let added = require_addable(db, account)?;
    if current.len() >= MAX_GROUP_MEMBERS {
        return Err(too_many_members());
    }
    let event = Event {
        target: Some(account.0),
        role: Some(role_code(Role::Member)),
        ..Event::new(log_kind::MEMBER_ADDED, actor)
    };
    let seq = append_event(db, chat, &event, now)?;
    insert_member(db, chat, account, Role::Member, seq)?;
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
    fan_out(db, &current, p, update, &mut deliveries)?;
    announce_joined(db, chat, seq, &[account], &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

/// Removes `account` from a group; removing oneself is leaving.
pub(super) fn remove_member(
    db: Db<'_>,
    actor: AccountId,
    chat: ChatId,
    account: AccountId,
    now: u64,
) -> Result<Applied, StoreError> {
    if actor == account {
        require_member(db, chat, actor)?;
        require_group(db, chat)?;
    } else {
        require_admin(db, chat, actor, "only admins can remove members")?;
    }
    let before = member_ids(db, chat)?;
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
    let seq = append_event(db, chat, &event, now)?;
    db.execute(
        "DELETE FROM members WHERE chat_id = ?1 AND account_id = ?2",
        args![chat.0, account.0],
    )?;
    let promoted = promote_if_no_admin(db, chat)?;
    let mut deliveries = Vec::with_capacity(before.len());
    let p = Pointer::event(update_kind::MEMBER_REMOVED, chat, seq);
    let update = Update::MemberRemoved {
        chat,
        log_seq: seq,
        account,
    };
    fan_out(db, &before, p, update, &mut deliveries)?;
    if let Some(promoted) = promoted {
        let remaining: Vec<AccountId> = before.into_iter().filter(|m| *m != account).collect();
        announce_promotion(db, chat, promoted, &remaining, now, &mut deliveries)?;
    }
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

/// Renames a group (admins only).
pub(super) fn rename(
    db: Db<'_>,
    actor: AccountId,
    chat: ChatId,
    title: &str,
    now: u64,
) -> Result<Applied, StoreError> {
    require_admin(db, chat, actor, "only admins can rename the group")?;
    if super::mls::epoch_of(db, chat)? > 0 {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "this group is end-to-end encrypted: its title must be sealed (SealTitle)",
        ));
    }
    let event = Event {
        text: Some(title),
        ..Event::new(log_kind::RENAMED, actor)
    };
    let seq = append_event(db, chat, &event, now)?;
    db.execute(
        "UPDATE chats SET title = ?2 WHERE id = ?1",
        args![chat.0, title],
    )?;
    let update = Update::ChatRenamed {
        chat,
        log_seq: seq,
        title: title.to_owned(),
    };
    notify_members(db, chat, seq, update_kind::RENAMED, update)
}

/// Makes the most senior member admin when no admin is left.
fn promote_if_no_admin(db: Db<'_>, chat: ChatId) -> Result<Option<AccountId>, StoreError> {
    db.query_opt(
        "UPDATE members SET role = ?2 WHERE chat_id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM members WHERE chat_id = ?1 AND role = ?2) \
         AND account_id = (SELECT account_id FROM members WHERE chat_id = ?1 \
                           ORDER BY joined_seq, account_id LIMIT 1) \
         RETURNING account_id",
        args![chat.0, ROLE_ADMIN],
        |row| row.get(0).map(AccountId),
    )
}

/// Logs and announces to `members` that `account` is now an admin.
fn announce_promotion(
    db: Db<'_>,
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
    let seq = append_event(db, chat, &event, now)?;
    let p = Pointer::event(update_kind::ROLE_CHANGED, chat, seq);
    let update = Update::RoleChanged {
        chat,
        log_seq: seq,
        account,
        role: Role::Admin,
    };
    fan_out(db, members, p, update, deliveries)
}

/// The chat as `viewer` sees it; it must exist.
fn view(db: Db<'_>, chat: ChatId, viewer: AccountId) -> Result<wren_proto::ChatInfo, StoreError> {
    chat_info(db, chat, viewer)?.ok_or_else(|| StoreError::Corrupt(format!("chat {chat} vanished")))
}

/// Checks that the caller is an admin of a group: not a member → Forbidden, direct chat →
/// BadRequest, plain member → Forbidden with `why`.
pub(super) fn require_admin(
    db: Db<'_>,
    chat: ChatId,
    actor: AccountId,
    why: &'static str,
) -> Result<(), StoreError> {
    let role = require_member(db, chat, actor)?;
    require_group(db, chat)?;
    if role != Role::Admin {
        return Err(StoreError::rejected(ErrorCode::Forbidden, why));
    }
    Ok(())
}

/// Refuses membership changes on direct chats.
fn require_group(db: Db<'_>, chat: ChatId) -> Result<ChatRow, StoreError> {
    let row = chat_row(db, chat)?.ok_or_else(StoreError::not_member)?;
    if row.kind == ChatKind::Direct {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "a direct chat has no members to add or remove and no title",
        ));
    }
    Ok(row)
}

/// Checks that an account exists and lets others add it to groups.
fn require_addable(db: Db<'_>, account: AccountId) -> Result<AccountInfo, StoreError> {
    let info = account_info(db, account)?.ok_or(no_such_user())?;
    if privacy(db, account)?.group_adds == GroupAdds::Nobody {
        return Err(StoreError::rejected(
            ErrorCode::PrivacyRestricted,
            format!("@{} does not allow being added to groups", info.username),
        ));
    }
    Ok(info)
}

/// Checks that an account exists.
fn require_account(db: Db<'_>, account: AccountId) -> Result<(), StoreError> {
    account_info(db, account)?.ok_or(no_such_user()).map(|_| ())
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
    db: Db<'_>,
    kind: i64,
    title: &str,
    direct_key: Option<&str>,
    now: u64,
) -> Result<ChatId, StoreError> {
    db.query_one(
        "INSERT INTO chats (kind, title, created_at, direct_key) VALUES (?1, ?2, ?3, ?4) \
         RETURNING id",
        args![kind, title, now, direct_key],
        |r| r.get(0).map(ChatId),
    )
}

/// Logs the "chat created" event with the first title, the first position of every chat.
fn created_event(
    db: Db<'_>,
    chat: ChatId,
    actor: AccountId,
    title: &str,
    now: u64,
) -> Result<Seq, StoreError> {
    let event = Event {
        text: Some(title),
        ..Event::new(log_kind::CREATED, actor)
    };
    append_event(db, chat, &event, now)
}

/// Inserts a membership row.
fn insert_member(
    db: Db<'_>,
    chat: ChatId,
    account: AccountId,
    role: Role,
    joined_seq: Seq,
) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO members (chat_id, account_id, role, joined_seq) VALUES (?1, ?2, ?3, ?4)",
        args![chat.0, account.0, role_code(role), joined_seq.0],
    )?;
    Ok(())
}
