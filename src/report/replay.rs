//! The report of `replay`: charge counts by category, market, day or month, and flow; message
//! counts; the invoice check. Tables for people, one JSON document for machines.

use super::new_table;
use crate::billing::{PricingModel, Unit};
use crate::replay::group::Billing;
use crate::replay::market;
use crate::replay::parse::display_name;
use crate::replay::row::show_line;
use crate::replay::tally::{Counts, Key, Mismatch};
use crate::replay::{Mode, Replay};
use chrono::{DateTime, Datelike, NaiveDate};
use comfy_table::{CellAlignment, Table};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// How charges are grouped by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar days in the account's time zone.
    Day,
    /// Calendar months in the account's time zone.
    Month,
}

/// Mismatches listed in the table; `--mismatches FILE` writes them all.
pub const MISMATCHES_LISTED: usize = 20;

/// Everything the replay report shows.
pub struct ReplayReport<'a> {
    /// The outcome.
    pub replay: &'a Replay,
    /// The inputs, by file index.
    pub files: &'a [PathBuf],
    /// Day or month.
    pub period: Period,
}

/// A dimension of the tables.
#[derive(Clone, Copy)]
enum Dim {
    Category,
    Market,
    Period(Period),
    Flow,
}

fn period_name(day: i32, p: Period) -> String {
    let d = NaiveDate::from_num_days_from_ce_opt(day + 719_163).unwrap_or_default();
    match p {
        Period::Day => d.format("%Y-%m-%d").to_string(),
        Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
    }
}

fn unit_name(m: PricingModel) -> &'static str {
    match m.unit() {
        Unit::Conversation => "conversations",
        Unit::Message => "messages",
    }
}

impl ReplayReport<'_> {
    fn label(&self, key: &Key, dim: Dim) -> String {
        match dim {
            Dim::Category => key.category.to_string(),
            Dim::Market => market::name(key.market),
            Dim::Period(p) => period_name(key.day, p),
            Dim::Flow => match key.flow {
                0 => "(none)".into(),
                f => self
                    .replay
                    .grouper
                    .flows
                    .get(f as usize)
                    .cloned()
                    .unwrap_or_default(),
            },
        }
    }

    /// Counts rolled up by one dimension and the model, sorted by label then model.
    fn rollup(&self, dim: Dim) -> BTreeMap<(String, PricingModel), Counts> {
        let mut out: BTreeMap<(String, PricingModel), Counts> = BTreeMap::new();
        for (key, counts) in &self.replay.grouper.tally.charges {
            out.entry((self.label(key, dim), key.model))
                .or_default()
                .add(*counts);
        }
        out
    }

    fn has_flows(&self) -> bool {
        self.replay
            .grouper
            .tally
            .charges
            .keys()
            .any(|k| k.flow != 0)
    }

    fn file(&self, i: u32) -> String {
        self.files
            .get(i as usize)
            .map_or_else(|| "?".into(), |p| display_name(p))
    }

    /// Diagnostics for stderr: skipped rows, unusable files, a fallback from streaming.
    pub fn diagnostics(&self) -> String {
        let r = self.replay;
        let mut out = String::new();
        for u in &r.problems.unusable {
            let _ = writeln!(out, "error: {}: {}", self.file(u.file), u.message);
        }
        for p in &r.problems.first {
            let _ = writeln!(
                out,
                "warning: {}:{}: {}; row skipped",
                self.file(p.file),
                show_line(p.line),
                p.message
            );
        }
        let listed = r.problems.first.len() as u64;
        if r.problems.skipped > listed {
            let _ = writeln!(
                out,
                "warning: … and {} more bad rows",
                r.problems.skipped.saturating_sub(listed)
            );
        }
        if r.problems.skipped > 0 {
            let _ = writeln!(
                out,
                "note: skipped {} bad row(s) of {}",
                r.problems.skipped,
                u128::from(r.problems.skipped) + u128::from(r.grouper.rows)
            );
        }
        if r.merged {
            let _ = writeln!(
                out,
                "note: the files overlap in time: they were read side by side and merged by \
                 timestamp (each file is in time order by itself)"
            );
        }
        if r.too_many_to_merge {
            let _ = writeln!(
                out,
                "note: the {} files overlap in time, and flowcost merges at most {} files side by \
                 side, so every recipient was held in memory until the end (concatenate the \
                 files by time, or give at most {} at once, to stream them)",
                self.files.len(),
                crate::replay::merge::MAX_FILES,
                crate::replay::merge::MAX_FILES
            );
        } else if let Some(u) = &r.fell_back {
            let _ = writeln!(
                out,
                "note: {}:{} is {} earlier than a row before it: the input is not in time \
                 order, so every recipient was held in memory until the end (sort the log by \
                 time, or raise --max-disorder, to stream it)",
                self.file(u.file),
                show_line(u.line),
                human_ms(u.behind_ms)
            );
        }
        out
    }

    /// The report as tables.
    pub fn table(&self) -> String {
        let r = self.replay;
        let g = &r.grouper;
        let t = &g.tally;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "replayed {} file(s), {} rows ({} skipped) · {} episode(s) · {}",
            self.files.len(),
            g.rows,
            r.problems.skipped,
            t.episodes,
            match (r.mode, r.merged) {
                (Mode::Stream, false) => "streamed in time order",
                (Mode::Stream, true) => "streamed in time order, files merged by timestamp",
                (Mode::Hold, _) => "held every recipient until the end",
            }
        );
        if r.cut_short {
            let _ = writeln!(
                out,
                "stopped where the input went out of time order (it cannot be read again): \
                 counts are partial"
            );
        }
        if r.strict_stop {
            let _ = writeln!(
                out,
                "stopped at the first bad row (--strict): counts are partial"
            );
        }
        let mut models: Vec<PricingModel> = t.charges.keys().map(|k| k.model).collect();
        models.sort();
        models.dedup();
        for m in &models {
            let _ = writeln!(
                out,
                "pricing model {m} (from {}, counts {}): {}",
                m.effective(),
                unit_name(*m),
                m.summary()
            );
        }
        let mut dims = vec![
            ("category", Dim::Category),
            ("market", Dim::Market),
            (
                match self.period {
                    Period::Day => "day",
                    Period::Month => "month",
                },
                Dim::Period(self.period),
            ),
        ];
        if self.has_flows() {
            dims.push(("flow", Dim::Flow));
        }
        if t.charges.is_empty() {
            let _ = writeln!(out, "\nno conversation opened, no message charged");
        }
        for (name, dim) in dims.into_iter().filter(|_| !t.charges.is_empty()) {
            let _ = writeln!(out, "\nby {name}");
            let mut table = new_table(&[name, "model", "unit", "billable", "free"]);
            let mut total = Counts::default();
            for ((label, model), c) in self.rollup(dim) {
                total.add(c);
                table.add_row(vec![
                    label,
                    model.to_string(),
                    unit_name(model).into(),
                    c.billable.to_string(),
                    c.free.to_string(),
                ]);
            }
            table.add_row(vec![
                "total".into(),
                String::new(),
                String::new(),
                total.billable.to_string(),
                total.free.to_string(),
            ]);
            right_align(&mut table, &[3, 4]);
            let _ = writeln!(out, "{table}");
        }
        let _ = writeln!(
            out,
            "\nmessages: {} from customers, {} from the business",
            t.customer_messages, t.business_messages
        );
        if t.undeliverable > 0 {
            let _ = writeln!(
                out,
                "warning: {} free-form message(s) outside the customer service window: the \
                 platform refuses them (not billed)",
                t.undeliverable
            );
        }
        self.reconcile_table(&mut out);
        out
    }

    fn reconcile_table(&self, out: &mut String) {
        let rc = &self.replay.grouper.reconcile;
        if rc.statuses == 0 {
            return;
        }
        let _ = writeln!(
            out,
            "\ninvoice check: {} status webhook(s); {} delivered message(s) compared: {} agree, \
             {} differ",
            rc.statuses, rc.checked, rc.agreed, rc.mismatched
        );
        let skipped = [
            (rc.failed, "failed (not billed)"),
            (
                rc.undelivered,
                "sent but never delivered in the log (not billed)",
            ),
            (
                rc.unclassified,
                "delivered without a pricing category (not billed, not compared)",
            ),
        ];
        for (n, what) in skipped.iter().filter(|(n, _)| *n > 0) {
            let _ = writeln!(out, "  {n} message(s) {what}");
        }
        if rc.mismatches.is_empty() {
            return;
        }
        let mut table = new_table(&[
            "message",
            "recipient",
            "delivered",
            "log says",
            "flowcost says",
            "differs",
        ]);
        for m in rc.mismatches.iter().take(MISMATCHES_LISTED) {
            table.add_row(mismatch_cells(m));
        }
        let _ = writeln!(out, "{table}");
        if rc.mismatched as usize > MISMATCHES_LISTED {
            let _ = writeln!(
                out,
                "… and {} more: --mismatches FILE writes every one as CSV",
                rc.mismatched as usize - MISMATCHES_LISTED
            );
        }
    }

    /// The report as one JSON document. It is also the *partial result* that
    /// `merge-replays` adds up: it carries every count by its full key, the listed problems
    /// with their file and line, and the options that change the counts (`options`).
    pub fn json(&self) -> String {
        let r = self.replay;
        let g = &r.grouper;
        let t = &g.tally;
        let doc = json!({
            "schema_version": 1,
            "flowcost_version": env!("CARGO_PKG_VERSION"),
            "options": options_json(g.billing()),
            "files": self.files.iter().map(|p| display_name(p)).collect::<Vec<_>>(),
            "rows": g.rows,
            "skipped_rows": r.problems.skipped,
            "problems": r.problems.first.iter().map(|p| json!({"file": self.file(p.file), "line": p.line, "message": p.message})).collect::<Vec<_>>(),
            "unusable_files": r.problems.unusable.iter().map(|u| json!({"file": self.file(u.file), "message": u.message})).collect::<Vec<_>>(),
            "mode": match r.mode { Mode::Stream => "stream", Mode::Hold => "hold" },
            "merged_files": r.merged,
            "strict_stop": r.strict_stop,
            "cut_short": r.cut_short,
            "complete": r.complete(),
            "recipient_threads": t.episodes,
            "customer_messages": t.customer_messages,
            "business_messages": t.business_messages,
            "undeliverable": t.undeliverable,
            "charges": self.charges_json(),
            "reconcile": self.reconcile_json(),
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    fn charges_json(&self) -> Vec<Value> {
        let mut keys: Vec<(&Key, &Counts)> = self.replay.grouper.tally.charges.iter().collect();
        // By flow name, not id: ids are given in the order flows are first read, which
        // differs between one run and shards of it.
        let flows = &self.replay.grouper.flows;
        let flow = |k: &Key| flows.get(k.flow as usize).cloned().unwrap_or_default();
        keys.sort_by_cached_key(|(k, _)| (k.model, k.category, k.market, k.day, flow(k)));
        keys.iter()
            .map(|(k, c)| {
                json!({
                    "model": k.model.name(),
                    "unit": k.model.unit(),
                    "category": k.category,
                    "market": market::name(k.market),
                    "day": period_name(k.day, Period::Day),
                    "flow": (k.flow != 0).then(|| self.label(k, Dim::Flow)),
                    "billable": c.billable,
                    "free": c.free,
                })
            })
            .collect()
    }

    fn reconcile_json(&self) -> Option<Value> {
        let rc = &self.replay.grouper.reconcile;
        (rc.statuses > 0).then(|| {
            json!({
                "statuses": rc.statuses,
                "checked": rc.checked,
                "agreed": rc.agreed,
                "mismatched": rc.mismatched,
                "failed": rc.failed,
                "undelivered": rc.undelivered,
                "unclassified": rc.unclassified,
                "mismatches": rc.mismatches.iter().map(|m| json!({
                    "message_id": m.message_id,
                    "recipient": m.recipient,
                    "delivered_at": instant(m.at),
                    "log": m.log,
                    "flowcost": m.ours,
                    "differs": m.differs,
                })).collect::<Vec<_>>(),
            })
        })
    }

    /// Every kept mismatch as CSV.
    pub fn mismatches_csv(&self) -> String {
        let mut out = String::from("message_id,recipient,delivered_at,log,flowcost,differs\n");
        for m in &self.replay.grouper.reconcile.mismatches {
            let cells = mismatch_cells(m);
            let quoted: Vec<String> = cells.iter().map(|c| super::grid::csv_cell(c)).collect();
            let _ = writeln!(out, "{}", quoted.join(","));
        }
        out
    }
}

fn mismatch_cells(m: &Mismatch) -> Vec<String> {
    vec![
        m.message_id.clone(),
        m.recipient.clone(),
        instant(m.at),
        m.log.clone(),
        m.ours.clone(),
        m.differs.join(" "),
    ]
}

/// The options a replay's counts depend on; parts replayed under different ones do not add up.
fn options_json(b: Billing) -> Value {
    json!({
        "pricing": b.fixed.map(PricingModel::name),
        "account_tz": b.tz.to_string(),
        "free_form_joins_open_conversation": b.rules.free_form_joins_open_conversation,
    })
}

fn instant(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(crate::time::format_instant)
        .unwrap_or_default()
}

fn human_ms(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        s if s >= 86_400 => format!("{}d{}h", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("{}h{}m", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{}m{}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

fn right_align(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}
