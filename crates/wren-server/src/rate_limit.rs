//! Limits on signing in: password attempts per client IP (register, login), failed
//! passwords per account whatever IPs they come from, and failed token resumes per IP.
//! IPv6 clients are counted per /64 ([`client_key`]).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use wren_proto::{ErrorBody, ErrorCode};

/// Allows `n` sign-in attempts per minute per IP, in bursts of up to `n`.
#[derive(Debug)]
pub(crate) struct AuthLimiter {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

impl AuthLimiter {
    /// A limiter for `per_minute` attempts per IP; 0 means no limit.
    pub(crate) fn new(per_minute: u32) -> Self {
        AuthLimiter {
            limiter: NonZeroU32::new(per_minute)
                .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n))),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one attempt from `ip`; refuses it with a retry hint when over the limit.
    pub(crate) fn check(&self, ip: IpAddr) -> Result<(), ErrorBody> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter.check_key(&client_key(ip)).map_err(|not_until| {
            rate_limited(
                "too many sign-in attempts; wait a moment and try again",
                not_until.wait_time_from(self.clock.now()),
            )
        })
    }

    /// Forgets IPs whose limit has fully recovered, so the table does not grow forever.
    pub(crate) fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Failures per key (an account, an IP) in a fixed window: after `max` failures, counted
/// from the first one, the key is refused until `window` has passed since that first
/// failure. A success clears the count. The table holds at most `capacity` keys; when it
/// is full, expired keys are forgotten first, and a key that still finds no room is
/// refused, so that nobody can make the server remember without bound.
#[derive(Debug)]
pub(crate) struct Failures<K> {
    max: u32,
    window: Duration,
    capacity: usize,
    keys: Mutex<HashMap<K, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    first: Instant,
    count: u32,
}

impl<K: Hash + Eq + Clone> Failures<K> {
    /// At most `max` failures per key per `window`, for at most `capacity` keys at once;
    /// `max` 0 means no limit.
    pub(crate) fn new(max: u32, window: Duration, capacity: usize) -> Self {
        Failures {
            max,
            window,
            capacity,
            keys: Mutex::new(HashMap::new()),
        }
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, HashMap<K, Window>> {
        self.keys.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long `key` must wait before its next attempt, if it has used up its failures.
    pub(crate) fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        if self.max == 0 {
            return None;
        }
        match self.keys().get(key) {
            Some(w) if w.count >= self.max && now < w.first + self.window => {
                Some(w.first + self.window - now)
            }
            _ => None,
        }
    }

    /// Counts a failure for `key`.
    pub(crate) fn failed(&self, key: &K, now: Instant) {
        if self.max == 0 {
            return;
        }
        let mut keys = self.keys();
        if !keys.contains_key(key) && keys.len() >= self.capacity {
            let window = self.window;
            keys.retain(|_, w| now < w.first + window);
            if keys.len() >= self.capacity {
                tracing::warn!("failure table full; not counting a failure");
                return;
            }
        }
        let entry = keys.entry(key.clone()).or_insert(Window {
            first: now,
            count: 0,
        });
        if now >= entry.first + self.window {
            *entry = Window {
                first: now,
                count: 0,
            };
        }
        entry.count = entry.count.saturating_add(1);
    }

    /// Clears `key`'s failures after a success.
    pub(crate) fn succeeded(&self, key: &K) {
        self.keys().remove(key);
    }

    /// Forgets keys whose window has passed, so the table does not grow forever.
    pub(crate) fn forget_idle(&self, now: Instant) {
        let window = self.window;
        self.keys().retain(|_, w| now < w.first + window);
    }

    /// How many keys are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.keys().len()
    }
}

/// The key per-IP limits count under: an IPv4 address, or the /64 network of an IPv6
/// address (one subscriber usually holds a whole /64), with IPv4-mapped IPv6 addresses
/// counted as the IPv4 address they are.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(bits))
            }
        },
    }
}

/// A `RateLimited` error that says how long to wait.
pub(crate) fn rate_limited(message: &str, wait: Duration) -> ErrorBody {
    ErrorBody {
        code: ErrorCode::RateLimited,
        message: message.into(),
        retry_after_ms: Some(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    #[test]
    fn a_key_is_refused_after_its_failures_until_the_window_ends() {
        let failures = Failures::new(3, WINDOW, 100);
        let start = Instant::now();
        for i in 0..3 {
            let at = start + Duration::from_secs(i);
            assert_eq!(failures.wait(&"alice", at), None);
            failures.failed(&"alice", at);
        }
        assert_eq!(
            failures.wait(&"alice", start + Duration::from_secs(60)),
            Some(Duration::from_secs(840))
        );
        assert_eq!(
            failures.wait(&"bob", start),
            None,
            "other keys are unaffected"
        );
        assert_eq!(
            failures.wait(&"alice", start + WINDOW),
            None,
            "the window ended"
        );
    }

    #[test]
    fn a_success_clears_the_count_and_old_failures_expire() {
        let failures = Failures::new(2, WINDOW, 100);
        let start = Instant::now();
        failures.failed(&"alice", start);
        failures.succeeded(&"alice");
        failures.failed(&"alice", start);
        assert_eq!(failures.wait(&"alice", start), None);
        failures.failed(&"alice", start + WINDOW);
        assert_eq!(
            failures.wait(&"alice", start + WINDOW),
            None,
            "a new window began"
        );
        failures.forget_idle(start + WINDOW + WINDOW);
        assert_eq!(failures.len(), 0);
    }

    #[test]
    fn zero_failures_means_no_limit() {
        let failures = Failures::new(0, WINDOW, 100);
        let now = Instant::now();
        for _ in 0..100 {
            failures.failed(&"alice", now);
        }
        assert_eq!(failures.wait(&"alice", now), None);
    }

    #[test]
    fn the_table_never_holds_more_than_its_capacity() {
        let failures = Failures::new(5, WINDOW, 1000);
        let now = Instant::now();
        for i in 0..100_000u32 {
            failures.failed(&i, now);
        }
        assert_eq!(failures.len(), 1000);
        failures.failed(&200_000, now + WINDOW);
        assert_eq!(failures.len(), 1, "expired keys make room");
    }

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            client_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
        let limiter = AuthLimiter::new(1);
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(b).is_err(), "same /64, same budget");
    }

    #[test]
    fn the_attempt_after_the_burst_is_refused_with_a_retry_hint() {
        let limiter = AuthLimiter::new(3);
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..3 {
            assert!(limiter.check(ip).is_ok());
        }
        let refused = limiter.check(ip).expect_err("fourth attempt");
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert!(refused
            .retry_after_ms
            .is_some_and(|ms| ms > 0 && ms <= 20_000));
        assert!(
            limiter.check([10, 0, 0, 1].into()).is_ok(),
            "other IPs are unaffected"
        );
    }

    #[test]
    fn zero_means_unlimited() {
        let limiter = AuthLimiter::new(0);
        for _ in 0..1000 {
            assert!(limiter.check([127, 0, 0, 1].into()).is_ok());
        }
    }
}
