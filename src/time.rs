//! Human durations (`30m`, `1d12h`) and start instants (`--at`).
//!
//! Durations are a strict subset of the usual notation: whole numbers, each followed by one
//! unit of `w`, `d`, `h`, `m` or `s`, largest unit first, each unit at most once. Months and
//! years are refused because they have no fixed length and billing windows are exact.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use std::fmt;

/// Why a duration or instant did not parse; `help` says how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TimeError {}

const UNITS: [(char, i64); 5] = [
    ('w', 604_800),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];
const DURATION_HELP: &str =
    "write a whole number followed by a unit (s, m, h, d, w), largest unit first: 30s, 15m, 24h, 3d, 1w, 1d12h";

fn duration_error(message: String) -> TimeError {
    TimeError {
        message,
        help: DURATION_HELP.to_string(),
    }
}

/// Parses `30s`, `15m`, `24h`, `3d`, `1w` and combinations like `1d12h`; zero is refused.
pub fn parse_duration(text: &str) -> Result<Duration, TimeError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(duration_error("empty duration".into()));
    }
    if s.starts_with('-') {
        return Err(duration_error(format!(
            "negative duration `{s}`: durations count forward"
        )));
    }
    if s.contains(char::is_whitespace) {
        return Err(duration_error(format!("`{s}` has spaces: write each unit as one letter right after its number, like `2d` or `1d12h`")));
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut last_rank: Option<usize> = None;
    for c in s.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let Some(rank) = UNITS.iter().position(|(u, _)| *u == c) else {
            return Err(duration_error(format!(
                "`{c}` in `{s}` is not a duration unit"
            )));
        };
        if number.is_empty() {
            return Err(duration_error(format!(
                "unit `{c}` in `{s}` has no number before it"
            )));
        }
        if last_rank.is_some_and(|r| rank <= r) {
            return Err(duration_error(format!(
                "units in `{s}` repeat or are out of order"
            )));
        }
        let n: i64 = number
            .parse()
            .map_err(|_| duration_error(format!("`{number}` in `{s}` is too large")))?;
        total = n
            .checked_mul(UNITS[rank].1)
            .and_then(|secs| total.checked_add(secs))
            .filter(|t| *t <= MAX_SECONDS)
            .ok_or_else(|| duration_error(format!("`{s}` is too long (at most 100 years)")))?;
        number.clear();
        last_rank = Some(rank);
    }
    if !number.is_empty() {
        let after = if number == s {
            String::new()
        } else {
            format!(" after `{number}`")
        };
        return Err(duration_error(format!(
            "`{s}` has no unit{after}: write `{number}m` for minutes or `{number}s` for seconds"
        )));
    }
    if total == 0 {
        return Err(duration_error(format!(
            "`{s}` is zero: a duration must be positive"
        )));
    }
    Ok(Duration::seconds(total))
}

/// 100 years: far past any horizon, small enough that instant arithmetic cannot overflow.
pub const MAX_DURATION_SECONDS: i64 = 100 * 366 * 86_400;
const MAX_SECONDS: i64 = MAX_DURATION_SECONDS;

/// Formats a duration in the same notation `parse_duration` reads (`1d12h`, `0s`).
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.num_seconds();
    let sign = if secs < 0 { "-" } else { "" };
    secs = secs.abs();
    let mut out = String::from(sign);
    for (unit, len) in UNITS.iter().skip(1) {
        if secs >= *len {
            out.push_str(&format!("{}{unit}", secs / len));
            secs %= len;
        }
    }
    if out.len() == sign.len() {
        out.push_str("0s");
    }
    out
}

/// Parses `--at`: RFC 3339 (`2024-03-01T10:00:00Z`) or a plain date (midnight UTC).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, TimeError> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)));
    }
    Err(TimeError {
        message: format!("`{s}` is not a date or an RFC 3339 date-time"),
        help:
            "write a date like 2026-11-02 (midnight UTC) or a date-time like 2026-11-02T10:00:00Z"
                .into(),
    })
}

/// Formats an instant as RFC 3339 in UTC with second precision (`2026-11-02T10:00:00Z`).
pub fn format_instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit_and_combinations() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::seconds(30));
        assert_eq!(parse_duration("15m").unwrap(), Duration::minutes(15));
        assert_eq!(parse_duration("24h").unwrap(), Duration::hours(24));
        assert_eq!(parse_duration("3d").unwrap(), Duration::days(3));
        assert_eq!(parse_duration("1w").unwrap(), Duration::weeks(1));
        assert_eq!(parse_duration("1d12h").unwrap(), Duration::hours(36));
        assert_eq!(
            parse_duration("24h30m").unwrap(),
            Duration::minutes(24 * 60 + 30)
        );
    }

    #[test]
    fn refuses_bad_durations_with_reasons() {
        for (input, fragment) in [
            ("", "empty"),
            ("30", "no unit"),
            ("-5m", "negative"),
            ("2 days", "has spaces"),
            ("5y", "not a duration unit"),
            ("h", "no number"),
            ("12h1d", "out of order"),
            ("1h1h", "repeat"),
            ("0s", "zero"),
            ("99999999999999999999s", "too large"),
            ("999999w", "too long"),
        ] {
            let err = parse_duration(input).unwrap_err();
            assert!(err.message.contains(fragment), "{input}: {}", err.message);
            assert!(err.help.contains("1d12h"));
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in ["30s", "15m", "24h", "3d", "1d12h", "2d3h4m5s"] {
            let d = parse_duration(s).unwrap();
            assert_eq!(parse_duration(&format_duration(d)).unwrap(), d);
        }
        assert_eq!(format_duration(Duration::hours(36)), "1d12h");
        assert_eq!(format_duration(Duration::zero()), "0s");
    }

    #[test]
    fn instants_accept_rfc3339_and_dates() {
        let t = parse_instant("2024-03-01T10:00:00Z").unwrap();
        assert_eq!(format_instant(t), "2024-03-01T10:00:00Z");
        let t = parse_instant("2024-03-01T12:00:00+02:00").unwrap();
        assert_eq!(format_instant(t), "2024-03-01T10:00:00Z");
        let t = parse_instant("2026-11-02").unwrap();
        assert_eq!(format_instant(t), "2026-11-02T00:00:00Z");
        assert!(parse_instant("2026-13-01").is_err());
        assert!(parse_instant("yesterday").is_err());
    }
}
