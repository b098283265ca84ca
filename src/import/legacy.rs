//! Legacy RapidPro flows (export versions 3 to 11: `action_sets` and `rule_sets`) → [`Flow`]
//! nodes, as RapidPro itself still migrates them.
//!
//! An action set runs its actions in order, then goes to its `destination`: a `reply` is a
//! free-form message (legacy flows predate WhatsApp templates), a `flow` action starts another
//! flow for good (a copy of it when it is in the file), and every other action is a `step` (a
//! `send` to other contacts too: it is not a message to this customer). A rule set is a reply
//! wait (`wait_message` and the other `wait_*` types; its `timeout` rule is the timeout, else the
//! flow's expiry ends the silent path) followed by a split over its other rules; a `subflow`
//! enters its flow and goes on at the `completed` rule; a `webhook`, `resthook` or `airtime`
//! goes on at its non-failure rules; `random` splits evenly; every other type splits over its
//! rules with equal shares, which are guesses.

use super::graph::{fork, short, slug, Graph};
use super::json::{duration, list, str_of};
use super::locate::Locator;
use super::note;
use crate::diagnostic::Problem;
use crate::flow::spans::Span;
use crate::flow::{Node, NodeKind};
use chrono::Duration;
use serde_json::Value;
use std::collections::HashMap;

/// A run that waits without a timeout expires after this long unless the flow says otherwise
/// (`metadata.expires`, minutes; RapidPro's default is 7 days).
const DEFAULT_EXPIRY_MINUTES: i64 = 10_080;

/// Whether `def` is a legacy flow definition.
pub(super) fn is_legacy(def: &Value) -> bool {
    ["action_sets", "rule_sets", "rulesets"]
        .iter()
        .any(|k| def.get(*k).is_some())
}

/// A legacy definition's name and UUID (under `metadata`, or at the top).
pub(super) fn identity(def: &Value) -> (&str, &str) {
    let get = |k: &str| {
        def.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .or_else(|| def.get(k).and_then(Value::as_str))
            .unwrap_or("")
    };
    (get("name"), get("uuid"))
}

/// What the conversion built.
pub(super) struct Built {
    /// The nodes, when every one could be built.
    pub nodes: Option<Vec<Node>>,
    /// What makes the flow unusable.
    pub problems: Vec<Problem>,
    /// What had to be assumed.
    pub notes: Vec<Problem>,
    /// Whether the flow (as converted) sends a message first (before any template: legacy
    /// flows have none), for the trigger's guess.
    pub sends: bool,
}

struct Conv<'a> {
    loc: Locator<'a>,
    g: Graph,
    problems: Vec<Problem>,
    notes: Vec<Problem>,
    /// Flows of the file by UUID, for `flow` actions and `subflow` rule sets.
    flows: HashMap<&'a str, &'a Value>,
    /// Splits over guessed shares.
    guessed: Vec<Option<Span>>,
    /// Sends to other contacts, left out of this customer's path.
    others: Vec<(String, Option<Span>)>,
    max_nodes: usize,
}

/// Where the paths of a flow copy go when they finish: the caller's continuation, or `end`.
type Return = Option<usize>;

struct Scope<'s> {
    prefix: &'s str,
    ret: Return,
    entries: &'s HashMap<&'s str, usize>,
    expiry: Duration,
    language: &'s str,
}

/// Converts the legacy flow `chosen` of `defs` (the file's flows), with the notes so far.
pub(super) fn convert<'a>(
    text: &'a str,
    defs: &[&'a Value],
    chosen: usize,
    notes: Vec<Problem>,
    max_nodes: usize,
) -> Built {
    let mut conv = Conv {
        loc: Locator::new(text),
        g: Graph::limited(max_nodes),
        problems: Vec::new(),
        notes,
        flows: defs
            .iter()
            .filter_map(|d| {
                let (_, uuid) = identity(d);
                (!uuid.is_empty()).then_some((uuid, *d))
            })
            .collect(),
        guessed: Vec::new(),
        others: Vec::new(),
        max_nodes,
    };
    let def = defs[chosen];
    let mut stack = Vec::new();
    let start = conv.copy(def, "", None, &mut stack);
    if start.is_none() && conv.problems.is_empty() {
        let (name, uuid) = identity(def);
        conv.problems.push(
            Problem::new(
                "flowcost::empty-flow",
                format!("the flow `{name}` has no action sets or rule sets"),
            )
            .at(conv.loc.value("uuid", uuid), "no nodes")
            .help("there is nothing to simulate; pick another flow with --flow"),
        );
    }
    conv.report();
    conv.problems.extend(conv.g.too_many());
    let sends = first_sends(def);
    Built {
        nodes: conv.g.finish(),
        problems: conv.problems,
        notes: conv.notes,
        sends,
    }
}

/// Whether the flow's first action set (its entry, else the first) sends a message.
fn first_sends(def: &Value) -> bool {
    list(def, "action_sets")
        .iter()
        .flat_map(|a| list(a, "actions"))
        .any(|a| str_of(a, "type") == "reply")
}

/// The rule sets of a definition (`rule_sets`, or `rulesets` in the oldest exports).
fn rule_sets(def: &Value) -> &[Value] {
    let r = list(def, "rule_sets");
    if r.is_empty() {
        list(def, "rulesets")
    } else {
        r
    }
}

/// A message's text in the flow's base language (a plain string in old exports).
fn text(msg: Option<&Value>, language: &str) -> Option<String> {
    match msg? {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .get(language)
            .or_else(|| m.values().next())
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

impl<'a> Conv<'a> {
    /// Copies a legacy flow into the graph; returns its entry, or `None` when it has no nodes.
    fn copy(
        &mut self,
        def: &'a Value,
        prefix: &str,
        ret: Return,
        stack: &mut Vec<(&'a str, usize)>,
    ) -> Option<usize> {
        let actions = list(def, "action_sets");
        let rules = rule_sets(def);
        if actions.is_empty() && rules.is_empty() {
            return None;
        }
        let (name, uuid) = identity(def);
        let count: usize = actions
            .iter()
            .map(|a| list(a, "actions").len().max(1))
            .sum::<usize>()
            + rules.len();
        if self.g.len() + count > self.max_nodes {
            self.problems.push(
                Problem::new(
                    "flowcost::import-too-large",
                    format!(
                        "copying flow `{name}` at each start would exceed {} nodes",
                        self.max_nodes
                    ),
                )
                .at(self.loc.value("uuid", uuid), "this flow")
                .help("import the flows on their own, or raise the limit with FLOWCOST_MAX_NODES"),
            );
            return None;
        }
        // Objects only (an entry that is `null` or a number is no node), the entry first:
        // node 0 is where a flow starts.
        let sets: Vec<(bool, &'a Value)> = actions
            .iter()
            .map(|a| (true, a))
            .chain(rules.iter().map(|r| (false, r)))
            .filter(|(_, v)| v.is_object())
            .collect();
        if sets.len() < actions.len() + rules.len() {
            let skipped = actions.len() + rules.len() - sets.len();
            let at = self.loc.value("uuid", uuid);
            self.notes.push(super::skipped_note(
                skipped,
                "action and rule sets",
                name,
                at,
            ));
        }
        let entry = self.entry_uuid(def, &sets)?;
        let first = sets.iter().position(|(_, v)| str_of(v, "uuid") == entry);
        let order: Vec<usize> = first
            .into_iter()
            .chain((0..sets.len()).filter(|&i| Some(i) != first))
            .collect();
        let mut entries: HashMap<&str, usize> = HashMap::new();
        let mut slots: Vec<Vec<usize>> = vec![Vec::new(); sets.len()];
        for &i in &order {
            let (is_actions, v) = sets[i];
            let n = if is_actions {
                list(v, "actions").len().max(1)
            } else {
                1
            };
            slots[i] = (0..n).map(|_| self.g.reserve()).collect();
            self.enter(&mut entries, str_of(v, "uuid"), slots[i][0]);
        }
        let Some(&start) = entries.get(entry) else {
            let p = Problem::new(
                "flowcost::dangling-reference",
                format!("the flow's `entry` `{entry}` is no action or rule set"),
            )
            .at(self.loc.value("entry", entry), "no such node")
            .help("export the flow again");
            self.problems.push(p);
            return None;
        };
        stack.push((uuid, start));
        let expiry = self.expiry(def);
        let language = def
            .get("base_language")
            .and_then(Value::as_str)
            .unwrap_or("");
        let scope = Scope {
            prefix,
            ret,
            entries: &entries,
            expiry,
            language,
        };
        for (&(is_actions, v), slots) in sets.iter().zip(&slots) {
            if is_actions {
                self.action_set(v, slots, &scope, stack);
            } else {
                self.rule_set(v, slots[0], &scope, stack);
            }
        }
        stack.pop();
        Some(start)
    }

    fn enter(&mut self, entries: &mut HashMap<&'a str, usize>, uuid: &'a str, slot: usize) {
        if uuid.is_empty() {
            return;
        }
        if entries.insert(uuid, slot).is_some() {
            let p = Problem::new(
                "flowcost::duplicate-id",
                format!("two action or rule sets have the UUID `{uuid}`"),
            )
            .at(self.loc.value("uuid", uuid), "repeated")
            .help("UUIDs must be unique; export the flow again");
            self.problems.push(p);
        }
    }

    /// The UUID of the flow's entry: `entry`, or (in exports older than version 6, which have
    /// none) the top-most action or rule set, as RapidPro took it.
    fn entry_uuid(&mut self, def: &'a Value, sets: &[(bool, &'a Value)]) -> Option<&'a str> {
        let entry = str_of(def, "entry");
        if !entry.is_empty() {
            return Some(entry);
        }
        let top = sets.iter().map(|(_, v)| *v).min_by_key(|n| {
            let at = |k: &str| n.get(k).and_then(Value::as_i64).unwrap_or(i64::MAX);
            (at("y"), at("x"))
        })?;
        let (name, _) = identity(def);
        self.notes.push(
            note(
                "assumed-entry",
                format!("`{name}` names no `entry` (an export older than version 6); starting at its top-most node, as RapidPro does"),
            )
            .at(self.loc.value("uuid", str_of(top, "uuid")), "starts here"),
        );
        Some(str_of(top, "uuid"))
    }

    /// The run's expiry: `metadata.expires` minutes, or 7 days.
    fn expiry(&mut self, def: &Value) -> Duration {
        let raw = def.get("metadata").and_then(|m| m.get("expires"));
        match duration(raw, 60) {
            Ok(Some(d)) => d,
            Ok(None) => Duration::minutes(DEFAULT_EXPIRY_MINUTES),
            Err(bad) => {
                let at = self.loc.first("\"expires\"");
                self.notes
                    .push(super::bad_expiry_note(&bad, "expires", at, "RapidPro"));
                Duration::minutes(DEFAULT_EXPIRY_MINUTES)
            }
        }
    }

    fn after(&mut self, ret: Return) -> usize {
        ret.unwrap_or_else(|| self.g.end())
    }

    /// Where a `destination` leads; `None` only when it dangles (reported).
    fn dest(&mut self, destination: Option<&Value>, from: &str, scope: &Scope) -> Option<usize> {
        match destination {
            None | Some(Value::Null) => Some(self.after(scope.ret)),
            Some(Value::String(d)) if d.is_empty() => Some(self.after(scope.ret)),
            Some(Value::String(d)) => {
                if let Some(&i) = scope.entries.get(d.as_str()) {
                    return Some(i);
                }
                let p = Problem::new(
                    "flowcost::dangling-reference",
                    format!("no action or rule set of this flow has the UUID `{d}`"),
                )
                .at(
                    self.loc
                        .value("destination", d)
                        .or_else(|| self.loc.value("uuid", from)),
                    "no such node",
                )
                .help("the destination names no action or rule set of the flow; export the flow again");
                self.problems.push(p);
                None
            }
            Some(_) => {
                let p = Problem::new(
                    "flowcost::wrong-type",
                    "`destination` must be a UUID or null",
                )
                .at(self.loc.value("uuid", from), "here");
                self.problems.push(p);
                None
            }
        }
    }

    fn action_set(
        &mut self,
        set: &'a Value,
        slots: &[usize],
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) {
        let uuid = str_of(set, "uuid");
        let span = self.loc.value("uuid", uuid);
        let then = self.dest(set.get("destination"), uuid, scope);
        let actions = list(set, "actions");
        if actions.is_empty() {
            let id = format!("{}actions-{}", scope.prefix, short(uuid));
            self.g
                .set(slots[0], &id, NodeKind::Step { action: None }, then, span);
            return;
        }
        for (i, a) in actions.iter().enumerate() {
            let next = slots.get(i + 1).copied().or(then);
            self.action(a, slots[i], next, scope, stack, (uuid, i));
        }
    }

    fn action(
        &mut self,
        a: &'a Value,
        slot: usize,
        next: Option<usize>,
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
        (set, index): (&str, usize),
    ) {
        let kind = str_of(a, "type");
        let auuid = str_of(a, "uuid");
        let span = self
            .loc
            .value("uuid", auuid)
            .or_else(|| self.loc.value("uuid", set));
        let label = if kind.is_empty() { "action" } else { kind };
        let id = if auuid.is_empty() {
            format!("{}{label}-{}-{}", scope.prefix, short(set), index + 1)
        } else {
            format!("{}{label}-{}", scope.prefix, short(auuid))
        };
        let step = NodeKind::Step {
            action: Some(label.to_string()),
        };
        let (node, next) = match kind {
            "reply" => (
                NodeKind::SendMessage {
                    text: text(a.get("msg"), scope.language),
                },
                next,
            ),
            "send" => {
                self.others.push((format!("`{id}`"), span));
                (step, next)
            }
            // Starting another flow ends this one: the path goes on in the other flow.
            "flow" => {
                let target = self.start_flow(a, span, scope, stack);
                (step, target.or(next))
            }
            _ => (step, next),
        };
        self.g.set(slot, &id, node, next, span);
    }

    /// Where a `flow` action leads: a copy of the flow (which ends the path when it ends), a
    /// jump back to a flow already running, or the end of the path when the flow is not here.
    fn start_flow(
        &mut self,
        a: &'a Value,
        span: Option<Span>,
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) -> Option<usize> {
        let flow = a.get("flow").unwrap_or(&Value::Null);
        let (target, name) = (str_of(flow, "uuid"), str_of(flow, "name"));
        let end = self.after(scope.ret);
        self.subflow(target, name, span, Some(end), scope, stack)
    }

    /// A copy of the flow `target` going on at `then`, a jump back when it runs already, or
    /// `then` itself (with a note) when the flow is not in the file.
    fn subflow(
        &mut self,
        target: &str,
        name: &str,
        span: Option<Span>,
        then: Return,
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) -> Option<usize> {
        let sub = match super::enter(
            &self.flows,
            stack,
            (target, name),
            span,
            (&mut self.notes, &mut self.problems),
        ) {
            super::Entered::Copy(sub) => sub,
            super::Entered::Jump(start) => return Some(start),
            super::Entered::Skip => return then,
        };
        if !is_legacy(sub) {
            self.notes.push(
                note(
                    "missing-subflow",
                    format!("the flow `{name}` is not a legacy flow: the messages it sends are not counted"),
                )
                .at(span, "not imported")
                .help("audit it on its own"),
            );
            return then;
        }
        let prefix = format!("{}{}/", scope.prefix, slug(name));
        self.copy(sub, &prefix, then, stack).or(then)
    }

    fn rule_set(
        &mut self,
        r: &'a Value,
        slot: usize,
        scope: &Scope,
        stack: &mut Vec<(&'a str, usize)>,
    ) {
        let uuid = str_of(r, "uuid");
        let span = self.loc.value("uuid", uuid);
        let rules = list(r, "rules");
        let test = |rule: &'a Value| rule.get("test").unwrap_or(&Value::Null);
        let kind = match r.get("ruleset_type").and_then(Value::as_str) {
            Some(k) => k,
            // The oldest exports have no type: a rule set that reads the customer's message
            // (`@step`) waits for it, as RapidPro's migration decides.
            None => {
                let operand = str_of(r, "operand").trim();
                let expression = operand.starts_with("=(") && operand.contains("step");
                if operand.is_empty() || operand.contains("@step") || expression {
                    "wait_message"
                } else {
                    "expression"
                }
            }
        };
        let id = |what: &str| format!("{}{what}-{}", scope.prefix, short(uuid));
        if kind.starts_with("wait_") {
            let timeout_rule = rules.iter().find(|x| str_of(test(x), "type") == "timeout");
            let (timeout, on_timeout) = match timeout_rule {
                Some(t) => {
                    let minutes = duration(test(t).get("minutes"), 60);
                    let d = match minutes {
                        Ok(Some(d)) => d,
                        bad => {
                            let why = match bad {
                                Err(b) => b.describe("the timeout"),
                                _ => "the timeout has no `minutes`".into(),
                            };
                            self.problems.push(
                                Problem::new("flowcost::bad-duration", why)
                                    .at(span, "this wait")
                                    .help("RapidPro writes the timeout in minutes, like 5"),
                            );
                            Duration::minutes(1)
                        }
                    };
                    (d, self.dest(t.get("destination"), uuid, scope))
                }
                None => (scope.expiry, Some(self.g.end())),
            };
            let replies: Vec<Option<usize>> = rules
                .iter()
                .filter(|x| str_of(test(x), "type") != "timeout")
                .map(|x| self.dest(x.get("destination"), uuid, scope))
                .collect();
            let on_reply = self.choose(replies, &id("reply"), span, scope);
            let kind = NodeKind::WaitForReply {
                timeout,
                on_reply,
                on_timeout,
            };
            self.g.set(slot, &id("wait"), kind, None, span);
            return;
        }
        let targets: Vec<Option<usize>> = match kind {
            "subflow" => {
                let completed = rules
                    .iter()
                    .find(|x| str_of(test(x), "exit_type") == "completed")
                    .or_else(|| rules.first());
                let then = completed.and_then(|c| self.dest(c.get("destination"), uuid, scope));
                let flow = r
                    .get("config")
                    .and_then(|c| c.get("flow"))
                    .unwrap_or(&Value::Null);
                let (target, name) = (str_of(flow, "uuid"), str_of(flow, "name"));
                vec![self.subflow(target, name, span, then, scope, stack)]
            }
            // The call's failure is taken not to happen.
            "webhook" | "resthook" | "airtime" => rules
                .iter()
                .filter(|x| {
                    let t = test(x);
                    !matches!(
                        (str_of(t, "status"), str_of(t, "exit_status")),
                        ("failure", _) | (_, "failed")
                    )
                })
                .map(|x| self.dest(x.get("destination"), uuid, scope))
                .collect(),
            _ => rules
                .iter()
                .map(|x| self.dest(x.get("destination"), uuid, scope))
                .collect(),
        };
        let (node, next) = self.split(targets, kind != "random", kind, span, scope);
        let name = if matches!(node, NodeKind::Split { .. }) {
            "split"
        } else {
            kind
        };
        self.g.set(slot, &id(name), node, next, span);
    }

    /// A split over `targets`, one equal share per rule (guessed unless `guessed` is false), or
    /// a step to the one target, or to the end when there is none.
    fn split(
        &mut self,
        targets: Vec<Option<usize>>,
        guessed: bool,
        action: &str,
        span: Option<Span>,
        scope: &Scope,
    ) -> (NodeKind, Option<usize>) {
        let none = self.after(scope.ret);
        let (node, next) = fork(targets, action, none, guessed);
        if guessed && matches!(node, NodeKind::Split { .. }) {
            self.guessed.push(span);
        }
        (node, next)
    }

    /// Where a wait's replies go: a split over them appended as `id`, or the one target.
    fn choose(
        &mut self,
        targets: Vec<Option<usize>>,
        id: &str,
        span: Option<Span>,
        scope: &Scope,
    ) -> Option<usize> {
        match self.split(targets, true, "rules", span, scope) {
            (NodeKind::Step { .. }, next) => next,
            (kind, _) => Some(self.g.push(id, kind, None, span)),
        }
    }

    fn report(&mut self) {
        self.notes
            .extend(super::sends_to_others_note("send", &self.others));
        let note = super::equal_weights_note(&self.guessed, "rule set", "rule");
        self.notes.extend(note);
    }
}
