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
use super::messages::{Late, Messages, Msg, Settled};
use super::row::{Batch, LogVerdict, Row, RowKind, RowProblem, Status, StatusKind};
use super::tally::{
    compare, describe_log, Key, Mismatch, OurVerdict, Reconcile, Tally, MAX_MISMATCHES_KEPT,
};
use crate::billing::{EntryPoint, Event, EventKind, Fate, PricingModel, Rules};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use hashbrown::HashTable;
use std::collections::VecDeque;
use std::mem::ManuallyDrop;

const HOUR_MS: i64 = 3_600_000;
/// Quiet time after a recipient's latest event that closes every window.
pub const QUIET_MS: i64 = 24 * HOUR_MS;
/// Quiet time after an ad click that closes its free entry point.
pub const QUIET_AFTER_AD_MS: i64 = 96 * HOUR_MS;
const NO_MSG: u32 = u32::MAX;
/// How long after its episode's quiet point a message is kept for statuses that come late,
/// unless [`Grouper::keep_statuses_for`] says otherwise: [`STATUS_HORIZON`] in ms.
pub const STATUS_HORIZON_MS: i64 = 7 * QUIET_MS;
/// `--status-horizon`'s default.
pub const STATUS_HORIZON: &str = "7d";
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

impl Billing {
    /// When each model of [`PricingModel::ALL`] comes into force, in ms since the epoch: Meta
    /// switches at midnight in the account's time zone.
    fn model_starts(&self) -> [i64; 4] {
        let offset_ms = i64::from(self.tz.local_minus_utc()) * 1000;
        PricingModel::ALL.map(|m| {
            let midnight = m.effective().and_time(chrono::NaiveTime::MIN);
            midnight.and_utc().timestamp_millis() - offset_ms
        })
    }
}

/// [`PricingModel::in_force_at`] without the calendar, from [`Billing::model_starts`]; before
/// the first model, the first (the reader refuses such rows).
fn model_at_ms(starts: &[i64; 4], ms: i64) -> PricingModel {
    let after = starts.iter().filter(|&&start| ms >= start).count();
    PricingModel::ALL[after.saturating_sub(1)]
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

    /// The key of `text[start..start + len]`. When 24 bytes follow `start`, the inline key is
    /// made of three whole words, masked: copying a variable length costs a call, and reading
    /// the key back right after stalls on the bytes it stored one by one.
    fn in_text(text: &[u8], start: usize, len: usize) -> Self {
        let Some(words) = text.get(start..start + 24).filter(|_| len < 24) else {
            return Self::new(&text[start..start + len]);
        };
        let mut k = [0u8; 24];
        for (i, (out, w)) in k.chunks_exact_mut(8).zip(words.chunks_exact(8)).enumerate() {
            let kept = len.saturating_sub(8 * i).min(8);
            let mask = if kept == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * kept)) - 1
            };
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default()) & mask;
            out.copy_from_slice(&w.to_le_bytes());
        }
        k[23] = len as u8;
        RecipientKey::Inline(InlineKey(k))
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

/// An event held for a recipient until its episode is billed.
#[derive(Debug, Clone, Copy)]
struct Held {
    at: i64,
    flow: u32,
    kind: EventKind,
}

impl Default for Held {
    fn default() -> Self {
        Held {
            at: 0,
            flow: 0,
            kind: EventKind::FreeForm,
        }
    }
}

/// Events a slot holds in itself; more go to a list of its part's.
const INLINE: usize = 8;
/// No list.
const NONE: u32 = u32::MAX;

/// A recipient with an open episode: three cache lines, eight events included (most episodes
/// have a handful; with four, a third of a generated log's episodes went on to a list), so
/// adding a row touches nothing else.
#[derive(Debug)]
#[repr(align(64))]
struct Slot {
    /// Dropped by [`Slots`] only: a slot has no drop glue, so a free slot is taken by storing
    /// into it, without first waiting to read what it held.
    key: ManuallyDrop<RecipientKey>,
    last_at: i64,
    last_ad: i64,
    generation: u32,
    market: Market,
    /// Events in `held`.
    len: u16,
    /// The part's list of further events, or [`NONE`].
    more: u32,
    /// The part's list of status webhooks' messages, or [`NONE`].
    msgs: u32,
    held: [Held; INLINE],
}

const _: () = assert!(
    std::mem::size_of::<Slot>() == 192,
    "a slot is three cache lines"
);

impl Slot {
    fn new(key: RecipientKey, market: Market, generation: u32) -> Self {
        Slot {
            key: ManuallyDrop::new(key),
            last_at: i64::MIN / 2,
            last_ad: i64::MIN / 2,
            generation,
            market,
            len: 0,
            more: NONE,
            msgs: NONE,
            held: [Held::default(); INLINE],
        }
    }

    fn quiet_at(&self) -> i64 {
        (self.last_at + QUIET_MS).max(self.last_ad.saturating_add(QUIET_AFTER_AD_MS))
    }

    fn is_empty(&self) -> bool {
        self.len == 0 && self.msgs == NONE
    }
}

/// A part's slots; the keys they hold are dropped here (a freed slot's key is dropped as it
/// is freed).
#[derive(Debug, Default)]
struct Slots(Vec<Slot>);

impl Slots {
    /// Drops a slot's key, leaving it empty.
    fn take_key(&mut self, s: usize) -> RecipientKey {
        ManuallyDrop::into_inner(std::mem::take(&mut self.0[s].key))
    }

    /// Drops every slot.
    fn clear(&mut self) {
        for s in 0..self.0.len() {
            self.take_key(s);
        }
        self.0.clear();
    }
}

impl Drop for Slots {
    fn drop(&mut self) {
        self.clear();
    }
}

impl std::ops::Deref for Slots {
    type Target = Vec<Slot>;
    fn deref(&self) -> &Vec<Slot> {
        &self.0
    }
}

impl std::ops::DerefMut for Slots {
    fn deref_mut(&mut self) -> &mut Vec<Slot> {
        &mut self.0
    }
}

/// Lists a part lends to its slots, reused once given back.
struct Lists<L> {
    lists: Vec<L>,
    free: Vec<u32>,
}

impl<L> Default for Lists<L> {
    fn default() -> Self {
        Lists {
            lists: Vec::new(),
            free: Vec::new(),
        }
    }
}

/// What [`Lists`] can lend: a list that empties.
trait List: Default {
    fn clear(&mut self);
}

impl<T> List for Vec<T> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

impl List for Messages {
    fn clear(&mut self) {
        Messages::clear(self);
    }
}

impl<L: List> Lists<L> {
    /// An empty list's index.
    fn take(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.lists.push(L::default());
            (self.lists.len() - 1) as u32
        })
    }

    /// Empties a list and takes it back.
    fn give_back(&mut self, i: u32) {
        self.lists[i as usize].clear();
        self.free.push(i);
    }
}

/// One table of recipients: those whose hash falls in one part, with their own streaming
/// order. Parts never share a recipient, so each bills on its own.
#[derive(Default)]
struct Part {
    index: HashTable<u32>,
    slots: Slots,
    /// Free slots, with the generation each takes when used again.
    free: Vec<(u32, u32)>,
    /// Events past a slot's [`INLINE`].
    more: Lists<Vec<Held>>,
    /// Status webhooks' messages.
    msgs: Lists<Messages>,
    /// When streaming: the messages of billed episodes, for statuses that come late.
    settled: Settled,
    /// Slots to look at once the watermark passes their quiet point: one queue for quiet
    /// points 24 h after the latest event, one for 96 h after an ad click. Rows come in time
    /// order, so each queue is in order too (up to the disorder tolerance), and a FIFO does
    /// what a heap would.
    due: [VecDeque<(i64, u32, u32)>; 2],
    /// The latest time this part has seen.
    watermark: i64,
}

impl Part {
    fn new() -> Self {
        Part {
            watermark: i64::MIN,
            ..Part::default()
        }
    }
}

/// Groups rows by recipient, bills episodes, tallies.
pub struct Grouper {
    billing: Billing,
    model_starts: [i64; 4],
    stream: bool,
    max_disorder_ms: i64,
    status_horizon_ms: i64,
    shard: (u64, u64),
    parts: Vec<Part>,
    countries: Countries,
    ids: Vec<u32>,
    events: Vec<Event>,
    gathered: Vec<Ev>,
    scratch: Scratch,
    billed: EpisodeBill,
    dates: Dates,
    /// Flow names by id (id 0 is "no flow").
    pub flows: Vec<String>,
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

/// Where a batch's rows go: which part, how to number their lines and flows.
struct Target<'a> {
    part: usize,
    /// Added to each row's line (rows read in pieces carry lines counted from the piece).
    line_base: u64,
    /// The rows' flow ids → this grouper's (rows read in pieces carry their reader's ids).
    flows: Option<&'a [u32]>,
}

impl Grouper {
    /// A grouper; `stream` bills episodes as soon as they close, else at the end.
    ///
    /// `shard` is (this shard, shards): the grouper takes the recipients whose hash falls in
    /// its shard, so that several groupers can share one stream of batches.
    pub fn new(billing: Billing, stream: bool, max_disorder_ms: i64, shard: (u64, u64)) -> Self {
        Self::with_parts(billing, stream, max_disorder_ms, shard, 1)
    }

    /// A grouper with `parts` separate tables, for rows already split by [`super::row::part_of`]: each
    /// part's table is small enough to stay in cache while its rows are added.
    pub fn with_parts(
        billing: Billing,
        stream: bool,
        max_disorder_ms: i64,
        shard: (u64, u64),
        parts: usize,
    ) -> Self {
        Grouper {
            billing,
            model_starts: billing.model_starts(),
            stream,
            max_disorder_ms,
            status_horizon_ms: STATUS_HORIZON_MS,
            shard,
            parts: (0..parts.max(1)).map(|_| Part::new()).collect(),
            countries: Countries::default(),
            ids: Vec::new(),
            events: Vec::new(),
            gathered: Vec::new(),
            scratch: Scratch::default(),
            billed: EpisodeBill::default(),
            dates: Dates::default(),
            flows: vec![String::new()],
            tally: Tally::default(),
            reconcile: Reconcile::default(),
            rows: 0,
            peak_recipients: 0,
            peak_events: 0,
            buffered: 0,
        }
    }

    /// When streaming, keeps the messages of a billed episode for `ms` past its quiet point:
    /// a status that comes within that time joins its message (a delivered one stays billed
    /// once; one that was not delivered is completed) instead of counting as a new message.
    pub fn keep_statuses_for(mut self, ms: i64) -> Self {
        self.status_horizon_ms = ms.max(0);
        self
    }

    /// How this grouper bills: the options a partial result records.
    pub fn billing(&self) -> Billing {
        self.billing
    }

    /// Takes one batch (rows must come file by file, in order).
    pub fn add(&mut self, batch: &Batch) -> Result<(), Unsorted> {
        self.flows.extend(batch.new_flows.iter().cloned());
        let target = Target {
            part: 0,
            line_base: 0,
            flows: None,
        };
        self.add_to(batch, &target)?;
        self.sample_peaks();
        if self.stream {
            self.bill_closed();
        }
        Ok(())
    }

    /// Takes rows that all belong to local part `part` (in order for that part), read from a
    /// piece whose first line is `line_base + 1`, with flow ids mapped through `flows`.
    /// Episodes that close as the rows go in are billed on the way (CSV and Parquet rows
    /// hold no status webhooks); call [`Grouper::bill_closed_part`] once the part's rows of
    /// a round are in.
    pub fn add_part(
        &mut self,
        part: usize,
        batch: &Batch,
        line_base: u64,
        flows: &[u32],
    ) -> Result<(), Unsorted> {
        let target = Target {
            part,
            line_base,
            flows: Some(flows),
        };
        self.add_to(batch, &target)
    }

    /// Sets the flow names, for a grouper fed by [`Grouper::add_part`].
    pub fn set_flows(&mut self, flows: Vec<String>) {
        self.flows = flows;
    }

    fn add_to(&mut self, batch: &Batch, target: &Target) -> Result<(), Unsorted> {
        let (shard, shards) = self.shard;
        let p = target.part;
        let mut ids = std::mem::take(&mut self.ids);
        // Episodes that close are billed every chunk, unless the batch holds status webhooks:
        // a status joins its message by id, and a late one (within the disorder tolerance)
        // must still find its recipient's slot where billing between batches left it.
        let bill_within = self.stream && batch.statuses.is_empty();
        for chunk in batch.rows.chunks(LOOKAHEAD) {
            // First find (or make) every row's slot: the lookups do not depend on each other,
            // so their cache misses overlap instead of stalling row by row. Slots are only
            // freed between chunks (below), so the ids stay valid.
            ids.clear();
            for row in chunk {
                if shards > 1 && super::row::shard_of(row.hash, shards) != shard {
                    ids.push(u32::MAX);
                    continue;
                }
                let s = self.slot(p, batch, row);
                ids.push(s as u32);
            }
            if let Err(e) = self.add_rows(batch, chunk, &ids, target) {
                self.ids = ids;
                return Err(e);
            }
            if bill_within {
                self.bill_closed_part(p);
            }
        }
        self.ids = ids;
        Ok(())
    }

    /// Records the peaks of held recipients and buffered events.
    pub fn sample_peaks(&mut self) {
        let held: usize = self.parts.iter().map(|p| p.index.len()).sum();
        self.peak_recipients = self.peak_recipients.max(held);
        self.peak_events = self.peak_events.max(self.buffered);
    }

    fn add_rows(
        &mut self,
        batch: &Batch,
        rows: &[Row],
        ids: &[u32],
        target: &Target,
    ) -> Result<(), Unsorted> {
        let p = target.part;
        for (row, &s) in rows.iter().zip(ids) {
            if s == u32::MAX {
                continue;
            }
            let s = s as usize;
            let part = &mut self.parts[p];
            if self.stream && row.at < part.watermark.saturating_sub(self.max_disorder_ms) {
                return Err(Unsorted {
                    file: row.file,
                    line: target.line_base + row.line,
                    behind_ms: part.watermark - row.at,
                });
            }
            part.watermark = part.watermark.max(row.at);
            self.rows += 1;
            // A late row may still belong to the episode before; cut only past the tolerance.
            // Held rows are not cut as they come: a later file may hold older rows of the
            // same recipient. [`Grouper::bill`] sorts and cuts them at the end.
            let slot = &part.slots[s];
            if self.stream
                && !slot.is_empty()
                && row.at >= slot.quiet_at().saturating_add(self.max_disorder_ms)
            {
                self.bill(p, s);
            }
            let part = &mut self.parts[p];
            let slot = &mut part.slots[s];
            slot.last_at = slot.last_at.max(row.at);
            match row.kind {
                RowKind::Event(kind) => {
                    if kind == EventKind::CustomerMessage(EntryPoint::AdClick) {
                        slot.last_ad = slot.last_ad.max(row.at);
                    }
                    let flow = match target.flows {
                        Some(map) => map.get(row.flow as usize).copied().unwrap_or(0),
                        None => row.flow,
                    };
                    let held = Held {
                        at: row.at,
                        flow,
                        kind,
                    };
                    let n = usize::from(slot.len);
                    if n < INLINE {
                        slot.held[n] = held;
                        slot.len += 1;
                    } else {
                        if slot.more == NONE {
                            slot.more = part.more.take();
                        }
                        part.more.lists[slot.more as usize].push(held);
                    }
                    self.buffered += 1;
                }
                RowKind::Status(i) => self.add_status(p, s, row, &batch.statuses[i as usize]),
            }
        }
        Ok(())
    }

    /// Joins a status webhook to its message in slot `s` of part `p`, or to a message of an
    /// episode already billed (see [`Grouper::keep_statuses_for`]).
    fn add_status(&mut self, p: usize, s: usize, row: &Row, status: &Status) {
        self.reconcile.statuses += 1;
        let part = &mut self.parts[p];
        let slot = &mut part.slots[s];
        let found = match slot.msgs {
            NONE => None,
            l => part.msgs.lists[l as usize].find(&status.id),
        };
        let m = match found {
            Some(m) => m,
            None => {
                let msg = match part.settled.lookup(row.hash, &status.id, row.at) {
                    Late::Delivered => return,
                    Late::Pending(msg) => {
                        // Counted as not delivered when its episode was billed; counted
                        // again, with this status, when this one is.
                        let r = &mut self.reconcile;
                        let count = if msg.failed {
                            &mut r.failed
                        } else {
                            &mut r.undelivered
                        };
                        *count = count.saturating_sub(1);
                        msg
                    }
                    Late::Unknown => Msg::new(&status.id),
                };
                self.buffered += 1;
                if slot.msgs == NONE {
                    slot.msgs = part.msgs.take();
                }
                part.msgs.lists[slot.msgs as usize].add(msg)
            }
        };
        let msgs = &mut part.msgs.lists[slot.msgs as usize];
        let msg = &mut msgs.list[m];
        match status.kind {
            StatusKind::Delivered | StatusKind::Read => {
                msg.delivered = Some(msg.delivered.map_or(row.at, |d| d.min(row.at)));
            }
            StatusKind::Sent => msg.sent = true,
            StatusKind::Failed => msg.failed = true,
        }
        // The delivery's pricing block is the one Meta bills on; another status's stands in
        // when the delivery has none.
        if status.verdict.is_some()
            && (msg.verdict.is_none() || status.kind == StatusKind::Delivered)
        {
            msg.verdict.clone_from(&status.verdict);
        }
    }

    /// Row problems are not the grouper's; bills what is left.
    pub fn finish(&mut self) {
        for p in 0..self.parts.len() {
            for s in 0..self.parts[p].slots.len() {
                let slot = &self.parts[p].slots[s];
                if !slot.key.is_empty() || !slot.is_empty() {
                    self.bill(p, s);
                }
            }
            let part = &mut self.parts[p];
            part.index.clear();
            part.slots.clear();
            part.more = Lists::default();
            part.msgs = Lists::default();
            part.settled.clear();
        }
    }

    /// Adds another shard's counts to this one's. Both must number flows alike: the
    /// pipeline's shards see the same batches, and the chunked reader sets every grouper's
    /// flows before merging.
    pub fn merge(&mut self, other: Grouper) {
        debug_assert_eq!(
            self.flows, other.flows,
            "groupers numbered flows differently"
        );
        for (k, c) in &other.tally.charges {
            self.tally.charges.entry(*k).or_default().add(*c);
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

    fn slot(&mut self, p: usize, batch: &Batch, row: &Row) -> usize {
        let (hash, market) = (row.hash, row.market);
        let part = &mut self.parts[p];
        let slots = &part.slots;
        let (start, len) = (row.recipient as usize, row.recipient_len as usize);
        let probe = RecipientKey::in_text(&batch.text, start, len);
        let recipient = &batch.text[start..start + len];
        if let Some(&s) = part.index.find(hash, |&s| *slots[s as usize].key == probe) {
            return s as usize;
        }
        let market = market.unwrap_or_else(|| self.countries.of(recipient));
        // A freed slot holds no events, messages or key: it is stored over, never read here
        // (reading it would wait for memory the store does not wait for).
        let (s, generation) = match part.free.pop() {
            Some((s, generation)) => {
                part.slots[s as usize] = Slot::new(probe, market, generation);
                (s, generation)
            }
            None => {
                part.slots.push(Slot::new(probe, market, 0));
                ((part.slots.len() - 1) as u32, 0)
            }
        };
        let slots = &part.slots;
        part.index.insert_unique(hash, s, |&t| {
            super::row::hash(slots[t as usize].key.as_bytes())
        });
        if self.stream {
            // Due a day after its first row at the earliest; re-queued whenever it moved on.
            part.due[0].push_back((row.at.saturating_add(QUIET_MS), s, generation));
        }
        s as usize
    }

    /// Bills and frees every recipient whose episode closed before each part's watermark
    /// (less the disorder tolerance).
    pub fn bill_closed(&mut self) {
        for p in 0..self.parts.len() {
            self.bill_closed_part(p);
        }
    }

    /// [`Grouper::bill_closed`] for one part. A streaming grouper calls it every 128 rows of
    /// a batch without status webhooks, so a part holds only the episodes still open (not
    /// every recipient of a round or batch), and the slots it frees are taken again while in
    /// cache.
    pub fn bill_closed_part(&mut self, p: usize) {
        let part = &mut self.parts[p];
        // No status still to come may be older than this.
        let oldest = part.watermark.saturating_sub(self.max_disorder_ms);
        part.settled.forget_before(oldest);
        for q in 0..2 {
            let mut warm = 0;
            loop {
                if warm == 0 {
                    warm = self.warm_due(p, q);
                }
                let part = &mut self.parts[p];
                let Some(&(due, s, generation)) = part.due[q].front() else {
                    break;
                };
                if due.saturating_add(self.max_disorder_ms) > part.watermark {
                    break;
                }
                part.due[q].pop_front();
                warm = warm.saturating_sub(1);
                let slot = &part.slots[s as usize];
                if slot.generation != generation || slot.key.is_empty() {
                    continue;
                }
                let quiet = slot.quiet_at();
                if quiet > due {
                    let queue = usize::from(quiet > slot.last_at + QUIET_MS);
                    part.due[queue].push_back((quiet, s, generation));
                    continue;
                }
                self.bill(p, s as usize);
                let part = &mut self.parts[p];
                let key = part.slots.take_key(s as usize);
                let hash = super::row::hash(key.as_bytes());
                if let Ok(entry) = part.index.find_entry(hash, |&t| t == s) {
                    entry.remove();
                }
                part.free.push((s, generation.wrapping_add(1)));
            }
        }
    }

    /// Reads the slots of the next due entries of queue `q` that are ready (up to
    /// [`LOOKAHEAD`]), so that their cache misses overlap instead of stalling one by one
    /// in [`Grouper::bill_closed_part`]; how many.
    fn warm_due(&self, p: usize, q: usize) -> usize {
        let part = &self.parts[p];
        let ready = part.watermark.saturating_sub(self.max_disorder_ms);
        let mut n = 0;
        let mut touched = 0i64;
        for &(due, s, _) in part.due[q].iter().take(LOOKAHEAD) {
            if due > ready {
                break;
            }
            let slot = &part.slots[s as usize];
            let last = usize::from(slot.len).clamp(1, INLINE) - 1;
            touched ^= slot.last_at ^ slot.held[0].at ^ slot.held[last].at;
            // And the further events of a long episode, kept elsewhere.
            if let Some(more) = part.more.lists.get(slot.more as usize) {
                touched ^= more.first().map_or(0, |h| h.at);
            }
            n += 1;
        }
        std::hint::black_box(touched);
        n
    }

    /// Bills and clears a slot's buffered rows.
    fn bill(&mut self, p: usize, s: usize) {
        let mut evs = std::mem::take(&mut self.gathered);
        evs.clear();
        let part = &mut self.parts[p];
        let slot = &mut part.slots[s];
        evs.extend(slot.held[..usize::from(slot.len)].iter().map(|h| Ev {
            at: h.at,
            kind: h.kind,
            flow: h.flow,
            msg: NO_MSG,
        }));
        slot.len = 0;
        if slot.more != NONE {
            let more = &part.more.lists[slot.more as usize];
            evs.extend(more.iter().map(|h| Ev {
                at: h.at,
                kind: h.kind,
                flow: h.flow,
                msg: NO_MSG,
            }));
            part.more.give_back(slot.more);
            slot.more = NONE;
        }
        let msgs = match slot.msgs {
            NONE => Vec::new(),
            m => {
                let list = std::mem::take(&mut part.msgs.lists[m as usize].list);
                part.msgs.give_back(m);
                slot.msgs = NONE;
                list
            }
        };
        let kept_until = slot.quiet_at().saturating_add(self.status_horizon_ms);
        // The slot keeps its key and generation: its entries in the due queues stay valid
        // (resetting it left a slot billed on a new row unfreed until the end).
        slot.last_at = i64::MIN / 2;
        slot.last_ad = i64::MIN / 2;
        let market = slot.market;
        let recipient = if msgs.is_empty() {
            RecipientKey::default()
        } else {
            RecipientKey::clone(&slot.key)
        };
        self.buffered = self.buffered.saturating_sub(evs.len() + msgs.len());
        self.add_deliveries(&msgs, &mut evs);
        if !evs.windows(2).all(|w| w[0].at <= w[1].at) {
            evs.sort_by_key(|e| e.at);
        }
        let held = Episodes {
            market,
            recipient: &recipient,
            msgs: &msgs,
        };
        self.bill_episodes(&held, &evs);
        self.gathered = evs;
        if self.stream && !msgs.is_empty() {
            let settled = &mut self.parts[p].settled;
            let hash = super::row::hash(recipient.as_bytes());
            for msg in msgs {
                settled.keep(hash, msg, kept_until);
            }
        }
    }

    /// Adds the delivered messages of a slot to its events (a message is billed at its first
    /// delivery), and counts the others.
    fn add_deliveries(&mut self, msgs: &[Msg], evs: &mut Vec<Ev>) {
        for (i, m) in msgs.iter().enumerate() {
            let kind = m.verdict.as_ref().and_then(LogVerdict::event_kind);
            match (m.delivered, kind) {
                (Some(at), Some(kind)) => evs.push(Ev {
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
    }

    /// Cuts a slot's events, in time order, into episodes where the recipient was quiet long
    /// enough, and bills each.
    fn bill_episodes(&mut self, held: &Episodes, evs: &[Ev]) {
        let mut start = 0;
        let mut quiet = i64::MIN;
        for (i, e) in evs.iter().enumerate() {
            if i > start && e.at >= quiet {
                self.bill_episode(held, &evs[start..i]);
                start = i;
                quiet = i64::MIN;
            }
            quiet = quiet.max(e.at + QUIET_MS);
            if e.kind == EventKind::CustomerMessage(EntryPoint::AdClick) {
                quiet = quiet.max(e.at + QUIET_AFTER_AD_MS);
            }
        }
        if start < evs.len() {
            self.bill_episode(held, &evs[start..]);
        }
    }

    fn bill_episode(&mut self, slot: &Episodes, evs: &[Ev]) {
        self.events.clear();
        let dates = &mut self.dates;
        self.events.extend(evs.iter().map(|e| Event {
            at: dates.utc(e.at),
            kind: e.kind,
        }));
        let mut billed = std::mem::take(&mut self.billed);
        // Events come sorted: when the first and the last are under one model, all are.
        let fixed = self.billing.fixed.or_else(|| {
            let (first, last) = (evs.first()?, evs.last()?);
            let model = model_at_ms(&self.model_starts, first.at);
            (model_at_ms(&self.model_starts, last.at) == model).then_some(model)
        });
        bill_episode_into(
            &self.events,
            fixed,
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
                    recipient: String::from_utf8_lossy(slot.recipient.as_bytes()).into_owned(),
                    at: e.at,
                    log: describe_log(log),
                    ours: ours.describe(),
                    differs,
                });
            }
        }
        self.billed = billed;
    }
}

/// Milliseconds since the epoch as instants, remembering the last day's date (day 0 is
/// 1970-01-01, chrono's default date): an episode's events fall on a day or two, and finding
/// a date from a day number is most of the work.
#[derive(Debug, Default)]
struct Dates {
    day: i64,
    date: NaiveDate,
}

impl Dates {
    const DAY_MS: i64 = 86_400_000;
    /// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
    const EPOCH_FROM_CE: i64 = 719_163;

    /// `DateTime::from_timestamp_millis(ms)`, or the epoch for an instant chrono cannot hold
    /// (the reader refuses those).
    fn utc(&mut self, ms: i64) -> DateTime<Utc> {
        let (day, in_day) = (ms.div_euclid(Self::DAY_MS), ms.rem_euclid(Self::DAY_MS));
        if day != self.day {
            let date = i32::try_from(day + Self::EPOCH_FROM_CE)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt);
            let Some(date) = date else {
                return DateTime::from_timestamp_millis(ms).unwrap_or_default();
            };
            (self.day, self.date) = (day, date);
        }
        let (secs, milli) = ((in_day / 1000) as u32, (in_day % 1000) as u32);
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, milli * 1_000_000)
            .unwrap_or_default();
        NaiveDateTime::new(self.date, time).and_utc()
    }
}

/// What the episodes of one slot share.
struct Episodes<'a> {
    market: Market,
    /// The recipient (only when there are messages to reconcile).
    recipient: &'a RecipientKey,
    /// Status webhooks' messages, indexed by [`Ev::msg`].
    msgs: &'a [Msg],
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
    /// Takes a batch's problems. The ones listed are the first by file and line, whatever
    /// order batches come in (merged files hand them on out of file order).
    pub fn add(&mut self, batch: &Batch) {
        self.skipped += batch.problems.len() as u64;
        let key = |p: &RowProblem| (p.file, p.line);
        for p in &batch.problems {
            // Once full, the list is sorted: its last is the one to beat.
            let full = self.first.len() >= PROBLEMS_LISTED;
            if full && self.first.last().is_some_and(|last| key(p) >= key(last)) {
                continue;
            }
            self.first.push(p.clone());
            if self.first.len() >= PROBLEMS_LISTED {
                self.first.sort_by_key(key);
                self.first.truncate(PROBLEMS_LISTED);
            }
        }
        self.first.sort_by_key(key);
        self.unusable.extend(batch.unusable.iter().cloned());
        self.unusable.sort_by_key(|p| p.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Duration};

    /// A key read in whole words from the batch text is the key of the bytes alone, whatever
    /// follows them and however many bytes are left after them.
    #[test]
    fn keys_in_text_are_keys_of_their_bytes() {
        let text: Vec<u8> = (0..80u8).map(|b| b.wrapping_mul(37) | 1).collect();
        for start in 0..text.len() {
            for len in 0..=(text.len() - start).min(30) {
                let key = RecipientKey::in_text(&text, start, len);
                assert_eq!(key, RecipientKey::new(&text[start..start + len]));
                assert_eq!(key.as_bytes(), &text[start..start + len]);
            }
        }
    }

    /// A row of `kind` at `at` (the batch fills in its recipient).
    fn test_row(at: i64, kind: RowKind, line: u64) -> Row {
        Row {
            at,
            recipient: 0,
            recipient_len: 0,
            hash: 0,
            kind,
            flow: 0,
            market: None,
            file: 0,
            line,
        }
    }

    fn utility() -> RowKind {
        RowKind::Event(EventKind::Template(crate::billing::Category::Utility))
    }

    /// A streaming grouper frees recipients whose episodes closed while it takes a batch of
    /// events, not only between batches, whether fed batches or parts: one long batch of a new
    /// recipient a minute for five days holds about a day's recipients at once, and bills the
    /// same as one freed at the end.
    #[test]
    fn closed_episodes_are_freed_within_a_batch() {
        let mut batch = Batch::default();
        let minutes = 5 * 24 * 60;
        for m in 0..minutes {
            let row = test_row(1_790_000_000_000 + m * 60_000, utility(), m as u64 + 1);
            batch.push(row, format!("+4915100{m:06}").as_bytes());
        }
        let billing = Billing {
            fixed: Some(PricingModel::ALL[3]),
            tz: FixedOffset::east_opt(0).unwrap(),
            rules: Rules::default(),
        };
        let mut at_the_end = Grouper::new(billing, false, HOUR_MS, (0, 1));
        at_the_end.add(&batch).unwrap();
        at_the_end.finish();
        assert_eq!(at_the_end.peak_recipients, minutes as usize);
        for by_parts in [false, true] {
            let mut streaming = Grouper::with_parts(billing, true, HOUR_MS, (0, 1), 1);
            if by_parts {
                streaming.add_part(0, &batch, 0, &[0]).unwrap();
                streaming.sample_peaks();
            } else {
                streaming.add(&batch).unwrap();
            }
            let day_and_a_bit = 25 * 60 + LOOKAHEAD;
            assert!(
                streaming.peak_recipients <= day_and_a_bit,
                "{} recipients held (by parts: {by_parts})",
                streaming.peak_recipients
            );
            streaming.finish();
            assert_eq!(streaming.tally.episodes, minutes as u64);
            assert_eq!(streaming.tally.charges, at_the_end.tally.charges);
        }
    }

    /// A late status (within the disorder tolerance, after its recipient's quiet point) still
    /// joins its message when rows come in batches (webhook logs): the streaming grouper
    /// counts it as the grouper holding every row does, once.
    #[test]
    fn a_late_status_in_a_batch_joins_its_message() {
        let t0 = 1_790_000_000_000;
        let mut batch = Batch::default();
        let status = |batch: &mut Batch, at: i64, kind: StatusKind, line: u64| {
            batch.statuses.push(crate::replay::row::Status {
                id: "wamid.1".into(),
                kind,
                verdict: None,
            });
            let i = batch.statuses.len() as u32 - 1;
            batch.push(test_row(at, RowKind::Status(i), line), b"+491510000001");
        };
        status(&mut batch, t0, StatusKind::Delivered, 1);
        // Others' rows, a minute apart, up to 25 h 54 min later (the delivery's episode closes
        // at 25 h, more than 128 rows before the read).
        for m in 1..=(25 * 60 + 54) {
            let row = test_row(t0 + m * 60_000, utility(), m as u64 + 1);
            batch.push(row, format!("+4915200{m:06}").as_bytes());
        }
        // Read 24 h 55 min after the delivery: 59 minutes behind the latest row.
        status(
            &mut batch,
            t0 + 24 * HOUR_MS + 55 * 60_000,
            StatusKind::Read,
            9_999,
        );
        let billing = Billing {
            fixed: Some(PricingModel::ALL[3]),
            tz: FixedOffset::east_opt(0).unwrap(),
            rules: Rules::default(),
        };
        let mut counts = Vec::new();
        for stream in [true, false] {
            let mut g = Grouper::new(billing, stream, HOUR_MS, (0, 1));
            g.add(&batch).unwrap();
            g.finish();
            counts.push((
                g.reconcile.statuses,
                g.reconcile.unclassified,
                g.tally.episodes,
            ));
        }
        assert_eq!(counts[0], counts[1]);
        assert_eq!(counts[0].1, 1, "one message, unclassified");
    }

    /// Instants made with the remembered date are chrono's, across days, before the epoch and
    /// at the ends of what chrono holds.
    #[test]
    fn remembered_dates_give_chrono_instants() {
        let mut dates = Dates::default();
        let day = Dates::DAY_MS;
        let mut samples = vec![0, -1, 1, day - 1, day, -day, -day - 1, i64::MIN, i64::MAX];
        samples.extend([1_790_000_000_123, 1_790_000_000_999, 1_790_086_399_999]);
        samples.extend([
            253_402_300_799_999,
            253_402_300_800_000,
            -8_334_601_228_800_001,
        ]);
        for ms in samples.iter().chain(samples.iter().rev()).copied() {
            let chrono = DateTime::from_timestamp_millis(ms).unwrap_or_default();
            assert_eq!(dates.utc(ms), chrono, "{ms}");
        }
    }

    /// Streaming keeps a billed message for the horizon past its episode's quiet point, and
    /// forgets it once no status still to come can be that old: memory follows the messages
    /// of the last few days, not the log.
    #[test]
    fn kept_messages_are_forgotten_past_their_horizon() {
        let t0 = 1_790_000_000_000;
        let billing = Billing {
            fixed: Some(PricingModel::ALL[3]),
            tz: FixedOffset::east_opt(0).unwrap(),
            rules: Rules::default(),
        };
        let mut g = Grouper::new(billing, true, HOUR_MS, (0, 1)).keep_statuses_for(QUIET_MS);
        let mut most = 0;
        // Sixty days of a delivery an hour, each recipient every 50 hours (an episode of one
        // message), in batches of a day.
        for day in 0..60i64 {
            let mut batch = Batch::default();
            for h in 0..24i64 {
                let n = day * 24 + h;
                batch.statuses.push(crate::replay::row::Status {
                    id: format!("wamid.{n}").into(),
                    kind: StatusKind::Delivered,
                    verdict: None,
                });
                let i = batch.statuses.len() as u32 - 1;
                let row = test_row(t0 + n * HOUR_MS, RowKind::Status(i), n as u64 + 1);
                batch.push(row, format!("+4915200{:06}", n % 50).as_bytes());
            }
            g.add(&batch).unwrap();
            let kept: usize = g.parts.iter().map(|p| p.settled.len()).sum();
            most = most.max(kept);
        }
        // Billed a day after its delivery, kept a day more: about a day of messages (a day's
        // batch more before it is forgotten).
        assert!((24..=72).contains(&most), "{most} kept");
        g.finish();
        assert_eq!(g.reconcile.unclassified, 60 * 24);
        assert!(g.parts.iter().all(|p| p.settled.is_empty()));
    }

    #[test]
    fn the_status_horizon_default_is_its_text() {
        let parsed = crate::time::parse_duration(STATUS_HORIZON).unwrap();
        assert_eq!(parsed.num_milliseconds(), STATUS_HORIZON_MS);
    }

    /// The shortcut agrees with the calendar around every switch, in several time zones.
    #[test]
    fn model_at_ms_agrees_with_in_force_at() {
        for hours in [-12, -5, 0, 1, 5, 14] {
            let tz = FixedOffset::east_opt(hours * 3600).unwrap();
            let billing = Billing {
                fixed: None,
                tz,
                rules: Rules::default(),
            };
            let starts = billing.model_starts();
            for (i, m) in PricingModel::ALL.into_iter().enumerate().skip(1) {
                let switch = starts[i];
                for delta in [-86_400_001, -3_600_000, -1, 0, 1, 3_600_000, 86_400_000] {
                    let ms = switch + delta;
                    let at = DateTime::from_timestamp_millis(ms).unwrap();
                    let calendar = PricingModel::in_force_at(at, tz).unwrap();
                    assert_eq!(model_at_ms(&starts, ms), calendar, "{m}: {at} at {hours} h");
                }
            }
            let before = DateTime::from_timestamp_millis(starts[0]).unwrap() - Duration::days(3);
            assert_eq!(
                model_at_ms(&starts, before.timestamp_millis()),
                PricingModel::Cbp
            );
        }
    }
}
