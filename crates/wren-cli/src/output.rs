//! Text and JSON output.

use serde::Serialize;
use std::io::Write;
use wren_core::{
    ChannelInfo, ChannelRole, ChatSummary, DeliveryState, DeviceInfo, GroupAdds, MessageView, Post,
    Privacy, SearchHit,
};

/// Prints a value as one JSON document on one line.
pub(crate) fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Prints one line of text and flushes (for `tail` behind a pipe).
pub(crate) fn line(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// `2026-11-24 09:14` (UTC) from Unix milliseconds.
pub(crate) fn timestamp(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `#12 2026-11-24 09:14 alice: hello (edited) ✓✓`
pub(crate) fn message(m: &MessageView) -> String {
    let seq = m
        .seq
        .map(|s| format!("#{s}"))
        .unwrap_or_else(|| "#-".into());
    let text = if m.deleted {
        "(deleted)".to_string()
    } else if m.undecryptable {
        format!("[could not decrypt: {}]", m.text)
    } else {
        m.text.clone()
    };
    let edited = if m.edited_at.is_some() && !m.deleted {
        " (edited)"
    } else {
        ""
    };
    let state = match (m.outgoing, m.state) {
        (false, _) => "",
        (true, DeliveryState::Pending) => " [sending]",
        (true, DeliveryState::Sent) => " ✓",
        (true, DeliveryState::Read) => " ✓✓",
        (true, DeliveryState::Failed) => " [failed]",
    };
    let forwarded = m
        .forwarded_from
        .as_ref()
        .map(|f| format!("[forwarded from {}] ", f.name))
        .unwrap_or_default();
    let pinned = if m.pinned { " [pinned]" } else { "" };
    let reactions: String = m
        .reactions
        .iter()
        .map(|r| format!(" {}{}", r.emoji, r.count))
        .collect();
    format!(
        "{seq} {} {}: {forwarded}{text}{edited}{state}{pinned}{reactions}",
        timestamp(m.sent_at),
        m.sender.username
    )
}

/// `12  @bob  2 unread  bob: hello`
pub(crate) fn chat(c: &ChatSummary) -> String {
    let title = match c.kind {
        // The title is the peer's display name, or its username when it has none.
        wren_core::ChatKind::Direct => c
            .members
            .iter()
            .find(|m| m.account.name() == c.title)
            .map_or_else(|| c.title.clone(), |m| format!("@{}", m.account.username)),
        wren_core::ChatKind::Group => c.title.clone(),
    };
    let title = if c.archived {
        format!("{title} (archived)")
    } else {
        title
    };
    let unread = if c.unread_count > 0 {
        format!("{} unread", c.unread_count)
    } else {
        String::new()
    };
    let last = c
        .last_message
        .as_ref()
        .map(|m| {
            let text = if m.deleted {
                "(deleted)"
            } else if m.undecryptable {
                "(could not decrypt)"
            } else {
                m.text.as_str()
            };
            format!("{}: {}", m.sender.username, preview(text))
        })
        .unwrap_or_default();
    format!("{:>6}  {:<24} {:>10}  {last}", c.id, title, unread)
}

/// A search hit, with the match shown between brackets.
pub(crate) fn hit(h: &SearchHit) -> String {
    let snippet = h.snippet.replace('\u{1}', "[").replace('\u{2}', "]");
    format!(
        "{:>6}  {:<20} #{} {}: {snippet}",
        h.chat,
        h.chat_title,
        h.message.seq.map(|s| s.0).unwrap_or(0),
        h.message.sender.username
    )
}

/// A device line.
pub(crate) fn device(d: &DeviceInfo) -> String {
    let current = if d.current { "  (this device)" } else { "" };
    format!(
        "{:>6}  {:<32} signed in {}  last seen {}{current}",
        d.id,
        d.name,
        timestamp(d.created_at),
        timestamp(d.last_seen_at)
    )
}

/// A safety number as two lines: the digits, then what they cover and whether they are
/// verified.
pub(crate) fn safety_number(user: &str, number: &wren_core::e2e::SafetyNumber) -> String {
    let status = if number.verified {
        "verified".to_string()
    } else if number.changed {
        "NOT VERIFIED: the number changed since you verified it (a new device or a new key)"
            .to_string()
    } else {
        format!("not verified: compare it with @{user}'s, then run `wren verify @{user} --mark`")
    };
    let covers = if number.from_chat {
        format!(
            "your devices and {} of @{user}'s in your direct chat",
            number.contact_devices
        )
    } else {
        format!("the keys the server lists for you and @{user} (no direct chat yet)")
    };
    format!("{}\n{status}; covers {covers}", number.digits)
}

/// `privacy` as text: who can add you to groups, who sees your last seen time.
pub(crate) fn privacy(p: &Privacy) -> String {
    format!(
        "who can add you to groups: {}\nwho sees your last seen time: {}",
        group_adds(p.group_adds),
        last_seen(p.last_seen)
    )
}

/// `privacy --json`: `{"group_adds":"nobody","last_seen":"contacts"}`, in the words the
/// command line takes.
#[derive(Debug, Serialize)]
pub(crate) struct PrivacyJson {
    group_adds: &'static str,
    last_seen: &'static str,
}

impl From<Privacy> for PrivacyJson {
    fn from(p: Privacy) -> Self {
        PrivacyJson {
            group_adds: group_adds(p.group_adds),
            last_seen: last_seen(p.last_seen),
        }
    }
}

fn last_seen(visibility: wren_core::LastSeenVisibility) -> &'static str {
    match visibility {
        wren_core::LastSeenVisibility::Everybody => "everybody",
        wren_core::LastSeenVisibility::Contacts => "contacts",
        wren_core::LastSeenVisibility::Nobody => "nobody",
    }
}

fn group_adds(allowed: GroupAdds) -> &'static str {
    match allowed {
        GroupAdds::Everybody => "everybody",
        GroupAdds::Nobody => "nobody",
    }
}

fn preview(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let mut out: String = first_line.chars().take(60).collect();
    if first_line.chars().count() > 60 || text.lines().count() > 1 {
        out.push('…');
    }
    out
}

/// `Sponsored · Keyboards: text [Shop now → https://…]`
pub(crate) fn sponsored(m: &wren_core::SponsoredMessage) -> String {
    let target = match &m.target {
        wren_core::SponsoredTarget::Link(link) => link.clone(),
        wren_core::SponsoredTarget::Channel(handle) => format!("@{handle}"),
    };
    format!(
        "Sponsored · {}: {} [{} → {target}]",
        m.title, m.text, m.button
    )
}

/// `campaign 4 "Keyboards" active · shown 120/1000, 3 clicks, 0 reports`
pub(crate) fn campaign(r: &wren_core::CampaignReport) -> String {
    let state = if r.active { "active" } else { "stopped" };
    format!(
        "campaign {} {:?} {state} · shown {}/{}, {} clicks, {} reports",
        r.id, r.campaign.title, r.shown, r.campaign.budget, r.clicks, r.reports
    )
}

/// `plan: Business until 2027-01-01 00:00 · 20 public channels, 10 pinned chats, business profile, no sponsored messages`
pub(crate) fn plan(p: &wren_core::PlanInfo) -> String {
    let name = match p.plan {
        wren_core::PlanKind::Free => "Free",
        wren_core::PlanKind::Business => "Business",
    };
    let until = p
        .until
        .map_or_else(String::new, |ms| format!(" until {}", timestamp(ms)));
    let profile = if p.limits.business_profile {
        "business profile"
    } else {
        "no business profile (Business)"
    };
    let sponsored = if p.limits.sponsored_messages {
        "sponsored messages in large public channels"
    } else {
        "no sponsored messages"
    };
    format!(
        "plan: {name}{until} · {} public channels, {} pinned chats, {profile}, {sponsored}",
        p.limits.public_channels, p.limits.pinned_chats
    )
}

/// `channel 3 @rust_news "Rust news" (technology, en) 1204 subscribers, you: owner`
pub(crate) fn channel(c: &ChannelInfo) -> String {
    let name = c
        .handle
        .as_ref()
        .map_or_else(|| "(private)".to_string(), |h| format!("@{h}"));
    let role = match c.role {
        Some(ChannelRole::Owner) => ", you: owner",
        Some(ChannelRole::Admin) => ", you: admin",
        Some(ChannelRole::Subscriber) => ", subscribed",
        None => "",
    };
    format!(
        "channel {} {name} {:?} ({}, {}) {} subscribers{role}",
        c.id, c.title, c.topic, c.language, c.subscribers
    )
}

/// `#12 2026-11-24 09:14 text (edited) · 340 views`
pub(crate) fn post(p: &Post) -> String {
    let text = if p.deleted {
        "(deleted)".to_string()
    } else {
        p.text.clone()
    };
    let edited = if p.edited_at.is_some() {
        " (edited)"
    } else {
        ""
    };
    let views = if p.views == 1 { "view" } else { "views" };
    format!(
        "#{} {} {text}{edited} · {} {views}",
        p.seq,
        timestamp(p.sent_at),
        p.views
    )
}

/// `أليس (@alice)` and the bio on the next line, if any.
pub(crate) fn profile(p: &wren_core::model::Profile) -> String {
    let who = if p.account.display_name.is_empty() {
        format!("@{}", p.account.username)
    } else {
        format!("{} (@{})", p.account.display_name, p.account.username)
    };
    if p.bio.is_empty() {
        who
    } else {
        format!("{who}\n{}", p.bio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "1970-01-01 00:00");
        assert_eq!(timestamp(1_795_512_840_000), "2026-11-24 09:34");
        assert_eq!(timestamp(951_782_400_000), "2000-02-29 00:00");
    }

    #[test]
    fn privacy_is_shown_in_the_words_the_command_line_takes() {
        let nobody = Privacy {
            group_adds: GroupAdds::Nobody,
            last_seen: wren_core::LastSeenVisibility::Contacts,
        };
        assert_eq!(
            privacy(&nobody),
            "who can add you to groups: nobody\nwho sees your last seen time: contacts"
        );
        let json = serde_json::to_string(&PrivacyJson::from(Privacy::default())).ok();
        assert_eq!(
            json.as_deref(),
            Some(r#"{"group_adds":"everybody","last_seen":"everybody"}"#)
        );
    }
}
