//! Per-IP rate limit for sign-in attempts (register, login, resume).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
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
            let wait = not_until.wait_time_from(self.clock.now());
            ErrorBody {
                code: ErrorCode::RateLimited,
                message: "too many sign-in attempts; wait a moment and try again".into(),
                retry_after_ms: Some(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1)),
            }
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

#[cfg(test)]
mod tests {
    use super::*;

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
