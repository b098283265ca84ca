//! The billing engine: one recipient's events + a pricing model → a [`Bill`].
//!
//! Pure: no I/O, no knowledge of flows. The simulator and (later) log replay both call
//! [`bill`], so they agree by construction. Rule numbers in doc comments refer to the numbered
//! rules of `docs/billing.md`; each rule also names its public source.

mod engine;
mod model;

pub use engine::{bill, bill_into, Applied, Biller, BillerKey, ENTRY_POINT_WINDOW, WINDOW};
pub use model::{ModelError, PricingModel, Rules, Unit};

use chrono::{DateTime, Utc};

use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// A conversation or message category (docs/billing.md, "Words": categories).
///
/// Declared in alphabetical order so that sorted sets print alphabetically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// One-time passcodes; template only, needs approval.
    Authentication,
    /// Promotions, offers, announcements; template only, needs approval.
    Marketing,
    /// Replies to customer inquiries; opened by free-form messages.
    Service,
    /// Transactional updates (order confirmed, parcel sent); template only.
    Utility,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 4] = [
        Category::Authentication,
        Category::Marketing,
        Category::Service,
        Category::Utility,
    ];

    /// The lowercase name used in YAML, JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            Category::Authentication => "authentication",
            Category::Marketing => "marketing",
            Category::Service => "service",
            Category::Utility => "utility",
        }
    }

    /// Whether a template ("Send update") may carry this category: every one but service
    /// (docs/billing.md rule 5: marketing, utility and authentication are sent as templates
    /// only).
    pub fn is_template_category(self) -> bool {
        self != Category::Service
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("`{s}` is not a category"))
    }
}

/// How a customer message reached the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryPoint {
    /// The customer wrote on their own.
    Organic,
    /// Through a click-to-WhatsApp ad or a Facebook Page call-to-action (rule 7).
    AdClick,
}

/// What happened at one instant in one recipient's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The customer wrote: opens (or restarts) the 24 h customer service window.
    CustomerMessage(EntryPoint),
    /// The business sent a free-form ("Send message") message: a service message.
    FreeForm,
    /// The business sent a template ("Send update") of a category.
    Template(Category),
}

/// One event on a recipient's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// When it happened (delivery time for business messages).
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: EventKind,
}

/// Why a charge is billable or free. The names match Meta's webhook `pricing.type` values where
/// one exists (`regular`, `free_customer_service`, `free_entry_point`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Conversation-based pricing: the message opened a new billable conversation (rules 1-3).
    NewConversation,
    /// `cbp-2024-11`: service conversations are free and unlimited (rule 9).
    FreeServiceConversation,
    /// Inside a 72 h free entry point window (rules 7, 11, 17).
    FreeEntryPoint,
    /// `pmp`: free-form messages and utility templates inside the customer service window (rule 11).
    FreeCustomerService,
    /// Per-message pricing: the message is charged at its category's rate (rules 10, 12, 15, 16).
    Regular,
}

impl Reason {
    /// The stable snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Reason::NewConversation => "new_conversation",
            Reason::FreeServiceConversation => "free_service_conversation",
            Reason::FreeEntryPoint => "free_entry_point",
            Reason::FreeCustomerService => "free_customer_service",
            Reason::Regular => "regular",
        }
    }

    /// A short phrase for people.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::NewConversation => "opens a billable conversation",
            Reason::FreeServiceConversation => "service conversations are free since 2024-11-01",
            Reason::FreeEntryPoint => "free entry point (72 h after an ad click)",
            Reason::FreeCustomerService => "free inside the customer service window",
            Reason::Regular => "charged per message",
        }
    }
}

/// A conversation (conversation-based pricing) or a charged message (per-message pricing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// Category of the conversation or message.
    pub category: Category,
    /// When the conversation opened or the message was delivered.
    pub at: DateTime<Utc>,
    /// Conversations only: the end of the half-open window `[at, until)`; earlier than
    /// `at + 24h` when a free entry point closed it (rule 7).
    pub until: Option<DateTime<Utc>>,
    /// Whether Meta bills it.
    pub billable: bool,
    /// Why it is billable or free.
    pub reason: Reason,
    /// Index, in the input events, of the message that opened or is this charge.
    pub event: usize,
}

/// What became of one business message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Free-form outside the customer service window: the platform refuses it; not billed.
    Undeliverable,
    /// Delivered; the index of the charge it opened, rode on, or is.
    Delivered(usize),
}

/// The fate of the business message at `event` (an index into the input events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Index of the message in the input events.
    pub event: usize,
    /// What became of it.
    pub fate: Fate,
}

/// The result of billing one recipient's events under one pricing model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    /// The model that was applied.
    pub model: PricingModel,
    /// Conversations or charged messages, in the order they arose.
    pub charges: Vec<Charge>,
    /// One entry per business message, in time order.
    pub deliveries: Vec<Delivery>,
}

impl Bill {
    /// Billable conversations (conversation-based) or billable messages (per-message).
    pub fn billable(&self) -> usize {
        self.charges.iter().filter(|c| c.billable).count()
    }

    /// Conversations or messages that are free.
    pub fn free(&self) -> usize {
        self.charges.len() - self.billable()
    }

    /// Categories opened or charged, free ones included, in alphabetical order.
    pub fn categories(&self) -> BTreeSet<Category> {
        self.charges.iter().map(|c| c.category).collect()
    }

    /// Categories with a billable charge: a path billed for more than one mixes categories
    /// at a cost (docs/billing.md rule 2: each category is paid for).
    pub fn billed_categories(&self) -> BTreeSet<Category> {
        self.charges
            .iter()
            .filter(|c| c.billable)
            .map(|c| c.category)
            .collect()
    }

    /// Indices (into the input events) of free-form messages the platform would refuse.
    pub fn undeliverable(&self) -> impl Iterator<Item = usize> + '_ {
        self.deliveries
            .iter()
            .filter(|d| d.fate == Fate::Undeliverable)
            .map(|d| d.event)
    }
}
