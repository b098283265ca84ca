//! Which parts of the billing state can still matter from a node on, so that paths differing
//! only in parts that cannot are merged.
//!
//! A path's billing state holds clocks: how long ago the customer last wrote, how long each
//! open conversation has left. Paths that went round loops at different speeds hold different
//! clocks, and would stay apart for ever if every clock counted. But the customer service
//! window only matters to a later free-form message (or, under `pmp`, a utility template),
//! and only until the customer writes again; a conversation of a category only matters to a
//! later send that can ride on it; an ad click and a free entry point only to a later send.
//! From a node where no such send can follow, the clock is left out of the state.
//!
//! Likewise a window that cannot close before the path ends, whatever the path does, is as
//! good as open for ever: from each node, the waits of what can follow add up to at most a
//! known time (each node is entered at most `max_visits` to the power of the loops around
//! it), and a clock past that is kept as "beyond the end".

use super::customer::moves;
use super::loops::{components, Loops};
use super::Options;
use crate::billing::{BillerKey, Category, EventKind, PricingModel};
use crate::flow::Flow;

/// What can still matter from a node on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Relevance {
    /// The customer service window: a send that needs it can follow before the customer
    /// writes again.
    window: bool,
    /// Conversations of each category (bit per `Category::ALL`): a send that can ride on
    /// them can follow.
    conversations: u8,
    /// The ad click and the free entry point: some business message can follow.
    sends: bool,
    /// The longest a path can go on from here, in milliseconds (saturating).
    horizon: i64,
}

impl Relevance {
    /// Leaves out of `key` what cannot matter any more.
    pub fn narrow(self, key: &mut BillerKey) {
        key.retain(self.window, self.conversations, self.sends);
        key.clip(self.horizon);
    }
}

fn bit(c: Category) -> u8 {
    1 << Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// A node's moves as this analysis needs them: event, target, delay in milliseconds.
type Step = (Option<EventKind>, Option<usize>, i64);

/// The relevance of every node of `flow` under the model and rules of `opts`.
pub(crate) fn relevance(flow: &Flow, loops: &Loops, opts: &Options) -> Vec<Relevance> {
    let (model, joins) = (opts.model, opts.rules.free_form_joins_open_conversation);
    let n = flow.nodes.len();
    let mut steps: Vec<Vec<Step>> = Vec::with_capacity(n);
    let mut list = Vec::new();
    for v in 0..n {
        moves(flow, loops, opts, v, &mut list);
        steps.push(
            list.iter()
                .map(|m| (m.event, m.to, m.delay.num_milliseconds().max(0)))
                .collect(),
        );
    }
    let all = Category::ALL.iter().fold(0u8, |a, c| a | bit(*c));
    // What a send at this move needs.
    let needs = |event: Option<EventKind>| -> Relevance {
        match event {
            Some(EventKind::FreeForm) => Relevance {
                window: true,
                conversations: if joins { all } else { bit(Category::Service) },
                sends: true,
                horizon: 0,
            },
            Some(EventKind::Template(c)) => Relevance {
                window: model == PricingModel::Pmp && c == Category::Utility,
                conversations: bit(c),
                sends: true,
                horizon: 0,
            },
            _ => Relevance::default(),
        }
    };
    // What each node needs itself, then what its successors need, through every predecessor
    // until nothing changes (each node gains at most six bits: linear time).
    let mut rel = vec![Relevance::default(); n];
    let mut preds: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
    for (v, out) in steps.iter().enumerate() {
        for &(event, to, _) in out {
            let here = needs(event);
            rel[v].window |= here.window;
            rel[v].conversations |= here.conversations;
            rel[v].sends |= here.sends;
            if let Some(t) = to {
                // A customer message resets the window: what follows it cannot need the old one.
                preds[t].push((v, matches!(event, Some(EventKind::CustomerMessage(_)))));
            }
        }
    }
    let mut work: Vec<usize> = (0..n).collect();
    while let Some(t) = work.pop() {
        let after = rel[t];
        for &(v, customer) in &preds[t] {
            let mut r = rel[v];
            r.window |= after.window && !customer;
            r.conversations |= after.conversations;
            r.sends |= after.sends;
            if r != rel[v] {
                rel[v] = r;
                work.push(v);
            }
        }
    }
    for (v, h) in horizons(loops, &steps, opts.customer.max_visits)
        .into_iter()
        .enumerate()
    {
        rel[v].horizon = h;
    }
    rel
}

/// For every node, a bound on how long a path can go on from it: within its strongly
/// connected component every node may be entered `max_visits` to the power of the loops
/// around it, each time waiting its longest move; then the longest of the components that
/// follow.
fn horizons(loops: &Loops, steps: &[Vec<Step>], max_visits: u32) -> Vec<i64> {
    let n = steps.len();
    let succ: Vec<Vec<usize>> = steps
        .iter()
        .map(|s| s.iter().filter_map(|&(_, to, _)| to).collect())
        .collect();
    let all: Vec<usize> = (0..n).collect();
    let mut component = vec![0usize; n];
    let mut horizon_of: Vec<i64> = Vec::new();
    // Components come after those they lead to: the ones after are done first.
    for (c, (members, _)) in components(&succ, &all).into_iter().enumerate() {
        let mut own = 0i64;
        let mut after = 0i64;
        for &v in &members {
            component[v] = c;
        }
        for &v in &members {
            let longest = steps[v].iter().map(|&(_, _, d)| d).max().unwrap_or(0);
            let times = i64::from(max_visits)
                .checked_pow(loops.depth(v) as u32)
                .unwrap_or(i64::MAX);
            own = own.saturating_add(longest.saturating_mul(times));
            for &t in &succ[v] {
                if component[t] != c {
                    after = after.max(horizon_of[component[t]]);
                }
            }
        }
        horizon_of.push(own.saturating_add(after));
    }
    (0..n).map(|v| horizon_of[component[v]]).collect()
}
