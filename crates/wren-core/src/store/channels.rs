//! Channels on this device: the ones this account is in, and their posts as far as this
//! device has pulled them. Posts are indexed for local search like messages.

use super::Store;
use crate::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension, Row};
use wren_proto::{ChannelId, ChannelInfo, ChannelPosts, ChannelRole, Post, Seq};

const CHANNEL_COLUMNS: &str = "id, handle, title, description, topic, language, subscribers, \
     last_seq, pinned_seq, role, created_at";
const POST_COLUMNS: &str = "channel_id, seq, changed_seq, text, sent_at, edited_at, deleted, views";

fn role_code(role: ChannelRole) -> i64 {
    match role {
        ChannelRole::Owner => 0,
        ChannelRole::Admin => 1,
        ChannelRole::Subscriber => 2,
    }
}

fn channel_from_row(row: &Row<'_>) -> rusqlite::Result<ChannelInfo> {
    Ok(ChannelInfo {
        id: ChannelId(row.get::<_, i64>(0)? as u64),
        handle: row.get(1)?,
        title: row.get(2)?,
        description: row.get(3)?,
        topic: row.get(4)?,
        language: row.get(5)?,
        subscribers: row.get::<_, i64>(6)? as u64,
        last_seq: Seq(row.get::<_, i64>(7)? as u64),
        pinned: row.get::<_, Option<i64>>(8)?.map(|s| Seq(s as u64)),
        role: Some(match row.get::<_, i64>(9)? {
            0 => ChannelRole::Owner,
            1 => ChannelRole::Admin,
            _ => ChannelRole::Subscriber,
        }),
        created_at: row.get::<_, i64>(10)? as u64,
    })
}

fn post_from_row(row: &Row<'_>) -> rusqlite::Result<Post> {
    Ok(Post {
        channel: ChannelId(row.get::<_, i64>(0)? as u64),
        seq: Seq(row.get::<_, i64>(1)? as u64),
        changed_seq: Seq(row.get::<_, i64>(2)? as u64),
        text: row.get(3)?,
        sent_at: row.get::<_, i64>(4)? as u64,
        edited_at: row.get::<_, Option<i64>>(5)?.map(|t| t as u64),
        deleted: row.get(6)?,
        views: row.get::<_, i64>(7)? as u64,
    })
}

/// Stores a channel this account is in, as the server describes it (what this device has
/// pulled of it stays).
fn upsert_channel(conn: &Connection, info: &ChannelInfo) -> Result<(), StoreError> {
    let role = info.role.unwrap_or(ChannelRole::Subscriber);
    conn.prepare_cached(
        "INSERT INTO channels (id, handle, title, description, topic, language, subscribers, \
         last_seq, pinned_seq, role, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
         ON CONFLICT(id) DO UPDATE SET handle = excluded.handle, title = excluded.title, \
         description = excluded.description, topic = excluded.topic, \
         language = excluded.language, subscribers = excluded.subscribers, \
         last_seq = max(last_seq, excluded.last_seq), pinned_seq = excluded.pinned_seq, \
         role = excluded.role",
    )?
    .execute(params![
        info.id.0 as i64,
        info.handle,
        info.title,
        info.description,
        info.topic,
        info.language,
        info.subscribers as i64,
        info.last_seq.0 as i64,
        info.pinned.map(|s| s.0 as i64),
        role_code(role),
        info.created_at as i64,
    ])?;
    Ok(())
}

fn upsert_post(conn: &Connection, post: &Post) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO channel_posts (channel_id, seq, changed_seq, text, sent_at, edited_at, \
         deleted, views) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT(channel_id, seq) DO UPDATE SET changed_seq = excluded.changed_seq, \
         text = excluded.text, edited_at = excluded.edited_at, deleted = excluded.deleted, \
         views = max(views, excluded.views) \
         WHERE excluded.changed_seq >= changed_seq",
    )?
    .execute(params![
        post.channel.0 as i64,
        post.seq.0 as i64,
        post.changed_seq.0 as i64,
        post.text,
        post.sent_at as i64,
        post.edited_at.map(|t| t as i64),
        post.deleted,
        post.views as i64,
    ])?;
    Ok(())
}

fn synced_seq(conn: &Connection, channel: ChannelId) -> Result<Option<Seq>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT synced_seq FROM channels WHERE id = ?1")?
        .query_row([channel.0 as i64], |r| r.get::<_, i64>(0))
        .optional()?
        .map(|s| Seq(s as u64)))
}

/// What applying a page or a push did.
#[derive(Debug, Default)]
pub(crate) struct ChannelApplied {
    /// The posts stored, as they are now.
    pub(crate) posts: Vec<Post>,
    /// The device has every change up to the channel's newest position.
    pub(crate) complete: bool,
}

impl Store {
    /// Replaces the list of channels this account is in; returns the ones dropped (left
    /// on another device).
    pub(crate) async fn replace_channels(
        &self,
        list: Vec<ChannelInfo>,
    ) -> Result<Vec<ChannelId>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let keep: std::collections::BTreeSet<u64> = list.iter().map(|i| i.id.0).collect();
                let mut dropped = Vec::new();
                {
                    let mut ids = tx.prepare_cached("SELECT id FROM channels")?;
                    for id in ids.query_map([], |r| r.get::<_, i64>(0))? {
                        let id = id? as u64;
                        if !keep.contains(&id) {
                            dropped.push(ChannelId(id));
                        }
                    }
                }
                for channel in &dropped {
                    tx.prepare_cached("DELETE FROM channels WHERE id = ?1")?
                        .execute([channel.0 as i64])?;
                }
                for info in &list {
                    upsert_channel(&tx, info)?;
                }
                tx.commit()?;
                Ok(dropped)
            })
            .await
    }

    /// Stores one channel this account is in (just subscribed, created or refreshed).
    pub(crate) async fn store_channel(&self, info: ChannelInfo) -> Result<(), StoreError> {
        self.actor.call(move |c| upsert_channel(c, &info)).await
    }

    /// Forgets a channel and its posts (this account left it).
    pub(crate) async fn forget_channel(&self, channel: ChannelId) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                c.prepare_cached("DELETE FROM channels WHERE id = ?1")?
                    .execute([channel.0 as i64])?;
                Ok(())
            })
            .await
    }

    /// The position this device has every change of the channel up to (`None`: not in it).
    pub(crate) async fn channel_synced(
        &self,
        channel: ChannelId,
    ) -> Result<Option<Seq>, StoreError> {
        self.actor.call(move |c| synced_seq(c, channel)).await
    }

    /// Stores a page of a channel's difference. A `too_long` page replaces the posts this
    /// device had: it continues from the channel's newest page.
    pub(crate) async fn apply_channel_page(
        &self,
        channel: ChannelId,
        page: ChannelPosts,
        limit: u32,
    ) -> Result<ChannelApplied, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                if synced_seq(&tx, channel)?.is_none() {
                    return Ok(ChannelApplied::default());
                }
                if page.too_long {
                    tx.prepare_cached("DELETE FROM channel_posts WHERE channel_id = ?1")?
                        .execute([channel.0 as i64])?;
                }
                for post in &page.posts {
                    upsert_post(&tx, post)?;
                }
                let full_page = !page.too_long && page.posts.len() >= limit as usize;
                let synced = match page.posts.last() {
                    Some(last) if full_page => last.changed_seq,
                    _ => page.current,
                };
                tx.prepare_cached(
                    "UPDATE channels SET synced_seq = max(synced_seq, ?2), \
                     last_seq = max(last_seq, ?3) WHERE id = ?1",
                )?
                .execute(params![
                    channel.0 as i64,
                    synced.0 as i64,
                    page.current.0 as i64
                ])?;
                tx.commit()?;
                Ok(ChannelApplied {
                    posts: page.posts,
                    complete: synced >= page.current,
                })
            })
            .await
    }

    /// Stores posts of channels this account is in as the server has them now (posts of
    /// other channels are left out).
    pub(crate) async fn store_posts(&self, posts: Vec<Post>) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                for post in &posts {
                    if synced_seq(&tx, post.channel)?.is_some() {
                        upsert_post(&tx, post)?;
                    }
                }
                tx.commit()?;
                Ok(())
            })
            .await
    }

    /// Stores a pushed post. `complete` is false when changes before it are missing: the
    /// caller pulls the channel's difference.
    pub(crate) async fn apply_channel_push(
        &self,
        post: Post,
    ) -> Result<ChannelApplied, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let Some(synced) = synced_seq(&tx, post.channel)? else {
                    return Ok(ChannelApplied::default());
                };
                upsert_post(&tx, &post)?;
                let next = post.changed_seq.0 == synced.0 + 1;
                tx.prepare_cached(
                    "UPDATE channels SET last_seq = max(last_seq, ?2), \
                     synced_seq = CASE WHEN ?3 THEN ?2 ELSE synced_seq END WHERE id = ?1",
                )?
                .execute(params![
                    post.channel.0 as i64,
                    post.changed_seq.0 as i64,
                    next
                ])?;
                tx.commit()?;
                Ok(ChannelApplied {
                    complete: next || post.changed_seq <= synced,
                    posts: vec![post],
                })
            })
            .await
    }

    /// Mutes or unmutes a channel on this device.
    pub(crate) async fn set_channel_muted(
        &self,
        channel: ChannelId,
        muted: bool,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                c.prepare_cached("UPDATE channels SET muted = ?2 WHERE id = ?1")?
                    .execute(params![channel.0 as i64, muted])?;
                Ok(())
            })
            .await
    }

    /// The channels muted on this device.
    pub(crate) async fn muted_channels(&self) -> Result<Vec<ChannelId>, StoreError> {
        self.actor
            .call(|c| {
                let mut statement = c.prepare_cached("SELECT id FROM channels WHERE muted = 1")?;
                let ids = statement
                    .query_map([], |r| r.get::<_, i64>(0).map(|id| ChannelId(id as u64)))?
                    .collect::<Result<_, _>>()?;
                Ok(ids)
            })
            .await
    }

    /// The title of a channel whose new posts this device announces: one it reads (not
    /// one it posts in) and has not muted.
    pub(crate) async fn announced_channel(
        &self,
        channel: ChannelId,
    ) -> Result<Option<String>, StoreError> {
        self.actor
            .call(move |c| {
                Ok(c.prepare_cached(
                    "SELECT title FROM channels WHERE id = ?1 AND role = 2 AND muted = 0",
                )?
                .query_row([channel.0 as i64], |r| r.get(0))
                .optional()?)
            })
            .await
    }

    /// The channels this account is in, by id.
    pub(crate) async fn channels(&self) -> Result<Vec<ChannelInfo>, StoreError> {
        self.actor
            .call(|c| {
                let mut statement = c.prepare_cached(&format!(
                    "SELECT {CHANNEL_COLUMNS} FROM channels ORDER BY id"
                ))?;
                let list = statement
                    .query_map([], channel_from_row)?
                    .collect::<Result<_, _>>()?;
                Ok(list)
            })
            .await
    }

    /// One channel this account is in.
    pub(crate) async fn stored_channel(
        &self,
        channel: ChannelId,
    ) -> Result<Option<ChannelInfo>, StoreError> {
        self.actor
            .call(move |c| {
                Ok(c.prepare_cached(&format!(
                    "SELECT {CHANNEL_COLUMNS} FROM channels WHERE id = ?1"
                ))?
                .query_row([channel.0 as i64], channel_from_row)
                .optional()?)
            })
            .await
    }

    /// Stored posts of a channel before `before`, newest first.
    pub(crate) async fn channel_posts(
        &self,
        channel: ChannelId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<Post>, StoreError> {
        self.actor
            .call(move |c| {
                let before = before.map_or(i64::MAX, |s| s.0 as i64);
                let mut statement = c.prepare_cached(&format!(
                    "SELECT {POST_COLUMNS} FROM channel_posts WHERE channel_id = ?1 AND seq < ?2 \
                     ORDER BY seq DESC LIMIT ?3"
                ))?;
                let posts = statement
                    .query_map(params![channel.0 as i64, before, limit], post_from_row)?
                    .collect::<Result<_, _>>()?;
                Ok(posts)
            })
            .await
    }

    /// Of `seqs`, the stored posts of the channel this device has not reported as seen
    /// yet; they are marked reported.
    pub(crate) async fn take_unviewed(
        &self,
        channel: ChannelId,
        seqs: Vec<Seq>,
    ) -> Result<Vec<Seq>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let mut fresh = Vec::new();
                {
                    let mut mark = tx.prepare_cached(
                        "UPDATE channel_posts SET viewed = 1 \
                         WHERE channel_id = ?1 AND seq = ?2 AND viewed = 0 AND deleted = 0",
                    )?;
                    for seq in seqs {
                        if mark.execute(params![channel.0 as i64, seq.0 as i64])? == 1 {
                            fresh.push(seq);
                        }
                    }
                }
                tx.commit()?;
                Ok(fresh)
            })
            .await
    }

    /// Stored posts whose text matches `query` (words as prefixes), newest first.
    pub(crate) async fn search_posts(
        &self,
        query: String,
        limit: u32,
    ) -> Result<Vec<Post>, StoreError> {
        self.actor
            .call(move |c| {
                let Some(fts) = super::search::fts_query(&query) else {
                    return Ok(Vec::new());
                };
                let mut statement = c.prepare_cached(&format!(
                    "SELECT {POST_COLUMNS} FROM channel_posts WHERE id IN \
                     (SELECT rowid FROM channel_posts_fts WHERE channel_posts_fts MATCH ?1) \
                     AND deleted = 0 ORDER BY sent_at DESC LIMIT ?2"
                ))?;
                let posts = statement
                    .query_map(params![fts, limit], post_from_row)?
                    .collect::<Result<_, _>>()?;
                Ok(posts)
            })
            .await
    }
}
