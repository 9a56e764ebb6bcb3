//! Limits on signing in: attempts per client IP (register, login, resume), and failed
//! passwords per account, whatever IPs they come from.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::IpAddr;
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
        limiter.check_key(&ip).map_err(|not_until| {
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

/// Failed passwords per account: after `max` failures, counted from the first one, every
/// login to that account is refused until `window` has passed since that first failure.
/// A successful login clears the count. Guessing one account's password from many IPs is
/// bounded by this, not by the per-IP limit.
#[derive(Debug)]
pub(crate) struct FailedLogins {
    max: u32,
    window: Duration,
    accounts: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    first: Instant,
    count: u32,
}

impl FailedLogins {
    /// At most `max` failed passwords per account per `window`; 0 means no limit.
    pub(crate) fn new(max: u32, window: Duration) -> Self {
        FailedLogins {
            max,
            window,
            accounts: Mutex::new(HashMap::new()),
        }
    }

    fn accounts(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.accounts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Refuses a login to `username` (normalized) while it has used up its failures.
    pub(crate) fn check(&self, username: &str, now: Instant) -> Result<(), ErrorBody> {
        if self.max == 0 {
            return Ok(());
        }
        match self.accounts().get(username) {
            Some(f) if f.count >= self.max && now < f.first + self.window => Err(rate_limited(
                "too many wrong passwords for this account; wait and try again",
                f.first + self.window - now,
            )),
            _ => Ok(()),
        }
    }

    /// Counts a wrong password for `username`.
    pub(crate) fn failed(&self, username: &str, now: Instant) {
        if self.max == 0 {
            return;
        }
        let mut accounts = self.accounts();
        let entry = accounts.entry(username.to_string()).or_insert(Failures {
            first: now,
            count: 0,
        });
        if now >= entry.first + self.window {
            *entry = Failures {
                first: now,
                count: 0,
            };
        }
        entry.count = entry.count.saturating_add(1);
    }

    /// Clears `username`'s failures after a right password.
    pub(crate) fn succeeded(&self, username: &str) {
        self.accounts().remove(username);
    }

    /// Forgets accounts whose window has passed, so the table does not grow forever.
    pub(crate) fn forget_idle(&self, now: Instant) {
        let window = self.window;
        self.accounts().retain(|_, f| now < f.first + window);
    }
}

fn rate_limited(message: &str, wait: Duration) -> ErrorBody {
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
    fn an_account_is_refused_after_its_failures_until_the_window_ends() {
        let failures = FailedLogins::new(3, WINDOW);
        let start = Instant::now();
        for i in 0..3 {
            let at = start + Duration::from_secs(i);
            assert!(failures.check("alice", at).is_ok());
            failures.failed("alice", at);
        }
        let refused = failures
            .check("alice", start + Duration::from_secs(60))
            .expect_err("fourth attempt");
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert_eq!(refused.retry_after_ms, Some(840_000));
        assert!(
            failures.check("bob", start).is_ok(),
            "other accounts are unaffected"
        );
        assert!(
            failures.check("alice", start + WINDOW).is_ok(),
            "the window ended"
        );
    }

    #[test]
    fn a_right_password_clears_the_count_and_old_failures_expire() {
        let failures = FailedLogins::new(2, WINDOW);
        let start = Instant::now();
        failures.failed("alice", start);
        failures.succeeded("alice");
        failures.failed("alice", start);
        assert!(failures.check("alice", start).is_ok());
        failures.failed("alice", start + WINDOW);
        assert!(
            failures.check("alice", start + WINDOW).is_ok(),
            "a new window began"
        );
        failures.forget_idle(start + WINDOW + WINDOW);
        assert!(failures.accounts().is_empty());
    }

    #[test]
    fn zero_failures_means_no_limit() {
        let failures = FailedLogins::new(0, WINDOW);
        let now = Instant::now();
        for _ in 0..100 {
            failures.failed("alice", now);
        }
        assert!(failures.check("alice", now).is_ok());
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
