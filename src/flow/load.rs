//! YAML → [`Flow`]: parse with serde_yaml, then walk the value tree, collecting every problem
//! (unknown keys with suggestions, wrong types, bad durations, dangling references, duplicate
//! ids, loops without a wait) with the span of the offending YAML.

use super::spans::{child, item, SpanIndex};
use super::*;
use crate::billing::Category;
use crate::diagnostic::{closest, quote, LoadError, Problem, SourceFile, Suggester};
use crate::limits::{Limits, PARSER_DEPTH};
use crate::time::parse_duration;
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Largest input file read by default (bytes); larger ones are refused before reading.
pub const MAX_FILE_BYTES: u64 = crate::limits::DEFAULT_FILE_BYTES;

pub(crate) const SUPPRESSION_KEYS: &[&str] = &["allow", "reason"];
pub(crate) const FLOW_KEYS: &[&str] = &[
    "flow",
    "kind",
    "description",
    "trigger",
    "market",
    "templates",
    "nodes",
    "lint",
];
pub(crate) const TEMPLATE_KEYS: &[&str] = &[
    "category",
    "status",
    "text",
    "language",
    "category_history",
    "uuid",
    "content_sid",
];
pub(crate) const HISTORY_KEYS: &[&str] = &["since", "category"];
/// The `category` of a template send whose category is not known.
pub const UNKNOWN: &str = "unknown";

pub(crate) const BRANCH_KEYS: &[&str] = &["to", "weight"];
pub(crate) const NODE_TYPES: &[&str] = &[
    "send_message",
    "send_update",
    "wait",
    "wait_for_reply",
    "split",
    "step",
    "end",
];
pub(crate) const COMMON_NODE_KEYS: &[&str] = &["id", "type", "description", "lint"];

pub(crate) fn node_keys(node_type: &str) -> &'static [&'static str] {
    match node_type {
        "send_message" => &["text", "next"],
        "send_update" => &["template", "category", "next"],
        "wait" => &["for", "next"],
        "wait_for_reply" => &["timeout", "on_reply", "on_timeout"],
        "split" => &["branches"],
        "step" => &["action", "next"],
        _ => &[],
    }
}

/// When `key` belongs to other node types than `node_type`, what to write instead.
fn key_of_other_node(key: &str, node_type: &str) -> Option<String> {
    match (node_type, key) {
        ("send_update", "text") => Some(
            "a `send_update` node sends a template: write `template: NAME` (or `category:`); free-form text is a `send_message` node.".into(),
        ),
        ("send_message", "template" | "category") => Some(
            "a `send_message` node sends free-form text (`text:`); a template is sent by a `send_update` node.".into(),
        ),
        _ => {
            let owners: Vec<&str> = NODE_TYPES
                .iter()
                .copied()
                .filter(|t| *t != node_type && node_keys(t).contains(&key))
                .collect();
            (!owners.is_empty()).then(|| {
                format!(
                    "`{key}` is a key of `{}` nodes, not of a `{node_type}` node.",
                    owners.join("` and `")
                )
            })
        }
    }
}

/// Reads a file as UTF-8 text, refusing directories, files over `max_bytes` and other
/// encodings.
pub fn read_source(path: &Path, max_bytes: u64) -> Result<Arc<SourceFile>, LoadError> {
    read_input(path, max_bytes, Input::Flow)
}

/// What a file read by [`read_input`] is, for its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A flow (YAML, or an export of another platform).
    Flow,
    /// A template catalog.
    Catalog,
    /// A rate card (`--rates`).
    RateCard,
    /// Settings (`flowcost.toml`, `--config`).
    Config,
}

impl Input {
    fn noun(self) -> &'static str {
        match self {
            Input::Flow => "flow",
            Input::Catalog => "template catalog",
            Input::RateCard => "rate card",
            Input::Config => "settings",
        }
    }

    /// How to make a file fit under `max_bytes`.
    fn too_large_help(self) -> &'static str {
        match self {
            Input::Flow => {
                "split the flow into several files, or raise the limit \
                 (FLOWCOST_MAX_FILE_BYTES for YAML, FLOWCOST_MAX_IMPORT_BYTES for JSON exports)"
            }
            _ => "raise the limit with FLOWCOST_MAX_FILE_BYTES",
        }
    }
}

/// [`read_source`] of a file that is `what` (a flow, catalog, rate card or settings), whose
/// messages name it so.
pub fn read_input(path: &Path, max_bytes: u64, what: Input) -> Result<Arc<SourceFile>, LoadError> {
    if path == Path::new("-") {
        return read_stdin(max_bytes);
    }
    let name = path.display().to_string();
    let fail = |problem: Problem| LoadError {
        file: SourceFile::new(&name, ""),
        problems: vec![problem],
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            Problem::new("flowcost::io", format!("cannot read the file: {e}")).help(match what {
                Input::Flow => "check the path; flowcost reads flow files (.yaml, .yml)",
                _ => "check the path",
            }),
        )
    })?;
    if meta.is_dir() {
        let noun = what.noun();
        return Err(fail(
            Problem::new(
                "flowcost::io",
                format!("this is a directory, not a {noun} file"),
            )
            .help(match what {
                Input::Flow => "name a .yaml file inside it",
                _ => "name a file inside it",
            }),
        ));
    }
    if !meta.is_file() {
        // A FIFO without a writer would block the read forever; a device never ends.
        return Err(fail(
            Problem::new(
                "flowcost::io",
                "this is not a regular file (a pipe, socket or device)",
            )
            .help(format!(
                "save the {} to a file and name that file",
                what.noun()
            )),
        ));
    }
    if meta.len() > max_bytes {
        return Err(fail(
            Problem::new(
                "flowcost::file-too-large",
                format!(
                    "the file has {} bytes; flowcost reads at most {max_bytes} ({})",
                    meta.len(),
                    mib(max_bytes)
                ),
            )
            .help(what.too_large_help()),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(
            Problem::new("flowcost::io", format!("cannot read the file: {e}"))
                .help("check that the file is readable by you (its permissions)"),
        )
    })?;
    decode(&name, bytes)
}

/// The name of standard input in diagnostics.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads a flow from standard input (the file name `-`), refusing more than `max_bytes`.
fn read_stdin(max_bytes: u64) -> Result<Arc<SourceFile>, LoadError> {
    use std::io::Read;
    let fail = |problem: Problem| LoadError {
        file: SourceFile::new(STDIN_NAME, ""),
        problems: vec![problem],
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            fail(Problem::new(
                "flowcost::io",
                format!("cannot read standard input: {e}"),
            ))
        })?;
    if bytes.len() as u64 > max_bytes {
        return Err(fail(
            Problem::new(
                "flowcost::file-too-large",
                format!(
                    "standard input has more than {max_bytes} bytes ({}), the most flowcost reads",
                    mib(max_bytes)
                ),
            )
            .help(
                "split the flow into several files, or raise the limit (FLOWCOST_MAX_FILE_BYTES)",
            ),
        ));
    }
    decode(STDIN_NAME, bytes)
}

/// The text of a file read as bytes: UTF-8 without a byte-order mark, or a located problem.
fn decode(name: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(
            name,
            text.strip_prefix('\u{feff}').unwrap_or(&text),
        )),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let file = SourceFile::new(name, text);
            let (line, col) = file.line_col(valid);
            let problem = Problem::new(
                "flowcost::encoding",
                format!("the file is not UTF-8: invalid byte at line {line}, column {col}"),
            )
            .at(
                Some(Span {
                    offset: valid,
                    len: 1,
                }),
                "not UTF-8",
            )
            .help("save the file as UTF-8");
            Err(LoadError {
                file,
                problems: vec![problem],
            })
        }
    }
}

/// A byte count for messages, in the largest unit that keeps it at least one: `16 MiB`,
/// `0.5 MiB` is `512 KiB`, `100 bytes`.
pub fn mib(bytes: u64) -> String {
    const KIB: u64 = 1024;
    let (value, unit) = if bytes >= KIB * KIB {
        (bytes as f64 / (KIB * KIB) as f64, "MiB")
    } else if bytes >= KIB {
        (bytes as f64 / KIB as f64, "KiB")
    } else {
        return format!("{bytes} byte{}", if bytes == 1 { "" } else { "s" });
    };
    format!("{} {unit}", (value * 10.0).round() / 10.0)
}

/// Whether a line indented with a tab is at or just before `line` (1-based), where a YAML
/// error it causes is reported.
fn tab_indent_near(text: &str, line: usize) -> bool {
    let first = line.saturating_sub(2);
    text.lines()
        .skip(first)
        .take(line.max(1) - first)
        .any(|l| l.trim_start_matches(' ').starts_with('\t'))
}

/// Reads and loads a flow file; `catalog` supplies templates the flow does not define itself.
pub fn load_flow(path: &Path, catalog: Option<&Catalog>) -> Result<Flow, LoadError> {
    parse_flow(read_source(path, MAX_FILE_BYTES)?, catalog)
}

/// Reads and loads a template catalog file (the shape of a flow's `templates:` map).
pub fn load_catalog(path: &Path) -> Result<Catalog, LoadError> {
    load_catalog_with(path, &Limits::default())
}

/// [`load_catalog`] under the given limits.
pub fn load_catalog_with(path: &Path, limits: &Limits) -> Result<Catalog, LoadError> {
    parse_catalog_with(read_input(path, limits.file_bytes, Input::Catalog)?, limits)
}

/// A problem for a text that would cost too much to load: nested deeper than the limit, or
/// with aliases that expand past it. Checked on the span index, before serde_yaml builds
/// anything.
fn over_limits(spans: &SpanIndex, limits: &Limits) -> Option<Problem> {
    if let Some(at) = spans.too_many_nodes() {
        return Some(too_many_nodes(Some(at), None, limits.nodes));
    }
    if let Some(at) = spans.too_many_branches() {
        return Some(
            Problem::new(
                "flowcost::too-many-nodes",
                format!(
                    "the splits have more than {} branches in all; flowcost reads flows of at most {} nodes and as many branches",
                    limits.nodes, limits.nodes
                ),
            )
            .at(Some(at), "the branches pass the limit here")
            .help("a split needs one branch per destination: merge branches to the same node into one with the summed weight, or raise the limit with FLOWCOST_MAX_NODES"),
        );
    }
    if let Some(at) = spans.too_deep() {
        return Some(too_deep(Some(at), limits.depth));
    }
    let at = spans.alias_overflow()?;
    Some(
        Problem::new(
            "flowcost::alias-expansion",
            format!(
                "the YAML aliases expand to more than {} values (a \"billion laughs\" text)",
                limits.alias_nodes
            ),
        )
        .at(Some(at), "expansion passes the limit here")
        .help(format!(
            "a flow needs few aliases (`*name`), each repeating a small value: write the values out, \
             or raise the limit with FLOWCOST_MAX_ALIAS_NODES (now {})",
            limits.alias_nodes
        )),
    )
}

/// The problem of a flow with more than `max` nodes (`count` of them, when known).
fn too_many_nodes(at: Option<Span>, count: Option<usize>, max: usize) -> Problem {
    let count = count.map_or_else(|| format!("more than {max}"), |c| c.to_string());
    Problem::new(
        "flowcost::too-many-nodes",
        format!("the flow has {count} nodes; flowcost reads flows of at most {max}"),
    )
    .at(at, "too many nodes")
    .help("split the flow into several flows, or raise the limit with FLOWCOST_MAX_NODES")
}

/// The problem of a text nested deeper than `depth`, at the first too-deep collection.
pub(crate) fn too_deep(at: Option<Span>, depth: usize) -> Problem {
    Problem::new(
        "flowcost::too-deep",
        format!("lists and mappings nest more than {depth} deep here"),
    )
    .at(at, "too deep")
    .help(if depth >= PARSER_DEPTH {
        format!(
            "a flow nests about 5 deep (nodes → node → branches → branch); look for unclosed or \
             repeated brackets: flowcost's parsers stop at {PARSER_DEPTH} levels"
        )
    } else {
        format!(
            "a flow nests about 5 deep (nodes → node → branches → branch); look for unclosed or \
             repeated brackets, or raise the limit with FLOWCOST_MAX_DEPTH (at most {PARSER_DEPTH})"
        )
    })
}

/// Where the second document of a multi-document text starts (its `---`), if it does.
fn second_document(text: &str) -> Option<Span> {
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    let mut documents = 0;
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            yaml_rust2::parser::Event::DocumentStart => {
                documents += 1;
                if documents == 2 {
                    let offset = text
                        .char_indices()
                        .nth(mark.index())
                        .map_or(text.len(), |(i, _)| i);
                    return Some(Span {
                        offset: offset.min(text.len().saturating_sub(1)),
                        len: 3.min(text.len() - offset.min(text.len())).max(1),
                    });
                }
            }
            yaml_rust2::parser::Event::StreamEnd => break,
            _ => {}
        }
    }
    None
}

/// Parses YAML text into a value, or the syntax error as a problem.
fn parse_yaml(file: &Arc<SourceFile>, spans: &SpanIndex) -> Result<Value, LoadError> {
    serde_yaml::from_str::<Value>(&file.text).map_err(|e| {
        let full = e.to_string();
        let message = full.split(" at line ").next().unwrap_or(&full).to_string();
        let fail = |problem: Problem| LoadError {
            file: file.clone(),
            problems: vec![problem],
        };
        let at = e.location().map(|l| Span {
            offset: file.offset(l.line(), l.column()),
            len: 1,
        });
        // serde_yaml's own guards, reached only with limits above its own.
        if message.starts_with("recursion limit exceeded") {
            return fail(too_deep(at, PARSER_DEPTH));
        }
        if message.starts_with("repetition limit exceeded") {
            return fail(
                Problem::new(
                    "flowcost::alias-expansion",
                    "the YAML aliases expand to too many values (a \"billion laughs\" text)",
                )
                .at(at, "here")
                .help("write the values out instead of repeating them through aliases (`*name`)"),
            );
        }
        if message.contains("more than one document") {
            return fail(
                Problem::new(
                    "flowcost::yaml-syntax",
                    "the file holds more than one YAML document",
                )
                .at(second_document(&file.text), "a second document starts here")
                .help("a flow file holds one flow: remove the `---` line, and put each flow in its own file"),
            );
        }
        if message.starts_with("control characters are not allowed") {
            // serde_yaml says where only as a byte position in the message.
            let at = message
                .rsplit("position ")
                .next()
                .and_then(|n| n.trim().parse::<usize>().ok())
                .filter(|&n| n < file.text.len())
                .map(|offset| Span { offset, len: 1 });
            let byte = at.and_then(|s| file.text[s.offset..].chars().next());
            return fail(
                Problem::new(
                    "flowcost::yaml-syntax",
                    match byte {
                        Some(c) => format!("invalid YAML: a control character ({:?}) in the text", c),
                        None => "invalid YAML: a control character in the text".to_string(),
                    },
                )
                .at(at, "control character")
                .help("remove it: YAML text holds no control characters besides tabs and line breaks (was the file saved by a binary tool?)"),
            );
        }
        if message.starts_with("unknown anchor") {
            return fail(
                Problem::new("flowcost::yaml-syntax", "invalid YAML: an alias names no anchor")
                    .at(at.map(|s| Span { offset: s.offset.min(file.text.len().saturating_sub(1)), len: 1 }), "unknown alias")
                    .help("define the anchor (`&name value`) before the alias `*name`, or write the value out"),
            );
        }
        let duplicate = spans
            .duplicate_keys()
            .first()
            .filter(|_| message.contains("duplicate entry"));
        let problem = if let Some(&dup) = duplicate {
            // serde_yaml points at the mapping; the index knows the repeated key itself.
            let key = &file.text[dup.offset..dup.offset + dup.len];
            Problem::new(
                "flowcost::duplicate-key",
                format!("the key `{key}` appears twice in one mapping"),
            )
            .at(Some(dup), "second time")
            .help(format!(
                "keep one `{key}`: a YAML mapping cannot repeat a key"
            ))
        } else {
            let span = e.location().map(|l| {
                // At the end of the text, point at its last character instead.
                let at = file.offset(l.line(), l.column());
                let last = file.text.trim_end().len().saturating_sub(1);
                Span {
                    offset: at.min(last),
                    len: 1,
                }
            });
            let near_tab = e
                .location()
                .is_some_and(|l| tab_indent_near(&file.text, l.line()));
            let help = if near_tab {
                "YAML indents with spaces: replace the tabs with spaces"
            } else if message.contains("end of stream") {
                "the file ends inside a value: look for an unclosed quote or bracket above"
            } else {
                "check the indentation, the colons after keys and the quotes around text"
            };
            Problem::new("flowcost::yaml-syntax", format!("invalid YAML: {message}"))
                .at(span, "here")
                .help(help)
        };
        LoadError {
            file: file.clone(),
            problems: vec![problem],
        }
    })
}

/// Indexes the text (positions, and the limits on nesting, aliases and nodes, checked before
/// serde_yaml builds anything), then parses it into a YAML value.
fn index_and_parse(
    file: &Arc<SourceFile>,
    limits: &Limits,
) -> Result<(SpanIndex, Value), LoadError> {
    let spans = SpanIndex::build_with(&file.text, limits);
    if let Some(p) = over_limits(&spans, limits) {
        return Err(LoadError {
            file: file.clone(),
            problems: vec![p],
        });
    }
    let value = parse_yaml(file, &spans)?;
    Ok((spans, value))
}

/// Loads a template catalog from its text.
pub fn parse_catalog(file: Arc<SourceFile>) -> Result<Catalog, LoadError> {
    parse_catalog_with(file, &Limits::default())
}

/// [`parse_catalog`] under the given limits.
pub fn parse_catalog_with(file: Arc<SourceFile>, limits: &Limits) -> Result<Catalog, LoadError> {
    let (spans, value) = index_and_parse(&file, limits)?;
    let mut w = Walker::new(&spans);
    let (value, path) = match value.as_mapping().and_then(|m| m.get("templates")) {
        Some(inner) if value.as_mapping().is_some_and(|m| m.len() == 1) => (inner, "templates"),
        _ => (&value, ""),
    };
    let catalog = w.templates(value, path);
    w.finish(file, catalog)
}

/// Loads a flow from its text; `catalog` supplies templates the flow does not define itself.
pub fn parse_flow(file: Arc<SourceFile>, catalog: Option<&Catalog>) -> Result<Flow, LoadError> {
    parse_flow_with(file, catalog, &Limits::default())
}

/// [`parse_flow`] under the given limits (nesting depth, alias expansion, nodes).
pub fn parse_flow_with(
    file: Arc<SourceFile>,
    catalog: Option<&Catalog>,
    limits: &Limits,
) -> Result<Flow, LoadError> {
    let (spans, value) = index_and_parse(&file, limits)?;
    let mut w = Walker::new(&spans);
    w.max_nodes = limits.nodes;
    let flow = w.flow(&value, catalog, &file);
    let flow = w.finish(file, flow)?;
    Ok(Flow { spans, ..flow })
}

/// A reference to a node by id, with the path of the YAML value that names it.
struct Ref {
    id: String,
    path: String,
}

struct RawBranch {
    to: Ref,
    weight: Option<f64>,
    path: String,
}

enum RawKind {
    SendMessage {
        text: Option<String>,
    },
    SendUpdate {
        template: Option<(String, String)>,
        category: Option<Category>,
        uncategorised: bool,
    },
    Wait {
        duration: Duration,
    },
    WaitForReply {
        timeout: Duration,
        on_reply: Option<Ref>,
        on_timeout: Option<Ref>,
    },
    Split {
        branches: Vec<RawBranch>,
    },
    Step {
        action: Option<String>,
    },
    End,
}

/// A node as read; parts that failed to read are `None` (their problems are reported) so that
/// the rest of the node is still checked.
struct RawNode {
    id: Option<String>,
    path: String,
    kind: Option<RawKind>,
    next: Option<Ref>,
}

struct Walker<'a> {
    spans: &'a SpanIndex,
    problems: Vec<Problem>,
    /// Every template name the flow may use, including entries that failed to load.
    template_names: BTreeSet<String>,
    /// Inline lint suppressions read so far.
    suppressions: Vec<Suppression>,
    /// Most nodes a flow may have.
    max_nodes: usize,
    /// Did-you-mean lookups, bounded over the file.
    suggest: Suggester,
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn one_of(names: &[&str]) -> String {
    names.join(" | ")
}

impl<'a> Walker<'a> {
    fn new(spans: &'a SpanIndex) -> Self {
        Walker {
            spans,
            problems: Vec::new(),
            template_names: BTreeSet::new(),
            suppressions: Vec::new(),
            max_nodes: crate::limits::DEFAULT_NODES,
            suggest: Suggester::default(),
        }
    }

    fn finish<T>(self, file: Arc<SourceFile>, value: Option<T>) -> Result<T, LoadError> {
        match value {
            Some(v) if self.problems.is_empty() => Ok(v),
            _ => Err(LoadError {
                file,
                problems: self.problems,
            }),
        }
    }

    fn report(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn wrong_type(&mut self, v: &Value, path: &str, expected: &str, help: &str) {
        let p = Problem::new(
            "flowcost::wrong-type",
            if path.is_empty() {
                format!("the file must be {expected}, found {}", kind_of(v))
            } else {
                format!("`{path}` must be {expected}, found {}", kind_of(v))
            },
        )
        .at(self.spans.value(path), format!("expected {expected}"))
        .help(help);
        self.report(p);
    }

    fn mapping<'v>(&mut self, v: &'v Value, path: &str, what: &str) -> Option<&'v Mapping> {
        let m = v.as_mapping();
        if m.is_none() {
            self.wrong_type(
                v,
                path,
                "a mapping",
                &format!("write {what} as `key: value` lines"),
            );
        }
        m
    }

    fn sequence<'v>(&mut self, v: &'v Value, path: &str, what: &str) -> Option<&'v Vec<Value>> {
        let s = v.as_sequence();
        if s.is_none() {
            self.wrong_type(
                v,
                path,
                "a list",
                &format!("write {what} as a list of `- ` items"),
            );
        }
        s
    }

    /// Reports keys not in `allowed`, suggesting the closest one.
    fn check_keys(&mut self, m: &Mapping, path: &str, allowed: &[&str], what: &str) {
        for key in m.keys() {
            let Some(k) = key.as_str() else {
                let p = Problem::new(
                    "flowcost::wrong-type",
                    format!("a key of {what} is not text"),
                )
                .at(self.spans.value(path), "here")
                .help(format!("valid keys: {}", allowed.join(", ")));
                self.report(p);
                continue;
            };
            if allowed.contains(&k) {
                continue;
            }
            let key_path = child(path, k);
            let elsewhere = what
                .strip_prefix("a `")
                .and_then(|w| w.strip_suffix("` node"))
                .and_then(|t| key_of_other_node(k, t));
            let help = match elsewhere.or_else(|| {
                closest(k, allowed.iter().copied()).map(|s| format!("did you mean `{s}`?"))
            }) {
                Some(s) => format!("{s} valid keys of {what}: {}", allowed.join(", ")),
                None => format!("valid keys of {what}: {}", allowed.join(", ")),
            };
            let p = Problem::new(
                "flowcost::unknown-key",
                format!("unknown key `{k}` in {what}"),
            )
            .at(self.spans.key(&key_path), "not a known key")
            .help(help);
            self.report(p);
        }
    }

    fn require<'v>(
        &mut self,
        m: &'v Mapping,
        path: &str,
        key: &str,
        what: &str,
        help: &str,
    ) -> Option<&'v Value> {
        let v = m.get(key);
        if v.is_none() {
            let p = Problem::new("flowcost::missing-key", format!("{what} has no `{key}`"))
                .at(self.spans.head(path), format!("`{key}` missing here"))
                .help(help);
            self.report(p);
        }
        v
    }

    fn string(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(v, path, "text", "put the value in quotes");
                None
            }
        }
    }

    /// A value that must be one of `names`; returns its position in `names`.
    fn choice(&mut self, v: &Value, path: &str, names: &[&str], what: &str) -> Option<usize> {
        let s = self.string(v, path)?;
        if let Some(i) = names.iter().position(|n| *n == s) {
            return Some(i);
        }
        let help = match closest(&s, names.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? {what} is one of: {}", one_of(names)),
            None => format!("{what} is one of: {}", one_of(names)),
        };
        let code = if what == "a category" {
            "flowcost::unknown-category"
        } else {
            "flowcost::unknown-value"
        };
        let p = Problem::new(code, format!("`{s}` is not {what}"))
            .at(self.spans.value(path), format!("not {what}"))
            .help(help);
        self.report(p);
        None
    }

    fn category(&mut self, v: &Value, path: &str) -> Option<Category> {
        let names = Category::ALL.map(|c| c.name());
        self.choice(v, path, &names, "a category")
            .map(|i| Category::ALL[i])
    }

    /// A category a template may carry: not service.
    fn template_category(&mut self, v: &Value, path: &str) -> Option<Category> {
        let c = self.category(v, path)?;
        if !c.is_template_category() {
            let p = Problem::new("flowcost::service-template", "templates cannot have the category `service`")
                .at(self.spans.value(path), "service is not a template category")
                .help("service messages are free-form: use a `send_message` node; templates are marketing, utility or authentication");
            self.report(p);
            return None;
        }
        Some(c)
    }

    fn duration(&mut self, v: &Value, path: &str) -> Option<Duration> {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.wrong_type(
                    v,
                    path,
                    "a duration",
                    "write a duration like 30m, 24h or 1d12h",
                );
                return None;
            }
        };
        match parse_duration(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                let p = Problem::new(
                    "flowcost::bad-duration",
                    format!("bad duration: {}", e.message),
                )
                .at(self.spans.value(path), "not a duration")
                .help(e.help);
                self.report(p);
                None
            }
        }
    }

    fn date(&mut self, v: &Value, path: &str) -> Option<NaiveDate> {
        let s = self.string(v, path)?;
        let parsed = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
        if parsed.is_none() {
            let p = Problem::new("flowcost::bad-date", format!("`{s}` is not a date"))
                .at(self.spans.value(path), "not a date")
                .help("write a date as YYYY-MM-DD, like 2026-10-01");
            self.report(p);
        }
        parsed
    }

    /// `lint: { allow: [RULE…], reason: … }`; rule names are checked by the linter.
    fn suppression(&mut self, v: &Value, path: &str, node: Option<usize>) {
        let Some(m) = self.mapping(v, path, "a lint suppression") else {
            return;
        };
        self.check_keys(m, path, SUPPRESSION_KEYS, "a lint suppression");
        let apath = child(path, "allow");
        let rules: Vec<(String, Option<Span>)> = self
            .require(
                m,
                path,
                "allow",
                "the suppression",
                "list the rules: `allow: [mixed-categories]`",
            )
            .and_then(|a| self.sequence(a, &apath, "the allowed rules"))
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, r)| {
                let p = item(&apath, i);
                self.string(r, &p).map(|name| (name, self.spans.value(&p)))
            })
            .collect();
        let reason = self
            .require(
                m,
                path,
                "reason",
                "the suppression",
                "say why: `reason: the greeting is required by law`",
            )
            .and_then(|r| self.string(r, &child(path, "reason")));
        match reason {
            Some(reason) if reason.trim().is_empty() => {
                let p = Problem::new("flowcost::missing-key", "the suppression's reason is empty")
                    .at(self.spans.value(&child(path, "reason")), "empty")
                    .help("say why the rule does not apply here");
                self.report(p);
            }
            Some(reason) => self.suppressions.push(Suppression {
                node,
                rules,
                reason,
            }),
            None => {}
        }
    }

    fn node_ref(&mut self, m: &Mapping, path: &str, key: &str) -> Option<Ref> {
        let v = m.get(key)?;
        let p = child(path, key);
        self.string(v, &p).map(|id| Ref { id, path: p })
    }

    fn templates(&mut self, v: &Value, path: &str) -> Option<Catalog> {
        if v.is_null() {
            return Some(Catalog::new());
        }
        let m = self.mapping(v, path, "the template catalog")?;
        let mut catalog = Catalog::new();
        let mut sids: HashMap<String, String> = HashMap::new();
        for (k, entry) in m {
            let Some(name) = k.as_str() else {
                self.wrong_type(k, path, "text", "template names are text");
                continue;
            };
            let p = child(path, name);
            if let Some(t) = self.template(entry, &p) {
                if let Some(sid) = &t.content_sid {
                    match sids.get(sid) {
                        Some(first) => {
                            let first = first.clone();
                            self.shared_content_sid(sid, name, &first, path);
                        }
                        None => {
                            sids.insert(sid.clone(), name.to_string());
                        }
                    }
                }
                catalog.insert(name.to_string(), t);
            }
        }
        Some(catalog)
    }

    /// Two templates with one Twilio `content_sid`: a Studio send naming it could be either.
    fn shared_content_sid(&mut self, sid: &str, name: &str, first: &str, path: &str) {
        let at = |p: &str| child(&child(path, p), "content_sid");
        let problem = Problem::new(
            "flowcost::duplicate-content-sid",
            format!(
                "templates `{first}` and `{name}` share the content_sid `{}`: a send naming it could be either",
                quote(sid)
            ),
        )
        .at(self.spans.value(&at(name)), "the same content_sid")
        .related(self.spans.value(&at(first)), "first here")
        .help("each Twilio Content template has its own SID (HX…): correct the SID, or remove the entry that repeats it");
        self.problems.push(problem);
    }

    fn template(&mut self, v: &Value, path: &str) -> Option<Template> {
        let span = self.spans.value(path);
        if v.is_string() {
            // Short form: `welcome_offer: marketing`.
            let category = self.template_category(v, path)?;
            return Some(Template {
                category,
                status: None,
                text: None,
                uuid: None,
                content_sid: None,
                history: Vec::new(),
                span,
            });
        }
        let m = self.mapping(v, path, "a template")?;
        self.check_keys(m, path, TEMPLATE_KEYS, "a template");
        let category = self
            .require(
                m,
                path,
                "category",
                "the template",
                "add `category: marketing | utility | authentication`",
            )
            .and_then(|c| self.template_category(c, &child(path, "category")));
        let status = m.get("status").and_then(|s| {
            self.choice(
                s,
                &child(path, "status"),
                &TemplateStatus::NAMES,
                "a template status",
            )
        });
        let status = status.map(|i| {
            [
                TemplateStatus::Approved,
                TemplateStatus::Pending,
                TemplateStatus::Rejected,
                TemplateStatus::Paused,
                TemplateStatus::Disabled,
            ][i]
        });
        let text = m
            .get("text")
            .and_then(|t| self.string(t, &child(path, "text")));
        if let Some(l) = m.get("language") {
            self.string(l, &child(path, "language"));
        }
        let uuid = m
            .get("uuid")
            .and_then(|t| self.string(t, &child(path, "uuid")));
        let content_sid = m
            .get("content_sid")
            .and_then(|t| self.string(t, &child(path, "content_sid")));
        let mut history = Vec::new();
        if let Some(h) = m.get("category_history") {
            let hp = child(path, "category_history");
            for (i, e) in self
                .sequence(h, &hp, "the category history")
                .into_iter()
                .flatten()
                .enumerate()
            {
                let ep = item(&hp, i);
                let Some(em) = self.mapping(e, &ep, "a recategorisation") else {
                    continue;
                };
                self.check_keys(em, &ep, HISTORY_KEYS, "a recategorisation");
                let since = self
                    .require(
                        em,
                        &ep,
                        "since",
                        "the recategorisation",
                        "add `since: YYYY-MM-DD`",
                    )
                    .and_then(|s| self.date(s, &child(&ep, "since")));
                let cat = self
                    .require(
                        em,
                        &ep,
                        "category",
                        "the recategorisation",
                        "add the new category",
                    )
                    .and_then(|c| self.template_category(c, &child(&ep, "category")));
                if let (Some(since), Some(category)) = (since, cat) {
                    history.push(Recategorised { since, category });
                }
            }
            history.sort_by_key(|r| r.since);
        }
        Some(Template {
            category: category?,
            status,
            text,
            uuid,
            content_sid,
            history,
            span,
        })
    }

    fn flow(
        &mut self,
        v: &Value,
        catalog: Option<&Catalog>,
        file: &Arc<SourceFile>,
    ) -> Option<Flow> {
        if v.is_null() {
            let p = Problem::new("flowcost::empty-flow", "the file is empty").help(
                "a flow needs at least `flow:`, `trigger:` and `nodes:`; see flows/ for examples",
            );
            self.report(p);
            return None;
        }
        let m = self.mapping(v, "", "a flow")?;
        self.check_keys(m, "", FLOW_KEYS, "a flow");
        let name = self
            .require(m, "", "flow", "the flow", "name it: `flow: welcome-opt-in`")
            .and_then(|n| self.string(n, "flow"));
        let kind = match m.get("kind") {
            None => Some(FlowKind::Journey),
            Some(k) => self
                .choice(k, "kind", &FlowKind::NAMES, "a flow kind")
                .map(|i| {
                    [
                        FlowKind::Journey,
                        FlowKind::OptIn,
                        FlowKind::PostPurchase,
                        FlowKind::Campaign,
                    ][i]
                }),
        };
        let description = m
            .get("description")
            .and_then(|d| self.string(d, "description"));
        let trigger = self
            .require(
                m,
                "",
                "trigger",
                "the flow",
                &format!("say how it starts: `trigger: {}`", one_of(&Trigger::NAMES)),
            )
            .and_then(|t| self.choice(t, "trigger", &Trigger::NAMES, "a trigger"))
            .map(|i| {
                [
                    Trigger::CustomerMessage,
                    Trigger::AdClick,
                    Trigger::BusinessEvent,
                    Trigger::Schedule,
                ][i]
            });
        let market = m.get("market").and_then(|mk| self.market(mk, "market"));
        if let Some(l) = m.get("lint") {
            self.suppression(l, "lint", None);
        }
        let own = match m.get("templates") {
            Some(t) => self.templates(t, "templates"),
            None => Some(Catalog::new()),
        };
        let mut templates = catalog.cloned().unwrap_or_default();
        templates.extend(own.unwrap_or_default());
        // Entries that failed to load still count as known: their problem is reported once.
        self.template_names = templates.keys().cloned().collect();
        if let Some(own) = m.get("templates").and_then(Value::as_mapping) {
            let names = own.keys().filter_map(|k| k.as_str().map(str::to_string));
            self.template_names.extend(names);
        }
        let nodes = self
            .require(
                m,
                "",
                "nodes",
                "the flow",
                "list the flow's steps under `nodes:`",
            )
            .and_then(|n| self.nodes(n, &templates));
        Some(Flow {
            name: name?,
            kind: kind?,
            description,
            trigger: trigger?,
            market: market.flatten(),
            templates,
            nodes: nodes?,
            suppressions: std::mem::take(&mut self.suppressions),
            source: file.clone(),
            spans: SpanIndex::default(),
        })
    }

    /// `Some(None)` is no market; `None` a bad one.
    fn market(&mut self, v: &Value, path: &str) -> Option<Option<String>> {
        let s = self.string(v, path)?;
        match crate::country::parse_country(&s) {
            Ok(code) => Some(Some(code)),
            Err(e) => {
                let p = Problem::new("flowcost::bad-market", e.message)
                    .at(self.spans.value(path), "not an ISO 3166-1 alpha-2 code")
                    .help(e.help);
                self.report(p);
                None
            }
        }
    }

    fn nodes(&mut self, v: &Value, templates: &Catalog) -> Option<Vec<Node>> {
        let list = self.sequence(v, "nodes", "the nodes")?;
        if list.is_empty() {
            let p = Problem::new("flowcost::empty-flow", "the flow has no nodes")
                .at(self.spans.value("nodes"), "empty")
                .help(
                    "add at least one node, e.g. `- { id: hello, type: send_message, text: Hi }`",
                );
            self.report(p);
            return None;
        }
        if list.len() > self.max_nodes {
            let p = too_many_nodes(self.spans.key("nodes"), Some(list.len()), self.max_nodes);
            self.report(p);
            return None;
        }
        let raw: Vec<Option<RawNode>> = list
            .iter()
            .enumerate()
            .map(|(i, n)| self.raw_node(n, &item("nodes", i), templates))
            .collect();
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, n) in raw.iter().enumerate() {
            let Some((n, id)) = n.as_ref().and_then(|n| Some((n, n.id.as_deref()?))) else {
                continue;
            };
            if let Some(&first) = ids.get(id) {
                let p = Problem::new(
                    "flowcost::duplicate-id",
                    format!("two nodes have the id `{id}`"),
                )
                .at(self.spans.value(&child(&n.path, "id")), "second use")
                .help(format!(
                    "node ids must be unique; node {} already has it: rename one",
                    first + 1
                ));
                self.report(p);
            } else {
                ids.insert(id, i);
            }
        }
        let all_ids: Vec<&str> = ids.keys().copied().collect();
        let resolve = |w: &mut Self, r: &Ref| -> Option<usize> {
            if let Some(&i) = ids.get(r.id.as_str()) {
                return Some(i);
            }
            let help = match w.suggest.closest(&r.id, all_ids.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "name the id of a node of this flow".to_string(),
            };
            let p = Problem::new(
                "flowcost::dangling-reference",
                format!("no node has the id `{}`", r.id),
            )
            .at(w.spans.value(&r.path), "no such node")
            .help(help);
            w.report(p);
            None
        };
        let count = raw.len();
        let mut nodes = Vec::with_capacity(count);
        let mut complete = true;
        for (i, n) in raw.iter().enumerate() {
            let Some(n) = n else {
                complete = false;
                continue;
            };
            let below = (i + 1 < count).then_some(i + 1);
            let next = match &n.next {
                Some(r) => resolve(self, r).map(Some),
                None => Some(below),
            };
            let kind = match n.kind.as_ref().unwrap_or(&RawKind::End) {
                RawKind::SendMessage { text } => Some(NodeKind::SendMessage { text: text.clone() }),
                RawKind::SendUpdate {
                    template,
                    category,
                    uncategorised,
                } => Some(NodeKind::SendUpdate {
                    template: template.as_ref().map(|(t, _)| t.clone()),
                    category: *category,
                    uncategorised: *uncategorised,
                }),
                RawKind::Wait { duration } => Some(NodeKind::Wait {
                    duration: *duration,
                }),
                RawKind::WaitForReply {
                    timeout,
                    on_reply,
                    on_timeout,
                } => {
                    let on_reply = on_reply
                        .as_ref()
                        .map_or(Some(below), |r| resolve(self, r).map(Some));
                    let on_timeout = on_timeout
                        .as_ref()
                        .map_or(Some(below), |r| resolve(self, r).map(Some));
                    match (on_reply, on_timeout) {
                        (Some(on_reply), Some(on_timeout)) => Some(NodeKind::WaitForReply {
                            timeout: *timeout,
                            on_reply,
                            on_timeout,
                        }),
                        _ => None,
                    }
                }
                RawKind::Split { branches } => {
                    let resolved: Vec<Option<usize>> =
                        branches.iter().map(|b| resolve(self, &b.to)).collect();
                    let weights = self.weights(branches);
                    let guessed = branches.iter().all(|b| b.weight.is_none());
                    match (resolved.into_iter().collect::<Option<Vec<_>>>(), weights) {
                        (Some(tos), Some(ws)) => Some(NodeKind::Split {
                            branches: tos
                                .into_iter()
                                .zip(ws)
                                .map(|(to, weight)| Branch { to, weight })
                                .collect(),
                            guessed,
                        }),
                        _ => None,
                    }
                }
                RawKind::Step { action } => Some(NodeKind::Step {
                    action: action.clone(),
                }),
                RawKind::End => Some(NodeKind::End),
            };
            match (kind.filter(|_| n.kind.is_some()), next, &n.id) {
                (Some(kind), Some(next), Some(id)) => nodes.push(Node {
                    id: id.clone(),
                    kind,
                    next,
                    span: self.spans.value(&n.path),
                    id_span: self.spans.value(&child(&n.path, "id")),
                }),
                _ => complete = false,
            }
        }
        if !complete {
            return None;
        }
        self.problems.extend(loops_without_wait(&nodes));
        Some(nodes)
    }

    /// Equal weights when none is given; otherwise every branch needs a finite weight ≥ 0 and
    /// the sum must be positive.
    fn weights(&mut self, branches: &[RawBranch]) -> Option<Vec<f64>> {
        if branches.iter().all(|b| b.weight.is_none()) {
            return Some(vec![1.0; branches.len()]);
        }
        let mut ok = true;
        for b in branches.iter().filter(|b| b.weight.is_none()) {
            let p = Problem::new(
                "flowcost::bad-weight",
                "this branch has no weight while others have one",
            )
            .at(self.spans.value(&b.path), "no `weight`")
            .help("give every branch a weight, or none (equal weights)");
            self.report(p);
            ok = false;
        }
        let sum: f64 = branches.iter().filter_map(|b| b.weight).sum();
        if ok && !(sum > 0.0 && sum.is_finite()) {
            let path = branches
                .first()
                .map(|b| b.path.rsplit_once('[').map_or("", |(p, _)| p).to_string());
            let p = Problem::new("flowcost::bad-weight", format!("the branch weights add up to {sum}"))
                .at(path.and_then(|p| self.spans.value(&p)), "weights")
                .help("weights are relative shares, like 70 and 30: at least one must be positive, and all of them finite");
            self.report(p);
            ok = false;
        }
        ok.then(|| branches.iter().filter_map(|b| b.weight).collect())
    }

    fn raw_node(&mut self, v: &Value, path: &str, templates: &Catalog) -> Option<RawNode> {
        let m = self.mapping(v, path, "a node")?;
        let id = self
            .require(
                m,
                path,
                "id",
                "the node",
                "give it a unique id: `id: greet`",
            )
            .and_then(|i| self.string(i, &child(path, "id")));
        if id.as_deref() == Some("") {
            let p = Problem::new("flowcost::wrong-type", "the node id is empty")
                .at(self.spans.value(&child(path, "id")), "empty")
                .help("give it a unique id: `id: greet`");
            self.report(p);
        }
        let type_index = self
            .require(
                m,
                path,
                "type",
                "the node",
                &format!("add `type: {}`", one_of(NODE_TYPES)),
            )
            .and_then(|t| self.choice(t, &child(path, "type"), NODE_TYPES, "a node type"));
        let id = id.filter(|i| !i.is_empty());
        let next = self.node_ref(m, path, "next");
        let Some(type_index) = type_index else {
            return Some(RawNode {
                id,
                path: path.to_string(),
                kind: None,
                next,
            });
        };
        let node_type = NODE_TYPES[type_index];
        let allowed: Vec<&str> = COMMON_NODE_KEYS
            .iter()
            .chain(node_keys(node_type))
            .copied()
            .collect();
        let before = self.problems.len();
        self.check_keys(m, path, &allowed, &format!("a `{node_type}` node"));
        let misspelled = self.problems.len() > before;
        if let Some(d) = m.get("description") {
            self.string(d, &child(path, "description"));
        }
        if let Some(l) = m.get("lint") {
            let index = path
                .trim_start_matches("nodes[")
                .trim_end_matches(']')
                .parse()
                .ok();
            self.suppression(l, &child(path, "lint"), index);
        }
        let kind = match node_type {
            "send_message" => Some(RawKind::SendMessage {
                text: m
                    .get("text")
                    .and_then(|t| self.string(t, &child(path, "text"))),
            }),
            "send_update" => self.send_update(m, path, templates, misspelled),
            "wait" => self
                .require(m, path, "for", "the wait", "say how long: `for: 2d`")
                .and_then(|d| self.duration(d, &child(path, "for")))
                .map(|duration| RawKind::Wait { duration }),
            "wait_for_reply" => {
                let timeout = self
                    .require(
                        m,
                        path,
                        "timeout",
                        "the reply wait",
                        "say how long to wait: `timeout: 24h`",
                    )
                    .and_then(|d| self.duration(d, &child(path, "timeout")));
                let on_reply = self.node_ref(m, path, "on_reply");
                let on_timeout = self.node_ref(m, path, "on_timeout");
                timeout.map(|timeout| RawKind::WaitForReply {
                    timeout,
                    on_reply,
                    on_timeout,
                })
            }
            "split" => self.split(m, path),
            "step" => Some(RawKind::Step {
                action: m
                    .get("action")
                    .and_then(|a| self.string(a, &child(path, "action"))),
            }),
            _ => Some(RawKind::End),
        };
        Some(RawNode {
            id,
            path: path.to_string(),
            kind,
            next,
        })
    }

    /// `misspelled`: the node has an unknown key, so a missing template or category is most
    /// likely that key misspelled, already reported.
    fn send_update(
        &mut self,
        m: &Mapping,
        path: &str,
        templates: &Catalog,
        misspelled: bool,
    ) -> Option<RawKind> {
        let tpath = child(path, "template");
        let template = m.get("template").and_then(|t| self.string(t, &tpath));
        // `category: unknown`: a template whose category nobody knows yet (an import's send of
        // a template the catalog lacks); costs become a range.
        let uncategorised = m.get("category").and_then(Value::as_str) == Some(UNKNOWN);
        let category = match m.get("category") {
            Some(_) if uncategorised => None,
            Some(c) => Some(self.template_category(c, &child(path, "category"))?),
            None => None,
        };
        if uncategorised {
            return Some(RawKind::SendUpdate {
                template: template.map(|t| (t, tpath)),
                category: None,
                uncategorised: true,
            });
        }
        if let Some(name) = &template {
            if self.template_names.contains(name) && !templates.contains_key(name) {
                return None; // the entry itself is bad, and reported
            }
            if !templates.contains_key(name) {
                let help = match self.suggest.closest(name, templates.keys().map(String::as_str)) {
                    Some(c) => format!("did you mean `{c}`? or add `{name}` under `templates:` or to the catalog given with --templates"),
                    None => format!("add `{name}: {{ category: CATEGORY }}` under `templates:` with the category Meta approved it with (utility, marketing or authentication), or name a catalog holding it (--templates FILE, or `templates = \"FILE\"` in flowcost.toml)"),
                };
                let p = Problem::new(
                    "flowcost::unknown-template",
                    format!("the template `{name}` is not in the catalog"),
                )
                .at(self.spans.value(&tpath), "unknown template")
                .help(help);
                self.report(p);
                return None;
            }
        } else if category.is_none() {
            if misspelled {
                return None;
            }
            let p = Problem::new("flowcost::missing-category", "this `send_update` names neither a template nor a category")
                .at(self.spans.key(&child(path, "type")), "which template?")
                .help("add `template: NAME` (from the catalog) or `category: marketing | utility | authentication`");
            self.report(p);
            return None;
        }
        Some(RawKind::SendUpdate {
            template: template.map(|t| (t, tpath)),
            category,
            uncategorised: false,
        })
    }

    fn split(&mut self, m: &Mapping, path: &str) -> Option<RawKind> {
        let bpath = child(path, "branches");
        let list = self
            .require(
                m,
                path,
                "branches",
                "the split",
                "list its branches: `branches: [{ to: a, weight: 70 }, { to: b, weight: 30 }]`",
            )
            .and_then(|b| self.sequence(b, &bpath, "the branches"))?;
        if list.is_empty() {
            let p = Problem::new("flowcost::bad-weight", "the split has no branches")
                .at(self.spans.value(&bpath), "empty")
                .help("list at least one branch: `- { to: NODE, weight: 50 }`");
            self.report(p);
            return None;
        }
        let mut branches = Vec::new();
        let mut ok = true;
        for (i, b) in list.iter().enumerate() {
            let p = item(&bpath, i);
            let Some(bm) = self.mapping(b, &p, "a branch") else {
                ok = false;
                continue;
            };
            self.check_keys(bm, &p, BRANCH_KEYS, "a branch");
            let to = self
                .require(bm, &p, "to", "the branch", "say where it goes: `to: NODE`")
                .and(self.node_ref(bm, &p, "to"));
            let weight = match bm.get("weight") {
                None => Some(None),
                Some(w) => self.weight(w, &child(&p, "weight")).map(Some),
            };
            match (to, weight) {
                (Some(to), Some(weight)) => branches.push(RawBranch {
                    to,
                    weight,
                    path: p,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(RawKind::Split { branches })
    }

    fn weight(&mut self, v: &Value, path: &str) -> Option<f64> {
        let w = v.as_f64().filter(|w| w.is_finite() && *w >= 0.0);
        if w.is_none() {
            let p = Problem::new(
                "flowcost::bad-weight",
                format!(
                    "`{}` is not a weight",
                    serde_yaml::to_string(v).unwrap_or_default().trim()
                ),
            )
            .at(self.spans.value(path), "not a weight")
            .help("a weight is a number ≥ 0, a relative share like 70 or 0.7");
            self.report(p);
        }
        w
    }
}

/// Every cycle through nodes none of which waits: it would run forever at one instant.
pub fn loops_without_wait(nodes: &[Node]) -> Vec<Problem> {
    let mut problems = Vec::new();
    const WHITE: u8 = 0;
    const GRAY: u8 = 1;
    const BLACK: u8 = 2;
    let mut color = vec![WHITE; nodes.len()];
    for root in 0..nodes.len() {
        if color[root] != WHITE || nodes[root].waits() {
            continue;
        }
        // Iterative DFS over nodes that do not wait; the stack holds (node, its successors,
        // the next one to visit): successors are listed once per node, not once per step (a
        // split with 500,000 branches would otherwise take quadratic time).
        let mut stack: Vec<(usize, Vec<usize>, usize)> = vec![(root, nodes[root].successors(), 0)];
        color[root] = GRAY;
        while let Some((u, succ, k)) = stack.last_mut() {
            let u = *u;
            if *k >= succ.len() {
                color[u] = BLACK;
                stack.pop();
                continue;
            }
            let v = succ[*k];
            *k += 1;
            if nodes[v].waits() {
                continue;
            }
            match color[v] {
                WHITE => {
                    color[v] = GRAY;
                    stack.push((v, nodes[v].successors(), 0));
                }
                GRAY => {
                    let start = stack.iter().position(|(n, ..)| *n == v).unwrap_or(0);
                    let cycle: Vec<&str> = stack[start..]
                        .iter()
                        .map(|(n, ..)| nodes[*n].id.as_str())
                        .chain([nodes[v].id.as_str()])
                        .collect();
                    let p = Problem::new("flowcost::loop-without-wait", format!("the nodes {} loop without a wait", cycle.join(" → ")))
                            .at(nodes[u].id_span, "this node closes the loop")
                            .help("a loop must pass a `wait` or `wait_for_reply` node, or it repeats forever at the same instant");
                    problems.push(p);
                }
                _ => {}
            }
        }
    }
    problems
}
