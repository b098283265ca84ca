//! Exact probabilities for expected values over every path.
//!
//! A [`Mass`] is an integer number of 2^-64ths of certainty. The simulator pushes the whole
//! mass (2^64) in at the start and, at every fork, hands a state's mass on to its branches with
//! [`Mass::split`], which gives the last branch the remainder: the parts always add up to the
//! whole, so no probability is ever lost to rounding, the masses of all ends add up to exactly
//! one, and an expected value is a true weighted average of what the paths cost (it can never
//! fall below the cheapest path or above the dearest). A [`Share`] is one branch's fraction of
//! a fork, also in 2^-64ths. Sums of masses ([`MassSum`]) are kept whole; a mass-weighted amount
//! of money is rounded once, when it is read ([`MassSum::money`]).

use crate::money::Money;

/// The denominator of masses and shares: 2^64.
const ONE: u128 = 1 << 64;

/// One branch's share of a fork, in 2^-64ths; `u64::MAX` stands for certainty
/// ([`Share::ONE`]), which a probability below one never rounds to (an `f64` below one is at
/// most 1 − 2^-53).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u64);

impl Share {
    /// The whole: a node with one way on.
    pub const ONE: Share = Share(u64::MAX);
    /// Nothing: a branch of weight 0.
    pub const ZERO: Share = Share(0);

    /// A probability in [0, 1] (clamped; NaN is 0), to the nearest 2^-64.
    pub fn from_probability(p: f64) -> Share {
        if p.is_nan() || p <= 0.0 {
            return Share::ZERO;
        }
        if p >= 1.0 {
            return Share::ONE;
        }
        // p ≤ 1 − 2^-53, so p × 2^64 ≤ 2^64 − 2^11: below the sentinel.
        Share((p * 18_446_744_073_709_551_616.0) as u64)
    }

    /// As a float, for display and for ranking paths.
    pub fn to_f64(self) -> f64 {
        if self == Share::ONE {
            1.0
        } else {
            self.0 as f64 / ONE as f64
        }
    }

    /// Whether the branch has no chance at all.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// A probability mass: a whole number of 2^-64ths of certainty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mass(u128);

impl Mass {
    /// Certainty: the mass every exploration starts with.
    pub const ONE: Mass = Mass(ONE);
    /// No mass.
    pub const ZERO: Mass = Mass(0);

    /// Hands this mass on to branches with `shares`, in order: each part is this mass times its
    /// share, rounded down, except the last branch with a non-zero share, which gets what is
    /// left. The parts always add up to this mass. `out` is cleared first.
    pub fn split(self, shares: impl IntoIterator<Item = Share>, out: &mut Vec<Mass>) {
        out.clear();
        let mut last_positive = None;
        let mut given = 0u128;
        for share in shares {
            let part = if share == Share::ONE {
                self.0
            } else {
                // self ≤ 2^64 and share < 2^64: the product fits in 128 bits.
                (self.0 * u128::from(share.0)) >> 64
            };
            if !share.is_zero() {
                last_positive = Some(out.len());
            }
            let part = part.min(self.0 - given);
            given += part;
            out.push(Mass(part));
        }
        if let Some(i) = last_positive {
            out[i].0 += self.0 - given;
        } else if let Some(first) = out.first_mut() {
            // Every share is zero: keep the mass rather than lose it (weights of 0 everywhere are
            // refused when loading, so only a zero retry or reply rate on both sides gets here).
            first.0 += self.0 - given;
        }
    }

    /// The probability as a float, for display.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / ONE as f64
    }

    /// What is left of this mass without `other` (never below nothing).
    pub fn minus(self, other: Mass) -> Mass {
        Mass(self.0.saturating_sub(other.0))
    }

    /// Whether nothing reaches here.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::Add for Mass {
    type Output = Mass;
    fn add(self, o: Mass) -> Mass {
        // Masses of disjoint sets of paths never add up to more than one (2^64).
        Mass(self.0.saturating_add(o.0))
    }
}

impl std::ops::AddAssign for Mass {
    fn add_assign(&mut self, o: Mass) {
        *self = *self + o;
    }
}

/// A sum of masses times small counts: Σ mass × n, in 2^-64ths. Expected counts per recipient.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MassSum(u128);

impl MassSum {
    /// Adds `mass` once (a path through a charge counts it once).
    pub fn add(&mut self, mass: Mass) {
        self.0 = self.0.saturating_add(mass.0);
    }

    /// Adds another sum.
    pub fn add_sum(&mut self, other: MassSum) {
        self.0 = self.0.saturating_add(other.0);
    }

    /// The expected count in millionths, rounded half up (for printing with a few decimals).
    pub fn count_micros(self) -> i64 {
        let micros = mul_div_round(self.0, 1_000_000);
        i64::try_from(micros).unwrap_or(i64::MAX)
    }

    /// The expected count as a float (JSON only).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / ONE as f64
    }

    /// `n` times the expected count, rounded once to a whole number (saturating).
    pub fn count_times(self, n: u64) -> u64 {
        u64::try_from(mul_div_round(self.0, n)).unwrap_or(u64::MAX)
    }

    /// The expected count with two decimals: `0.30`.
    pub fn count_text(self) -> String {
        Money::from_micros(self.count_micros()).format(2, false, false)
    }

    /// `price` times the expected count, rounded once to a micro-dollar (saturating at the
    /// largest amount [`Money`] holds).
    pub fn money(self, price: Money) -> Money {
        let p = price.micros();
        let magnitude = mul_div_round(self.0, p.unsigned_abs());
        let m = i64::try_from(magnitude).unwrap_or(i64::MAX);
        Money::from_micros(if p < 0 { -m } else { m })
    }

    /// Whether nothing was added.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// An exact sum of masses times amounts of money: Σ mass × price, kept in 2^-64ths of a
/// micro-dollar until it is read, so a total over several categories is rounded once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expectation {
    /// Whole micro-dollars (positive and negative amounts apart).
    whole: [u128; 2],
    /// The fractions, in 2^-64ths of a micro-dollar (always below one micro-dollar).
    frac: [u128; 2],
}

impl Expectation {
    /// Adds `sum × price`.
    pub fn add(&mut self, sum: MassSum, price: Money) {
        let side = usize::from(price.micros() < 0);
        let n = u128::from(price.micros().unsigned_abs());
        let (hi, lo) = (sum.0 >> 64, sum.0 & (ONE - 1));
        let low = lo * n + self.frac[side];
        self.whole[side] = self.whole[side]
            .saturating_add(hi.saturating_mul(n))
            .saturating_add(low >> 64);
        self.frac[side] = low & (ONE - 1);
    }

    /// The amount, rounded once (half away from zero) to a micro-dollar, saturating at the
    /// largest amount [`Money`] holds.
    pub fn money(self) -> Money {
        let value = |side: usize| -> (i128, u128) {
            (
                i128::try_from(self.whole[side]).unwrap_or(i128::MAX),
                self.frac[side],
            )
        };
        let ((pw, pf), (nw, nf)) = (value(0), value(1));
        // (pw + pf/2^64) − (nw + nf/2^64), rounded.
        let (mut whole, frac) = if pf >= nf {
            (pw.saturating_sub(nw), pf - nf)
        } else {
            (pw.saturating_sub(nw).saturating_sub(1), ONE + pf - nf)
        };
        if whole >= 0 && frac >= ONE / 2 {
            whole = whole.saturating_add(1);
        } else if whole < 0 && frac > ONE / 2 {
            whole += 1;
        }
        Money::from_micros(i64::try_from(whole).unwrap_or(if whole < 0 {
            i64::MIN
        } else {
            i64::MAX
        }))
    }
}

/// `x × n / 2^64`, rounded half up, without overflow (saturating at `u128::MAX`).
fn mul_div_round(x: u128, n: u64) -> u128 {
    let n = u128::from(n);
    let (hi, lo) = (x >> 64, x & (ONE - 1));
    // hi × n and lo × n each fit in 128 bits (both factors below 2^64).
    let whole = hi.saturating_mul(n);
    let low = lo * n;
    let rounded = (low >> 64) + u128::from(low & (ONE - 1) >= ONE / 2);
    whole.saturating_add(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_add_up_to_the_whole() {
        let mut out = Vec::new();
        let third = Share::from_probability(1.0 / 3.0);
        Mass::ONE.split([third, third, third], &mut out);
        assert_eq!(out.iter().map(|m| m.0).sum::<u128>(), ONE);
        // A tiny mass split many ways still adds up.
        Mass(7).split([Share::from_probability(0.1); 9], &mut out);
        assert_eq!(out.iter().map(|m| m.0).sum::<u128>(), 7);
        // Zero shares get nothing; the remainder goes to the last positive share.
        Mass::ONE.split(
            [Share::from_probability(0.5), Share::ONE, Share::ZERO],
            &mut out,
        );
        assert_eq!(out[2], Mass::ZERO);
        assert_eq!(out[0].0 + out[1].0, ONE);
    }

    #[test]
    fn expected_money_is_rounded_once() {
        // 0.3 × 0.0635 = 0.01905 and 0.7 × 0 → 19,050 micro-dollars.
        let mut out = Vec::new();
        Mass::ONE.split(
            [Share::from_probability(0.3), Share::from_probability(0.7)],
            &mut out,
        );
        let mut s = MassSum::default();
        s.add(out[0]);
        assert_eq!(s.money(Money::from_micros(63_500)).micros(), 19_050);
        assert_eq!(s.count_text(), "0.30");
        assert_eq!(s.count_times(10_000), 3_000);
        let mut whole = MassSum::default();
        whole.add(Mass::ONE);
        whole.add(Mass::ONE);
        assert_eq!(whole.count_times(u64::MAX), u64::MAX, "saturates");
        assert_eq!(whole.money(Money::from_micros(i64::MAX)).micros(), i64::MAX);
    }

    #[test]
    fn a_total_over_categories_is_rounded_once() {
        // Half a path pays one micro-dollar in each of two categories: one in all. Rounding
        // each category first would make it two.
        let half = MassSum(ONE / 2);
        let mut e = Expectation::default();
        e.add(half, Money::from_micros(1));
        e.add(half, Money::from_micros(1));
        assert_eq!(e.money().micros(), 1);
        assert_eq!(half.money(Money::from_micros(1)).micros(), 1);
        let mut neg = Expectation::default();
        neg.add(MassSum(ONE), Money::from_micros(5));
        neg.add(MassSum(ONE / 2), Money::from_micros(-3));
        assert_eq!(neg.money().micros(), 4, "5 − 1.5 = 3.5, rounded half up");
    }
}
