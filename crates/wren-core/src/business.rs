//! A business's automatic replies: the greeting a new contact gets with their first
//! message, and the away message sent outside opening hours (at most once per chat every
//! [`AWAY_EVERY_MS`]). They are sent by the business's own devices, inside the chat's
//! end-to-end encryption; every device of the business may decide to send one, and the
//! reply's message id is derived from the chat and the reply (and, for the away message,
//! the period), so the server keeps one and the others are the same message.

use ring::digest::{digest, SHA256};
use wren_proto::{BusinessProfile, ChatId, ClientMsgId};

/// An away message is sent again in a chat at most this often.
pub(crate) const AWAY_EVERY_MS: u64 = 12 * 3_600_000;
/// A message older than this gets no automatic reply (a device catching up after days).
pub(crate) const FRESH_MS: u64 = 3_600_000;

/// What is to be sent, and as which message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AutoReply {
    /// The text.
    pub(crate) text: String,
    /// Its id, the same on every device of the business.
    pub(crate) client_msg_id: ClientMsgId,
}

/// Whether the business is open at `utc_ms` (always, without opening hours).
pub(crate) fn open_at(profile: &BusinessProfile, utc_ms: u64) -> bool {
    if profile.hours.is_empty() {
        return true;
    }
    let local = utc_ms as i64 / 60_000 + i64::from(profile.utc_offset_minutes);
    let minute = local.rem_euclid(1440) as u16;
    // 1970-01-01 was a Thursday: day 3 with Monday as 0.
    let day = (local.div_euclid(1440) + 3).rem_euclid(7) as u8;
    profile
        .hours
        .iter()
        .any(|h| h.day == day && h.opens <= minute && minute < h.closes)
}

/// The replies a message from a contact calls for at `now`: the greeting when this
/// account has not written in the chat yet, the away message outside opening hours.
pub(crate) fn replies(
    profile: &BusinessProfile,
    chat: ChatId,
    wrote_before: bool,
    now: u64,
) -> Vec<AutoReply> {
    let mut out = Vec::new();
    if !wrote_before && !profile.greeting.trim().is_empty() {
        out.push(AutoReply {
            text: profile.greeting.clone(),
            client_msg_id: reply_id(chat, "greeting", 0),
        });
    }
    if !profile.away_message.trim().is_empty() && !open_at(profile, now) {
        out.push(AutoReply {
            text: profile.away_message.clone(),
            client_msg_id: reply_id(chat, "away", now / AWAY_EVERY_MS),
        });
    }
    out
}

fn reply_id(chat: ChatId, kind: &str, period: u64) -> ClientMsgId {
    let input = format!("wren auto reply:{}:{kind}:{period}", chat.0);
    let hash = digest(&SHA256, input.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hash.as_ref()[..8]);
    ClientMsgId(u64::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wren_proto::OpeningHours;

    /// 2026-11-30, a Monday, at `hour`:00 UTC.
    fn monday_at(hour: u64) -> u64 {
        1_796_083_200_000 - 86_400_000 + hour * 3_600_000
    }

    fn shop() -> BusinessProfile {
        BusinessProfile {
            hours: vec![OpeningHours {
                day: 0,
                opens: 9 * 60,
                closes: 17 * 60,
            }],
            greeting: "Welcome!".into(),
            away_message: "We are closed.".into(),
            ..BusinessProfile::default()
        }
    }

    #[test]
    fn opening_hours_follow_the_weekday_and_the_offset() {
        let profile = shop();
        assert!(open_at(&profile, monday_at(10)));
        assert!(!open_at(&profile, monday_at(8)));
        assert!(!open_at(&profile, monday_at(17)));
        assert!(!open_at(&profile, monday_at(10) + 86_400_000), "Tuesday");
        let east = BusinessProfile {
            utc_offset_minutes: 120,
            ..shop()
        };
        assert!(open_at(&east, monday_at(7)), "09:00 at UTC+2");
        assert!(
            open_at(&BusinessProfile::default(), monday_at(3)),
            "no hours: always"
        );
    }

    #[test]
    fn a_new_contact_is_greeted_and_told_when_closed_once_per_period() {
        let chat = ChatId(7);
        let open = replies(&shop(), chat, false, monday_at(10));
        assert_eq!(
            open.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
            ["Welcome!"]
        );
        let closed = replies(&shop(), chat, false, monday_at(20));
        assert_eq!(closed.len(), 2);
        assert!(replies(&shop(), chat, true, monday_at(10)).is_empty());
        let again = replies(&shop(), chat, true, monday_at(20) + 60_000);
        assert_eq!(
            again[0].client_msg_id, closed[1].client_msg_id,
            "same period, same id"
        );
        assert_ne!(
            replies(&shop(), ChatId(8), false, monday_at(10))[0].client_msg_id,
            open[0].client_msg_id,
            "another chat, another id"
        );
    }
}
