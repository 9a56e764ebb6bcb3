//! Clocks that drive the loopback: simulated for tests, wall-clock for measurements.

use std::time::{Duration, Instant};

/// A monotonic clock measured from the start of a run.
pub trait Clock {
    /// Time since the start.
    fn now(&self) -> Duration;
    /// Waits (or jumps) until `deadline`.
    fn advance_to(&mut self, deadline: Duration);
}

/// A clock that jumps straight to each deadline: no sleeping, fully deterministic.
#[derive(Debug, Default, Clone, Copy)]
pub struct SimClock {
    now: Duration,
}

impl SimClock {
    /// A clock at zero.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Clock for SimClock {
    fn now(&self) -> Duration {
        self.now
    }

    fn advance_to(&mut self, deadline: Duration) {
        self.now = self.now.max(deadline);
    }
}

/// The real clock: sleeps until each deadline, so processing time counts.
#[derive(Debug, Clone, Copy)]
pub struct WallClock {
    start: Instant,
}

impl WallClock {
    /// A clock whose zero is now.
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
        }
    }
}

impl Clock for WallClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn advance_to(&mut self, deadline: Duration) {
        let now = self.now();
        if deadline > now {
            std::thread::sleep(deadline - now);
        }
    }
}
