//! Sponsored messages on the client: what a channel shows, reporting what the reader did
//! with it, and campaigns for advertisers.

use super::Client;
use crate::error::CoreError;
use wren_proto::{
    CampaignId, CampaignReport, ChannelEarnings, ChannelId, NewCampaign, Request, Response,
    SponsoredAction, SponsoredMessage,
};

impl Client {
    /// The sponsored message a channel shows now (`None` in chats, groups, private and
    /// small channels, and on the Business plan).
    pub async fn sponsored(
        &self,
        channel: ChannelId,
    ) -> Result<Option<SponsoredMessage>, CoreError> {
        match self.request(Request::GetSponsored { channel }).await? {
            Response::Sponsored(message) => Ok(message),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Tells the server the message was shown, clicked or reported (counted once per
    /// account; the server keeps no record of who).
    pub async fn sponsored_event(
        &self,
        campaign: CampaignId,
        channel: ChannelId,
        action: SponsoredAction,
    ) -> Result<(), CoreError> {
        self.done(Request::SponsoredEvent {
            campaign,
            channel,
            action,
        })
        .await
    }

    /// Starts a campaign paid by this account.
    pub async fn create_campaign(
        &self,
        campaign: NewCampaign,
    ) -> Result<CampaignReport, CoreError> {
        wren_proto::rules::validate_campaign(&campaign).map_err(CoreError::Invalid)?;
        match self.request(Request::CreateCampaign(campaign)).await? {
            Response::Campaign(report) => Ok(report),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// This account's campaigns with their counts, newest first.
    pub async fn campaigns(&self) -> Result<Vec<CampaignReport>, CoreError> {
        match self.request(Request::MyCampaigns).await? {
            Response::Campaigns(list) => Ok(list),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }

    /// Stops one of this account's campaigns.
    pub async fn stop_campaign(&self, campaign: CampaignId) -> Result<(), CoreError> {
        self.done(Request::StopCampaign { campaign }).await
    }

    /// What sponsored messages earned a channel (owner and admins).
    pub async fn channel_earnings(&self, channel: ChannelId) -> Result<ChannelEarnings, CoreError> {
        match self.request(Request::ChannelEarnings { channel }).await? {
            Response::Earnings(earnings) => Ok(earnings),
            other => Err(CoreError::Protocol(format!("unexpected answer {other:?}"))),
        }
    }
}
