//! Rebuilding account updates from the pointer rows of the update log.
//!
//! An update is rebuilt from the chat's current state: a message as it is now (edited, or a
//! tombstone), a joined chat as it is now. Applying a difference in order therefore ends in
//! the same state as applying the live pushes did.
//!
//! Except for a former member: an update of a chat the account has since left (or was
//! removed from) is rebuilt as the chat was at the departure, so that nothing that
//! happened afterwards (a new title, later edits, the chat's length) reaches them.

use super::read::FRAME_BUDGET;
use crate::store::sql::views::{
    account_info, account_pts, chat_info, chat_info_as_of, departure_at_or_after, log_kind,
    message, message_as_of, role_of, update_kind,
};
use crate::store::sql::{args, Db};
use crate::store::StoreError;
use wren_proto::rules::MAX_DIFFERENCE_PAGE;
use wren_proto::{
    AccountId, ChatId, ChatInfo, Difference, Member, Pts, Seq, Update, UpdateEnvelope,
};

/// The account's updates after `since`, oldest first, or `TooFarBehind` (also for a
/// `since` ahead of the log: the client saw updates this database no longer has, because
/// it was restored from a backup).
pub(crate) fn difference(
    db: Db<'_>,
    account: AccountId,
    since: Pts,
    limit: u32,
    max_difference: u64,
) -> Result<Difference, StoreError> {
    let current = account_pts(db, account)?;
    if since.0 > current || current - since.0 > max_difference {
        return Ok(Difference::TooFarBehind {
            current: Pts(current),
        });
    }
    let pointers: Vec<(u64, i64, u64, u64, u64)> = db.query_all(
        "SELECT pts, kind, chat_id, seq, extra FROM updates \
         WHERE account_id = ?1 AND pts > ?2 ORDER BY pts LIMIT ?3",
        args![account.0, since.0, limit.min(MAX_DIFFERENCE_PAGE)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let mut joined: Vec<ChatInfo> = Vec::new();
    let mut updates = Vec::with_capacity(pointers.len());
    let mut bytes = 0;
    for (pts, kind, chat, seq, extra) in pointers {
        let (chat, seq) = (ChatId(chat), Seq(seq));
        let left = departure_at_or_after(db, chat, account, seq)?;
        let update = match (kind, left) {
            (update_kind::CHAT_JOINED, None) => {
                Update::ChatJoined(joined_view(db, &mut joined, chat, account)?)
            }
            (update_kind::CHAT_JOINED, Some(left)) => Update::ChatJoined(
                chat_info_as_of(db, chat, left)?.ok_or_else(|| corrupt(chat, seq))?,
            ),
            _ => rebuild(db, account, kind, chat, seq, extra, left)?,
        };
        let envelope = UpdateEnvelope {
            pts: Pts(pts),
            update,
        };
        bytes +=
            wren_proto::encoded_len(&envelope).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if bytes > FRAME_BUDGET && !updates.is_empty() {
            break;
        }
        updates.push(envelope);
    }
    Ok(Difference::Updates {
        updates,
        current: Pts(current),
    })
}

/// The chat as the account sees it now, computed once per page.
fn joined_view(
    db: Db<'_>,
    cache: &mut Vec<ChatInfo>,
    chat: ChatId,
    account: AccountId,
) -> Result<ChatInfo, StoreError> {
    if let Some(info) = cache.iter().find(|c| c.id == chat) {
        return Ok(info.clone());
    }
    let info = chat_info(db, chat, account)?.ok_or_else(|| corrupt(chat, Seq(0)))?;
    cache.push(info.clone());
    Ok(info)
}

/// Rebuilds one update (other than `ChatJoined`) from its pointer row, as the chat is now
/// or, for a former member, as it was when they `left`.
fn rebuild(
    db: Db<'_>,
    account: AccountId,
    kind: i64,
    chat: ChatId,
    seq: Seq,
    extra: u64,
    left: Option<Seq>,
) -> Result<Update, StoreError> {
    let message_then = |target: Seq| match left {
        Some(left) => message_as_of(db, chat, target, left),
        None => message(db, chat, target),
    };
    match kind {
        update_kind::NEW_MESSAGE => message_then(seq)?
            .map(Update::NewMessage)
            .ok_or_else(|| corrupt(chat, seq)),
        update_kind::EDITED => {
            let event = event(db, chat, seq)?;
            let target = Seq(event.target);
            let msg = message_then(target)?.ok_or_else(|| corrupt(chat, target))?;
            Ok(Update::MessageEdited {
                chat,
                seq: target,
                log_seq: seq,
                edited_at: msg.edited_at.unwrap_or(msg.sent_at),
                payload: msg.payload,
            })
        }
        update_kind::DELETED => Ok(Update::MessageDeleted {
            chat,
            seq: Seq(event(db, chat, seq)?.target),
            log_seq: seq,
        }),
        update_kind::MEMBER_ADDED => {
            let event = event(db, chat, seq)?;
            let who = AccountId(event.target);
            Ok(Update::MemberAdded {
                chat,
                log_seq: seq,
                member: Member {
                    account: account_info(db, who)?.ok_or_else(|| corrupt(chat, seq))?,
                    role: role_of(event.role),
                },
            })
        }
        update_kind::MEMBER_REMOVED => Ok(Update::MemberRemoved {
            chat,
            log_seq: seq,
            account: AccountId(event(db, chat, seq)?.target),
        }),
        update_kind::RENAMED => Ok(Update::ChatRenamed {
            chat,
            log_seq: seq,
            title: event(db, chat, seq)?.text,
        }),
        update_kind::ROLE_CHANGED => {
            let event = event(db, chat, seq)?;
            Ok(Update::RoleChanged {
                chat,
                log_seq: seq,
                account: AccountId(event.target),
                role: role_of(event.role),
            })
        }
        update_kind::READ_MARK => Ok(Update::ReadMark {
            chat,
            account: AccountId(extra),
            up_to: seq,
        }),
        update_kind::MLS_COMMIT => {
            let (epoch, commit) = handshake(db, chat, seq)?;
            Ok(Update::MlsCommit {
                chat,
                log_seq: seq,
                epoch,
                commit,
                welcome_follows: welcome_follows(db, chat, seq)?,
            })
        }
        update_kind::TITLE_SEALED => {
            let (epoch, sealed) = handshake(db, chat, seq)?;
            Ok(Update::TitleSealed {
                chat,
                log_seq: seq,
                epoch,
                sealed,
            })
        }
        update_kind::CHAT_PINNED => Ok(Update::ChatPinned {
            chat,
            pinned: extra != 0,
        }),
        update_kind::FOLDERS => Ok(Update::FoldersChanged(crate::store::sql::write::folders(
            db, account,
        )?)),
        update_kind::CHAT_SETTINGS => Ok(Update::ChatSettingsChanged(
            crate::store::sql::write::chat_settings_of(db, account, chat)?,
        )),
        update_kind::PROFILE_CHANGED => Ok(Update::ProfileChanged {
            account: account_info(db, AccountId(extra))?
                .ok_or_else(|| StoreError::Corrupt(format!("account {extra} vanished")))?,
        }),
        update_kind::MLS_WELCOME => Ok(Update::MlsWelcome {
            chat,
            log_seq: seq,
            welcome: handshake(db, chat, seq)?.1,
        }),
        _ => Err(StoreError::Corrupt(format!("unknown update kind {kind}"))),
    }
}

/// Whether the chat-log row after the commit at `seq` is its Welcome.
fn welcome_follows(db: Db<'_>, chat: ChatId, seq: Seq) -> Result<bool, StoreError> {
    db.query_opt(
        "SELECT kind FROM chat_log WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, seq.0 + 1],
        |r| r.get::<i64>(0),
    )
    .map(|kind| kind == Some(log_kind::MLS_WELCOME))
}

/// The epoch and bytes of the MLS handshake row at `(chat, seq)`.
fn handshake(db: Db<'_>, chat: ChatId, seq: Seq) -> Result<(u64, Vec<u8>), StoreError> {
    db.query_opt(
        "SELECT COALESCE(target, 0), payload FROM chat_log WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, seq.0],
        |r| Ok((r.get(0)?, r.get::<Option<Vec<u8>>>(1)?.unwrap_or_default())),
    )?
    .ok_or_else(|| corrupt(chat, seq))
}

/// The parts of a chat-log event row an update needs.
struct EventRow {
    target: u64,
    text: String,
    role: i64,
}

/// The event row at `(chat, seq)`.
fn event(db: Db<'_>, chat: ChatId, seq: Seq) -> Result<EventRow, StoreError> {
    db.query_opt(
        "SELECT COALESCE(target, 0), COALESCE(text, ''), COALESCE(role, 1) FROM chat_log \
         WHERE chat_id = ?1 AND seq = ?2",
        args![chat.0, seq.0],
        |r| {
            Ok(EventRow {
                target: r.get(0)?,
                text: r.get(1)?,
                role: r.get(2)?,
            })
        },
    )?
    .ok_or_else(|| corrupt(chat, seq))
}

fn corrupt(chat: ChatId, seq: Seq) -> StoreError {
    StoreError::Corrupt(format!("update points at missing row {chat}/{seq}"))
}
