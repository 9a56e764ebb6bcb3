//! Sponsored messages: the ad platform. Campaigns target channel topics and languages
//! only, never people; they are shown only in large public channels, never in chats,
//! groups, private or small channels, and never to Business accounts. The server keeps
//! counts per campaign and per channel, nothing that ties a person to an ad.

use crate::{CampaignId, ChannelId};
use serde::{Deserialize, Serialize};

/// Where a sponsored message leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SponsoredTarget {
    /// A public channel, by handle.
    Channel(String),
    /// An `https://` link.
    Link(String),
}

/// A new campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCampaign {
    /// A short title.
    pub title: String,
    /// The text, at most [`crate::rules::MAX_SPONSORED_TEXT_CHARS`] characters.
    pub text: String,
    /// Where its button leads.
    pub target: SponsoredTarget,
    /// The button's label.
    pub button: String,
    /// Channel topics it is shown in (empty: any).
    pub topics: Vec<String>,
    /// Channel languages it is shown in (empty: any).
    pub languages: Vec<String>,
    /// How many times it may be shown in all.
    pub budget: u64,
}

/// A campaign with its counts, as its advertiser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignReport {
    /// The campaign's id.
    pub id: CampaignId,
    /// What was asked for.
    pub campaign: NewCampaign,
    /// Times shown.
    pub shown: u64,
    /// Times its button was pressed.
    pub clicks: u64,
    /// Times readers reported it.
    pub reports: u64,
    /// Still being shown (not stopped, budget left).
    pub active: bool,
    /// When it was created, in Unix milliseconds.
    pub created_at: u64,
}

/// A sponsored message as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SponsoredMessage {
    /// The campaign (to report it shown, clicked or reported).
    pub campaign: CampaignId,
    /// The channel it is shown in.
    pub channel: ChannelId,
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Where its button leads.
    pub target: SponsoredTarget,
    /// The button's label.
    pub button: String,
}

/// What a reader did with a sponsored message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SponsoredAction {
    /// It was on screen.
    Shown,
    /// Its button was pressed.
    Clicked,
    /// The reader reported it.
    Reported,
}

/// What sponsored messages earned a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelEarnings {
    /// Sponsored messages shown in the channel.
    pub shown: u64,
    /// The owner's half of the revenue, in thousandths of a credit (one credit per
    /// impression is what an advertiser's budget pays).
    pub credits_milli: u64,
}
