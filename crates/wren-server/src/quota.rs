//! Per-account quotas on what one signed-in account may do, whatever connections it uses:
//! messages, new groups, new direct chats, reaching other people (lookups, adds, key
//! package claims), and typing notices. Over a quota a request gets `RateLimited` with a
//! retry hint (typing notices are dropped quietly instead, since they are best effort).

use crate::rate_limit::rate_limited;
use crate::Config;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use wren_proto::{AccountId, ErrorBody, Request};

/// Typing notices one account may send per second (bursts of [`TYPING_BURST`]).
const TYPING_PER_SECOND: u32 = 1;
/// See [`TYPING_PER_SECOND`].
const TYPING_BURST: u32 = 3;

/// What a request costs against the quotas.
enum Cost {
    /// Nothing.
    Free,
    /// A message sent, edited or deleted.
    Message,
    /// A new group with this many other members (each counts as reaching someone).
    Group(u32),
    /// A direct chat opened.
    Direct,
    /// Reaching `n` other people: a lookup by username, a member added, a claim of an
    /// account's key packages.
    Reach(u32),
    /// A typing notice.
    Typing,
}

/// One keyed limiter per kind of action; `None` where the configuration turns it off.
#[derive(Debug)]
pub(crate) struct Quotas {
    messages: Option<DefaultKeyedRateLimiter<AccountId>>,
    groups: Option<DefaultKeyedRateLimiter<AccountId>>,
    directs: Option<DefaultKeyedRateLimiter<AccountId>>,
    reach: Option<DefaultKeyedRateLimiter<AccountId>>,
    typing: DefaultKeyedRateLimiter<AccountId>,
    clock: DefaultClock,
}

/// A limiter for `quota`, or none when `n` is 0.
fn keyed(
    n: u32,
    quota: impl FnOnce(NonZeroU32) -> Quota,
) -> Option<DefaultKeyedRateLimiter<AccountId>> {
    NonZeroU32::new(n).map(|n| DefaultKeyedRateLimiter::keyed(quota(n)))
}

impl Quotas {
    /// The quotas of `config`.
    pub(crate) fn new(config: &Config) -> Self {
        let burst = NonZeroU32::new(config.message_burst).unwrap_or(NonZeroU32::MIN);
        Quotas {
            messages: keyed(config.messages_per_second, |n| {
                Quota::per_second(n).allow_burst(burst.max(n))
            }),
            groups: keyed(config.groups_per_hour, Quota::per_hour),
            directs: keyed(config.direct_chats_per_hour, Quota::per_hour),
            reach: keyed(config.reach_per_hour, Quota::per_hour),
            typing: DefaultKeyedRateLimiter::keyed(
                Quota::per_second(NonZeroU32::MIN.saturating_add(TYPING_PER_SECOND - 1))
                    .allow_burst(NonZeroU32::MIN.saturating_add(TYPING_BURST - 1)),
            ),
            clock: DefaultClock::default(),
        }
    }

    /// Charges `request` to `account`. `Err` is the refusal to send; `Ok(false)` means a
    /// typing notice over its quota, to be dropped without an error.
    pub(crate) fn charge(&self, account: AccountId, request: &Request) -> Result<bool, ErrorBody> {
        let (limiter, n, what) = match cost(request) {
            Cost::Free => return Ok(true),
            Cost::Typing => return Ok(self.typing.check_key(&account).is_ok()),
            Cost::Message => (&self.messages, 1, "messages"),
            Cost::Group(members) => {
                self.take(&self.reach, account, members, "new contacts")?;
                (&self.groups, 1, "new groups")
            }
            Cost::Direct => (&self.directs, 1, "new chats"),
            Cost::Reach(n) => (&self.reach, n, "new contacts"),
        };
        self.take(limiter, account, n, what).map(|()| true)
    }

    /// Takes `n` cells from `account`'s bucket in `limiter`.
    fn take(
        &self,
        limiter: &Option<DefaultKeyedRateLimiter<AccountId>>,
        account: AccountId,
        n: u32,
        what: &str,
    ) -> Result<(), ErrorBody> {
        let (Some(limiter), Some(n)) = (limiter, NonZeroU32::new(n)) else {
            return Ok(());
        };
        match limiter.check_key_n(&account, n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(rate_limited(
                &format!("too many {what} for now; wait and try again"),
                not_until.wait_time_from(self.clock.now()),
            )),
            Err(_) => Err(rate_limited(
                &format!("that is more {what} than allowed at once"),
                std::time::Duration::from_secs(3600),
            )),
        }
    }

    /// Forgets accounts whose quotas have fully recovered.
    pub(crate) fn forget_idle(&self) {
        for limiter in [&self.messages, &self.groups, &self.directs, &self.reach]
            .into_iter()
            .flatten()
            .chain(std::iter::once(&self.typing))
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// What `request` costs.
fn cost(request: &Request) -> Cost {
    match request {
        Request::SendMessage { .. }
        | Request::EditMessage { .. }
        | Request::DeleteMessage { .. } => Cost::Message,
        Request::CreateGroup { members, .. } => {
            Cost::Group(u32::try_from(members.len()).unwrap_or(u32::MAX))
        }
        Request::OpenDirect { .. } => Cost::Direct,
        Request::LookupUser { .. }
        | Request::AddMember { .. }
        | Request::ClaimKeyPackages { .. } => Cost::Reach(1),
        Request::SetTyping { .. } => Cost::Typing,
        Request::CallSignal { .. } => Cost::Message,
        _ => Cost::Free,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wren_proto::{ChatId, ClientMsgId};

    fn send() -> Request {
        Request::SendMessage {
            chat: ChatId(1),
            client_msg_id: ClientMsgId(1),
            payload: Vec::new(),
            reply_to: None,
        }
    }

    fn config() -> Config {
        let mut config = Config::new("unused");
        config.messages_per_second = 1;
        config.message_burst = 5;
        config.groups_per_hour = 2;
        config.reach_per_hour = 10;
        config
    }

    #[test]
    fn messages_flow_in_bursts_then_are_refused_with_a_hint() {
        let quotas = Quotas::new(&config());
        let (alice, bob) = (AccountId(1), AccountId(2));
        for _ in 0..5 {
            assert_eq!(quotas.charge(alice, &send()), Ok(true));
        }
        let refused = quotas.charge(alice, &send()).expect_err("over the burst");
        assert_eq!(refused.code, wren_proto::ErrorCode::RateLimited);
        assert!(refused.retry_after_ms.is_some_and(|ms| ms <= 1000));
        assert_eq!(quotas.charge(bob, &send()), Ok(true), "per account");
        assert_eq!(
            quotas.charge(alice, &Request::Ping),
            Ok(true),
            "reads are free"
        );
    }

    #[test]
    fn groups_count_once_and_their_members_as_reach() {
        let quotas = Quotas::new(&config());
        let me = AccountId(1);
        let group = |n: u64| Request::CreateGroup {
            title: "g".into(),
            members: (100..100 + n).map(AccountId).collect(),
        };
        assert_eq!(quotas.charge(me, &group(4)), Ok(true));
        assert!(
            quotas.charge(me, &group(11)).is_err(),
            "more members than reach allows at all"
        );
        assert_eq!(quotas.charge(me, &group(4)), Ok(true));
        assert!(quotas.charge(me, &group(1)).is_err(), "reach used up");
    }

    #[test]
    fn key_package_claims_reach_someone() {
        let quotas = Quotas::new(&config());
        let claim = Request::ClaimKeyPackages {
            account: AccountId(2),
        };
        for _ in 0..10 {
            assert_eq!(quotas.charge(AccountId(1), &claim), Ok(true));
        }
        assert!(
            quotas.charge(AccountId(1), &claim).is_err(),
            "reach used up"
        );
    }

    #[test]
    fn typing_over_its_quota_is_dropped_not_refused() {
        let quotas = Quotas::new(&config());
        let typing = Request::SetTyping { chat: ChatId(1) };
        let passed = (0..10)
            .filter(|_| quotas.charge(AccountId(1), &typing) == Ok(true))
            .count();
        assert_eq!(passed, TYPING_BURST as usize);
    }

    #[test]
    fn zero_turns_a_quota_off() {
        let mut config = config();
        config.messages_per_second = 0;
        let quotas = Quotas::new(&config);
        for _ in 0..10_000 {
            assert_eq!(quotas.charge(AccountId(1), &send()), Ok(true));
        }
    }
}
