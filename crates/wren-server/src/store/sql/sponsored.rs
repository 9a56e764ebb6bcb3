//! Sponsored messages: campaigns, which one a channel shows now, and their counts.
//!
//! Which message a channel shows depends only on the channel (its topic, language and
//! id) and the minute, never on who reads: every reader of a channel sees the same one.
//! The counts are per campaign and per channel; no row names a reader.

use super::channels::{no_such_channel, visible};
use crate::store::sql::{args, plans, Db};
use crate::store::StoreError;
use wren_proto::{
    AccountId, CampaignId, CampaignReport, ChannelEarnings, ChannelId, ChannelRole, ErrorCode,
    NewCampaign, PlanKind, SponsoredAction, SponsoredMessage,
};

/// The largest stored campaign, in bytes.
const MAX_SPEC_BYTES: usize = 16 * 1024;
/// The owner's share of each impression, in thousandths of a credit.
const OWNER_SHARE_MILLI: u64 = 500;
/// Which campaign a channel shows changes this often.
const ROTATE_EVERY_MS: u64 = 60_000;

fn list(values: &[String]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        format!(",{},", values.join(","))
    }
}

fn spec(bytes: &[u8]) -> Result<NewCampaign, StoreError> {
    wren_proto::decode_limited(bytes, MAX_SPEC_BYTES)
        .map_err(|e| StoreError::Corrupt(format!("a stored campaign: {e}")))
}

/// Stores a new campaign of `advertiser`; a channel target must be a public channel.
pub(crate) fn create(
    db: Db<'_>,
    advertiser: AccountId,
    campaign: &NewCampaign,
    now: u64,
) -> Result<CampaignReport, StoreError> {
    if let wren_proto::SponsoredTarget::Channel(handle) = &campaign.target {
        super::channels::by_handle(db, advertiser, handle).map_err(|_| {
            StoreError::rejected(
                ErrorCode::NotFound,
                format!("no public channel @{handle} to lead to"),
            )
        })?;
    }
    let bytes = wren_proto::encode(campaign).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id: u64 = db.query_one(
        "INSERT INTO campaigns (advertiser_id, spec, topics, languages, budget, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        args![
            advertiser.0,
            bytes,
            list(&campaign.topics),
            list(&campaign.languages),
            campaign.budget,
            now
        ],
        |r| r.get(0),
    )?;
    report(db, advertiser, CampaignId(id))
}

/// One campaign of `advertiser` with its counts (`NotFound` for anyone else's).
pub(crate) fn report(
    db: Db<'_>,
    advertiser: AccountId,
    campaign: CampaignId,
) -> Result<CampaignReport, StoreError> {
    mine(db, advertiser, Some(campaign))?
        .pop()
        .ok_or_else(|| StoreError::rejected(ErrorCode::NotFound, "no such campaign of yours"))
}

/// The campaigns of `advertiser` (or just `only`), newest first.
pub(crate) fn mine(
    db: Db<'_>,
    advertiser: AccountId,
    only: Option<CampaignId>,
) -> Result<Vec<CampaignReport>, StoreError> {
    let rows = db.query_all(
        "SELECT id, spec, budget, shown, clicks, reports, stopped, created_at FROM campaigns \
             WHERE advertiser_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id DESC",
        args![advertiser.0, only.map(|c| c.0)],
        |r| {
            Ok((
                r.get::<u64>(0)?,
                r.get::<Vec<u8>>(1)?,
                (r.get::<u64>(2)?, r.get::<u64>(3)?),
                (r.get::<u64>(4)?, r.get::<u64>(5)?),
                r.get::<bool>(6)?,
                r.get::<u64>(7)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, bytes, (budget, shown), (clicks, reports), stopped, created_at) = row;
        out.push(CampaignReport {
            id: CampaignId(id),
            campaign: spec(&bytes)?,
            shown,
            clicks,
            reports,
            active: !stopped && shown < budget,
            created_at,
        });
    }
    Ok(out)
}

/// Stops a campaign of `advertiser`.
pub(crate) fn stop(
    db: Db<'_>,
    advertiser: AccountId,
    campaign: CampaignId,
) -> Result<(), StoreError> {
    let stopped = db.execute(
        "UPDATE campaigns SET stopped = 1 WHERE id = ?1 AND advertiser_id = ?2",
        args![campaign.0, advertiser.0],
    )?;
    if stopped == 0 {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "no such campaign of yours",
        ));
    }
    Ok(())
}

/// Whether `channel` shows sponsored messages to `reader`: a public channel with at
/// least `min_subscribers`, and a reader on the Free plan. Returns the channel's topic
/// and language.
fn eligible(
    db: Db<'_>,
    reader: AccountId,
    channel: ChannelId,
    min_subscribers: u64,
    now: u64,
) -> Result<Option<(String, String)>, StoreError> {
    let info = visible(db, reader, channel)?;
    let plan = plans::plan(db, reader, now)?.plan;
    let shows =
        info.handle.is_some() && info.subscribers >= min_subscribers && plan == PlanKind::Free;
    Ok(shows.then_some((info.topic, info.language)))
}

/// The sponsored message `channel` shows `reader` now, if any.
pub(crate) fn serve(
    db: Db<'_>,
    reader: AccountId,
    channel: ChannelId,
    min_subscribers: u64,
    now: u64,
) -> Result<Option<SponsoredMessage>, StoreError> {
    let Some((topic, language)) = eligible(db, reader, channel, min_subscribers, now)? else {
        return Ok(None);
    };
    // Where a string is found in another: named differently, same arguments.
    let find = match db {
        Db::Sqlite(_) => "instr",
        Db::Postgres(_) => "strpos",
    };
    let candidates: Vec<(u64, Vec<u8>)> = db.query_all(
        &format!(
            "SELECT id, spec FROM campaigns WHERE stopped = 0 AND shown < budget \
             AND (topics = '' OR {find}(topics, ',' || ?1 || ',') > 0) \
             AND (languages = '' OR {find}(languages, ',' || ?2 || ',') > 0) ORDER BY id"
        ),
        args![topic, language],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let turn = channel
        .0
        .wrapping_mul(31)
        .wrapping_add(now / ROTATE_EVERY_MS);
    let (id, bytes) = &candidates[(turn % candidates.len() as u64) as usize];
    let spec = spec(bytes)?;
    Ok(Some(SponsoredMessage {
        campaign: CampaignId(*id),
        channel,
        title: spec.title,
        text: spec.text,
        target: spec.target,
        button: spec.button,
    }))
}

/// Counts what a reader did with a sponsored message: in the campaign's counts and, for
/// an impression, the channel's; nothing about the reader is written.
pub(crate) fn count(
    db: Db<'_>,
    reader_eligible: bool,
    campaign: CampaignId,
    channel: ChannelId,
    action: SponsoredAction,
) -> Result<(), StoreError> {
    if !reader_eligible {
        return Err(StoreError::rejected(
            ErrorCode::BadRequest,
            "this channel shows no sponsored messages to this account",
        ));
    }
    let column = match action {
        SponsoredAction::Shown => "shown",
        SponsoredAction::Clicked => "clicks",
        SponsoredAction::Reported => "reports",
    };
    let counted = db.execute(
        &format!(
            "UPDATE campaigns SET {column} = {column} + 1 \
             WHERE id = ?1 AND (?2 = 0 OR (stopped = 0 AND shown < budget))"
        ),
        args![campaign.0, action == SponsoredAction::Shown],
    )?;
    if counted == 0 {
        return Err(StoreError::rejected(
            ErrorCode::NotFound,
            "no such running campaign",
        ));
    }
    if action == SponsoredAction::Shown {
        db.execute(
            "INSERT INTO channel_sponsored (channel_id, shown) VALUES (?1, 1) \
             ON CONFLICT(channel_id) DO UPDATE SET shown = shown + 1",
            args![channel.0],
        )?;
    }
    Ok(())
}

/// Whether the reader may count events of `channel`'s sponsored messages.
pub(crate) fn may_count(
    db: Db<'_>,
    reader: AccountId,
    channel: ChannelId,
    min_subscribers: u64,
    now: u64,
) -> Result<bool, StoreError> {
    Ok(eligible(db, reader, channel, min_subscribers, now)?.is_some())
}

/// What sponsored messages earned a channel, for its owner and admins.
pub(crate) fn earnings(
    db: Db<'_>,
    account: AccountId,
    channel: ChannelId,
) -> Result<ChannelEarnings, StoreError> {
    match visible(db, account, channel)?.role {
        Some(ChannelRole::Owner | ChannelRole::Admin) => {}
        Some(ChannelRole::Subscriber) => {
            return Err(StoreError::rejected(
                ErrorCode::Forbidden,
                "only the channel's owner and admins see its earnings",
            ))
        }
        None => return Err(no_such_channel()),
    }
    let shown: u64 = db
        .query_opt(
            "SELECT shown FROM channel_sponsored WHERE channel_id = ?1",
            args![channel.0],
            |r| r.get(0),
        )?
        .unwrap_or(0);
    Ok(ChannelEarnings {
        shown,
        credits_milli: shown * OWNER_SHARE_MILLI,
    })
}
