//! Channel writes. A post costs the same rows whatever the audience: the post and the
//! channel's `last_seq`; online subscribers get a push after commit, nobody's update log
//! gets a row.

use super::Applied;
use crate::store::sql::{plans, Db};
use crate::store::sqlite::channels::{
    no_such_channel, post_from_row, role_code, visible, POST_COLUMNS,
};
use crate::store::sqlite::db_err;
use crate::store::{ChannelOp, ChannelOutcome, ChannelSettings, StoreError, WriteOutcome};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::sync::Arc;
use wren_proto::{AccountId, ChannelId, ChannelPush, ChannelRole, ClientMsgId, ErrorCode, Seq};

/// Applies one channel op.
pub(super) fn apply(conn: &Connection, op: ChannelOp, now: u64) -> Result<Applied, StoreError> {
    let outcome = match op {
        ChannelOp::Create { owner, settings } => create(conn, owner, &settings, now)?,
        ChannelOp::Subscribe { account, channel } => {
            let info = visible(conn, account, channel)?;
            if info.handle.is_none() && info.role.is_none() {
                return Err(no_such_channel());
            }
            subscribe(conn, account, channel, now)?
        }
        ChannelOp::JoinByInvite {
            account,
            token_hash,
        } => {
            let channel: Option<u64> = conn
                .prepare_cached(
                    "SELECT channel_id FROM channel_invites \
                     WHERE token_hash = ?1 AND revoked_at IS NULL",
                )
                .map_err(db_err)?
                .query_row([&token_hash[..]], |r| r.get(0))
                .optional()
                .map_err(db_err)?;
            let channel = channel.ok_or_else(|| {
                StoreError::rejected(
                    ErrorCode::NotFound,
                    "this invite link does not work: it was revoked, or never existed",
                )
            })?;
            subscribe(conn, account, ChannelId(channel), now)?
        }
        ChannelOp::Leave { account, channel } => leave(conn, account, channel)?,
        ChannelOp::Publish {
            author,
            channel,
            client_msg_id,
            text,
        } => publish(conn, author, channel, client_msg_id, &text, now)?,
        ChannelOp::Change {
            actor,
            channel,
            seq,
            text,
        } => change(conn, actor, channel, seq, text.as_deref(), now)?,
        ChannelOp::Pin {
            actor,
            channel,
            seq,
        } => {
            require_poster(conn, actor, channel)?;
            if let Some(seq) = seq {
                post(conn, channel, seq)?;
            }
            conn.prepare_cached("UPDATE channels SET pinned_seq = ?2 WHERE id = ?1")
                .map_err(db_err)?
                .execute(params![channel.0, seq.map(|s| s.0)])
                .map_err(db_err)?;
            ChannelOutcome::Done
        }
        ChannelOp::CreateInvite {
            actor,
            channel,
            token_hash,
        } => {
            require_poster(conn, actor, channel)?;
            conn.prepare_cached(
                "INSERT INTO channel_invites (token_hash, channel_id, created_by, created_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(db_err)?
            .execute(params![&token_hash[..], channel.0, actor.0, now])
            .map_err(db_err)?;
            ChannelOutcome::Done
        }
        ChannelOp::RevokeInvite {
            actor,
            channel,
            token_hash,
        } => {
            require_poster(conn, actor, channel)?;
            let revoked = conn
                .prepare_cached(
                    "UPDATE channel_invites SET revoked_at = ?3 \
                     WHERE token_hash = ?1 AND channel_id = ?2 AND revoked_at IS NULL",
                )
                .map_err(db_err)?
                .execute(params![&token_hash[..], channel.0, now])
                .map_err(db_err)?;
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
        } => set_admin(conn, actor, channel, account, admin)?,
        ChannelOp::RecordViews { views } => record_views(conn, &views)?,
    };
    Ok(Applied::quiet(WriteOutcome::Channel(outcome)))
}

fn create(
    conn: &Connection,
    owner: AccountId,
    settings: &ChannelSettings,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    if settings.handle.is_some() {
        let plan = plans::plan(Db::Sqlite(conn), owner, now)?;
        let max_public = plan.limits.public_channels;
        let owned: u32 = conn
            .prepare_cached(
                "SELECT count(*) FROM channels WHERE owner_id = ?1 AND handle IS NOT NULL",
            )
            .map_err(db_err)?
            .query_row([owner.0], |r| r.get(0))
            .map_err(db_err)?;
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
    let inserted = conn
        .prepare_cached(
            "INSERT INTO channels (handle, title, description, topic, language, owner_id, \
             subscribers, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7) \
             ON CONFLICT (handle) DO NOTHING RETURNING id",
        )
        .map_err(db_err)?
        .query_row(
            params![
                settings.handle,
                settings.title,
                settings.description,
                settings.topic,
                settings.language,
                owner.0,
                now
            ],
            |r| r.get::<_, u64>(0),
        )
        .optional()
        .map_err(db_err)?;
    let Some(id) = inserted else {
        return Err(StoreError::rejected(
            ErrorCode::Conflict,
            "this handle is taken by another channel",
        ));
    };
    let channel = ChannelId(id);
    insert_member(conn, channel, owner, ChannelRole::Owner, now)?;
    Ok(ChannelOutcome::Channel(visible(conn, owner, channel)?))
}

fn insert_member(
    conn: &Connection,
    channel: ChannelId,
    account: AccountId,
    role: ChannelRole,
    now: u64,
) -> Result<bool, StoreError> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO channel_members (channel_id, account_id, role, joined_at) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(db_err)?
        .execute(params![channel.0, account.0, role_code(role), now])
        .map_err(db_err)?;
    Ok(inserted == 1)
}

fn subscribe(
    conn: &Connection,
    account: AccountId,
    channel: ChannelId,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    if insert_member(conn, channel, account, ChannelRole::Subscriber, now)? {
        add_subscribers(conn, channel, 1)?;
    }
    Ok(ChannelOutcome::Membership {
        account,
        channel,
        joined: true,
        info: Some(visible(conn, account, channel)?),
    })
}

fn leave(
    conn: &Connection,
    account: AccountId,
    channel: ChannelId,
) -> Result<ChannelOutcome, StoreError> {
    match role(conn, account, channel)? {
        None => return Err(no_such_channel()),
        Some(ChannelRole::Owner) => {
            return Err(StoreError::rejected(
                ErrorCode::BadRequest,
                "the owner cannot leave their channel",
            ))
        }
        Some(_) => {}
    }
    conn.prepare_cached("DELETE FROM channel_members WHERE channel_id = ?1 AND account_id = ?2")
        .map_err(db_err)?
        .execute(params![channel.0, account.0])
        .map_err(db_err)?;
    add_subscribers(conn, channel, -1)?;
    Ok(ChannelOutcome::Membership {
        account,
        channel,
        joined: false,
        info: None,
    })
}

fn add_subscribers(conn: &Connection, channel: ChannelId, delta: i64) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE channels SET subscribers = subscribers + ?2 WHERE id = ?1")
        .map_err(db_err)?
        .execute(params![channel.0, delta])
        .map_err(db_err)?;
    Ok(())
}

fn role(
    conn: &Connection,
    account: AccountId,
    channel: ChannelId,
) -> Result<Option<ChannelRole>, StoreError> {
    Ok(visible(conn, account, channel)?.role)
}

/// The caller must be the channel's owner or an admin.
fn require_poster(
    conn: &Connection,
    account: AccountId,
    channel: ChannelId,
) -> Result<(), StoreError> {
    match role(conn, account, channel)? {
        Some(role) if role.may_post() => Ok(()),
        _ => Err(StoreError::rejected(
            ErrorCode::Forbidden,
            "only the channel's owner and admins can do this",
        )),
    }
}

fn publish(
    conn: &Connection,
    author: AccountId,
    channel: ChannelId,
    client_msg_id: ClientMsgId,
    text: &str,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    require_poster(conn, author, channel)?;
    // Stored bit for bit as a signed integer, as chat messages' ids are.
    let earlier: Option<(u64, u64, u64)> = conn
        .prepare_cached(
            "SELECT channel_id, seq, sent_at FROM channel_posts \
             WHERE author_id = ?1 AND client_msg_id = ?2",
        )
        .map_err(db_err)?
        .query_row(params![author.0, client_msg_id.0 as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()
        .map_err(db_err)?;
    if let Some((channel, seq, sent_at)) = earlier {
        return Ok(ChannelOutcome::Posted {
            channel: ChannelId(channel),
            seq: Seq(seq),
            sent_at,
            push: None,
        });
    }
    let seq = next_seq(conn, channel)?;
    conn.prepare_cached(
        "INSERT INTO channel_posts (channel_id, seq, changed_seq, author_id, client_msg_id, \
         text, sent_at) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)",
    )
    .map_err(db_err)?
    .execute(params![
        channel.0,
        seq.0,
        author.0,
        client_msg_id.0 as i64,
        text,
        now
    ])
    .map_err(db_err)?;
    Ok(ChannelOutcome::Posted {
        channel,
        seq,
        sent_at: now,
        push: Some(Arc::new(ChannelPush {
            post: post(conn, channel, seq)?,
        })),
    })
}

fn change(
    conn: &Connection,
    actor: AccountId,
    channel: ChannelId,
    seq: Seq,
    text: Option<&str>,
    now: u64,
) -> Result<ChannelOutcome, StoreError> {
    require_poster(conn, actor, channel)?;
    if post(conn, channel, seq)?.deleted {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "this post is deleted",
        ));
    }
    let changed = next_seq(conn, channel)?;
    match text {
        Some(text) => conn
            .prepare_cached(
                "UPDATE channel_posts SET text = ?3, changed_seq = ?4, edited_at = ?5 \
                 WHERE channel_id = ?1 AND seq = ?2",
            )
            .map_err(db_err)?
            .execute(params![channel.0, seq.0, text, changed.0, now]),
        None => conn
            .prepare_cached(
                "UPDATE channel_posts SET text = '', deleted = 1, changed_seq = ?3 \
                 WHERE channel_id = ?1 AND seq = ?2",
            )
            .map_err(db_err)?
            .execute(params![channel.0, seq.0, changed.0]),
    }
    .map_err(db_err)?;
    Ok(ChannelOutcome::Changed(Arc::new(ChannelPush {
        post: post(conn, channel, seq)?,
    })))
}

fn set_admin(
    conn: &Connection,
    actor: AccountId,
    channel: ChannelId,
    account: AccountId,
    admin: bool,
) -> Result<ChannelOutcome, StoreError> {
    if role(conn, actor, channel)? != Some(ChannelRole::Owner) {
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
    let changed = conn
        .prepare_cached(
            "UPDATE channel_members SET role = ?3 \
             WHERE channel_id = ?1 AND account_id = ?2 AND role != ?4",
        )
        .map_err(db_err)?
        .execute(params![
            channel.0,
            account.0,
            role_code(role),
            role_code(ChannelRole::Owner)
        ])
        .map_err(db_err)?;
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
    conn: &Connection,
    views: &[(ChannelId, Seq, AccountId)],
) -> Result<ChannelOutcome, StoreError> {
    let mut insert = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO post_views (channel_id, seq, account_id) \
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM channel_posts \
             WHERE channel_id = ?1 AND seq = ?2 AND deleted = 0)",
        )
        .map_err(db_err)?;
    let mut fresh: BTreeMap<(ChannelId, Seq), u64> = BTreeMap::new();
    for (channel, seq, account) in views {
        if insert
            .execute(params![channel.0, seq.0, account.0])
            .map_err(db_err)?
            == 1
        {
            *fresh.entry((*channel, *seq)).or_default() += 1;
        }
    }
    let mut count = conn
        .prepare_cached(
            "UPDATE channel_posts SET views = views + ?3 WHERE channel_id = ?1 AND seq = ?2",
        )
        .map_err(db_err)?;
    for ((channel, seq), n) in fresh {
        count
            .execute(params![channel.0, seq.0, n])
            .map_err(db_err)?;
    }
    Ok(ChannelOutcome::Done)
}

fn next_seq(conn: &Connection, channel: ChannelId) -> Result<Seq, StoreError> {
    conn.prepare_cached(
        "UPDATE channels SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq",
    )
    .map_err(db_err)?
    .query_row([channel.0], |r| r.get(0).map(Seq))
    .map_err(db_err)
}

fn post(conn: &Connection, channel: ChannelId, seq: Seq) -> Result<wren_proto::Post, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} FROM channel_posts WHERE channel_id = ?1 AND seq = ?2"
    ))
    .map_err(db_err)?
    .query_row(params![channel.0, seq.0], post_from_row)
    .optional()
    .map_err(db_err)?
    .ok_or_else(|| StoreError::rejected(ErrorCode::NotFound, "no such post"))
}
