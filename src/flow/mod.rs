//! The flow model: a typed graph loaded from YAML, with a source span for every node.
//!
//! After loading, a [`Flow`] holds no dangling edge: every edge is an index into `nodes`.

mod load;
pub mod schema;
pub mod spans;
pub mod write;

pub(crate) use load::too_deep;
pub use load::{
    load_catalog, load_catalog_with, load_flow, loops_without_wait, mib, parse_catalog,
    parse_catalog_with, parse_flow, parse_flow_with, read_input, read_source, Input,
    MAX_FILE_BYTES, UNKNOWN,
};

use crate::billing::Category;
use crate::diagnostic::SourceFile;
use chrono::{Duration, NaiveDate};
use spans::{Span, SpanIndex};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a flow is for (`kind:`); lint rules read it (a post-purchase flow should send utility).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKind {
    /// An automated journey; the default.
    Journey,
    /// An opt-in flow.
    OptIn,
    /// Order and shipping updates after a purchase.
    PostPurchase,
    /// A broadcast campaign.
    Campaign,
}

impl FlowKind {
    /// Names as written in YAML.
    pub const NAMES: [&'static str; 4] = ["journey", "opt_in", "post_purchase", "campaign"];
}

/// How a flow starts (`trigger:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The customer writes first: the customer service window is open from the start.
    CustomerMessage,
    /// The customer writes through a click-to-WhatsApp ad: a free entry point (rule 7).
    AdClick,
    /// A business event (an order, a shipment) starts it: no customer message.
    BusinessEvent,
    /// A schedule starts it: no customer message.
    Schedule,
}

impl Trigger {
    /// Names as written in YAML.
    pub const NAMES: [&'static str; 4] =
        ["customer_message", "ad_click", "business_event", "schedule"];

    /// The name as written in YAML.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::CustomerMessage => "customer_message",
            Trigger::AdClick => "ad_click",
            Trigger::BusinessEvent => "business_event",
            Trigger::Schedule => "schedule",
        }
    }
}

/// Approval state of a template (Meta's review).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateStatus {
    /// Approved: can be sent.
    Approved,
    /// Submitted, not reviewed yet.
    Pending,
    /// Refused by Meta.
    Rejected,
    /// Paused by Meta for low quality.
    Paused,
    /// Disabled by Meta.
    Disabled,
}

impl TemplateStatus {
    /// Names as written in YAML.
    pub const NAMES: [&'static str; 5] = ["approved", "pending", "rejected", "paused", "disabled"];
}

/// A dated recategorisation of a template (`category_history:` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recategorised {
    /// First day the new category applies.
    pub since: NaiveDate,
    /// The category from that day.
    pub category: Category,
}

/// One template of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The category the template was approved with.
    pub category: Category,
    /// Approval status, when the catalog records it.
    pub status: Option<TemplateStatus>,
    /// The body text, when the catalog records it; a Twilio Studio send whose body matches it
    /// (placeholders aside) is recognised as this template.
    pub text: Option<String>,
    /// The template's UUID in RapidPro/TextIt (goflow `templating.template.uuid`), if recorded.
    pub uuid: Option<String>,
    /// The Twilio Content API SID (`HX…`) of the template, if recorded.
    pub content_sid: Option<String>,
    /// Later changes of category by Meta, oldest first.
    pub history: Vec<Recategorised>,
    /// Where the entry is, in its file.
    pub span: Option<Span>,
}

impl Template {
    /// The category in force on `date`: the latest recategorisation on or before it, else the
    /// approved category (docs/billing.md, "Categories change over time").
    pub fn category_on(&self, date: NaiveDate) -> Category {
        self.history
            .iter()
            .rev()
            .find(|r| r.since <= date)
            .map_or(self.category, |r| r.category)
    }
}

/// Template name → template.
pub type Catalog = BTreeMap<String, Template>;

/// A weighted branch of a split.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    /// Target node index.
    pub to: usize,
    /// Relative weight (the branch is taken with weight / sum of weights).
    pub weight: f64,
}

/// What a node does.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A free-form message ("Send message"): a service message.
    SendMessage {
        /// The message text, if given.
        text: Option<String>,
    },
    /// A template message ("Send update").
    SendUpdate {
        /// The template's name in the catalog, if given.
        template: Option<String>,
        /// The category tagged on the node, if given.
        category: Option<Category>,
        /// `category: unknown`: nobody knows the template's category (an import's send of a
        /// template the catalog lacks). The simulation bills it as an assumed category
        /// (`simulate::Options::unknown_as`) and `cost` gives the range over the categories
        /// a template can have.
        uncategorised: bool,
    },
    /// Waits a fixed time.
    Wait {
        /// How long.
        duration: Duration,
    },
    /// Waits for the customer's reply, up to a timeout.
    WaitForReply {
        /// How long to wait for a reply.
        timeout: Duration,
        /// Where a reply goes.
        on_reply: Option<usize>,
        /// Where a timeout goes.
        on_timeout: Option<usize>,
    },
    /// Forks by weight.
    Split {
        /// The branches, in file order.
        branches: Vec<Branch>,
        /// The shares are guesses, not measurements: no `weight` was written (an import's
        /// equal shares, or a YAML split without weights). Where such a split has a branch
        /// that leads back to a node already on the path, the customer model gives it the
        /// retry rate (see `simulate::Customer`).
        guessed: bool,
    },
    /// A pass-through step with no messaging effect (an imported action such as setting a
    /// field or calling a webhook); it continues at `next`.
    Step {
        /// What the step does in the tool it came from (`set_contact_field`, `run-function`).
        action: Option<String>,
    },
    /// Ends the path.
    End,
}

impl NodeKind {
    /// The `type:` name of the node.
    pub fn type_name(&self) -> &'static str {
        match self {
            NodeKind::SendMessage { .. } => "send_message",
            NodeKind::SendUpdate { .. } => "send_update",
            NodeKind::Wait { .. } => "wait",
            NodeKind::WaitForReply { .. } => "wait_for_reply",
            NodeKind::Split { .. } => "split",
            NodeKind::Step { .. } => "step",
            NodeKind::End => "end",
        }
    }
}

/// A node of the flow graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id.
    pub id: String,
    /// What it does.
    pub kind: NodeKind,
    /// The next node for send and wait nodes (explicit `next`, else the node below);
    /// `None` when the path stops here without an `end`.
    pub next: Option<usize>,
    /// Where the node's mapping is in the file.
    pub span: Option<Span>,
    /// Where its `id` value is.
    pub id_span: Option<Span>,
}

impl Node {
    /// Every node this one can lead to.
    pub fn successors(&self) -> Vec<usize> {
        match &self.kind {
            NodeKind::Split { branches, .. } => branches.iter().map(|b| b.to).collect(),
            NodeKind::WaitForReply {
                on_reply,
                on_timeout,
                ..
            } => on_reply.iter().chain(on_timeout.iter()).copied().collect(),
            NodeKind::End => Vec::new(),
            _ => self.next.into_iter().collect(),
        }
    }

    /// Whether passing through this node advances the clock.
    pub fn waits(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Wait { .. } | NodeKind::WaitForReply { .. }
        )
    }
}

/// An inline lint suppression: `lint: { allow: [RULE…], reason: … }` on the flow or a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The node it sits on; `None` for the whole flow.
    pub node: Option<usize>,
    /// Rule names or codes as written, with their places.
    pub rules: Vec<(String, Option<Span>)>,
    /// Why (required).
    pub reason: String,
}

/// A loaded, validated flow.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The flow's name (`flow:`).
    pub name: String,
    /// What it is for.
    pub kind: FlowKind,
    /// Free text.
    pub description: Option<String>,
    /// How it starts.
    pub trigger: Trigger,
    /// Recipient country (ISO 3166-1 alpha-2, upper case), if given.
    pub market: Option<String>,
    /// Templates: the flow's own, over those of an external catalog.
    pub templates: Catalog,
    /// Nodes in file order; the first is the start.
    pub nodes: Vec<Node>,
    /// Inline lint suppressions, flow-level first.
    pub suppressions: Vec<Suppression>,
    /// The file the flow came from.
    pub source: Arc<SourceFile>,
    /// Positions of every key and value in the file.
    pub spans: SpanIndex,
}

impl Flow {
    /// The index of the node with this id.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The category a `send_update` node sends on `date`: its template's category in force
    /// then (Meta decides a template's category), else the category tagged on the node;
    /// `None` when it is unknown (see [`Flow::uncategorised`]).
    pub fn update_category(&self, node: &Node, date: NaiveDate) -> Option<Category> {
        let NodeKind::SendUpdate {
            template, category, ..
        } = &node.kind
        else {
            return None;
        };
        template
            .as_ref()
            .and_then(|t| self.templates.get(t))
            .map(|t| t.category_on(date))
            .or(*category)
    }

    /// Whether `node` sends a template of unknown category (`category: unknown`, and no
    /// catalog entry that says).
    pub fn uncategorised(&self, node: &Node) -> bool {
        matches!(&node.kind, NodeKind::SendUpdate { template, uncategorised: true, .. }
            if template.as_ref().is_none_or(|t| !self.templates.contains_key(t)))
    }

    /// Which nodes a path from the start node (the first) can reach, by index.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = if self.nodes.is_empty() {
            vec![]
        } else {
            vec![0]
        };
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen[n], true) {
                continue;
            }
            stack.extend(self.nodes[n].successors());
        }
        seen
    }

    /// The nodes a path can reach that send a template of unknown category, with the
    /// template's name (or the node's id when it names none), in file order.
    pub fn uncategorised_sends(&self) -> Vec<(usize, String)> {
        let reached = self.reachable();
        self.nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| reached[*i] && self.uncategorised(n))
            .map(|(i, n)| {
                let name = match &n.kind {
                    NodeKind::SendUpdate {
                        template: Some(t), ..
                    } => t.clone(),
                    _ => n.id.clone(),
                };
                (i, name)
            })
            .collect()
    }

    /// The names of [`Flow::uncategorised_sends`], each once, in file order.
    pub fn uncategorised_templates(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (_, name) in self.uncategorised_sends() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}
