//! `flowcost graph`.

use super::{load, Failure};
use crate::cli::{GraphArgs, GraphFormat};
use flowcost::picture::{dot, mermaid};

/// The flow as Mermaid or DOT.
pub fn run(args: &GraphArgs) -> Result<String, Failure> {
    let flow = load(&args.input)?;
    let date = args.at.unwrap_or_else(chrono::Utc::now).date_naive();
    Ok(match args.format {
        GraphFormat::Mermaid => mermaid(&flow, date),
        GraphFormat::Dot => dot(&flow, date),
    })
}
