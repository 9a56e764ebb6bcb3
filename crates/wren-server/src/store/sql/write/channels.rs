//! Channel writes. A post costs the same rows whatever the audience: the post and the
//! channel's `last_seq`; online subscribers get a push after commit, nobody's update log
//! gets a row.

use super::Applied;
use crate::store::sql::channels::{
    no_such_channel, post_from_row, role_code, visible, POST_COLUMNS,
};
use crate::store::sql::{args, plans, Db};
use crate::store::{ChannelOp, ChannelOutcome, ChannelSettings, StoreError, WriteOutcome};
use std::collections::BTreeMap;
use std::sync::Arc;
use wren_proto::{AccountId, ChannelId, ChannelPush, ChannelRole, ClientMsgId, ErrorCode, Seq};

/// Applies one channel op.
pub(super) fn apply(db: Db<'_>, op: ChannelOp, now: u64) -> Result<Applied, StoreError> {
    let outcome = match op {
        ChannelOp::Create { owner, settings } => create(db, owner, &settings, now)?,
        ChannelOp::Subscribe { account, channel } => {
            let info = visible(db, account, channel)?;
            if info.handle.is_none() && info.role.is_none() {
                return Err(no_such_channel());
            }
            subscribe(db, account, channel, now)?
        }
        ChannelOp::JoinByInvite {
            account,
            token_hash,
        } => {
            let channel: Option<u64> = db.query_opt(
                "SELECT channel_id FROM channel_invites \
                     WHERE token_hash = ?1 AND revoked_at IS NULL",
                args![&token_hash[..]],
                |r| r.get(0),
            )?;
            let channel = channel.ok_or_else(|| {
                StoreError::rejected(
                    ErrorCode::NotFound,
                    "this invite link does not work: it was revoked, or never existed",
                )
            })?;
            subscribe(db, account, ChannelId(channel), now)?
        }
        ChannelOp::Leave { account, channel } => leave(db, account, channel)?,
        ChannelOp::Publish {
            author,
            channel,
            client_msg_id,
            text,
        } => publish(db, author, channel, client_msg_id, &text, now)?,
        ChannelOp::Change {
            actor,
            channel,
            seq,
            text,
        } => change(db, actor, channel, seq, text.as_deref(), now)?,
        ChannelOp::Pin {
            actor,
            channel,
            seq,
        } => {
            require_poster(db, actor, channel)?;
            if let Some(seq) = seq {
                post(db, channel, seq)?;
            }
            db.execute(
                "UPDATE channels SET pinned_seq = ?2 WHERE id = ?1",
                args![channel.0, seq.map(|s| s.0)],
            )?;
            ChannelOutcome::Done
        }
        ChannelOp::CreateInvite {
            actor,
            channel,
            token_hash,
        } => {
            require_poster(db, actor, channel)?;
            db.execute(
                "INSERT INTO channel_invites (token_hash, channel_id, created_by, created_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                args![&token_hash[..], channel.0, actor.0, now],
            )?;
            ChannelOutcome::Done
        }
        ChannelOp::RevokeInvite {
            actor,
            channel,
            token_hash,
        } => {
            require_poster(db, actor, channel)?;
            let revoked = db.execute(
                "UPDATE channel_invites SET revoked_at = ?3 \
                     WHERE token_hash = ?1 AND channel_id = ?2 AND revoked_at IS NULL",
                args![&token_hash[..], channel.0, now],
            )?;
            if revoked == 0 {
                return Err(StoreError::rejected(
                    ErrorCode::NotFound,
                    "no such invite link in this channel, or it is revoked already",
                ));
            }
            ChannelOutcome::Done
        }
        ChannelOp::SetAdmin {
            actor,
            channel,
            account,
            admin,
        } => set_admin(db, actor, channel, account, admin)?,
        ChannelOp::RecordViews { views } => record_views(db, &views)?,
    };
    Ok(Applied::quiet(WriteOutcome::Channel(outcome)))
}

fn create(
    db: Db<'_>,
    owner: AccountId,
    settings: &ChannelSettings,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    if settings.handle.is_some() {
        let plan = plans::plan(db, owner, now)?;
        let max_public = plan.limits.public_channels;
        let owned: u32 = db.query_one(
            "SELECT count(*) FROM channels WHERE owner_id = ?1 AND handle IS NOT NULL",
            args![owner.0],
            |r| r.get(0),
        )?;
        if owned >= max_public {
            let more = match plan.plan {
                wren_proto::PlanKind::Free => "; the Business plan doubles it",
                wren_proto::PlanKind::Business => "",
            };
            return Err(StoreError::rejected(
                ErrorCode::Forbidden,
                format!("your plan allows {max_public} public channels, and you own {owned}{more}"),
            ));
        }
    }
    let inserted = db.query_opt(
        "INSERT INTO channels (handle, title, description, topic, language, owner_id, \
             subscribers, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7) \
             ON CONFLICT (handle) DO NOTHING RETURNING id",
        args![
            settings.handle.as_deref(),
            &settings.title,
            &settings.description,
            &settings.topic,
            &settings.language,
            owner.0,
            now
        ],
        |r| r.get::<u64>(0),
    )?;
    let Some(id) = inserted else {
        return Err(StoreError::rejected(
            ErrorCode::Conflict,
            "this handle is taken by another channel",
        ));
    };
    let channel = ChannelId(id);
    insert_member(db, channel, owner, ChannelRole::Owner, now)?;
    Ok(ChannelOutcome::Channel(visible(db, owner, channel)?))
}

fn insert_member(
    db: Db<'_>,
    channel: ChannelId,
    account: AccountId,
    role: ChannelRole,
    now: u64,
) -> Result<bool, StoreError> {
    let inserted = db.execute(
        "INSERT INTO channel_members (channel_id, account_id, role, joined_at) \
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        args![channel.0, account.0, role_code(role), now],
    )?;
    Ok(inserted == 1)
}

fn subscribe(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    if insert_member(db, channel, account, ChannelRole::Subscriber, now)? {
        add_subscribers(db, channel, 1)?;
    }
    Ok(ChannelOutcome::Membership {
        account,
        channel,
        joined: true,
        info: Some(visible(db, account, channel)?),
    })
}

fn leave(db: Db<'_>, account: AccountId, channel: ChannelId) -> Result<ChannelOutcome, StoreError> {
    match role(db, account, channel)? {
        None => return Err(no_such_channel()),
        Some(ChannelRole::Owner) => {
            return Err(StoreError::rejected(
                ErrorCode::BadRequest,
                "the owner cannot leave their channel",
            ))
        }
        Some(_) => {}
    }
    db.execute(
        "DELETE FROM channel_members WHERE channel_id = ?1 AND account_id = ?2",
        args![channel.0, account.0],
    )?;
    add_subscribers(db, channel, -1)?;
    Ok(ChannelOutcome::Membership {
        account,
        channel,
        joined: false,
        info: None,
    })
}

fn add_subscribers(db: Db<'_>, channel: ChannelId, delta: i64) -> Result<(), StoreError> {
    db.execute(
        "UPDATE channels SET subscribers = subscribers + ?2 WHERE id = ?1",
        args![channel.0, delta],
    )?;
    Ok(())
}

fn role(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
) -> Result<Option<ChannelRole>, StoreError> {
    Ok(visible(db, account, channel)?.role)
}

/// The caller must be the channel's owner or an admin.
fn require_poster(db: Db<'_>, account: AccountId, channel: ChannelId) -> Result<(), StoreError> {
    match role(db, account, channel)? {
        Some(role) if role.may_post() => Ok(()),
        _ => Err(StoreError::rejected(
            ErrorCode::Forbidden,
            "only the channel's owner and admins can do this",
        )),
    }
}

fn publish(
    db: Db<'_>,
    author: AccountId,
    channel: ChannelId,
    client_msg_id: ClientMsgId,
    text: &str,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    require_poster(db, author, channel)?;
    // Stored bit for bit as a signed integer, as chat messages' ids are.
    let earlier: Option<(u64, u64, u64)> = db.query_opt(
        "SELECT channel_id, seq, sent_at FROM channel_posts \
             WHERE author_id = ?1 AND client_msg_id = ?2",
        args![author.0, client_msg_id.0 as i64],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if let Some((channel, seq, sent_at)) = earlier {
        return Ok(ChannelOutcome::Posted {
            channel: ChannelId(channel),
            seq: Seq(seq),
            sent_at,
            push: None,
        });
    }
    let seq = next_seq(db, channel)?;
    db.execute(
        "INSERT INTO channel_posts (channel_id, seq, changed_seq, author_id, client_msg_id, \
         text, sent_at) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)",
        args![
            channel.0,
            seq.0,
            author.0,
            client_msg_id.0 as i64,
            text,
            now
        ],
    )?;
    Ok(ChannelOutcome::Posted {
        channel,
        seq,
        sent_at: now,
        push: Some(Arc::new(ChannelPush {
            post: post(db, channel, seq)?,
        })),
    })
}

fn change(
    db: Db<'_>,
    actor: AccountId,
    channel: ChannelId,
    seq: Seq,
    text: Option<&str>,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    require_poster(db, actor, channel)?;
    if post(db, channel, seq)?.deleted {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "this post is deleted",
        ));
    }
    let changed = next_seq(db, channel)?;
    match text {
        Some(text) => db.execute(
            "UPDATE channel_posts SET text = ?3, changed_seq = ?4, edited_at = ?5 \
                 WHERE channel_id = ?1 AND seq = ?2",
            args![channel.0, seq.0, text, changed.0, now],
        ),
        None => db.execute(
            "UPDATE channel_posts SET text = '', deleted = 1, changed_seq = ?3 \
                 WHERE channel_id = ?1 AND seq = ?2",
            args![channel.0, seq.0, changed.0],
        ),
    }?;
    Ok(ChannelOutcome::Changed(Arc::new(ChannelPush {
        post: post(db, channel, seq)?,
    })))
}

fn set_admin(
    db: Db<'_>,
    actor: AccountId,
    channel: ChannelId,
    account: AccountId,
    admin: bool,
) -> Result<ChannelOutcome, StoreError> {
    if role(db, actor, channel)? != Some(ChannelRole::Owner) {
        return Err(StoreError::rejected(
            ErrorCode::Forbidden,
            "only the channel's owner names admins",
        ));
    }
    let role = if admin {
        ChannelRole::Admin
    } else {
        ChannelRole::Subscriber
    };
    let changed = db.execute(
        "UPDATE channel_members SET role = ?3 \
             WHERE channel_id = ?1 AND account_id = ?2 AND role != ?4",
        args![
            channel.0,
            account.0,
            role_code(role),
            role_code(ChannelRole::Owner)
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "that account is not a subscriber of this channel",
        ));
    }
    Ok(ChannelOutcome::Done)
}

/// Counts each (post, account) once: one insert per view into `post_views` (ignored when
/// counted before), then one update per post for the whole batch.
fn record_views(
    db: Db<'_>,
    views: &[(ChannelId, Seq, AccountId)],
) -> Result<ChannelOutcome, StoreError> {
    let mut fresh: BTreeMap<(ChannelId, Seq), u64> = BTreeMap::new();
    for (channel, seq, account) in views {
        let counted = db.execute(
            "INSERT INTO post_views (channel_id, seq, account_id) \
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM channel_posts \
             WHERE channel_id = ?1 AND seq = ?2 AND deleted = 0) \
             ON CONFLICT DO NOTHING",
            args![channel.0, seq.0, account.0],
        )?;
        if counted == 1 {
            *fresh.entry((*channel, *seq)).or_default() += 1;
        }
    }
    for ((channel, seq), n) in fresh {
        db.execute(
            "UPDATE channel_posts SET views = views + ?3 WHERE channel_id = ?1 AND seq = ?2",
            args![channel.0, seq.0, n],
        )?;
    }
    Ok(ChannelOutcome::Done)
}

fn next_seq(db: Db<'_>, channel: ChannelId) -> Result<Seq, StoreError> {
    db.query_one(
        "UPDATE channels SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq",
        args![channel.0],
        |r| r.get(0).map(Seq),
    )
}

fn post(db: Db<'_>, channel: ChannelId, seq: Seq) -> Result<wren_proto::Post, StoreError> {
    db.query_opt(
        &format!("SELECT {POST_COLUMNS} FROM channel_posts WHERE channel_id = ?1 AND seq = ?2"),
        args![channel.0, seq.0],
        post_from_row,
    )?
    .ok_or_else(|| StoreError::rejected(ErrorCode::NotFound, "no such post"))
}
