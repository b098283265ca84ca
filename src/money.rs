//! Money in integer micro-USD.
//!
//! Prices and totals are never `f64` on their way to a total: a [`Money`] is a whole number of
//! millionths of a US dollar, and expected values are weighted with exact probabilities
//! (`crate::probability`). Rounding happens once, when an amount is printed.

use serde::Serialize;
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// An amount in micro-USD (1 USD = 1,000,000).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Money(i64);

/// Micro-units in one dollar.
const MICROS: i64 = 1_000_000;

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// An amount of micro-USD.
    pub const fn from_micros(micros: i64) -> Money {
        Money(micros)
    }

    /// The amount in micro-USD.
    pub const fn micros(self) -> i64 {
        self.0
    }

    /// Parses a decimal amount in USD: `0.0618`, `12`, `$1.50`, `-0.25`; at most 6 decimals.
    pub fn parse(s: &str) -> Result<Money, String> {
        let t = s.trim();
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let t = t.strip_prefix('$').unwrap_or(t);
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (!frac.is_empty() && !digits(frac)) || t.ends_with('.') {
            return Err(format!(
                "`{s}` is not an amount; write a decimal number like 0.0618"
            ));
        }
        if frac.len() > 6 {
            return Err(format!(
                "`{s}` has more than 6 decimals; flowcost counts in millionths of a dollar"
            ));
        }
        let whole: i64 = whole
            .parse()
            .ok()
            .filter(|w| *w <= 1_000_000_000_000)
            .ok_or_else(|| format!("`{s}` is too large"))?;
        let frac_micros: i64 = format!("{frac:0<6}").parse().unwrap_or(0);
        let micros = whole * MICROS + frac_micros;
        Ok(Money(if negative { -micros } else { micros }))
    }

    /// This amount `n` times (saturating: no realistic audience reaches the bound).
    pub fn times(self, n: u64) -> Money {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        Money(self.0.saturating_mul(n))
    }

    /// This amount `n` times, or `None` past the largest amount (about 9.2 trillion USD).
    pub fn checked_times(self, n: u64) -> Option<Money> {
        i64::try_from(n)
            .ok()
            .and_then(|n| self.0.checked_mul(n))
            .map(Money)
    }

    /// The sum, or `None` past the largest amount.
    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }

    /// The amount in dollars as a float, for JSON numbers only (never summed).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / MICROS as f64
    }

    /// Rounded half away from zero to `decimals` (at most 6) places, with thousands separators
    /// when `grouped`, and a `+` on positive amounts when `signed`.
    pub fn format(self, decimals: u32, grouped: bool, signed: bool) -> String {
        let decimals = decimals.min(6);
        let step = 10u64.pow(6 - decimals);
        // In u64: the largest amounts round without overflowing.
        let abs = self.0.unsigned_abs();
        let rounded = abs / step + u64::from(abs % step >= step / 2 && step > 1);
        let scale = 10u64.pow(decimals);
        let (whole, frac) = (rounded / scale, rounded % scale);
        let mut whole_text = whole.to_string();
        if grouped {
            whole_text = group_thousands(&whole_text);
        }
        let sign = if self.0 < 0 && rounded != 0 {
            "-"
        } else if signed && self.0 > 0 && rounded != 0 {
            "+"
        } else if signed && rounded == 0 {
            "±"
        } else {
            ""
        };
        if decimals == 0 {
            format!("{sign}{whole_text}")
        } else {
            format!(
                "{sign}{whole_text}.{frac:0width$}",
                width = decimals as usize
            )
        }
    }

    /// Four decimals, as Meta prints prices: `0.0635`.
    pub fn price(self) -> String {
        self.format(4, false, false)
    }

    /// Four decimals with a sign: `+0.0220`, `-0.0100`, `±0.0000`.
    pub fn delta(self) -> String {
        self.format(4, true, true)
    }

    /// A total: two decimals with thousands separators (`1,234.57`), or four below one dollar
    /// where two would hide the amount (`0.0411`).
    pub fn total(self) -> String {
        if self.0.abs() < MICROS {
            self.format(4, true, false)
        } else {
            self.format(2, true, false)
        }
    }

    /// A signed total, like [`Money::total`].
    pub fn total_delta(self) -> String {
        if self.0.abs() < MICROS {
            self.format(4, true, true)
        } else {
            self.format(2, true, true)
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.price())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        *self = *self + o;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_prices_exactly() {
        assert_eq!(Money::parse("0.0618").unwrap().micros(), 61_800);
        assert_eq!(Money::parse("1").unwrap().micros(), 1_000_000);
        assert_eq!(Money::parse("$2.5").unwrap().micros(), 2_500_000);
        assert_eq!(Money::parse("-0.000001").unwrap().micros(), -1);
        for bad in ["", "abc", "0.1234567", "1.", ".5", "1e3", "0,5", "--1"] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rounds_once_when_printing() {
        assert_eq!(Money::from_micros(41_050).price(), "0.0411");
        assert_eq!(Money::from_micros(41_049).price(), "0.0410");
        assert_eq!(Money::from_micros(-41_050).price(), "-0.0411");
        assert_eq!(Money::from_micros(1_234_567_891).total(), "1,234.57");
        assert_eq!(Money::from_micros(22_000).delta(), "+0.0220");
        assert_eq!(Money::ZERO.delta(), "±0.0000");
        assert_eq!(group_thousands("1234567"), "1,234,567");
        assert_eq!(Money::from_micros(i64::MAX).total(), "9,223,372,036,854.78");
        assert_eq!(Money::from_micros(i64::MIN).price(), "-9223372036854.7758");
        assert_eq!(Money::from_micros(1).checked_times(u64::MAX), None);
    }
}
