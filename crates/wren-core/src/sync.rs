//! The sync state machine (no IO): which updates to apply, in which order, and what to ask
//! the server for.
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
//! * when the server says the store is too far behind, resets: fetches the whole chat list
//!   page by page (`GetChats` with `after` = the last id of the page before, while the
//!   server says `more`), hands it to the driver in one [`SyncAction::Reset`] with the
//!   server's `pts`, and continues from there;
//! * fetches the chats that applied updates mention but the store does not have.
//!
//! Nothing waits forever. Every request the engine makes carries a [`Ticket`] and times
//! out after `request_timeout`. A timeout, an error answer, a difference page that does
//! not continue at `pts + 1` and a chat page that breaks the paging contract (ids not
//! ascending, or empty while `more`) each count as a failed attempt, which is tried again
//! after a [`Backoff`] delay, at most `attempts` times in a row. Then the engine escalates:
//!
//! | keeps failing      | then                                                       |
//! |--------------------|------------------------------------------------------------|
//! | the difference     | a reset, continuing from the highest `pts` known           |
//! | fetching one chat  | a reset (the chat list brings every chat)                  |
//! | the reset          | [`SyncAction::Reconnect`]: a new connection, after the driver's own backoff |
//!
//! An answer that makes progress starts the count and the delays afresh; an answer to a
//! ticket the engine has given up on is ignored.
//!
//! The driver applies each `Apply` batch together with its last `pts`, and each `Reset`
//! list together with its `pts`, in one transaction, which makes application exactly-once
//! across crashes.

mod chats;

use crate::backoff::Backoff;
use chats::{ChatFetch, ResetState};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use wren_proto::{ChatId, ChatInfo, Difference, Pts, UpdateEnvelope};

/// Names one request of the engine. The driver hands it back with the answer, so that the
/// answer to a request the engine has given up on is recognised and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket(u64);

/// What the driver must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncAction {
    /// Apply these consecutive updates, then store the last one's `pts`; report the chats
    /// they mention that the store does not have to [`SyncEngine::on_unknown_chats`].
    Apply(Vec<UpdateEnvelope>),
    /// Send `GetDifference { since, limit }`; pass the answer to
    /// [`SyncEngine::on_difference`].
    RequestDifference {
        /// Identifies the answer.
        ticket: Ticket,
        /// The last applied `pts`.
        since: Pts,
        /// The page size.
        limit: u32,
    },
    /// Send `GetChats { after }`; pass the answer to [`SyncEngine::on_chats`].
    RequestChats {
        /// Identifies the answer.
        ticket: Ticket,
        /// The last chat id of the pages so far; `None` for the first page.
        after: Option<ChatId>,
    },
    /// Replace the store's chat list with `chats` (every chat the account is in) and store
    /// `pts`, in one transaction.
    Reset {
        /// The whole chat list, by ascending id.
        chats: Vec<ChatInfo>,
        /// The `pts` the list is current for.
        pts: Pts,
    },
    /// Send `GetChat { chat }`, store the answer, then call
    /// [`SyncEngine::on_chat_fetched`].
    RequestChat {
        /// Identifies the answer.
        ticket: Ticket,
        /// The chat the store lacks.
        chat: ChatId,
    },
    /// Sync cannot go on over this connection: drop it and connect again.
    Reconnect {
        /// Why, for the logs and the connection status.
        reason: String,
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

/// How the engine paces itself.
#[derive(Clone, Copy, Debug)]
pub struct SyncSettings {
    /// How long a gap may stay open before the engine asks for the difference.
    pub gap_wait: Duration,
    /// The difference page size.
    pub page: u32,
    /// How long the engine waits for the answer to one of its requests.
    pub request_timeout: Duration,
    /// How many times in a row a request is tried before the engine escalates.
    pub attempts: u32,
    /// The first delay before trying again; it doubles per failure, with jitter.
    pub retry_base: Duration,
    /// The longest delay before trying again.
    pub retry_max: Duration,
    /// Seeds the jitter of the delays.
    pub seed: u64,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            gap_wait: Duration::from_millis(500),
            page: wren_proto::rules::MAX_DIFFERENCE_PAGE,
            request_timeout: Duration::from_secs(30),
            attempts: 5,
            retry_base: Duration::from_millis(500),
            retry_max: Duration::from_secs(30),
            seed: 0,
        }
    }
}

/// Where one request of the engine stands.
#[derive(Clone, Copy, Debug)]
enum Wait {
    /// In flight; it counts as failed at `deadline`.
    Answer { ticket: Ticket, deadline: Instant },
    /// The last attempt failed; the next one goes out at `at`.
    Retry { at: Instant },
}

impl Wait {
    fn due(self) -> Instant {
        match self {
            Wait::Answer { deadline, .. } => deadline,
            Wait::Retry { at } => at,
        }
    }

    fn awaits(self, ticket: Ticket) -> bool {
        matches!(self, Wait::Answer { ticket: t, .. } if t == ticket)
    }
}

#[derive(Debug)]
enum Phase {
    Offline,
    Live,
    GapWait { deadline: Instant },
    Difference(Wait),
    Reset(ResetState),
}

/// The sync state machine.
#[derive(Debug)]
pub struct SyncEngine {
    settings: SyncSettings,
    pts: Pts,
    remote: Pts,
    buffer: BTreeMap<Pts, UpdateEnvelope>,
    phase: Phase,
    fetch_origin: Pts,
    /// Failed attempts in a row of the difference or the reset.
    failures: u32,
    backoff: Backoff,
    chat_fetches: BTreeMap<ChatId, ChatFetch>,
    chat_backoff: Backoff,
    next_ticket: u64,
}

impl SyncEngine {
    /// An engine whose store has applied everything up to `pts`.
    pub fn new(pts: Pts) -> Self {
        SyncEngine::with_settings(pts, SyncSettings::default())
    }

    /// As [`SyncEngine::new`], paced by `settings`.
    pub fn with_settings(pts: Pts, settings: SyncSettings) -> Self {
        let backoff = |seed| Backoff::new(settings.retry_base, settings.retry_max, seed);
        SyncEngine {
            pts,
            remote: pts,
            buffer: BTreeMap::new(),
            phase: Phase::Offline,
            fetch_origin: pts,
            failures: 0,
            backoff: backoff(settings.seed),
            chat_fetches: BTreeMap::new(),
            chat_backoff: backoff(!settings.seed),
            next_ticket: 0,
            settings,
        }
    }

    /// The last `pts` handed out for applying.
    pub fn pts(&self) -> Pts {
        self.pts
    }

    /// Whether everything known to exist has been applied and nothing is being fetched.
    pub fn is_caught_up(&self) -> bool {
        matches!(self.phase, Phase::Live) && self.pts >= self.remote && self.chat_fetches.is_empty()
    }

    /// Signed in; the server's `pts` is `remote`.
    pub fn on_connected(&mut self, remote: Pts, now: Instant) -> Vec<SyncAction> {
        self.buffer.clear();
        self.failures = 0;
        if remote < self.pts {
            // The server holds fewer updates than this device applied: it was restored
            // from a backup, and will number updates after `remote` again. Start over
            // from its chat list at its `pts`.
            self.pts = remote;
            self.remote = remote;
            return self.start_reset(remote, now);
        }
        self.remote = self.remote.max(remote);
        // Chats whose fetch the last connection did not finish.
        let chats: Vec<ChatId> = self.chat_fetches.keys().copied().collect();
        let mut actions = Vec::new();
        for chat in chats {
            actions.extend(self.request_chat(chat, now, 0));
        }
        if self.remote > self.pts {
            actions.extend(self.fetch(now));
        } else {
            self.phase = Phase::Live;
            actions.push(SyncAction::CaughtUp);
        }
        actions
    }

    /// The connection is gone. Requests in flight are forgotten; chats still to fetch are
    /// asked for again on the next connection.
    pub fn on_disconnected(&mut self) {
        self.phase = Phase::Offline;
        self.buffer.clear();
    }

    /// A live update arrived.
    pub fn on_update(&mut self, update: UpdateEnvelope, now: Instant) -> Vec<SyncAction> {
        self.remote = self.remote.max(update.pts);
        if update.pts <= self.pts || matches!(self.phase, Phase::Offline) {
            return Vec::new();
        }
        self.buffer.insert(update.pts, update);
        if matches!(self.phase, Phase::Difference(_) | Phase::Reset(_)) {
            return Vec::new();
        }
        self.drain_buffer(now)
    }

    /// The server reported its `pts` (heartbeat answer).
    pub fn on_remote_pts(&mut self, remote: Pts, now: Instant) {
        self.remote = self.remote.max(remote);
        if matches!(self.phase, Phase::Live) && self.remote > self.pts {
            self.phase = Phase::GapWait {
                deadline: now + self.settings.gap_wait,
            };
        }
    }

    /// The answer to a [`SyncAction::RequestDifference`].
    pub fn on_difference(
        &mut self,
        ticket: Ticket,
        difference: Difference,
        now: Instant,
    ) -> Vec<SyncAction> {
        if !matches!(self.phase, Phase::Difference(wait) if wait.awaits(ticket)) {
            return Vec::new();
        }
        let (updates, current) = match difference {
            Difference::TooFarBehind { current } => {
                self.remote = self.remote.max(current);
                return self.start_reset(current, now);
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
            self.failures = 0;
            self.backoff.reset();
            actions.push(SyncAction::Apply(batch));
            actions.push(self.progress());
        }
        if self.pts < self.remote {
            if progressed {
                actions.push(self.request_difference(now));
            } else {
                // The page does not continue at `pts + 1` (a gap in the server's answer, or
                // nothing at all): a failed attempt, not a reason to ask again at once.
                actions.extend(self.difference_failed(now));
            }
            return actions;
        }
        self.phase = Phase::Live;
        actions.extend(self.drain_buffer(now));
        actions
    }

    /// The request named by `ticket` failed (an error answer, or no answer on a lost
    /// connection): it is tried again after a delay, or the engine escalates.
    pub fn on_request_failed(&mut self, ticket: Ticket, now: Instant) -> Vec<SyncAction> {
        match &self.phase {
            Phase::Difference(wait) if wait.awaits(ticket) => return self.difference_failed(now),
            Phase::Reset(reset) if reset.wait.awaits(ticket) => return self.reset_failed(now),
            _ => {}
        }
        let chat = self
            .chat_fetches
            .iter()
            .find(|(_, fetch)| fetch.wait.awaits(ticket))
            .map(|(chat, _)| *chat);
        match chat {
            Some(chat) => self.chat_fetch_failed(chat, now),
            None => Vec::new(),
        }
    }

    /// When [`SyncEngine::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let lane = match &self.phase {
            Phase::Offline => return None,
            Phase::Live => None,
            Phase::GapWait { deadline } => Some(*deadline),
            Phase::Difference(wait) => Some(wait.due()),
            Phase::Reset(reset) => Some(reset.wait.due()),
        };
        let chats = self.chat_fetches.values().map(|fetch| fetch.wait.due());
        lane.into_iter().chain(chats).min()
    }

    /// Time has passed: a gap still open turns into a difference request, a request
    /// without an answer counts as failed, a retry delay that has ended sends it again.
    pub fn handle_timeout(&mut self, now: Instant) -> Vec<SyncAction> {
        let mut actions = match &self.phase {
            Phase::GapWait { deadline } if now >= *deadline => self.fetch(now),
            Phase::Difference(Wait::Answer { deadline, .. }) if now >= *deadline => {
                self.difference_failed(now)
            }
            Phase::Difference(Wait::Retry { at }) if now >= *at => {
                vec![self.request_difference(now)]
            }
            Phase::Reset(ResetState {
                wait: Wait::Answer { deadline, .. },
                ..
            }) if now >= *deadline => self.reset_failed(now),
            Phase::Reset(ResetState {
                wait: Wait::Retry { at },
                ..
            }) if now >= *at => self.request_chats(now),
            _ => Vec::new(),
        };
        if matches!(self.phase, Phase::Offline) {
            return actions;
        }
        let due: Vec<(ChatId, Wait, u32)> = self
            .chat_fetches
            .iter()
            .filter(|(_, fetch)| fetch.wait.due() <= now)
            .map(|(chat, fetch)| (*chat, fetch.wait, fetch.failures))
            .collect();
        for (chat, wait, failures) in due {
            match wait {
                Wait::Answer { .. } => actions.extend(self.chat_fetch_failed(chat, now)),
                Wait::Retry { .. } => actions.extend(self.request_chat(chat, now, failures)),
            }
        }
        actions
    }

    fn next_wait(&mut self, now: Instant) -> (Ticket, Wait) {
        self.next_ticket += 1;
        let ticket = Ticket(self.next_ticket);
        let deadline = now + self.settings.request_timeout;
        (ticket, Wait::Answer { ticket, deadline })
    }

    /// Starts a catch-up from the current `pts`.
    fn fetch(&mut self, now: Instant) -> Vec<SyncAction> {
        self.fetch_origin = self.pts;
        vec![self.request_difference(now)]
    }

    fn request_difference(&mut self, now: Instant) -> SyncAction {
        let (ticket, wait) = self.next_wait(now);
        self.phase = Phase::Difference(wait);
        SyncAction::RequestDifference {
            ticket,
            since: self.pts,
            limit: self.settings.page,
        }
    }

    fn difference_failed(&mut self, now: Instant) -> Vec<SyncAction> {
        self.failures += 1;
        if self.failures >= self.settings.attempts {
            let current = self.remote;
            return self.start_reset(current, now);
        }
        self.phase = Phase::Difference(Wait::Retry {
            at: now + self.backoff.next_delay(),
        });
        Vec::new()
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
                deadline: now + self.settings.gap_wait,
            };
        }
        actions
    }
}

#[cfg(test)]
mod tests;
