//! Presence: whether someone is online, and when they were last seen, as far as their
//! privacy and the viewer's let the viewer know. Online means a signed-in connection to
//! this node or, in a cluster, to another node (as the others say, see
//! [`crate::bus::presence`]); changes are pushed when an account's first connection to a
//! node opens, and when its last one anywhere closes.

use super::Reply;
use crate::server::AppState;
use crate::store::WriteOp;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use wren_proto::{AccountId, Presence, PresenceInfo, Response};

/// Tells everyone who may know that `account` is now `presence`.
pub(crate) async fn announce(state: AppState, account: AccountId, presence: Presence) {
    match state.store.presence_audience(account).await {
        Ok(audience) => state
            .hub
            .presence(&audience, PresenceInfo { account, presence }),
        Err(e) => tracing::warn!(error = %e, %account, "cannot tell who sees a presence"),
    }
}

/// The account's last connection closed: records the time and says so, unless it came
/// back meanwhile.
pub(crate) async fn went_offline(state: AppState, account: AccountId) {
    let at = now_ms();
    if let Err(e) = state.store.write(WriteOp::Seen { account, at }).await {
        tracing::warn!(error = %e, %account, "cannot record a last seen time");
    }
    if !state.hub.is_online(account) {
        announce(state, account, Presence::LastSeen(at)).await;
    }
}

/// `GetPresence`: what `me` may know of each account, in the order asked.
pub(super) fn get(state: &AppState, me: AccountId, accounts: Vec<AccountId>) -> Reply {
    let store = Arc::clone(&state.store);
    let hub = Arc::clone(&state.hub);
    Box::pin(async move {
        let seen = store.presence(me, accounts).await?;
        Ok(Response::Presence(
            seen.into_iter()
                .map(|s| PresenceInfo {
                    account: s.account,
                    presence: match (s.shown, hub.is_online(s.account), s.last_seen) {
                        (false, _, _) | (true, false, 0) => Presence::Hidden,
                        (true, true, _) => Presence::Online,
                        (true, false, at) => Presence::LastSeen(at),
                    },
                })
                .collect(),
        ))
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
