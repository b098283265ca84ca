//! Cheap timestamp parsing for log rows: RFC 3339 (or its common `YYYY-MM-DD HH:MM:SS` variant)
//! and Unix seconds or milliseconds, to milliseconds since the Unix epoch.
//!
//! Hand-written because chrono's general parser costs more than the rest of a CSV row; the
//! results are checked against chrono in the tests.

/// Latest instant accepted: 9999-12-31T23:59:59.999Z. Later values (and the huge numbers that
/// mean a corrupt field) are refused rather than wrapped.
pub const MAX_MS: i64 = 253_402_300_799_999;

/// Unix values at or above this are milliseconds; below, seconds. 10^11 seconds is the year
/// 5138, while 10^11 milliseconds is 1973, before any WhatsApp Business log.
const MS_THRESHOLD: u64 = 100_000_000_000;

/// Parses a timestamp field into milliseconds since the epoch.
pub fn parse_ms(field: &[u8]) -> Result<i64, String> {
    parse_ms_cached(field, &mut DayCache::default())
}

/// The last RFC 3339 date read and its day number: a log's rows come day by day, so most rows
/// repeat the date of the row before and skip reading and checking it.
#[derive(Debug, Clone, Copy, Default)]
pub struct DayCache {
    date: [u8; 10],
    days: i64,
}

impl DayCache {
    /// The day number of `YYYY-MM-DD` (the first ten bytes of `s`), or `None` if it is no date.
    fn days(&mut self, s: &[u8]) -> Option<i64> {
        let date: [u8; 10] = s.get(..10)?.try_into().ok()?;
        if date == self.date {
            return Some(self.days);
        }
        let year = digits(s, 0, 4)?;
        let month = digits(s, 5, 2)?;
        let day = digits(s, 8, 2)?;
        if s[4] != b'-'
            || s[7] != b'-'
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in(year, month)
        {
            return None;
        }
        self.date = date;
        self.days = days_from_civil(year as i64, month, day);
        Some(self.days)
    }
}

/// [`parse_ms`], reusing the date of the row before when it is the same.
pub fn parse_ms_cached(field: &[u8], cache: &mut DayCache) -> Result<i64, String> {
    let field = trim(field);
    if field.is_empty() {
        return Err("empty timestamp".into());
    }
    if field.len() >= 10 && field[4] == b'-' {
        return rfc3339(field, cache).ok_or_else(|| {
            format!(
                "`{}` is not an RFC 3339 timestamp (like 2026-11-02T10:00:00Z)",
                crate::diagnostic::quote(&String::from_utf8_lossy(field))
            )
        });
    }
    unix(field)
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() || *first == b'"' {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() || *last == b'"' {
            s = rest;
        } else {
            break;
        }
    }
    s
}

fn unix(field: &[u8]) -> Result<i64, String> {
    let shown = || crate::diagnostic::quote(&String::from_utf8_lossy(field));
    let (int, frac) = match field.iter().position(|&b| b == b'.') {
        Some(dot) => (&field[..dot], Some(&field[dot + 1..])),
        None => (field, None),
    };
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) {
        return Err(format!(
            "`{}` is not a timestamp: write RFC 3339 (2026-11-02T10:00:00Z) or Unix seconds or \
             milliseconds",
            shown()
        ));
    }
    if int.len() > 15 {
        return Err(format!(
            "timestamp `{}` is out of range (after 9999)",
            shown()
        ));
    }
    let n: u64 = int
        .iter()
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
    let ms = if n >= MS_THRESHOLD {
        if frac.is_some() {
            return Err(format!(
                "timestamp `{}`: milliseconds take no fraction",
                shown()
            ));
        }
        n
    } else {
        let mut ms = n * 1000;
        if let Some(frac) = frac {
            if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
                return Err(format!("`{}` is not a timestamp", shown()));
            }
            ms += fraction_ms(frac);
        }
        ms
    };
    if ms > MAX_MS as u64 {
        return Err(format!(
            "timestamp `{}` is out of range (after 9999)",
            shown()
        ));
    }
    Ok(ms as i64)
}

fn fraction_ms(frac: &[u8]) -> u64 {
    let mut ms = 0;
    for i in 0..3 {
        ms = ms * 10 + frac.get(i).map_or(0, |d| u64::from(d - b'0'));
    }
    ms
}

fn digits(s: &[u8], from: usize, n: usize) -> Option<u32> {
    let part = s.get(from..from + n)?;
    let mut v = 0u32;
    for &d in part {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(d - b'0');
    }
    Some(v)
}

/// `YYYY-MM-DD(T| )HH:MM:SS[.fff…](Z|±HH:MM)`; a date alone means midnight UTC.
fn rfc3339(s: &[u8], cache: &mut DayCache) -> Option<i64> {
    let days = cache.days(s)?;
    if s.len() == 10 {
        return Some(days * 86_400_000);
    }
    if !matches!(s.get(10), Some(b'T' | b't' | b' ')) || s.get(13) != Some(&b':') {
        return None;
    }
    let (h, m) = (digits(s, 11, 2)?, digits(s, 14, 2)?);
    if s.get(16) != Some(&b':') {
        return None;
    }
    let sec = digits(s, 17, 2)?;
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0u64;
    if s.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        ms = fraction_ms(&s[start..i]);
    }
    let offset_s: i64 = match s.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] if s.len() == i + 6 && s[i + 3] == b':' => {
            let oh = digits(s, i + 1, 2)?;
            let om = digits(s, i + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let v = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    // A leap second (:60) is read as the next second, as chrono does for RFC 3339 input.
    let secs = days * 86_400 + i64::from(h * 3600 + m * 60 + sec) - offset_s;
    Some(secs * 1000 + ms as i64)
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn chrono_ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn rfc3339_agrees_with_chrono() {
        for s in [
            "2026-11-02T10:00:00Z",
            "2024-02-29T23:59:59.999Z",
            "2025-07-01T00:00:00+02:00",
            "2025-06-30T19:30:00.5-05:30",
            "1970-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
        ] {
            assert_eq!(parse_ms(s.as_bytes()).unwrap(), chrono_ms(s), "{s}");
        }
        assert_eq!(
            parse_ms(b"2026-11-02 10:00:00Z").unwrap(),
            chrono_ms("2026-11-02T10:00:00Z")
        );
        assert_eq!(
            parse_ms(b"2026-11-02").unwrap(),
            chrono_ms("2026-11-02T00:00:00Z")
        );
    }

    /// A cache carried from row to row gives what parsing each row alone gives, bad dates
    /// included, whatever came before.
    #[test]
    fn the_day_cache_changes_nothing() {
        let rows = [
            "2026-11-02T10:00:00Z",
            "2026-11-02T23:59:59.5+01:00",
            "2026-11-02",
            "2026-11-03T00:00:00Z",
            "2026-11-02T10:00:00Z",
            "2026-11-0xT10:00:00Z",
            "2026-02-29T10:00:00Z",
            "2026-11-02X10:00:00Z",
            "1762077600",
            "2026-11-02T10:00:00Z",
            "2024-02-29T00:00:00Z",
            "2025-02-29T00:00:00Z",
        ];
        let mut cache = DayCache::default();
        for s in rows.iter().chain(rows.iter().rev()) {
            let alone = parse_ms(s.as_bytes());
            assert_eq!(parse_ms_cached(s.as_bytes(), &mut cache), alone, "{s}");
        }
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        assert_eq!(parse_ms(b"1762077600").unwrap(), 1_762_077_600_000);
        assert_eq!(parse_ms(b"1762077600123").unwrap(), 1_762_077_600_123);
        assert_eq!(parse_ms(b"1762077600.5").unwrap(), 1_762_077_600_500);
        assert_eq!(parse_ms(b"\"1762077600\"").unwrap(), 1_762_077_600_000);
    }

    #[test]
    fn bad_and_huge_timestamps_are_refused() {
        for s in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-02T10:00:00",
            "2026-11-02T25:00:00Z",
            "99999999999999999999",
            "253402300800000",
            "-5",
            "2026-11-02T10:00:00+2",
        ] {
            assert!(parse_ms(s.as_bytes()).is_err(), "{s}");
        }
    }
}
