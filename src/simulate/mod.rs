//! Explore: walk every path of a flow from its start node and turn each into the timeline of
//! events one recipient experiences, then bill it.
//!
//! Waits advance the clock; `wait_for_reply` forks into a "replied" path (the customer answers
//! after `reply_after`: a customer message) and a "timed out" path; `split` forks by weight.
//! Loops are unrolled until the horizon; a path that reaches it is cut and says so.

mod merge;

pub use merge::{priced_totals, totals, CostTotals, Pricing, Totals};

use crate::billing::{bill, Bill, EntryPoint, Event, EventKind, PricingModel, Rules};
use crate::flow::{Flow, NodeKind, Trigger};
use chrono::{DateTime, Duration, Utc};

/// How to explore.
#[derive(Debug, Clone)]
pub struct Options {
    /// When the flow starts for the recipient.
    pub start: DateTime<Utc>,
    /// The pricing model to bill under.
    pub model: PricingModel,
    /// Switches for uncertain billing rules.
    pub rules: Rules,
    /// How long after a `wait_for_reply` starts the customer's reply arrives on "replied" paths.
    pub reply_after: Duration,
    /// Simulated time after which a path is cut (loops with waits end here).
    pub horizon: Duration,
    /// Most paths listed; exploration stops there and the result says it was truncated.
    pub max_paths: usize,
    /// Most merged states explored for the exact totals; past it the summary covers the
    /// listed paths only, and says so.
    pub max_states: usize,
}

/// Default delay of a customer's reply (issue: "default 1 minute").
pub const DEFAULT_REPLY_AFTER: Duration = Duration::minutes(1);
/// Default horizon: 30 days of simulated time.
pub const DEFAULT_HORIZON: Duration = Duration::days(30);
/// Default cap on listed paths.
pub const DEFAULT_MAX_PATHS: usize = 1000;
/// Default cap on merged states explored for exact totals.
pub const DEFAULT_MAX_STATES: usize = 200_000;
/// Most nodes visited on one path; a guard for loops of very short waits.
pub const MAX_STEPS: usize = 10_000;

impl Options {
    /// Defaults for everything but the start and the model.
    pub fn new(start: DateTime<Utc>, model: PricingModel) -> Self {
        Options {
            start,
            model,
            rules: Rules::default(),
            reply_after: DEFAULT_REPLY_AFTER,
            horizon: DEFAULT_HORIZON,
            max_paths: DEFAULT_MAX_PATHS,
            max_states: DEFAULT_MAX_STATES,
        }
    }
}

/// What the customer did at a `wait_for_reply` node on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Replied after `reply_after`.
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

/// A reply-wait outcome a path assumes (not weighted: its likelihood is unknown).
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
    /// Cut at the horizon (or the step guard) while looping.
    Horizon,
}

impl PathEnd {
    /// `end`, `dead_end` or `horizon`.
    pub fn name(self) -> &'static str {
        match self {
            PathEnd::End => "end",
            PathEnd::DeadEnd => "dead_end",
            PathEnd::Horizon => "horizon",
        }
    }
}

/// One path through the flow and its bill.
#[derive(Debug, Clone)]
pub struct Path {
    /// Node indices in the order visited.
    pub route: Vec<usize>,
    /// Product of the split shares taken.
    pub probability: f64,
    /// Reply-wait outcomes, in order.
    pub assumptions: Vec<Assumption>,
    /// The recipient's timeline.
    pub events: Vec<Event>,
    /// For each event, the node that caused it (`None` for the trigger's customer message).
    pub event_nodes: Vec<Option<usize>>,
    /// How it ended.
    pub end: PathEnd,
    /// The bill of its events.
    pub bill: Bill,
}

/// Every path of a flow, billed.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The paths, in exploration order (file order of branches; "replied" before "timed out").
    pub paths: Vec<Path>,
    /// Exploration stopped at `max_paths`.
    pub truncated: bool,
    /// `wait_for_reply` nodes whose reply branch was skipped because the reply would come after
    /// the timeout.
    pub replies_after_timeout: Vec<usize>,
    /// Exact totals over every path, listed or not (see [`totals`]); `None` past
    /// `max_states`.
    pub totals: Option<Totals>,
}

struct Walk {
    node: Option<usize>,
    clock: DateTime<Utc>,
    route: Vec<usize>,
    probability: f64,
    assumptions: Vec<Assumption>,
    events: Vec<Event>,
    event_nodes: Vec<Option<usize>>,
}

impl Walk {
    fn emit(&mut self, kind: EventKind, node: Option<usize>) {
        self.events.push(Event {
            at: self.clock,
            kind,
        });
        self.event_nodes.push(node);
    }
}

/// Explores and bills every path of `flow`.
pub fn simulate(flow: &Flow, opts: &Options) -> Simulation {
    let mut walk = Walk {
        node: Some(0),
        clock: opts.start,
        route: Vec::new(),
        probability: 1.0,
        assumptions: Vec::new(),
        events: Vec::new(),
        event_nodes: Vec::new(),
    };
    match flow.trigger {
        Trigger::CustomerMessage => {
            walk.emit(EventKind::CustomerMessage(EntryPoint::Organic), None)
        }
        Trigger::AdClick => walk.emit(EventKind::CustomerMessage(EntryPoint::AdClick), None),
        Trigger::BusinessEvent | Trigger::Schedule => {}
    }
    let template_date = opts.start.date_naive();
    let limit = opts.start + opts.horizon;
    let mut sim = Simulation {
        paths: Vec::new(),
        truncated: false,
        replies_after_timeout: Vec::new(),
        totals: totals(flow, opts),
    };
    // Depth-first with backtracking: one walk, and at each fork the lengths to cut it back to,
    // so memory grows with the length of a path, not with the number of forks times it.
    let mut forks: Vec<Fork> = Vec::new();
    'paths: loop {
        let end = loop {
            let Some(i) = walk.node else {
                break PathEnd::DeadEnd;
            };
            if walk.clock > limit || walk.route.len() >= MAX_STEPS {
                break PathEnd::Horizon;
            }
            walk.route.push(i);
            let node = &flow.nodes[i];
            match &node.kind {
                NodeKind::SendMessage { .. } => {
                    walk.emit(EventKind::FreeForm, Some(i));
                    walk.node = node.next;
                }
                NodeKind::SendUpdate { .. } => {
                    if let Some(c) = flow.update_category(node, template_date) {
                        walk.emit(EventKind::Template(c), Some(i));
                    }
                    walk.node = node.next;
                }
                NodeKind::Step { .. } => walk.node = node.next,
                NodeKind::Wait { duration } => {
                    walk.clock += *duration;
                    walk.node = node.next;
                }
                NodeKind::WaitForReply { timeout, .. } => {
                    if opts.reply_after >= *timeout && !sim.replies_after_timeout.contains(&i) {
                        sim.replies_after_timeout.push(i);
                    }
                    forks.push(Fork::at(&walk, i));
                    choose(flow, opts, &mut walk, i, 0);
                }
                NodeKind::Split { .. } => {
                    forks.push(Fork::at(&walk, i));
                    choose(flow, opts, &mut walk, i, 0);
                }
                NodeKind::End => break PathEnd::End,
            }
        };
        let bill = bill(&walk.events, opts.model, opts.rules);
        sim.paths.push(Path {
            route: walk.route.clone(),
            probability: walk.probability,
            assumptions: walk.assumptions.clone(),
            events: walk.events.clone(),
            event_nodes: walk.event_nodes.clone(),
            end,
            bill,
        });
        // Back to the latest fork with a choice left.
        loop {
            let Some(fork) = forks.last_mut() else {
                break 'paths;
            };
            fork.choice += 1;
            if fork.choice >= choices(flow, opts, fork.node) {
                forks.pop();
                continue;
            }
            if sim.paths.len() >= opts.max_paths {
                sim.truncated = true;
                break 'paths;
            }
            let fork = *fork;
            fork.restore(&mut walk);
            choose(flow, opts, &mut walk, fork.node, fork.choice);
            break;
        }
    }
    sim
}

/// Where a walk forked: enough to cut it back and take the next choice.
#[derive(Debug, Clone, Copy)]
struct Fork {
    node: usize,
    choice: usize,
    route: usize,
    events: usize,
    assumptions: usize,
    clock: DateTime<Utc>,
    probability: f64,
}

impl Fork {
    fn at(walk: &Walk, node: usize) -> Self {
        Fork {
            node,
            choice: 0,
            route: walk.route.len(),
            events: walk.events.len(),
            assumptions: walk.assumptions.len(),
            clock: walk.clock,
            probability: walk.probability,
        }
    }

    fn restore(&self, walk: &mut Walk) {
        walk.route.truncate(self.route);
        walk.events.truncate(self.events);
        walk.event_nodes.truncate(self.events);
        walk.assumptions.truncate(self.assumptions);
        walk.clock = self.clock;
        walk.probability = self.probability;
    }
}

/// How many ways a fork node goes on: a split's branches; a reply wait's "replied" (when the
/// reply comes before the timeout) and "timed out".
fn choices(flow: &Flow, opts: &Options, node: usize) -> usize {
    match &flow.nodes[node].kind {
        NodeKind::Split { branches } => branches.len(),
        NodeKind::WaitForReply { timeout, .. } if opts.reply_after < *timeout => 2,
        _ => 1,
    }
}

/// Takes choice `choice` of the fork at `node` (in the order `choices` counts them: branches
/// in file order; "replied" before "timed out").
fn choose(flow: &Flow, opts: &Options, walk: &mut Walk, node: usize, choice: usize) {
    match &flow.nodes[node].kind {
        NodeKind::Split { branches } => {
            let total: f64 = branches.iter().map(|b| b.weight).sum();
            let b = &branches[choice];
            walk.probability *= b.weight / total;
            walk.node = Some(b.to);
        }
        NodeKind::WaitForReply {
            timeout,
            on_reply,
            on_timeout,
        } => {
            if choice == 0 && choices(flow, opts, node) == 2 {
                walk.clock += opts.reply_after;
                walk.emit(EventKind::CustomerMessage(EntryPoint::Organic), Some(node));
                walk.assumptions.push(Assumption {
                    node,
                    outcome: Outcome::Replied,
                });
                walk.node = *on_reply;
            } else {
                walk.clock += *timeout;
                walk.assumptions.push(Assumption {
                    node,
                    outcome: Outcome::TimedOut,
                });
                walk.node = *on_timeout;
            }
        }
        _ => {}
    }
}

/// What all paths of a simulation add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Whether the figures cover every path (merged exploration) or only the listed ones.
    pub exact: bool,
    /// Every path, listed or not (saturating at `u128::MAX`); the listed ones when not exact.
    pub total_paths: u128,
    /// Merged states explored to count them.
    pub states: usize,
    /// Fewest billable conversations or messages on a path (over every path).
    pub min_billable: usize,
    /// Most billable conversations or messages on a path (over every path).
    pub max_billable: usize,
    /// Every category opened or charged on some path, free ones included.
    pub categories: std::collections::BTreeSet<crate::billing::Category>,
    /// Some path (listed or not) opens or is charged for more than one category.
    pub mixed: bool,
    /// Some path (listed or not) sends a free-form message that would be refused.
    pub undeliverable: bool,
    /// Indices of the listed paths that open or are charged for more than one category.
    pub mixed_paths: Vec<usize>,
    /// Indices of the listed paths on which some free-form message would be refused.
    pub undeliverable_paths: Vec<usize>,
}

impl Simulation {
    /// Min / max billable, categories, and which paths mix categories or lose messages.
    pub fn summary(&self) -> Summary {
        let listed = |f: &dyn Fn(&Path) -> bool| -> Vec<usize> {
            (0..self.paths.len())
                .filter(|&i| f(&self.paths[i]))
                .collect()
        };
        let mixed_paths = listed(&|p| p.bill.categories().len() > 1);
        let undeliverable_paths = listed(&|p| p.bill.undeliverable().next().is_some());
        match &self.totals {
            Some(t) => Summary {
                exact: true,
                total_paths: t.paths,
                states: t.states,
                min_billable: t.min_billable,
                max_billable: t.max_billable,
                categories: t.categories.clone(),
                mixed: t.mixed,
                undeliverable: t.undeliverable,
                mixed_paths,
                undeliverable_paths,
            },
            None => {
                let billable = self.paths.iter().map(|p| p.bill.billable());
                Summary {
                    exact: false,
                    total_paths: self.paths.len() as u128,
                    states: 0,
                    min_billable: billable.clone().min().unwrap_or(0),
                    max_billable: billable.max().unwrap_or(0),
                    categories: self
                        .paths
                        .iter()
                        .flat_map(|p| p.bill.categories())
                        .collect(),
                    mixed: !mixed_paths.is_empty(),
                    undeliverable: !undeliverable_paths.is_empty(),
                    mixed_paths,
                    undeliverable_paths,
                }
            }
        }
    }
}
