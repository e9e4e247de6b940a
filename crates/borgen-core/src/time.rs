//! Timestamps are stored as RFC 3339 text in UTC with microseconds, so that they
//! sort as text and read the same on SQLite and PostgreSQL.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// The current instant in the storage format.
pub fn now_text() -> String {
    to_text(Utc::now())
}

pub fn to_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_text(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// The time zone of an organisation that has not chosen one.
pub const DEFAULT_ZONE: &str = "Europe/Amsterdam";

/// A time zone by its IANA name (`Europe/Amsterdam`), `None` for anything else.
pub fn zone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse::<chrono_tz::Tz>().ok()
}

/// The time zones offered to an organisation, by IANA name, in name order:
/// the geographic ones (`Europe/Amsterdam`) and UTC, not the legacy aliases
/// (`US/Eastern`, `GB`, `Etc/GMT+1`), which [`zone`] still accepts.
pub fn zone_names() -> Vec<&'static str> {
    const REGIONS: [&str; 9] =
        ["Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/"];
    let mut all: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|n| *n == "UTC" || REGIONS.iter().any(|r| n.starts_with(r)))
        .collect();
    all.sort_unstable();
    all
}

fn tz_or_default(name: &str) -> chrono_tz::Tz {
    zone(name).unwrap_or(chrono_tz::Europe::Amsterdam)
}

/// An instant on the clock of time zone `zone_name` (the default when it is
/// not one), with the zone's abbreviation: `2026-12-02 04:20 CET`. The data
/// keep the UTC instant; pages show this.
pub fn local(t: DateTime<Utc>, zone_name: &str) -> String {
    let l = t.with_timezone(&tz_or_default(zone_name));
    format!("{} {}", l.format("%Y-%m-%d %H:%M"), l.format("%Z"))
}

/// Today's date (YYYY-MM-DD) on the clock of time zone `zone_name`: what
/// "overdue" and "past its review date" are measured against.
pub fn today_in(zone_name: &str) -> String {
    Utc::now().with_timezone(&tz_or_default(zone_name)).format("%Y-%m-%d").to_string()
}

/// Today's date on the default clock (Europe/Amsterdam).
pub fn today() -> String {
    today_in(DEFAULT_ZONE)
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod amsterdam_tests {
    use super::*;

    fn local(ts: &str) -> String {
        super::local(parse_text(ts).unwrap(), DEFAULT_ZONE)
    }

    #[test]
    fn dutch_clock_time_follows_the_eu_summer_time_rule() {
        assert_eq!(local("2026-12-02T03:20:00Z"), "2026-12-02 04:20 CET");
        assert_eq!(local("2026-07-01T12:00:00Z"), "2026-07-01 14:00 CEST");
        // 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        assert_eq!(local("2026-03-29T00:59:00Z"), "2026-03-29 01:59 CET");
        assert_eq!(local("2026-03-29T01:00:00Z"), "2026-03-29 03:00 CEST");
        // 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        assert_eq!(local("2026-10-25T00:59:00Z"), "2026-10-25 02:59 CEST");
        assert_eq!(local("2026-10-25T01:00:00Z"), "2026-10-25 02:00 CET");
        // New Year's Eve crosses into the next day and year.
        assert_eq!(local("2026-12-31T23:30:00Z"), "2027-01-01 00:30 CET");
    }

    #[test]
    fn another_zone_keeps_its_own_clock_and_a_bad_name_falls_back() {
        let t = parse_text("2026-07-01T12:00:00Z").unwrap();
        assert_eq!(super::local(t, "Europe/London"), "2026-07-01 13:00 BST");
        assert_eq!(super::local(t, "UTC"), "2026-07-01 12:00 UTC");
        assert_eq!(super::local(t, "America/Curacao"), "2026-07-01 08:00 AST");
        assert_eq!(super::local(t, "Mars/Olympus"), "2026-07-01 14:00 CEST");
        assert!(zone("Europe/Amsterdam").is_some() && zone("Mars/Olympus").is_none() && zone("").is_none());
        assert!(zone_names().contains(&"Europe/Brussels") && zone_names().contains(&"UTC"));
        assert!(!zone_names().contains(&"US/Eastern") && !zone_names().contains(&"GB"));
        assert_eq!(today_in("Pacific/Kiritimati").len(), 10);
    }
}
