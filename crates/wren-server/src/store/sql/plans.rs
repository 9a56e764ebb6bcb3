//! Plans and business profiles: which plan an account is on now, and the profile a
//! Business account shows.

use super::{args, Db};
use crate::store::StoreError;
use wren_proto::{AccountId, BusinessProfile, ErrorCode, PlanInfo, PlanKind};

/// The largest stored business profile, in bytes.
const MAX_PROFILE_BYTES: usize = 64 * 1024;

/// The account's plan at `now` (Unix ms): Business while its row's `until` has not passed.
pub(crate) fn plan(db: Db<'_>, account: AccountId, now: u64) -> Result<PlanInfo, StoreError> {
    let row: Option<(i64, Option<u64>)> = db.query_opt(
        "SELECT plan, until FROM plans WHERE account_id = ?1",
        args![account.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
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
pub(crate) fn require_business(
    db: Db<'_>,
    account: AccountId,
    now: u64,
    what: &str,
) -> Result<(), StoreError> {
    match plan(db, account, now)?.plan {
        PlanKind::Business => Ok(()),
        PlanKind::Free => Err(StoreError::rejected(
            ErrorCode::Forbidden,
            format!("{what} needs the Business plan; this account is on Free"),
        )),
    }
}

/// Stores the account's business profile (Business plan only).
pub(crate) fn set_profile(
    db: Db<'_>,
    account: AccountId,
    profile: &BusinessProfile,
    now: u64,
) -> Result<(), StoreError> {
    require_business(db, account, now, "a business profile")?;
    let bytes = wren_proto::encode(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    db.execute(
        "INSERT INTO business_profiles (account_id, profile) VALUES (?1, ?2) \
         ON CONFLICT(account_id) DO UPDATE SET profile = excluded.profile",
        args![account.0, &bytes],
    )?;
    Ok(())
}

/// The account's business profile while its plan is Business.
pub(crate) fn profile(
    db: Db<'_>,
    account: AccountId,
    now: u64,
) -> Result<Option<BusinessProfile>, StoreError> {
    if plan(db, account, now)?.plan != PlanKind::Business {
        return Ok(None);
    }
    let bytes: Option<Vec<u8>> = db.query_opt(
        "SELECT profile FROM business_profiles WHERE account_id = ?1",
        args![account.0],
        |r| r.get(0),
    )?;
    bytes
        .map(|b| wren_proto::decode_limited(&b, MAX_PROFILE_BYTES))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("a stored business profile: {e}")))
}

/// Grants `username` the Business plan until `until` (Unix ms; `None`: no end), or
/// revokes it (`grant` false). Returns the account's id (`NotFound` for an unknown user).
pub(crate) fn set_plan(
    db: Db<'_>,
    username: &str,
    grant: bool,
    until: Option<u64>,
) -> Result<AccountId, StoreError> {
    let normalized = wren_proto::rules::normalize_username(username);
    let account: Option<u64> = db.query_opt(
        "SELECT id FROM accounts WHERE username = ?1",
        args![&normalized],
        |r| r.get(0),
    )?;
    let account = AccountId(account.ok_or_else(|| {
        StoreError::rejected(ErrorCode::NotFound, format!("no account named {username}"))
    })?);
    if grant {
        db.execute(
            "INSERT INTO plans (account_id, plan, until) VALUES (?1, 1, ?2) \
             ON CONFLICT(account_id) DO UPDATE SET plan = 1, until = excluded.until",
            args![account.0, until],
        )?;
    } else {
        db.execute("DELETE FROM plans WHERE account_id = ?1", args![account.0])?;
    }
    Ok(account)
}
