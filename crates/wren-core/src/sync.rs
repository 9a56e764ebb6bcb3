//! The sync state machine (no IO): which updates to apply, in which order, and when to ask
//! the server for the difference.
//!
//! The account's update log is gap-free: update `pts = n` may only be applied right after
//! `n - 1`. The engine keeps the last `pts` handed out for applying and:
//!
//! * applies a live update that follows it at once, and ignores one it has already seen;
//! * buffers an update that leaves a gap, and when the gap is still open after
//!   `gap_wait` asks for the difference since its `pts` (a heartbeat that reports a higher
//!   `pts` opens a gap the same way);
//! * on connect, and after every gap, fetches the difference page by page, buffering live
//!   updates meanwhile, then drains the buffer;
//! * when the server says the store is too far behind, asks the driver to reset (refetch
//!   the chat list) and continues from the server's `pts`.
//!
//! The driver applies each `Apply` batch together with its last `pts` in one transaction,
//! which makes application exactly-once across crashes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use wren_proto::{Difference, Pts, UpdateEnvelope};

/// What the driver must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncAction {
    /// Apply these consecutive updates, then store the last one's `pts`.
    Apply(Vec<UpdateEnvelope>),
    /// Send `GetDifference { since, limit }`.
    RequestDifference {
        /// The last applied `pts`.
        since: Pts,
        /// The page size.
        limit: u32,
    },
    /// Refetch the chat list, then call [`SyncEngine::on_reset`] with `current`.
    Reset {
        /// The server's `pts` to continue from.
        current: Pts,
    },
    /// Catch-up progress, for a progress bar.
    Progress {
        /// Updates applied since the catch-up started.
        done: u64,
        /// Updates to apply in all.
        total: u64,
    },
    /// Everything the server has is applied.
    CaughtUp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Offline,
    Live,
    GapWait { deadline: Instant },
    Fetching,
}

/// The sync state machine.
#[derive(Debug)]
pub struct SyncEngine {
    pts: Pts,
    remote: Pts,
    buffer: BTreeMap<Pts, UpdateEnvelope>,
    phase: Phase,
    fetch_origin: Pts,
    gap_wait: Duration,
    page: u32,
}

impl SyncEngine {
    /// An engine whose store has applied everything up to `pts`.
    pub fn new(pts: Pts) -> Self {
        SyncEngine::with_settings(
            pts,
            Duration::from_millis(500),
            wren_proto::rules::MAX_DIFFERENCE_PAGE,
        )
    }

    /// As [`SyncEngine::new`], with the gap wait and difference page size chosen.
    pub fn with_settings(pts: Pts, gap_wait: Duration, page: u32) -> Self {
        SyncEngine {
            pts,
            remote: pts,
            buffer: BTreeMap::new(),
            phase: Phase::Offline,
            fetch_origin: pts,
            gap_wait,
            page,
        }
    }

    /// The last `pts` handed out for applying.
    pub fn pts(&self) -> Pts {
        self.pts
    }

    /// Whether everything known to exist has been applied and nothing is being fetched.
    pub fn is_caught_up(&self) -> bool {
        self.phase == Phase::Live && self.pts >= self.remote
    }

    /// Signed in; the server's `pts` is `remote`.
    pub fn on_connected(&mut self, remote: Pts) -> Vec<SyncAction> {
        self.remote = self.remote.max(remote);
        self.buffer.clear();
        if self.remote > self.pts {
            self.fetch()
        } else {
            self.phase = Phase::Live;
            vec![SyncAction::CaughtUp]
        }
    }

    /// The connection is gone.
    pub fn on_disconnected(&mut self) {
        self.phase = Phase::Offline;
        self.buffer.clear();
    }

    /// A live update arrived.
    pub fn on_update(&mut self, update: UpdateEnvelope, now: Instant) -> Vec<SyncAction> {
        self.remote = self.remote.max(update.pts);
        if update.pts <= self.pts || self.phase == Phase::Offline {
            return Vec::new();
        }
        self.buffer.insert(update.pts, update);
        if self.phase == Phase::Fetching {
            return Vec::new();
        }
        self.drain_buffer(now)
    }

    /// The server reported its `pts` (heartbeat answer).
    pub fn on_remote_pts(&mut self, remote: Pts, now: Instant) {
        self.remote = self.remote.max(remote);
        if self.phase == Phase::Live && self.remote > self.pts {
            self.phase = Phase::GapWait {
                deadline: now + self.gap_wait,
            };
        }
    }

    /// The answer to the last `RequestDifference`.
    pub fn on_difference(&mut self, difference: Difference, now: Instant) -> Vec<SyncAction> {
        if self.phase != Phase::Fetching {
            return Vec::new();
        }
        let (updates, current) = match difference {
            Difference::TooFarBehind { current } => {
                self.remote = self.remote.max(current);
                return vec![SyncAction::Reset { current }];
            }
            Difference::Updates { updates, current } => (updates, current),
        };
        self.remote = self.remote.max(current);
        let mut batch = Vec::new();
        for update in updates {
            if update.pts <= self.pts {
                continue;
            }
            if update.pts != self.pts.next() {
                break;
            }
            self.pts = update.pts;
            batch.push(update);
        }
        // Live updates buffered during the fetch may continue where the page ended.
        self.take_buffered(&mut batch);
        let progressed = !batch.is_empty();
        let mut actions = Vec::new();
        if progressed {
            actions.push(SyncAction::Apply(batch));
            actions.push(self.progress());
        }
        if self.pts < self.remote {
            if progressed {
                actions.push(self.request());
            } else {
                // The server answered without the next update: wait, then ask again.
                self.phase = Phase::GapWait {
                    deadline: now + self.gap_wait,
                };
            }
            return actions;
        }
        self.phase = Phase::Live;
        actions.extend(self.drain_buffer(now));
        actions
    }

    /// A difference request failed (an error answer): try again after the gap wait.
    pub fn on_difference_failed(&mut self, now: Instant) {
        if self.phase == Phase::Fetching {
            self.phase = Phase::GapWait {
                deadline: now + self.gap_wait,
            };
        }
    }

    /// The driver has refetched the chat list after `Reset`; continue from `current`.
    pub fn on_reset(&mut self, current: Pts, now: Instant) -> Vec<SyncAction> {
        self.pts = self.pts.max(current);
        self.fetch_origin = self.pts;
        if self.remote > self.pts {
            return self.fetch();
        }
        self.phase = Phase::Live;
        self.drain_buffer(now)
    }

    /// When [`SyncEngine::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::GapWait { deadline } => Some(deadline),
            _ => None,
        }
    }

    /// Time has passed; a gap still open at its deadline turns into a difference request.
    pub fn handle_timeout(&mut self, now: Instant) -> Vec<SyncAction> {
        match self.phase {
            Phase::GapWait { deadline } if now >= deadline => self.fetch(),
            _ => Vec::new(),
        }
    }

    fn fetch(&mut self) -> Vec<SyncAction> {
        self.phase = Phase::Fetching;
        self.fetch_origin = self.pts;
        vec![self.request()]
    }

    fn request(&self) -> SyncAction {
        SyncAction::RequestDifference {
            since: self.pts,
            limit: self.page,
        }
    }

    fn progress(&self) -> SyncAction {
        SyncAction::Progress {
            done: self.pts.0.saturating_sub(self.fetch_origin.0),
            total: self.remote.0.saturating_sub(self.fetch_origin.0),
        }
    }

    /// Moves buffered updates that continue the sequence into `batch`.
    fn take_buffered(&mut self, batch: &mut Vec<UpdateEnvelope>) {
        while let Some(entry) = self.buffer.first_entry() {
            let pts = *entry.key();
            if pts <= self.pts {
                entry.remove();
            } else if pts == self.pts.next() {
                batch.push(entry.remove());
                self.pts = pts;
            } else {
                break;
            }
        }
    }

    fn drain_buffer(&mut self, now: Instant) -> Vec<SyncAction> {
        let mut batch = Vec::new();
        self.take_buffered(&mut batch);
        let mut actions = Vec::new();
        if !batch.is_empty() {
            actions.push(SyncAction::Apply(batch));
        }
        if self.buffer.is_empty() && self.pts >= self.remote {
            self.phase = Phase::Live;
            actions.push(SyncAction::CaughtUp);
        } else if !matches!(self.phase, Phase::GapWait { .. }) {
            self.phase = Phase::GapWait {
                deadline: now + self.gap_wait,
            };
        }
        actions
    }
}

#[cfg(test)]
mod tests;
