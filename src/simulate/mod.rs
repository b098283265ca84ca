//! Explore: every path of a flow from its start node, as the timeline of events one recipient
//! experiences, billed.
//!
//! Waits advance the clock; a `wait_for_reply` forks into "replied" (a customer message) and
//! "timed out"; a `split` forks by its shares. What customers do is the [`Customer`] model:
//! how often they reply, how often they answer a question badly and get it asked again, how
//! often they go round a loop at most. Under it every path is finite, and the paths are
//! explored merged ([`graph`]): the summary ([`Totals`]) covers every path exactly, however
//! many there are, and only a few paths are walked one by one to be shown ([`Path`]): the most
//! probable and the dearest.

mod customer;
mod graph;
mod loops;
mod passes;
mod relevance;
mod walk;

pub use customer::{
    Customer, DEFAULT_MAX_VISITS, DEFAULT_REPLY_AFTER, DEFAULT_REPLY_RATE, DEFAULT_RETRY_RATE,
    MAX_MAX_VISITS,
};
use graph::explore;
pub use graph::Graph;
pub(crate) use graph::{Label, Observer, StepView, NO_NODE};
pub(crate) use loops::Loops;
pub(crate) use passes::Through;
pub use passes::{Abandonment, CategoryTotals, CostTotals, Prices, Totals};
pub(crate) use walk::walk;

use crate::billing::{Bill, Category, Event, PricingModel, Rules};
use crate::flow::{Flow, NodeKind};
use chrono::{DateTime, Utc};
use std::fmt;

/// How many paths to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// The N most probable, and the dearest.
    Top(usize),
    /// Every path (at most [`MAX_LISTED_ALL`]).
    All,
}

/// Default number of paths listed (the most probable ones; the dearest comes on top).
pub const DEFAULT_LISTED: usize = 10;
/// Most paths `--paths all` lists.
pub const MAX_LISTED_ALL: usize = 10_000;
/// Default bound on merged states (about 50 MB of them).
pub const DEFAULT_MAX_STATES: usize = 250_000;

/// How to explore.
#[derive(Debug, Clone)]
pub struct Options {
    /// When the flow starts for the recipient.
    pub start: DateTime<Utc>,
    /// The pricing model to bill under.
    pub model: PricingModel,
    /// Switches for uncertain billing rules.
    pub rules: Rules,
    /// What customers are assumed to do.
    pub customer: Customer,
    /// Which paths to list.
    pub listing: Listing,
    /// Most merged states; a flow that needs more is explored with a lower `--max-visits`.
    pub max_states: usize,
    /// The category a template of unknown category (`category: unknown`) is billed as; `cost`
    /// simulates each one a template can have to give the range.
    pub unknown_as: Category,
}

impl Options {
    /// Defaults for everything but the start and the model.
    pub fn new(start: DateTime<Utc>, model: PricingModel) -> Self {
        Options {
            start,
            model,
            rules: Rules::default(),
            customer: Customer::default(),
            listing: Listing::Top(DEFAULT_LISTED),
            max_states: DEFAULT_MAX_STATES,
            unknown_as: Category::Marketing,
        }
    }
}

/// Why a flow could not be simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// The merged exploration needs more states than allowed.
    TooManyStates {
        /// The bound (`--max-states`).
        limit: usize,
    },
    /// Waits add up past the last instant flowcost can represent.
    TooLong,
    /// An amount (an audience total) past the largest flowcost counts.
    TooMuchMoney,
    /// `--paths all` on a flow with more paths than can be listed.
    TooManyPaths {
        /// How many there are (saturating).
        paths: u128,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::TooManyStates { limit } => write!(
                f,
                "the flow has more than {limit} distinct states even when each loop is gone round once (--max-visits 1); raise --max-states"
            ),
            SimError::TooLong => f.write_str(
                "the waits of a path add up to more time than flowcost can count (past the year 262143); shorten the waits or lower --max-visits",
            ),
            SimError::TooMuchMoney => f.write_str(
                "the audience total passes the largest amount flowcost counts (about 9.2 trillion USD): lower --audience",
            ),
            SimError::TooManyPaths { paths } => write!(
                f,
                "the flow has {paths} paths; --paths all lists at most {MAX_LISTED_ALL}: give a number instead (the summary covers every path anyway)"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// What the customer did at a `wait_for_reply` node on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Replied.
    Replied,
    /// Stayed silent until the timeout.
    TimedOut,
}

impl Outcome {
    /// `replied` or `timed_out`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Replied => "replied",
            Outcome::TimedOut => "timed_out",
        }
    }
}

/// A reply-wait outcome a path takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assumption {
    /// The `wait_for_reply` node.
    pub node: usize,
    /// What the customer did there.
    pub outcome: Outcome,
}

/// How a path ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathEnd {
    /// At an `end` node.
    End,
    /// At a node with nothing after it and no `end`.
    DeadEnd,
    /// The customer gave up: the path would have entered `node` more than `--max-visits`
    /// times.
    Abandoned {
        /// The node not entered again.
        node: usize,
    },
}

impl PathEnd {
    /// `end`, `dead_end` or `abandoned`.
    pub fn name(self) -> &'static str {
        match self {
            PathEnd::End => "end",
            PathEnd::DeadEnd => "dead_end",
            PathEnd::Abandoned { .. } => "abandoned",
        }
    }
}

/// One path through the flow and its bill.
#[derive(Debug, Clone)]
pub struct Path {
    /// Node indices in the order entered.
    pub route: Vec<usize>,
    /// Its probability under the customer model: the product of the split shares taken
    /// (retry rate included) and of the reply rate (or its complement) at each reply wait.
    pub probability: f64,
    /// Reply-wait outcomes, in order.
    pub assumptions: Vec<Assumption>,
    /// The recipient's timeline.
    pub events: Vec<Event>,
    /// For each event, the node that caused it (`None` for the trigger's customer message).
    pub event_nodes: Vec<Option<usize>>,
    /// For each step (move from `route[i]`), the event it added, if any.
    pub step_events: Vec<Option<usize>>,
    /// How it ended.
    pub end: PathEnd,
    /// The bill of its events.
    pub bill: Bill,
    /// The choice taken at each step: what identifies the path.
    pub choices: Vec<u32>,
    /// Listed as the dearest path (most billable units, then most probable).
    pub dearest: bool,
}

/// A flow simulated: every path merged, a few listed.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// Every path, merged.
    pub graph: Graph,
    /// What every path adds up to.
    pub totals: Totals,
    /// The listed paths: the most probable first, then the dearest if it is not among them.
    pub paths: Vec<Path>,
    /// How many of `paths` were listed for being the most probable (all but an appended
    /// dearest).
    pub most_probable: usize,
    /// Reply waits whose timeout is not longer than `--reply-after`: the customer replies at
    /// half the timeout there.
    pub half_timeout_replies: Vec<usize>,
    /// The customer model the figures are for (see [`Simulation::lowered_from`]).
    pub customer: Customer,
    /// `--max-visits` as asked, when the flow had more than `--max-states` states under it
    /// and a lower number was used.
    pub lowered_from: Option<u32>,
    /// The sends of templates of unknown category (node, template), billed as `unknown_as`.
    pub uncategorised: Vec<(usize, String)>,
    /// The category they are billed as.
    pub unknown_as: Category,
    loops: Loops,
}

/// The warning when `--max-visits` had to be lowered for a flow to fit in `--max-states`.
pub fn lowered_warning(asked: u32, used: u32, max_states: usize) -> String {
    format!(
        "the flow has more than {max_states} distinct states with --max-visits {asked}: these figures go round each loop at most {used} time(s) (--max-visits {used}); raise --max-states to use {asked}"
    )
}

/// Explores `flow` with `observer`; when it has more than `opts.max_states` states under
/// `--max-visits N`, explores again with N − 1, and so on down to 1. Returns the graph, the
/// options it was explored with, and the number asked for when it was lowered.
pub(crate) fn explore_fitting<O: Observer>(
    flow: &Flow,
    opts: &Options,
    observer: &O,
) -> Result<(Graph, Options, Option<u32>), SimError> {
    let mut used = opts.clone();
    loop {
        match explore(flow, &used, observer) {
            Ok(graph) => {
                let lowered = (used.customer.max_visits != opts.customer.max_visits)
                    .then_some(opts.customer.max_visits);
                return Ok((graph, used, lowered));
            }
            Err(SimError::TooManyStates { .. }) if used.customer.max_visits > 1 => {
                used.customer.max_visits -= 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Explores and bills every path of `flow`, and walks the ones to list.
pub fn simulate(flow: &Flow, opts: &Options) -> Result<Simulation, SimError> {
    let (graph, used, lowered_from) = explore_fitting(flow, opts, &())?;
    let opts = &used;
    let totals = passes::totals(&graph);
    let mut sim = Simulation {
        totals,
        paths: Vec::new(),
        most_probable: 0,
        half_timeout_replies: flow
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                matches!(n.kind, NodeKind::WaitForReply { timeout, .. }
                    if opts.customer.replies_at_half(timeout))
            })
            .map(|(i, _)| i)
            .collect(),
        customer: opts.customer,
        lowered_from,
        uncategorised: flow.uncategorised_sends(),
        unknown_as: opts.unknown_as,
        loops: Loops::new(flow),
        graph,
    };
    let mut listed = match opts.listing {
        Listing::Top(k) => passes::most_probable(&sim.graph, k),
        Listing::All => {
            let mut all = passes::every_path(&sim.graph, sim.totals.paths, MAX_LISTED_ALL)
                .ok_or(SimError::TooManyPaths {
                    paths: sim.totals.paths,
                })?
                .into_iter()
                .map(|c| sim.walk(flow, opts, &c))
                .collect::<Result<Vec<_>, _>>()?;
            // Most probable first; equal ones in choice order (the sort is stable).
            all.sort_by(|a, b| b.probability.total_cmp(&a.probability));
            sim.paths = all;
            Vec::new()
        }
    };
    let dearest = passes::extreme_path(&sim.graph, |e| i64::from(e.billable()), false);
    sim.most_probable = match opts.listing {
        Listing::All => sim.paths.len(),
        Listing::Top(_) => listed.len(),
    };
    if opts.listing != Listing::All && opts.listing != Listing::Top(0) && !listed.contains(&dearest)
    {
        listed.push(dearest.clone());
    }
    for choices in listed {
        let path = sim.walk(flow, opts, &choices)?;
        sim.paths.push(path);
    }
    for p in &mut sim.paths {
        p.dearest = p.choices == dearest;
    }
    Ok(sim)
}

impl Simulation {
    /// The names of the templates of unknown category it bills, each once, in file order.
    pub fn uncategorised_templates(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (_, name) in &self.uncategorised {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// Walks the path that takes `choices` (under the customer model the simulation used).
    pub fn walk(&self, flow: &Flow, opts: &Options, choices: &[u32]) -> Result<Path, SimError> {
        let mut opts = opts.clone();
        opts.customer = self.customer;
        walk::walk(flow, &self.loops, &opts, choices)
    }

    /// Cheapest, dearest and expected cost per recipient at `prices` (per category, in
    /// `Category::ALL` order), over every path.
    pub fn priced(&self, prices: &Prices) -> CostTotals {
        passes::priced(&self.graph, &self.totals, prices)
    }

    /// The cheapest (or dearest) path at `prices`: fewest (most) known costs, then the most
    /// probable; unknown prices count as nothing.
    pub fn extreme(
        &self,
        flow: &Flow,
        opts: &Options,
        prices: &Prices,
        cheapest: bool,
    ) -> Result<Path, SimError> {
        let value = |e: &graph::Edge| match e.charge() {
            Some((c, true)) => {
                let i = crate::billing::Category::ALL
                    .iter()
                    .position(|x| *x == c)
                    .unwrap_or(0);
                prices[i].map_or(0, |m| m.micros())
            }
            _ => 0,
        };
        let choices = passes::extreme_path(&self.graph, value, cheapest);
        self.walk(flow, opts, &choices)
    }

    /// The listed paths on which the flow mixes categories that cost (indices into `paths`).
    pub fn mixed_paths(&self) -> Vec<usize> {
        (0..self.paths.len())
            .filter(|&i| self.paths[i].bill.billed_categories().len() > 1)
            .collect()
    }

    /// The listed paths on which some free-form message would be refused.
    pub fn undeliverable_paths(&self) -> Vec<usize> {
        (0..self.paths.len())
            .filter(|&i| self.paths[i].bill.undeliverable().next().is_some())
            .collect()
    }
}
