//! Parsed log rows, in batches handed from the reading thread to the billing thread.

use super::market::Market;
use crate::billing::{Category, EntryPoint, EventKind};

/// What one row says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A message event (customer message, free-form or template).
    Event(EventKind),
    /// A status webhook; the index of its [`Status`] in the batch.
    Status(u32),
}

/// One parsed row. The recipient is a range of the batch's `text`.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Milliseconds since the epoch.
    pub at: i64,
    /// Start of the recipient in the batch text.
    pub recipient: u32,
    /// Length of the recipient.
    pub recipient_len: u32,
    /// FxHash of the recipient, computed on the reading thread.
    pub hash: u64,
    /// What happened.
    pub kind: RowKind,
    /// Interned flow id; 0 when the log names none.
    pub flow: u32,
    /// The market column, when the row has one.
    pub market: Option<Market>,
    /// File index and line, for late diagnostics.
    pub file: u32,
    /// 1-based line number.
    pub line: u64,
}

/// A status webhook's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Sent, not yet delivered: not billed on its own.
    Sent,
    /// Delivered: billed (docs/billing.md, Words: "Delivery").
    Delivered,
    /// Read: implies delivery.
    Read,
    /// Failed: costs nothing.
    Failed,
}

/// The billing verdict a status webhook's `pricing` block carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogVerdict {
    /// `pricing.billable`.
    pub billable: Option<bool>,
    /// `pricing.pricing_model`: `CBP` or `PMP`.
    pub pricing_model: Option<String>,
    /// `pricing.category`.
    pub category: Option<String>,
    /// `pricing.type`: `regular`, `free_customer_service`, `free_entry_point`.
    pub kind: Option<String>,
}

impl LogVerdict {
    /// The message kind the verdict implies: a status webhook does not say whether a message
    /// was a template, so `service` (and `referral_conversion`, an entry point's reply) is read
    /// as free-form and every other category as a template of that category.
    pub fn event_kind(&self) -> Option<EventKind> {
        let c = self.category.as_deref()?;
        Some(match c {
            "service" | "referral_conversion" => EventKind::FreeForm,
            "marketing" | "marketing_lite" => EventKind::Template(Category::Marketing),
            "utility" => EventKind::Template(Category::Utility),
            "authentication" | "authentication_international" => {
                EventKind::Template(Category::Authentication)
            }
            _ => return None,
        })
    }
}

/// One status webhook object.
#[derive(Debug, Clone)]
pub struct Status {
    /// The message id (`wamid…`).
    pub id: Box<str>,
    /// Which status.
    pub kind: StatusKind,
    /// Its pricing block.
    pub verdict: Option<LogVerdict>,
}

/// A row problem: the row is skipped and counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// Index of the file in the inputs.
    pub file: u32,
    /// 1-based line (0 for the whole file).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// Rows parsed from consecutive lines of one file.
#[derive(Debug, Default)]
pub struct Batch {
    /// Recipient bytes of every row, back to back.
    pub text: Vec<u8>,
    /// The rows.
    pub rows: Vec<Row>,
    /// Status webhooks referred to by rows.
    pub statuses: Vec<Status>,
    /// Flow names interned since the previous batch, in id order (ids start at 1).
    pub new_flows: Vec<String>,
    /// Rows skipped.
    pub problems: Vec<RowProblem>,
    /// Whole files that could not be read.
    pub unusable: Vec<RowProblem>,
}

impl Batch {
    /// The recipient of a row.
    pub fn recipient(&self, row: &Row) -> &[u8] {
        let start = row.recipient as usize;
        &self.text[start..start + row.recipient_len as usize]
    }

    /// Empties the batch, keeping its buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.rows.clear();
        self.statuses.clear();
        self.new_flows.clear();
        self.problems.clear();
        self.unusable.clear();
    }

    /// Appends a row whose recipient is `recipient`.
    pub fn push(&mut self, mut row: Row, recipient: &[u8]) {
        row.recipient = self.text.len() as u32;
        row.recipient_len = recipient.len() as u32;
        row.hash = hash(recipient);
        self.text.extend_from_slice(recipient);
        self.rows.push(row);
    }
}

/// Where a reader puts what it parsed.
pub trait Sink {
    /// A row and its recipient.
    fn row(&mut self, row: Row, recipient: &[u8]);
    /// A skipped row.
    fn problem(&mut self, problem: RowProblem);
}

impl Sink for Batch {
    fn row(&mut self, row: Row, recipient: &[u8]) {
        self.push(row, recipient);
    }
    fn problem(&mut self, problem: RowProblem) {
        self.problems.push(problem);
    }
}

/// The hash recipients are grouped and sharded by.
pub fn hash(recipient: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = super::fxhash::FxHasher::default();
    h.write(recipient);
    h.finish()
}

/// The shard (of `shards`) a recipient hash belongs to.
pub fn shard_of(hash: u64, shards: u64) -> u64 {
    (hash >> 32) % shards
}

/// Customer message kinds.
pub fn customer(ad_click: bool) -> EventKind {
    EventKind::CustomerMessage(if ad_click {
        EntryPoint::AdClick
    } else {
        EntryPoint::Organic
    })
}

/// The part (of `parts`) a recipient hash belongs to, when rows are split for cache-sized
/// tables: other bits than [`shard_of`]'s and than the table's own.
pub fn part_of(hash: u64, parts: usize) -> usize {
    // Sixteen bits scaled to `parts` by a multiply, not a division.
    ((((hash >> 40) & 0xffff) as usize) * parts) >> 16
}

/// The top bit of a row's `line` marks a Parquet location: a row group and a row index in it
/// (both from 0) instead of a line number. Locations sort in file order, as lines do.
pub const PARQUET_LOCATION: u64 = 1 << 63;

/// Bits of a location that hold the row index (the row group is above them).
const ROW_BITS: u32 = 40;

/// The `line` of a Parquet row: row `row` of row group `group` (`group` < 2^23, `row` < 2^40;
/// the reader refuses files past that).
pub fn parquet_location(group: usize, row: u64) -> u64 {
    PARQUET_LOCATION | ((group as u64) << ROW_BITS) | (row & ((1 << ROW_BITS) - 1))
}

/// A row's place as people read it: `17` (a line) or `row group 0, row 16` (Parquet).
pub fn show_line(line: u64) -> String {
    if line & PARQUET_LOCATION == 0 {
        return line.to_string();
    }
    let group = (line & !PARQUET_LOCATION) >> ROW_BITS;
    let row = line & ((1 << ROW_BITS) - 1);
    format!("row group {group}, row {row}")
}
