//! Where a flow loops: its strongly connected components, in topological order.
//!
//! A path can enter a node more than once only inside a component with a cycle (a *loop*), and
//! once it leaves a component it can never come back. So the simulator counts visits only for
//! the nodes of the loop it is in ([`Loops::slot`]), and forgets them when it leaves, which lets
//! paths that went round a loop differently merge again afterwards.

use crate::flow::{Flow, NodeKind};

/// No slot: the node is on no cycle.
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// Nodes followed at most when looking for the way back of a branch (see [`Loops::way_on`]).
const MAX_WAY_ON: usize = 256;

/// The components of a flow's graph.
#[derive(Debug, Clone)]
pub(crate) struct Loops {
    /// Node → its component, numbered in topological order (every edge goes to the same or a
    /// higher number).
    pub component: Vec<u32>,
    /// Node → its index among the cyclic nodes of its component, or [`NO_SLOT`].
    pub slot: Vec<u32>,
    /// Component → how many cyclic nodes it has (0: no cycle).
    pub size: Vec<u32>,
    /// For each split of guessed shares on a loop: per branch, the slots of its way on (see
    /// [`Loops::way_on`]).
    pub ways: std::collections::HashMap<usize, Vec<Vec<u32>>>,
}

impl Loops {
    /// Analyses `flow` (iterative Tarjan: no recursion, whatever the flow's depth).
    pub fn new(flow: &Flow) -> Loops {
        let n = flow.nodes.len();
        let succ: Vec<Vec<usize>> = flow.nodes.iter().map(|node| node.successors()).collect();
        const UNSEEN: usize = usize::MAX;
        let mut index = vec![UNSEEN; n];
        let mut low = vec![0usize; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut emitted: Vec<Vec<usize>> = Vec::new();
        let mut counter = 0;
        // (node, next successor to look at)
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
                if let Some(&w) = succ[v].get(next) {
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
                    let mut members = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        members.push(w);
                        if w == v {
                            break;
                        }
                    }
                    emitted.push(members);
                }
            }
        }
        // Tarjan emits a component after every component it reaches: reverse for topological.
        let count = emitted.len();
        let mut component = vec![0u32; n];
        let mut slot = vec![NO_SLOT; n];
        let mut size = vec![0u32; count];
        for (e, mut members) in emitted.into_iter().enumerate() {
            let c = (count - 1 - e) as u32;
            members.sort_unstable();
            let cyclic = members.len() > 1 || succ[members[0]].contains(&members[0]);
            for (i, &m) in members.iter().enumerate() {
                component[m] = c;
                if cyclic {
                    slot[m] = i as u32;
                }
            }
            if cyclic {
                size[c as usize] = members.len() as u32;
            }
        }
        let mut loops = Loops {
            component,
            slot,
            size,
            ways: std::collections::HashMap::new(),
        };
        for (i, node) in flow.nodes.iter().enumerate() {
            if let NodeKind::Split {
                branches,
                guessed: true,
            } = &node.kind
            {
                if loops.cyclic(i) {
                    let ways = branches
                        .iter()
                        .map(|b| loops.way_on(flow, i, b.to))
                        .collect();
                    loops.ways.insert(i, ways);
                }
            }
        }
        loops
    }

    /// Enters `to` from `from` (`None`: the start) with `counts`, the visits of `from`'s loop:
    /// the visits of `to`'s loop afterwards (empty when `to` is on no loop), or `None` when
    /// `to` has been entered `max_visits` times already and the path is abandoned.
    pub fn enter(
        &self,
        from: Option<usize>,
        counts: Box<[u8]>,
        to: usize,
        max_visits: u32,
    ) -> Option<Box<[u8]>> {
        if !self.cyclic(to) {
            return Some(Box::new([]));
        }
        let component = self.component[to];
        let mut counts = match from {
            Some(f) if self.component[f] == component => counts,
            _ => vec![0u8; self.size[component as usize] as usize].into_boxed_slice(),
        };
        let slot = self.slot[to] as usize;
        if u32::from(counts[slot]) >= max_visits {
            return None;
        }
        counts[slot] += 1;
        Some(counts)
    }

    /// Whether a path can enter `node` more than once.
    pub fn cyclic(&self, node: usize) -> bool {
        self.slot[node] != NO_SLOT
    }

    /// The slots of the nodes a branch into `target` reaches before the customer or a split
    /// chooses anything: `target` itself and the nodes after it that have one way on (sends,
    /// steps, fixed waits), as far as they stay in the loop of `within` (the split's node).
    /// A branch whose way on reaches a node already on the path leads back: a re-ask.
    fn way_on(&self, flow: &Flow, within: usize, target: usize) -> Vec<u32> {
        let home = self.component[within];
        let mut slots = Vec::new();
        let mut at = Some(target);
        while let Some(i) = at {
            if self.component[i] != home || self.slot[i] == NO_SLOT || slots.len() >= MAX_WAY_ON {
                break;
            }
            if slots.contains(&self.slot[i]) {
                break; // went round a loop of its own without a choice
            }
            slots.push(self.slot[i]);
            let node = &flow.nodes[i];
            at = match node.kind {
                NodeKind::SendMessage { .. }
                | NodeKind::SendUpdate { .. }
                | NodeKind::Step { .. }
                | NodeKind::Wait { .. } => node.next,
                _ => None,
            };
        }
        slots
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
    fn finds_loops_in_topological_order() {
        let f = flow(
            "  - { id: hi, type: send_message }\n\
             \x20 - { id: ask, type: wait_for_reply, timeout: 1h, on_reply: check, on_timeout: bye }\n\
             \x20 - { id: check, type: split, branches: [{ to: ok }, { to: sorry }] }\n\
             \x20 - { id: sorry, type: send_message, next: ask }\n\
             \x20 - { id: ok, type: send_message, next: bye }\n\
             \x20 - { id: bye, type: end }\n",
        );
        let l = Loops::new(&f);
        let ids = |id: &str| f.node_index(id).unwrap();
        assert!(!l.cyclic(ids("hi")));
        assert!(l.cyclic(ids("ask")) && l.cyclic(ids("check")) && l.cyclic(ids("sorry")));
        assert!(!l.cyclic(ids("ok")) && !l.cyclic(ids("bye")));
        let c = |id: &str| l.component[ids(id)];
        assert!(c("hi") < c("ask") && c("ask") < c("ok") && c("ok") < c("bye"));
        assert_eq!(c("ask"), c("sorry"));
        assert_eq!(l.size[c("ask") as usize], 3);
        // The `sorry` branch leads back through `sorry` to `ask`; `ok` leaves the loop.
        let ways = &l.ways[&ids("check")];
        assert!(ways[0].is_empty());
        assert_eq!(ways[1], vec![l.slot[ids("sorry")], l.slot[ids("ask")]]);
    }

    #[test]
    fn deep_flows_do_not_recurse() {
        let mut nodes = String::new();
        for i in 0..20_000 {
            nodes.push_str(&format!("  - {{ id: n{i}, type: step }}\n"));
        }
        nodes.push_str("  - { id: done, type: end }\n");
        let l = Loops::new(&flow(&nodes));
        assert!(l.size.iter().all(|&s| s == 0));
        assert!(l.component.windows(2).all(|w| w[0] < w[1]));
    }
}
