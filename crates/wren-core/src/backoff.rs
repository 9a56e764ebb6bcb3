//! Reconnect delays: exponential with full jitter, so that a thousand clients cut off at
//! once do not come back at once. Seeded, so tests are deterministic.

use std::time::Duration;

/// The reconnect schedule.
#[derive(Debug)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    attempt: u32,
    rng: fastrand::Rng,
}

impl Backoff {
    /// Delays start near `base`, double per failed attempt, and never exceed `max`.
    pub fn new(base: Duration, max: Duration, seed: u64) -> Self {
        Backoff {
            base,
            max,
            attempt: 0,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// The delay before the next attempt: uniform in [ceiling / 2, ceiling].
    pub fn next_delay(&mut self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt.min(16)).unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(factor).min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        let half = ceiling / 2;
        let jitter = self.rng.u64(0..=half.as_millis() as u64);
        half + Duration::from_millis(jitter)
    }

    /// A connection succeeded: start again from `base`.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_bounded_and_reset() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10), 7);
        let delays: Vec<Duration> = (0..12).map(|_| backoff.next_delay()).collect();
        assert!(delays[0] >= Duration::from_millis(50) && delays[0] <= Duration::from_millis(100));
        assert!(delays[3] >= Duration::from_millis(400) && delays[3] <= Duration::from_millis(800));
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(10)));
        assert!(delays[11] >= Duration::from_secs(5));
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }

    #[test]
    fn different_seeds_spread_clients_apart() {
        let a: Vec<_> = (0..5)
            .map({
                let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60), 1);
                move |_| b.next_delay()
            })
            .collect();
        let b: Vec<_> = (0..5)
            .map({
                let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60), 2);
                move |_| b.next_delay()
            })
            .collect();
        assert_ne!(a, b);
    }
}
