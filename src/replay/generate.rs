//! A synthetic message log for benchmarks and demos: realistic sessions (support chats,
//! opt-ins that mix categories, ad clicks, order updates, promotions, one-time passcodes) for
//! recipients in several countries, in time order, as CSV with the standard header.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenOptions {
    /// Rows to write.
    pub rows: u64,
    /// Distinct recipients.
    pub recipients: u64,
    /// Seed: the same seed gives the same log.
    pub seed: u64,
    /// Start, Unix seconds.
    pub start: i64,
    /// Days the sessions' starts are spread over.
    pub days: u32,
}

/// splitmix64: small, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum K {
    In,
    InAd,
    Free,
    Marketing,
    Utility,
    Authentication,
}

const FLOWS: [&str; 6] = [
    "support",
    "welcome-opt-in",
    "ad-campaign",
    "order-updates",
    "promo-blast",
    "login-otp",
];

/// A session: (weight, flow, steps of (seconds after the start, kind)).
type Session = (u32, usize, &'static [(i64, K)]);

/// A row waiting to be written: (time, sequence, recipient, kind, flow).
type Pending = Reverse<(i64, u64, u64, K, usize)>;

/// The sessions the log is made of.
const SESSIONS: [Session; 6] = [
    (
        30,
        0,
        &[
            (0, K::In),
            (60, K::Free),
            (300, K::In),
            (360, K::Free),
            (420, K::Free),
        ],
    ),
    (15, 1, &[(0, K::In), (60, K::Free), (120, K::Marketing)]),
    (
        10,
        2,
        &[
            (0, K::InAd),
            (120, K::Free),
            (600, K::In),
            (660, K::Free),
            (48 * 3600, K::Marketing),
        ],
    ),
    (
        20,
        3,
        &[
            (0, K::Utility),
            (3 * 3600, K::Utility),
            (26 * 3600, K::Utility),
        ],
    ),
    (15, 4, &[(0, K::Marketing)]),
    (10, 5, &[(0, K::Authentication)]),
];

/// Phone number prefixes (calling code and the start of a mobile range) and their shares.
const PREFIXES: [(&str, u32); 10] = [
    ("+49151", 14),
    ("+49176", 8),
    ("+1212", 10),
    ("+1416", 4),
    ("+447400", 8),
    ("+91981", 20),
    ("+55119", 12),
    ("+62812", 10),
    ("+52155", 8),
    ("+234803", 6),
];

/// The CSV header written by [`generate`].
pub const HEADER: &str = "timestamp,recipient,direction,kind,category,entry_point,market,flow\n";

fn phone(seed: u64, r: u64, out: &mut Vec<u8>) {
    let h = mix(seed ^ r.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let total: u32 = PREFIXES.iter().map(|p| p.1).sum();
    let mut pick = (h % u64::from(total)) as u32;
    let mut prefix = PREFIXES[0].0;
    for (p, w) in PREFIXES {
        if pick < w {
            prefix = p;
            break;
        }
        pick -= w;
    }
    out.extend_from_slice(prefix.as_bytes());
    // Distinct recipients get distinct numbers: the index, spread over 7 digits.
    // The first digit is 2-9: NANP exchanges cannot start with 0 or 1.
    let n = (r * 7_919 + (h >> 40) % 7) % 8_000_000 + 2_000_000;
    let _ = write!(out, "{n:07}");
}

fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn push2(out: &mut Vec<u8>, v: i64) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// The first second of the year 10000, which RFC 3339 timestamps cannot write.
const YEAR_10000: i64 = 253_402_300_800;

/// Writes the log; returns the rows written. A log that would run into the year 10000 is
/// refused before a row is written (twice its span after the start, as the clock is random).
pub fn generate(options: &GenOptions, out: &mut dyn Write) -> io::Result<u64> {
    let span = f64::from(options.days.max(1)) * 86_400.0;
    let past = |t: i64| !(-62_135_596_800..YEAR_10000).contains(&t); // before year 1 as well
    if past(options.start) || past(options.start.saturating_add(2 * span as i64 + 7 * 86_400)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the log would run past the year 9999: choose an earlier --start or fewer --days",
        ));
    }
    out.write_all(HEADER.as_bytes())?;
    let mut rng = Rng(options.seed);
    let recipients = options.recipients.max(1);
    let mean_steps = {
        let w: u32 = SESSIONS.iter().map(|s| s.0).sum();
        SESSIONS
            .iter()
            .map(|s| f64::from(s.0) * s.2.len() as f64)
            .sum::<f64>()
            / f64::from(w)
    };
    let sessions = (options.rows as f64 / mean_steps).max(1.0);
    let mean_gap = span / sessions;
    let total_weight: u32 = SESSIONS.iter().map(|s| s.0).sum();
    // Pending rows: (time, sequence, recipient, kind, flow).
    let mut pending: BinaryHeap<Pending> = BinaryHeap::new();
    let mut clock = options.start as f64;
    let mut seq = 0u64;
    let mut written = 0u64;
    let mut line = Vec::with_capacity(128);
    let mut day_cache: (i64, [u8; 11]) = (i64::MIN, [0; 11]);
    while written < options.rows {
        clock += -mean_gap * (1.0 - rng.unit()).ln();
        let now = clock as i64;
        while let Some(Reverse((t, ..))) = pending.peek() {
            if *t > now || written >= options.rows {
                break;
            }
            let Some(Reverse((t, _, r, k, flow))) = pending.pop() else {
                break;
            };
            if past(t) {
                return Err(io::Error::other(
                    "the log ran past the year 9999: choose an earlier --start",
                ));
            }
            line.clear();
            let day = t.div_euclid(86_400);
            if day != day_cache.0 {
                let (y, m, d) = civil(day);
                let s = format!("{y:04}-{m:02}-{d:02}T");
                day_cache.1.copy_from_slice(s.as_bytes());
                day_cache.0 = day;
            }
            line.extend_from_slice(&day_cache.1);
            let sec = t.rem_euclid(86_400);
            push2(&mut line, sec / 3600);
            line.push(b':');
            push2(&mut line, sec / 60 % 60);
            line.push(b':');
            push2(&mut line, sec % 60);
            line.extend_from_slice(b"Z,");
            phone(options.seed, r, &mut line);
            let rest: &[u8] = match k {
                K::In => b",inbound,,,,,\n",
                K::InAd => b",inbound,,,ad_click,,\n",
                K::Free => b",outbound,free_form,,,,",
                K::Marketing => b",outbound,template,marketing,,,",
                K::Utility => b",outbound,template,utility,,,",
                K::Authentication => b",outbound,template,authentication,,,",
            };
            line.extend_from_slice(rest);
            if !matches!(k, K::In | K::InAd) {
                line.extend_from_slice(FLOWS[flow].as_bytes());
                line.push(b'\n');
            }
            out.write_all(&line)?;
            written += 1;
        }
        let mut pick = (rng.next() % u64::from(total_weight)) as u32;
        let (_, flow, steps) = SESSIONS
            .iter()
            .find(|s| {
                if pick < s.0 {
                    true
                } else {
                    pick -= s.0;
                    false
                }
            })
            .copied()
            .unwrap_or(SESSIONS[0]);
        let r = rng.next() % recipients;
        for &(offset, k) in steps {
            seq += 1;
            pending.push(Reverse((now + offset, seq, r, k, flow)));
        }
    }
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_log_in_time_order() {
        let options = GenOptions {
            rows: 500,
            recipients: 40,
            seed: 7,
            start: 1_790_000_000,
            days: 3,
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        assert_eq!(generate(&options, &mut a).unwrap(), 500);
        generate(&options, &mut b).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        let times: Vec<&str> = text.lines().skip(1).map(|l| &l[..20]).collect();
        assert_eq!(times.len(), 500);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_393), (2025, 11, 1));
    }
}
