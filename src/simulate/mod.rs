//! Explore: walk every path of a flow from its start node and turn each into the timeline of
//! events one recipient experiences, then bill it.
//!
//! Waits advance the clock; `wait_for_reply` forks into a "replied" path (the customer answers
//! after `reply_after`: a customer message) and a "timed out" path; `split` forks by weight.
//! Loops are unrolled until the horizon; a path that reaches it is cut and says so.

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
}

/// Default delay of a customer's reply (issue: "default 1 minute").
pub const DEFAULT_REPLY_AFTER: Duration = Duration::minutes(1);
/// Default horizon: 30 days of simulated time.
pub const DEFAULT_HORIZON: Duration = Duration::days(30);
/// Default cap on listed paths.
pub const DEFAULT_MAX_PATHS: usize = 1000;
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
}

#[derive(Clone)]
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
    let mut first = Walk {
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
            first.emit(EventKind::CustomerMessage(EntryPoint::Organic), None)
        }
        Trigger::AdClick => first.emit(EventKind::CustomerMessage(EntryPoint::AdClick), None),
        Trigger::BusinessEvent | Trigger::Schedule => {}
    }
    let template_date = opts.start.date_naive();
    let limit = opts.start + opts.horizon;
    let mut sim = Simulation {
        paths: Vec::new(),
        truncated: false,
        replies_after_timeout: Vec::new(),
    };
    let mut stack = vec![first];
    while let Some(mut walk) = stack.pop() {
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
                NodeKind::WaitForReply {
                    timeout,
                    on_reply,
                    on_timeout,
                } => {
                    if opts.reply_after < *timeout {
                        let mut replied = walk.clone();
                        replied.clock += opts.reply_after;
                        replied.emit(EventKind::CustomerMessage(EntryPoint::Organic), Some(i));
                        replied.assumptions.push(Assumption {
                            node: i,
                            outcome: Outcome::Replied,
                        });
                        replied.node = *on_reply;
                        // Pushed after the timed-out walk below so that it is explored first.
                        walk.clock += *timeout;
                        walk.assumptions.push(Assumption {
                            node: i,
                            outcome: Outcome::TimedOut,
                        });
                        walk.node = *on_timeout;
                        stack.push(walk);
                        walk = replied;
                    } else {
                        if !sim.replies_after_timeout.contains(&i) {
                            sim.replies_after_timeout.push(i);
                        }
                        walk.clock += *timeout;
                        walk.assumptions.push(Assumption {
                            node: i,
                            outcome: Outcome::TimedOut,
                        });
                        walk.node = *on_timeout;
                    }
                }
                NodeKind::Split { branches } => {
                    let total: f64 = branches.iter().map(|b| b.weight).sum();
                    for b in branches.iter().skip(1).rev() {
                        let mut fork = walk.clone();
                        fork.probability *= b.weight / total;
                        fork.node = Some(b.to);
                        stack.push(fork);
                    }
                    walk.probability *= branches[0].weight / total;
                    walk.node = Some(branches[0].to);
                }
                NodeKind::End => break PathEnd::End,
            }
        };
        if sim.paths.len() >= opts.max_paths {
            sim.truncated = true;
            break;
        }
        let bill = bill(&walk.events, opts.model, opts.rules);
        sim.paths.push(Path {
            route: walk.route,
            probability: walk.probability,
            assumptions: walk.assumptions,
            events: walk.events,
            event_nodes: walk.event_nodes,
            end,
            bill,
        });
    }
    sim
}

/// What all paths of a simulation add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Fewest billable conversations or messages on a path.
    pub min_billable: usize,
    /// Most billable conversations or messages on a path.
    pub max_billable: usize,
    /// Every category opened or charged on some path, free ones included.
    pub categories: std::collections::BTreeSet<crate::billing::Category>,
    /// Indices of the paths that open or are charged for more than one category.
    pub mixed_paths: Vec<usize>,
    /// Indices of the paths on which some free-form message would be refused.
    pub undeliverable_paths: Vec<usize>,
}

impl Simulation {
    /// Min / max billable, categories, and which paths mix categories or lose messages.
    pub fn summary(&self) -> Summary {
        let billable = self.paths.iter().map(|p| p.bill.billable());
        Summary {
            min_billable: billable.clone().min().unwrap_or(0),
            max_billable: billable.max().unwrap_or(0),
            categories: self
                .paths
                .iter()
                .flat_map(|p| p.bill.categories())
                .collect(),
            mixed_paths: (0..self.paths.len())
                .filter(|&i| self.paths[i].bill.categories().len() > 1)
                .collect(),
            undeliverable_paths: (0..self.paths.len())
                .filter(|&i| self.paths[i].bill.undeliverable().next().is_some())
                .collect(),
        }
    }
}
