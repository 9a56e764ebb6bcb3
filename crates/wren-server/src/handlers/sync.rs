//! Keeping clients in sync: `Ping` and `GetDifference`.

use super::Reply;
use crate::server::AppState;
use std::sync::Arc;
use wren_proto::{AccountId, Pts, Response};

/// `Pong` with the account's newest `pts`.
pub(super) fn ping(state: &AppState, me: AccountId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        Ok(Response::Pong {
            pts: store.pts(me).await?,
        })
    })
}

/// The next page of the account's update log after `since`.
pub(super) fn difference(state: &AppState, me: AccountId, since: Pts, limit: u32) -> Reply {
    let store = Arc::clone(&state.store);
    let max = state.max_difference;
    Box::pin(async move {
        Ok(Response::Difference(
            store.difference(me, since, limit, max).await?,
        ))
    })
}
