//! Where a flow loops, and how often a path goes round.
//!
//! A *loop* is a part of the flow a path can go round: a re-ask, a reminder, a menu, a "reply
//! MENU to start over". Its *entries* are the nodes where paths come into it from outside (the
//! question asked again, the wait a reminder returns to). Loops nest: a survey that can be
//! started over is a loop, and each of its re-asked questions is a loop inside it.
//!
//! The customer model bounds loops by entries (`--max-visits N`): while a path stays in a
//! loop, it enters the loop's entries at most N times in all; a path that would enter one once
//! more is abandoned there. A loop inside another counts afresh each time the path comes back
//! into it. On a simple loop this is the same as entering no node more than N times. Counting
//! entries rather than every node keeps the number of merged states small whatever the flow
//! (counting every node of a survey that can be started over tells apart every way the
//! questions were re-asked: millions of states for ten questions).
//!
//! The loops are found as a nesting forest: the cyclic strongly connected components of the
//! flow, their entries, and, recursively, the loops of each component without its entries.

use crate::flow::{Flow, NodeKind};
use std::collections::HashMap;

/// Nodes followed at most when looking for the way on of a branch (see [`Loops::back`]).
const MAX_WAY_ON: usize = 256;
/// Loops nested deeper than this are not split further: every node of such a loop counts as
/// an entry (paths stay finite; only absurd flows get there).
const MAX_DEPTH: usize = 64;

/// One loop.
#[derive(Debug, Clone)]
struct Loop {
    /// The loops around it and itself, outermost first.
    chain: Vec<u32>,
}

/// The loops of a flow.
#[derive(Debug, Clone)]
pub(crate) struct Loops {
    loops: Vec<Loop>,
    /// Node → its innermost loop.
    innermost: Vec<Option<u32>>,
    /// Node → the loop it is an entry of.
    entry_of: Vec<Option<u32>>,
    /// For each split of guessed shares in a loop: per branch, whether it leads back to an
    /// entry of a loop the split is in (a re-ask).
    back: HashMap<usize, Vec<bool>>,
}

/// The strongly connected components of the subgraph of `members` (iterative Tarjan: no
/// recursion, whatever the depth), each with the members in ascending order, and whether it
/// has a cycle; a component comes after every component it has an edge to.
pub(crate) fn components(succ: &[Vec<usize>], members: &[usize]) -> Vec<(Vec<usize>, bool)> {
    const UNSEEN: usize = usize::MAX;
    let local: HashMap<usize, usize> = members.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let n = members.len();
    let edges: Vec<Vec<usize>> = members
        .iter()
        .map(|&m| {
            succ[m]
                .iter()
                .filter_map(|s| local.get(s).copied())
                .collect()
        })
        .collect();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        work.push((root, 0));
        while let Some(&(v, next)) = work.last() {
            if next == 0 && index[v] == UNSEEN {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(next) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                let cyclic = comp.len() > 1 || edges[comp[0]].contains(&comp[0]);
                let mut comp: Vec<usize> = comp.into_iter().map(|i| members[i]).collect();
                comp.sort_unstable();
                out.push((comp, cyclic));
            }
        }
    }
    out
}

impl Loops {
    /// Finds the loops of `flow`.
    pub fn new(flow: &Flow) -> Loops {
        let n = flow.nodes.len();
        let succ: Vec<Vec<usize>> = flow.nodes.iter().map(|node| node.successors()).collect();
        let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (u, s) in succ.iter().enumerate() {
            for &v in s {
                pred[v].push(u);
            }
        }
        let mut loops = Loops {
            loops: Vec::new(),
            innermost: vec![None; n],
            entry_of: vec![None; n],
            back: HashMap::new(),
        };
        // (nodes to split into loops, the loop around them)
        let mut work: Vec<(Vec<usize>, Option<u32>)> = vec![((0..n).collect(), None)];
        while let Some((members, parent)) = work.pop() {
            for (comp, cyclic) in components(&succ, &members) {
                if !cyclic {
                    continue;
                }
                let id = loops.loops.len() as u32;
                let mut chain =
                    parent.map_or_else(Vec::new, |p| loops.loops[p as usize].chain.clone());
                chain.push(id);
                let deep = chain.len() >= MAX_DEPTH;
                let inside = |v: &usize| comp.binary_search(v).is_ok();
                let mut entries: Vec<usize> = comp
                    .iter()
                    .copied()
                    .filter(|&v| deep || v == 0 || pred[v].iter().any(|p| !inside(p)))
                    .collect();
                if entries.is_empty() {
                    entries.push(comp[0]); // a loop no path comes into
                }
                for &v in &comp {
                    loops.innermost[v] = Some(id);
                }
                for &v in &entries {
                    loops.entry_of[v] = Some(id);
                }
                loops.loops.push(Loop { chain });
                let rest: Vec<usize> = comp
                    .into_iter()
                    .filter(|v| entries.binary_search(v).is_err())
                    .collect();
                if !rest.is_empty() {
                    work.push((rest, Some(id)));
                }
            }
        }
        loops.find_back(flow);
        loops
    }

    /// Marks the branches of guessed splits that lead back.
    fn find_back(&mut self, flow: &Flow) {
        for (i, node) in flow.nodes.iter().enumerate() {
            let NodeKind::Split {
                branches,
                guessed: true,
            } = &node.kind
            else {
                continue;
            };
            let Some(home) = self.innermost[i] else {
                continue;
            };
            let around = &self.loops[home as usize].chain;
            let back = branches
                .iter()
                .map(|b| self.way_on(flow, b.to, around))
                .collect();
            self.back.insert(i, back);
        }
    }

    /// Whether the way on from `target` (it and the nodes after it that offer no choice:
    /// sends, steps, fixed waits) reaches an entry of one of the loops `around`.
    fn way_on(&self, flow: &Flow, target: usize, around: &[u32]) -> bool {
        let mut at = Some(target);
        let mut walked = 0;
        while let Some(i) = at {
            if self.entry_of[i].is_some_and(|l| around.contains(&l)) {
                return true;
            }
            walked += 1;
            if walked > MAX_WAY_ON {
                return false;
            }
            let node = &flow.nodes[i];
            at = match node.kind {
                NodeKind::SendMessage { .. }
                | NodeKind::SendUpdate { .. }
                | NodeKind::Step { .. }
                | NodeKind::Wait { .. } => node.next,
                _ => None,
            };
        }
        false
    }

    /// For a split of guessed shares: per branch, whether it leads back (a re-ask); `None`
    /// for every other node.
    pub fn back(&self, split: usize) -> Option<&[bool]> {
        self.back.get(&split).map(Vec::as_slice)
    }

    /// How many loops are around `node`.
    pub fn depth(&self, node: usize) -> usize {
        self.chain(node).len()
    }

    /// The loops around `node`, outermost first.
    fn chain(&self, node: usize) -> &[u32] {
        self.innermost[node].map_or(&[], |l| &self.loops[l as usize].chain)
    }

    /// Enters `to` from `from` (`None`: the start) with `counts`, the entries of each loop
    /// around `from` (outermost first): the counts around `to` afterwards, or `None` when `to`
    /// is an entry its loop has been entered by `max_visits` times already (the path is
    /// abandoned there).
    pub fn enter(
        &self,
        from: Option<usize>,
        counts: &[u8],
        to: usize,
        max_visits: u32,
    ) -> Option<Box<[u8]>> {
        let before = from.map_or(&[][..], |f| self.chain(f));
        let after = self.chain(to);
        let kept = before
            .iter()
            .zip(after)
            .take_while(|(a, b)| a == b)
            .count()
            .min(counts.len());
        let mut next = vec![0u8; after.len()];
        next[..kept].copy_from_slice(&counts[..kept]);
        if let Some(l) = self.entry_of[to] {
            // An entry belongs to its innermost loop: the last of its chain.
            let depth = after.iter().position(|&x| x == l)?;
            if u32::from(next[depth]) >= max_visits {
                return None;
            }
            next[depth] += 1;
        }
        Some(next.into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::flow::parse_flow;

    fn flow(nodes: &str) -> Flow {
        let text = format!("flow: t\ntrigger: customer_message\nnodes:\n{nodes}");
        parse_flow(SourceFile::new("t.yaml", text), None).expect("flow")
    }

    #[test]
    fn finds_nested_loops_their_entries_and_re_asks() {
        // A question re-asked (check → sorry → ask) with a reminder loop (wait ↔ remind) inside,
        // in a survey that can be started over (check → hi).
        let f = flow(
            "  - { id: hi, type: send_message }\n\
             \x20 - { id: ask, type: send_message }\n\
             \x20 - { id: wait, type: wait_for_reply, timeout: 1h, on_reply: check, on_timeout: remind }\n\
             \x20 - { id: remind, type: send_message, next: wait }\n\
             \x20 - { id: check, type: split, branches: [{ to: ok }, { to: sorry }, { to: hi }] }\n\
             \x20 - { id: sorry, type: send_message, next: ask }\n\
             \x20 - { id: ok, type: send_message, next: bye }\n\
             \x20 - { id: bye, type: end }\n",
        );
        let l = Loops::new(&f);
        let id = |s: &str| f.node_index(s).unwrap();
        assert_eq!(l.chain(id("hi")).len(), 1, "hi enters the outer loop");
        assert!(l.entry_of[id("hi")].is_some());
        assert_eq!(l.chain(id("ask")).len(), 2);
        assert!(
            l.entry_of[id("ask")].is_some(),
            "ask enters the re-ask loop"
        );
        assert_eq!(
            l.chain(id("remind")).len(),
            3,
            "the reminder loop is inside"
        );
        assert!(l.entry_of[id("wait")].is_some());
        assert!(l.chain(id("ok")).is_empty() && l.chain(id("bye")).is_empty());
        // ok leaves; sorry leads back to ask; hi starts over.
        assert_eq!(l.back(id("check")), Some(&[false, true, true][..]));
        // Entering: the reminder loop counts again each time the question is asked again.
        let counts = l.enter(None, &[], id("hi"), 3).unwrap();
        assert_eq!(&*counts, &[1]);
        let counts = l.enter(Some(id("hi")), &counts, id("ask"), 3).unwrap();
        assert_eq!(&*counts, &[1, 1]);
        let counts = l.enter(Some(id("ask")), &counts, id("wait"), 3).unwrap();
        assert_eq!(&*counts, &[1, 1, 1]);
        let c2 = l.enter(Some(id("remind")), &counts, id("wait"), 3).unwrap();
        assert_eq!(&*c2, &[1, 1, 2]);
        let back = l.enter(Some(id("sorry")), &c2, id("ask"), 3).unwrap();
        assert_eq!(
            &*back,
            &[1, 2],
            "leaving the reminder loop forgets its count"
        );
        assert!(l.enter(Some(id("sorry")), &[1, 3], id("ask"), 3).is_none());
    }

    #[test]
    fn deep_flows_do_not_recurse() {
        let mut nodes = String::new();
        for i in 0..20_000 {
            nodes.push_str(&format!("  - {{ id: n{i}, type: step }}\n"));
        }
        nodes.push_str("  - { id: done, type: end }\n");
        let l = Loops::new(&flow(&nodes));
        assert!(l.loops.is_empty());
    }
}
