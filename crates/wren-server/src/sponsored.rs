//! Counting each account once per sponsored message, without writing down who: the
//! server remembers, in memory only and for the current hour, which (account, campaign,
//! channel, action) it has counted. Nothing of it reaches a table, a log or a metric; it
//! is gone at the next hour or restart.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};
use wren_proto::{AccountId, CampaignId, ChannelId, SponsoredAction};

/// The length of a counting window.
const WINDOW_MS: u64 = 3_600_000;
/// The most events remembered in one window; past it, events are not counted (a count
/// short under a flood is better than memory without bound).
const CAPACITY: usize = 1_000_000;

type Key = (AccountId, CampaignId, ChannelId, SponsoredAction);

/// Which events were counted in the current window.
#[derive(Debug, Default)]
pub(crate) struct SeenOnce {
    window: Mutex<(u64, HashSet<Key>)>,
}

impl SeenOnce {
    /// Whether this event is the first of its kind in the window (and so counts).
    pub(crate) fn first(
        &self,
        account: AccountId,
        campaign: CampaignId,
        channel: ChannelId,
        action: SponsoredAction,
    ) -> bool {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if window.0 != now / WINDOW_MS {
            *window = (now / WINDOW_MS, HashSet::new());
        }
        window.1.len() < CAPACITY && window.1.insert((account, campaign, channel, action))
    }
}
