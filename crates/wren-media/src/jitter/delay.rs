//! Estimates the playout offset a stream needs from recent transit times.

use std::collections::VecDeque;
use std::time::Duration;

use crate::jitter::micros;

/// Largest transit time recorded, in microseconds (one hour).
const MAX_TRANSIT: i64 = 3_600_000_000;

/// Keeps the last `window` transit times (receive time minus capture time) and proposes an
/// offset that covers a chosen quantile of them plus a safety margin.
#[derive(Debug, Clone)]
pub struct DelayEstimator {
    samples: VecDeque<i64>,
    window: usize,
    quantile: f64,
    margin: i64,
}

impl DelayEstimator {
    /// An estimator over `window` samples covering `quantile` (0..=1) of them plus `margin`.
    pub fn new(window: usize, quantile: f64, margin: Duration) -> Self {
        Self {
            samples: VecDeque::with_capacity(window),
            window: window.max(1),
            quantile: quantile.clamp(0.0, 1.0),
            margin: micros(margin),
        }
    }

    /// Records one transit time in microseconds (may be negative across unsynchronized clocks;
    /// clamped to an hour either way so that offsets derived from it cannot overflow).
    pub fn record(&mut self, transit: i64) {
        let transit = transit.clamp(-MAX_TRANSIT, MAX_TRANSIT);
        if self.samples.len() == self.window {
            self.samples.pop_front();
        }
        self.samples.push_back(transit);
    }

    /// The proposed playout offset in microseconds, once anything was recorded.
    pub fn target(&self) -> Option<i64> {
        if self.samples.is_empty() {
            return None;
        }
        let mut sorted: Vec<i64> = self.samples.iter().copied().collect();
        sorted.sort_unstable();
        let index = ((sorted.len() - 1) as f64 * self.quantile).round() as usize;
        Some(sorted[index] + self.margin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_jitter_up_and_back_down() {
        let mut d = DelayEstimator::new(100, 0.95, Duration::from_millis(5));
        for i in 0..100 {
            d.record(20_000 + (i % 10) * 3_000);
        }
        let high = d.target().expect("target");
        assert!((45_000..=52_000).contains(&high), "{high}");
        for _ in 0..100 {
            d.record(20_000);
        }
        assert_eq!(d.target(), Some(25_000));
    }
}
