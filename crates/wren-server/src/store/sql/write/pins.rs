//! Pinned chats: a member pins a chat for all of its devices, within its plan's limit.

use super::{fan_out, Applied, Pointer};
use crate::store::sql::views::{require_member, update_kind};
use crate::store::sql::{args, plans, Db};
use crate::store::{StoreError, WriteOutcome};
use wren_proto::{AccountId, ChatId, ErrorCode, PlanKind, Seq, Update};

/// Pins or unpins `chat` for `account` at `now` (Unix ms) and tells the account's devices.
/// Pinning past the plan's limit is refused with the limit; pins kept from a plan that
/// ended stay, and only new ones are refused.
pub(super) fn set_pinned(
    db: Db<'_>,
    account: AccountId,
    chat: ChatId,
    pinned: bool,
    now: u64,
) -> Result<Applied, StoreError> {
    require_member(db, chat, account)?;
    let was_pinned: bool = db.query_one(
        "SELECT pinned_at IS NOT NULL FROM members WHERE chat_id = ?1 AND account_id = ?2",
        args![chat.0, account.0],
        |r| r.get(0),
    )?;
    if was_pinned == pinned {
        return Ok(Applied::quiet(WriteOutcome::Done));
    }
    if pinned {
        check_limit(db, account, now)?;
    }
    // Pins keep their order even when made in the same millisecond.
    db.execute(
        "UPDATE members SET pinned_at = CASE WHEN ?3 THEN \
             (SELECT max(?4, coalesce(max(pinned_at), 0) + 1) FROM members WHERE account_id = ?2) \
         END WHERE chat_id = ?1 AND account_id = ?2",
        args![chat.0, account.0, pinned, now],
    )?;
    let pointer = Pointer {
        kind: update_kind::CHAT_PINNED,
        chat,
        seq: Seq(0),
        extra: u64::from(pinned),
    };
    let mut deliveries = Vec::with_capacity(1);
    fan_out(
        db,
        &[account],
        pointer,
        Update::ChatPinned { chat, pinned },
        &mut deliveries,
    )?;
    Ok(Applied {
        outcome: WriteOutcome::Done,
        deliveries,
    })
}

fn check_limit(db: Db<'_>, account: AccountId, now: u64) -> Result<(), StoreError> {
    let plan = plans::plan(db, account, now)?;
    let limit = plan.limits.pinned_chats;
    let count: u32 = db.query_one(
        "SELECT count(*) FROM members WHERE account_id = ?1 AND pinned_at IS NOT NULL",
        args![account.0],
        |r| r.get(0),
    )?;
    if count < limit {
        return Ok(());
    }
    let reason = match plan.plan {
        PlanKind::Free => format!(
            "{limit} chats are pinned, the most the Free plan allows; Business pins {}",
            PlanKind::Business.limits().pinned_chats
        ),
        PlanKind::Business => {
            format!("{limit} chats are pinned, the most the Business plan allows")
        }
    };
    Err(StoreError::rejected(ErrorCode::Forbidden, reason))
}

/// The account's pinned chats, in the order they were pinned.
pub(crate) fn pinned_chats(db: Db<'_>, account: AccountId) -> Result<Vec<ChatId>, StoreError> {
    let chats = db.query_all(
        "SELECT chat_id FROM members WHERE account_id = ?1 AND pinned_at IS NOT NULL \
             ORDER BY pinned_at, chat_id",
        args![account.0],
        |r| r.get(0).map(ChatId),
    )?;
    Ok(chats)
}
