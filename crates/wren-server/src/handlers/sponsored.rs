//! Sponsored messages: campaigns for advertisers, the message a channel shows, and counts
//! of what readers did with it (each account once, nobody recorded).

use super::{bad_request, ready, write, Reply};
use crate::server::AppState;
use crate::store::WriteOp;
use std::sync::Arc;
use wren_proto::{AccountId, CampaignId, ChannelId, NewCampaign, Response, SponsoredAction};

/// Starts a campaign paid by the caller.
pub(super) async fn create(state: &AppState, me: AccountId, campaign: NewCampaign) -> Reply {
    match wren_proto::rules::validate_campaign(&campaign) {
        Ok(()) => {
            let op = WriteOp::CreateCampaign {
                advertiser: me,
                campaign,
            };
            write(state, op).await
        }
        Err(reason) => ready(Err(bad_request(reason))),
    }
}

/// The message `channel` shows the caller now.
pub(super) fn serve(state: &AppState, me: AccountId, channel: ChannelId) -> Reply {
    let store = Arc::clone(&state.store);
    let min = state.sponsored_min_subscribers;
    Box::pin(async move {
        Ok(Response::Sponsored(
            store.sponsored(me, channel, min).await?,
        ))
    })
}

/// Counts an impression, a click or a report once per account; a repeat is answered
/// `Done` and not counted.
pub(super) async fn event(
    state: &AppState,
    me: AccountId,
    campaign: CampaignId,
    channel: ChannelId,
    action: SponsoredAction,
) -> Reply {
    if !state.sponsored_seen.first(me, campaign, channel, action) {
        return ready(Ok(Response::Done));
    }
    let op = WriteOp::SponsoredEvent {
        reader: me,
        campaign,
        channel,
        action,
        min_subscribers: state.sponsored_min_subscribers,
    };
    write(state, op).await
}
