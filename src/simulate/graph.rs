//! The merged exploration: every path of a flow as one graph of states, without listing them.
//!
//! Paths that reach the same node with the same counts of the loops around it, the same
//! billing state (the customer service window, an armed ad click, the free entry point and the
//! open conversations, each relative to the clock), the same categories billed so far and the
//! same watch of a lint rule, continue alike: they are merged into one state. A state's edges
//! are the moves of its node ([`super::customer::moves`]), each with its share, its charge and
//! the labels rule watchers gave it. Every path of the flow is a path of this graph from the
//! root to an end state, and the other way round.
//!
//! Nothing here depends on how long a path has taken: only relative times are compared, so
//! paths that went round a loop at different speeds merge again. Every path is finite (the
//! loop counts bound it), so the graph has no cycle; once it is built, its states are put in
//! an order where each comes after every state with an edge to it, which the passes over it
//! follow.

use super::customer::{moves, Move};
use super::loops::Loops;
use super::relevance::{relevance, Relevance};
use super::{Options, SimError};
use crate::billing::{Applied, Biller, BillerKey, Category, EntryPoint, Event, EventKind};
use crate::flow::{Flow, NodeKind, Trigger};
use crate::probability::Share;
use chrono::{DateTime, Utc};
use hashbrown::HashMap;

/// "No node" in a [`Label`].
pub(crate) const NO_NODE: u32 = u32::MAX;

/// What a rule watcher noticed on a step: the rule and the node (or pair of nodes) concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Label {
    /// The rule's index in its registry.
    pub rule: u16,
    /// The node blamed.
    pub node: u32,
    /// A second node (the culprit wait, the first of a burst), or [`NO_NODE`].
    pub other: u32,
}

/// One step of a path as a watcher sees it.
pub(crate) struct StepView<'a> {
    /// The node the step leaves.
    pub node: usize,
    /// The move taken.
    pub mv: &'a Move,
    /// What billing made of the move's event, if it has one.
    pub applied: Option<Applied>,
    /// Categories billed on the path before and after the step (bit per `Category::ALL`).
    pub billed: (u8, u8),
    /// The bill so far, after the step.
    pub biller: &'a Biller,
    /// The clock after the step's delay.
    pub now: DateTime<Utc>,
}

/// Something that follows paths step by step and labels steps (a lint rule's watcher). What it
/// remembers is part of the state: paths it tells apart are not merged.
pub(crate) trait Observer {
    /// What it remembers of a path.
    type Watch: Clone + Eq + std::hash::Hash + Default;
    /// What it remembers at the start (after the trigger's customer message, if any).
    fn start(&self, _biller: &Biller, _now: DateTime<Utc>) -> Self::Watch {
        Self::Watch::default()
    }
    /// Follows one step.
    fn step(&self, watch: &mut Self::Watch, step: &StepView, labels: &mut Vec<Label>);
}

/// Watches nothing: the plain simulation.
impl Observer for () {
    type Watch = ();
    fn step(&self, _: &mut (), _: &StepView, _: &mut Vec<Label>) {}
}

/// How a path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum EndKind {
    /// At an `end` node.
    End,
    /// After a node with nothing after it.
    DeadEnd,
    /// Before entering a node once more than `--max-visits` allows.
    Abandoned,
}

/// An end state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Terminal {
    /// How.
    pub kind: EndKind,
    /// Where: the `end` node, the last node, or the node not entered.
    pub node: u32,
    /// Categories billed on the way (bit per `Category::ALL`).
    pub billed: u8,
}

/// A move from a state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    /// The state it leaves.
    pub from: u32,
    /// The state it leads to.
    pub to: u32,
    /// The move's index among its node's moves.
    pub choice: u32,
    /// Its probability, given the state.
    pub share: Share,
    /// Bits 0–1: category; bit 2: a charge; bit 3: billable; bit 4: an undeliverable message.
    flags: u8,
}

impl Edge {
    /// The charge the move's message opened or is: category and whether it is billable.
    pub fn charge(&self) -> Option<(Category, bool)> {
        (self.flags & 4 != 0).then(|| {
            (
                Category::ALL[usize::from(self.flags & 3)],
                self.flags & 8 != 0,
            )
        })
    }

    /// Whether the move's free-form message would be refused.
    pub fn undeliverable(&self) -> bool {
        self.flags & 16 != 0
    }

    /// 1 when the move is billed, else 0.
    pub fn billable(&self) -> u32 {
        u32::from(self.flags & 12 == 12)
    }
}

/// A state: its edges, or how paths end there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StateRec {
    /// Its first edge in [`Graph::edges`].
    pub first: u32,
    /// How many edges.
    pub len: u32,
    /// Set for end states (which have no edges).
    pub end: Option<Terminal>,
}

/// Every path of a flow, merged.
#[derive(Debug, Clone)]
pub struct Graph {
    pub(crate) states: Vec<StateRec>,
    /// Every state, in an order where each comes after all states with an edge to it.
    pub(crate) order: Vec<u32>,
    pub(crate) edges: Vec<Edge>,
    /// Labels of watchers, by edge index (sorted).
    pub(crate) labels: Vec<(u32, Label)>,
    pub(crate) root: u32,
}

impl Graph {
    /// The edges of a state.
    pub(crate) fn out(&self, state: u32) -> &[Edge] {
        let s = &self.states[state as usize];
        &self.edges[s.first as usize..(s.first + s.len) as usize]
    }

    /// Merged states explored.
    pub fn states(&self) -> usize {
        self.states.len()
    }
}

/// The category's bit in a billed set.
pub(crate) fn bit(c: Category) -> u8 {
    1 << category_index(c)
}

fn category_index(c: Category) -> u8 {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0) as u8
}

/// A state's identity: its node, loop counts, categories billed and billing state as bytes
/// (one small allocation per state), and the watch of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key<W> {
    bytes: Box<[u8]>,
    watch: W,
}

impl<W> Key<W> {
    fn new(node: u32, counts: &[u8], billed: u8, billing: &BillerKey, watch: W) -> Key<W> {
        let mut bytes = Vec::with_capacity(16 + counts.len());
        bytes.extend_from_slice(&node.to_le_bytes());
        bytes.push(billed);
        // Loops nest at most 64 deep: the length fits in a byte.
        bytes.push(counts.len() as u8);
        bytes.extend_from_slice(counts);
        billing.encode(&mut bytes);
        Key {
            bytes: bytes.into_boxed_slice(),
            watch,
        }
    }

    fn node(&self) -> usize {
        let mut n = [0u8; 4];
        n.copy_from_slice(&self.bytes[..4]);
        u32::from_le_bytes(n) as usize
    }

    fn billed(&self) -> u8 {
        self.bytes[4]
    }

    fn counts(&self) -> &[u8] {
        let len = usize::from(self.bytes[5]);
        &self.bytes[6..6 + len]
    }
}

struct Pending<W> {
    id: u32,
    key: Key<W>,
    biller: Biller,
    now: DateTime<Utc>,
}

struct Explorer<'a, O: Observer> {
    flow: &'a Flow,
    opts: &'a Options,
    loops: Loops,
    observer: &'a O,
    relevance: Vec<Relevance>,
    seen: HashMap<Key<O::Watch>, u32>,
    pending: Vec<Pending<O::Watch>>,
    ends: HashMap<Terminal, u32>,
    graph: Graph,
}

/// Where a move leads, as the explorer sees it.
struct Arrival<'k, W> {
    from: usize,
    counts: &'k [u8],
    to: Option<usize>,
    billed: u8,
    biller: Biller,
    now: DateTime<Utc>,
    watch: W,
}

impl<O: Observer> Explorer<'_, O> {
    fn new_state(&mut self) -> Result<u32, SimError> {
        if self.graph.states.len() >= self.opts.max_states {
            return Err(SimError::TooManyStates {
                limit: self.opts.max_states,
            });
        }
        self.graph.states.push(StateRec {
            first: 0,
            len: 0,
            end: None,
        });
        Ok((self.graph.states.len() - 1) as u32)
    }

    fn terminal(&mut self, t: Terminal) -> Result<u32, SimError> {
        if let Some(&id) = self.ends.get(&t) {
            return Ok(id);
        }
        let id = self.new_state()?;
        self.graph.states[id as usize].end = Some(t);
        self.ends.insert(t, id);
        Ok(id)
    }

    /// The state a move arrives in: an end state, or a node state (merged with an equal one).
    fn arrive(&mut self, a: Arrival<O::Watch>) -> Result<u32, SimError> {
        let max_visits = self.opts.customer.max_visits;
        let Some(t) = a.to else {
            return self.terminal(Terminal {
                kind: EndKind::DeadEnd,
                node: a.from as u32,
                billed: a.billed,
            });
        };
        if matches!(self.flow.nodes[t].kind, NodeKind::End) {
            return self.terminal(Terminal {
                kind: EndKind::End,
                node: t as u32,
                billed: a.billed,
            });
        }
        let from = (a.from != usize::MAX).then_some(a.from);
        let Some(counts) = self.loops.enter(from, a.counts, t, max_visits) else {
            return self.terminal(Terminal {
                kind: EndKind::Abandoned,
                node: t as u32,
                billed: a.billed,
            });
        };
        let mut billing = a.biller.key(a.now);
        self.relevance[t].narrow(&mut billing);
        let key = Key::new(t as u32, &counts, a.billed, &billing, a.watch);
        if let Some(&id) = self.seen.get(&key) {
            return Ok(id);
        }
        let id = self.new_state()?;
        self.seen.insert(key.clone(), id);
        self.pending.push(Pending {
            id,
            key,
            biller: a.biller,
            now: a.now,
        });
        Ok(id)
    }

    fn expand(&mut self, p: Pending<O::Watch>) -> Result<(), SimError> {
        let (id, key) = (p.id, &p.key);
        let node = key.node();
        let mut list = Vec::new();
        moves(self.flow, &self.loops, self.opts, node, &mut list);
        let first = self.graph.edges.len() as u32;
        let mut labels = Vec::new();
        for mv in &list {
            let now = p
                .now
                .checked_add_signed(mv.delay)
                .ok_or(SimError::TooLong)?;
            let mut biller = p.biller.clone();
            let applied = mv.event.map(|kind| biller.apply(Event { at: now, kind }));
            biller.compact(now);
            let mut flags = 0u8;
            let mut billed = key.billed();
            if let Some(a) = applied {
                if let Some((c, billable)) = a.charge {
                    flags |= category_index(c) | 4 | if billable { 8 } else { 0 };
                    if billable {
                        billed |= bit(c);
                    }
                }
                if a.undeliverable {
                    flags |= 16;
                }
            }
            let mut watch = key.watch.clone();
            labels.clear();
            self.observer.step(
                &mut watch,
                &StepView {
                    node,
                    mv,
                    applied,
                    billed: (key.billed(), billed),
                    biller: &biller,
                    now,
                },
                &mut labels,
            );
            let edge = self.graph.edges.len() as u32;
            self.graph.labels.extend(labels.iter().map(|l| (edge, *l)));
            let to = self.arrive(Arrival {
                from: node,
                counts: key.counts(),
                to: mv.to,
                billed,
                biller,
                now,
                watch,
            })?;
            self.graph.edges.push(Edge {
                from: id,
                to,
                choice: mv.choice,
                share: mv.share,
                flags,
            });
        }
        let rec = &mut self.graph.states[id as usize];
        rec.first = first;
        rec.len = self.graph.edges.len() as u32 - first;
        Ok(())
    }
}

/// Explores every path of `flow` under `opts`, merged, with `observer` watching.
pub(crate) fn explore<O: Observer>(
    flow: &Flow,
    opts: &Options,
    observer: &O,
) -> Result<Graph, SimError> {
    let loops = Loops::new(flow);
    let relevance = relevance(flow, &loops, opts);
    let mut ex = Explorer {
        flow,
        opts,
        loops,
        observer,
        relevance,
        seen: HashMap::new(),
        pending: Vec::new(),
        ends: HashMap::new(),
        graph: Graph {
            states: Vec::new(),
            order: Vec::new(),
            edges: Vec::new(),
            labels: Vec::new(),
            root: 0,
        },
    };
    let mut biller = Biller::new(opts.model, opts.rules);
    if let Some(entry) = trigger_entry(flow.trigger) {
        biller.apply(Event {
            at: opts.start,
            kind: EventKind::CustomerMessage(entry),
        });
    }
    let watch = observer.start(&biller, opts.start);
    ex.graph.root = ex.arrive(Arrival {
        from: usize::MAX,
        counts: &[],
        to: Some(0),
        billed: 0,
        biller,
        now: opts.start,
        watch,
    })?;
    while let Some(p) = ex.pending.pop() {
        ex.expand(p)?;
    }
    ex.graph.order = topological(&ex.graph);
    Ok(ex.graph)
}

/// The states in an order where each comes after every state with an edge to it (Kahn's
/// algorithm, smallest id first among the ready ones, so the order is always the same).
fn topological(graph: &Graph) -> Vec<u32> {
    let n = graph.states.len();
    let mut indegree = vec![0u32; n];
    for e in &graph.edges {
        indegree[e.to as usize] += 1;
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<u32>> = (0..n as u32)
        .filter(|&s| indegree[s as usize] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(s)) = ready.pop() {
        order.push(s);
        for e in graph.out(s) {
            let t = e.to as usize;
            indegree[t] -= 1;
            if indegree[t] == 0 {
                ready.push(std::cmp::Reverse(e.to));
            }
        }
    }
    order
}

/// The customer message a trigger starts with, if any.
pub(crate) fn trigger_entry(trigger: Trigger) -> Option<EntryPoint> {
    match trigger {
        Trigger::CustomerMessage => Some(EntryPoint::Organic),
        Trigger::AdClick => Some(EntryPoint::AdClick),
        Trigger::BusinessEvent | Trigger::Schedule => None,
    }
}
