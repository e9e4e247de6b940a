//! Timestamps are stored as RFC 3339 text in UTC with microseconds, so that they
//! sort as text and read the same on SQLite and PostgreSQL.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, SecondsFormat, Utc, Weekday};

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

/// The last Sunday of `month` in `year`, at 01:00 UTC: when the clocks of
/// the European Union change (EU Directive 2000/84/EC).
fn eu_switch(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut d = first_next.pred_opt()?;
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt()?;
    }
    Some(d.and_hms_opt(1, 0, 0)?.and_utc())
}

/// An instant on the clock of the Netherlands (Europe/Amsterdam): CET (UTC+1),
/// or CEST (UTC+2) from the last Sunday of March to the last Sunday of
/// October. The data keep the UTC instant; pages show this.
pub fn amsterdam(t: DateTime<Utc>) -> (NaiveDateTime, &'static str) {
    let summer = match (eu_switch(t.year(), 3), eu_switch(t.year(), 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    if summer { ((t + Duration::hours(2)).naive_utc(), "CEST") } else { ((t + Duration::hours(1)).naive_utc(), "CET") }
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod amsterdam_tests {
    use super::*;

    fn local(ts: &str) -> String {
        let (t, zone) = amsterdam(parse_text(ts).unwrap());
        format!("{} {zone}", t.format("%Y-%m-%d %H:%M"))
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
}
