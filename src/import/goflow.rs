//! goflow flow definitions (RapidPro, TextIt, glific; spec 13.x and 14.x) → [`Flow`].
//!
//! Each goflow node becomes one flowcost node per action, then one for its router: `send_msg`
//! with a template → `send_update`, without → `send_message`; glific's
//! `send_interactive_msg` → `send_message` and `wait_for_time` → `wait`; `enter_flow` into a
//! flow of the same file → a copy of that flow whose ends return to the caller; every other
//! action → a `step`. A router with a `msg` wait → `wait_for_reply` (its timeout category, or,
//! without a timeout, the flow's expiry ending the path) followed by a split over the reply
//! categories; a `random` router or a `switch` without a wait → a split with equal weights.

use super::graph::{short, slug, Graph};
use super::json::{duration, list, str_of};
use super::locate::Locator;
use super::{legacy, note, template_key, ImportOptions};
use crate::diagnostic::{LoadError, Problem, SourceFile};
use crate::flow::spans::Span;
use crate::flow::{Branch, Catalog, Flow, NodeKind, Trigger};
use chrono::Duration;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// A run with no timeout on its wait expires after this long unless the flow says otherwise
/// (`expire_after_minutes`; RapidPro's default is 7 days).
const DEFAULT_EXPIRY_MINUTES: i64 = 10_080;
/// The spec versions read.
const SUPPORTED: &str = "goflow spec_version 13.x and 14.x";

type Converted = (Flow, Vec<Problem>);

/// Converts a goflow export (`{"flows": [...]}`, RapidPro's `{"version", "flows"}` wrapper,
/// glific's export whose flows wrap their definition in `definition`, or a bare flow) into a
/// flow; a legacy RapidPro flow of such an export goes through [`super::legacy`].
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
    let mut loc = Locator::new(&file.text);
    let entries: Vec<&Value> = match root {
        // RapidPro's API answers `{"results": [{"definition": …}]}`.
        Value::Object(m) => match m.get("flows").or_else(|| m.get("results")) {
            Some(Value::Array(a)) => a.iter().filter(|f| f.is_object()).collect(),
            Some(_) => {
                return Err(fail(
                    Problem::new("flowcost::wrong-type", "`flows` must be a list of flows")
                        .at(loc.first("\"flows\""), "not a list")
                        .help("a goflow export is `{\"flows\": [ {flow}, … ]}`"),
                ))
            }
            None => vec![root],
        },
        _ => {
            return Err(fail(
                Problem::new("flowcost::wrong-type", "a goflow export is a JSON object")
                    .help("export the flow again from RapidPro, TextIt or glific"),
            ))
        }
    };
    if entries.is_empty() {
        return Err(fail(
            Problem::new("flowcost::empty-flow", "the export holds no flows")
                .at(loc.first("\"flows\""), "empty")
                .help("export at least one flow"),
        ));
    }
    let defs: Vec<&Value> = entries.iter().map(|e| definition(e)).collect();
    let labels: Vec<String> = defs
        .iter()
        .map(|f| {
            let (name, uuid) = identity(f);
            format!("`{name}` ({uuid})")
        })
        .collect();
    let chosen = match &options.flow {
        None => 0,
        Some(sel) => match defs.iter().position(|f| {
            let (name, uuid) = identity(f);
            name == sel || uuid == sel
        }) {
            Some(i) => i,
            None => {
                return Err(fail(
                    Problem::new(
                        "flowcost::unknown-flow",
                        format!("no flow of this file is named or has the UUID `{sel}`"),
                    )
                    .help(format!("the file holds: {}", labels.join(", "))),
                ))
            }
        },
    };
    let mut notes = Vec::new();
    let (name, uuid) = identity(defs[chosen]);
    if defs.len() > 1 {
        notes.push(
            note(
                "several-flows",
                format!(
                    "the file holds {} flows: {}; importing `{name}`",
                    defs.len(),
                    labels.join(", ")
                ),
            )
            .at(loc.value("uuid", uuid), "this one")
            .help("pick another with --flow NAME|UUID"),
        );
    }
    let flow = defs[chosen];
    let declared = declared_trigger(root, entries[chosen], uuid, &mut loc);
    if legacy::is_legacy(flow) {
        if let Some(p) = legacy_voice(flow, entries[chosen], &mut loc) {
            return Err(fail(p));
        }
        let built = legacy::convert(&file.text, &defs, chosen, notes, options.limits.nodes);
        let guess = if built.sends {
            (
                Trigger::CustomerMessage,
                "its first send is free-form, as in a keyword-triggered flow",
            )
        } else {
            (Trigger::CustomerMessage, "it sends nothing")
        };
        let mut notes = built.notes;
        let source = "a legacy RapidPro flow";
        let trigger = decide_trigger(options.trigger, declared, guess, source, &mut notes);
        let version = match root.get("version").or_else(|| flow.get("version")) {
            Some(Value::String(s)) => s.clone(),
            Some(v) if !v.is_null() => v.to_string(),
            _ => "unknown".into(),
        };
        let description = match uuid {
            "" => format!("Imported from a legacy RapidPro flow (export version {version})"),
            _ => format!("Imported from legacy RapidPro flow {uuid} (export version {version})"),
        };
        let flow = super::finish(
            file,
            built.nodes,
            built.problems,
            name.to_string(),
            description,
            trigger,
            catalog.cloned().unwrap_or_default(),
        )?;
        return Ok((flow, notes));
    }
    check_spec(flow, &mut loc).map_err(fail)?;
    if flow.get("type").and_then(Value::as_str) == Some("voice") {
        return Err(fail(
            Problem::new(
                "flowcost::unsupported-flow",
                format!("`{name}` is a voice flow"),
            )
            .at(loc.value("uuid", uuid), "a voice flow")
            .help("flowcost audits messaging flows; pick one with --flow"),
        ));
    }
    let templates = catalog.cloned().unwrap_or_default();
    let mut conv = Conv {
        loc,
        g: Graph::limited(options.limits.nodes),
        problems: Vec::new(),
        notes,
        catalog: &templates,
        flows: defs
            .iter()
            .filter_map(|f| Some((f.get("uuid")?.as_str()?, *f)))
            .collect(),
        unmapped: Vec::new(),
        guessed: Vec::new(),
        others: Vec::new(),
        dials: Vec::new(),
        max_nodes: options.limits.nodes,
    };
    let mut stack = Vec::new();
    let start = conv.copy(flow, "", None, &mut stack);
    if start.is_none() && conv.problems.is_empty() {
        let p = Problem::new(
            "flowcost::empty-flow",
            format!("the flow `{name}` has no nodes"),
        )
        .at(conv.loc.value("uuid", uuid), "no nodes")
        .help("there is nothing to simulate; pick another flow with --flow");
        conv.problems.push(p);
    }
    conv.report_unmapped();
    conv.report_guessed();
    conv.report_others();
    let source = "a goflow export";
    let guess = guess_trigger(flow);
    let trigger = decide_trigger(options.trigger, declared, guess, source, &mut conv.notes);
    let Conv {
        g,
        mut problems,
        notes,
        ..
    } = conv;
    problems.extend(g.too_many());
    let spec = flow
        .get("spec_version")
        .and_then(Value::as_str)
        .unwrap_or("13");
    let description = format!("Imported from goflow flow {uuid} (spec {spec})");
    let flow = super::finish(
        file,
        g.finish(),
        problems,
        name.to_string(),
        description,
        trigger,
        templates,
    )?;
    Ok((flow, notes))
}

/// A flow of an export: its `definition` when the export wraps it (glific's exports, RapidPro
/// exports older than version 7), else the flow itself.
fn definition(entry: &Value) -> &Value {
    entry
        .get("definition")
        .filter(|d| d.is_object())
        .unwrap_or(entry)
}

/// A legacy voice flow (`flow_type` `V` on the definition, or beside it in older exports),
/// refused.
fn legacy_voice(flow: &Value, entry: &Value, loc: &mut Locator) -> Option<Problem> {
    (str_of(flow, "flow_type") == "V" || str_of(entry, "flow_type") == "V").then(|| {
        let (mut name, uuid) = legacy::identity(flow);
        if name.is_empty() {
            name = str_of(entry, "name");
        }
        Problem::new(
            "flowcost::unsupported-flow",
            format!("`{name}` is a voice flow (legacy `flow_type` V)"),
        )
        .at(
            loc.value("uuid", uuid)
                .or_else(|| loc.value("flow_type", "V")),
            "a voice flow",
        )
        .help("flowcost audits messaging flows; pick one with --flow")
    })
}

/// How the export says the flow starts, and why: glific's `keywords` beside the flow, or
/// RapidPro's `triggers` for it (keyword, catch-all, new conversation and opt-in triggers answer
/// a customer message; a referral is an ad click; a schedule starts it itself).
fn declared_trigger(
    root: &Value,
    entry: &Value,
    uuid: &str,
    loc: &mut Locator,
) -> Option<(Trigger, String, Option<Span>)> {
    let keywords: Vec<&str> = list(entry, "keywords")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if let Some(first) = keywords.first() {
        let shown: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
        return Some((
            Trigger::CustomerMessage,
            format!(
                "glific starts it on the keyword{} {}",
                if keywords.len() == 1 { "" } else { "s" },
                shown.join(", ")
            ),
            loc.first(&format!("\"{first}\"")),
        ));
    }
    for t in list(root, "triggers") {
        let flow = t.get("flow").unwrap_or(&Value::Null);
        if uuid.is_empty() || str_of(flow, "uuid") != uuid {
            continue;
        }
        let keyword = str_of(t, "keyword");
        let (trigger, why) = match str_of(t, "trigger_type") {
            "K" => (
                Trigger::CustomerMessage,
                format!("its keyword trigger `{keyword}` starts it"),
            ),
            "C" => (
                Trigger::CustomerMessage,
                "its catch-all trigger starts it on any message".into(),
            ),
            "N" => (
                Trigger::CustomerMessage,
                "its new-conversation trigger starts it".into(),
            ),
            "O" => (
                Trigger::CustomerMessage,
                "its opt-in trigger starts it".into(),
            ),
            "R" => (
                Trigger::AdClick,
                "its referral trigger starts it (an ad click)".into(),
            ),
            "S" => (Trigger::Schedule, "its schedule trigger starts it".into()),
            _ => continue,
        };
        return Some((
            trigger,
            why,
            loc.value("trigger_type", str_of(t, "trigger_type")),
        ));
    }
    None
}

/// The trigger: `--trigger`, else what the export declares (noted), else the guess (noted).
fn decide_trigger(
    given: Option<Trigger>,
    declared: Option<(Trigger, String, Option<Span>)>,
    guess: (Trigger, &str),
    source: &str,
    notes: &mut Vec<Problem>,
) -> Trigger {
    if let Some(t) = given {
        return t;
    }
    let help = "pass --trigger customer_message|ad_click|business_event|schedule to choose";
    match declared {
        Some((t, why, span)) => {
            notes.push(
                note(
                    "declared-trigger",
                    format!("the flow starts as `{}`: {why}", trigger_name(t)),
                )
                .at(span, "here")
                .help(help),
            );
            t
        }
        None => {
            let (t, why) = guess;
            notes.push(
                note(
                    "assumed-trigger",
                    format!(
                        "{source} does not say how the flow starts; assuming `{}` ({why})",
                        trigger_name(t)
                    ),
                )
                .help(help),
            );
            t
        }
    }
}

fn trigger_name(t: Trigger) -> &'static str {
    match t {
        Trigger::CustomerMessage => "customer_message",
        Trigger::AdClick => "ad_click",
        Trigger::BusinessEvent => "business_event",
        Trigger::Schedule => "schedule",
    }
}

/// A flow whose first send is a template is started by the business (it could not send one
/// otherwise); one whose first send is free-form can only run inside a window the customer
/// opened, so it answers a customer message (a keyword trigger).
fn guess_trigger(flow: &Value) -> (Trigger, &'static str) {
    let actions = flow
        .get("nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|n| n.get("actions").and_then(Value::as_array))
        .flatten();
    for a in actions {
        match a.get("type").and_then(Value::as_str) {
            Some("send_msg") if template_ref(a).is_some() => {
                return (Trigger::BusinessEvent, "its first send is a template")
            }
            Some("send_msg" | "send_interactive_msg") => {
                return (
                    Trigger::CustomerMessage,
                    "its first send is free-form, as in a keyword-triggered flow",
                )
            }
            _ => {}
        }
    }
    (Trigger::CustomerMessage, "it sends nothing")
}

/// A flow's name and UUID (legacy flows keep them under `metadata`).
fn identity(flow: &Value) -> (&str, &str) {
    let get = |k: &str| {
        flow.get(k)
            .or_else(|| flow.get("metadata").and_then(|m| m.get(k)))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    (get("name"), get("uuid"))
}

/// Refuses spec versions other than 13 and 14 (legacy definitions go to [`legacy`] first).
// Called once per file: the size of the error does not matter.
#[allow(clippy::result_large_err)]
fn check_spec(flow: &Value, loc: &mut Locator) -> Result<(), Problem> {
    let (name, uuid) = identity(flow);
    let Some(spec) = flow.get("spec_version").and_then(Value::as_str) else {
        if flow.get("nodes").is_some() {
            return Ok(()); // bare definitions from some tools omit it; read them as 13.x
        }
        return Err(Problem::new(
            "flowcost::unsupported-spec",
            match name {
                "" => "this definition has neither `spec_version` nor `nodes`: it is not a goflow flow".to_string(),
                _ => format!("`{name}` has neither `spec_version` nor `nodes`: it is not a goflow flow"),
            },
        )
        .at(loc.value("uuid", uuid), "this flow")
        .help(format!("flowcost reads {SUPPORTED}")));
    };
    let major = spec.split('.').next().and_then(|m| m.parse::<u32>().ok());
    if matches!(major, Some(13 | 14)) {
        return Ok(());
    }
    Err(Problem::new(
        "flowcost::unsupported-spec",
        format!("`{name}` has spec_version {spec}; flowcost reads {SUPPORTED}"),
    )
    .at(loc.value("spec_version", spec), "unsupported version")
    .help("export the flow from a RapidPro or TextIt that writes spec 13 or 14"))
}

/// The template a `send_msg` names: spec 13 `templating.template`, spec 14 `template`.
fn template_ref(action: &Value) -> Option<(Option<&str>, Option<&str>)> {
    let t = action
        .get("templating")
        .and_then(|t| t.get("template"))
        .or_else(|| action.get("template"))
        .filter(|t| t.is_object())?;
    Some((
        t.get("name").and_then(Value::as_str),
        t.get("uuid").and_then(Value::as_str),
    ))
}

struct Conv<'a> {
    loc: Locator<'a>,
    g: Graph,
    problems: Vec<Problem>,
    notes: Vec<Problem>,
    catalog: &'a Catalog,
    /// Flows of the file by UUID, for `enter_flow`.
    flows: HashMap<&'a str, &'a Value>,
    /// Templates not in the catalog: (label, where first used).
    unmapped: Vec<(String, Option<Span>)>,
    /// Splits whose weights were assumed equal.
    guessed: Vec<Option<Span>>,
    /// Messages to other contacts (`send_broadcast`), kept as steps: their node ids.
    others: Vec<(String, Option<Span>)>,
    /// Routers that wait for a phone call (`dial`), kept as splits over their outcomes.
    dials: Vec<Option<Span>>,
    /// Most nodes the imported flow may have (`FLOWCOST_MAX_NODES`).
    max_nodes: usize,
}

/// Where the paths of a flow copy go when they finish: the caller's continuation, or `end`.
type Return = Option<usize>;

impl<'a> Conv<'a> {
    /// Copies `flow` into the graph; returns its entry, or `None` when it has no nodes.
    fn copy(
        &mut self,
        flow: &'a Value,
        prefix: &str,
        ret: Return,
        stack: &mut Vec<(&'a str, usize)>,
    ) -> Option<usize> {
        let all = list(flow, "nodes");
        // An entry that is not an object (`null`, a number) is no node: skipped, and said.
        let nodes: Vec<&'a Value> = all.iter().filter(|n| n.is_object()).collect();
        if nodes.len() < all.len() {
            let (name, uuid) = identity(flow);
            let skipped = all.len() - nodes.len();
            let at = self.loc.value("uuid", uuid);
            self.notes
                .push(super::skipped_note(skipped, "`nodes`", name, at));
        }
        if nodes.is_empty() {
            return None;
        }
        if self.g.len() + nodes.len() > self.max_nodes {
            let (name, uuid) = identity(flow);
            let p = Problem::new(
                "flowcost::import-too-large",
                format!(
                    "copying sub-flow `{name}` at each call would exceed {} nodes",
                    self.max_nodes
                ),
            )
            .at(self.loc.value("uuid", uuid), "this flow")
            .help("import the sub-flows on their own, or raise the limit with FLOWCOST_MAX_NODES");
            self.problems.push(p);
            return None;
        }
        let mut entries: HashMap<&str, usize> = HashMap::with_capacity(nodes.len());
        let mut slots = Vec::with_capacity(nodes.len());
        for &n in &nodes {
            let count = (list(n, "actions").len() + usize::from(has_router(n))).max(1);
            let s: Vec<usize> = (0..count).map(|_| self.g.reserve()).collect();
            let uuid = str_of(n, "uuid");
            // A node without a UUID cannot be an exit's destination; it is reached only as
            // the first node.
            if !uuid.is_empty() && entries.insert(uuid, s[0]).is_some() {
                let p = Problem::new(
                    "flowcost::duplicate-id",
                    format!("two nodes have the UUID `{uuid}`"),
                )
                .at(self.loc.value("uuid", uuid), "repeated")
                .help("node UUIDs must be unique; export the flow again");
                self.problems.push(p);
            }
            slots.push(s);
        }
        let start = slots[0][0];
        stack.push((str_of(flow, "uuid"), start));
        let expiry = self.expiry(flow);
        let scope = Scope {
            prefix,
            ret,
            entries: &entries,
            expiry,
        };
        for (n, s) in nodes.iter().copied().zip(&slots) {
            self.node(n, s, &scope, stack);
        }
        stack.pop();
        Some(start)
    }

    /// The run's expiry, `expire_after_minutes`, or 7 days (with a note when the value cannot be
    /// used).
    fn expiry(&mut self, flow: &Value) -> Duration {
        match duration(flow.get("expire_after_minutes"), 60) {
            Ok(Some(d)) => d,
            Ok(None) => Duration::minutes(DEFAULT_EXPIRY_MINUTES),
            Err(bad) => {
                let at = self.loc.first("\"expire_after_minutes\"").and_then(|k| {
                    self.loc
                        .any_after(k.offset, "expire_after_minutes", k.offset + 200)
                });
                let editor = "goflow";
                self.notes.push(super::bad_expiry_note(
                    &bad,
                    "expire_after_minutes",
                    at,
                    editor,
                ));
                Duration::minutes(DEFAULT_EXPIRY_MINUTES)
            }
        }
    }

    fn after(&mut self, ret: Return) -> usize {
        ret.unwrap_or_else(|| self.g.end())
    }

    /// Where an exit leads; `None` only when it dangles (reported).
    fn dest(&mut self, exit: &Value, scope: &Scope) -> Option<usize> {
        match exit.get("destination_uuid") {
            None | Some(Value::Null) => Some(self.after(scope.ret)),
            Some(Value::String(d)) => {
                if let Some(&i) = scope.entries.get(d.as_str()) {
                    return Some(i);
                }
                let exit_at = self.loc.value("uuid", str_of(exit, "uuid"));
                let span = exit_at.and_then(|s| {
                    self.loc
                        .value_after(s.offset, "destination_uuid", s.offset + 400)
                });
                let p = Problem::new(
                    "flowcost::dangling-reference",
                    format!("no node of this flow has the UUID `{d}`"),
                )
                .at(span.or(exit_at), "no such node")
                .help("the exit points at a node that is not in the flow; export the flow again");
                self.problems.push(p);
                None
            }
            Some(_) => {
                let p = Problem::new(
                    "flowcost::wrong-type",
                    "`destination_uuid` must be a UUID or null",
                )
                .at(self.loc.value("uuid", str_of(exit, "uuid")), "this exit");
                self.problems.push(p);
                None
            }
        }
    }

    fn node(
        &mut self,
        n: &'a Value,
        slots: &[usize],
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) {
        let uuid = str_of(n, "uuid");
        let span = self.loc.value("uuid", uuid);
        let actions = list(n, "actions");
        let router = n.get("router").filter(|r| r.is_object());
        // Without a router, the node continues at its (first) exit.
        let exit_target = match router {
            Some(_) => None,
            None => match list(n, "exits").first() {
                Some(e) => self.dest(e, scope),
                None => Some(self.after(scope.ret)),
            },
        };
        if actions.is_empty() && router.is_none() {
            let id = if uuid.is_empty() {
                format!("{}node-{}", scope.prefix, slots[0] + 1)
            } else {
                format!("{}node-{}", scope.prefix, short(uuid))
            };
            self.g.set(
                slots[0],
                &id,
                NodeKind::Step { action: None },
                exit_target,
                span,
            );
            return;
        }
        for (i, a) in actions.iter().enumerate() {
            let next = slots.get(i + 1).copied().or(exit_target);
            self.action(a, slots[i], next, scope, stack);
        }
        if let (Some(r), Some(&slot)) = (router, slots.last()) {
            self.router(n, r, slot, span, scope);
        }
    }

    fn action(
        &mut self,
        a: &'a Value,
        slot: usize,
        next: Option<usize>,
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) {
        let kind = str_of(a, "type");
        let auuid = str_of(a, "uuid");
        let span = self.loc.value("uuid", auuid);
        let label = if kind.is_empty() { "action" } else { kind };
        // An action without a UUID is named by its place (its node's first slot).
        let id = if auuid.is_empty() {
            format!("{}{label}-{}", scope.prefix, slot + 1)
        } else {
            format!("{}{label}-{}", scope.prefix, short(auuid))
        };
        let step = |action: &str| NodeKind::Step {
            action: Some(action.to_string()),
        };
        let (node, next) = match kind {
            "send_msg" => match template_ref(a) {
                Some((name, tuuid)) => match template_key(self.catalog, name, tuuid) {
                    Some(key) => (
                        NodeKind::SendUpdate {
                            template: Some(key),
                            category: None,
                            uncategorised: false,
                        },
                        next,
                    ),
                    // Not in the catalog: imported with its category unknown.
                    None => {
                        let label = match (name, tuuid) {
                            (Some(n), Some(u)) => format!("`{n}` ({u})"),
                            (Some(n), None) => format!("`{n}`"),
                            (None, Some(u)) => format!("`{u}`"),
                            (None, None) => "an unnamed template".into(),
                        };
                        if !self.unmapped.iter().any(|(l, _)| *l == label) {
                            self.unmapped.push((label, span));
                        }
                        let key = name.filter(|n| !n.trim().is_empty()).or(tuuid);
                        (
                            NodeKind::SendUpdate {
                                template: key.map(str::to_string),
                                category: None,
                                uncategorised: true,
                            },
                            next,
                        )
                    }
                },
                None => (
                    NodeKind::SendMessage {
                        text: a.get("text").and_then(Value::as_str).map(str::to_string),
                    },
                    next,
                ),
            },
            "send_interactive_msg" => (
                NodeKind::SendMessage {
                    text: a
                        .get("name")
                        .or_else(|| a.get("text"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                },
                next,
            ),
            "wait_for_time" => {
                let at = span.map_or(0, |s| s.offset);
                match duration(a.get("delay"), 1) {
                    Ok(Some(d)) => (NodeKind::Wait { duration: d }, next),
                    bad => {
                        let why = match bad {
                            Err(b) => b.describe("`delay`"),
                            _ => "the wait has no `delay`".into(),
                        };
                        let p = Problem::new("flowcost::bad-duration", why)
                            .at(
                                self.loc.any_after(at, "delay", at + 400).or(span),
                                "not a delay",
                            )
                            .help("glific writes the delay in seconds, like \"1800\"");
                        self.problems.push(p);
                        (step("wait_for_time"), next)
                    }
                }
            }
            "send_broadcast" => {
                self.others.push((format!("`{id}`"), span));
                (step("send_broadcast"), next)
            }
            "enter_flow" => (
                step("enter_flow"),
                self.enter_flow(a, span, next, scope, stack),
            ),
            _ => (step(if kind.is_empty() { "action" } else { kind }), next),
        };
        self.g.set(slot, &id, node, next, span);
    }

    /// Where an `enter_flow` leads: a copy of the sub-flow returning to `next`, a jump back when
    /// the sub-flow is already running (recursion), or straight to `next` when it is not here.
    fn enter_flow(
        &mut self,
        a: &'a Value,
        span: Option<Span>,
        next: Option<usize>,
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) -> Option<usize> {
        let target = a.get("flow").map_or("", |f| str_of(f, "uuid"));
        let name = a.get("flow").map_or("", |f| str_of(f, "name"));
        let sub = match super::enter(
            &self.flows,
            stack,
            (target, name),
            span,
            (&mut self.notes, &mut self.problems),
        ) {
            super::Entered::Copy(sub) => sub,
            super::Entered::Jump(start) => return Some(start),
            super::Entered::Skip => return next,
        };
        if legacy::is_legacy(sub) {
            self.notes.push(
                note(
                    "missing-subflow",
                    format!("the sub-flow `{name}` is a legacy flow entered from a goflow flow: the messages it sends are not counted"),
                )
                .at(span, "not imported")
                .help("import it on its own"),
            );
            return next;
        }
        if let Err(p) = check_spec(sub, &mut self.loc) {
            self.problems.push(p);
            return next;
        }
        let prefix = format!("{}{}/", scope.prefix, slug(name));
        self.copy(sub, &prefix, next, stack).or(next)
    }

    fn router(
        &mut self,
        n: &'a Value,
        r: &'a Value,
        slot: usize,
        span: Option<Span>,
        scope: &Scope,
    ) {
        let uuid = short(str_of(n, "uuid")).to_string();
        let exits = list(n, "exits");
        // Routers of older editors have no categories: each exit is one.
        let synthesized: Vec<Value>;
        let categories: &[Value] = match r.get("categories").and_then(Value::as_array) {
            Some(c) => c,
            None => {
                synthesized = exits
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "uuid": str_of(e, "uuid"),
                            "name": str_of(e, "name"),
                            "exit_uuid": str_of(e, "uuid"),
                        })
                    })
                    .collect();
                &synthesized
            }
        };
        // Exits by UUID: a router may have thousands of categories.
        let mut by_uuid: HashMap<&str, &Value> = HashMap::with_capacity(exits.len());
        for e in exits {
            by_uuid.entry(str_of(e, "uuid")).or_insert(e);
        }
        let target = |conv: &mut Self, cat: &Value| -> Option<usize> {
            let exit_uuid = str_of(cat, "exit_uuid");
            match by_uuid.get(exit_uuid) {
                Some(e) => conv.dest(e, scope),
                None => {
                    let p = Problem::new(
                        "flowcost::dangling-reference",
                        format!(
                            "the category `{}` leads to no exit of its node",
                            str_of(cat, "name")
                        ),
                    )
                    .at(
                        conv.loc.value("exit_uuid", exit_uuid).or(span),
                        "no such exit",
                    )
                    .help("each category's `exit_uuid` must name one of the node's `exits`");
                    conv.problems.push(p);
                    None
                }
            }
        };
        let wait = r.get("wait").filter(|w| w.is_object());
        let dial = wait.is_some_and(|w| str_of(w, "type") == "dial");
        if dial {
            // A phone call's outcome is no message from the customer: a split over outcomes.
            self.dials.push(span);
        }
        if let Some(w) = wait.filter(|_| !dial) {
            let timeout = w.get("timeout").filter(|t| t.is_object());
            let timeout_cat = timeout.map(|t| {
                let c = str_of(t, "category_uuid");
                if c.is_empty() {
                    str_of(t, "exit_uuid")
                } else {
                    c
                }
            });
            let (timeout, on_timeout) = match timeout {
                Some(t) => {
                    let secs = self.timeout(t, span);
                    let cat = categories
                        .iter()
                        .find(|c| Some(str_of(c, "uuid")) == timeout_cat);
                    let on = match cat {
                        Some(c) => target(self, c),
                        None => {
                            let p = Problem::new(
                                "flowcost::dangling-reference",
                                "the wait's timeout category is not one of the router's categories",
                            )
                            .at(
                                timeout_cat
                                    .and_then(|c| self.loc.value("category_uuid", c))
                                    .or(span),
                                "no such category",
                            )
                            .help("`timeout.category_uuid` must name a category of the router");
                            self.problems.push(p);
                            None
                        }
                    };
                    (secs, on)
                }
                // No timeout: the run waits until it expires, and the silent path ends there.
                None => (scope.expiry, Some(self.g.end())),
            };
            let replies: Vec<Option<usize>> = categories
                .iter()
                .filter(|c| Some(str_of(c, "uuid")) != timeout_cat)
                .map(|c| target(self, c))
                .collect();
            let on_reply = self.branches(
                replies,
                &format!("{}reply-{uuid}", scope.prefix),
                span,
                scope,
            );
            let id = format!("{}wait-{uuid}", scope.prefix);
            let kind = NodeKind::WaitForReply {
                timeout,
                on_reply,
                on_timeout,
            };
            self.g.set(slot, &id, kind, None, span);
            return;
        }
        let operand = str_of(r, "operand");
        let chosen = if operand.starts_with("@child") {
            completed_category(r)
        } else {
            None
        };
        let targets: Vec<Option<usize>> = match chosen {
            // A sub-flow copy only returns when it completed (an expired run ends its path).
            Some(c) => vec![target(self, c)],
            None => categories.iter().map(|c| target(self, c)).collect(),
        };
        let guessed = str_of(r, "type") != "random" && chosen.is_none();
        let id = format!("{}split-{uuid}", scope.prefix);
        let (kind, next) = self.split_kind(targets, guessed, span, scope);
        self.g.set(slot, &id, kind, next, span);
    }

    /// A reply wait's timeout, `seconds`; a located problem when it cannot be used.
    fn timeout(&mut self, t: &Value, span: Option<Span>) -> Duration {
        match duration(t.get("seconds"), 1) {
            Ok(Some(d)) => d,
            bad => {
                let why = match bad {
                    Err(b) => b.describe("the wait's `timeout.seconds`"),
                    _ => "the wait's timeout has no `seconds`".into(),
                };
                let at = span.map_or(0, |s| s.offset);
                let p = Problem::new("flowcost::bad-duration", why)
                    .at(
                        self.loc.any_after(at, "seconds", at + 20_000).or(span),
                        "not a timeout",
                    )
                    .help(
                        "goflow writes timeouts in seconds, from 1 to 100 years' worth, like 300",
                    );
                self.problems.push(p);
                Duration::seconds(1)
            }
        }
    }

    /// A node choosing among `targets` with equal weights, appended; or the one target.
    fn branches(
        &mut self,
        targets: Vec<Option<usize>>,
        id: &str,
        span: Option<Span>,
        scope: &Scope,
    ) -> Option<usize> {
        match self.split_kind(targets, true, span, scope) {
            (NodeKind::Step { .. }, next) => next,
            (kind, _) => Some(self.g.push(id, kind, None, span)),
        }
    }

    /// A split with equal weights over the distinct targets, or a step when there is one.
    fn split_kind(
        &mut self,
        targets: Vec<Option<usize>>,
        guessed: bool,
        span: Option<Span>,
        scope: &Scope,
    ) -> (NodeKind, Option<usize>) {
        let resolved: Vec<usize> = targets.into_iter().flatten().collect();
        let mut distinct = resolved.clone();
        distinct.sort_unstable();
        distinct.dedup();
        match distinct.len() {
            0 => (
                NodeKind::Step {
                    action: Some("router".into()),
                },
                Some(self.after(scope.ret)),
            ),
            1 => (
                NodeKind::Step {
                    action: Some("router".into()),
                },
                Some(distinct[0]),
            ),
            _ => {
                if guessed {
                    self.guessed.push(span);
                }
                let branches = resolved
                    .into_iter()
                    .map(|to| Branch { to, weight: 1.0 })
                    .collect();
                (NodeKind::Split { branches, guessed }, None)
            }
        }
    }

    fn report_unmapped(&mut self) {
        if let Some(n) = super::uncategorised_note(
            &self.unmapped,
            "pass --templates FILE mapping each template name (or UUID) to its category, like `affirmation: marketing`",
        ) {
            self.notes.push(n);
        }
    }

    /// Notes for messages to other contacts and for phone-call waits.
    fn report_others(&mut self) {
        self.notes
            .extend(super::sends_to_others_note("send_broadcast", &self.others));
        if let Some(&first) = self.dials.first() {
            self.notes.push(
                note(
                    "dial",
                    format!(
                        "{} router{} wait for a phone call to end, not for a message: its outcomes are a split with equal shares",
                        self.dials.len(),
                        if self.dials.len() == 1 { "" } else { "s" }
                    ),
                )
                .at(first, "the first of them"),
            );
        }
    }

    fn report_guessed(&mut self) {
        let note = super::equal_weights_note(&self.guessed, "router", "category");
        self.notes.extend(note);
    }
}

/// What a copy of a flow needs to resolve its references.
struct Scope<'s> {
    prefix: &'s str,
    ret: Return,
    entries: &'s HashMap<&'s str, usize>,
    expiry: Duration,
}

fn has_router(n: &Value) -> bool {
    n.get("router").is_some_and(Value::is_object)
}

/// The category of a `@child…` router that a completed sub-flow takes.
fn completed_category(r: &Value) -> Option<&Value> {
    let categories = list(r, "categories");
    let by_name = categories.iter().find(|c| {
        let n = str_of(c, "name").to_ascii_lowercase();
        n == "complete" || n == "completed"
    });
    by_name.or_else(|| {
        let case = list(r, "cases").iter().find(|c| {
            list(c, "arguments")
                .iter()
                .any(|a| a.as_str() == Some("completed"))
        })?;
        let cat = str_of(case, "category_uuid");
        categories.iter().find(|c| str_of(c, "uuid") == cat)
    })
}
