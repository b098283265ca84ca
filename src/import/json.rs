//! Reading the values of other tools' JSON exports leniently but safely: a missing key, a
//! `null` or a value of the wrong type reads as absent, numbers may come as strings, and a
//! duration is checked against the bounds a flowcost duration has (more than zero, at most
//! 100 years), so nothing an export holds can overflow a clock.

use chrono::Duration;
use serde_json::Value;

/// The string at `key`, or `""`.
pub(super) fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The list at `key`, or none.
pub(super) fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Why a duration of an export cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum BadDuration {
    /// Not a number (nor a string holding one): the text of the value.
    NotANumber(String),
    /// Zero or negative.
    NotPositive(String),
    /// Longer than flowcost counts (100 years).
    TooLong(String),
}

impl BadDuration {
    /// "`-5` is not a positive number", for a diagnostic.
    pub(super) fn describe(&self, what: &str) -> String {
        match self {
            BadDuration::NotANumber(v) => format!("{what} `{v}` is not a number"),
            BadDuration::NotPositive(v) => format!("{what} `{v}` is not more than zero"),
            BadDuration::TooLong(v) => format!("{what} `{v}` is longer than 100 years"),
        }
    }
}

/// A duration of `unit` seconds per unit at `v` (a number, or a string holding one, as
/// glific and Studio write them); `Ok(None)` when absent or `null`.
pub(super) fn duration(v: Option<&Value>, unit: i64) -> Result<Option<Duration>, BadDuration> {
    let shown = |v: &Value| {
        let s = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        crate::diagnostic::quote(&s)
    };
    let value = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => v,
    };
    let number = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let Some(n) = number.filter(|n| n.is_finite()) else {
        return Err(BadDuration::NotANumber(shown(value)));
    };
    let secs = n * unit as f64;
    if secs < 1.0 {
        return Err(BadDuration::NotPositive(shown(value)));
    }
    if secs > crate::time::MAX_DURATION_SECONDS as f64 {
        return Err(BadDuration::TooLong(shown(value)));
    }
    Ok(Some(Duration::seconds(secs.round() as i64)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_are_bounded_whatever_the_value() {
        let d = |v: Value| duration(Some(&v), 1);
        assert_eq!(d(json!(3600)), Ok(Some(Duration::hours(1))));
        assert_eq!(d(json!("1800")), Ok(Some(Duration::minutes(30))));
        assert_eq!(d(json!(" 60 ")), Ok(Some(Duration::minutes(1))));
        assert_eq!(d(json!(90.4)), Ok(Some(Duration::seconds(90))));
        assert_eq!(duration(None, 1), Ok(None));
        assert_eq!(d(Value::Null), Ok(None));
        assert!(matches!(d(json!(0)), Err(BadDuration::NotPositive(_))));
        assert!(matches!(d(json!(-5)), Err(BadDuration::NotPositive(_))));
        assert!(matches!(d(json!("soon")), Err(BadDuration::NotANumber(_))));
        assert!(matches!(
            d(json!({"a": 1})),
            Err(BadDuration::NotANumber(_))
        ));
        assert!(matches!(
            d(json!("9223372036854776")),
            Err(BadDuration::TooLong(_))
        ));
        assert!(matches!(d(json!(9e12)), Err(BadDuration::TooLong(_))));
        assert!(matches!(d(json!(1e308)), Err(BadDuration::TooLong(_))));
        assert!(matches!(d(json!("NaN")), Err(BadDuration::NotANumber(_))));
        // Minutes: 100 years of minutes is the most.
        assert!(matches!(
            duration(Some(&json!(60_000_000)), 60),
            Err(BadDuration::TooLong(_))
        ));
    }
}
