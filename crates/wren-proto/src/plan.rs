//! Plans: everything free stays free; the Business plan unlocks extras, and the server
//! enforces what each plan allows.

use serde::{Deserialize, Serialize};

/// An account's plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PlanKind {
    /// Every free feature.
    #[default]
    Free,
    /// Extras for businesses: no sponsored messages, doubled limits, a business profile.
    Business,
}

/// What a plan allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanLimits {
    /// Public channels the account may own.
    pub public_channels: u32,
    /// Chats the account may pin.
    pub pinned_chats: u32,
    /// Whether the account may have a business profile.
    pub business_profile: bool,
    /// Whether sponsored messages are shown to the account.
    pub sponsored_messages: bool,
}

impl PlanKind {
    /// What this plan allows.
    pub fn limits(self) -> PlanLimits {
        match self {
            PlanKind::Free => PlanLimits {
                public_channels: crate::rules::FREE_PUBLIC_CHANNELS,
                pinned_chats: crate::rules::FREE_PINNED_CHATS,
                business_profile: false,
                sponsored_messages: true,
            },
            PlanKind::Business => PlanLimits {
                public_channels: crate::rules::FREE_PUBLIC_CHANNELS * 2,
                pinned_chats: crate::rules::FREE_PINNED_CHATS * 2,
                business_profile: true,
                sponsored_messages: false,
            },
        }
    }
}

/// The caller's plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanInfo {
    /// The plan in force now.
    pub plan: PlanKind,
    /// When a Business plan ends, in Unix milliseconds (`None`: no end, or Free).
    pub until: Option<u64>,
    /// What it allows.
    pub limits: PlanLimits,
}

/// Opening hours on one day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpeningHours {
    /// 0 = Monday … 6 = Sunday.
    pub day: u8,
    /// Minutes after midnight (UTC offset applied) when it opens.
    pub opens: u16,
    /// Minutes after midnight when it closes (after `opens`, at most 1,440).
    pub closes: u16,
}

/// A quick reply: a shortcut the business types to send a saved text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickReply {
    /// The shortcut, 1–32 of `a-z 0-9 _`.
    pub shortcut: String,
    /// The text it sends.
    pub text: String,
}

/// A business's public profile (Business plan only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessProfile {
    /// Opening hours, at most one entry per day.
    pub hours: Vec<OpeningHours>,
    /// The offset of the business's local time from UTC, in minutes.
    pub utc_offset_minutes: i16,
    /// The address.
    pub address: String,
    /// The start page a new contact sees before the first message.
    pub start_page: String,
    /// Sent to a new contact automatically.
    pub greeting: String,
    /// Sent outside opening hours.
    pub away_message: String,
    /// Saved replies.
    pub quick_replies: Vec<QuickReply>,
}
