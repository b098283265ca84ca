//! The linter: rules with stable codes and kebab-case names, one file per rule, each with a doc
//! comment in the style "What it does / Why is this bad / Example / How to fix" that
//! `flowcost explain RULE` prints.
//!
//! Rules read the loaded [`Flow`] and its simulated, billed paths. Severity is resolved in one
//! place, [`Levels::resolve`]: a level given for the rule by name on the command line, else in
//! `flowcost.toml`, else an inline `lint: { allow: … }` suppression, else `all` from the
//! command line, else `all` from the config file, else the rule's default.

mod config;
mod paths;
mod prices;

mod category_mismatch;
mod dead_end;
mod free_form_outside_window;
mod mixed_categories;
mod post_purchase_marketing;
mod promotional_utility;
mod recategorised_template;
mod service_reply_burst;
mod template_not_approved;
mod uncategorised_template;
mod unreachable_node;
mod unused_template;
mod window_closed_by_wait;
mod window_just_missed;
mod zero_weight_branch;

pub use config::{find_config, parse_config, Config, ConfigError, CustomerConfig};
pub use prices::Prices;

use crate::diagnostic::{Problem, Severity};
use crate::flow::spans::Span;
use crate::flow::{Flow, Node, NodeKind, Template};
use crate::simulate::{Options, SimError};

use chrono::Duration;
use std::collections::{BTreeMap, HashSet};

/// A rule's level: off, or the severity of its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

impl Level {
    /// `allow`, `warning` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// Parses `allow`, `warn`/`warning`, `deny`/`error`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" | "off" => Some(Level::Allow),
            "warn" | "warning" => Some(Level::Warning),
            "deny" | "error" => Some(Level::Error),
            _ => None,
        }
    }

    fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// What identifies and documents a rule.
#[derive(Debug)]
pub struct Meta {
    /// Stable code, like `FC001`.
    pub code: &'static str,
    /// Stable kebab-case name, like `mixed-categories`.
    pub name: &'static str,
    /// `FC001 mixed-categories`: what diagnostics show as their code.
    pub label: &'static str,
    /// Level when nothing else says.
    pub default: Level,
    /// The rule's doc comment (Markdown).
    pub doc: &'static str,
}

impl Meta {
    /// The first sentence under "What it does".
    pub fn summary(&self) -> &'static str {
        self.doc
            .split("## What it does")
            .nth(1)
            .and_then(|s| s.trim_start().split("\n\n").next())
            .map(str::trim)
            .unwrap_or("")
    }
}

/// Declares a rule type whose doc comment becomes its `explain` text.
macro_rules! declare_rule {
    ($(#[doc = $doc:expr])* $vis:vis struct $name:ident { code: $code:literal, name: $kebab:literal, default: $level:ident $(,)? }) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            /// The rule's code, name, default level and documentation.
            pub const META: $crate::lint::Meta = $crate::lint::Meta {
                code: $code,
                name: $kebab,
                label: concat!($code, " ", $kebab),
                default: $crate::lint::Level::$level,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// A lint rule.
pub trait Rule: Sync {
    /// Its code, name, default level and documentation.
    fn meta(&self) -> &'static Meta;
    /// Adds its findings for one flow.
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

/// Implements [`Rule`] for a declared rule with a `check` function.
macro_rules! impl_rule {
    ($name:ident, $check:path) => {
        impl $crate::lint::Rule for $name {
            fn meta(&self) -> &'static $crate::lint::Meta {
                &Self::META
            }
            fn check(&self, cx: &$crate::lint::Context, out: &mut Vec<$crate::lint::Finding>) {
                $check(cx, out)
            }
        }
    };
}
pub(crate) use impl_rule;

/// `loop-without-wait` is checked while loading: a flow with such a loop cannot be simulated,
/// so it is a load error (exit 2). It is registered so that `rules` lists it and `explain`
/// explains it.
mod loop_without_wait {
    super::declare_rule! {
        /// ## What it does
        /// Finds loops in which no node waits: every node of the loop runs at the same instant.
        ///
        /// ## Why is this bad?
        /// Such a loop sends forever without the clock moving; the platform would flood the
        /// customer. flowcost refuses the flow when loading it (exit code 2), so this rule cannot
        /// be allowed.
        ///
        /// ## Example
        /// ```yaml
        /// - { id: remind, type: send_update, category: marketing }
        /// - { id: again, type: split, branches: [{ to: remind }, { to: done }] }
        /// ```
        ///
        /// ## How to fix
        /// Put a `wait` or `wait_for_reply` node on the loop.
        pub struct LoopWithoutWait { code: "FC010", name: "loop-without-wait", default: Error }
    }
    fn check(_: &super::Context, _: &mut Vec<super::Finding>) {}
    super::impl_rule!(LoopWithoutWait, check);
}

/// Every rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &mixed_categories::MixedCategories,
    &free_form_outside_window::FreeFormOutsideWindow,
    &window_closed_by_wait::WindowClosedByWait,
    &window_just_missed::WindowJustMissed,
    &post_purchase_marketing::PostPurchaseMarketing,
    &template_not_approved::TemplateNotApproved,
    &category_mismatch::CategoryMismatch,
    &unreachable_node::UnreachableNode,
    &dead_end::DeadEnd,
    &loop_without_wait::LoopWithoutWait,
    &service_reply_burst::ServiceReplyBurst,
    &promotional_utility::PromotionalUtility,
    &unused_template::UnusedTemplate,
    &recategorised_template::RecategorisedTemplate,
    &zero_weight_branch::ZeroWeightBranch,
    &uncategorised_template::UncategorisedTemplate,
];

/// The rule with this code or name (case-insensitive code).
pub fn find_rule(name_or_code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().name == name_or_code || r.meta().code.eq_ignore_ascii_case(name_or_code))
}

/// What rules may read.
pub struct Context<'a> {
    /// The flow.
    pub flow: &'a Flow,
    /// How it is simulated (start, pricing model, customer model).
    pub options: &'a Options,
    /// Settings of individual rules.
    pub settings: &'a Settings,
    /// Unit prices in the recipient's market, when it is known (the flow's `market` or
    /// `--market`).
    pub prices: Option<&'a Prices>,
}

impl<'a> Context<'a> {
    /// Every "Send update" node whose template the catalog knows: (node index, node, template
    /// name, template).
    pub fn catalog_updates(
        &self,
    ) -> impl Iterator<Item = (usize, &'a Node, &'a str, &'a Template)> + 'a {
        let flow = self.flow;
        flow.nodes.iter().enumerate().filter_map(move |(i, node)| {
            let NodeKind::SendUpdate {
                template: Some(name),
                ..
            } = &node.kind
            else {
                return None;
            };
            let template = flow.templates.get(name)?;
            Some((i, node, name.as_str(), template))
        })
    }
}

/// Settings of individual rules.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `window-just-missed`: how soon after the previous conversation closed a new one counts
    /// as just missed.
    pub just_missed_within: Duration,
    /// Rate cards, to put prices in messages; none: counts only.
    pub rates: Option<std::sync::Arc<crate::rates::RateBook>>,
    /// The recipient's country for prices, over each flow's `market`.
    pub market: Option<String>,
    /// The business's country (authentication-international, docs/billing.md rule 8).
    pub business_country: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            just_missed_within: Duration::hours(6),
            rates: None,
            market: None,
            business_country: None,
        }
    }
}

/// One finding of a rule, before its level is resolved.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Meta,
    /// The node it concerns, if any (for node-level suppressions).
    pub node: Option<usize>,
    /// The message, place, label, help and related places.
    pub problem: Problem,
}

impl Finding {
    /// A finding of `rule` about `node`, with its message.
    pub fn new(rule: &'static Meta, node: Option<usize>, message: impl Into<String>) -> Self {
        Finding {
            rule,
            node,
            problem: Problem::new(rule.label, message),
        }
    }

    /// Points at a span with a label.
    pub fn at(mut self, span: Option<Span>, label: impl Into<String>) -> Self {
        self.problem = self.problem.at(span, label);
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.problem = self.problem.help(help);
        self
    }

    /// Adds another labelled place.
    pub fn related(mut self, span: Option<Span>, label: impl Into<String>) -> Self {
        self.problem = self.problem.related(span, label);
        self
    }
}

/// Where a level came from.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    /// From the command line, by rule name.
    pub cli: BTreeMap<&'static str, Level>,
    /// From the command line, for `all`.
    pub cli_all: Option<Level>,
    /// From `flowcost.toml`, by rule name.
    pub config: BTreeMap<&'static str, Level>,
    /// From `flowcost.toml`, for `all`.
    pub config_all: Option<Level>,
}

impl Levels {
    /// The level of `rule` for a finding; `suppressed` when an inline suppression covers it.
    pub fn resolve(&self, rule: &Meta, suppressed: bool) -> Level {
        if let Some(l) = self
            .cli
            .get(rule.name)
            .or_else(|| self.config.get(rule.name))
        {
            return *l;
        }
        if suppressed {
            return Level::Allow;
        }
        self.cli_all.or(self.config_all).unwrap_or(rule.default)
    }
}

/// What linting one flow found.
#[derive(Debug)]
pub struct Linted {
    /// The findings, in file order.
    pub problems: Vec<Problem>,
    /// `--max-visits` as asked and as used, when the flow had too many states under the
    /// number asked and the rules read its paths under a lower one.
    pub lowered: Option<(u32, u32)>,
}

/// Runs every rule on one flow and resolves levels; findings at `allow` are dropped. Inline
/// suppressions that name no rule are reported as errors. Rules that read paths explore every
/// path of the flow merged (see `lint::paths`); a flow that cannot be explored is an error.
pub fn lint_flow(
    flow: &Flow,
    options: &Options,
    settings: &Settings,
    levels: &Levels,
) -> Result<Linted, SimError> {
    let prices = settings.rates.as_ref().and_then(|book| {
        let country = settings.market.as_deref().or(flow.market.as_deref())?;
        let date = options.start.date_naive();
        Some(Prices::new(
            book,
            country,
            date,
            options.model,
            settings.business_country.as_deref(),
        ))
    });
    let cx = Context {
        flow,
        options,
        settings,
        prices: prices.as_ref(),
    };
    let (mut findings, lowered) = paths::check(&cx, levels)?;
    for rule in RULES {
        rule.check(&cx, &mut findings);
    }
    let mut out = unknown_suppressed_rules(flow);
    let mut seen = HashSet::new();
    for f in findings {
        let suppressed = flow.suppressions.iter().any(|s| {
            (s.node.is_none() || s.node == f.node)
                && s.rules
                    .iter()
                    .any(|(r, _)| r == f.rule.name || r.eq_ignore_ascii_case(f.rule.code))
        });
        let Some(severity) = levels.resolve(f.rule, suppressed).severity() else {
            continue;
        };
        // One finding per rule and place: several paths often show the same thing.
        if !seen.insert((
            f.rule.code,
            f.problem.span.map(|s| s.offset),
            f.problem.message.clone(),
        )) {
            continue;
        }
        out.push(f.problem.severity(severity));
    }
    out.sort_by_key(|p| (p.span.map_or(0, |s| s.offset), p.code));
    Ok(Linted {
        problems: out,
        lowered,
    })
}

fn unknown_suppressed_rules(flow: &Flow) -> Vec<Problem> {
    let names = RULES.iter().map(|r| r.meta().name);
    flow.suppressions
        .iter()
        .flat_map(|s| s.rules.iter())
        .filter(|(r, _)| find_rule(r).is_none())
        .map(|(r, span)| {
            let help = match crate::diagnostic::closest(r, names.clone()) {
                Some(c) => format!("did you mean `{c}`? `flowcost rules` lists every rule"),
                None => "`flowcost rules` lists every rule".to_string(),
            };
            Problem::new(
                "flowcost::unknown-rule",
                format!("no lint rule is called `{r}`"),
            )
            .at(*span, "unknown rule")
            .help(help)
        })
        .collect()
}

/// Helpers shared by rules.
pub(crate) mod util {
    use crate::billing::Category;
    use crate::flow::spans::Span;
    use crate::flow::Flow;

    /// The span of a node's key value (`nodes[i].KEY`), else of its id.
    pub fn node_key(flow: &Flow, node: usize, key: &str) -> Option<Span> {
        flow.spans
            .get(&format!("nodes[{node}].{key}"))
            .map(|e| e.value)
            .or(flow.nodes[node].id_span)
    }

    /// The node's id span.
    pub fn node_id(flow: &Flow, node: usize) -> Option<Span> {
        flow.nodes[node].id_span
    }

    /// "marketing + service".
    pub fn categories<'a>(cats: impl IntoIterator<Item = &'a Category>) -> String {
        crate::report::join_categories(cats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in RULES {
            let m = r.meta();
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert_eq!(m.label, format!("{} {}", m.code, m.name));
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                assert!(m.doc.contains(section), "{} lacks {section}", m.name);
            }
            assert!(!m.summary().is_empty(), "{}", m.name);
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn rules_are_found_by_code_or_name() {
        assert_eq!(find_rule("mixed-categories").unwrap().meta().code, "FC001");
        assert_eq!(find_rule("fc001").unwrap().meta().name, "mixed-categories");
        assert!(find_rule("mixed").is_none());
    }

    #[test]
    fn resolution_order_is_cli_config_inline_all_default() {
        let rule = &mixed_categories::MixedCategories::META;
        let mut levels = Levels::default();
        assert_eq!(levels.resolve(rule, false), Level::Warning);
        assert_eq!(levels.resolve(rule, true), Level::Allow);
        levels.config_all = Some(Level::Error);
        assert_eq!(levels.resolve(rule, false), Level::Error);
        assert_eq!(
            levels.resolve(rule, true),
            Level::Allow,
            "inline beats `all`"
        );
        levels.config.insert(rule.name, Level::Error);
        assert_eq!(
            levels.resolve(rule, true),
            Level::Error,
            "a named level beats inline"
        );
        levels.cli.insert(rule.name, Level::Allow);
        assert_eq!(
            levels.resolve(rule, false),
            Level::Allow,
            "the command line beats the config"
        );
    }
}

/// The problems found in one file: load problems, or lint findings.
#[derive(Debug)]
pub struct FileReport {
    /// The file.
    pub file: std::sync::Arc<crate::diagnostic::SourceFile>,
    /// Its problems, in file order.
    pub problems: Vec<Problem>,
    /// Whether the file failed to load (its problems are load problems).
    pub load_failed: bool,
    /// What the reader should know besides the findings (a lowered `--max-visits`).
    pub notes: Vec<String>,
}

/// `(code, name)` of a problem: `("FC001", "mixed-categories")` for a finding,
/// `("flowcost::unknown-key", "unknown-key")` for a load problem.
pub fn code_and_name(problem: &Problem) -> (&'static str, &'static str) {
    match problem.code.split_once(' ') {
        Some((code, name)) => (code, name),
        None => (
            problem.code,
            problem.code.rsplit("::").next().unwrap_or(problem.code),
        ),
    }
}
