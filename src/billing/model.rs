//! Pricing models, each in force from an effective date (`docs/billing.md`, "Pricing models and their dates").

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// What one billable unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A 24-hour conversation of one category.
    Conversation,
    /// One delivered message.
    Message,
}

/// A version of Meta's WhatsApp Business pricing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PricingModel {
    /// Conversation-based pricing with four categories, from 2023-06-01. Source: Meta's pricing
    /// page (conversation-based pricing, rules 1-8).
    Cbp,
    /// Amendment from 2024-11-01: service conversations free and unlimited (rule 9). Sources:
    /// Gupshup "Billing events", chatapp help.
    Cbp2024_11,
    /// Per-message pricing from 2025-07-01: templates charged one by one; free-form and
    /// in-window utility free (rules 10-13). Sources: Meta pricing page, YCloud, AWS, Vonage.
    Pmp,
    /// From 2026-10-01: service messages charged at the utility rate and in-window utility
    /// charged again (rules 14-19). Sources: Meta "Upcoming pricing updates" (2026-07-01),
    /// YCloud, ChakraHQ.
    Pmp2026_10,
}

/// A date or name that selects no pricing model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Before 2023-06-01 the four categories did not exist yet.
    TooEarly(NaiveDate),
    /// `--pricing` named no model.
    UnknownName(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::TooEarly(d) => write!(
                f,
                "{d} is before 2023-06-01: Meta's four conversation categories did not exist yet, \
                 so flowcost has no pricing model for it"
            ),
            ModelError::UnknownName(n) => write!(
                f,
                "`{n}` is not a pricing model; known models: {}",
                PricingModel::ALL.map(|m| m.name()).join(", ")
            ),
        }
    }
}

impl std::error::Error for ModelError {}

impl PricingModel {
    /// Every model, oldest first.
    pub const ALL: [PricingModel; 4] = [
        PricingModel::Cbp,
        PricingModel::Cbp2024_11,
        PricingModel::Pmp,
        PricingModel::Pmp2026_10,
    ];

    /// The stable name used by `--pricing` and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            PricingModel::Cbp => "cbp",
            PricingModel::Cbp2024_11 => "cbp-2024-11",
            PricingModel::Pmp => "pmp",
            PricingModel::Pmp2026_10 => "pmp-2026-10",
        }
    }

    /// The first day the model is in force (midnight in the business account's time zone).
    pub fn effective(self) -> NaiveDate {
        let (y, m) = match self {
            PricingModel::Cbp => (2023, 6),
            PricingModel::Cbp2024_11 => (2024, 11),
            PricingModel::Pmp => (2025, 7),
            PricingModel::Pmp2026_10 => (2026, 10),
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("valid constant date")
    }

    /// One line on what the model charges.
    pub fn summary(self) -> &'static str {
        match self {
            PricingModel::Cbp => {
                "24 h conversations per category; every category billable, service included"
            }
            PricingModel::Cbp2024_11 => "24 h conversations per category; service conversations free",
            PricingModel::Pmp => {
                "every template charged; free-form and utility inside the service window free"
            }
            PricingModel::Pmp2026_10 => {
                "every template and every free-form (service) message charged; in-window utility charged"
            }
        }
    }

    /// Conversations or messages.
    pub fn unit(self) -> Unit {
        match self {
            PricingModel::Cbp | PricingModel::Cbp2024_11 => Unit::Conversation,
            PricingModel::Pmp | PricingModel::Pmp2026_10 => Unit::Message,
        }
    }

    /// The model in force on a calendar date.
    pub fn in_force_on(date: NaiveDate) -> Result<PricingModel, ModelError> {
        PricingModel::ALL
            .into_iter()
            .rev()
            .find(|m| m.effective() <= date)
            .ok_or(ModelError::TooEarly(date))
    }

    /// The model in force at an instant, for an account whose time zone is `account_tz`
    /// (Meta switches models at midnight in the business account's time zone).
    pub fn in_force_at(
        at: DateTime<Utc>,
        account_tz: FixedOffset,
    ) -> Result<PricingModel, ModelError> {
        PricingModel::in_force_on(at.with_timezone(&account_tz).date_naive())
    }
}

impl fmt::Display for PricingModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PricingModel {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PricingModel::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| ModelError::UnknownName(s.to_string()))
    }
}

/// Rules whose reading is uncertain, as named switches (`docs/billing.md` gives each its source and reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Rule 4: under conversation-based pricing a free-form message inside the customer service
    /// window rides on an open conversation of *any* category, and opens a service conversation
    /// only when none is open. Sources: Meta's conversation examples mirrored in the BotSpace
    /// docs; MyOperator KB "How is a conversation charged when a template is sent?". When
    /// false, a free-form message rides only on an open service conversation.
    pub free_form_joins_open_conversation: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            free_form_joins_open_conversation: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn models_switch_on_their_effective_dates() {
        let cases = [
            ("2023-06-01", PricingModel::Cbp),
            ("2024-10-31", PricingModel::Cbp),
            ("2024-11-01", PricingModel::Cbp2024_11),
            ("2025-06-30", PricingModel::Cbp2024_11),
            ("2025-07-01", PricingModel::Pmp),
            ("2026-09-30", PricingModel::Pmp),
            ("2026-10-01", PricingModel::Pmp2026_10),
            ("2030-01-01", PricingModel::Pmp2026_10),
        ];
        for (d, m) in cases {
            assert_eq!(PricingModel::in_force_on(date(d)).unwrap(), m, "{d}");
        }
    }

    #[test]
    fn dates_before_2023_06_01_are_refused() {
        let err = PricingModel::in_force_on(date("2023-05-31")).unwrap_err();
        assert!(err.to_string().contains("before 2023-06-01"));
    }

    #[test]
    fn account_time_zone_moves_the_switch() {
        let at: DateTime<Utc> = "2026-09-30T23:30:00Z".parse().unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        let berlin = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(
            PricingModel::in_force_at(at, utc).unwrap(),
            PricingModel::Pmp
        );
        assert_eq!(
            PricingModel::in_force_at(at, berlin).unwrap(),
            PricingModel::Pmp2026_10
        );
    }

    #[test]
    fn names_round_trip() {
        for m in PricingModel::ALL {
            assert_eq!(m.name().parse::<PricingModel>().unwrap(), m);
        }
        assert!("pmp-2027".parse::<PricingModel>().is_err());
    }
}
