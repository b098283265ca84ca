//! Exact totals over every path without enumerating them: timelines that reach the same node
//! at the same simulated time with the same billing state (open windows and conversations,
//! relative to the clock), the same categories so far and the same deliverability so far, bill
//! every continuation alike, so they are merged into one state that counts its paths.
//!
//! States are expanded in order of (elapsed time, rank of the node along zero-time edges): a
//! state can only be reached from states earlier in that order, so all of its merges happen
//! before it is expanded. n sequential two-way splits then cost O(n) states instead of 2^n.

use super::Options;
use crate::billing::{Biller, BillerKey, Category, EntryPoint, Event, EventKind};
use crate::flow::{Flow, NodeKind, Trigger};
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};

/// What all paths of a flow add up to, computed exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// Number of distinct paths (saturating at `u128::MAX`).
    pub paths: u128,
    /// Merged states expanded to compute the totals.
    pub states: usize,
    /// Fewest billable conversations or messages on a path.
    pub min_billable: usize,
    /// Most billable conversations or messages on a path.
    pub max_billable: usize,
    /// Every category opened or charged on some path, free ones included.
    pub categories: BTreeSet<Category>,
    /// Some path opens or is charged for more than one category.
    pub mixed: bool,
    /// Some path sends a free-form message that would be refused.
    pub undeliverable: bool,
    /// With [`Pricing`]: costs over every path.
    pub cost: Option<CostTotals>,
}

/// Unit prices and reply odds for [`priced_totals`].
#[derive(Debug, Clone, Copy)]
pub struct Pricing {
    /// Micro-USD per billable conversation or message of each category, in the order of
    /// `Category::ALL`; `None` where the price is unknown (the charge then adds nothing and the
    /// totals say they are incomplete).
    pub prices: [Option<i64>; 4],
    /// Probability that the customer replies at a reply wait.
    pub reply_rate: f64,
}

/// Costs per recipient over every path, exact without enumerating them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostTotals {
    /// Cheapest path, micro-USD.
    pub min: i64,
    /// Dearest path, micro-USD.
    pub max: i64,
    /// Expected cost, micro-USD: paths weighted by split shares and reply odds. Probabilities
    /// are real numbers; the money is rounded once, to the micro-dollar, at the end.
    pub expected: i64,
    /// Some billable charge has no known price.
    pub incomplete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    elapsed: i64,
    rank: usize,
    node: Option<usize>,
    categories: u8,
    undeliverable: bool,
    billing: BillerKey,
}

#[derive(Debug, Clone, Copy)]
struct Count {
    paths: u128,
    min: usize,
    max: usize,
    min_cost: i64,
    max_cost: i64,
    /// Σ probability of the merged paths.
    mass: f64,
    /// Σ probability × cost so far (micro-USD).
    weighted: f64,
    incomplete: bool,
}

impl Count {
    fn merge(&mut self, other: Count) {
        self.paths = self.paths.saturating_add(other.paths);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.min_cost = self.min_cost.min(other.min_cost);
        self.max_cost = self.max_cost.max(other.max_cost);
        self.mass += other.mass;
        self.weighted += other.weighted;
        self.incomplete |= other.incomplete;
    }

    fn scaled(mut self, p: f64) -> Count {
        self.mass *= p;
        self.weighted *= p;
        self
    }

    fn charge(&mut self, price: Option<i64>) {
        self.min += 1;
        self.max += 1;
        match price {
            Some(p) => {
                self.min_cost += p;
                self.max_cost += p;
                self.weighted += self.mass * p as f64;
            }
            None => self.incomplete = true,
        }
    }
}

fn bit(c: Category) -> u8 {
    1 << Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// Topological rank of every node along the edges that take no time (out of nodes that do not
/// wait); a flow has no loop along them (the loader refuses loops without a wait).
fn ranks(flow: &Flow) -> Vec<usize> {
    let n = flow.nodes.len();
    let mut indegree = vec![0usize; n];
    for node in flow.nodes.iter().filter(|node| !node.waits()) {
        for s in node.successors() {
            indegree[s] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut rank = vec![0usize; n];
    let mut next = 0;
    while let Some(i) = ready.pop() {
        rank[i] = next;
        next += 1;
        if flow.nodes[i].waits() {
            continue;
        }
        for s in flow.nodes[i].successors() {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                ready.push(s);
            }
        }
    }
    rank
}

struct Explorer<'a> {
    opts: &'a Options,
    pricing: Option<Pricing>,
    ranks: Vec<usize>,
    queue: BTreeMap<Key, (Biller, Count)>,
}

impl Explorer<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        elapsed: Duration,
        node: Option<usize>,
        categories: u8,
        undeliverable: bool,
        biller: Biller,
        count: Count,
    ) {
        let now = self.opts.start + elapsed;
        let key = Key {
            elapsed: elapsed.num_seconds(),
            rank: node.map_or(0, |n| self.ranks[n]),
            node,
            categories,
            undeliverable,
            billing: biller.key(now),
        };
        match self.queue.get_mut(&key) {
            Some((_, existing)) => existing.merge(count),
            None => {
                self.queue.insert(key, (biller, count));
            }
        }
    }

    /// Bills an event on a copy of the state.
    fn step(
        &mut self,
        elapsed: Duration,
        kind: EventKind,
        next: Option<usize>,
        state: (u8, bool, &Biller, Count),
    ) {
        let (mut categories, mut undeliverable, biller, mut count) = state;
        let mut biller = biller.clone();
        let now = self.opts.start + elapsed;
        let applied = biller.apply(Event { at: now, kind });
        biller.compact(now);
        if let Some((category, billable)) = applied.charge {
            categories |= bit(category);
            if billable {
                let index = Category::ALL
                    .iter()
                    .position(|c| *c == category)
                    .unwrap_or(0);
                count.charge(self.pricing.and_then(|p| p.prices[index]));
            }
        }
        undeliverable |= applied.undeliverable;
        self.push(elapsed, next, categories, undeliverable, biller, count);
    }
}

/// Explores every path of `flow`, merging equal states, and adds them up; `None` when more
/// than `opts.max_states` distinct states would be needed (loops of reply waits over a long
/// horizon can reach that).
pub fn totals(flow: &Flow, opts: &Options) -> Option<Totals> {
    explore(flow, opts, None)
}

/// [`totals`] with costs: min, max and expected cost per recipient over every path.
pub fn priced_totals(flow: &Flow, opts: &Options, pricing: Pricing) -> Option<Totals> {
    explore(flow, opts, Some(pricing))
}

fn explore(flow: &Flow, opts: &Options, pricing: Option<Pricing>) -> Option<Totals> {
    let mut explorer = Explorer {
        pricing,
        opts,
        ranks: ranks(flow),
        queue: BTreeMap::new(),
    };
    let mut biller = Biller::new(opts.model, opts.rules);
    let first = match flow.trigger {
        Trigger::CustomerMessage => Some(EntryPoint::Organic),
        Trigger::AdClick => Some(EntryPoint::AdClick),
        Trigger::BusinessEvent | Trigger::Schedule => None,
    };
    if let Some(entry) = first {
        biller.apply(Event {
            at: opts.start,
            kind: EventKind::CustomerMessage(entry),
        });
    }
    let start = Count {
        paths: 1,
        min: 0,
        max: 0,
        min_cost: 0,
        max_cost: 0,
        mass: 1.0,
        weighted: 0.0,
        incomplete: false,
    };
    explorer.push(Duration::zero(), Some(0), 0, false, biller, start);

    let template_date = opts.start.date_naive();
    let limit = opts.horizon.num_seconds();
    let mut totals = Totals {
        paths: 0,
        states: 0,
        min_billable: usize::MAX,
        max_billable: 0,
        categories: BTreeSet::new(),
        mixed: false,
        undeliverable: false,
        cost: None,
    };
    let mut cost = CostTotals {
        min: i64::MAX,
        max: 0,
        expected: 0,
        incomplete: false,
    };
    let mut weighted = 0.0;
    while let Some((key, (biller, count))) = explorer.queue.pop_first() {
        totals.states += 1;
        if totals.states + explorer.queue.len() > opts.max_states {
            return None;
        }
        let elapsed = Duration::seconds(key.elapsed);
        let node = key.node.map(|i| (i, &flow.nodes[i]));
        let node = match node {
            Some((_, n)) if matches!(n.kind, NodeKind::End) => None,
            _ if key.elapsed > limit => None,
            other => other,
        };
        let Some((_, node)) = node else {
            // A path ends here: at an end node, a dead end, or the horizon.
            totals.paths = totals.paths.saturating_add(count.paths);
            totals.min_billable = totals.min_billable.min(count.min);
            totals.max_billable = totals.max_billable.max(count.max);
            totals.categories.extend(
                Category::ALL
                    .into_iter()
                    .filter(|c| key.categories & bit(*c) != 0),
            );
            totals.mixed |= key.categories.count_ones() > 1;
            totals.undeliverable |= key.undeliverable;
            cost.min = cost.min.min(count.min_cost);
            cost.max = cost.max.max(count.max_cost);
            cost.incomplete |= count.incomplete;
            weighted += count.weighted;
            continue;
        };
        let state = (key.categories, key.undeliverable, &biller, count);
        match &node.kind {
            NodeKind::SendMessage { .. } => {
                explorer.step(elapsed, EventKind::FreeForm, node.next, state)
            }
            NodeKind::SendUpdate { .. } => match flow.update_category(node, template_date) {
                Some(c) => explorer.step(elapsed, EventKind::Template(c), node.next, state),
                None => explorer.push(
                    elapsed,
                    node.next,
                    key.categories,
                    key.undeliverable,
                    biller,
                    count,
                ),
            },
            NodeKind::Step { .. } => explorer.push(
                elapsed,
                node.next,
                key.categories,
                key.undeliverable,
                biller,
                count,
            ),
            NodeKind::Wait { duration } => explorer.push(
                elapsed + *duration,
                node.next,
                key.categories,
                key.undeliverable,
                biller,
                count,
            ),
            NodeKind::WaitForReply {
                timeout,
                on_reply,
                on_timeout,
            } => {
                // Reply odds weigh the expected cost (as `flowcost cost --reply-rate` does).
                let rate = explorer.pricing.map_or(0.5, |p| p.reply_rate);
                let timed_out = if opts.reply_after < *timeout {
                    let reply = EventKind::CustomerMessage(EntryPoint::Organic);
                    let replied = (state.0, state.1, state.2, count.scaled(rate));
                    explorer.step(elapsed + opts.reply_after, reply, *on_reply, replied);
                    count.scaled(1.0 - rate)
                } else {
                    count
                };
                explorer.push(
                    elapsed + *timeout,
                    *on_timeout,
                    key.categories,
                    key.undeliverable,
                    biller,
                    timed_out,
                );
            }
            NodeKind::Split { branches } => {
                let total: f64 = branches.iter().map(|b| b.weight).sum();
                for b in branches {
                    explorer.push(
                        elapsed,
                        Some(b.to),
                        key.categories,
                        key.undeliverable,
                        biller.clone(),
                        count.scaled(b.weight / total),
                    );
                }
            }
            NodeKind::End => {}
        }
    }
    if totals.paths == 0 {
        totals.min_billable = 0;
        cost.min = 0;
    }
    if explorer.pricing.is_some() {
        cost.expected = weighted.round() as i64;
        totals.cost = Some(cost);
    }
    Some(totals)
}
