//! The market of a recipient: the country of its phone number, from libphonenumber's metadata
//! (the `phonenumber` crate), never from a hand-written table.
//!
//! Meta prices by market, a country or a group of countries. Until a country → market table
//! exists in flowcost (the rate cards bring one), the country stands for the market.

use crate::replay::fxhash::FxHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// A two-letter market code (ISO 3166-1 alpha-2), or [`UNKNOWN`].
pub type Market = [u8; 2];

/// A recipient whose id is not a phone number, or whose number has no known country.
pub const UNKNOWN: Market = *b"??";

/// How many leading digits (calling code plus the start of the national number) decide the
/// country. libphonenumber tells countries that share a calling code apart by the start of the
/// national number: NANP countries by the 3-digit area code, Jersey and Guernsey by 4 digits
/// after +44; 8 digits covers those. Caching by this prefix keeps the (slow, regex-based)
/// metadata lookup to once per prefix instead of once per recipient.
pub const PREFIX_DIGITS: usize = 8;

/// The display name of a market code.
pub fn name(m: Market) -> String {
    if m == UNKNOWN {
        "unknown".into()
    } else {
        String::from_utf8_lossy(&m).into_owned()
    }
}

/// Reads a log's market column: a country's ISO 3166-1 alpha-2 code, any case (`UK` is
/// refused with `GB` suggested, as `--market` does). The message quotes the value cut short.
pub fn check_code(field: &[u8]) -> Result<Market, String> {
    static KNOWN: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        (0..26 * 26)
            .map(|i| {
                let code = [b'A' + (i / 26) as u8, b'A' + (i % 26) as u8];
                crate::country::is_country(std::str::from_utf8(&code).unwrap_or(""))
            })
            .collect()
    });
    if let Some(m) = parse_code(field) {
        if known[usize::from(m[0] - b'A') * 26 + usize::from(m[1] - b'A')] {
            return Ok(m);
        }
    }
    let text = String::from_utf8_lossy(field);
    Err(match crate::country::parse_country(&text) {
        Err(e) => format!("market: {} ({})", e.message, e.help),
        Ok(_) => format!(
            "market `{}` is not a country code",
            crate::diagnostic::quote(&text)
        ),
    })
}

/// Parses an explicit market column value: two letters, any case.
pub fn parse_code(field: &[u8]) -> Option<Market> {
    match field {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => None,
    }
}

/// What a calling code says about the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    /// Not a calling code.
    None,
    /// One country uses it (`+49`: DE).
    Single(Market),
    /// Several do (`+1`, `+7`, `+44`…): the national number decides.
    Shared,
}

/// Phone number → country. Calling codes used by one country are answered from a table built
/// from the metadata; numbers under shared codes are parsed by `phonenumber` once per leading
/// [`PREFIX_DIGITS`] digits.
pub struct Countries {
    codes: Vec<Option<Code>>,
    cache: HashMap<u64, Market, BuildHasherDefault<FxHasher>>,
}

impl Default for Countries {
    fn default() -> Self {
        Countries {
            codes: vec![None; 1000],
            cache: HashMap::default(),
        }
    }
}

impl Countries {
    /// The country of a recipient id: an E.164 number with or without `+` (WhatsApp's `wa_id`
    /// has none), spaces, dashes, dots and parentheses allowed. Anything else is [`UNKNOWN`].
    pub fn of(&mut self, recipient: &[u8]) -> Market {
        let mut digits = [0u8; 20];
        let mut n = 0;
        for (i, &b) in recipient.iter().enumerate() {
            match b {
                b'0'..=b'9' if n < digits.len() => {
                    digits[n] = b;
                    n += 1;
                }
                b'+' if i == 0 => {}
                b' ' | b'-' | b'.' | b'(' | b')' => {}
                _ => return UNKNOWN,
            }
        }
        if !(7..=15).contains(&n) {
            return UNKNOWN;
        }
        let digits = &digits[..n];
        // Calling codes are prefix-free: the first of 1, 2 or 3 digits that is one is it.
        let mut code = 0usize;
        for &d in &digits[..3] {
            code = code * 10 + usize::from(d - b'0');
            match self.code(code) {
                Code::None => continue,
                Code::Single(m) => return m,
                Code::Shared => break,
            }
        }
        // NANP countries differ by area code alone: +1 and three digits decide.
        let decide = if digits[0] == b'1' { 4 } else { PREFIX_DIGITS };
        let prefix = &digits[..decide.min(n)];
        let key = prefix
            .iter()
            .fold(prefix.len() as u64, |k, &d| k * 10 + u64::from(d - b'0'));
        *self
            .cache
            .entry(key)
            .or_insert_with(|| lookup(digits).unwrap_or(UNKNOWN))
    }

    fn code(&mut self, code: usize) -> Code {
        if let Some(known) = self.codes[code] {
            return known;
        }
        let regions = phonenumber::metadata::DATABASE.region(&(code as u16));
        let answer = match regions.as_deref() {
            None | Some([]) => Code::None,
            Some([one]) => match one.as_bytes() {
                [a, b] if a.is_ascii_alphabetic() => Code::Single([*a, *b]),
                // "001": a non-geographic code (+800, +882…).
                _ => Code::Single(UNKNOWN),
            },
            Some(_) => Code::Shared,
        };
        self.codes[code] = Some(answer);
        answer
    }
}

/// Loads the phone number metadata on a thread of its own, once per process, so that it is
/// ready (or nearly) when billing first derives a market from a number. Loaded on first use
/// instead, it takes about 0.1 s on the project's 2-core machine, during which every billing
/// thread that needs it waits; this way the load overlaps the reading of the first rows. A
/// log whose every row names its market spends that CPU for nothing, on the side.
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // No thread (a process at its limit) only means the load happens on first use.
        let _ = std::thread::Builder::new()
            .name("phone-metadata".into())
            .spawn(|| phonenumber::metadata::DATABASE.region(&1).map(|r| r.len()));
    });
}

fn lookup(digits: &[u8]) -> Option<Market> {
    let text = format!("+{}", std::str::from_utf8(digits).ok()?);
    let number = phonenumber::parse(None, &text).ok()?;
    let id = number.country().id()?;
    let code: &str = id.as_ref();
    match code.as_bytes() {
        [a, b] => Some([*a, *b]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_from_numbers() {
        let mut c = Countries::default();
        assert_eq!(name(c.of(b"+4915112345678")), "DE");
        assert_eq!(name(c.of(b"4915112345678")), "DE");
        assert_eq!(name(c.of(b"+1 (212) 555-0123")), "US");
        assert_eq!(name(c.of(b"+14165550123")), "CA");
        assert_eq!(name(c.of(b"+919812345678")), "IN");
        assert_eq!(name(c.of(b"+447400123456")), "GB");
        assert_eq!(name(c.of(b"user-17")), "unknown");
        assert_eq!(name(c.of(b"+12")), "unknown");
        assert_eq!(name(c.of(b"+79161234567")), "RU");
        assert_eq!(name(c.of(b"+77011234567")), "KZ");
    }

    #[test]
    fn explicit_codes() {
        assert_eq!(parse_code(b"de"), Some(*b"DE"));
        assert_eq!(parse_code(b"DEU"), None);
    }
}
