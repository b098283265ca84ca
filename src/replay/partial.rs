//! Partial results: the JSON of `replay --format json` read back, and several of them added up
//! into one [`Replay`] that reports exactly as one run over all their logs would.
//!
//! This holds when the parts' logs split the recipients (every recipient's rows in one part):
//! a recipient's episodes are billed from its own rows alone, so every count is a sum over
//! recipients, and the parts' counts add up. Parts must have been replayed under the same
//! options (`--pricing`, `--account-tz`, `--free-form-joins-open-conversation`) by the same
//! flowcost version; anything else is refused, since the sum would be no run's result.
//!
//! Problems keep their file and line within their part: the file is named as the part named
//! it, or `PART:FILE` when more than one part has a file of that name (`<stdin>`, say). The
//! listed problems are the first [`PROBLEMS_LISTED`] by part, then by file and line.

use super::group::{Billing, Grouper, Problems, PROBLEMS_LISTED};
use super::market::{self, Market};
use super::row::RowProblem;
use super::tally::{Counts, Key, Mismatch, Reconcile, MAX_MISMATCHES_KEPT};
use super::{Mode, Replay};
use crate::billing::{Category, PricingModel, Rules};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// The `schema_version` of the replay JSON this flowcost writes and reads.
pub const SCHEMA_VERSION: u64 = 1;

/// One partial result, as `replay --format json` printed it.
#[derive(Debug, Deserialize)]
struct Doc {
    flowcost_version: String,
    options: DocOptions,
    files: Vec<String>,
    rows: u64,
    skipped_rows: u64,
    problems: Vec<DocProblem>,
    unusable_files: Vec<DocUnusable>,
    mode: String,
    merged_files: bool,
    strict_stop: bool,
    cut_short: bool,
    complete: bool,
    recipient_threads: u64,
    customer_messages: u64,
    business_messages: u64,
    undeliverable: u64,
    charges: Vec<DocCharge>,
    reconcile: Option<DocReconcile>,
}

/// The options that change the counts.
#[derive(Debug, Deserialize, PartialEq)]
struct DocOptions {
    pricing: Option<String>,
    account_tz: String,
    free_form_joins_open_conversation: bool,
}

#[derive(Debug, Deserialize)]
struct DocProblem {
    file: String,
    line: u64,
    message: String,
}

#[derive(Debug, Deserialize)]
struct DocUnusable {
    file: String,
    message: String,
}

#[derive(Debug, Deserialize)]
struct DocCharge {
    model: String,
    category: String,
    market: String,
    day: String,
    flow: Option<String>,
    billable: u64,
    free: u64,
}

#[derive(Debug, Deserialize)]
struct DocReconcile {
    statuses: u64,
    checked: u64,
    agreed: u64,
    mismatched: u64,
    failed: u64,
    undelivered: u64,
    unclassified: u64,
    mismatches: Vec<DocMismatch>,
}

#[derive(Debug, Deserialize)]
struct DocMismatch {
    message_id: String,
    recipient: String,
    delivered_at: String,
    log: String,
    flowcost: String,
    differs: Vec<String>,
}

/// Partial results added up: the replay they make together and the names of its files.
pub struct Merged {
    /// The counts, as one run would have them.
    pub replay: Replay,
    /// Every part's files, in the order of the parts (see the module's note on names).
    pub files: Vec<PathBuf>,
}

/// Adds up partial results, given as (name, JSON text) in the order to list them. Errors name
/// the part and what is wrong with it: not JSON, another schema version, not a replay result,
/// or replayed under other options or by another flowcost version than the first part.
pub fn merge(parts: &[(String, String)]) -> Result<Merged, String> {
    let docs = parts
        .iter()
        .map(|(name, text)| read(name, text))
        .collect::<Result<Vec<Doc>, String>>()?;
    let (Some(first), Some((first_name, _))) = (docs.first(), parts.first()) else {
        return Err("no partial result to merge".into());
    };
    for (doc, (name, _)) in docs.iter().zip(parts).skip(1) {
        same_run(first_name, first, name, doc)?;
    }
    let billing = billing(&first.options).map_err(|e| format!("{first_name}: {e}"))?;
    let names = file_names(parts, &docs);
    let mut sum = Sum::new(billing);
    for ((doc, (name, _)), files) in docs.iter().zip(parts).zip(&names) {
        sum.add(doc, files).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(sum.finish(names.into_iter().flatten().map(PathBuf::from).collect()))
}

/// Parses one part and checks its schema version.
fn read(name: &str, text: &str) -> Result<Doc, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!("{name}: not JSON ({e}): expected the output of `flowcost replay --format json`")
    })?;
    match value.get("schema_version").and_then(serde_json::Value::as_u64) {
        Some(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{name}: schema_version {v}: this flowcost reads partial results of schema_version {SCHEMA_VERSION}"
            ))
        }
        None => {
            return Err(format!(
                "{name}: no schema_version: not the output of `flowcost replay --format json`"
            ))
        }
    }
    serde_json::from_value(value).map_err(|e| {
        format!("{name}: not a partial replay result this flowcost can read: {e} (replay the part again with this version)")
    })
}

/// Refuses a part replayed by another version or under other options than the first.
fn same_run(first_name: &str, first: &Doc, name: &str, doc: &Doc) -> Result<(), String> {
    if doc.flowcost_version != first.flowcost_version {
        return Err(format!(
            "{name} was replayed by flowcost {}, {first_name} by {}: replay every part with the same version",
            doc.flowcost_version, first.flowcost_version
        ));
    }
    let (a, b) = (&first.options, &doc.options);
    let differs = [
        (
            "--pricing",
            a.pricing != b.pricing,
            show(&a.pricing),
            show(&b.pricing),
        ),
        (
            "--account-tz",
            a.account_tz != b.account_tz,
            a.account_tz.clone(),
            b.account_tz.clone(),
        ),
        (
            "--free-form-joins-open-conversation",
            a.free_form_joins_open_conversation != b.free_form_joins_open_conversation,
            a.free_form_joins_open_conversation.to_string(),
            b.free_form_joins_open_conversation.to_string(),
        ),
    ];
    match differs.into_iter().find(|d| d.1) {
        Some((option, _, x, y)) => Err(format!(
            "{name} was replayed with {option} {y}, {first_name} with {option} {x}: parts replayed under different options do not add up; replay them alike"
        )),
        None => Ok(()),
    }
}

fn show(pricing: &Option<String>) -> String {
    pricing
        .clone()
        .unwrap_or_else(|| "(none: each event's own model)".into())
}

/// The billing options a part records.
fn billing(o: &DocOptions) -> Result<Billing, String> {
    let fixed = match &o.pricing {
        Some(name) => Some(
            name.parse::<PricingModel>()
                .map_err(|e| format!("options.pricing: {e}"))?,
        ),
        None => None,
    };
    let tz = o
        .account_tz
        .parse::<FixedOffset>()
        .map_err(|e| format!("options.account_tz {:?}: {e}", o.account_tz))?;
    Ok(Billing {
        fixed,
        tz,
        rules: Rules {
            free_form_joins_open_conversation: o.free_form_joins_open_conversation,
        },
    })
}

/// Each part's file names, qualified by the part where another part has one of that name.
fn file_names(parts: &[(String, String)], docs: &[Doc]) -> Vec<Vec<String>> {
    let mut parts_with: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let mut seen: Vec<&str> = doc.files.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for f in seen {
            *parts_with.entry(f).or_default() += 1;
        }
    }
    docs.iter()
        .zip(parts)
        .map(|(doc, (part, _))| {
            doc.files
                .iter()
                .map(|f| match parts_with.get(f.as_str()) {
                    Some(n) if *n > 1 => format!("{part}:{f}"),
                    _ => f.clone(),
                })
                .collect()
        })
        .collect()
}

/// The running sum of the parts.
struct Sum {
    grouper: Grouper,
    problems: Problems,
    flows: HashMap<String, u32>,
    files: u32,
    /// Every charge counted, billable or free.
    charged: u64,
    hold: bool,
    merged: bool,
    strict_stop: bool,
    cut_short: bool,
}

impl Sum {
    fn new(billing: Billing) -> Sum {
        Sum {
            grouper: Grouper::new(billing, true, 0, (0, 1)),
            problems: Problems::default(),
            flows: HashMap::new(),
            files: 0,
            charged: 0,
            hold: false,
            merged: false,
            strict_stop: false,
            cut_short: false,
        }
    }

    /// Adds one part, whose files are named `names` in the merged result.
    fn add(&mut self, doc: &Doc, names: &[String]) -> Result<(), String> {
        let complete = !doc.strict_stop && !doc.cut_short && doc.unusable_files.is_empty();
        if complete != doc.complete {
            return Err(format!(
                "complete is {} but strict_stop, cut_short and unusable_files say {complete}",
                doc.complete
            ));
        }
        self.hold |= match doc.mode.as_str() {
            "stream" => false,
            "hold" => true,
            other => return Err(format!("mode {other:?}: expected \"stream\" or \"hold\"")),
        };
        self.merged |= doc.merged_files;
        self.strict_stop |= doc.strict_stop;
        self.cut_short |= doc.cut_short;
        self.add_problems(doc)?;
        let g = &mut self.grouper;
        plus(&mut g.rows, doc.rows)?;
        let t = &mut g.tally;
        plus(&mut t.episodes, doc.recipient_threads)?;
        plus(&mut t.customer_messages, doc.customer_messages)?;
        plus(&mut t.business_messages, doc.business_messages)?;
        plus(&mut t.undeliverable, doc.undeliverable)?;
        for c in &doc.charges {
            let key = self.key(c)?;
            // Every table total is at most this sum: bounding it bounds them all.
            plus(&mut self.charged, c.billable)?;
            plus(&mut self.charged, c.free)?;
            let counts = Counts {
                billable: c.billable,
                free: c.free,
            };
            self.grouper
                .tally
                .charges
                .entry(key)
                .or_default()
                .add(counts);
        }
        if let Some(r) = &doc.reconcile {
            add_reconcile(&mut self.grouper.reconcile, r)?;
        }
        self.files += names.len() as u32;
        Ok(())
    }

    /// The part's problems, with file indices into the merged files.
    fn add_problems(&mut self, doc: &Doc) -> Result<(), String> {
        let index = |file: &str| {
            doc.files
                .iter()
                .position(|f| f == file)
                .map(|i| self.files + i as u32)
                .ok_or_else(|| format!("a problem names {file:?}, which is not among its files"))
        };
        for p in &doc.problems {
            self.problems.first.push(RowProblem {
                file: index(&p.file)?,
                line: p.line,
                message: p.message.clone(),
            });
        }
        for u in &doc.unusable_files {
            self.problems.unusable.push(RowProblem {
                file: index(&u.file)?,
                line: 0,
                message: u.message.clone(),
            });
        }
        if (doc.problems.len() as u64) > doc.skipped_rows {
            return Err(format!(
                "{} problems listed but skipped_rows is {}",
                doc.problems.len(),
                doc.skipped_rows
            ));
        }
        plus(&mut self.problems.skipped, doc.skipped_rows)?;
        Ok(())
    }

    /// A charge's key, its flow named by this sum's ids.
    fn key(&mut self, c: &DocCharge) -> Result<Key, String> {
        let model = c
            .model
            .parse::<PricingModel>()
            .map_err(|e| format!("charges: {e}"))?;
        let category = c
            .category
            .parse::<Category>()
            .map_err(|_| format!("charges: unknown category {:?}", c.category))?;
        let day = NaiveDate::parse_from_str(&c.day, "%Y-%m-%d")
            .map_err(|_| format!("charges: day {:?} is not YYYY-MM-DD", c.day))?;
        let flow = match &c.flow {
            None => 0,
            Some(name) => {
                let next = self.grouper.flows.len() as u32;
                let id = *self.flows.entry(name.clone()).or_insert(next);
                if id == next {
                    self.grouper.flows.push(name.clone());
                }
                id
            }
        };
        Ok(Key {
            model,
            category,
            market: market_code(&c.market)?,
            day: (day - NaiveDate::default()).num_days() as i32,
            flow,
        })
    }

    fn finish(mut self, files: Vec<PathBuf>) -> Merged {
        let key = |p: &RowProblem| (p.file, p.line);
        self.problems.first.sort_by_key(key);
        self.problems.first.truncate(PROBLEMS_LISTED);
        self.problems.unusable.sort_by_key(|p| p.file);
        let r = &mut self.grouper.reconcile;
        r.mismatches.sort_by(Mismatch::order);
        r.mismatches.truncate(MAX_MISMATCHES_KEPT);
        Merged {
            replay: Replay {
                grouper: self.grouper,
                problems: self.problems,
                mode: if self.hold { Mode::Hold } else { Mode::Stream },
                fell_back: None,
                bytes: 0,
                strict_stop: self.strict_stop,
                cut_short: self.cut_short,
                merged: self.merged,
                too_many_to_merge: false,
            },
            files,
        }
    }
}

/// Adds a part's count to the sum, refusing counts no replay could reach.
fn plus(total: &mut u64, n: u64) -> Result<(), String> {
    *total = total
        .checked_add(n)
        .ok_or("the counts add up past 2^64: these are not replay results")?;
    Ok(())
}

fn market_code(name: &str) -> Result<Market, String> {
    if name == "unknown" {
        return Ok(market::UNKNOWN);
    }
    market::parse_code(name.as_bytes())
        .filter(|m| market::name(*m) == name)
        .ok_or_else(|| format!("charges: market {name:?} is not a two-letter code or \"unknown\""))
}

fn add_reconcile(r: &mut Reconcile, o: &DocReconcile) -> Result<(), String> {
    plus(&mut r.statuses, o.statuses)?;
    plus(&mut r.checked, o.checked)?;
    plus(&mut r.agreed, o.agreed)?;
    plus(&mut r.mismatched, o.mismatched)?;
    plus(&mut r.failed, o.failed)?;
    plus(&mut r.undelivered, o.undelivered)?;
    plus(&mut r.unclassified, o.unclassified)?;
    for m in &o.mismatches {
        let at = DateTime::parse_from_rfc3339(&m.delivered_at).map_err(|_| {
            format!(
                "mismatches: delivered_at {:?} is not RFC 3339",
                m.delivered_at
            )
        })?;
        let differs = m
            .differs
            .iter()
            .map(|d| differ(d))
            .collect::<Result<Vec<_>, _>>()?;
        r.mismatches.push(Mismatch {
            message_id: m.message_id.clone(),
            recipient: m.recipient.clone(),
            at: at.timestamp_millis(),
            log: m.log.clone(),
            ours: m.flowcost.clone(),
            differs,
        });
    }
    Ok(())
}

/// The names [`super::tally::compare`] gives the parts of a verdict that differ.
fn differ(name: &str) -> Result<&'static str, String> {
    ["pricing_model", "category", "billable", "type", "delivery"]
        .into_iter()
        .find(|d| *d == name)
        .ok_or_else(|| format!("mismatches: unknown part {name:?} in differs"))
}
