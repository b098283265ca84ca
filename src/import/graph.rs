//! Building a flow graph whose nodes are referenced before they are filled: importers reserve a
//! slot per source node (so references resolve in one pass), fill it later, and append extra
//! nodes (reply splits, the shared end) as needed.

use crate::flow::spans::Span;
use crate::flow::{Node, NodeKind};
use std::collections::{HashMap, HashSet};

/// A graph under construction.
#[derive(Default)]
pub(crate) struct Graph {
    nodes: Vec<Option<Node>>,
    ids: HashSet<String>,
    /// For each base id, the last suffix tried: ids are never freed, so the search for a free
    /// `base-N` resumes there (linear in nodes, not quadratic, when thousands share a base).
    suffixes: HashMap<String, usize>,
    end: Option<usize>,
    /// Most nodes the graph may hold (`None`: no bound); past it, slots are refused and
    /// [`Graph::too_many`] reports the flow.
    limit: Option<usize>,
    /// A slot was refused.
    overflowed: bool,
}

impl Graph {
    /// A graph of at most `limit` nodes: what an import produces is bounded as it is built
    /// (one export node may become many: a send per action, a wait and a split per router).
    pub(crate) fn limited(limit: usize) -> Self {
        Graph {
            limit: Some(limit),
            ..Graph::default()
        }
    }

    /// Reserves a slot and returns its index; past the limit, an index that holds nothing
    /// (filling it does nothing, and [`Graph::too_many`] says why).
    pub(crate) fn reserve(&mut self) -> usize {
        if self.limit.is_some_and(|l| self.nodes.len() >= l) {
            self.overflowed = true;
            return usize::MAX;
        }
        self.nodes.push(None);
        self.nodes.len() - 1
    }

    /// The problem of a graph that passed its limit.
    pub(crate) fn too_many(&self) -> Option<crate::diagnostic::Problem> {
        let limit = self.limit.filter(|_| self.overflowed)?;
        Some(
            crate::diagnostic::Problem::new(
                "flowcost::import-too-large",
                format!(
                    "the converted flow would have more than {limit} nodes (a node per action, \
                     a wait and a split per router); flowcost reads flows of at most {limit} nodes"
                ),
            )
            .help("split the flow in the editor, or raise the limit with FLOWCOST_MAX_NODES"),
        )
    }

    /// Nodes reserved so far.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// `base`, or `base-2`, `base-3`… if taken; the id is then taken.
    pub(crate) fn unique_id(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        if self.ids.contains(&id) {
            let n = self.suffixes.entry(base.to_string()).or_insert(1);
            loop {
                *n += 1;
                id = format!("{base}-{n}");
                if !self.ids.contains(&id) {
                    break;
                }
            }
        }
        self.ids.insert(id.clone());
        id
    }

    /// Fills slot `at`.
    pub(crate) fn set(
        &mut self,
        at: usize,
        id: &str,
        kind: NodeKind,
        next: Option<usize>,
        span: Option<Span>,
    ) {
        if at >= self.nodes.len() {
            return; // a slot refused at the limit: nothing to fill, no id to take
        }
        let id = self.unique_id(id);
        if let Some(slot) = self.nodes.get_mut(at) {
            *slot = Some(Node {
                id,
                kind,
                next,
                span,
                id_span: span,
            });
        }
    }

    /// Appends a node and returns its index.
    pub(crate) fn push(
        &mut self,
        id: &str,
        kind: NodeKind,
        next: Option<usize>,
        span: Option<Span>,
    ) -> usize {
        let at = self.reserve();
        self.set(at, id, kind, next, span);
        at
    }

    /// The one `end` node where finished paths go.
    pub(crate) fn end(&mut self) -> usize {
        if let Some(e) = self.end {
            return e;
        }
        let e = self.push("end", NodeKind::End, None, None);
        self.end = Some(e);
        e
    }

    /// The nodes, if every reserved slot was filled.
    pub(crate) fn finish(self) -> Option<Vec<Node>> {
        self.nodes.into_iter().collect()
    }
}

/// A node choosing among `targets` (unresolved ones left out) with equal weights: a step to
/// `none` when there is no target, a step to the one target, else a split (`guessed` says
/// whether its equal shares are a guess). Returns the node and its `next`.
pub(crate) fn fork(
    targets: Vec<Option<usize>>,
    action: &str,
    none: usize,
    guessed: bool,
) -> (NodeKind, Option<usize>) {
    let resolved: Vec<usize> = targets.into_iter().flatten().collect();
    let mut distinct = resolved.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let step = NodeKind::Step {
        action: Some(action.to_string()),
    };
    match distinct.len() {
        0 => (step, Some(none)),
        1 => (step, Some(distinct[0])),
        _ => {
            let branches = resolved
                .into_iter()
                .map(|to| crate::flow::Branch { to, weight: 1.0 })
                .collect();
            (NodeKind::Split { branches, guessed }, None)
        }
    }
}

/// A readable slug of a name for node ids: lower case, `-` between words.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "flow".into()
    } else {
        out
    }
}

/// The first 8 characters of a UUID, enough to tell nodes apart in routes.
pub(crate) fn short(uuid: &str) -> &str {
    uuid.get(..8).unwrap_or(uuid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_take_the_smallest_free_suffix() {
        let mut g = Graph::default();
        assert_eq!(g.unique_id("a-3"), "a-3");
        assert_eq!(g.unique_id("a"), "a");
        assert_eq!(g.unique_id("a"), "a-2");
        assert_eq!(g.unique_id("a"), "a-4", "a-3 is taken");
        assert_eq!(g.unique_id("a-2"), "a-2-2");
        assert_eq!(g.unique_id("b"), "b");
        let many: Vec<String> = (0..20_000).map(|_| g.unique_id("send")).collect();
        assert_eq!(many[19_999], "send-20000");
    }
}
