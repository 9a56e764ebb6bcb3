//! Plans and business profiles: which plan an account is on now, and the profile a
//! Business account shows.

use super::db_err;
use crate::store::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use wren_proto::{AccountId, BusinessProfile, ErrorCode, PlanInfo, PlanKind};

/// The largest stored business profile, in bytes.
const MAX_PROFILE_BYTES: usize = 64 * 1024;

/// The account's plan at `now` (Unix ms): Business while its row's `until` has not passed.
pub(super) fn plan(
    conn: &Connection,
    account: AccountId,
    now: u64,
) -> Result<PlanInfo, StoreError> {
    let row: Option<(i64, Option<u64>)> = conn
        .prepare_cached("SELECT plan, until FROM plans WHERE account_id = ?1")
        .map_err(db_err)?
        .query_row([account.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db_err)?;
    let (plan, until) = match row {
        Some((1, until)) if until.is_none_or(|t| t > now) => (PlanKind::Business, until),
        _ => (PlanKind::Free, None),
    };
    Ok(PlanInfo {
        plan,
        until,
        limits: plan.limits(),
    })
}

/// Refuses, with the reason, what the account's plan does not include.
pub(super) fn require_business(
    conn: &Connection,
    account: AccountId,
    now: u64,
    what: &str,
) -> Result<(), StoreError> {
    match plan(conn, account, now)?.plan {
        PlanKind::Business => Ok(()),
        PlanKind::Free => Err(StoreError::rejected(
            ErrorCode::Forbidden,
            format!("{what} needs the Business plan; this account is on Free"),
        )),
    }
}

/// Stores the account's business profile (Business plan only).
pub(super) fn set_profile(
    conn: &Connection,
    account: AccountId,
    profile: &BusinessProfile,
    now: u64,
) -> Result<(), StoreError> {
    require_business(conn, account, now, "a business profile")?;
    let bytes = wren_proto::encode(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO business_profiles (account_id, profile) VALUES (?1, ?2) \
         ON CONFLICT(account_id) DO UPDATE SET profile = excluded.profile",
    )
    .map_err(db_err)?
    .execute(params![account.0, bytes])
    .map_err(db_err)?;
    Ok(())
}

/// The account's business profile while its plan is Business.
pub(super) fn profile(
    conn: &Connection,
    account: AccountId,
    now: u64,
) -> Result<Option<BusinessProfile>, StoreError> {
    if plan(conn, account, now)?.plan != PlanKind::Business {
        return Ok(None);
    }
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT profile FROM business_profiles WHERE account_id = ?1")
        .map_err(db_err)?
        .query_row([account.0], |r| r.get(0))
        .optional()
        .map_err(db_err)?;
    bytes
        .map(|b| wren_proto::decode_limited(&b, MAX_PROFILE_BYTES))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("a stored business profile: {e}")))
}

/// Grants `username` the Business plan until `until` (Unix ms; `None`: no end), or
/// revokes it (`grant` false). Returns the account's id (`NotFound` for an unknown user).
pub(crate) fn set_plan(
    conn: &Connection,
    username: &str,
    grant: bool,
    until: Option<u64>,
) -> Result<AccountId, StoreError> {
    let account: Option<u64> = conn
        .prepare_cached("SELECT id FROM accounts WHERE username = ?1")
        .map_err(db_err)?
        .query_row([wren_proto::rules::normalize_username(username)], |r| {
            r.get(0)
        })
        .optional()
        .map_err(db_err)?;
    let account = AccountId(account.ok_or_else(|| {
        StoreError::rejected(ErrorCode::NotFound, format!("no account named {username}"))
    })?);
    if grant {
        conn.prepare_cached(
            "INSERT INTO plans (account_id, plan, until) VALUES (?1, 1, ?2) \
             ON CONFLICT(account_id) DO UPDATE SET plan = 1, until = excluded.until",
        )
        .map_err(db_err)?
        .execute(params![account.0, until])
        .map_err(db_err)?;
    } else {
        conn.prepare_cached("DELETE FROM plans WHERE account_id = ?1")
            .map_err(db_err)?
            .execute([account.0])
            .map_err(db_err)?;
    }
    Ok(account)
}
