//! The chats the engine fetches: the whole list, page by page, for a reset, and single
//! chats that applied updates mention but the store does not have.

use super::{Phase, SyncAction, SyncEngine, Ticket, Wait};
use std::time::Instant;
use wren_proto::{ChatId, ChatInfo, Pts};

/// A reset under way: the chat list so far.
#[derive(Debug)]
pub(super) struct ResetState {
    pub(super) current: Pts,
    pub(super) chats: Vec<ChatInfo>,
    pub(super) wait: Wait,
}

/// Fetching one chat the store lacks.
#[derive(Debug)]
pub(super) struct ChatFetch {
    pub(super) wait: Wait,
    pub(super) failures: u32,
}

impl SyncEngine {
    /// The answer to a [`SyncAction::RequestChats`]: one page of the chat list, and whether
    /// more follow.
    pub fn on_chats(
        &mut self,
        ticket: Ticket,
        page: Vec<ChatInfo>,
        more: bool,
        now: Instant,
    ) -> Vec<SyncAction> {
        let mut reset = match std::mem::replace(&mut self.phase, Phase::Offline) {
            Phase::Reset(reset) if reset.wait.awaits(ticket) => reset,
            other => {
                self.phase = other;
                return Vec::new();
            }
        };
        let valid = page_continues(reset.chats.last().map(|c| c.id), &page, more);
        if !valid {
            self.phase = Phase::Reset(reset);
            return self.reset_failed(now);
        }
        self.failures = 0;
        self.backoff.reset();
        reset.chats.extend(page);
        if more {
            self.phase = Phase::Reset(reset);
            return self.request_chats(now);
        }
        self.pts = self.pts.max(reset.current);
        self.remote = self.remote.max(reset.current);
        self.fetch_origin = self.pts;
        let mut actions = vec![SyncAction::Reset {
            chats: reset.chats,
            pts: self.pts,
        }];
        // Live updates buffered during the reset may continue from its `pts`.
        let mut batch = Vec::new();
        self.take_buffered(&mut batch);
        if !batch.is_empty() {
            actions.push(SyncAction::Apply(batch));
        }
        if self.remote > self.pts {
            actions.extend(self.fetch(now));
        } else {
            self.phase = Phase::Live;
            actions.extend(self.drain_buffer(now));
        }
        actions
    }

    /// Applied updates mention these chats, which the store does not have: fetch them.
    pub fn on_unknown_chats(
        &mut self,
        chats: impl IntoIterator<Item = ChatId>,
        now: Instant,
    ) -> Vec<SyncAction> {
        let mut actions = Vec::new();
        if matches!(self.phase, Phase::Offline | Phase::Reset(_)) {
            // Offline nothing is applied; a reset brings every chat anyway.
            return actions;
        }
        for chat in chats {
            if self.chat_fetches.contains_key(&chat) {
                continue;
            }
            self.chat_fetches.insert(
                chat,
                ChatFetch {
                    wait: Wait::Retry { at: now },
                    failures: 0,
                },
            );
            actions.extend(self.request_chat(chat, now, 0));
        }
        actions
    }

    /// A chat asked for with [`SyncAction::RequestChat`] is stored, or the server said it
    /// is not the account's to see (nothing to fetch then).
    pub fn on_chat_fetched(&mut self, chat: ChatId) {
        if self.chat_fetches.remove(&chat).is_some() {
            self.chat_backoff.reset();
        }
    }

    /// Refetches the chat list, to continue from `current` once it is stored.
    pub(super) fn start_reset(&mut self, current: Pts, now: Instant) -> Vec<SyncAction> {
        self.failures = 0;
        // The new list brings these chats too.
        self.chat_fetches.clear();
        self.phase = Phase::Reset(ResetState {
            current,
            chats: Vec::new(),
            wait: Wait::Retry { at: now },
        });
        self.request_chats(now)
    }

    /// Asks for the page after the chats fetched so far.
    pub(super) fn request_chats(&mut self, now: Instant) -> Vec<SyncAction> {
        let (ticket, wait) = self.next_wait(now);
        match &mut self.phase {
            Phase::Reset(reset) => {
                reset.wait = wait;
                vec![SyncAction::RequestChats {
                    ticket,
                    after: reset.chats.last().map(|c| c.id),
                }]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn reset_failed(&mut self, now: Instant) -> Vec<SyncAction> {
        self.failures += 1;
        if self.failures >= self.settings.attempts {
            self.failures = 0;
            self.on_disconnected();
            return vec![SyncAction::Reconnect {
                reason: format!(
                    "the chat list could not be fetched in {} attempts",
                    self.settings.attempts
                ),
            }];
        }
        let at = now + self.backoff.next_delay();
        if let Phase::Reset(reset) = &mut self.phase {
            reset.wait = Wait::Retry { at };
        }
        Vec::new()
    }

    pub(super) fn request_chat(
        &mut self,
        chat: ChatId,
        now: Instant,
        failures: u32,
    ) -> Vec<SyncAction> {
        let (ticket, wait) = self.next_wait(now);
        match self.chat_fetches.get_mut(&chat) {
            Some(fetch) => {
                *fetch = ChatFetch { wait, failures };
                vec![SyncAction::RequestChat { ticket, chat }]
            }
            None => Vec::new(),
        }
    }

    pub(super) fn chat_fetch_failed(&mut self, chat: ChatId, now: Instant) -> Vec<SyncAction> {
        if matches!(self.phase, Phase::Offline) {
            return Vec::new();
        }
        let Some(fetch) = self.chat_fetches.get_mut(&chat) else {
            return Vec::new();
        };
        fetch.failures += 1;
        if fetch.failures >= self.settings.attempts {
            let current = self.remote;
            return self.start_reset(current, now);
        }
        fetch.wait = Wait::Retry {
            at: now + self.chat_backoff.next_delay(),
        };
        Vec::new()
    }
}

/// Whether a page of the chat list keeps the paging contract: ids ascending and after the
/// pages before, and not empty while more follow (which would ask for the same page again
/// forever).
fn page_continues(after: Option<ChatId>, page: &[ChatInfo], more: bool) -> bool {
    if more && page.is_empty() {
        return false;
    }
    let mut last = after;
    page.iter().all(|chat| {
        let ascending = last.is_none_or(|last| chat.id > last);
        last = Some(chat.id);
        ascending
    })
}
