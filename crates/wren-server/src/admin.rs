//! `wren-server admin …`: maintenance on the server's data directory (a running server
//! sees the change at once).

use crate::settings::Location;
use anyhow::{anyhow, bail, Context};
use clap::{Subcommand, ValueEnum};

/// What an administrator can do.
#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Plans: grant or revoke the Business plan.
    #[command(subcommand)]
    Plan(PlanCommand),
}

/// `admin plan …`.
#[derive(Debug, Subcommand)]
pub(crate) enum PlanCommand {
    /// Grant a plan to a user: `grant USER business [--until DATE]`.
    Grant {
        /// The username.
        user: String,
        /// The plan.
        plan: PlanArg,
        /// When it ends: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ.
        #[arg(long)]
        until: Option<String>,
    },
    /// Put a user back on the Free plan.
    Revoke {
        /// The username.
        user: String,
    },
}

/// A paid plan, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanArg {
    /// The Business plan.
    Business,
}

/// Grants (`grant`) or revokes the Business plan in the store at `location`.
fn set_plan(
    location: &Location,
    user: &str,
    grant: bool,
    until: Option<u64>,
) -> Result<wren_proto::AccountId, wren_server::OpenStoreError> {
    match location {
        Location::Sqlite(dir) => wren_server::set_plan(dir, user, grant, until),
        Location::Postgres(url) => wren_server::set_plan_postgres(url, user, grant, until),
    }
}

/// Runs an admin command on the store at `location`.
pub(crate) fn run(location: &Location, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Plan(PlanCommand::Grant {
            user,
            plan: PlanArg::Business,
            until,
        }) => {
            let until = until.as_deref().map(parse_time).transpose()?;
            set_plan(location, &user, true, until)
                .with_context(|| format!("granting the Business plan to {user}"))?;
            match until {
                Some(_) => println!("{user}: Business until {}", until_text(until)),
                None => println!("{user}: Business"),
            }
        }
        AdminCommand::Plan(PlanCommand::Revoke { user }) => {
            set_plan(location, &user, false, None)
                .with_context(|| format!("revoking {user}'s plan"))?;
            println!("{user}: Free");
        }
    }
    Ok(())
}

fn until_text(until: Option<u64>) -> String {
    until.map_or_else(String::new, |ms| format!("{} (Unix ms)", ms))
}

/// Unix milliseconds from `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`.
fn parse_time(text: &str) -> anyhow::Result<u64> {
    let bad = || anyhow!("{text:?} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time.strip_suffix('Z').ok_or_else(bad)?)),
        None => (text, None),
    };
    let mut parts = date.split('-').map(str::parse::<i64>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let seconds = match time {
        None => 0,
        Some(time) => {
            let mut hms = time.split(':').map(str::parse::<i64>);
            let (Some(Ok(h)), Some(Ok(mi)), Some(Ok(s)), None) =
                (hms.next(), hms.next(), hms.next(), hms.next())
            else {
                return Err(bad());
            };
            if h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0 {
                return Err(bad());
            }
            h * 3600 + mi * 60 + s
        }
    };
    let days = days_from_civil(y, m, d);
    let ms = (days * 86_400 + seconds) * 1000;
    if ms < 0 {
        bail!("{text:?} is before 1970");
    }
    Ok(ms as u64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn dates_and_times_become_unix_milliseconds() {
        assert_eq!(parse_time("1970-01-01").ok(), Some(0));
        assert_eq!(parse_time("2026-12-01").ok(), Some(1_796_083_200_000));
        assert_eq!(
            parse_time("2026-12-01T10:30:05Z").ok(),
            Some(1_796_083_200_000 + 37_805_000)
        );
        for bad in [
            "2026-13-01",
            "tomorrow",
            "2026-12-01T10:30Z",
            "2026-12-01T10:30:05",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
