//! Row codes and the queries that build protocol models, shared by the writer and readers.

use super::{args, Db, Row};
use crate::store::StoreError;
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatInfo, ChatKind, ClientMsgId, GroupAdds, LastSeenVisibility,
    Member, Message, Privacy, Role, Seq,
};

/// `chat_log.kind` values.
pub(crate) mod log_kind {
    /// A message, in its current state.
    pub(crate) const MESSAGE: i64 = 0;
    /// A message was edited (`target` = its seq).
    pub(crate) const EDIT: i64 = 1;
    /// A message was deleted (`target` = its seq).
    pub(crate) const DELETE: i64 = 2;
    /// A member was added (`target` = account, `role`).
    pub(crate) const MEMBER_ADDED: i64 = 3;
    /// A member left or was removed (`target` = account).
    pub(crate) const MEMBER_REMOVED: i64 = 4;
    /// The chat was renamed (`text` = title).
    pub(crate) const RENAMED: i64 = 5;
    /// The chat was created.
    pub(crate) const CREATED: i64 = 6;
    /// A member's role changed (`target` = account, `role`).
    pub(crate) const ROLE_CHANGED: i64 = 7;
    /// An accepted MLS commit (payload: the commit; target: the epoch it was made in).
    pub(crate) const MLS_COMMIT: i64 = 8;
    /// The Welcome of the commit before it (payload: the Welcome).
    pub(crate) const MLS_WELCOME: i64 = 9;
    /// A sealed title (payload: the sealed title; target: the epoch that sealed it).
    pub(crate) const TITLE_SEALED: i64 = 10;
}

/// `updates.kind` values.
pub(crate) mod update_kind {
    /// [`wren_proto::Update::NewMessage`]
    pub(crate) const NEW_MESSAGE: i64 = 0;
    /// [`wren_proto::Update::MessageEdited`]
    pub(crate) const EDITED: i64 = 1;
    /// [`wren_proto::Update::MessageDeleted`]
    pub(crate) const DELETED: i64 = 2;
    /// [`wren_proto::Update::ChatJoined`]
    pub(crate) const CHAT_JOINED: i64 = 3;
    /// [`wren_proto::Update::MemberAdded`]
    pub(crate) const MEMBER_ADDED: i64 = 4;
    /// [`wren_proto::Update::MemberRemoved`]
    pub(crate) const MEMBER_REMOVED: i64 = 5;
    /// [`wren_proto::Update::ChatRenamed`]
    pub(crate) const RENAMED: i64 = 6;
    /// [`wren_proto::Update::ReadMark`]
    pub(crate) const READ_MARK: i64 = 7;
    /// [`wren_proto::Update::RoleChanged`]
    pub(crate) const ROLE_CHANGED: i64 = 8;
    /// An MLS commit of a chat's group.
    pub(crate) const MLS_COMMIT: i64 = 9;
    /// An MLS Welcome into a chat's group.
    pub(crate) const MLS_WELCOME: i64 = 10;
    /// [`wren_proto::Update::TitleSealed`]
    pub(crate) const TITLE_SEALED: i64 = 11;
    /// [`wren_proto::Update::ChatPinned`]
    pub(crate) const CHAT_PINNED: i64 = 12;
    /// [`wren_proto::Update::ProfileChanged`]; `extra` is the account.
    pub(crate) const PROFILE_CHANGED: i64 = 13;
    /// [`wren_proto::Update::ChatSettingsChanged`], rebuilt from the settings now.
    pub(crate) const CHAT_SETTINGS: i64 = 14;
    /// [`wren_proto::Update::FoldersChanged`], rebuilt from the folders now.
    pub(crate) const FOLDERS: i64 = 15;
}

/// `chats.kind` for direct chats.
pub(crate) const KIND_DIRECT: i64 = 0;
/// `chats.kind` for groups.
pub(crate) const KIND_GROUP: i64 = 1;
/// `members.role` for admins.
pub(crate) const ROLE_ADMIN: i64 = 0;
/// `members.role` for plain members.
pub(crate) const ROLE_MEMBER: i64 = 1;

/// The role stored for `role`.
pub(crate) fn role_code(role: Role) -> i64 {
    match role {
        Role::Admin => ROLE_ADMIN,
        Role::Member => ROLE_MEMBER,
    }
}

/// The role a stored code means.
pub(crate) fn role_of(code: i64) -> Role {
    if code == ROLE_ADMIN {
        Role::Admin
    } else {
        Role::Member
    }
}

/// A chat's own row.
#[derive(Clone, Debug)]
pub(crate) struct ChatRow {
    /// Direct or group.
    pub(crate) kind: ChatKind,
    /// The title.
    pub(crate) title: String,
    /// The newest log position.
    pub(crate) last_seq: Seq,
    /// Creation time.
    pub(crate) created_at: u64,
}

/// The chat's row, if it exists.
pub(crate) fn chat_row(db: Db<'_>, chat: ChatId) -> Result<Option<ChatRow>, StoreError> {
    db.query_opt(
        "SELECT kind, title, last_seq, created_at FROM chats WHERE id = ?1",
        args![chat.0],
        |row| {
            Ok(ChatRow {
                kind: if row.get::<i64>(0)? == KIND_DIRECT {
                    ChatKind::Direct
                } else {
                    ChatKind::Group
                },
                title: row.get(1)?,
                last_seq: Seq(row.get(2)?),
                created_at: row.get(3)?,
            })
        },
    )
}

/// The account's role in the chat, or `None` if it is not a member.
pub(crate) fn role_in(
    db: Db<'_>,
    chat: ChatId,
    account: AccountId,
) -> Result<Option<Role>, StoreError> {
    Ok(db
        .query_opt(
            "SELECT role FROM members WHERE chat_id = ?1 AND account_id = ?2",
            args![chat.0, account.0],
            |row| row.get::<i64>(0),
        )?
        .map(role_of))
}

/// The account's role, or the "not a member" rejection.
pub(crate) fn require_member(
    db: Db<'_>,
    chat: ChatId,
    account: AccountId,
) -> Result<Role, StoreError> {
    role_in(db, chat, account)?.ok_or_else(StoreError::not_member)
}

/// The member ids of a chat, most senior first.
pub(crate) fn member_ids(db: Db<'_>, chat: ChatId) -> Result<Vec<AccountId>, StoreError> {
    db.query_all(
        "SELECT account_id FROM members WHERE chat_id = ?1 ORDER BY joined_seq, account_id",
        args![chat.0],
        |row| row.get(0).map(AccountId),
    )
}

/// The members of a chat with names and roles, most senior first.
pub(crate) fn members(db: Db<'_>, chat: ChatId) -> Result<Vec<Member>, StoreError> {
    db.query_all(
        "SELECT m.account_id, a.username, m.role, a.display_name FROM members m \
         JOIN accounts a ON a.id = m.account_id \
         WHERE m.chat_id = ?1 ORDER BY m.joined_seq, m.account_id",
        args![chat.0],
        |row| {
            Ok(Member {
                account: AccountInfo {
                    id: AccountId(row.get(0)?),
                    username: row.get(1)?,
                    display_name: row.get(3)?,
                },
                role: role_of(row.get(2)?),
            })
        },
    )
}

/// The chat as `viewer` sees it now; members are empty when the viewer is not a member.
pub(crate) fn chat_info(
    db: Db<'_>,
    chat: ChatId,
    viewer: AccountId,
) -> Result<Option<ChatInfo>, StoreError> {
    let Some(row) = chat_row(db, chat)? else {
        return Ok(None);
    };
    let is_member = role_in(db, chat, viewer)?.is_some();
    let members = if is_member {
        members(db, chat)?
    } else {
        Vec::new()
    };
    let (read_seq, peers_read_seq): (u64, u64) = db.query_one(
        "SELECT COALESCE(MAX(CASE WHEN account_id = ?2 THEN read_seq END), 0), \
                COALESCE(MAX(CASE WHEN account_id <> ?2 THEN read_seq END), 0) \
         FROM members WHERE chat_id = ?1",
        args![chat.0, viewer.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Some(ChatInfo {
        id: chat,
        kind: row.kind,
        title: row.title,
        members,
        last_seq: row.last_seq,
        read_seq: Seq(read_seq),
        peers_read_seq: Seq(peers_read_seq),
        created_at: row.created_at,
    }))
}

/// The columns [`message_from_row`] reads, in order.
pub(crate) const MESSAGE_COLUMNS: &str =
    "chat_id, seq, actor, client_msg_id, payload, reply_to, created_at, edited_at, deleted";

/// A message from a row selected with [`MESSAGE_COLUMNS`].
pub(crate) fn message_from_row(row: &Row<'_>) -> Result<Message, StoreError> {
    Ok(Message {
        chat: ChatId(row.get(0)?),
        seq: Seq(row.get(1)?),
        sender: AccountId(row.get(2)?),
        // Stored bit for bit as a signed integer; every u64 is a valid id.
        client_msg_id: ClientMsgId(row.get::<Option<i64>>(3)?.unwrap_or(0) as u64),
        payload: row.get::<Option<Vec<u8>>>(4)?.unwrap_or_default(),
        reply_to: row.get::<Option<u64>>(5)?.map(Seq),
        sent_at: row.get(6)?,
        edited_at: row.get(7)?,
        deleted: row.get(8)?,
    })
}

/// The message at `seq` in its current state, if that position holds a message.
pub(crate) fn message(db: Db<'_>, chat: ChatId, seq: Seq) -> Result<Option<Message>, StoreError> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM chat_log WHERE chat_id = ?1 AND seq = ?2 AND kind = {}",
        log_kind::MESSAGE
    );
    db.query_opt(&sql, args![chat.0, seq.0], message_from_row)
}

/// The account's public info, if it exists.
pub(crate) fn account_info(
    db: Db<'_>,
    account: AccountId,
) -> Result<Option<AccountInfo>, StoreError> {
    db.query_opt(
        "SELECT username, display_name FROM accounts WHERE id = ?1",
        args![account.0],
        |row| {
            Ok(AccountInfo {
                id: account,
                username: row.get(0)?,
                display_name: row.get(1)?,
            })
        },
    )
}

/// An account's display name and bio.
pub(crate) fn profile(
    db: Db<'_>,
    account: AccountId,
) -> Result<Option<wren_proto::Profile>, StoreError> {
    let bio: Option<String> = db.query_opt(
        "SELECT bio FROM accounts WHERE id = ?1",
        args![account.0],
        |row| row.get(0),
    )?;
    let (Some(bio), Some(account)) = (bio, account_info(db, account)?) else {
        return Ok(None);
    };
    Ok(Some(wren_proto::Profile { account, bio }))
}

/// `NotFound` unless the account exists.
pub(crate) fn require_account(db: Db<'_>, account: AccountId) -> Result<(), StoreError> {
    let exists: bool = db.query_one(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1)",
        args![account.0],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::rejected(
            wren_proto::ErrorCode::NotFound,
            "there is no such account",
        ))
    }
}

/// The account's newest `pts`.
pub(crate) fn account_pts(db: Db<'_>, account: AccountId) -> Result<u64, StoreError> {
    Ok(db
        .query_opt(
            "SELECT pts FROM accounts WHERE id = ?1",
            args![account.0],
            |row| row.get(0),
        )?
        .unwrap_or(0))
}

/// Where `account`'s membership that covers position `seq` of `chat` ended: the first time
/// at or after `seq` that it left or was removed, or `None` while it is still a member.
pub(crate) fn departure_at_or_after(
    db: Db<'_>,
    chat: ChatId,
    account: AccountId,
    seq: Seq,
) -> Result<Option<Seq>, StoreError> {
    let sql = format!(
        "SELECT MIN(seq) FROM chat_log WHERE chat_id = ?1 AND kind = {} AND target = ?2 \
         AND seq >= ?3",
        log_kind::MEMBER_REMOVED
    );
    Ok(db
        .query_one(&sql, args![chat.0, account.0, seq.0], |row| {
            row.get::<Option<u64>>(0)
        })?
        .map(Seq))
}

/// The chat as a former member last saw it, at `left` (the position of their departure):
/// its title then, no member list, no read marks.
pub(crate) fn chat_info_as_of(
    db: Db<'_>,
    chat: ChatId,
    left: Seq,
) -> Result<Option<ChatInfo>, StoreError> {
    let Some(row) = chat_row(db, chat)? else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT text FROM chat_log WHERE chat_id = ?1 AND seq <= ?2 AND kind IN ({}, {}) \
         ORDER BY seq DESC LIMIT 1",
        log_kind::RENAMED,
        log_kind::CREATED
    );
    let title: Option<String> = db
        .query_opt(&sql, args![chat.0, left.0], |r| r.get::<Option<String>>(0))?
        .flatten();
    Ok(Some(ChatInfo {
        id: chat,
        kind: row.kind,
        title: title.unwrap_or_default(),
        members: Vec::new(),
        last_seq: left,
        read_seq: Seq(0),
        peers_read_seq: Seq(0),
        created_at: row.created_at,
    }))
}

/// The message at `seq` as it was at position `horizon` of the chat's log: edits made
/// later are undone from the payloads their edit events kept. A message deleted for
/// everyone stays deleted, since its content is gone from the server.
pub(crate) fn message_as_of(
    db: Db<'_>,
    chat: ChatId,
    seq: Seq,
    horizon: Seq,
) -> Result<Option<Message>, StoreError> {
    let Some(mut msg) = message(db, chat, seq)? else {
        return Ok(None);
    };
    if msg.deleted || msg.edited_at.is_none() {
        return Ok(Some(msg));
    }
    let later = format!(
        "SELECT payload FROM chat_log WHERE chat_id = ?1 AND kind = {} AND target = ?2 \
         AND seq > ?3 ORDER BY seq LIMIT 1",
        log_kind::EDIT
    );
    let replaced: Option<Option<Vec<u8>>> =
        db.query_opt(&later, args![chat.0, seq.0, horizon.0], |r| r.get(0))?;
    let Some(replaced) = replaced else {
        return Ok(Some(msg));
    };
    let earlier = format!(
        "SELECT MAX(created_at) FROM chat_log WHERE chat_id = ?1 AND kind = {} \
         AND target = ?2 AND seq <= ?3",
        log_kind::EDIT
    );
    msg.edited_at = db.query_one(&earlier, args![chat.0, seq.0, horizon.0], |r| r.get(0))?;
    msg.payload = replaced.unwrap_or_default();
    Ok(Some(msg))
}

/// `accounts.group_adds` for [`GroupAdds::Everybody`].
const GROUP_ADDS_EVERYBODY: i64 = 0;
/// `accounts.group_adds` for [`GroupAdds::Nobody`].
const GROUP_ADDS_NOBODY: i64 = 1;

/// The code stored for a group-adds setting.
pub(crate) fn group_adds_code(allowed: GroupAdds) -> i64 {
    match allowed {
        GroupAdds::Everybody => GROUP_ADDS_EVERYBODY,
        GroupAdds::Nobody => GROUP_ADDS_NOBODY,
    }
}

/// The account's privacy settings (the defaults for an unknown account).
pub(crate) fn privacy(db: Db<'_>, account: AccountId) -> Result<Privacy, StoreError> {
    let codes: Option<(i64, i64)> = db.query_opt(
        "SELECT group_adds, last_seen_privacy FROM accounts WHERE id = ?1",
        args![account.0],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (group_adds, last_seen) = codes.unwrap_or((GROUP_ADDS_EVERYBODY, 0));
    Ok(Privacy {
        group_adds: if group_adds == GROUP_ADDS_NOBODY {
            GroupAdds::Nobody
        } else {
            GroupAdds::Everybody
        },
        last_seen: last_seen_visibility(last_seen),
    })
}

/// `accounts.last_seen_privacy` of each setting.
pub(crate) fn last_seen_code(visibility: LastSeenVisibility) -> i64 {
    match visibility {
        LastSeenVisibility::Everybody => LAST_SEEN_EVERYBODY,
        LastSeenVisibility::Contacts => LAST_SEEN_CONTACTS,
        LastSeenVisibility::Nobody => LAST_SEEN_NOBODY,
    }
}

fn last_seen_visibility(code: i64) -> LastSeenVisibility {
    match code {
        LAST_SEEN_CONTACTS => LastSeenVisibility::Contacts,
        LAST_SEEN_NOBODY => LastSeenVisibility::Nobody,
        _ => LastSeenVisibility::Everybody,
    }
}

/// `accounts.last_seen_privacy`: everybody.
pub(crate) const LAST_SEEN_EVERYBODY: i64 = 0;
/// `accounts.last_seen_privacy`: contacts (a direct chat with the account).
pub(crate) const LAST_SEEN_CONTACTS: i64 = 1;
/// `accounts.last_seen_privacy`: nobody.
pub(crate) const LAST_SEEN_NOBODY: i64 = 2;
