//! Building a flow graph whose nodes are referenced before they are filled: importers reserve a
//! slot per source node (so references resolve in one pass), fill it later, and append extra
//! nodes (reply splits, the shared end) as needed.

use crate::flow::spans::Span;
use crate::flow::{Node, NodeKind};
use std::collections::HashSet;

/// Most nodes an import may produce (sub-flows are copied per call, which can multiply them).
pub(crate) const MAX_NODES: usize = 500_000;

/// A graph under construction.
#[derive(Default)]
pub(crate) struct Graph {
    nodes: Vec<Option<Node>>,
    ids: HashSet<String>,
    end: Option<usize>,
}

impl Graph {
    /// Reserves a slot and returns its index.
    pub(crate) fn reserve(&mut self) -> usize {
        self.nodes.push(None);
        self.nodes.len() - 1
    }

    /// Nodes reserved so far.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// `base`, or `base-2`, `base-3`… if taken; the id is then taken.
    pub(crate) fn unique_id(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 1;
        while self.ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
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
