//! flowcost: simulate WhatsApp Business message flows and bill every path under the pricing
//! model in force on a date.
//!
//! The pipeline is load ([`flow`]) → explore ([`simulate`]) → bill ([`billing`]) → report
//! ([`report`]); see `ARCHITECTURE.md`.

pub mod billing;
pub mod diagnostic;
pub mod flow;
pub mod lint;
pub mod replay;
pub mod report;
pub mod simulate;
pub mod time;
