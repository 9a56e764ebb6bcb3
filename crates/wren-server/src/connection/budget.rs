//! What one connection may hold in memory for its peer: answers computed but not yet
//! written, counted in bytes and in requests. The reading side stops reading requests
//! while either is over its limit, so a peer that asks much and reads slowly holds at
//! most [`HIGH_WATER`] bytes (plus the few answers being computed), not whatever it asks.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// Bytes of unwritten answers above which the connection stops reading requests: one
/// full page, so a connection holds at most two pages for a peer that does not read.
pub(super) const HIGH_WATER: usize = wren_proto::codec::MAX_SERVER_FRAME_BYTES;
/// Requests of one connection answered but not yet written; reading pauses beyond this.
pub(super) const MAX_IN_FLIGHT: usize = 256;

/// The connection's count of unwritten answers.
#[derive(Debug)]
pub(super) struct Budget {
    bytes: AtomicUsize,
    requests: Arc<Semaphore>,
    drained: Notify,
}

/// One request's share of the budget: its request slot now, its answer's bytes once the
/// answer is encoded. Dropping it (after the answer is written, or when the answer is
/// abandoned) gives both back.
#[derive(Debug)]
pub(super) struct Held {
    _request: OwnedSemaphorePermit,
    bytes: usize,
    budget: Arc<Budget>,
}

impl Budget {
    /// An empty budget.
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Budget {
            bytes: AtomicUsize::new(0),
            requests: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            drained: Notify::new(),
        })
    }

    /// Whether the connection may read another request now.
    pub(super) fn has_room(&self) -> bool {
        self.bytes.load(Ordering::Acquire) < HIGH_WATER && self.requests.available_permits() > 0
    }

    /// Resolves when some of the budget was given back; check [`Budget::has_room`] again.
    pub(super) async fn drained(&self) {
        self.drained.notified().await;
    }

    /// Takes a request slot, if one is free.
    pub(super) fn take_request(self: &Arc<Self>) -> Option<Held> {
        let permit = Arc::clone(&self.requests).try_acquire_owned().ok()?;
        Some(Held {
            _request: permit,
            bytes: 0,
            budget: Arc::clone(self),
        })
    }

    /// Waits until every request slot is free (every answer written), so that a closing
    /// connection sends the answers it owes first.
    pub(super) async fn all_written(&self) {
        let _all = self.requests.acquire_many(MAX_IN_FLIGHT as u32).await;
    }

    /// Bytes of answers not yet written.
    #[cfg(test)]
    pub(super) fn queued_bytes(&self) -> usize {
        self.bytes.load(Ordering::Acquire)
    }
}

impl Held {
    /// Counts the answer's `bytes` against the budget until this is dropped.
    pub(super) fn charge(&mut self, bytes: usize) {
        self.budget.bytes.fetch_add(bytes, Ordering::AcqRel);
        self.bytes += bytes;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.bytes.fetch_sub(self.bytes, Ordering::AcqRel);
        self.budget.drained.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_pauses_over_the_byte_limit_until_answers_are_written() {
        let budget = Budget::new();
        let mut big = budget.take_request().expect("slot");
        big.charge(HIGH_WATER);
        assert!(!budget.has_room(), "one full answer pauses reading");
        let small = budget.take_request();
        assert!(
            small.is_some(),
            "request slots are counted apart from bytes"
        );
        drop(big);
        assert!(budget.has_room());
        assert_eq!(budget.queued_bytes(), 0);
    }

    #[test]
    fn reading_pauses_when_every_request_slot_is_taken() {
        let budget = Budget::new();
        let held: Vec<Held> = (0..MAX_IN_FLIGHT)
            .map(|_| budget.take_request().expect("slot"))
            .collect();
        assert!(!budget.has_room());
        assert!(budget.take_request().is_none());
        drop(held);
        assert!(budget.has_room());
    }
}
