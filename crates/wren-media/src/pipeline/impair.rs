//! A network impairment stage: random loss, delay, jitter, reordering and a bottleneck.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

/// How badly the simulated network behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpairmentConfig {
    /// Probability (0..=1) that an item is dropped.
    pub loss: f64,
    /// Probability (0..=1) that an item is held back by an extra 20 ms, past later ones.
    pub reorder: f64,
    /// Each item gets a uniformly random extra delay in `0..=jitter`.
    pub jitter: Duration,
    /// Fixed one-way delay.
    pub delay: Duration,
    /// Seed of the random generator, so runs can be repeated.
    pub seed: u64,
    /// A bottleneck of this many bits per second, with a queue of [`Self::max_queue`]
    /// in front of it (`None`: no limit).
    pub bandwidth_bps: Option<u64>,
    /// The longest the bottleneck's queue holds an item; what would wait longer is dropped.
    pub max_queue: Duration,
}

impl Default for ImpairmentConfig {
    fn default() -> Self {
        Self {
            loss: 0.0,
            reorder: 0.0,
            jitter: Duration::ZERO,
            delay: Duration::from_millis(10),
            seed: 1,
            bandwidth_bps: None,
            max_queue: Duration::from_millis(200),
        }
    }
}

/// Counters kept by an [`Impairment`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImpairmentStats {
    /// Items pushed.
    pub sent: u64,
    /// Items dropped.
    pub dropped: u64,
    /// Items held back for reordering.
    pub reordered: u64,
    /// Items dropped because the bottleneck's queue was full.
    pub overflowed: u64,
}

/// A sans-IO one-way link: push items with the send time, poll them out when delivered.
#[derive(Debug)]
pub struct Impairment<T> {
    config: ImpairmentConfig,
    rng: fastrand::Rng,
    queue: BinaryHeap<Reverse<(Duration, u64)>>,
    items: std::collections::HashMap<u64, T>,
    order: u64,
    /// When the bottleneck finishes sending what it holds.
    link_free_at: Duration,
    stats: ImpairmentStats,
}

impl<T> Impairment<T> {
    /// A link with the given behaviour.
    pub fn new(config: ImpairmentConfig) -> Self {
        Self {
            config,
            rng: fastrand::Rng::with_seed(config.seed),
            queue: BinaryHeap::new(),
            items: std::collections::HashMap::new(),
            order: 0,
            link_free_at: Duration::ZERO,
            stats: ImpairmentStats::default(),
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> ImpairmentStats {
        self.stats
    }

    /// Sends an item at `now` (a bottleneck, if any, counts it as empty).
    pub fn push(&mut self, item: T, now: Duration) {
        self.push_sized(item, 0, now);
    }

    /// Sends an item of `len` bytes at `now`.
    pub fn push_sized(&mut self, item: T, len: usize, now: Duration) {
        self.stats.sent += 1;
        if self.rng.f64() < self.config.loss {
            self.stats.dropped += 1;
            return;
        }
        let mut departs = now;
        if let Some(bps) = self.config.bandwidth_bps.filter(|&bps| bps > 0) {
            let start = self.link_free_at.max(now);
            if start - now > self.config.max_queue {
                self.stats.dropped += 1;
                self.stats.overflowed += 1;
                return;
            }
            departs = start + Duration::from_secs_f64(len as f64 * 8.0 / bps as f64);
            self.link_free_at = departs;
        }
        let jitter = self.config.jitter.mul_f64(self.rng.f64());
        let mut at = departs + self.config.delay + jitter;
        if self.rng.f64() < self.config.reorder {
            self.stats.reordered += 1;
            at += Duration::from_millis(20);
        }
        self.order += 1;
        self.queue.push(Reverse((at, self.order)));
        self.items.insert(self.order, item);
    }

    /// Delivers the next item due at `now`; call until `None`.
    pub fn poll(&mut self, now: Duration) -> Option<T> {
        let Reverse((at, order)) = *self.queue.peek()?;
        if at > now {
            return None;
        }
        self.queue.pop();
        self.items.remove(&order)
    }

    /// When the next item is delivered, if any is in flight.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.queue.peek().map(|Reverse((at, _))| *at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loses_about_the_configured_share_and_delays_within_bounds() {
        let mut link = Impairment::new(ImpairmentConfig {
            loss: 0.1,
            jitter: Duration::from_millis(30),
            delay: Duration::from_millis(20),
            ..ImpairmentConfig::default()
        });
        for i in 0..10_000u32 {
            link.push(i, Duration::ZERO);
        }
        assert!(link.poll(Duration::from_millis(19)).is_none());
        let delivered: Vec<u32> =
            std::iter::from_fn(|| link.poll(Duration::from_millis(50))).collect();
        assert!(
            (8_800..=9_200).contains(&delivered.len()),
            "{}",
            delivered.len()
        );
        assert!(delivered.windows(2).any(|w| w[0] > w[1]), "jitter reorders");
        assert_eq!(link.poll_timeout(), None);
    }
}
