//! What every path adds up to, read off the merged graph in one pass per question: counts of
//! paths, probability masses, fewest and most billable units, costs; and the few paths worth
//! showing (the most probable, the dearest, the cheapest, the shortest through a step).

use super::graph::{bit, EndKind, Graph};
use crate::billing::Category;
use crate::money::Money;
use crate::probability::{Expectation, Mass, MassSum};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashSet};

/// One category's figures over every path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategoryTotals {
    /// Expected billable units per recipient.
    pub expected: MassSum,
    /// Fewest billable units of this category on a path.
    pub min: u32,
    /// Most billable units of this category on a path.
    pub max: u32,
}

/// Where paths are abandoned (`--max-visits`), and how many and how likely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abandonment {
    /// The node a path would have entered once too often.
    pub node: usize,
    /// Paths abandoned there (saturating).
    pub paths: u128,
    /// Their probability.
    pub mass: Mass,
}

/// What all paths of a flow add up to, exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Paths (saturating at `u128::MAX`).
    pub paths: u128,
    /// Merged states explored.
    pub states: usize,
    /// Fewest billable conversations or messages on a path.
    pub min_billable: u32,
    /// Most billable conversations or messages on a path.
    pub max_billable: u32,
    /// Expected billable conversations or messages per recipient.
    pub expected_billable: MassSum,
    /// Every category opened or charged on some path, free ones included.
    pub categories: BTreeSet<Category>,
    /// Categories with a billable charge on some path, with their figures.
    pub by_category: BTreeMap<Category, CategoryTotals>,
    /// Paths billed for more than one category: a mix that costs (saturating).
    pub mixed_paths: u128,
    /// Their probability.
    pub mixed_mass: Mass,
    /// Paths on which some free-form message would be refused (saturating).
    pub undeliverable_paths: u128,
    /// Their probability.
    pub undeliverable_mass: Mass,
    /// Paths abandoned after `--max-visits`, by node.
    pub abandoned: Vec<Abandonment>,
    /// Paths that stop without an `end` node (saturating).
    pub dead_end_paths: u128,
}

impl Totals {
    /// Some path is billed for more than one category.
    pub fn mixed(&self) -> bool {
        self.mixed_paths > 0
    }

    /// Some path sends a free-form message that would be refused.
    pub fn undeliverable(&self) -> bool {
        self.undeliverable_paths > 0
    }

    /// Paths abandoned anywhere (saturating), and their probability.
    pub fn abandoned_total(&self) -> (u128, Mass) {
        self.abandoned.iter().fold((0, Mass::ZERO), |(p, m), a| {
            (p.saturating_add(a.paths), m + a.mass)
        })
    }
}

/// Unit prices in micro-USD per billable unit of each category (in `Category::ALL` order);
/// `None` where the price is unknown.
pub type Prices = [Option<Money>; 4];

/// Costs per recipient over every path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostTotals {
    /// Cheapest path (known prices).
    pub min: Money,
    /// Dearest path (known prices).
    pub max: Money,
    /// Expected cost: Σ probability × cost over every path, rounded once.
    pub expected: Money,
    /// Some billable charge has no known price: the amounts leave it out.
    pub incomplete: bool,
}

fn index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// Counts, masses and extremes over every path.
pub(crate) fn totals(graph: &Graph) -> Totals {
    let n = graph.states.len();
    let mut paths = vec![0u128; n];
    let mut clean = vec![0u128; n]; // paths without a refused message so far
    let mut mass = vec![Mass::ZERO; n];
    let mut clean_mass = vec![Mass::ZERO; n];
    let mut lo = vec![u32::MAX; n];
    let mut hi = vec![0u32; n];
    let mut cat_lo = vec![[u32::MAX; 4]; n];
    let mut cat_hi = vec![[0u32; 4]; n];
    let root = graph.root as usize;
    paths[root] = 1;
    clean[root] = 1;
    mass[root] = Mass::ONE;
    clean_mass[root] = Mass::ONE;
    lo[root] = 0;
    cat_lo[root] = [0; 4];
    let mut sums = [MassSum::default(); 4];
    let mut seen = BTreeSet::new();
    let mut parts = Vec::new();
    let mut clean_parts = Vec::new();
    for &s in &graph.order {
        let s = s as usize;
        let edges = graph.out(s as u32);
        mass[s].split(edges.iter().map(|e| e.share), &mut parts);
        clean_mass[s].split(edges.iter().map(|e| e.share), &mut clean_parts);
        for (k, e) in edges.iter().enumerate() {
            let t = e.to as usize;
            paths[t] = paths[t].saturating_add(paths[s]);
            mass[t] += parts[k];
            if !e.undeliverable() {
                clean[t] = clean[t].saturating_add(clean[s]);
                clean_mass[t] += clean_parts[k];
            }
            let add = e.billable();
            lo[t] = lo[t].min(lo[s] + add);
            hi[t] = hi[t].max(hi[s] + add);
            let mut cl = cat_lo[s];
            let mut ch = cat_hi[s];
            if let Some((c, billable)) = e.charge() {
                seen.insert(c);
                if billable {
                    sums[index(c)].add(parts[k]);
                    cl[index(c)] += 1;
                    ch[index(c)] += 1;
                }
            }
            for i in 0..4 {
                cat_lo[t][i] = cat_lo[t][i].min(cl[i]);
                cat_hi[t][i] = cat_hi[t][i].max(ch[i]);
            }
        }
    }
    let mut t = Totals {
        paths: 0,
        states: n,
        min_billable: u32::MAX,
        max_billable: 0,
        expected_billable: MassSum::default(),
        categories: seen,
        by_category: BTreeMap::new(),
        mixed_paths: 0,
        mixed_mass: Mass::ZERO,
        undeliverable_paths: 0,
        undeliverable_mass: Mass::ZERO,
        abandoned: Vec::new(),
        dead_end_paths: 0,
    };
    let mut clean_total = 0u128;
    let mut clean_total_mass = Mass::ZERO;
    let mut total_mass = Mass::ZERO;
    let mut billed_any = 0u8;
    let mut cat_min = [u32::MAX; 4];
    let mut cat_max = [0u32; 4];
    for (s, rec) in graph.states.iter().enumerate() {
        let Some(end) = rec.end else { continue };
        t.paths = t.paths.saturating_add(paths[s]);
        total_mass += mass[s];
        clean_total = clean_total.saturating_add(clean[s]);
        clean_total_mass += clean_mass[s];
        t.min_billable = t.min_billable.min(lo[s]);
        t.max_billable = t.max_billable.max(hi[s]);
        billed_any |= end.billed;
        for i in 0..4 {
            cat_min[i] = cat_min[i].min(cat_lo[s][i]);
            cat_max[i] = cat_max[i].max(cat_hi[s][i]);
        }
        if end.billed.count_ones() > 1 {
            t.mixed_paths = t.mixed_paths.saturating_add(paths[s]);
            t.mixed_mass += mass[s];
        }
        match end.kind {
            EndKind::Abandoned => {
                let node = end.node as usize;
                match t.abandoned.iter_mut().find(|a| a.node == node) {
                    Some(a) => {
                        a.paths = a.paths.saturating_add(paths[s]);
                        a.mass += mass[s];
                    }
                    None => t.abandoned.push(Abandonment {
                        node,
                        paths: paths[s],
                        mass: mass[s],
                    }),
                }
            }
            EndKind::DeadEnd => t.dead_end_paths = t.dead_end_paths.saturating_add(paths[s]),
            EndKind::End => {}
        }
    }
    t.abandoned.sort_by_key(|a| a.node);
    if t.paths == 0 {
        t.min_billable = 0;
    }
    // Counts saturate only past 2^128 paths; then "some" is all that is known.
    t.undeliverable_paths = if t.paths == u128::MAX && clean_total == u128::MAX {
        0
    } else {
        t.paths - clean_total.min(t.paths)
    };
    t.undeliverable_mass = Mass::ONE.minus(clean_total_mass.min(total_mass));
    for c in Category::ALL {
        if billed_any & bit(c) != 0 {
            let i = index(c);
            t.expected_billable.add_sum(sums[i]);
            t.by_category.insert(
                c,
                CategoryTotals {
                    expected: sums[i],
                    min: cat_min[i],
                    max: cat_max[i],
                },
            );
        }
    }
    t
}

/// Cheapest, dearest and expected cost per recipient at `prices`.
pub(crate) fn priced(graph: &Graph, totals: &Totals, prices: &Prices) -> CostTotals {
    let n = graph.states.len();
    let mut lo = vec![i64::MAX; n];
    let mut hi = vec![i64::MIN; n];
    let root = graph.root as usize;
    lo[root] = 0;
    hi[root] = 0;
    let mut incomplete = false;
    for &s in &graph.order {
        let s = s as usize;
        for e in graph.out(s as u32) {
            let mut add = 0i64;
            if let Some((c, true)) = e.charge() {
                match prices[index(c)] {
                    Some(p) => add = p.micros(),
                    None => incomplete = true,
                }
            }
            let t = e.to as usize;
            lo[t] = lo[t].min(lo[s].saturating_add(add));
            hi[t] = hi[t].max(hi[s].saturating_add(add));
        }
    }
    let ends = graph
        .states
        .iter()
        .enumerate()
        .filter(|(_, r)| r.end.is_some());
    let (mut min, mut max) = (i64::MAX, i64::MIN);
    for (s, _) in ends {
        min = min.min(lo[s]);
        max = max.max(hi[s]);
    }
    let mut expected = Expectation::default();
    for (c, line) in &totals.by_category {
        if let Some(p) = prices[index(*c)] {
            expected.add(line.expected, p);
        }
    }
    CostTotals {
        min: Money::from_micros(if min == i64::MAX { 0 } else { min }),
        max: Money::from_micros(if max == i64::MIN { 0 } else { max }),
        expected: expected.money(),
        incomplete,
    }
}

/// The choices of a path that maximises (or, with `cheapest`, minimises) the sum of `value`
/// over its edges; ties go to the more probable path, then to the first in choice order.
pub(crate) fn extreme_path(
    graph: &Graph,
    value: impl Fn(&super::graph::Edge) -> i64,
    cheapest: bool,
) -> Vec<u32> {
    let n = graph.states.len();
    let sign = if cheapest { -1 } else { 1 };
    // Best (value, log-probability) from each state to an end, and the edge taken.
    let mut best = vec![(0i64, 0f64); n];
    let mut pick = vec![u32::MAX; n];
    for &s in graph.order.iter().rev() {
        let rec = graph.states[s as usize];
        if rec.end.is_some() {
            continue;
        }
        let mut top: Option<((i64, f64), u32)> = None;
        for (k, e) in graph.out(s).iter().enumerate() {
            let (v, lp) = best[e.to as usize];
            let cand = (
                v.saturating_add(sign * value(e)),
                lp + e.share.to_f64().ln(),
            );
            let better = match top {
                None => true,
                Some((b, _)) => cand.0 > b.0 || (cand.0 == b.0 && cand.1 > b.1),
            };
            if better {
                top = Some((cand, rec.first + k as u32));
            }
        }
        if let Some((b, edge)) = top {
            best[s as usize] = b;
            pick[s as usize] = edge;
        }
    }
    let mut choices = Vec::new();
    let mut at = graph.root;
    while graph.states[at as usize].end.is_none() {
        let edge = pick[at as usize];
        let Some(e) = graph.edges.get(edge as usize) else {
            break;
        };
        choices.push(e.choice);
        at = e.to;
    }
    choices
}

/// Log-probability of the most probable way from each state to an end.
fn best_completion(graph: &Graph) -> Vec<f64> {
    let mut best = vec![f64::NEG_INFINITY; graph.states.len()];
    for &s in graph.order.iter().rev() {
        let rec = graph.states[s as usize];
        if rec.end.is_some() {
            best[s as usize] = 0.0;
            continue;
        }
        best[s as usize] = graph
            .out(s)
            .iter()
            .map(|e| e.share.to_f64().ln() + best[e.to as usize])
            .fold(f64::NEG_INFINITY, f64::max);
    }
    best
}

/// A partial path in the search for the most probable ones.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    /// The best probability any completion can reach (quantised log), higher first.
    bound: i64,
    /// Later candidates first among equals (depth first, so ties resolve in choice order).
    seq: u64,
    state: u32,
    /// Its last choice in `trail`.
    at: usize,
}

/// The `k` most probable paths, most probable first (ties in choice order), as choices.
pub(crate) fn most_probable(graph: &Graph, k: usize) -> Vec<Vec<u32>> {
    if k == 0 {
        return Vec::new();
    }
    let best = best_completion(graph);
    let quantise = |lp: f64| -> i64 {
        if lp.is_finite() {
            (lp * (1u64 << 40) as f64).round() as i64
        } else {
            i64::MIN
        }
    };
    // trail[i] = (parent trail index, choice, log-probability so far)
    let mut trail: Vec<(usize, u32, f64)> = vec![(usize::MAX, 0, 0.0)];
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    heap.push(Candidate {
        bound: quantise(best[graph.root as usize]),
        seq,
        state: graph.root,
        at: 0,
    });
    let mut out = Vec::new();
    while let Some(c) = heap.pop() {
        if graph.states[c.state as usize].end.is_some() {
            let mut choices = Vec::new();
            let mut i = c.at;
            while i != 0 {
                choices.push(trail[i].1);
                i = trail[i].0;
            }
            choices.reverse();
            out.push(choices);
            if out.len() == k {
                break;
            }
            continue;
        }
        let lp = trail[c.at].2;
        // Pushed in reverse, so that the first choice is the latest among equals.
        for e in graph.out(c.state).iter().rev() {
            let lp2 = lp + e.share.to_f64().ln();
            trail.push((c.at, e.choice, lp2));
            seq += 1;
            heap.push(Candidate {
                bound: quantise(lp2 + best[e.to as usize]),
                seq,
                state: e.to,
                at: trail.len() - 1,
            });
        }
    }
    out
}

/// Every path, in choice order, when there are at most `limit`; else `None`.
pub(crate) fn every_path(graph: &Graph, total: u128, limit: usize) -> Option<Vec<Vec<u32>>> {
    if total > limit as u128 {
        return None;
    }
    let mut out = Vec::new();
    let mut choices = Vec::new();
    // (state, next edge index)
    let mut stack: Vec<(u32, u32)> = vec![(graph.root, 0)];
    while let Some(&(s, i)) = stack.last() {
        if graph.states[s as usize].end.is_some() {
            out.push(choices.clone());
            stack.pop();
            choices.pop();
            continue;
        }
        let edges = graph.out(s);
        match edges.get(i as usize) {
            Some(e) => {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                choices.push(e.choice);
                stack.push((e.to, 0));
            }
            None => {
                stack.pop();
                choices.pop();
            }
        }
    }
    Some(out)
}

/// Paths that take none of the `marked` edges (saturating).
pub(crate) fn paths_avoiding(graph: &Graph, marked: &HashSet<u32>) -> u128 {
    let mut paths = vec![0u128; graph.states.len()];
    paths[graph.root as usize] = 1;
    let mut total = 0u128;
    for &s in &graph.order {
        let rec = graph.states[s as usize];
        if rec.end.is_some() {
            total = total.saturating_add(paths[s as usize]);
            continue;
        }
        for (k, e) in graph.out(s).iter().enumerate() {
            if !marked.contains(&(rec.first + k as u32)) {
                let t = e.to as usize;
                paths[t] = paths[t].saturating_add(paths[s as usize]);
            }
        }
    }
    total
}

/// What every question about paths through given edges needs, computed once per graph: how
/// many paths reach each state and go on from it, and the shortest ways there and on.
pub(crate) struct Through {
    /// Paths from the root to each state (saturating).
    into: Vec<u128>,
    /// Paths from each state to an end (saturating).
    onward: Vec<u128>,
    /// Fewest steps from the root, and the edge arriving on such a way.
    from: Vec<(u32, u32)>,
    /// Fewest steps to an end, and the edge leaving on such a way.
    to_end: Vec<(u32, u32)>,
}

impl Through {
    /// Walks `graph` forwards and backwards once.
    pub(crate) fn new(graph: &Graph) -> Through {
        let n = graph.states.len();
        let mut t = Through {
            into: vec![0; n],
            onward: vec![0; n],
            from: vec![(u32::MAX, u32::MAX); n],
            to_end: vec![(u32::MAX, u32::MAX); n],
        };
        let root = graph.root as usize;
        t.into[root] = 1;
        t.from[root].0 = 0;
        for &s in &graph.order {
            let rec = graph.states[s as usize];
            let (steps, paths) = (t.from[s as usize].0, t.into[s as usize]);
            for k in 0..rec.len {
                let edge = rec.first + k;
                let to = graph.edges[edge as usize].to as usize;
                t.into[to] = t.into[to].saturating_add(paths);
                if steps != u32::MAX && steps + 1 < t.from[to].0 {
                    t.from[to] = (steps + 1, edge);
                }
            }
        }
        for &s in graph.order.iter().rev() {
            let s = s as usize;
            let rec = graph.states[s];
            if rec.end.is_some() {
                t.onward[s] = 1;
                t.to_end[s].0 = 0;
                continue;
            }
            for k in 0..rec.len {
                let edge = rec.first + k;
                let to = graph.edges[edge as usize].to as usize;
                t.onward[s] = t.onward[s].saturating_add(t.onward[to]);
                if t.to_end[to].0 != u32::MAX && t.to_end[to].0 + 1 < t.to_end[s].0 {
                    t.to_end[s] = (t.to_end[to].0 + 1, edge);
                }
            }
        }
        t
    }

    /// Paths in all (saturating).
    pub(crate) fn total(&self, graph: &Graph) -> u128 {
        self.onward[graph.root as usize]
    }

    /// Paths that take at least one of `edges` (saturating): counted directly for one edge (a
    /// path takes an edge at most once), and as all paths less those avoiding every one of
    /// them for several (a path may take two).
    pub(crate) fn count(&self, graph: &Graph, edges: &HashSet<u32>) -> u128 {
        if edges.len() == 1 {
            let e = edges.iter().map(|&e| graph.edges[e as usize]).next();
            return e.map_or(0, |e| {
                self.into[e.from as usize].saturating_mul(self.onward[e.to as usize])
            });
        }
        self.total(graph)
            .saturating_sub(paths_avoiding(graph, edges))
    }

    /// The choices of a shortest path (fewest steps; ties to the first edge) that takes one of
    /// `edges`, with the position of that step; `None` when no path does.
    pub(crate) fn shortest(
        &self,
        graph: &Graph,
        edges: &HashSet<u32>,
    ) -> Option<(Vec<u32>, usize)> {
        let mut best: Option<(u32, u32)> = None; // (length, edge)
        let mut sorted: Vec<u32> = edges.iter().copied().collect();
        sorted.sort_unstable();
        for edge in sorted {
            let e = graph.edges[edge as usize];
            let (head, tail) = (self.from[e.from as usize].0, self.to_end[e.to as usize].0);
            if head == u32::MAX || tail == u32::MAX {
                continue;
            }
            let len = head + 1 + tail;
            if best.is_none_or(|(l, _)| len < l) {
                best = Some((len, edge));
            }
        }
        let (_, edge) = best?;
        let mut choices = Vec::new();
        let mut at = graph.edges[edge as usize].from as usize;
        while let Some(e) = graph.edges.get(self.from[at].1 as usize) {
            choices.push(e.choice);
            at = e.from as usize;
        }
        choices.reverse();
        let position = choices.len();
        choices.push(graph.edges[edge as usize].choice);
        let mut at = graph.edges[edge as usize].to as usize;
        while graph.states[at].end.is_none() {
            let Some(e) = graph.edges.get(self.to_end[at].1 as usize) else {
                break;
            };
            choices.push(e.choice);
            at = e.to as usize;
        }
        Some((choices, position))
    }
}
