//! Where every key and value of a YAML document sits in its text.
//!
//! serde_yaml reports a position only for syntax and type errors. Diagnostics on values
//! (a dangling `next`, a bad duration) need one too, so the text is indexed once with
//! yaml-rust2's event parser into a map from key path (`nodes[2].next`) to byte spans.
//!
//! The same pass measures what the text would cost to load: how deep it nests and how many
//! values its aliases add by expansion (a "billion laughs" text is small but expands to
//! billions of values). Indexing stops recording below the depth limit, so it stays linear.

use crate::limits::Limits;
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A byte range in a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.offset, s.len).into()
    }
}

/// Line starts of a text, to turn (line, column) into byte offsets and back.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts }
    }

    /// Byte offset of a 1-based line and a 0-based column counted in characters.
    pub fn offset(&self, text: &str, line: usize, col_chars: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let rest = &text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(col_chars)
            .map_or(line_text.len(), |(i, _)| i);
        start + within
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line, col + 1)
    }

    /// Byte offset of the end of the line holding `offset` (before the newline).
    fn line_end(&self, text: &str, offset: usize) -> usize {
        text[offset..].find('\n').map_or(text.len(), |i| offset + i)
    }
}

/// The positions of one key and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The key (`next:`), absent for sequence items and the root.
    pub key: Option<Span>,
    /// The value.
    pub value: Span,
    /// The first line of the value: for a mapping or list, where it starts.
    pub head: Span,
}

/// Key path → positions, for one YAML document.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    entries: HashMap<String, Entry>,
    duplicates: Vec<Span>,
    too_deep: Option<Span>,
    alias_overflow: Option<Span>,
    alias_nodes: u64,
    too_many_nodes: Option<Span>,
    too_many_branches: Option<Span>,
}

impl SpanIndex {
    /// Indexes `text` under the default [`Limits`]. A text the event parser cannot read gives
    /// an empty index: spans are a convenience for diagnostics, never a reason to fail.
    pub fn build(text: &str) -> Self {
        SpanIndex::build_with(text, &Limits::default())
    }

    /// Indexes `text`, recording where it first nests deeper than `limits.depth` (and nothing
    /// below that) and where its aliases first add more than `limits.alias_nodes` values.
    pub fn build_with(text: &str, limits: &Limits) -> Self {
        let lines = Lines::new(text);
        let mut builder = Builder {
            text,
            lines: &lines,
            chars: CharIndex::new(text),
            last_char: text.char_indices().next_back().map_or(0, |(i, _)| i),
            stack: Vec::new(),
            entries: HashMap::new(),
            duplicates: Vec::new(),
            limits: *limits,
            sizes: Vec::new(),
            anchors: HashMap::new(),
            skipped: 0,
            too_deep: None,
            alias_nodes: 0,
            alias_overflow: None,
            too_many_nodes: None,
            branches: 0,
            too_many_branches: None,
            stopped: false,
        };
        let parsed = Parser::new_from_str(text).load(&mut builder, false);
        if let Err(e) = &parsed {
            // The scanner reads a run of `[`/`{` ahead of the events, and gives up past 255.
            if builder.too_deep.is_none() && e.info().contains("recursion limit") {
                builder.too_deep = Some(Span {
                    offset: builder.chars.byte(text, e.marker().index()),
                    len: 1,
                });
            }
        }
        let limits_hit = SpanIndex {
            too_many_nodes: builder.too_many_nodes,
            too_many_branches: builder.too_many_branches,
            too_deep: builder.too_deep,
            alias_overflow: builder.alias_overflow,
            alias_nodes: builder.alias_nodes,
            ..SpanIndex::default()
        };
        if parsed.is_err() || builder.stopped {
            return limits_hit;
        }
        SpanIndex {
            entries: builder.entries,
            duplicates: builder.duplicates,
            ..limits_hit
        }
    }

    /// The `nodes:` key of a flow whose list has more nodes than the limit it was indexed
    /// with; the index holds nothing after that key then.
    pub fn too_many_nodes(&self) -> Option<Span> {
        self.too_many_nodes
    }

    /// The `branches:` key where the flow's split branches, in all, pass the node limit; the
    /// index holds nothing after it then.
    pub fn too_many_branches(&self) -> Option<Span> {
        self.too_many_branches
    }

    /// Where the text first nests deeper than the depth limit it was indexed with.
    pub fn too_deep(&self) -> Option<Span> {
        self.too_deep
    }

    /// Where aliases first add more values than the limit it was indexed with.
    pub fn alias_overflow(&self) -> Option<Span> {
        self.alias_overflow
    }

    /// How many values the aliases add by expansion (counted up to the overflow).
    pub fn alias_nodes(&self) -> u64 {
        self.alias_nodes
    }

    /// Keys that repeat a key of the same mapping, in file order.
    pub fn duplicate_keys(&self) -> &[Span] {
        &self.duplicates
    }

    /// The first line of the value at `path` (or of its nearest ancestor): a short place to
    /// point at for a mapping that lacks a key.
    pub fn head(&self, path: &str) -> Option<Span> {
        self.nearest(path).map(|e| e.head)
    }

    /// The positions recorded for a path, if any.
    pub fn get(&self, path: &str) -> Option<Entry> {
        self.entries.get(path).copied()
    }

    /// The span of the value at `path`, else of the nearest ancestor that has one.
    pub fn value(&self, path: &str) -> Option<Span> {
        self.nearest(path).map(|e| e.value)
    }

    /// The span of the key at `path` (for an unknown key), else its value's, else an ancestor's.
    pub fn key(&self, path: &str) -> Option<Span> {
        self.nearest(path).map(|e| e.key.unwrap_or(e.value))
    }

    fn nearest(&self, path: &str) -> Option<Entry> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.get(p) {
                return Some(*e);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

/// Joins a key onto a path: `nodes[2]` + `next` → `nodes[2].next`.
pub fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins an index onto a path: `nodes` + 2 → `nodes[2]`.
pub fn item(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

enum Frame {
    Map {
        path: String,
        start: usize,
        key: Option<(String, Span)>,
        seen: HashSet<String>,
    },
    Seq {
        path: String,
        start: usize,
        next: usize,
    },
}

struct Builder<'a> {
    text: &'a str,
    lines: &'a Lines,
    chars: CharIndex,
    /// Byte offset of the last character (0 for an empty text).
    last_char: usize,
    stack: Vec<Frame>,
    entries: HashMap<String, Entry>,
    duplicates: Vec<Span>,
    limits: Limits,
    /// For each open collection (parallel to `stack`): values in it so far, aliases expanded,
    /// and its anchor id (0: none).
    sizes: Vec<(u64, usize)>,
    /// Anchor id → values in the anchored node, aliases expanded.
    anchors: HashMap<usize, u64>,
    /// Collections open below the depth limit, not indexed.
    skipped: usize,
    too_deep: Option<Span>,
    alias_nodes: u64,
    alias_overflow: Option<Span>,
    /// The top-level `nodes` list has more items than the limit (its key).
    too_many_nodes: Option<Span>,
    /// Split branches seen so far, in all nodes.
    branches: usize,
    /// The `branches` key where their total passes the node limit.
    too_many_branches: Option<Span>,
    /// Past the node limit: the rest of the text is not indexed.
    stopped: bool,
}

/// Character index → byte offset in constant time: a checkpoint every 64 characters (none
/// for ASCII text), so that positions on a very long line cost no rescan of the line.
struct CharIndex {
    checkpoints: Option<Vec<usize>>,
}

impl CharIndex {
    const STEP: usize = 64;

    fn new(text: &str) -> Self {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(Self::STEP)
                .map(|(i, _)| i)
                .collect()
        });
        CharIndex { checkpoints }
    }

    fn byte(&self, text: &str, char_index: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return char_index.min(text.len());
        };
        let Some(&from) = checkpoints.get(char_index / Self::STEP) else {
            return text.len();
        };
        text[from..]
            .char_indices()
            .nth(char_index % Self::STEP)
            .map_or(text.len(), |(i, _)| from + i)
    }
}

impl Builder<'_> {
    fn offset(&self, mark: Marker) -> usize {
        self.chars.byte(self.text, mark.index())
    }

    fn scalar_span(&self, start: usize, value: &str, style: TScalarStyle) -> Span {
        let len = match style {
            TScalarStyle::Plain => value.len(),
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => value.len() + 2,
            _ => 1,
        };
        let end = (start + len).min(self.lines.line_end(self.text, start));
        Span {
            offset: start,
            len: end.saturating_sub(start).max(1),
        }
    }

    /// The first line of a collection that starts at `start`.
    fn head(&self, start: usize) -> Span {
        let end = self.lines.line_end(self.text, start);
        Span {
            offset: start,
            len: self.text[start..end].trim_end().len().max(1),
        }
    }

    /// A block mapping's start mark lies after its first key: anchor the mapping at that key.
    fn first_key(&mut self, key: Span) {
        let Some(Frame::Map {
            path, start, seen, ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        if seen.len() != 1 || key.offset >= *start {
            return;
        }
        *start = key.offset;
        let path = path.clone();
        let head = self.head(key.offset);
        if let Some(e) = self.entries.get_mut(&path) {
            e.value = head;
            e.head = head;
        }
    }

    /// Where the next node goes: its path and its key's span. `None` when the node is a key.
    fn place(&mut self, key_text: Option<&str>, span: Span) -> Option<(String, Option<Span>)> {
        let mut duplicate = false;
        let top_level = self.stack.len() == 2;
        // root mapping → `nodes` → a node → its `branches`
        let branches_level = self.stack.len() == 4;
        let placed = match self.stack.last_mut() {
            None => Some((String::new(), None)),
            Some(Frame::Seq { path, next, .. }) => {
                if *next >= self.limits.nodes && top_level && path == "nodes" {
                    self.too_many_nodes =
                        self.entries.get("nodes").map(|e| e.key.unwrap_or(e.head));
                    self.stopped = true;
                }
                // Split branches count against the same limit: each one is a path to explore.
                if branches_level && path.ends_with(".branches") {
                    self.branches += 1;
                    if self.branches > self.limits.nodes {
                        self.too_many_branches = self
                            .entries
                            .get(path.as_str())
                            .map(|e| e.key.unwrap_or(e.head));
                        self.stopped = true;
                    }
                }
                let p = item(path, *next);
                *next += 1;
                Some((p, None))
            }
            Some(Frame::Map {
                path, key, seen, ..
            }) => match key.take() {
                Some((k, key_span)) => Some((child(path, &k), Some(key_span))),
                None => {
                    let k = key_text.unwrap_or("?").to_string();
                    duplicate = !seen.insert(k.clone());
                    *key = Some((k, span));
                    None
                }
            },
        };
        if duplicate {
            self.duplicates.push(span);
        }
        placed
    }
}

impl Builder<'_> {
    /// Counts a finished value of `size` values into its parent, and under its anchor.
    fn counted(&mut self, size: u64, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, size);
        }
        if let Some((parent, _)) = self.sizes.last_mut() {
            *parent = parent.saturating_add(size);
        }
    }

    /// Events below the depth limit are only counted, to know when the deep part ends.
    fn skip(&mut self, ev: &Event) -> bool {
        if self.stopped {
            return true;
        }
        if self.skipped == 0 {
            return false;
        }
        match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => self.skipped += 1,
            Event::MappingEnd | Event::SequenceEnd => self.skipped -= 1,
            _ => {}
        }
        true
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.skip(&ev) {
            return;
        }
        // A value at the very end (an empty one) is shown on the last character.
        let start = self.offset(mark).min(self.last_char);
        match ev {
            Event::Scalar(value, style, anchor, _) => {
                self.counted(1, anchor);
                let span = self.scalar_span(start, &value, style);
                match self.place(Some(&value), span) {
                    Some((path, key)) => {
                        self.entries.insert(
                            path,
                            Entry {
                                key,
                                value: span,
                                head: span,
                            },
                        );
                    }
                    None => self.first_key(span),
                }
            }
            Event::Alias(id) => {
                let span = Span {
                    offset: start,
                    len: 1,
                };
                let size = self.anchors.get(&id).copied().unwrap_or(1);
                self.alias_nodes = self.alias_nodes.saturating_add(size);
                if self.alias_nodes > self.limits.alias_nodes && self.alias_overflow.is_none() {
                    let end = self.lines.line_end(self.text, start);
                    let name_len = self.text[start..end]
                        .find(|c: char| c.is_whitespace() || ",]}".contains(c))
                        .unwrap_or(end - start);
                    self.alias_overflow = Some(Span {
                        offset: start,
                        len: name_len.max(1),
                    });
                }
                self.counted(size, 0);
                if let Some((path, key)) = self.place(None, span) {
                    self.entries.insert(
                        path,
                        Entry {
                            key,
                            value: span,
                            head: span,
                        },
                    );
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let head = self.head(start);
                if self.stack.len() >= self.limits.depth {
                    if self.too_deep.is_none() {
                        self.too_deep = Some(Span {
                            offset: start,
                            len: 1,
                        });
                    }
                    self.place(None, head);
                    self.skipped = 1;
                    return;
                }
                self.sizes.push((1, anchor));
                let (path, key) = self.place(None, head).unwrap_or_else(|| ("?".into(), None));
                self.entries.insert(
                    path.clone(),
                    Entry {
                        key,
                        value: head,
                        head,
                    },
                );
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        start,
                        key: None,
                        seen: HashSet::new(),
                    }
                } else {
                    Frame::Seq {
                        path,
                        start,
                        next: 0,
                    }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((size, anchor)) = self.sizes.pop() {
                    self.counted(size, anchor);
                }
                if let Some(Frame::Map { path, start: s, .. } | Frame::Seq { path, start: s, .. }) =
                    self.stack.pop()
                {
                    if let Some(e) = self.entries.get_mut(&path) {
                        // A block collection ends where the next one starts: trim trailing space.
                        let end = self.text[..start.max(s)].trim_end().len().max(s + 1);
                        e.value = Span {
                            offset: s,
                            len: end - s,
                        };
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at(text: &str, s: Span) -> &str {
        &text[s.offset..s.offset + s.len]
    }

    #[test]
    fn indexes_keys_and_values_by_path() {
        let text = "flow: x\nnodes:\n  - id: é1\n    next: 'b'\n  - {id: b, type: end}\n";
        let idx = SpanIndex::build(text);
        assert_eq!(text_at(text, idx.get("flow").unwrap().value), "x");
        assert_eq!(text_at(text, idx.get("nodes[0].id").unwrap().value), "é1");
        assert_eq!(
            text_at(text, idx.get("nodes[0].next").unwrap().key.unwrap()),
            "next"
        );
        assert_eq!(
            text_at(text, idx.get("nodes[0].next").unwrap().value),
            "'b'"
        );
        assert_eq!(
            text_at(text, idx.get("nodes[1].type").unwrap().value),
            "end"
        );
        assert!(text_at(text, idx.value("nodes[0]").unwrap()).starts_with("id: é1"));
        // A missing key falls back to its nearest ancestor.
        assert_eq!(idx.value("nodes[1].missing"), idx.value("nodes[1]"));
    }

    #[test]
    fn line_and_column_round_trip() {
        let text = "a: 1\nbé: 2\n";
        let lines = Lines::new(text);
        let off = lines.offset(text, 2, 4);
        assert_eq!(&text[off..off + 1], "2");
        assert_eq!(lines.line_col(text, off), (2, 5));
    }

    #[test]
    fn finds_duplicate_keys_and_heads() {
        let text = "a: 1\nb:\n  c: 2\n  c: 3\n";
        let idx = SpanIndex::build(text);
        assert_eq!(idx.duplicate_keys().len(), 1);
        assert_eq!(text_at(text, idx.duplicate_keys()[0]), "c");
        assert_eq!(text_at(text, idx.head("b").unwrap()), "c: 2");
        assert_eq!(text_at(text, idx.head("").unwrap()), "a: 1");
    }

    #[test]
    fn char_index_agrees_with_line_and_column() {
        let text = "a: é\nbé: [x, 'ü', {c: ñ}]\n".repeat(40);
        let lines = Lines::new(&text);
        let chars = CharIndex::new(&text);
        for (n, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(chars.byte(&text, n), byte);
            let (line, col) = lines.line_col(&text, byte);
            assert_eq!(lines.offset(&text, line, col - 1), byte);
        }
        assert_eq!(chars.byte(&text, text.chars().count()), text.len());
    }

    #[test]
    fn records_depth_and_alias_limits() {
        let limits = Limits {
            depth: 3,
            alias_nodes: 20,
            ..Limits::default()
        };
        let idx = SpanIndex::build_with("a: [[[[1]]]]\nb: 2\n", &limits);
        assert_eq!(idx.too_deep().map(|s| s.offset), Some(5), "the 4th level");
        assert!(
            idx.get("b").is_some(),
            "indexing goes on after the deep part"
        );
        let bomb = "x: &a [1, 2, 3, 4]\ny: &b [*a, *a, *a, *a]\nz: [*b, *b]\n";
        let idx = SpanIndex::build_with(bomb, &limits);
        // *a adds 5 values each (the list and its items): 20 after y, 50 at the first *b.
        assert_eq!(
            idx.alias_overflow()
                .map(|s| &bomb[s.offset..s.offset + s.len]),
            Some("*b")
        );
        assert_eq!(idx.alias_nodes(), 20 + 21 + 21);
        assert!(SpanIndex::build(bomb).alias_overflow().is_none());
        let nodes = "flow: x\nnodes:\n- a\n- b\n- c\n- d\n";
        let few = Limits {
            nodes: 3,
            ..Limits::default()
        };
        let idx = SpanIndex::build_with(nodes, &few);
        assert_eq!(
            idx.too_many_nodes()
                .map(|s| &nodes[s.offset..s.offset + s.len]),
            Some("nodes")
        );
        assert!(SpanIndex::build(nodes).too_many_nodes().is_none());
        let wide = "nodes:\n- branches: [a, b]\n- branches: [c, d]\n";
        let idx = SpanIndex::build_with(wide, &few);
        assert_eq!(
            idx.too_many_branches().map(|s| s.offset),
            Some(28),
            "the second `branches`"
        );
    }

    #[test]
    fn unreadable_text_gives_an_empty_index() {
        assert!(SpanIndex::build("a: [\n").get("a").is_none());
    }
}
