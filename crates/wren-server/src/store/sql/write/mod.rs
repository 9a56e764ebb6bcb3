//! Applying one write op inside the writer's transaction: the chat-log and update-log
//! rows it appends, and the updates to push once it is committed.

mod accounts;
mod channels;
mod chats;
mod keys;
mod messages;
mod mls;
mod pins;
mod settings;

pub(crate) use pins::pinned_chats;
pub(crate) use settings::Change as SettingsChange;
pub(crate) use settings::{all as chat_settings, folders, of as chat_settings_of};

use crate::store::sql::views::{chat_info, member_ids, update_kind};
use crate::store::sql::{args, plans, Db, Param};
use crate::store::{Delivery, StoreError, WriteOp, WriteOutcome};
use std::sync::Arc;
use wren_proto::{AccountId, ChatId, Pts, Seq, Update};

/// A write op's result and the updates to publish after commit.
#[derive(Debug)]
pub(crate) struct Applied {
    /// The answer for the caller.
    pub(crate) outcome: WriteOutcome,
    /// Updates for the affected accounts, in `pts` order per account.
    pub(crate) deliveries: Vec<Delivery>,
}

impl Applied {
    /// An outcome without updates.
    fn quiet(outcome: WriteOutcome) -> Self {
        Applied {
            outcome,
            deliveries: Vec::new(),
        }
    }
}

/// Locks, in one order every writer shares (chats by id, then their members' accounts by
/// id), the rows that the messages of a batch bump: the chats' `last_seq` and the members'
/// `pts`. Writers of the same database (other nodes) then wait for each other's batches
/// instead of deadlocking, as two batches that lock the same rows in arrival order do.
pub(crate) fn lock_in_order(db: Db<'_>, ops: &[WriteOp]) -> Result<(), StoreError> {
    let mut chats: Vec<u64> = ops
        .iter()
        .filter_map(|op| match op {
            WriteOp::SendMessage { chat, .. } => Some(chat.0),
            _ => None,
        })
        .collect();
    chats.sort_unstable();
    chats.dedup();
    if chats.is_empty() {
        return Ok(());
    }
    let chats = ints(&chats)?;
    db.execute(
        "SELECT id FROM chats WHERE id = ANY(?1) ORDER BY id FOR UPDATE",
        std::slice::from_ref(&chats),
    )?;
    db.execute(
        "SELECT id FROM accounts WHERE id IN \
         (SELECT account_id FROM members WHERE chat_id = ANY(?1)) ORDER BY id FOR UPDATE",
        &[chats],
    )?;
    Ok(())
}

/// Ids as a PostgreSQL integer list.
fn ints(ids: &[u64]) -> Result<Param<'static>, StoreError> {
    ids.iter()
        .map(|&id| i64::try_from(id).map_err(|_| StoreError::Corrupt(format!("id {id}"))))
        .collect::<Result<Vec<_>, _>>()
        .map(Param::Ints)
}

/// Applies `op` at time `now` (Unix ms).
pub(crate) fn apply(db: Db<'_>, op: WriteOp, now: u64) -> Result<Applied, StoreError> {
    match op {
        WriteOp::Register {
            username,
            password_hash,
            device,
        } => accounts::register(db, &username, &password_hash, &device, now),
        WriteOp::AddDevice { account, device } => accounts::add_device(db, account, &device, now),
        WriteOp::Resume { token_hash } => accounts::resume(db, &token_hash, now),
        WriteOp::RevokeDevice { account, device } => {
            accounts::revoke_device(db, account, device, now)
        }
        WriteOp::OpenDirect { me, peer } => chats::open_direct(db, me, peer, now),
        WriteOp::CreateGroup {
            creator,
            title,
            members,
        } => chats::create_group(db, creator, &title, &members, now),
        WriteOp::AddMember {
            actor,
            chat,
            account,
        } => chats::add_member(db, actor, chat, account, now),
        WriteOp::RemoveMember {
            actor,
            chat,
            account,
        } => chats::remove_member(db, actor, chat, account, now),
        WriteOp::RenameChat { actor, chat, title } => chats::rename(db, actor, chat, &title, now),
        WriteOp::SealTitle {
            actor,
            chat,
            epoch,
            sealed,
            rename,
        } => mls::seal_title(db, actor, chat, (epoch, sealed, rename), now),
        WriteOp::Channel(op) => channels::apply(db, op, now),
        WriteOp::CreateCampaign {
            advertiser,
            campaign,
        } => {
            let report = super::sponsored::create(db, advertiser, &campaign, now)?;
            Ok(Applied::quiet(WriteOutcome::Campaign(report)))
        }
        WriteOp::StopCampaign {
            advertiser,
            campaign,
        } => {
            super::sponsored::stop(db, advertiser, campaign)?;
            Ok(Applied::quiet(WriteOutcome::Done))
        }
        WriteOp::SponsoredEvent {
            reader,
            campaign,
            channel,
            action,
            min_subscribers,
        } => {
            let eligible = super::sponsored::may_count(db, reader, channel, min_subscribers, now)?;
            super::sponsored::count(db, eligible, campaign, channel, action)?;
            Ok(Applied::quiet(WriteOutcome::Done))
        }
        WriteOp::SetBusinessProfile { account, profile } => {
            plans::set_profile(db, account, &profile, now)?;
            Ok(Applied::quiet(WriteOutcome::Done))
        }
        WriteOp::SendMessage {
            sender,
            chat,
            client_msg_id,
            payload,
            epoch,
            reply_to,
        } => messages::send(
            db,
            messages::NewMessage {
                sender,
                chat,
                client_msg_id,
                payload,
                epoch,
                reply_to,
            },
            now,
        ),
        WriteOp::EditMessage {
            editor,
            chat,
            seq,
            payload,
            epoch,
        } => messages::edit(db, editor, chat, seq, payload, epoch, now),
        WriteOp::DeleteMessage { actor, chat, seq } => messages::delete(db, actor, chat, seq, now),
        WriteOp::MarkRead {
            reader,
            chat,
            up_to,
        } => messages::mark_read(db, reader, chat, up_to),
        WriteOp::PruneUpdates { keep, after, batch } => prune_updates(db, keep, after, batch),
        WriteOp::SetChatPinned {
            account,
            chat,
            pinned,
        } => pins::set_pinned(db, account, chat, pinned, now),
        WriteOp::ChangeChatSettings {
            account,
            chat,
            change,
        } => settings::set(db, account, chat, change),
        WriteOp::SetFolders { account, folders } => settings::set_folders(db, account, folders),
        WriteOp::SetProfile {
            account,
            display_name,
            bio,
        } => accounts::set_profile(db, account, &display_name, &bio),
        WriteOp::SetGroupAdds { account, allowed } => {
            accounts::set_group_adds(db, account, allowed)
        }
        WriteOp::SetLastSeen {
            account,
            visibility,
        } => accounts::set_last_seen(db, account, visibility),
        WriteOp::Seen { account, at } => accounts::seen(db, account, at),
        WriteOp::SetIdentityKey {
            account,
            device,
            key,
        } => keys::set_identity_key(db, account, device, &key),
        WriteOp::UploadKeyPackages {
            account,
            device,
            packages,
            last_resort,
        } => keys::upload(db, account, device, &packages, last_resort.as_deref()),
        WriteOp::ClaimKeyPackages { account } => keys::claim(db, account),
        WriteOp::PublishCommit {
            account,
            chat,
            epoch,
            commit,
            group_info,
            welcome,
        } => mls::publish_commit(
            db,
            account,
            chat,
            mls::Commit {
                epoch,
                commit,
                group_info,
                welcome,
            },
            now,
        ),
    }
}

/// Deletes at most `batch` update-log rows no client can be served any more (see
/// [`WriteOp::PruneUpdates`]), oldest first within each account, accounts by id.
fn prune_updates(
    db: Db<'_>,
    keep: u64,
    after: AccountId,
    batch: u64,
) -> Result<Applied, StoreError> {
    // At most `batch` accounts a write: each has at least one row to delete unless an
    // earlier pass pruned it, so this bounds the op whichever way.
    let accounts: Vec<(u64, u64)> = db.query_all(
        "SELECT id, pts FROM accounts WHERE id > ?1 AND pts > ?2 ORDER BY id LIMIT ?3",
        args![after.0, keep, batch],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut deleted = 0;
    let mut resume_after = None;
    for &(account, pts) in &accounts {
        let budget = batch - deleted;
        deleted += db.execute(
            "DELETE FROM updates WHERE account_id = ?1 AND pts IN \
             (SELECT pts FROM updates WHERE account_id = ?1 AND pts <= ?2 ORDER BY pts LIMIT ?3)",
            args![account, pts - keep, budget],
        )?;
        if deleted >= batch {
            // This account may have more; the next op starts with it again.
            resume_after = Some(AccountId(account.saturating_sub(1)));
            break;
        }
    }
    if resume_after.is_none() && accounts.len() as u64 == batch {
        resume_after = accounts.last().map(|&(account, _)| AccountId(account));
    }
    Ok(Applied::quiet(WriteOutcome::Pruned {
        deleted,
        resume_after,
    }))
}

/// Takes the next position in a chat's log.
fn next_seq(db: Db<'_>, chat: ChatId) -> Result<Seq, StoreError> {
    db.query_one(
        "UPDATE chats SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq",
        args![chat.0],
        |row| row.get(0).map(Seq),
    )
}

/// A chat-log event row (not a message).
struct Event<'a> {
    kind: i64,
    actor: AccountId,
    target: Option<u64>,
    text: Option<&'a str>,
    role: Option<i64>,
}

impl Event<'_> {
    /// An event of `kind` by `actor`, with no target, text or role.
    fn new(kind: i64, actor: AccountId) -> Self {
        Event {
            kind,
            actor,
            target: None,
            text: None,
            role: None,
        }
    }
}

/// Appends an event row to a chat's log at its next position, which it returns.
fn append_event(db: Db<'_>, chat: ChatId, event: &Event<'_>, now: u64) -> Result<Seq, StoreError> {
    let seq = next_seq(db, chat)?;
    db.execute(
        "INSERT INTO chat_log (chat_id, seq, kind, actor, target, text, role, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![
            chat.0,
            seq.0,
            event.kind,
            event.actor.0,
            event.target,
            event.text,
            event.role,
            now
        ],
    )?;
    Ok(seq)
}

/// A pointer row for an account's update log.
#[derive(Clone, Copy)]
struct Pointer {
    kind: i64,
    chat: ChatId,
    seq: Seq,
    extra: u64,
}

impl Pointer {
    /// A pointer to the chat-log event at `(chat, seq)`, with no extra data.
    fn event(kind: i64, chat: ChatId, seq: Seq) -> Self {
        Pointer {
            kind,
            chat,
            seq,
            extra: 0,
        }
    }
}

/// Appends a pointer row to `account`'s update log and returns its `pts`.
fn append_update(db: Db<'_>, account: AccountId, p: Pointer) -> Result<Pts, StoreError> {
    let pts: u64 = db.query_one(
        "UPDATE accounts SET pts = pts + 1 WHERE id = ?1 RETURNING pts",
        args![account.0],
        |row| row.get(0),
    )?;
    db.execute(
        "INSERT INTO updates (account_id, pts, kind, chat_id, seq, extra) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![account.0, pts, p.kind, p.chat.0, p.seq.0, p.extra],
    )?;
    Ok(Pts(pts))
}

/// Appends the same update to each account's log.
fn fan_out(
    db: Db<'_>,
    accounts: &[AccountId],
    p: Pointer,
    update: Update,
    out: &mut Vec<Delivery>,
) -> Result<(), StoreError> {
    let update = Arc::new(update);
    for &account in accounts {
        let pts = append_update(db, account, p)?;
        out.push(Delivery {
            account,
            pts,
            update: Arc::clone(&update),
        });
    }
    Ok(())
}

/// Appends `ChatJoined` with the chat as each account sees it now.
fn announce_joined(
    db: Db<'_>,
    chat: ChatId,
    seq: Seq,
    accounts: &[AccountId],
    out: &mut Vec<Delivery>,
) -> Result<(), StoreError> {
    for &account in accounts {
        let info = chat_info(db, chat, account)?
            .ok_or_else(|| StoreError::Corrupt(format!("chat {chat} vanished")))?;
        let p = Pointer::event(update_kind::CHAT_JOINED, chat, seq);
        fan_out(db, &[account], p, Update::ChatJoined(info), out)?;
    }
    Ok(())
}

/// Appends `update` to every member's log.
fn notify_members(
    db: Db<'_>,
    chat: ChatId,
    seq: Seq,
    kind: i64,
    update: Update,
) -> Result<Applied, StoreError> {
    let members = member_ids(db, chat)?;
    let mut deliveries = Vec::with_capacity(members.len());
    let p = Pointer {
        kind,
        chat,
        seq,
        extra: 0,
    };
    fan_out(db, &members, p, update, &mut deliveries)?;
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}
