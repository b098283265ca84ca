//! Problems found in an input file, rendered by miette with the offending YAML underlined.

use crate::flow::spans::{Lines, Span};
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::sync::Arc;

/// An input file: its name as the user gave it and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given on the command line.
    pub name: String,
    /// The whole text.
    pub text: String,
    lines: Lines,
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let lines = Lines::new(&text);
        Arc::new(SourceFile {
            name: name.into(),
            text,
            lines,
        })
    }

    /// 1-based line and column of a problem's place, if it has one.
    pub fn location(&self, problem: &Problem) -> Option<(usize, usize)> {
        problem.span.map(|s| self.line_col(s.offset))
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    /// Byte offset of a 1-based line and 1-based column (as serde_yaml reports them).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        self.lines
            .offset(&self.text, line, column.saturating_sub(1))
    }
}

/// One thing wrong with an input (or a lint finding), with a stable code and a fix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// Stable code as shown: `flowcost::unknown-key` for load problems, `FC001 mixed-categories`
    /// for lint findings.
    pub code: &'static str,
    /// Error (the default) or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where, if known.
    pub span: Option<Span>,
    /// The text under the underline.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// More places that take part, each with its label.
    pub related: Vec<(Span, String)>,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look; fails only with `--fail-on warning`.
    Warning,
    /// Wrong: the flow will not behave or bill as written.
    Error,
}

impl Severity {
    /// `warning` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl Problem {
    /// A problem with a code and a message; add a place and help with the builders.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: Severity::Error,
            message: shorten_words(message.into()),
            span: None,
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Points the problem at a span with a label.
    pub fn at(mut self, span: Option<Span>, label: impl Into<String>) -> Self {
        self.span = span;
        self.label = shorten_words(label.into());
        self
    }

    /// Sets the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds another labelled place, when it is known.
    pub fn related(mut self, span: Option<Span>, label: impl Into<String>) -> Self {
        if let Some(span) = span {
            self.related.push((span, label.into()));
        }
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shorten_words(help.into()));
        self
    }
}

/// Most diagnostics rendered for one file: past a few dozen, more only bury the first ones
/// (and a hostile file could hold hundreds of thousands); the rest are counted.
pub const MAX_SHOWN_PER_FILE: usize = 20;

/// The line that stands for the problems of a file not rendered, if any.
pub fn not_shown(file: &str, total: usize) -> Option<String> {
    (total > MAX_SHOWN_PER_FILE).then(|| {
        format!(
            "note: {} more problems in {file} not shown; fix the ones above first",
            total - MAX_SHOWN_PER_FILE
        )
    })
}

/// A file's text shared with its diagnostics rather than copied into each.
#[derive(Debug, Clone)]
struct SharedText(Arc<SourceFile>);

impl SourceCode for SharedText {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        self.0
            .text
            .read_span(span, context_lines_before, context_lines_after)
    }
}

/// A problem together with its file: what miette renders.
#[derive(Debug)]
pub struct FileProblem {
    source: NamedSource<SharedText>,
    problem: Problem,
    location: Option<(usize, usize)>,
    file: String,
    /// Whether to quote the source around the span: not when a line of it is too long to read
    /// (a minified or hostile file would print megabytes); file:line:col still locate it.
    snippet: bool,
}

/// Longest line (bytes) quoted in a diagnostic.
const MAX_QUOTED_LINE: usize = 400;

/// Whether every line around `span` (one line of context on each side, as miette quotes it)
/// is short enough to quote. Works on bytes: a span may point inside a character.
fn quotable(text: &str, span: Span) -> bool {
    let bytes = text.as_bytes();
    let line_start = |at: usize| {
        bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let line_end = |at: usize| {
        bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i)
    };
    let at = span.offset.min(bytes.len());
    let end = (span.offset + span.len).min(bytes.len());
    let from = line_start(line_start(at).saturating_sub(1));
    let to = line_end((line_end(end) + 1).min(bytes.len()));
    let window = &bytes[from..to.max(from)];
    window.len() <= 64 * MAX_QUOTED_LINE
        && window
            .split(|&b| b == b'\n')
            .all(|l| l.len() <= MAX_QUOTED_LINE)
}

impl FileProblem {
    /// Binds a problem to the file it was found in.
    pub fn new(file: &Arc<SourceFile>, problem: Problem) -> Self {
        let location = file.location(&problem);
        let snippet = problem.span.is_some_and(|s| {
            quotable(&file.text, s)
                && problem
                    .related
                    .iter()
                    .all(|(r, _)| quotable(&file.text, *r))
        });
        FileProblem {
            source: NamedSource::new(&file.name, SharedText(file.clone())),
            problem,
            location,
            file: file.name.clone(),
            snippet,
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.problem.message),
            None => write!(f, "{}: {}", self.file, self.problem.message),
        }
    }
}

impl std::error::Error for FileProblem {}

impl Diagnostic for FileProblem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.problem.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.problem.severity {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.problem.span.filter(|_| self.snippet)?;
        let label = (!self.problem.label.is_empty()).then(|| self.problem.label.clone());
        let first = LabeledSpan::new_primary_with_span(label, span);
        let rest = self
            .problem
            .related
            .iter()
            .map(|(s, l)| LabeledSpan::new_with_span(Some(l.clone()), *s));
        Some(Box::new(std::iter::once(first).chain(rest)))
    }
}

/// Every problem found in one file; loading reports them all, not just the first.
#[derive(Debug)]
pub struct LoadError {
    /// The file they were found in.
    pub file: Arc<SourceFile>,
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// One miette diagnostic per problem.
    pub fn diagnostics(&self) -> impl Iterator<Item = FileProblem> + '_ {
        self.problems
            .iter()
            .map(|p| FileProblem::new(&self.file, p.clone()))
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{}: {n} problem{}",
            self.file.name,
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for LoadError {}

/// A value as a message quotes it: whole when short, else its first 60 characters and how long
/// it is (a diagnostic must not repeat a 5 MB value), with control characters escaped.
pub fn quote(value: &str) -> String {
    const SHOWN: usize = 60;
    let head: String = value.chars().take(SHOWN).collect();
    // Control characters as every output shows them (`\u001b`): one escape for all.
    let escaped = crate::text::printable(&head).into_owned();
    let count = value.chars().count();
    if count > SHOWN {
        format!("{escaped}… ({count} characters)")
    } else {
        escaped
    }
}

/// Longest run of text without a space kept whole in a message (a quoted value from a file).
const MAX_WORD: usize = 200;

/// `text` with every run of more than [`MAX_WORD`] characters without a space cut as
/// [`quote`] cuts values, and at most 64 KiB in all: a message quotes a hostile or minified
/// file's values without printing megabytes.
fn shorten_words(text: String) -> String {
    const MAX_MESSAGE: usize = 64 * 1024;
    let long_word = text.split(' ').any(|w| w.len() > MAX_WORD);
    if !long_word && text.len() <= MAX_MESSAGE {
        return text;
    }
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.chars().count() > MAX_WORD {
            out.push_str(&quote(word));
        } else {
            out.push_str(word);
        }
        if out.len() > MAX_MESSAGE {
            let cut = (0..=MAX_MESSAGE)
                .rev()
                .find(|&i| out.is_char_boundary(i))
                .unwrap_or(0);
            out.truncate(cut);
            out.push_str("… (message cut)");
            break;
        }
    }
    out
}

/// Did-you-mean lookups over one file, bounded in time. Each lookup compares a word with every
/// candidate, and a comparison costs the product of their lengths, so a file of many bad
/// references to many names (20,000 dangling `next`s among 100,000 nodes), or of long names,
/// would take quadratic time or worse; past [`Suggester::BUDGET`] character pairs no more
/// suggestions are made, and the problems are reported without them. Words and candidates
/// longer than [`Suggester::LONGEST`] are never suggested: no one mistypes them.
#[derive(Debug)]
pub struct Suggester {
    left: usize,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester { left: Self::BUDGET }
    }
}

impl Suggester {
    /// Character pairs compared per file: well under a second of work.
    pub const BUDGET: usize = 100_000_000;
    /// The longest word (in bytes) a suggestion is looked up for, or made of.
    pub const LONGEST: usize = 128;

    /// The closest of `candidates` to `word`, if close enough to be a likely typo, while the
    /// budget lasts (a lookup the budget cannot finish suggests nothing).
    pub fn closest<'a>(
        &mut self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        if word.len() > Self::LONGEST {
            return None;
        }
        let mut best: Option<(f64, &'a str)> = None;
        for c in candidates.into_iter().filter(|c| c.len() <= Self::LONGEST) {
            let cost = (word.len() * c.len()).max(1);
            if cost > self.left {
                self.left = 0;
                return None;
            }
            self.left -= cost;
            let score = strsim::jaro_winkler(word, c);
            if score >= 0.8 && best.is_none_or(|(b, _)| score >= b) {
                best = Some((score, c));
            }
        }
        best.map(|(_, c)| c)
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo: one lookup
/// of a fresh [`Suggester`].
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    Suggester::default().closest(word, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_short_and_escaped() {
        assert_eq!(quote("30m"), "30m");
        assert_eq!(quote("a\u{1b}[31mb"), "a\\u001b[31mb");
        assert_eq!(quote("say \"hi\""), "say \"hi\"");
        let long = quote(&"x".repeat(5_000_000));
        assert!(
            long.len() < 100 && long.ends_with("(5000000 characters)"),
            "{long}"
        );
    }

    #[test]
    fn long_values_in_messages_are_cut() {
        let p = Problem::new("c", format!("`{}` is not a kind", "x".repeat(5_000_000)))
            .help(format!("{} help", "y".repeat(1000)));
        assert!(p.message.len() < 120, "{}", p.message);
        assert!(
            p.message.ends_with("(5000002 characters) is not a kind"),
            "{}",
            p.message
        );
        assert!(p.help.unwrap().len() < 120);
        let spaced = Problem::new("c", "ab ".repeat(100_000));
        assert!(spaced.message.len() < 70_000 && spaced.message.ends_with("(message cut)"));
        assert_eq!(Problem::new("c", "short `value`").message, "short `value`");
    }

    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        // A nine-character word and ten-character names: 90 pairs per comparison.
        let names: Vec<String> = (0..1000).map(|i| format!("node_{i:05}")).collect();
        let mut s = Suggester::default();
        assert_eq!(s.closest("node_1x", ["node_1", "other"]), Some("node_1"));
        let spent = 7 * 6 + 7 * 5;
        let mut lookups = 0;
        while s
            .closest("node_0005", names.iter().map(String::as_str))
            .is_some()
        {
            lookups += 1;
        }
        assert_eq!(lookups, (Suggester::BUDGET - spent) / 90_000);
        assert_eq!(s.closest("node_1x", ["node_1"]), None);
        let long = "x".repeat(Suggester::LONGEST + 1);
        assert_eq!(Suggester::default().closest(&long, [long.as_str()]), None);
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            closest("tmplate", ["template", "category", "next"]),
            Some("template")
        );
        assert_eq!(
            closest("send_mesage", ["send_message", "send_update"]),
            Some("send_message")
        );
        assert_eq!(closest("zzz", ["template", "category"]), None);
    }

    #[test]
    fn long_lines_are_located_but_not_quoted() {
        let long = format!("a: 1\nb: [{}]\n", "x, ".repeat(500));
        let file = SourceFile::new("f.yaml", long);
        let p = Problem::new("x", "bad").at(Some(Span { offset: 8, len: 1 }), "here");
        let d = FileProblem::new(&file, p);
        assert!(d.source_code().is_none() && d.labels().is_none());
        assert_eq!(d.to_string(), "f.yaml:2:4: bad");
        let file = SourceFile::new("f.yaml", "a: 1\nb: 2\n");
        let p = Problem::new("x", "bad").at(Some(Span { offset: 8, len: 1 }), "here");
        assert!(FileProblem::new(&file, p).source_code().is_some());
    }

    #[test]
    fn display_names_file_line_and_column() {
        let file = SourceFile::new("f.yaml", "a: 1\nb: 2\n");
        let p = Problem::new("x", "bad b").at(Some(Span { offset: 8, len: 1 }), "here");
        assert_eq!(FileProblem::new(&file, p).to_string(), "f.yaml:2:4: bad b");
    }
}
