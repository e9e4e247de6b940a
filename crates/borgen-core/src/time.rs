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

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}
