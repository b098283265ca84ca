//! Exact summaries: the totals read off the merged exploration equal what a brute-force
//! enumeration of every path gives under the same customer model, on every flow the project
//! has and on random flows with loops; on thousands of random flows the cheapest path costs no
//! more than the expected cost, which costs no more than the dearest path.
//!
//! The enumeration here is written apart from the simulator, from the model's definition: the
//! loops are the cyclic strongly connected components (found here by reachability), their
//! entries the nodes with a predecessor outside, the loops inside them those of the component
//! without its entries; while a path stays in a loop it enters the loop's entries at most
//! `max_visits` times, and a loop counts afresh each time the path comes back into it; at a
//! split of guessed shares, the branches whose way on (the target and the nodes after it that
//! offer no choice) reaches an entry of a loop around the split share the retry rate.

use chrono::{DateTime, Duration, Utc};
use flowcost::billing::{bill, Bill, Category, EntryPoint, Event, EventKind, PricingModel, Rules};
use flowcost::diagnostic::SourceFile;
use flowcost::flow::{parse_flow, Flow, NodeKind, Trigger};
use flowcost::import::{load_any, ImportOptions};
use flowcost::money::Money;
use flowcost::simulate::{simulate, Customer, Listing, Options, Prices};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn at() -> DateTime<Utc> {
    "2026-11-02T10:00:00Z".parse().unwrap()
}

fn files(dir: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(p.to_str().unwrap(), out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "json") {
            out.push(p);
        }
    }
}

/// How a path ends, in the enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    AtEnd,
    Dead,
    Abandoned(usize),
}

/// One enumerated path.
#[derive(Debug, Clone)]
struct Enumerated {
    probability: f64,
    bill: Bill,
    end: Ending,
}

/// The loops of a flow, found the slow and obvious way.
struct Nest {
    /// Node → the loops around it, outermost first.
    chain: Vec<Vec<usize>>,
    /// Node → the loop it is an entry of.
    entry_of: Vec<Option<usize>>,
}

impl Nest {
    fn new(flow: &Flow) -> Nest {
        let n = flow.nodes.len();
        let succ: Vec<Vec<usize>> = flow.nodes.iter().map(|x| x.successors()).collect();
        let mut nest = Nest {
            chain: vec![Vec::new(); n],
            entry_of: vec![None; n],
        };
        let mut next_id = 0;
        nest.split(&succ, (0..n).collect(), &mut next_id);
        nest
    }

    /// Finds the loops among `members` (and, recursively, inside them).
    fn split(&mut self, succ: &[Vec<usize>], members: Vec<usize>, next_id: &mut usize) {
        let inside = |v: usize| members.contains(&v);
        let reach = |from: usize| -> BTreeSet<usize> {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from];
            while let Some(u) = todo.pop() {
                for &v in &succ[u] {
                    if inside(v) && seen.insert(v) {
                        todo.push(v);
                    }
                }
            }
            seen
        };
        let reaches: BTreeMap<usize, BTreeSet<usize>> =
            members.iter().map(|&v| (v, reach(v))).collect();
        let mut done = BTreeSet::new();
        for &v in &members {
            if done.contains(&v) || !reaches[&v].contains(&v) {
                continue;
            }
            let comp: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&u| reaches[&v].contains(&u) && reaches[&u].contains(&v))
                .collect();
            done.extend(comp.iter().copied());
            let id = *next_id;
            *next_id += 1;
            let mut entries: Vec<usize> = comp
                .iter()
                .copied()
                .filter(|&u| {
                    u == 0 || (0..succ.len()).any(|p| succ[p].contains(&u) && !comp.contains(&p))
                })
                .collect();
            if entries.is_empty() {
                entries.push(comp[0]);
            }
            for &u in &comp {
                self.chain[u].push(id);
            }
            for &u in &entries {
                self.entry_of[u] = Some(id);
            }
            let rest = comp.into_iter().filter(|u| !entries.contains(u)).collect();
            self.split(succ, rest, next_id);
        }
    }
}

struct Brute<'a> {
    flow: &'a Flow,
    opts: &'a Options,
    nest: Nest,
    out: Vec<Enumerated>,
    limit: usize,
}

impl Brute<'_> {
    /// Every path, or `None` past `limit` paths.
    fn run(flow: &Flow, opts: &Options, limit: usize) -> Option<Vec<Enumerated>> {
        let mut b = Brute {
            flow,
            opts,
            nest: Nest::new(flow),
            out: Vec::new(),
            limit,
        };
        let mut events = Vec::new();
        match flow.trigger {
            Trigger::CustomerMessage => events.push(ev(opts.start, EntryPoint::Organic)),
            Trigger::AdClick => events.push(ev(opts.start, EntryPoint::AdClick)),
            _ => {}
        }
        let mut counts = HashMap::new();
        if let Some(l) = b.nest.entry_of[0] {
            counts.insert(l, 1u32);
        }
        b.from(0, opts.start, 1.0, &mut events, &mut counts)
            .then_some(b.out)
    }

    fn finish(&mut self, probability: f64, events: &[Event], end: Ending) -> bool {
        self.out.push(Enumerated {
            probability,
            bill: bill(events, self.opts.model, self.opts.rules),
            end,
        });
        self.out.len() <= self.limit
    }

    /// Goes on to `to` from a node, or ends the path.
    fn go(
        &mut self,
        from: usize,
        to: Option<usize>,
        now: DateTime<Utc>,
        p: f64,
        events: &mut Vec<Event>,
        visits: &mut HashMap<usize, u32>,
    ) -> bool {
        let Some(t) = to else {
            return self.finish(p, events, Ending::Dead);
        };
        // Loops left are forgotten; the entry of a loop counts one more.
        let mut counts: HashMap<usize, u32> = visits
            .iter()
            .filter(|(l, _)| self.nest.chain[from].contains(l) && self.nest.chain[t].contains(l))
            .map(|(l, c)| (*l, *c))
            .collect();
        if let Some(l) = self.nest.entry_of[t] {
            let c = counts.entry(l).or_insert(0);
            if *c >= self.opts.customer.max_visits {
                return self.finish(p, events, Ending::Abandoned(t));
            }
            *c += 1;
        }
        self.from(t, now, p, events, &mut counts)
    }

    /// Whether a branch of `split` into `target` leads back to an entry of a loop around it.
    fn leads_back(&self, split: usize, target: usize) -> bool {
        let around = &self.nest.chain[split];
        let mut at = Some(target);
        let mut walked = BTreeSet::new();
        while let Some(i) = at {
            if !walked.insert(i) {
                return false;
            }
            if self.nest.entry_of[i].is_some_and(|l| around.contains(&l)) {
                return true;
            }
            let n = &self.flow.nodes[i];
            at = match n.kind {
                NodeKind::SendMessage { .. }
                | NodeKind::SendUpdate { .. }
                | NodeKind::Step { .. }
                | NodeKind::Wait { .. } => n.next,
                _ => None,
            };
        }
        false
    }

    fn from(
        &mut self,
        i: usize,
        now: DateTime<Utc>,
        p: f64,
        events: &mut Vec<Event>,
        visits: &mut HashMap<usize, u32>,
    ) -> bool {
        let node = &self.flow.nodes[i];
        let c = &self.opts.customer;
        let sent = |events: &mut Vec<Event>, kind: Option<EventKind>| {
            if let Some(kind) = kind {
                events.push(Event { at: now, kind });
            }
        };
        let mark = events.len();
        let ok = match &node.kind {
            NodeKind::End => return self.finish(p, events, Ending::AtEnd),
            NodeKind::SendMessage { .. } => {
                sent(events, Some(EventKind::FreeForm));
                self.go(i, node.next, now, p, events, visits)
            }
            NodeKind::SendUpdate { .. } => {
                let kind = self
                    .flow
                    .update_category(node, self.opts.start.date_naive())
                    .or_else(|| {
                        self.flow
                            .uncategorised(node)
                            .then_some(self.opts.unknown_as)
                    })
                    .map(EventKind::Template);
                sent(events, kind);
                self.go(i, node.next, now, p, events, visits)
            }
            NodeKind::Step { .. } => self.go(i, node.next, now, p, events, visits),
            NodeKind::Wait { duration } => {
                self.go(i, node.next, now + *duration, p, events, visits)
            }
            NodeKind::WaitForReply {
                timeout,
                on_reply,
                on_timeout,
            } => {
                let delay = if c.reply_after < *timeout {
                    c.reply_after
                } else {
                    *timeout / 2
                };
                events.push(ev(now + delay, EntryPoint::Organic));
                let ok = self.go(i, *on_reply, now + delay, p * c.reply_rate, events, visits);
                events.truncate(mark);
                ok && self.go(
                    i,
                    *on_timeout,
                    now + *timeout,
                    p * (1.0 - c.reply_rate),
                    events,
                    visits,
                )
            }
            NodeKind::Split { branches, guessed } => {
                let back: Vec<bool> = branches
                    .iter()
                    .map(|b| *guessed && self.leads_back(i, b.to))
                    .collect();
                let n_back = back.iter().filter(|b| **b).count();
                let adjust = n_back > 0 && n_back < branches.len();
                let sum = |retry: bool| -> f64 {
                    branches
                        .iter()
                        .zip(&back)
                        .filter(|(_, b)| !adjust || **b == retry)
                        .map(|(br, _)| br.weight)
                        .sum()
                };
                let mut ok = true;
                for (b, is_back) in branches.iter().zip(&back) {
                    let share = if !adjust {
                        b.weight / sum(false)
                    } else if *is_back {
                        c.retry_rate * b.weight / sum(true)
                    } else {
                        (1.0 - c.retry_rate) * b.weight / sum(false)
                    };
                    ok = ok && self.go(i, Some(b.to), now, p * share, events, visits);
                    events.truncate(mark);
                }
                ok
            }
        };
        events.truncate(mark);
        ok
    }
}

fn ev(at: DateTime<Utc>, entry: EntryPoint) -> Event {
    Event {
        at,
        kind: EventKind::CustomerMessage(entry),
    }
}

/// Prices to check costs with: distinct per category, so that mixes show.
const PRICES: Prices = [
    Some(Money::from_micros(31_000)),
    Some(Money::from_micros(63_500)),
    Some(Money::from_micros(22_000)),
    Some(Money::from_micros(21_000)),
];

fn cost(bill: &Bill) -> i64 {
    bill.charges
        .iter()
        .filter(|c| c.billable)
        .map(|c| {
            let i = Category::ALL.iter().position(|x| *x == c.category).unwrap();
            PRICES[i].unwrap().micros()
        })
        .sum()
}

/// Compares the simulator's totals with the enumeration; `false` when there are too many
/// paths to enumerate.
fn agrees(flow: &Flow, opts: &Options, what: &str) -> bool {
    let Some(paths) = Brute::run(flow, opts, 20_000) else {
        return false;
    };
    let sim = simulate(flow, opts).unwrap_or_else(|e| panic!("{what}: {e}"));
    let t = &sim.totals;
    assert_eq!(t.paths, paths.len() as u128, "{what}: paths");
    let billable: Vec<u32> = paths.iter().map(|p| p.bill.billable() as u32).collect();
    assert_eq!(
        t.min_billable,
        *billable.iter().min().unwrap(),
        "{what}: min"
    );
    assert_eq!(
        t.max_billable,
        *billable.iter().max().unwrap(),
        "{what}: max"
    );
    let categories: BTreeSet<Category> = paths.iter().flat_map(|p| p.bill.categories()).collect();
    assert_eq!(t.categories, categories, "{what}: categories");
    let mixed = paths
        .iter()
        .filter(|p| p.bill.billed_categories().len() > 1);
    assert_eq!(
        t.mixed_paths,
        mixed.clone().count() as u128,
        "{what}: mixed"
    );
    let mixed_p: f64 = mixed.map(|p| p.probability).sum();
    assert!(
        (t.mixed_mass.to_f64() - mixed_p).abs() < 1e-9,
        "{what}: mixed mass"
    );
    let refused = paths
        .iter()
        .filter(|p| p.bill.undeliverable().next().is_some());
    assert_eq!(
        t.undeliverable_paths,
        refused.clone().count() as u128,
        "{what}: undeliverable"
    );
    let refused_p: f64 = refused.map(|p| p.probability).sum();
    assert!(
        (t.undeliverable_mass.to_f64() - refused_p).abs() < 1e-9,
        "{what}: undeliverable mass"
    );
    let total_p: f64 = paths.iter().map(|p| p.probability).sum();
    assert!(
        (total_p - 1.0).abs() < 1e-9,
        "{what}: the enumeration loses mass"
    );
    let mut abandoned: BTreeMap<usize, u128> = BTreeMap::new();
    for p in &paths {
        if let Ending::Abandoned(n) = p.end {
            *abandoned.entry(n).or_default() += 1;
        }
    }
    let got: BTreeMap<usize, u128> = t.abandoned.iter().map(|a| (a.node, a.paths)).collect();
    assert_eq!(got, abandoned, "{what}: abandoned");
    let dead = paths.iter().filter(|p| p.end == Ending::Dead).count() as u128;
    assert_eq!(t.dead_end_paths, dead, "{what}: dead ends");
    for c in Category::ALL {
        let units: Vec<u32> = paths
            .iter()
            .map(|p| {
                p.bill
                    .charges
                    .iter()
                    .filter(|x| x.billable && x.category == c)
                    .count() as u32
            })
            .collect();
        let expected: f64 = paths
            .iter()
            .zip(&units)
            .map(|(p, &u)| p.probability * u as f64)
            .sum();
        match t.by_category.get(&c) {
            Some(line) => {
                assert!(
                    (line.expected.to_f64() - expected).abs() < 1e-9,
                    "{what}: expected {c}"
                );
                assert_eq!(line.min, *units.iter().min().unwrap(), "{what}: min {c}");
                assert_eq!(line.max, *units.iter().max().unwrap(), "{what}: max {c}");
            }
            None => assert!(units.iter().all(|&u| u == 0), "{what}: {c} missing"),
        }
    }
    let priced = sim.priced(&PRICES);
    let costs: Vec<i64> = paths.iter().map(|p| cost(&p.bill)).collect();
    assert_eq!(
        priced.min.micros(),
        *costs.iter().min().unwrap(),
        "{what}: min cost"
    );
    assert_eq!(
        priced.max.micros(),
        *costs.iter().max().unwrap(),
        "{what}: max cost"
    );
    let expected: f64 = paths
        .iter()
        .zip(&costs)
        .map(|(p, &c)| p.probability * c as f64)
        .sum();
    assert!(
        (priced.expected.micros() as f64 - expected).abs() <= 1.0,
        "{what}: expected cost {} vs {expected}",
        priced.expected.micros()
    );
    // The listed paths are the most probable ones.
    let mut probabilities: Vec<f64> = paths.iter().map(|p| p.probability).collect();
    probabilities.sort_by(|a, b| b.total_cmp(a));
    for (listed, best) in sim.paths.iter().zip(&probabilities).take(sim.most_probable) {
        assert!(
            (listed.probability - best).abs() < 1e-12,
            "{what}: listed {} where the enumeration has {best}",
            listed.probability
        );
    }
    assert!(sim
        .paths
        .iter()
        .any(|p| p.dearest && p.bill.billable() as u32 == t.max_billable));
    true
}

fn load(path: &Path) -> Option<Flow> {
    let catalogs = [
        None,
        flowcost::flow::load_catalog(Path::new("tests/fixtures/import/own/goflow-catalog.yaml"))
            .ok(),
        flowcost::flow::load_catalog(Path::new("tests/fixtures/import/own/studio-catalog.yaml"))
            .ok(),
        flowcost::flow::load_catalog(Path::new("tests/fixtures/flows/catalog.yaml")).ok(),
    ];
    // The catalog that leaves the fewest templates of unknown category.
    catalogs
        .iter()
        .filter_map(|c| load_any(path, &ImportOptions::default(), c.as_ref()).ok())
        .map(|l| l.flow)
        .min_by_key(|f| f.uncategorised_sends().len())
}

#[test]
fn totals_equal_enumeration_on_every_flow() {
    let mut all = Vec::new();
    files("flows", &mut all);
    files("tests/fixtures", &mut all);
    let mut compared = 0;
    for path in &all {
        let Some(flow) = load(path) else {
            continue; // bad inputs and catalogs
        };
        // Both units (conversations, messages), and customers who retry more and reply fast.
        for model in [
            PricingModel::Cbp,
            PricingModel::Pmp,
            PricingModel::Pmp2026_10,
        ] {
            for (max_visits, reply_after) in [(3, Duration::minutes(1)), (2, Duration::hours(1))] {
                let mut opts = Options::new(at(), model);
                opts.customer.max_visits = max_visits;
                opts.customer.reply_after = reply_after;
                let what = format!("{} under {model}, {max_visits} visits", path.display());
                compared += usize::from(agrees(&flow, &opts, &what));
            }
        }
    }
    assert!(compared > 200, "only {compared} comparisons");
}

fn chain_of_splits(n: usize) -> String {
    let mut yaml = String::from("flow: splits\ntrigger: customer_message\nnodes:\n");
    for i in 0..n {
        // Each split either sends a utility template first or goes straight on.
        yaml.push_str(&format!(
            "  - {{ id: s{i}, type: split, branches: [{{ to: u{i} }}, {{ to: j{i} }}] }}\n  - {{ id: u{i}, type: send_update, category: utility }}\n  - {{ id: j{i}, type: wait, for: 1h }}\n"
        ));
    }
    yaml.push_str("  - { id: done, type: end }\n");
    yaml
}

#[test]
fn sixty_four_sequential_splits_are_counted_exactly_without_enumeration() {
    let flow = parse_flow(SourceFile::new("splits.yaml", chain_of_splits(64)), None).unwrap();
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Pmp2026_10)).unwrap();
    // All paths are equally probable: the first ten in choice order, the first of which (a
    // template at every split) is the dearest.
    assert_eq!(sim.paths.len(), 10);
    assert!(sim.paths[0].dearest);
    let t = &sim.totals;
    assert_eq!(t.paths, 1u128 << 64);
    // Utility templates inside the 24 h window are charged under pmp-2026-10: 0 to 64, half
    // of them expected.
    assert_eq!((t.min_billable, t.max_billable), (0, 64));
    assert_eq!(t.expected_billable.count_text(), "32.00");
    assert!(t.states < 20_000);
    assert!(sim
        .paths
        .iter()
        .all(|p| (p.probability - 0.5f64.powi(64)).abs() < 1e-30));
    // Under pmp, utility inside the customer service window (the first 24 h) is free.
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Pmp)).unwrap();
    assert_eq!(
        (sim.totals.min_billable, sim.totals.max_billable),
        (0, 64 - 24)
    );
    // Under cbp, one utility conversation per 24 h window that has a send: 0 to 3.
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Cbp)).unwrap();
    assert_eq!((sim.totals.min_billable, sim.totals.max_billable), (0, 3));
    // Listing them all is refused, with the count.
    let mut all = Options::new(at(), PricingModel::Cbp);
    all.listing = Listing::All;
    let e = simulate(&flow, &all).unwrap_err();
    assert!(e.to_string().contains("18446744073709551616 paths"), "{e}");
}

#[test]
fn small_chains_agree_with_enumeration() {
    for n in 1..=8 {
        let flow = parse_flow(SourceFile::new("splits.yaml", chain_of_splits(n)), None).unwrap();
        for model in PricingModel::ALL {
            assert!(agrees(
                &flow,
                &Options::new(at(), model),
                &format!("{n} splits")
            ));
        }
    }
}

/// A random flow: nodes of every kind whose edges go anywhere (loops included), as YAML.
fn random_flow() -> impl Strategy<Value = String> {
    let node = (
        0u8..7,
        0usize..64,
        0usize..64,
        0usize..64,
        0u8..4,
        any::<bool>(),
    );
    (3usize..10, prop::collection::vec(node, 10), 0u8..4).prop_map(|(n, nodes, trigger)| {
        let trigger = ["customer_message", "ad_click", "business_event", "schedule"]
            [usize::from(trigger)];
        let mut y = format!("flow: random\ntrigger: {trigger}\nnodes:\n");
        let cats = ["marketing", "utility", "authentication", "marketing"];
        let durations = ["30s", "1h", "23h", "2d"];
        for (i, &(kind, a, b, c, d, guessed)) in nodes.iter().take(n).enumerate() {
            let to = |x: usize| format!("n{}", x % (n + 1)); // n{n} is the end node
            let id = format!("n{i}");
            let line = match kind {
                0 => format!("{{ id: {id}, type: send_message, next: {} }}", to(a)),
                1 => format!(
                    "{{ id: {id}, type: send_update, category: {}, next: {} }}",
                    cats[usize::from(d)],
                    to(a)
                ),
                2 => format!(
                    "{{ id: {id}, type: wait, for: {}, next: {} }}",
                    durations[usize::from(d)],
                    to(a)
                ),
                3 | 4 => format!(
                    "{{ id: {id}, type: wait_for_reply, timeout: {}, on_reply: {}, on_timeout: {} }}",
                    durations[usize::from(d)],
                    to(a),
                    to(b)
                ),
                5 => {
                    let mut targets = vec![a % (n + 1), b % (n + 1), c % (n + 1)];
                    targets.sort_unstable();
                    targets.dedup();
                    let branches: Vec<String> = targets
                        .iter()
                        .enumerate()
                        .map(|(k, t)| {
                            if guessed {
                                format!("{{ to: n{t} }}")
                            } else {
                                format!("{{ to: n{t}, weight: {} }}", k + 1)
                            }
                        })
                        .collect();
                    format!("{{ id: {id}, type: split, branches: [{}] }}", branches.join(", "))
                }
                _ => format!("{{ id: {id}, type: step, next: {} }}", to(a)),
            };
            y.push_str(&format!("  - {line}\n"));
        }
        y.push_str(&format!("  - {{ id: n{n}, type: end }}\n"));
        y
    })
}

fn customer() -> impl Strategy<Value = Customer> {
    (1u32..4, 0u8..3, 0u8..3).prop_map(|(max_visits, reply, retry)| Customer {
        max_visits,
        reply_rate: [0.3, 0.0, 1.0][usize::from(reply)],
        retry_rate: [0.1, 0.5, 0.0][usize::from(retry)],
        reply_after: Duration::minutes(1),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random looping flows: the totals equal the enumeration.
    #[test]
    fn random_flows_agree_with_enumeration(yaml in random_flow(), c in customer(), m in 0usize..4) {
        let Ok(flow) = parse_flow(SourceFile::new("random.yaml", yaml.clone()), None) else {
            return Ok(()); // a loop without a wait, refused when loading
        };
        let mut opts = Options::new(at(), PricingModel::ALL[m]);
        opts.customer = c;
        agrees(&flow, &opts, &yaml);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6000, ..ProptestConfig::default() })]

    /// Thousands of random looping flows: min ≤ expected ≤ max, in units and in money.
    #[test]
    fn expected_lies_between_cheapest_and_dearest(yaml in random_flow(), c in customer(), m in 0usize..4) {
        let Ok(flow) = parse_flow(SourceFile::new("random.yaml", yaml.clone()), None) else {
            return Ok(());
        };
        let mut opts = Options::new(at(), PricingModel::ALL[m]);
        opts.customer = c;
        let sim = simulate(&flow, &opts).unwrap();
        let t = &sim.totals;
        let e = t.expected_billable.to_f64();
        prop_assert!(t.min_billable as f64 <= e + 1e-9 && e <= t.max_billable as f64 + 1e-9, "{yaml}");
        let priced = sim.priced(&PRICES);
        prop_assert!(priced.min <= priced.expected && priced.expected <= priced.max, "{yaml}");
    }
}

/// A flow whose summary rules out listing: 2^64 paths and a reply loop, in milliseconds.
#[test]
fn merged_exploration_stays_small_on_big_flows() {
    let mut y = String::from("flow: big\ntrigger: customer_message\nnodes:\n");
    for i in 0..64 {
        y.push_str(&format!(
            "  - {{ id: s{i}, type: split, branches: [{{ to: u{i} }}, {{ to: j{i} }}] }}\n  - {{ id: u{i}, type: send_update, category: utility }}\n  - {{ id: j{i}, type: wait_for_reply, timeout: 1h, on_reply: k{i}, on_timeout: u{i} }}\n  - {{ id: k{i}, type: step }}\n"
        ));
    }
    y.push_str("  - { id: done, type: end }\n");
    let flow = parse_flow(SourceFile::new("big.yaml", y), None).unwrap();
    let sim = simulate(&flow, &Options::new(at(), PricingModel::Pmp2026_10)).unwrap();
    assert!(sim.totals.paths > 1u128 << 64);
    assert!(sim.totals.states < 50_000, "{}", sim.totals.states);
    let p = sim.priced(&PRICES);
    assert!(p.min <= p.expected && p.expected <= p.max);
}

#[test]
fn rules_switch_reaches_the_enumeration_too() {
    // Rule 4 switched off: the enumeration bills with the same rules.
    let flow = flowcost::flow::load_flow(Path::new("flows/opt-in-mixed.yaml"), None).unwrap();
    let mut opts = Options::new(at(), PricingModel::Cbp);
    opts.rules = Rules {
        free_form_joins_open_conversation: false,
    };
    assert!(agrees(&flow, &opts, "rule 4 off"));
}
