//! Import: other tools' flow exports → the same [`Flow`] the YAML loader produces.
//!
//! [`load_any`] is the one entry point every command uses: it reads a file, detects its format
//! from the content (flowcost YAML, goflow JSON from RapidPro/TextIt/glific, or Twilio Studio
//! JSON) unless told, and converts it. Importers resolve every reference (a dangling one is a
//! located problem), keep actions with no messaging effect as `step` nodes, and check loops
//! without a wait like the YAML loader does. What they had to assume (equal branch weights, the
//! trigger, sub-flows outside the file) comes back as notes, never silently.

mod goflow;
mod graph;
mod json;
mod legacy;
mod locate;
mod twilio;

use crate::diagnostic::{LoadError, Problem, SourceFile};
use crate::flow::spans::Span;
use crate::flow::{parse_flow_with, read_source, Catalog, Flow, Trigger};
use crate::limits::{Limits, PARSER_DEPTH};
use std::path::Path;
use std::sync::Arc;

/// Largest export read by default (bytes): JSON exports of whole workspaces are bigger than
/// flow files.
pub const MAX_IMPORT_BYTES: u64 = crate::limits::DEFAULT_IMPORT_BYTES;

/// The formats flowcost reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// flowcost's own YAML.
    Flowcost,
    /// goflow flow definitions (RapidPro, TextIt, glific), spec 13.x and 14.x.
    Goflow,
    /// Twilio Studio flow definitions (`states`, `initial_state`).
    TwilioStudio,
}

impl Format {
    /// Names as written after `--from`.
    pub const NAMES: [&'static str; 3] = ["flowcost", "goflow", "twilio-studio"];

    /// The name written after `--from`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Flowcost => "flowcost",
            Format::Goflow => "goflow",
            Format::TwilioStudio => "twilio-studio",
        }
    }
}

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Force a format instead of detecting it.
    pub from: Option<Format>,
    /// Pick a flow of a multi-flow export by name or UUID (default: the first).
    pub flow: Option<String>,
    /// How the flow starts, when the export does not say (or to override it).
    pub trigger: Option<Trigger>,
    /// Bounds on file size, nodes, nesting and alias expansion.
    pub limits: Limits,
}

/// A loaded flow and what the importer had to assume to build it.
#[derive(Debug)]
pub struct Loaded {
    /// The flow.
    pub flow: Flow,
    /// The format it was read from.
    pub format: Format,
    /// Assumptions and approximations, each located in the file where possible.
    pub notes: Vec<Problem>,
}

/// Reads `path` in any supported format and converts it to a [`Flow`]; `catalog` maps
/// templates (by name, UUID, content SID or body text) to categories.
pub fn load_any(
    path: &Path,
    options: &ImportOptions,
    catalog: Option<&Catalog>,
) -> Result<Loaded, LoadError> {
    let limit = match options.from {
        Some(Format::Flowcost) => options.limits.file_bytes,
        Some(_) => options.limits.import_bytes,
        // Only a JSON export may be larger than a YAML flow: look at the first byte of a
        // regular file past the YAML limit before reading all of it.
        None => match std::fs::metadata(path) {
            Ok(m)
                if m.is_file() && m.len() > options.limits.file_bytes && looks_like_json(path) =>
            {
                options.limits.import_bytes
            }
            _ => options.limits.file_bytes,
        },
    };
    let file = read_source(path, limit)?;
    parse_any(file, options, catalog)
}

/// Whether a file starts (after whitespace) like JSON; false when it cannot be read, so that
/// reading it fails with the YAML limit and a clear error.
fn looks_like_json(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let Ok(n) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let text = head[..n]
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&head[..n]);
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// [`load_any`] on a text already read.
pub fn parse_any(
    file: Arc<SourceFile>,
    options: &ImportOptions,
    catalog: Option<&Catalog>,
) -> Result<Loaded, LoadError> {
    let format = match options.from {
        Some(f) => f,
        None => detect(&file)?,
    };
    let limits = &options.limits;
    if format == Format::Flowcost {
        if file.text.len() as u64 > limits.file_bytes {
            let p = Problem::new(
                "flowcost::file-too-large",
                format!(
                    "the file has {} bytes; flowcost reads YAML flows of at most {} ({})",
                    file.text.len(),
                    limits.file_bytes,
                    crate::flow::mib(limits.file_bytes)
                ),
            )
            .help("split the flow into several files, or raise the limit with FLOWCOST_MAX_FILE_BYTES");
            return Err(LoadError {
                file,
                problems: vec![p],
            });
        }
        let mut flow = parse_flow_with(file, catalog, limits)?;
        if let Some(t) = options.trigger {
            flow.trigger = t;
        }
        return Ok(Loaded {
            flow,
            format,
            notes: Vec::new(),
        });
    }
    if let Some(p) = too_many_objects(&file.text, limits) {
        return Err(LoadError {
            file,
            problems: vec![p],
        });
    }
    let value: serde_json::Value = match serde_json::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => return Err(json_error(file, &e, format)),
    };
    let (flow, notes) = if format == Format::TwilioStudio {
        twilio::convert(&file, &value, options, catalog)?
    } else {
        goflow::convert(&file, &value, options, catalog)?
    };
    Ok(Loaded {
        flow,
        format,
        notes,
    })
}

/// JSON objects an export may hold per node of the limit: a node of a real export is a few
/// objects (its actions, exits, categories, cases); the bound keeps the parsed document (a few
/// hundred bytes per object) to hundreds of MB whatever the file's size.
const OBJECTS_PER_NODE: usize = 4;

/// JSON values an export may hold per node of the limit (counted by the commas between them):
/// real exports have about four per object, so this only stops a document of scalars (a flat
/// array of millions of numbers, some 32 bytes each once parsed) that the object bound lets by.
const VALUES_PER_NODE: usize = 32;

/// The problem of an export with more JSON objects or values than its node limit allows,
/// found by one scan of the text before anything is built from it.
fn too_many_objects(text: &str, limits: &Limits) -> Option<Problem> {
    let max_objects = limits.nodes.saturating_mul(OBJECTS_PER_NODE);
    let max_values = limits.nodes.saturating_mul(VALUES_PER_NODE);
    let (mut objects, mut values, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        let what = match b {
            b'"' => {
                in_string = true;
                continue;
            }
            b'{' if objects < max_objects => {
                objects += 1;
                continue;
            }
            b',' if values < max_values => {
                values += 1;
                continue;
            }
            b'{' => format!("more than {max_objects} JSON objects"),
            b',' => format!("more than {max_values} JSON values"),
            _ => continue,
        };
        let at = Span { offset: i, len: 1 };
        return Some(
            Problem::new(
                "flowcost::import-too-large",
                format!(
                    "the export holds {what}; flowcost reads flows of at most {} nodes",
                    limits.nodes
                ),
            )
            .at(Some(at), "they pass the limit here")
            .help("export the one flow you need, or raise the limit with FLOWCOST_MAX_NODES"),
        );
    }
    None
}

/// The format of a text: JSON with `states` is Twilio Studio, JSON with `flows`, `nodes` or
/// `spec_version` is goflow, anything else is flowcost YAML.
pub fn detect(file: &Arc<SourceFile>) -> Result<Format, LoadError> {
    let text = file.text.trim_start();
    if !text.starts_with('{') && !text.starts_with('[') {
        return Ok(Format::Flowcost);
    }
    if text.starts_with('[') && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        return Err(LoadError {
            file: file.clone(),
            problems: vec![Problem::new(
                "flowcost::unknown-format",
                "this JSON is a list; a flow export is an object (`flows`, `nodes`, `action_sets` or `states`)",
            )
            .at(Some(Span { offset: file.text.len() - text.len(), len: 1 }), "a list")
            .help("export the flow itself: flowcost reads flowcost YAML, goflow and RapidPro exports and Twilio Studio flow JSON")],
        });
    }
    // Only the top-level keys matter; serde ignores the rest without building it.
    #[derive(serde::Deserialize)]
    struct Top {
        states: Option<serde::de::IgnoredAny>,
        flows: Option<serde::de::IgnoredAny>,
        nodes: Option<serde::de::IgnoredAny>,
        spec_version: Option<serde::de::IgnoredAny>,
        initial_state: Option<serde::de::IgnoredAny>,
        action_sets: Option<serde::de::IgnoredAny>,
        rule_sets: Option<serde::de::IgnoredAny>,
        definition: Option<serde::de::IgnoredAny>,
        results: Option<serde::de::IgnoredAny>,
        #[serde(rename = "States")]
        studio_2018: Option<serde::de::IgnoredAny>,
    }
    match serde_json::from_str::<Top>(&file.text) {
        Ok(top)
            if top.states.is_some() || top.initial_state.is_some() || top.studio_2018.is_some() =>
        {
            Ok(Format::TwilioStudio)
        }
        Ok(top)
            if top.flows.is_some()
                || top.nodes.is_some()
                || top.spec_version.is_some()
                || top.action_sets.is_some()
                || top.rule_sets.is_some()
                || top.definition.is_some()
                || top.results.is_some() =>
        {
            Ok(Format::Goflow)
        }
        Ok(_) => Err(LoadError {
            file: file.clone(),
            problems: vec![Problem::new(
                "flowcost::unknown-format",
                "this JSON is neither a goflow or RapidPro export (`flows`, `nodes`, `action_sets`) nor a Twilio Studio flow (`states`)",
            )
            .at(Some(Span { offset: file.text.len() - text.len(), len: 1 }), "here")
            .help("flowcost reads flowcost YAML, goflow flow definitions (RapidPro, TextIt, glific) and Twilio Studio flow JSON; force one with --from")],
        }),
        // A JSON syntax error (or a top level that is a list): let YAML have a go only when it
        // is not JSON-like at all; otherwise report the JSON error where it is.
        Err(e) if e.is_syntax() || e.is_eof() => Err(json_error(file.clone(), &e, Format::Goflow)),
        Err(_) => Ok(Format::Flowcost),
    }
}

fn json_error(file: Arc<SourceFile>, e: &serde_json::Error, format: Format) -> LoadError {
    let offset = file.offset(e.line(), e.column());
    let last = file.text.trim_end().len().saturating_sub(1);
    let message = e.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    if message.starts_with("recursion limit exceeded") {
        let at = Span {
            offset: offset.min(last),
            len: 1,
        };
        return LoadError {
            file,
            problems: vec![crate::flow::too_deep(Some(at), PARSER_DEPTH)],
        };
    }
    let p = Problem::new("flowcost::json-syntax", format!("invalid JSON: {message}"))
        .at(
            Some(Span {
                offset: offset.min(last),
                len: 1,
            }),
            "here",
        )
        .help(format!(
            "the file looks like a {} export; re-export it, or check the quotes, commas and brackets near here",
            format.name()
        ));
    LoadError {
        file,
        problems: vec![p],
    }
}

/// The catalog key of a template named `name` or with UUID `uuid`: the key itself, or an entry
/// whose `uuid` matches.
pub(crate) fn template_key(
    catalog: &Catalog,
    name: Option<&str>,
    uuid: Option<&str>,
) -> Option<String> {
    let by_key = [name, uuid]
        .into_iter()
        .flatten()
        .find(|k| catalog.contains_key(*k));
    if let Some(k) = by_key {
        return Some(k.to_string());
    }
    let uuid = uuid?;
    catalog
        .iter()
        .find(|(_, t)| t.uuid.as_deref() == Some(uuid))
        .map(|(k, _)| k.clone())
}

/// A message text with every `{{…}}` placeholder blanked and whitespace collapsed, so that a
/// template's `Hi {{1}}` matches a Studio body `Hi {{contact.name}}`.
pub(crate) fn normalize_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        match rest[open..].find("}}") {
            Some(close) => {
                out.push_str("{{}}");
                rest = &rest[open + close + 2..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The note listing the templates an import sent without knowing their category (`None`
/// when there are none): they are imported as `category: unknown`, and costs become a range.
pub(crate) fn uncategorised_note(labels: &[(String, Option<Span>)], help: &str) -> Option<Problem> {
    let first = labels.first()?.1;
    let names: Vec<&str> = labels.iter().map(|(l, _)| l.as_str()).collect();
    let n = names.len();
    Some(
        note(
            "uncategorised-template",
            format!(
                "{n} template{} not in the catalog, so {} category is unknown: {}; imported as `category: unknown`, and costs are a range over the categories a template can have",
                if n == 1 { " is" } else { "s are" },
                if n == 1 { "its" } else { "their" },
                names.join(", ")
            ),
        )
        .at(first, "first send of a template of unknown category")
        .help(help),
    )
}

/// Most flows entered inside flows (sub-flows of sub-flows…) an import copies.
pub(crate) const MAX_SUBFLOW_DEPTH: usize = 64;

/// What a flow that enters (or starts) the flow `target` of the file leads to.
pub(crate) enum Entered<'a> {
    /// The flow's definition, to copy.
    Copy(&'a serde_json::Value),
    /// The start of a run of it already under way (recursion): a jump back there.
    Jump(usize),
    /// Nothing to copy (not in the file, or nested too deep): the path goes on as if it
    /// had returned; a note or problem says why.
    Skip,
}

/// The checks every importer makes before copying a sub-flow: recursion (a jump back, with a
/// note), a flow not in the file (a note: its messages are not counted), nesting deeper than
/// [`MAX_SUBFLOW_DEPTH`] (a problem). `stack` holds the flows being copied with their starts.
pub(crate) fn enter<'a>(
    flows: &std::collections::HashMap<&'a str, &'a serde_json::Value>,
    stack: &[(&'a str, usize)],
    (target, name): (&str, &str),
    span: Option<Span>,
    (notes, problems): (&mut Vec<Problem>, &mut Vec<Problem>),
) -> Entered<'a> {
    if let Some(&(_, start)) = stack.iter().find(|(u, _)| *u == target) {
        notes.push(
            note(
                "recursive-subflow",
                format!("`{name}` enters itself again; taken as a jump back to its start"),
            )
            .at(span, "recursive entry")
            .help("when the inner run ends, flowcost goes on where the outer one entered it"),
        );
        return Entered::Jump(start);
    }
    let Some(sub) = flows.get(target).copied() else {
        notes.push(
            note(
                "missing-subflow",
                format!("the flow `{name}` ({target}) is not in this file: the messages it sends are not counted"),
            )
            .at(span, "flow not in the file")
            .help("export it together with this flow (one export holding both), or audit it on its own"),
        );
        return Entered::Skip;
    };
    if stack.len() >= MAX_SUBFLOW_DEPTH {
        problems.push(
            Problem::new(
                "flowcost::import-too-large",
                format!("flows enter flows more than {MAX_SUBFLOW_DEPTH} deep"),
            )
            .at(span, "too deep")
            .help("import the inner flows on their own"),
        );
        return Entered::Skip;
    }
    Entered::Copy(sub)
}

/// The note for `skipped` entries of `what` (of the flow `name`) that are not objects.
pub(crate) fn skipped_note(skipped: usize, what: &str, name: &str, at: Option<Span>) -> Problem {
    note(
        "skipped-nodes",
        format!(
            "{skipped} entr{} of the {what} of `{name}` {} (`null`, a number…): skipped",
            if skipped == 1 { "y" } else { "ies" },
            if skipped == 1 {
                "is not an object"
            } else {
                "are not objects"
            },
        ),
    )
    .at(at, "this flow")
    .help("export the flow again; the tool that made it writes each of them as an object")
}

/// A note: something the importer assumed, shown as a warning.
pub(crate) fn note(code: &'static str, message: impl Into<String>) -> Problem {
    Problem::new(code, message)
}

/// The one note for every branch whose share the importer could not read (`routers`,
/// `rule sets`, `widgets`: the export's word for the node, whose `parts` each got an equal
/// share), placed at the first; none when there is none.
fn equal_weights_note(guessed: &[Option<Span>], node: &str, parts: &str) -> Option<Problem> {
    let first = *guessed.first()?;
    let n = guessed.len();
    Some(
        note(
            "equal-weights",
            format!(
                "{n} {node}{} branch on conditions flowcost cannot evaluate; each {parts} gets an equal share",
                if n == 1 { "" } else { "s" }
            ),
        )
        .at(first, "the first of them")
        .help("path probabilities of these branches are guesses; convert with `flowcost import` and set `weight`s to refine them"),
    )
}

/// The one note for sends to other contacts (goflow's `send_broadcast`, RapidPro's `send`),
/// kept as steps: every one is named, so that no send goes untraced.
fn sends_to_others_note(action: &str, others: &[(String, Option<Span>)]) -> Option<Problem> {
    let (_, first) = others.first()?;
    let names: Vec<&str> = others.iter().map(|(n, _)| n.as_str()).collect();
    Some(
        note(
            "sends-to-others",
            format!(
                "{} `{action}` action{} message other contacts, not this customer: kept as steps ({})",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
        )
        .at(*first, "the first of them")
        .help("flowcost bills one customer's path; audit the flow those contacts get on its own"),
    )
}

/// The note of a run expiry that cannot be used (`key` as the export writes it): the default
/// of 7 days is taken instead.
fn bad_expiry_note(bad: &json::BadDuration, key: &str, at: Option<Span>, editor: &str) -> Problem {
    note(
        "bad-expiry",
        format!(
            "{}; the run's expiry is taken as 7 days",
            bad.describe(&format!("`{key}`"))
        ),
    )
    .at(at, "not a usable expiry")
    .help(format!("{editor} writes the expiry in minutes, like 10080"))
}

/// The end of every import: the nodes built (or `None` when some could not be), checked for
/// loops without a wait like a YAML flow, become a `Flow`; or every problem found is the error.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    file: &Arc<SourceFile>,
    nodes: Option<Vec<crate::flow::Node>>,
    mut problems: Vec<Problem>,
    name: String,
    description: String,
    trigger: Trigger,
    templates: Catalog,
) -> Result<Flow, LoadError> {
    // A graph cut short at its node limit has edges to nowhere: no loop check on it.
    let whole = |nodes: &[crate::flow::Node]| {
        let n = nodes.len();
        nodes.iter().all(|x| x.successors().iter().all(|&s| s < n))
    };
    if let Some(nodes) = nodes.as_deref().filter(|n| whole(n)) {
        problems.extend(crate::flow::loops_without_wait(nodes));
    }
    // The same problem found twice (a state reached two ways) is shown once.
    let mut seen = std::collections::HashSet::with_capacity(problems.len());
    problems.retain(|p| seen.insert(p.clone()));
    match nodes {
        Some(nodes) if problems.is_empty() => Ok(Flow {
            suppressions: Vec::new(),
            name,
            kind: crate::flow::FlowKind::Journey,
            description: Some(description),
            trigger,
            market: None,
            templates,
            nodes,
            source: file.clone(),
            spans: Default::default(),
        }),
        _ => {
            if problems.is_empty() {
                problems.push(Problem::new(
                    "flowcost::internal",
                    "the import left a node unfilled",
                ));
            }
            Err(LoadError {
                file: file.clone(),
                problems,
            })
        }
    }
}
