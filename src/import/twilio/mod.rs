//! Twilio Studio flow definitions (`states`, `initial_state`) → [`Flow`].
//!
//! The `trigger` state's `incomingMessage` (or `incomingConversationMessage`) transition is a
//! customer-initiated start, its `incomingRequest` (REST API) or `incomingParent` transition a
//! business-initiated one. Only the states that start reaches are converted (the part an
//! incoming call starts is another flow, as far as messaging goes). `send-message` → a send
//! (a step when its `to` is someone other than the contact); `send-and-wait-for-reply` → a send
//! and a `wait_for_reply` (its `timeout` property, seconds, default 3600) with the
//! `incomingMessage` and `timeout` transitions; `gather-input-on-call` → a `wait` (its
//! `timeout`, default 5 s) and a split over its outcomes; `split-based-on` → a split with equal
//! weights. A send is a template send when its `content_sid` or its body text is in the
//! catalog. Every other widget is a `step` that follows its non-failure transitions (several
//! of them: a split); failure transitions (`failed`, `deliveryFailure`…) are taken not to
//! happen. Studio's early format (`InitialState`, `Message`, `Gather`…, transitions naming
//! states by `sid`) is read the same way.

mod widgets;

use super::graph::{fork, Graph};
use super::json::{duration, list, str_of};
use super::locate::Locator;
use super::{normalize_body, note, ImportOptions};
use crate::diagnostic::{LoadError, Problem, SourceFile};
use crate::flow::spans::Span;
use crate::flow::{Catalog, Flow, NodeKind, Trigger};
use chrono::Duration;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use widgets::{kind_of, runs};

/// Studio's default reply timeout: one hour.
const DEFAULT_TIMEOUT_SECONDS: i64 = 3600;
/// Studio's default wait for input on a call: five seconds.
const DEFAULT_GATHER_SECONDS: i64 = 5;
/// Property names under which a send widget names a Content API template.
const CONTENT_SID_KEYS: [&str; 3] = ["content_sid", "contentSid", "content_template_sid"];

type Converted = (Flow, Vec<Problem>);

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
    let states = states_of(root, &loc).map_err(fail)?;
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
        .or_else(|| states.iter().find(|s| kind_of(s) == "trigger"));
    let mut conv = Conv {
        loc,
        g: Graph::limited(options.limits.nodes),
        problems: Vec::new(),
        notes: Vec::new(),
        index: HashMap::new(),
        all: states
            .iter()
            .map(|s| str_of(s, "name").to_string())
            .collect(),
        guessed: Vec::new(),
        unmapped: Vec::new(),
        others: Vec::new(),
        subflows: Vec::new(),
        agents: Vec::new(),
        unknown: Vec::new(),
        by_sid: HashMap::new(),
        suggest: crate::diagnostic::Suggester::default(),
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
    let (trigger, start) = conv.start(trigger_state, options).map_err(fail)?;
    let names = widgets::names(states);
    let Some(&first) = names
        .get(start)
        .filter(|&&i| kind_of(&states[i]) != "trigger")
    else {
        let span = conv.loc.value("next", start);
        return Err(fail(
            Problem::new(
                "flowcost::dangling-reference",
                format!("the trigger leads to `{start}`, which is not a state"),
            )
            .at(span, "no such state")
            .help("the trigger's transition must name a state of the flow"),
        ));
    };
    let reached = widgets::reachable(states, &names, first);
    conv.duplicates(states);
    conv.unreached(states, &reached, trigger);
    if widgets::early_format(states) {
        conv.notes.push(
            note("early-studio-format", "this is Studio's early export format (widgets typed `Message`, `Gather`, `InitialState`…): read as the current widgets")
                .at(conv.loc.first("\"InitialState\""), "early format")
                .help("to check the reading, open the flow in Studio and export it again"),
        );
    }
    let templates = catalog.cloned().unwrap_or_default();
    conv.index_templates(&templates);
    conv.convert_states(states, first, &reached, &templates);
    conv.report();
    let Conv {
        g,
        mut problems,
        notes,
        ..
    } = conv;
    problems.extend(g.too_many());
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

/// The `states` list, or why there is none.
#[allow(clippy::result_large_err)]
fn states_of<'v>(root: &'v Value, loc: &Locator) -> Result<&'v [Value], Problem> {
    if let Some(states) = root.get("states").and_then(Value::as_array) {
        return Ok(states);
    }
    if root.get("States").is_some() {
        return Err(Problem::new(
            "flowcost::unsupported-version",
            "this Studio definition has capitalised keys (`States`), which flowcost does not read",
        )
        .at(loc.first("\"States\""), "capitalised")
        .help("open the flow in Studio and export it again (Flow → Export to JSON): the current format has `states` and `initial_state`"));
    }
    Err(Problem::new(
        "flowcost::wrong-type",
        "a Twilio Studio flow has a `states` list",
    )
    .at(loc.first("\"states\""), "not a list")
    .help("export the flow again from Studio (Flow → Export to JSON)"))
}

struct Conv<'a> {
    loc: Locator<'a>,
    g: Graph,
    problems: Vec<Problem>,
    notes: Vec<Problem>,
    /// State name (and SID) → its first node.
    index: HashMap<String, usize>,
    /// Every state's name, reached or not, for suggestions.
    all: Vec<String>,
    /// Splits whose weights were assumed equal.
    guessed: Vec<Option<Span>>,
    /// Content SIDs not in the catalog, with where first used.
    unmapped: Vec<(String, Option<Span>)>,
    /// Sends to someone other than the contact: (state, where).
    others: Vec<(String, Option<Span>)>,
    /// Sub-flows run: (flow SID, where).
    subflows: Vec<(String, Option<Span>)>,
    /// Hand-offs to agents: (state, where).
    agents: Vec<(String, Option<Span>)>,
    /// Widgets of types flowcost does not know: (type, where).
    unknown: Vec<(String, Option<Span>)>,
    by_sid: HashMap<String, String>,
    /// Did-you-mean lookups, bounded over the file.
    suggest: crate::diagnostic::Suggester,
    by_body: HashMap<String, String>,
}

impl Conv<'_> {
    /// How the flow starts and the state (name or SID) it starts at. (Called once per file:
    /// the size of the error does not matter.)
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
                (None, None) if transition(trigger, "incomingCall").flatten().is_some() => Err(
                    Problem::new(
                        "flowcost::voice-flow",
                        format!("the trigger `{name}` starts the flow on incoming calls only: a voice flow sends no WhatsApp messages"),
                    )
                    .at(span, "calls only")
                    .help("flowcost audits messaging flows; connect the trigger's Incoming Message or REST API transition to audit a messaging part"),
                ),
                (None, None) => Err(missing("messages or REST API requests")),
            },
        }
    }

    /// Converts the reached states, the start state's first (node 0 is where the flow
    /// starts): reserves every state's nodes so that transitions resolve, then fills them.
    fn convert_states(
        &mut self,
        states: &[Value],
        first: usize,
        reached: &[bool],
        templates: &Catalog,
    ) {
        let order: Vec<&Value> = std::iter::once(first)
            .chain((0..states.len()).filter(|&i| i != first && reached[i]))
            .map(|i| &states[i])
            .collect();
        let mut slots = Vec::with_capacity(order.len());
        for s in &order {
            let count = match kind_of(s) {
                "send-and-wait-for-reply" | "gather-input-on-call" => 2,
                _ => 1,
            };
            let reserved: Vec<usize> = (0..count).map(|_| self.g.reserve()).collect();
            for key in ["name", "sid"] {
                let v = str_of(s, key);
                if !v.is_empty() {
                    self.index.entry(v.to_string()).or_insert(reserved[0]);
                }
            }
            slots.push(reserved);
        }
        for (s, reserved) in order.iter().zip(&slots) {
            self.state(s, reserved, templates);
        }
    }

    /// A problem for each state name used twice.
    fn duplicates(&mut self, states: &[Value]) {
        let mut seen = std::collections::HashSet::new();
        for s in states {
            let name = str_of(s, "name");
            if !name.is_empty() && !seen.insert(name) {
                let span = self.loc.value("name", name);
                self.problems.push(
                    Problem::new(
                        "flowcost::duplicate-id",
                        format!("two states are named `{name}`"),
                    )
                    .at(span, "repeated")
                    .help("state names must be unique; export the flow again"),
                );
            }
        }
    }

    /// A note naming the sends of the states the start never reaches (they are left out).
    fn unreached(&mut self, states: &[Value], reached: &[bool], trigger: Trigger) {
        let sends: Vec<&str> = states
            .iter()
            .zip(reached)
            .filter(|(s, r)| {
                !**r && matches!(kind_of(s), "send-message" | "send-and-wait-for-reply")
            })
            .map(|(s, _)| str_of(s, "name"))
            .collect();
        let Some(first) = sends.first() else {
            return;
        };
        let start = match trigger {
            Trigger::CustomerMessage | Trigger::AdClick => "incoming-message",
            _ => "REST API",
        };
        let shown: Vec<String> = sends.iter().map(|s| format!("`{s}`")).collect();
        let span = self.loc.value("name", first);
        self.notes.push(
            note(
                "unreached-states",
                format!(
                    "{} send widget{} that the {start} start never reaches {} left out: {}",
                    sends.len(),
                    if sends.len() == 1 { "" } else { "s" },
                    if sends.len() == 1 { "is" } else { "are" },
                    shown.join(", ")
                ),
            )
            .at(span, "never reached")
            .help("such widgets run on another start (an incoming call, another trigger): pick it with --trigger, or connect them to this one"),
        );
    }

    fn index_templates(&mut self, templates: &Catalog) {
        for (key, t) in templates {
            if let Some(sid) = &t.content_sid {
                self.by_sid.entry(sid.clone()).or_insert(key.clone());
            }
            if let Some(text) = &t.text {
                self.by_body
                    .entry(normalize_body(text))
                    .or_insert(key.clone());
            }
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
        let help = match self
            .suggest
            .closest(name, self.all.iter().map(String::as_str))
        {
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

    /// The nodes the transitions a run can take lead to.
    fn run_targets(&mut self, s: &Value) -> Vec<Option<usize>> {
        runs(s)
            .map(|t| t.get("next").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|n| self.target(n))
            .collect()
    }

    fn state(&mut self, s: &Value, slots: &[usize], catalog: &Catalog) {
        let name = str_of(s, "name");
        let kind = kind_of(s);
        let span = self.loc.value("name", name);
        let props = s.get("properties").unwrap_or(&Value::Null);
        match kind {
            "send-message" if !widgets::to_contact(props) => {
                self.others.push((format!("`{name}`"), span));
                self.step(s, slots[0], name, kind, span);
            }
            "send-message" => {
                let node = self.send(props, span, catalog);
                let next = self.target(transition(s, "sent").flatten());
                self.g.set(slots[0], name, node, next, span);
            }
            "send-and-wait-for-reply" => {
                let node = self.send(props, span, catalog);
                self.g
                    .set(slots[0], name, node, slots.get(1).copied(), span);
                let timeout = self.seconds(props, span, DEFAULT_TIMEOUT_SECONDS, "reply");
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
            "gather-input-on-call" => {
                // The caller presses keys or speaks within the timeout, or does not: a wait,
                // then a split over the outcomes.
                let duration = self.seconds(props, span, DEFAULT_GATHER_SECONDS, "input");
                let wait = NodeKind::Wait { duration };
                self.g
                    .set(slots[0], name, wait, slots.get(1).copied(), span);
                let targets = self.run_targets(s);
                let (node, next) = self.split(targets, kind, span);
                if let Some(&w) = slots.get(1) {
                    self.g.set(w, &format!("{name}/input"), node, next, span);
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
                match kind {
                    "run-subflow" => {
                        let sid = str_of(props, "flow_sid");
                        let label = if sid.is_empty() { name } else { sid };
                        self.subflows.push((format!("`{label}`"), span));
                    }
                    "send-to-flex" => self.agents.push((format!("`{name}`"), span)),
                    k if !widgets::known(k) => {
                        let k = format!("`{}`", crate::diagnostic::quote(str_of(s, "type")));
                        if !self.unknown.iter().any(|(t, _)| *t == k) {
                            self.unknown.push((k, span));
                        }
                    }
                    _ => {}
                }
                self.step(s, slots[0], name, kind, span);
            }
        }
    }

    /// A widget with no messaging effect: a step that follows the transitions a run can take
    /// (a split with equal weights when they lead to different states).
    fn step(&mut self, s: &Value, slot: usize, name: &str, kind: &str, span: Option<Span>) {
        let targets = self.run_targets(s);
        let (node, next) = self.split(targets, kind, span);
        self.g.set(slot, name, node, next, span);
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
                    let label = format!("`{}`", crate::diagnostic::quote(sid));
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

    /// The widget's `timeout` property in seconds (`default` when absent); a located problem
    /// when it cannot be a duration.
    fn seconds(&mut self, props: &Value, span: Option<Span>, default: i64, what: &str) -> Duration {
        match duration(props.get("timeout"), 1) {
            Ok(Some(d)) => d,
            Ok(None) => Duration::seconds(default),
            Err(bad) => {
                let at = span.map_or(0, |s| s.offset);
                self.problems.push(
                    Problem::new(
                        "flowcost::bad-duration",
                        bad.describe(&format!("the {what} `timeout`")),
                    )
                    .at(
                        self.loc.any_after(at, "timeout", at + 20_000).or(span),
                        "not a timeout",
                    )
                    .help("Studio writes the timeout in seconds, like \"3600\", from 1 to 100 years' worth"),
                );
                Duration::seconds(default)
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
        let none = self.g.end();
        let (node, next) = fork(targets, kind, none, true);
        if matches!(node, NodeKind::Split { .. }) {
            self.guessed.push(span);
        }
        (node, next)
    }

    fn report(&mut self) {
        if let Some(n) = super::uncategorised_note(
            &self.unmapped,
            "pass --templates FILE with an entry per template: `order_update: { category: utility, content_sid: HX… }`",
        ) {
            self.notes.push(n);
        }
        // (found, code, what one is, what several are, help)
        let lists = [
            (
                std::mem::take(&mut self.others),
                "sends-to-others",
                "`send-message` widget messages someone other than the contact (its `to`); it is kept as a step",
                "`send-message` widgets message someone other than the contact (their `to`); they are kept as steps",
                "flowcost bills one customer's path; audit the flow those people get on its own",
            ),
            (
                std::mem::take(&mut self.subflows),
                "missing-subflow",
                "`run-subflow` widget runs another flow, whose messages are not counted",
                "`run-subflow` widgets run other flows, whose messages are not counted",
                "import each sub-flow on its own and add its cost",
            ),
            (
                std::mem::take(&mut self.agents),
                "hands-off",
                "widget hands the conversation to agents (`send-to-flex`); what agents send is not counted",
                "widgets hand the conversation to agents (`send-to-flex`); what agents send is not counted",
                "agents' replies are free-form (service) messages; count them with `flowcost replay` on the message log",
            ),
            (
                std::mem::take(&mut self.unknown),
                "unknown-widget",
                "widget type is one flowcost does not know; kept as a step that follows its transitions",
                "widget types are ones flowcost does not know; kept as steps that follow their transitions",
                "if such a widget sends a message, that message is not counted; please report the type",
            ),
        ];
        for (list, code, one, several, help) in lists {
            let Some(&(_, first)) = list.first() else {
                continue;
            };
            let n = list.len();
            let names: Vec<&str> = list.iter().map(|(l, _)| l.as_str()).collect();
            self.notes.push(
                note(
                    code,
                    format!(
                        "{n} {}: {}",
                        if n == 1 { one } else { several },
                        names.join(", ")
                    ),
                )
                .at(first, "the first of them")
                .help(help),
            );
        }
        let note = super::equal_weights_note(&self.guessed, "widget", "branch");
        self.notes.extend(note);
    }
}
