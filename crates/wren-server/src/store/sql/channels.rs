//! Reading channels: what the caller may see of a channel, its posts, the directory.

use crate::store::sql::{args, Db, Row};
use crate::store::StoreError;
use wren_proto::rules::{CHANNEL_TOO_LONG, MAX_CHANNEL_PAGE, MAX_DIRECTORY_PAGE};
use wren_proto::{
    AccountId, ChannelId, ChannelInfo, ChannelPosts, ChannelRole, DirectoryQuery, Post, Seq,
};

/// The columns [`info_from_row`] reads, with `m` the caller's membership row.
const INFO_COLUMNS: &str = "c.id, c.handle, c.title, c.description, c.topic, c.language, \
     c.subscribers, c.last_seq, c.pinned_seq, c.created_at, m.role";

/// The columns [`post_from_row`] reads.
pub(super) const POST_COLUMNS: &str =
    "channel_id, seq, changed_seq, text, sent_at, edited_at, deleted, views";

/// `channel_members.role` codes.
pub(crate) fn role_code(role: ChannelRole) -> i64 {
    match role {
        ChannelRole::Owner => 0,
        ChannelRole::Admin => 1,
        ChannelRole::Subscriber => 2,
    }
}

fn role_of(code: i64) -> ChannelRole {
    match code {
        0 => ChannelRole::Owner,
        1 => ChannelRole::Admin,
        _ => ChannelRole::Subscriber,
    }
}

fn info_from_row(row: &Row<'_>) -> Result<ChannelInfo, StoreError> {
    Ok(ChannelInfo {
        id: ChannelId(row.get(0)?),
        handle: row.get(1)?,
        title: row.get(2)?,
        description: row.get(3)?,
        topic: row.get(4)?,
        language: row.get(5)?,
        subscribers: row.get(6)?,
        last_seq: Seq(row.get(7)?),
        pinned: row.get::<Option<u64>>(8)?.map(Seq),
        created_at: row.get(9)?,
        role: row.get::<Option<i64>>(10)?.map(role_of),
    })
}

/// A post from a row of [`POST_COLUMNS`].
pub(crate) fn post_from_row(row: &Row<'_>) -> Result<Post, StoreError> {
    Ok(Post {
        channel: ChannelId(row.get(0)?),
        seq: Seq(row.get(1)?),
        changed_seq: Seq(row.get(2)?),
        text: row.get(3)?,
        sent_at: row.get(4)?,
        edited_at: row.get(5)?,
        deleted: row.get(6)?,
        views: row.get(7)?,
    })
}

/// There is no such channel, or it is private and the caller is not in it: the same
/// answer, so that private channels cannot be found by trying ids.
pub(crate) fn no_such_channel() -> StoreError {
    StoreError::rejected(wren_proto::ErrorCode::NotFound, "no such channel")
}

/// The channel as `account` sees it: a channel it is in, or a public one (a preview).
pub(crate) fn visible(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
) -> Result<ChannelInfo, StoreError> {
    db.query_opt(
        &format!(
            "SELECT {INFO_COLUMNS} FROM channels c LEFT JOIN channel_members m \
         ON m.channel_id = c.id AND m.account_id = ?2 WHERE c.id = ?1"
        ),
        args![channel.0, account.0],
        info_from_row,
    )?
    .filter(|info| info.role.is_some() || info.handle.is_some())
    .ok_or_else(no_such_channel)
}

/// A public channel by its (normalized) handle.
pub(crate) fn by_handle(
    db: Db<'_>,
    account: AccountId,
    handle: &str,
) -> Result<ChannelInfo, StoreError> {
    let id: Option<u64> = db.query_opt(
        "SELECT id FROM channels WHERE handle = ?1",
        args![handle],
        |r| r.get(0),
    )?;
    visible(db, account, ChannelId(id.ok_or_else(no_such_channel)?))
}

/// The channels `account` is in, by id.
pub(crate) fn mine(db: Db<'_>, account: AccountId) -> Result<Vec<ChannelInfo>, StoreError> {
    let rows = db.query_all(
        &format!(
            "SELECT {INFO_COLUMNS} FROM channel_members m JOIN channels c ON c.id = m.channel_id \
             WHERE m.account_id = ?1 ORDER BY c.id"
        ),
        args![account.0],
        info_from_row,
    )?;
    Ok(rows)
}

/// The owner and admins of a channel, for its owner and admins.
pub(crate) fn admins(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
) -> Result<Vec<wren_proto::ChannelAdmin>, StoreError> {
    if !visible(db, account, channel)?
        .role
        .is_some_and(ChannelRole::may_post)
    {
        return Err(StoreError::rejected(
            wren_proto::ErrorCode::Forbidden,
            "only the channel's owner and admins see its admins",
        ));
    }
    let rows = db.query_all(
        "SELECT a.id, a.username, m.role, a.display_name FROM channel_members m \
             JOIN accounts a ON a.id = m.account_id \
             WHERE m.channel_id = ?1 AND m.role < 2 ORDER BY m.role, a.id",
        args![channel.0],
        |r| {
            Ok(wren_proto::ChannelAdmin {
                account: wren_proto::AccountInfo {
                    id: AccountId(r.get(0)?),
                    username: r.get(1)?,
                    display_name: r.get(3)?,
                },
                role: role_of(r.get(2)?),
            })
        },
    )?;
    Ok(rows)
}

/// The ids of the channels `account` is in.
pub(crate) fn ids_of(db: Db<'_>, account: AccountId) -> Result<Vec<ChannelId>, StoreError> {
    let rows = db.query_all(
        "SELECT channel_id FROM channel_members WHERE account_id = ?1",
        args![account.0],
        |r| r.get(0).map(ChannelId),
    )?;
    Ok(rows)
}

/// The posts that changed after `since`, oldest change first; a caller more than
/// [`CHANNEL_TOO_LONG`] changes behind gets the newest page instead (`too_long`).
pub(crate) fn difference(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
    since: Seq,
    limit: u32,
) -> Result<ChannelPosts, StoreError> {
    let info = visible(db, account, channel)?;
    let limit = limit.clamp(1, MAX_CHANNEL_PAGE);
    if info.last_seq.0.saturating_sub(since.0) > CHANNEL_TOO_LONG {
        let mut page = history(db, account, channel, None, limit)?;
        page.too_long = true;
        return Ok(page);
    }
    let posts = db.query_all(
        &format!(
            "SELECT {POST_COLUMNS} FROM channel_posts WHERE channel_id = ?1 AND changed_seq > ?2 \
             ORDER BY changed_seq LIMIT ?3"
        ),
        args![channel.0, since.0, limit],
        post_from_row,
    )?;
    Ok(ChannelPosts {
        posts,
        current: info.last_seq,
        too_long: false,
    })
}

/// Posts before `before`, newest first.
pub(crate) fn history(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
    before: Option<Seq>,
    limit: u32,
) -> Result<ChannelPosts, StoreError> {
    let info = visible(db, account, channel)?;
    let before = before.map_or(i64::MAX, |s| i64::try_from(s.0).unwrap_or(i64::MAX));
    let posts = db.query_all(
        &format!(
            "SELECT {POST_COLUMNS} FROM channel_posts WHERE channel_id = ?1 AND seq < ?2 \
             ORDER BY seq DESC LIMIT ?3"
        ),
        args![channel.0, before, limit.clamp(1, MAX_CHANNEL_PAGE)],
        post_from_row,
    )?;
    Ok(ChannelPosts {
        posts,
        current: info.last_seq,
        too_long: false,
    })
}

/// From this many matches of the words on, walking the channels by subscribers and
/// keeping the matching ones finds a page sooner than sorting every match.
const DENSE_MATCHES: u32 = 1000;

/// Public channels matching `query`, most subscribers first. The words are matched as
/// prefixes in title, handle, description and topic (all of them must match). Words that
/// match many channels walk the subscribers index until a page is full; rarer ones sort
/// their few matches.
pub(crate) fn search(
    db: Db<'_>,
    account: AccountId,
    query: &DirectoryQuery,
) -> Result<Vec<ChannelInfo>, StoreError> {
    let limit = query.limit.clamp(1, MAX_DIRECTORY_PAGE);
    if let Db::Postgres(_) = db {
        return search_postgres(db, account, query, limit);
    }
    let words = fts_query(&query.text);
    let dense = words.is_empty()
        || db.query_one(
            "SELECT count(*) FROM (SELECT rowid FROM channels_fts \
                 WHERE channels_fts MATCH ?1 LIMIT ?2)",
            args![&words, DENSE_MATCHES],
            |r| r.get::<u32>(0),
        )? >= DENSE_MATCHES;
    let matching = if words.is_empty() {
        "c.handle IS NOT NULL"
    } else {
        "c.id IN (SELECT rowid FROM channels_fts WHERE channels_fts MATCH ?5)"
    };
    let walk = if dense {
        "INDEXED BY channels_by_subscribers"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {INFO_COLUMNS} FROM channels c {walk} LEFT JOIN channel_members m \
         ON m.channel_id = c.id AND m.account_id = ?1 \
         WHERE {matching} AND c.handle IS NOT NULL \
         AND (?2 IS NULL OR c.topic = ?2) AND (?3 IS NULL OR c.language = ?3) \
         ORDER BY c.subscribers DESC, c.id LIMIT ?4"
    );
    let rows = if words.is_empty() {
        db.query_all(
            &sql,
            args![
                account.0,
                query.topic.as_deref(),
                query.language.as_deref(),
                limit
            ],
            info_from_row,
        )
    } else {
        db.query_all(
            &sql,
            args![
                account.0,
                query.topic.as_deref(),
                query.language.as_deref(),
                limit,
                &words
            ],
            info_from_row,
        )
    }?;
    Ok(rows)
}

/// The directory on PostgreSQL: the words of the `search` column, each word of the query
/// as a required prefix, most subscribers first.
fn search_postgres(
    db: Db<'_>,
    account: AccountId,
    query: &DirectoryQuery,
    limit: u32,
) -> Result<Vec<ChannelInfo>, StoreError> {
    let words = ts_query(&query.text);
    db.query_all(
        &format!(
            "SELECT {INFO_COLUMNS} FROM channels c LEFT JOIN channel_members m \
             ON m.channel_id = c.id AND m.account_id = ?1 \
             WHERE c.handle IS NOT NULL \
             AND (?5::text = '' OR c.search @@ to_tsquery('simple', ?5::text)) \
             AND (?2::text IS NULL OR c.topic = ?2) AND (?3::text IS NULL OR c.language = ?3) \
             ORDER BY c.subscribers DESC, c.id LIMIT ?4"
        ),
        args![
            account.0,
            query.topic.as_deref(),
            query.language.as_deref(),
            limit,
            &words
        ],
        info_from_row,
    )
}

/// A PostgreSQL text-search query from free text: each word (letters and digits only) as
/// a quoted prefix, all required; empty when there is no word.
fn ts_query(text: &str) -> String {
    words(text)
        .map(|w| format!("'{w}':*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The words of a directory query: letters and digits only, at most 8.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
}

/// An FTS5 query from free text: each word (letters and digits only) as a quoted prefix
/// term, all required; empty when there is no word.
fn fts_query(text: &str) -> String {
    words(text)
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::{fts_query, ts_query};

    #[test]
    fn free_text_becomes_postgres_prefix_terms_and_nothing_else() {
        assert_eq!(ts_query("Rust news"), "'Rust':* & 'news':*");
        assert_eq!(ts_query("  '); DROP --"), "'DROP':*");
        assert_eq!(ts_query("*** ---"), "");
    }

    #[test]
    fn free_text_becomes_prefix_terms_and_nothing_else() {
        assert_eq!(fts_query("Rust news"), "\"Rust\"* \"news\"*");
        assert_eq!(fts_query("  \"); DROP --"), "\"DROP\"*");
        assert_eq!(fts_query("*** ---"), "");
        assert_eq!(fts_query("café_au-lait"), "\"café\"* \"au\"* \"lait\"*");
    }
}
