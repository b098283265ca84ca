//! flowcost: simulate WhatsApp Business message flows and bill every path under the pricing
//! model in force on a date.
//!
//! The pipeline is load ([`flow`]) → explore ([`simulate`]) → bill ([`billing`]) → price
//! ([`rates`], [`cost`]) → report ([`report`]); see `ARCHITECTURE.md`.

pub mod billing;
pub mod cost;
pub mod country;
pub mod diagnostic;
pub mod flow;
pub mod import;
pub mod limits;
pub mod lint;
pub mod money;
pub mod picture;
pub mod probability;
pub mod rates;
pub mod replay;
pub mod report;
pub mod route;
pub mod simulate;
pub mod text;
pub mod time;
