//! Aggregation of billed charges into counts, and the reconciliation of webhook verdicts.
//!
//! Counts are kept per (model, category, market, day, flow); the report rolls them up by one
//! dimension at a time. A price column is a field of [`Counts`] away: the key already holds
//! everything a rate card is looked up by (model's date, market, category).

use super::fxhash::FxHasher;
use super::market::Market;
use super::row::LogVerdict;
use crate::billing::{Category, PricingModel, Reason, Unit};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// What a charge is counted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The model that billed it.
    pub model: PricingModel,
    /// Its category.
    pub category: Category,
    /// The recipient's market.
    pub market: Market,
    /// Days since 1970-01-01 in the account's time zone, of the charge's time.
    pub day: i32,
    /// Flow id of the message that opened or is the charge (0: none named).
    pub flow: u32,
}

/// Billable and free conversations (or messages, under per-message pricing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Billable.
    pub billable: u64,
    /// Free.
    pub free: u64,
}

impl Counts {
    /// Adds another count.
    pub fn add(&mut self, other: Counts) {
        self.billable += other.billable;
        self.free += other.free;
    }
}

/// Everything counted over a replay.
#[derive(Debug, Default)]
pub struct Tally {
    /// Charges by key.
    pub charges: HashMap<Key, Counts, BuildHasherDefault<FxHasher>>,
    /// Customer messages.
    pub customer_messages: u64,
    /// Business messages delivered (or, for free-form outside the window, attempted).
    pub business_messages: u64,
    /// Free-form messages outside the customer service window: the platform refuses them.
    pub undeliverable: u64,
    /// Recipient threads billed (a recipient silent for long enough starts a new one).
    pub episodes: u64,
}

impl Tally {
    /// Counts one charge.
    pub fn charge(&mut self, key: Key, billable: bool) {
        let c = self.charges.entry(key).or_default();
        if billable {
            c.billable += 1;
        } else {
            c.free += 1;
        }
    }
}

/// flowcost's verdict on one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OurVerdict {
    /// Billed: the conversation it opened or rode on, or the charged message.
    Billed {
        /// The model in force.
        model: PricingModel,
        /// Category of the conversation or message.
        category: Category,
        /// Billable or free.
        billable: bool,
        /// Why.
        reason: Reason,
    },
    /// A free-form message outside the customer service window.
    Undeliverable,
}

impl OurVerdict {
    /// One line, like `pmp-2026-10 marketing billable regular`.
    pub fn describe(&self) -> String {
        match self {
            OurVerdict::Billed {
                model,
                category,
                billable,
                reason,
            } => format!(
                "{model} {category} {} {}",
                if *billable { "billable" } else { "free" },
                reason.name()
            ),
            OurVerdict::Undeliverable => "undeliverable (free-form outside the window)".into(),
        }
    }
}

/// Describes a log verdict like `PMP marketing billable regular`.
pub fn describe_log(v: &LogVerdict) -> String {
    let b = match v.billable {
        Some(true) => "billable",
        Some(false) => "free",
        None => "billable?",
    };
    format!(
        "{} {} {b} {}",
        v.pricing_model.as_deref().unwrap_or("?"),
        v.category.as_deref().unwrap_or("?"),
        v.kind.as_deref().unwrap_or("-")
    )
    .trim_end_matches(" -")
    .to_string()
}

/// A message whose logged billing differs from flowcost's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The message id.
    pub message_id: String,
    /// The recipient.
    pub recipient: String,
    /// When it was delivered (ms since the epoch).
    pub at: i64,
    /// What the log says, as [`describe_log`] puts it.
    pub log: String,
    /// What flowcost says, as [`OurVerdict::describe`] puts it.
    pub ours: String,
    /// Which parts differ: `pricing_model`, `category`, `billable`, `type`, `delivery`.
    pub differs: Vec<&'static str>,
}

impl Mismatch {
    /// The order mismatches are listed in, whatever thread, shard or machine billed them: by
    /// delivery time to the second (as reports show it), then message id, recipient and the
    /// verdicts.
    pub fn order(a: &Mismatch, b: &Mismatch) -> std::cmp::Ordering {
        fn key(m: &Mismatch) -> (i64, &str, &str, &str, &str) {
            (
                m.at.div_euclid(1000),
                &m.message_id,
                &m.recipient,
                &m.log,
                &m.ours,
            )
        }
        key(a).cmp(&key(b))
    }
}

/// Most mismatches kept in memory; the rest are counted.
pub const MAX_MISMATCHES_KEPT: usize = 1_000_000;

/// The invoice check over status webhooks.
#[derive(Debug, Default)]
pub struct Reconcile {
    /// Status webhook rows read.
    pub statuses: u64,
    /// Distinct messages delivered (or read) with a pricing block: compared.
    pub checked: u64,
    /// Compared and equal.
    pub agreed: u64,
    /// Compared and different (all of them, kept or not).
    pub mismatched: u64,
    /// The first [`MAX_MISMATCHES_KEPT`] mismatches (in the order the recipients were billed;
    /// [`super::replay`] sorts them by [`Mismatch::order`]).
    pub mismatches: Vec<Mismatch>,
    /// Messages whose statuses carry no pricing category: not billed, not compared.
    pub unclassified: u64,
    /// Messages that failed: cost nothing.
    pub failed: u64,
    /// Messages sent but never delivered in the log: not billed.
    pub undelivered: u64,
}

/// Meta's `pricing.type` for a reason; conversation-based reasons map to the closest name.
pub fn meta_type(reason: Reason) -> &'static str {
    match reason {
        Reason::NewConversation | Reason::Regular => "regular",
        Reason::FreeServiceConversation | Reason::FreeCustomerService => "free_customer_service",
        Reason::FreeEntryPoint => "free_entry_point",
    }
}

/// The parts of a log verdict that differ from ours.
pub fn compare(log: &LogVerdict, ours: &OurVerdict) -> Vec<&'static str> {
    let OurVerdict::Billed {
        model,
        category,
        billable,
        reason,
    } = ours
    else {
        return vec!["delivery"];
    };
    let mut differs = Vec::new();
    if let Some(pm) = log.pricing_model.as_deref() {
        let unit = match pm.to_ascii_uppercase().as_str() {
            "CBP" => Some(Unit::Conversation),
            "PMP" => Some(Unit::Message),
            _ => None,
        };
        if unit != Some(model.unit()) {
            differs.push("pricing_model");
        }
    }
    if let Some(c) = log.category.as_deref() {
        let same = match c {
            "referral_conversion" => *reason == Reason::FreeEntryPoint,
            "marketing_lite" => *category == Category::Marketing,
            "authentication_international" => *category == Category::Authentication,
            other => other == category.name(),
        };
        if !same {
            differs.push("category");
        }
    }
    if log.billable.is_some_and(|b| b != *billable) {
        differs.push("billable");
    }
    if log.kind.as_deref().is_some_and(|t| t != meta_type(*reason)) {
        differs.push("type");
    }
    differs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_names_what_differs() {
        let log = LogVerdict {
            billable: Some(false),
            pricing_model: Some("PMP".into()),
            category: Some("utility".into()),
            kind: Some("free_customer_service".into()),
        };
        let ours = OurVerdict::Billed {
            model: PricingModel::Pmp2026_10,
            category: Category::Utility,
            billable: true,
            reason: Reason::Regular,
        };
        assert_eq!(compare(&log, &ours), vec!["billable", "type"]);
        assert_eq!(describe_log(&log), "PMP utility free free_customer_service");
        assert_eq!(compare(&log, &OurVerdict::Undeliverable), vec!["delivery"]);
    }
}
