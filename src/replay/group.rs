//! Per-recipient grouping: rows → each recipient's timeline, cut into independent episodes,
//! billed as soon as nothing can change them.
//!
//! An episode ends when the recipient has been quiet long enough that no window can still be
//! open: 24 h after its latest event (conversations, the customer service window and an armed
//! ad click last 24 h), or 96 h after its latest ad click (the reply may come up to 24 h after
//! the click and opens a 72 h free entry point). Billing state is empty at that point, so the
//! episodes of a recipient bill independently and the sum equals billing the whole timeline.
//!
//! In streaming mode (input sorted by time, up to `max_disorder`) an episode is billed and
//! dropped once the latest time seen passes its quiet point by `max_disorder`; memory holds only
//! the recipients with an open episode. Without it, every recipient stays until the end.

use super::episode::{bill_episode_into, EpisodeBill, Scratch};
use super::market::{Countries, Market};
use super::row::{Batch, LogVerdict, Row, RowKind, RowProblem, StatusKind};
use super::tally::{compare, Key, Mismatch, OurVerdict, Reconcile, Tally, MAX_MISMATCHES_KEPT};
use crate::billing::{EntryPoint, Event, EventKind, Fate, PricingModel, Rules};
use chrono::{DateTime, FixedOffset};
use hashbrown::HashTable;
use std::collections::VecDeque;
use std::hash::Hasher;

const HOUR_MS: i64 = 3_600_000;
/// Quiet time after a recipient's latest event that closes every window.
pub const QUIET_MS: i64 = 24 * HOUR_MS;
/// Quiet time after an ad click that closes its free entry point.
pub const QUIET_AFTER_AD_MS: i64 = 96 * HOUR_MS;
const NO_MSG: u32 = u32::MAX;
/// Rows whose slots are looked up ahead of processing them.
const LOOKAHEAD: usize = 128;

/// How to bill.
#[derive(Debug, Clone, Copy)]
pub struct Billing {
    /// `--pricing`: one model for everything; else the model in force at each event.
    pub fixed: Option<PricingModel>,
    /// The account's time zone (model switches, days).
    pub tz: FixedOffset,
    /// Rule switches.
    pub rules: Rules,
}

/// The input broke the streaming order: a row older than the latest time seen by more than the
/// tolerance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsorted {
    /// File index.
    pub file: u32,
    /// Line.
    pub line: u64,
    /// How much older than the latest time seen, in ms.
    pub behind_ms: i64,
}

#[derive(Debug, Clone, Copy)]
struct Ev {
    at: i64,
    kind: EventKind,
    flow: u32,
    msg: u32,
}

#[derive(Debug)]
struct Msg {
    id: Box<str>,
    delivered: Option<i64>,
    sent: bool,
    failed: bool,
    verdict: Option<LogVerdict>,
}

/// A recipient id: up to 23 bytes inline (phone numbers and most ids), compared as three
/// words; longer ones on the heap.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RecipientKey {
    /// Bytes, zero-padded; the last byte is the length.
    Inline(InlineKey),
    /// Longer than 23 bytes.
    Heap(Box<[u8]>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(8))]
struct InlineKey([u8; 24]);

impl Default for RecipientKey {
    fn default() -> Self {
        RecipientKey::Inline(InlineKey([0; 24]))
    }
}

impl RecipientKey {
    fn new(bytes: &[u8]) -> Self {
        if bytes.len() < 24 {
            let mut k = [0u8; 24];
            k[..bytes.len()].copy_from_slice(bytes);
            k[23] = bytes.len() as u8;
            RecipientKey::Inline(InlineKey(k))
        } else {
            RecipientKey::Heap(bytes.into())
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            RecipientKey::Inline(k) => &k.0[..usize::from(k.0[23])],
            RecipientKey::Heap(b) => b,
        }
    }

    fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }
}

#[derive(Debug)]
struct Slot {
    key: RecipientKey,
    events: Vec<Ev>,
    msgs: Vec<Msg>,
    last_at: i64,
    last_ad: i64,
    market: Market,
    generation: u32,
}

impl Slot {
    fn quiet_at(&self) -> i64 {
        (self.last_at + QUIET_MS).max(self.last_ad.saturating_add(QUIET_AFTER_AD_MS))
    }

    fn is_empty(&self) -> bool {
        self.events.is_empty() && self.msgs.is_empty()
    }
}

/// FxHash (rustc's): recipient ids are short and not adversarial.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

/// Groups rows by recipient, bills episodes, tallies.
pub struct Grouper {
    billing: Billing,
    stream: bool,
    max_disorder_ms: i64,
    shard: (u64, u64),
    index: HashTable<u32>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Slots to look at once the watermark passes their quiet point: one queue for quiet
    /// points 24 h after the latest event, one for 96 h after an ad click. Rows come in time
    /// order, so each queue is in order too (up to the disorder tolerance), and a FIFO does
    /// what a heap would.
    due: [VecDeque<(i64, u32, u32)>; 2],
    watermark: i64,
    countries: Countries,
    ids: Vec<u32>,
    events: Vec<Event>,
    scratch: Scratch,
    billed: EpisodeBill,
    /// Flow names by id (id 0 is "no flow").
    pub flows: Vec<String>,
    /// Where each flow first appeared, (file, line): ids are in this order.
    flows_at: Vec<(u32, u64)>,
    /// Counts.
    pub tally: Tally,
    /// The invoice check.
    pub reconcile: Reconcile,
    /// Rows read.
    pub rows: u64,
    /// Most recipients held at once.
    pub peak_recipients: usize,
    /// Most buffered events at once (a sample, taken at each batch).
    pub peak_events: usize,
    buffered: usize,
}

impl Grouper {
    /// A grouper; `stream` bills episodes as soon as they close, else at the end.
    ///
    /// `shard` is (this shard, shards): the grouper takes the recipients whose hash falls in
    /// its shard, so that several groupers can share one stream of batches.
    pub fn new(billing: Billing, stream: bool, max_disorder_ms: i64, shard: (u64, u64)) -> Self {
        Grouper {
            billing,
            stream,
            max_disorder_ms,
            shard,
            index: HashTable::new(),
            slots: Vec::new(),
            free: Vec::new(),
            due: [VecDeque::new(), VecDeque::new()],
            watermark: i64::MIN,
            countries: Countries::default(),
            ids: Vec::new(),
            events: Vec::new(),
            scratch: Scratch::default(),
            billed: EpisodeBill::default(),
            flows: vec![String::new()],
            flows_at: vec![(0, 0)],
            tally: Tally::default(),
            reconcile: Reconcile::default(),
            rows: 0,
            peak_recipients: 0,
            peak_events: 0,
            buffered: 0,
        }
    }

    /// Takes one batch (rows must come file by file, in order).
    pub fn add(&mut self, batch: &Batch) -> Result<(), Unsorted> {
        self.flows.extend(batch.new_flows.iter().cloned());
        self.flows_at.extend(batch.new_flows_at.iter().copied());
        let (shard, shards) = self.shard;
        let mut ids = std::mem::take(&mut self.ids);
        for chunk in batch.rows.chunks(LOOKAHEAD) {
            // First find (or make) every row's slot and touch its latest event: the lookups
            // do not depend on each other, so their cache misses overlap instead of stalling
            // row by row. Slots are only freed between batches, so the ids stay valid.
            ids.clear();
            let mut touched = 0i64;
            for row in chunk {
                if shards > 1 && super::row::shard_of(row.hash, shards) != shard {
                    ids.push(u32::MAX);
                    continue;
                }
                let s = self.slot(batch.recipient(row), row.hash, row.market);
                touched ^= self.slots[s].events.last().map_or(0, |e| e.at);
                ids.push(s as u32);
            }
            std::hint::black_box(touched);
            if let Err(e) = self.add_rows(batch, chunk, &ids) {
                self.ids = ids;
                return Err(e);
            }
        }
        self.ids = ids;
        self.peak_recipients = self.peak_recipients.max(self.index.len());
        self.peak_events = self.peak_events.max(self.buffered);
        if self.stream {
            self.bill_closed();
        }
        Ok(())
    }

    fn add_rows(&mut self, batch: &Batch, rows: &[Row], ids: &[u32]) -> Result<(), Unsorted> {
        for (row, &s) in rows.iter().zip(ids) {
            if s == u32::MAX {
                continue;
            }
            let s = s as usize;
            if self.stream && row.at < self.watermark.saturating_sub(self.max_disorder_ms) {
                return Err(Unsorted {
                    file: row.file,
                    line: row.line,
                    behind_ms: self.watermark - row.at,
                });
            }
            self.watermark = self.watermark.max(row.at);
            self.rows += 1;
            // A late row may still belong to the episode before; cut only past the tolerance.
            if !self.slots[s].is_empty()
                && row.at
                    >= self.slots[s]
                        .quiet_at()
                        .saturating_add(self.max_disorder_ms)
            {
                self.bill(s);
            }
            let slot = &mut self.slots[s];
            slot.last_at = slot.last_at.max(row.at);
            match row.kind {
                RowKind::Event(kind) => {
                    if kind == EventKind::CustomerMessage(EntryPoint::AdClick) {
                        slot.last_ad = slot.last_ad.max(row.at);
                    }
                    slot.events.push(Ev {
                        at: row.at,
                        kind,
                        flow: row.flow,
                        msg: NO_MSG,
                    });
                    self.buffered += 1;
                }
                RowKind::Status(i) => {
                    self.reconcile.statuses += 1;
                    let status = &batch.statuses[i as usize];
                    let m = match slot.msgs.iter().position(|m| m.id == status.id) {
                        Some(m) => m,
                        None => {
                            slot.msgs.push(Msg {
                                id: status.id.clone(),
                                delivered: None,
                                sent: false,
                                failed: false,
                                verdict: None,
                            });
                            self.buffered += 1;
                            slot.msgs.len() - 1
                        }
                    };
                    let msg = &mut slot.msgs[m];
                    match status.kind {
                        StatusKind::Delivered | StatusKind::Read => {
                            msg.delivered = Some(msg.delivered.map_or(row.at, |d| d.min(row.at)));
                        }
                        StatusKind::Sent => msg.sent = true,
                        StatusKind::Failed => msg.failed = true,
                    }
                    // The delivery's pricing block is the one Meta bills on; another status's
                    // stands in when the delivery has none.
                    if status.verdict.is_some()
                        && (msg.verdict.is_none() || status.kind == StatusKind::Delivered)
                    {
                        msg.verdict.clone_from(&status.verdict);
                    }
                }
            }
        }
        Ok(())
    }

    /// Row problems are not the grouper's; bills what is left.
    pub fn finish(&mut self) {
        for s in 0..self.slots.len() {
            if !self.slots[s].key.is_empty() || !self.slots[s].is_empty() {
                self.bill(s);
            }
        }
        self.index.clear();
        self.slots.clear();
    }

    /// Adds another shard's counts to this one's.
    pub fn merge(&mut self, other: Grouper) {
        if other.flows == self.flows {
            for (k, c) in &other.tally.charges {
                self.tally.charges.entry(*k).or_default().add(*c);
            }
        } else {
            self.merge_flows(&other);
        }
        let (t, o) = (&mut self.tally, &other.tally);
        t.customer_messages += o.customer_messages;
        t.business_messages += o.business_messages;
        t.undeliverable += o.undeliverable;
        t.episodes += o.episodes;
        let (r, o) = (&mut self.reconcile, other.reconcile);
        r.statuses += o.statuses;
        r.checked += o.checked;
        r.agreed += o.agreed;
        r.mismatched += o.mismatched;
        r.unclassified += o.unclassified;
        r.failed += o.failed;
        r.undelivered += o.undelivered;
        let room = MAX_MISMATCHES_KEPT.saturating_sub(r.mismatches.len());
        r.mismatches.extend(o.mismatches.into_iter().take(room));
        self.rows += other.rows;
        self.peak_recipients += other.peak_recipients;
        self.peak_events += other.peak_events;
    }

    /// Adds the counts of a shard that interned flow names on its own: the union of the names,
    /// numbered again in order of first appearance, as one reader would have numbered them.
    fn merge_flows(&mut self, other: &Grouper) {
        let mut names: Vec<((u32, u64), String)> = Vec::new();
        for g in [&*self, other] {
            for (name, &at) in g.flows.iter().zip(&g.flows_at).skip(1) {
                match names.iter_mut().find(|(_, n)| n == name) {
                    Some(known) => known.0 = known.0.min(at),
                    None => names.push((at, name.clone())),
                }
            }
        }
        names.sort();
        let renumber = |g: &Grouper| -> Vec<u32> {
            g.flows
                .iter()
                .map(|f| {
                    names
                        .iter()
                        .position(|(_, n)| n == f)
                        .map_or(0, |p| p as u32 + 1)
                })
                .collect()
        };
        let (mine, theirs) = (renumber(self), renumber(other));
        let mut charges = std::mem::take(&mut self.tally.charges);
        let old: Vec<_> = charges.drain().map(|(k, c)| (k, c, &mine)).collect();
        for (mut k, c, ids) in old
            .into_iter()
            .chain(other.tally.charges.iter().map(|(k, c)| (*k, *c, &theirs)))
        {
            k.flow = ids[k.flow as usize];
            charges.entry(k).or_default().add(c);
        }
        self.tally.charges = charges;
        let mut flows = vec![String::new()];
        let mut flows_at = vec![(0, 0)];
        for (at, name) in names {
            flows.push(name);
            flows_at.push(at);
        }
        self.flows = flows;
        self.flows_at = flows_at;
    }

    fn slot(&mut self, recipient: &[u8], hash: u64, market: Option<Market>) -> usize {
        let slots = &self.slots;
        let probe = RecipientKey::new(recipient);
        if let Some(&s) = self.index.find(hash, |&s| slots[s as usize].key == probe) {
            return s as usize;
        }
        let market = market.unwrap_or_else(|| self.countries.of(recipient));
        let s = match self.free.pop() {
            Some(s) => {
                let slot = &mut self.slots[s as usize];
                slot.key = probe;
                slot.generation = slot.generation.wrapping_add(1);
                slot.market = market;
                slot.last_at = i64::MIN / 2;
                slot.last_ad = i64::MIN / 2;
                s
            }
            None => {
                self.slots.push(Slot {
                    key: probe,
                    events: Vec::new(),
                    msgs: Vec::new(),
                    last_at: i64::MIN / 2,
                    last_ad: i64::MIN / 2,
                    market,
                    generation: 0,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let slots = &self.slots;
        self.index.insert_unique(hash, s, |&t| {
            super::row::hash(slots[t as usize].key.as_bytes())
        });
        if self.stream {
            let slot = &self.slots[s as usize];
            // Due once the first row lands; re-queued whenever it moved on.
            self.due[0].push_back((i64::MIN / 2, s, slot.generation));
        }
        s as usize
    }

    fn bill_closed(&mut self) {
        for q in 0..2 {
            while let Some(&(due, s, generation)) = self.due[q].front() {
                if due.saturating_add(self.max_disorder_ms) > self.watermark {
                    break;
                }
                self.due[q].pop_front();
                let slot = &self.slots[s as usize];
                if slot.generation != generation || slot.key.is_empty() {
                    continue;
                }
                let quiet = slot.quiet_at();
                if quiet > due {
                    let queue = usize::from(quiet > slot.last_at + QUIET_MS);
                    self.due[queue].push_back((quiet, s, generation));
                    continue;
                }
                self.bill(s as usize);
                let key = std::mem::take(&mut self.slots[s as usize].key);
                let hash = super::row::hash(key.as_bytes());
                if let Ok(entry) = self.index.find_entry(hash, |&t| t == s) {
                    entry.remove();
                }
                self.free.push(s);
            }
        }
    }

    /// Bills and clears a slot's buffered rows.
    fn bill(&mut self, s: usize) {
        let mut slot = std::mem::replace(
            &mut self.slots[s],
            Slot {
                key: RecipientKey::default(),
                events: Vec::new(),
                msgs: Vec::new(),
                last_at: 0,
                last_ad: 0,
                market: *b"??",
                generation: 0,
            },
        );
        self.buffered = self
            .buffered
            .saturating_sub(slot.events.len() + slot.msgs.len());
        for (i, m) in slot.msgs.iter().enumerate() {
            let kind = m.verdict.as_ref().and_then(LogVerdict::event_kind);
            match (m.delivered, kind) {
                (Some(at), Some(kind)) => slot.events.push(Ev {
                    at,
                    kind,
                    flow: 0,
                    msg: i as u32,
                }),
                (Some(_), None) => self.reconcile.unclassified += 1,
                (None, _) if m.failed => self.reconcile.failed += 1,
                (None, _) => self.reconcile.undelivered += 1,
            }
        }
        if !slot.events.windows(2).all(|w| w[0].at <= w[1].at) {
            slot.events.sort_by_key(|e| e.at);
        }
        let mut start = 0;
        let mut quiet = i64::MIN;
        for i in 0..slot.events.len() {
            let e = slot.events[i];
            if i > start && e.at >= quiet {
                self.bill_episode(&slot, start, i);
                start = i;
                quiet = i64::MIN;
            }
            quiet = quiet.max(e.at + QUIET_MS);
            if e.kind == EventKind::CustomerMessage(EntryPoint::AdClick) {
                quiet = quiet.max(e.at + QUIET_AFTER_AD_MS);
            }
        }
        if start < slot.events.len() {
            self.bill_episode(&slot, start, slot.events.len());
        }
        slot.events.clear();
        slot.msgs.clear();
        // The slot keeps its generation: its entries in the due queues stay valid (resetting
        // it left a slot billed on a new row unfreed until the end).
        let target = &mut self.slots[s];
        slot.last_at = i64::MIN / 2;
        slot.last_ad = i64::MIN / 2;
        *target = slot;
    }

    fn bill_episode(&mut self, slot: &Slot, from: usize, to: usize) {
        let evs = &slot.events[from..to];
        self.events.clear();
        self.events.extend(evs.iter().map(|e| Event {
            at: DateTime::from_timestamp_millis(e.at).unwrap_or_default(),
            kind: e.kind,
        }));
        let mut billed = std::mem::take(&mut self.billed);
        bill_episode_into(
            &self.events,
            self.billing.fixed,
            self.billing.tz,
            self.billing.rules,
            &mut self.scratch,
            &mut billed,
        );
        let offset_ms = i64::from(self.billing.tz.local_minus_utc()) * 1000;
        let tally = &mut self.tally;
        tally.episodes += 1;
        for pc in &billed.charges {
            let c = &pc.charge;
            let opener = &evs[c.event];
            let day = (c.at.timestamp_millis() + offset_ms).div_euclid(86_400_000) as i32;
            let key = Key {
                model: pc.model,
                category: c.category,
                market: slot.market,
                day,
                flow: opener.flow,
            };
            tally.charge(key, c.billable);
        }
        for (e, fate) in evs.iter().zip(&billed.fates) {
            match fate {
                None => tally.customer_messages += 1,
                Some(f) => {
                    tally.business_messages += 1;
                    if *f == Fate::Undeliverable {
                        tally.undeliverable += 1;
                    }
                }
            }
            if e.msg == NO_MSG {
                continue;
            }
            let Some(fate) = fate else { continue };
            let msg = &slot.msgs[e.msg as usize];
            let Some(log) = &msg.verdict else { continue };
            let ours = match fate {
                Fate::Undeliverable => OurVerdict::Undeliverable,
                Fate::Delivered(c) => {
                    let pc = &billed.charges[*c];
                    OurVerdict::Billed {
                        model: pc.model,
                        category: pc.charge.category,
                        billable: pc.charge.billable,
                        reason: pc.charge.reason,
                    }
                }
            };
            let r = &mut self.reconcile;
            r.checked += 1;
            let differs = compare(log, &ours);
            if differs.is_empty() {
                r.agreed += 1;
                continue;
            }
            r.mismatched += 1;
            if r.mismatches.len() < MAX_MISMATCHES_KEPT {
                r.mismatches.push(Mismatch {
                    message_id: msg.id.to_string(),
                    recipient: String::from_utf8_lossy(slot.key.as_bytes()).into_owned(),
                    at: e.at,
                    log: log.clone(),
                    ours,
                    differs,
                });
            }
        }
        self.billed = billed;
    }
}

/// Keeps the first problems and counts the rest.
#[derive(Debug, Default)]
pub struct Problems {
    /// Rows skipped.
    pub skipped: u64,
    /// The first ones, for the report.
    pub first: Vec<RowProblem>,
    /// Files that could not be read at all.
    pub unusable: Vec<RowProblem>,
}

/// How many row problems are listed; the rest are counted.
pub const PROBLEMS_LISTED: usize = 20;

impl Problems {
    /// Adds another shard's problems: the first ones by file and line, every count.
    pub fn merge(&mut self, other: Problems) {
        self.skipped += other.skipped;
        self.first.extend(other.first);
        self.first.sort_by_key(|p| (p.file, p.line));
        self.first.truncate(PROBLEMS_LISTED);
        self.unusable.extend(other.unusable);
    }

    /// Takes a batch's problems.
    pub fn add(&mut self, batch: &Batch) {
        self.skipped += batch.problems.len() as u64;
        let room = PROBLEMS_LISTED.saturating_sub(self.first.len());
        self.first.extend(batch.problems.iter().take(room).cloned());
        self.unusable.extend(batch.unusable.iter().cloned());
    }
}
