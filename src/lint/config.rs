//! `flowcost.toml`: lint settings shared by a repository, found by walking up from the current
//! directory.
//!
//! ```toml
//! templates = "templates.yaml"   # the template catalog of every command (relative to this file)
//! fail-on = "warning"            # error (default) | warning
//! just-missed-within = "6h"      # window-just-missed threshold
//! [rules]
//! mixed-categories = "error"     # allow | warning | error (also warn, deny); `all` for every rule
//! [customer]                     # the customer model of every command that simulates
//! reply-rate = 0.3
//! retry-rate = 0.1
//! max-visits = 3
//! reply-after = "1m"
//! ```

use super::{find_rule, Level, Levels};
use crate::diagnostic::{closest, LoadError, Problem, Severity, SourceFile};
use crate::flow::spans::Span;
use crate::time::parse_duration;
use chrono::Duration;
use std::path::{Path, PathBuf};

/// The config file's name.
pub const CONFIG_FILE: &str = "flowcost.toml";

/// Settings read from `flowcost.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from.
    pub path: Option<PathBuf>,
    /// `templates`: the template catalog, as written (relative to the file's directory); every
    /// command that reads flows uses it when `--templates` is not given.
    pub templates: Option<PathBuf>,
    /// `fail-on`.
    pub fail_on: Option<Severity>,
    /// `just-missed-within`.
    pub just_missed_within: Option<Duration>,
    /// `[rules]`, applied to [`Levels::config`] and [`Levels::config_all`].
    pub levels: Levels,
    /// `[customer]`: the customer model, where the command line does not say.
    pub customer: CustomerConfig,
}

/// The `[customer]` table: what customers are assumed to do (see `simulate::Customer`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CustomerConfig {
    /// `reply-rate`.
    pub reply_rate: Option<f64>,
    /// `retry-rate`.
    pub retry_rate: Option<f64>,
    /// `max-visits`.
    pub max_visits: Option<u32>,
    /// `reply-after`.
    pub reply_after: Option<Duration>,
}

/// The keys of `[customer]`.
const CUSTOMER_KEYS: [&str; 4] = ["reply-rate", "retry-rate", "max-visits", "reply-after"];

/// Reads the `[customer]` table, adding a problem for every bad entry.
fn customer(table: &toml::Table, text: &KeySpans, problems: &mut Vec<Problem>) -> CustomerConfig {
    let mut c = CustomerConfig::default();
    for (key, value) in table {
        let bad = |what: &str, help: &str| {
            Problem::new("flowcost::config", format!("`{value}` is not {what}"))
                .at(key_span(text, key), key.clone())
                .help(help.to_string())
        };
        match key.as_str() {
            "reply-rate" | "retry-rate" => {
                let rate = match value {
                    toml::Value::Float(f) => Some(*f),
                    toml::Value::Integer(i) => Some(*i as f64),
                    _ => None,
                }
                .filter(|r| (0.0..=1.0).contains(r));
                match rate {
                    Some(r) if key == "reply-rate" => c.reply_rate = Some(r),
                    Some(r) => c.retry_rate = Some(r),
                    None => {
                        problems.push(bad("a rate", "a rate is a number from 0 to 1, like 0.3"))
                    }
                }
            }
            "max-visits" => match value.as_integer().and_then(|i| u32::try_from(i).ok()) {
                Some(n) if (1..=crate::simulate::MAX_MAX_VISITS).contains(&n) => {
                    c.max_visits = Some(n)
                }
                _ => problems.push(bad(
                    "a number of visits",
                    &format!(
                        "max-visits is a whole number from 1 to {}",
                        crate::simulate::MAX_MAX_VISITS
                    ),
                )),
            },
            "reply-after" => match value.as_str().map(parse_duration) {
                Some(Ok(d)) => c.reply_after = Some(d),
                Some(Err(e)) => problems.push(bad("a duration", &e.help)),
                None => problems.push(bad("a duration", "write a duration in quotes, like \"1m\"")),
            },
            k => {
                let list = CUSTOMER_KEYS.join(", ");
                let help = match closest(k, CUSTOMER_KEYS) {
                    Some(s) => format!("did you mean `{s}`? keys of [customer]: {list}"),
                    None => format!("keys of [customer]: {list}"),
                };
                problems.push(
                    Problem::new("flowcost::config", format!("unknown or mistyped key `{k}`"))
                        .at(key_span(text, k), "here")
                        .help(help),
                );
            }
        }
    }
    c
}

/// A config file that cannot be used.
pub type ConfigError = LoadError;

/// The nearest `flowcost.toml` in `start` or one of its ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// Where each key is written in the text (its first `key =` line), indexed in one pass so that
/// a file of many keys is placed in linear time.
pub(crate) struct KeySpans(std::collections::HashMap<String, Span>);

impl KeySpans {
    fn new(text: &str) -> Self {
        let mut spans = std::collections::HashMap::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(eq) = trimmed.find('=') {
                let key = trimmed[..eq].trim_end().trim_matches('"');
                if !key.is_empty() {
                    spans.entry(key.to_string()).or_insert(Span {
                        offset: offset + (line.len() - trimmed.len()),
                        len: eq.max(1),
                    });
                }
            }
            offset += line.len();
        }
        Self(spans)
    }
}

/// Where `key` is written in the text, for diagnostics on values that parsed.
fn key_span(text: &KeySpans, key: &str) -> Option<Span> {
    text.0.get(key).copied()
}

/// Parses the text of a `flowcost.toml`.
pub fn parse_config(file: std::sync::Arc<SourceFile>) -> Result<Config, ConfigError> {
    let fail = |problems: Vec<Problem>| LoadError {
        file: file.clone(),
        problems,
    };
    let table: toml::Table = file.text.parse().map_err(|e: toml::de::Error| {
        let span = e.span().map(|r| Span {
            offset: r.start,
            len: (r.end - r.start).max(1),
        });
        fail(vec![Problem::new(
            "flowcost::config",
            format!("invalid TOML: {}", e.message()),
        )
        .at(span, "here")
        .help("see docs/commands.md, section \"Configuration\"")])
    })?;
    let mut config = Config::default();
    let mut problems = Vec::new();
    let text = &KeySpans::new(&file.text);
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("templates", toml::Value::String(s)) if !s.trim().is_empty() => {
                config.templates = Some(PathBuf::from(s));
            }
            ("templates", _) => problems.push(
                Problem::new("flowcost::config", "`templates` is not a file name")
                    .at(key_span(text, key), "templates")
                    .help("write the catalog's path in quotes, relative to flowcost.toml, like templates = \"templates.yaml\""),
            ),
            ("fail-on", toml::Value::String(s)) => match s.as_str() {
                "error" => config.fail_on = Some(Severity::Error),
                "warning" => config.fail_on = Some(Severity::Warning),
                _ => problems.push(
                    Problem::new("flowcost::config", format!("`{s}` is not a fail level"))
                        .at(key_span(text, key), "fail-on")
                        .help("fail-on is \"error\" or \"warning\""),
                ),
            },
            ("just-missed-within", toml::Value::String(s)) => match parse_duration(s) {
                Ok(d) => config.just_missed_within = Some(d),
                Err(e) => problems.push(
                    Problem::new("flowcost::config", format!("bad duration: {}", e.message))
                        .at(key_span(text, key), "just-missed-within")
                        .help(e.help),
                ),
            },
            ("rules", toml::Value::Table(rules)) => {
                for (name, level) in rules {
                    let span = key_span(text, name);
                    let Some(level) = level.as_str().and_then(Level::parse) else {
                        problems.push(
                            Problem::new(
                                "flowcost::config",
                                format!("`{level}` is not a level for `{name}`"),
                            )
                            .at(span, "level")
                            .help("a level is \"allow\", \"warning\" or \"error\""),
                        );
                        continue;
                    };
                    if name == "all" {
                        config.levels.config_all = Some(level);
                    } else if let Some(rule) = find_rule(name) {
                        config.levels.config.insert(rule.meta().name, level);
                    } else {
                        let names = super::RULES.iter().map(|r| r.meta().name);
                        let help = match closest(name, names) {
                            Some(c) => {
                                format!("did you mean `{c}`? `flowcost rules` lists every rule")
                            }
                            None => "`flowcost rules` lists every rule".into(),
                        };
                        problems.push(
                            Problem::new(
                                "flowcost::unknown-rule",
                                format!("no lint rule is called `{name}`"),
                            )
                            .at(span, "unknown rule")
                            .help(help),
                        );
                    }
                }
            }
            ("customer", toml::Value::Table(t)) => {
                config.customer = customer(t, text, &mut problems);
            }
            (k, _) => {
                let keys = [
                    "templates",
                    "fail-on",
                    "just-missed-within",
                    "rules",
                    "customer",
                ];
                let list = "templates, fail-on, just-missed-within, [rules], [customer]";
                let help = match closest(k, keys) {
                    Some(c) => format!("did you mean `{c}`? keys: {list}"),
                    None => format!("keys: {list}"),
                };
                problems.push(
                    Problem::new("flowcost::config", format!("unknown or mistyped key `{k}`"))
                        .at(key_span(text, k), "here")
                        .help(help),
                );
            }
        }
    }
    problems.sort_by_key(|p| p.span.map_or(usize::MAX, |s| s.offset)); // file order
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(fail(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        parse_config(SourceFile::new("flowcost.toml", text))
    }

    #[test]
    fn reads_levels_fail_on_and_settings() {
        let c = parse("fail-on = \"warning\"\njust-missed-within = \"3h\"\n[rules]\nmixed-categories = \"error\"\nFC004 = \"allow\"\nall = \"warn\"\n").unwrap();
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.just_missed_within, Some(Duration::hours(3)));
        assert_eq!(c.levels.config["mixed-categories"], Level::Error);
        assert_eq!(c.levels.config["window-just-missed"], Level::Allow);
        assert_eq!(c.levels.config_all, Some(Level::Warning));
    }

    #[test]
    fn reports_every_bad_entry_with_its_place() {
        let e = parse(
            "fail-on = \"sometimes\"\n[rules]\nmixed-categorie = \"error\"\ndead-end = \"loud\"\n",
        )
        .unwrap_err();
        let messages: Vec<&str> = e.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(e.problems.len(), 3, "{messages:?}");
        assert!(e.problems[1]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `mixed-categories`?"));
        assert_eq!(e.file.line_col(e.problems[1].span.unwrap().offset), (3, 1));
        assert!(parse("fail-on = ").is_err());
    }

    #[test]
    fn reads_the_catalog_path() {
        let c = parse("templates = \"catalog/t.yaml\"\n").unwrap();
        assert_eq!(c.templates, Some(PathBuf::from("catalog/t.yaml")));
        assert!(parse("templates = 3\n").is_err());
    }

    #[test]
    fn reads_the_customer_model() {
        let c = parse(
            "[customer]\nreply-rate = 0.5\nretry-rate = 0\nmax-visits = 5\nreply-after = \"10m\"\n",
        )
        .unwrap()
        .customer;
        assert_eq!(c.reply_rate, Some(0.5));
        assert_eq!(c.retry_rate, Some(0.0));
        assert_eq!(c.max_visits, Some(5));
        assert_eq!(c.reply_after, Some(Duration::minutes(10)));
        let e =
            parse("[customer]\nreply-rate = 2\nmax-visit = 3\nmax-visits = 0\nreply-after = 5\n")
                .unwrap_err();
        assert_eq!(e.problems.len(), 4, "{:?}", e.problems);
        assert!(e.problems[1]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `max-visits`?"));
    }
}
