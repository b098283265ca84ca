//! Twilio Studio flow definitions (`states`, `initial_state`) → [`Flow`].
//!
//! The `trigger` state's `incomingMessage` transition is a customer-initiated start, its
//! `incomingRequest` (REST API) transition a business-initiated one. `send-message` → a send;
//! `send-and-wait-for-reply` → a send and a `wait_for_reply` (its `timeout` property, seconds,
//! default 3600) with the `incomingMessage` and `timeout` transitions; `split-based-on` → a
//! split with equal weights. A send is a template send when its `content_sid` or its body text
//! is in the catalog. Every other widget is a `step` that follows its non-failure transitions
//! (several of them: a split); failure transitions (`failed`, `deliveryFailure`…) are taken
//! not to happen.

use super::graph::Graph;
use super::locate::Locator;
use super::{normalize_body, note, ImportOptions};
use crate::diagnostic::{LoadError, Problem, SourceFile};
use crate::flow::spans::Span;
use crate::flow::{Branch, Catalog, Flow, NodeKind, Trigger};
use chrono::Duration;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Studio's default reply timeout: one hour.
const DEFAULT_TIMEOUT_SECONDS: i64 = 3600;
/// Property names under which a send widget names a Content API template.
const CONTENT_SID_KEYS: [&str; 3] = ["content_sid", "contentSid", "content_template_sid"];

type Converted = (Flow, Vec<Problem>);

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The transition of `state` on `event`: `Some(next)` when the event is listed (`next` is
/// `None` when it ends the execution).
fn transition<'v>(state: &'v Value, event: &str) -> Option<Option<&'v str>> {
    list(state, "transitions")
        .iter()
        .find(|t| str_of(t, "event") == event)
        .map(|t| t.get("next").and_then(Value::as_str))
}

/// Converts a Studio flow definition.
pub(super) fn convert(
    file: &Arc<SourceFile>,
    root: &Value,
    options: &ImportOptions,
    catalog: Option<&Catalog>,
) -> Result<Converted, LoadError> {
    let fail = |p: Problem| LoadError {
        file: file.clone(),
        problems: vec![p],
    };
    let loc = Locator::new(&file.text);
    let Some(states) = root.get("states").and_then(Value::as_array) else {
        return Err(fail(
            Problem::new(
                "flowcost::wrong-type",
                "a Twilio Studio flow has a `states` list",
            )
            .at(loc.first("\"states\""), "not a list")
            .help("export the flow again from Studio (Flow → Export to JSON)"),
        ));
    };
    // A state becomes at most two nodes (a send and its reply wait).
    if states.len() > options.limits.nodes / 2 {
        return Err(fail(
            Problem::new(
                "flowcost::import-too-large",
                format!(
                    "the flow has {} states; flowcost reads at most {} nodes, about two per state",
                    states.len(),
                    options.limits.nodes
                ),
            )
            .at(loc.first("\"states\""), "too many states")
            .help("split the flow, or raise the limit with FLOWCOST_MAX_NODES"),
        ));
    }
    let initial = root.get("initial_state").and_then(Value::as_str);
    let trigger_state = states
        .iter()
        .find(|s| Some(str_of(s, "name")) == initial)
        .or_else(|| states.iter().find(|s| str_of(s, "type") == "trigger"));
    let mut conv = Conv {
        loc,
        g: Graph::default(),
        problems: Vec::new(),
        notes: Vec::new(),
        index: HashMap::new(),
        guessed: Vec::new(),
        unmapped: Vec::new(),
        by_sid: HashMap::new(),
        by_body: HashMap::new(),
    };
    let Some(trigger_state) = trigger_state else {
        return Err(fail(
            Problem::new(
                "flowcost::missing-trigger",
                "the flow has no `trigger` state",
            )
            .at(conv.loc.first("\"states\""), "no trigger among these")
            .help("a Studio flow starts at its trigger widget; export the whole flow again"),
        ));
    };
    let trigger_name = str_of(trigger_state, "name");
    let (trigger, start) = conv.start(trigger_state, options).map_err(fail)?;
    let templates = catalog.cloned().unwrap_or_default();
    for (key, t) in &templates {
        if let Some(sid) = &t.content_sid {
            conv.by_sid.entry(sid.clone()).or_insert(key.clone());
        }
        if let Some(text) = &t.text {
            conv.by_body
                .entry(normalize_body(text))
                .or_insert(key.clone());
        }
    }
    // The start state's slots first: node 0 is where the flow starts.
    let mut order: Vec<&Value> = states
        .iter()
        .filter(|s| str_of(s, "name") == start)
        .collect();
    order.extend(
        states
            .iter()
            .filter(|s| str_of(s, "name") != start && str_of(s, "name") != trigger_name),
    );
    let mut slots = Vec::with_capacity(order.len());
    for s in &order {
        let count = if str_of(s, "type") == "send-and-wait-for-reply" {
            2
        } else {
            1
        };
        let reserved: Vec<usize> = (0..count).map(|_| conv.g.reserve()).collect();
        let name = str_of(s, "name");
        if conv.index.insert(name.to_string(), reserved[0]).is_some() {
            let span = conv.loc.value("name", name);
            conv.problems.push(
                Problem::new(
                    "flowcost::duplicate-id",
                    format!("two states are named `{name}`"),
                )
                .at(span, "repeated")
                .help("state names must be unique; export the flow again"),
            );
        }
        slots.push(reserved);
    }
    if order.is_empty() || str_of(order[0], "name") != start {
        let span = conv.loc.value("next", start);
        conv.problems.push(
            Problem::new(
                "flowcost::dangling-reference",
                format!("the trigger leads to `{start}`, which is not a state"),
            )
            .at(span, "no such state")
            .help("the trigger's transition must name a state of the flow"),
        );
    }
    for (s, reserved) in order.iter().zip(&slots) {
        conv.state(s, reserved, &templates);
    }
    conv.report();
    let Conv {
        g, problems, notes, ..
    } = conv;
    let name = match root.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => d.trim().to_string(),
        _ => file.name.clone(),
    };
    let description = "Imported from a Twilio Studio flow".to_string();
    let flow = super::finish(
        file,
        g.finish(),
        problems,
        name,
        description,
        trigger,
        templates,
    )?;
    Ok((flow, notes))
}

struct Conv<'a> {
    loc: Locator<'a>,
    g: Graph,
    problems: Vec<Problem>,
    notes: Vec<Problem>,
    /// State name → its first node.
    index: HashMap<String, usize>,
    /// Splits whose weights were assumed equal.
    guessed: Vec<Option<Span>>,
    /// Content SIDs not in the catalog, with where first used.
    unmapped: Vec<(String, Option<Span>)>,
    by_sid: HashMap<String, String>,
    by_body: HashMap<String, String>,
}

impl Conv<'_> {
    /// How the flow starts and the state it starts at. (Called once per file: the size of
    /// the error does not matter.)
    #[allow(clippy::result_large_err)]
    fn start<'v>(
        &mut self,
        trigger: &'v Value,
        options: &ImportOptions,
    ) -> Result<(Trigger, &'v str), Problem> {
        let name = str_of(trigger, "name");
        let message = transition(trigger, "incomingMessage")
            .flatten()
            .or_else(|| transition(trigger, "incomingConversationMessage").flatten());
        let request = transition(trigger, "incomingRequest")
            .flatten()
            .or_else(|| transition(trigger, "incomingParent").flatten());
        let span = self.loc.value("name", name);
        let missing = |what: &str| {
            Problem::new(
                "flowcost::missing-trigger",
                format!("the trigger `{name}` starts nothing on {what}"),
            )
            .at(span, "this trigger")
            .help("connect the trigger's Incoming Message or REST API transition to a widget, or pick the other with --trigger")
        };
        match options.trigger {
            Some(t @ (Trigger::CustomerMessage | Trigger::AdClick)) => message
                .map(|m| (t, m))
                .ok_or_else(|| missing("an incoming message")),
            Some(t @ (Trigger::BusinessEvent | Trigger::Schedule)) => request
                .map(|r| (t, r))
                .ok_or_else(|| missing("a REST API request")),
            None => match (message, request) {
                (Some(m), other) => {
                    if other.is_some() {
                        self.notes.push(
                            note("assumed-trigger", "the flow starts both on an incoming message and on a REST API request; importing the incoming-message start")
                                .at(span, "two starts")
                                .help("pass --trigger business_event to import the REST API start"),
                        );
                    }
                    Ok((Trigger::CustomerMessage, m))
                }
                (None, Some(r)) => Ok((Trigger::BusinessEvent, r)),
                (None, None) => Err(missing("messages or REST API requests")),
            },
        }
    }

    /// The node a transition leads to: its state, or `end` when it names none.
    fn target(&mut self, next: Option<&str>) -> Option<usize> {
        let Some(name) = next else {
            return Some(self.g.end());
        };
        if let Some(&i) = self.index.get(name) {
            return Some(i);
        }
        let span = self.loc.value("next", name);
        let help = match crate::diagnostic::closest(name, self.index.keys().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "a transition's `next` must name a state of the flow".into(),
        };
        self.problems.push(
            Problem::new(
                "flowcost::dangling-reference",
                format!("no state is named `{name}`"),
            )
            .at(span, "no such state")
            .help(help),
        );
        None
    }

    fn state(&mut self, s: &Value, slots: &[usize], catalog: &Catalog) {
        let name = str_of(s, "name");
        let kind = str_of(s, "type");
        let span = self.loc.value("name", name);
        let props = s.get("properties").unwrap_or(&Value::Null);
        match kind {
            "send-message" => {
                let node = self.send(props, span, catalog);
                let next = self.target(transition(s, "sent").flatten());
                self.g.set(slots[0], name, node, next, span);
            }
            "send-and-wait-for-reply" => {
                let node = self.send(props, span, catalog);
                self.g
                    .set(slots[0], name, node, slots.get(1).copied(), span);
                let timeout = self.timeout(props, span);
                let on_reply = self.target(transition(s, "incomingMessage").flatten());
                let on_timeout = self.target(transition(s, "timeout").flatten());
                let wait = NodeKind::WaitForReply {
                    timeout,
                    on_reply,
                    on_timeout,
                };
                if let Some(&w) = slots.get(1) {
                    self.g.set(w, &format!("{name}/wait"), wait, None, span);
                }
            }
            "split-based-on" => {
                let targets: Vec<Option<usize>> = list(s, "transitions")
                    .iter()
                    .map(|t| self.target(t.get("next").and_then(Value::as_str)))
                    .collect();
                let (node, next) = self.split(targets, kind, span);
                self.g.set(slots[0], name, node, next, span);
            }
            _ => {
                // Failures are taken not to happen; the other outcomes are equally likely.
                let targets: Vec<Option<usize>> = list(s, "transitions")
                    .iter()
                    .filter(|t| !str_of(t, "event").to_ascii_lowercase().contains("fail"))
                    .map(|t| self.target(t.get("next").and_then(Value::as_str)))
                    .collect();
                let (node, next) = self.split(targets, kind, span);
                self.g.set(slots[0], name, node, next, span);
            }
        }
    }

    /// A template send when the widget's content SID or body is in the catalog, else free-form.
    fn send(&mut self, props: &Value, span: Option<Span>, catalog: &Catalog) -> NodeKind {
        let sid = CONTENT_SID_KEYS
            .iter()
            .find_map(|k| props.get(*k).and_then(Value::as_str))
            .filter(|s| !s.trim().is_empty());
        let body = props.get("body").and_then(Value::as_str);
        if let Some(sid) = sid {
            let key = self
                .by_sid
                .get(sid)
                .cloned()
                .or_else(|| catalog.contains_key(sid).then(|| sid.to_string()));
            return match key {
                Some(k) => NodeKind::SendUpdate {
                    template: Some(k),
                    category: None,
                    uncategorised: false,
                },
                // A content template the catalog lacks: imported with its category unknown.
                None => {
                    let label = format!("`{sid}`");
                    if !self.unmapped.iter().any(|(s, _)| *s == label) {
                        let at = self.loc.value("content_sid", sid).or(span);
                        self.unmapped.push((label, at));
                    }
                    NodeKind::SendUpdate {
                        template: Some(sid.to_string()),
                        category: None,
                        uncategorised: true,
                    }
                }
            };
        }
        if let Some(key) = body.and_then(|b| self.by_body.get(&normalize_body(b))) {
            return NodeKind::SendUpdate {
                template: Some(key.clone()),
                category: None,
                uncategorised: false,
            };
        }
        NodeKind::SendMessage {
            text: body.map(str::to_string),
        }
    }

    fn timeout(&mut self, props: &Value, span: Option<Span>) -> Duration {
        let raw = props.get("timeout");
        let secs = match raw {
            None | Some(Value::Null) => Some(DEFAULT_TIMEOUT_SECONDS),
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            Some(_) => None,
        };
        match secs.filter(|s| *s > 0) {
            Some(s) => Duration::seconds(s),
            None => {
                let at = span
                    .and_then(|s| self.loc.value_after(s.offset, "timeout", s.offset + 20_000))
                    .or(span);
                self.problems.push(
                    Problem::new(
                        "flowcost::bad-duration",
                        "the reply `timeout` is not a positive number of seconds",
                    )
                    .at(at, "not a timeout")
                    .help("Studio writes the timeout in seconds, like \"3600\""),
                );
                Duration::seconds(DEFAULT_TIMEOUT_SECONDS)
            }
        }
    }

    /// A split with equal weights over the distinct targets, or a step when there is one.
    fn split(
        &mut self,
        targets: Vec<Option<usize>>,
        kind: &str,
        span: Option<Span>,
    ) -> (NodeKind, Option<usize>) {
        let resolved: Vec<usize> = targets.into_iter().flatten().collect();
        let mut distinct = resolved.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let step = NodeKind::Step {
            action: Some(kind.to_string()),
        };
        match distinct.len() {
            0 => (step, Some(self.g.end())),
            1 => (step, Some(distinct[0])),
            _ => {
                self.guessed.push(span);
                let branches = resolved
                    .into_iter()
                    .map(|to| Branch { to, weight: 1.0 })
                    .collect();
                (
                    NodeKind::Split {
                        branches,
                        guessed: true,
                    },
                    None,
                )
            }
        }
    }

    fn report(&mut self) {
        if let Some(n) = super::uncategorised_note(
            &self.unmapped,
            "pass --templates FILE with an entry per template: `order_update: { category: utility, content_sid: HX… }`",
        ) {
            self.notes.push(n);
        }
        if let Some(&first) = self.guessed.first() {
            let n = self.guessed.len();
            self.notes.push(
                note(
                    "equal-weights",
                    format!(
                        "{n} widget{} branch on conditions flowcost cannot evaluate; each branch gets an equal share",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .at(first, "the first of them")
                .help("path probabilities of these branches are guesses; convert with `flowcost import` and set `weight`s to refine them"),
            );
        }
    }
}
