//! Command-line interface: every flag, with its documentation, in one place.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use flowcost::billing::{PricingModel, Rules};
use flowcost::simulate::Options;
use flowcost::time::{parse_duration, parse_instant};
use std::path::PathBuf;

/// Cost auditor for WhatsApp Business message flows.
///
/// flowcost simulates every path through a flow against a timeline, bills it under Meta's
/// pricing model in force on the date you give (--at), and warns when a flow mixes conversation
/// categories.
#[derive(Debug, Parser)]
#[command(name = "flowcost", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk every path of a flow and bill it: conversations or charged messages per path.
    Simulate(SimulateArgs),
    /// List the pricing models and the dates they took effect.
    Models,
    /// Lint flows: findings with rule codes that point at the YAML; exits 1 on findings at or
    /// above --fail-on.
    Lint(LintArgs),
    /// List the lint rules with their codes and default levels.
    Rules,
    /// Print the documentation of a lint rule (by code or name).
    Explain {
        /// The rule's code (FC001) or name (mixed-categories).
        rule: String,
    },
    /// Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks)
    /// through the billing engine: counts by category, market, day or month, and flow; checks
    /// the webhooks' own billing verdicts.
    Replay(ReplayArgs),
    /// Write a synthetic message log (CSV) for benchmarks and demos.
    GenLog(GenLogArgs),
}

/// Log format for `replay --input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Comma-separated with a header row.
    Csv,
    /// One JSON object per line: flat rows or Cloud API webhooks.
    Ndjson,
}

/// Time buckets of `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Calendar days (account time zone).
    Day,
    /// Calendar months (account time zone).
    Month,
}

/// Arguments of `replay`.
///
/// CSV columns (header names, any case; aliases in brackets): timestamp [ts, time, datetime,
/// created_at, sent_at], recipient [recipient_id, wa_id, phone, phone_number, msisdn, contact,
/// to], direction [dir], kind [message_kind, message_type], category [template_category,
/// pricing_category], entry_point [entry, referral], market [country, country_code], flow
/// [flow_name, journey, campaign].
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Log files: .csv, .ndjson/.jsonl/.json, optionally .gz; read in the order given.
    #[arg(value_name = "LOG", required = true)]
    pub files: Vec<PathBuf>,
    /// Read every file as this format instead of going by extension.
    #[arg(long, value_enum)]
    pub input_format: Option<LogFormat>,
    /// The log's column NAME holds flowcost's COLUMN, like recipient=customer_phone; repeatable.
    #[arg(long = "map", value_name = "COLUMN=NAME")]
    pub map: Vec<String>,
    /// Bill everything under this model instead of the one in force at each event.
    #[arg(long, value_name = "MODEL", value_parser = model)]
    pub pricing: Option<PricingModel>,
    /// The business account's UTC offset: models switch, and days and months begin, at
    /// midnight there.
    #[arg(long, value_name = "OFFSET", value_parser = offset, default_value = "+00:00")]
    pub account_tz: FixedOffset,
    /// Rule 4 of BILLING.md, as for `simulate`.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub free_form_joins_open_conversation: bool,
    /// Count charges by calendar day or month.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub by: By,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Stop at the first bad row or unreadable file (exit 2) instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// How much older than the latest row a row may be and still be streamed; beyond it the
    /// replay starts over holding every recipient in memory.
    #[arg(long, value_name = "DURATION", value_parser = duration_or_zero, default_value = "1h")]
    pub max_disorder: Duration,
    /// The input is not in time order: hold every recipient until the end without trying to
    /// stream first.
    #[arg(long)]
    pub unsorted: bool,
    /// Write every webhook billing mismatch to FILE as CSV.
    #[arg(long, value_name = "FILE")]
    pub mismatches: Option<PathBuf>,
    /// No progress bar (it is shown only when stderr is a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
}

/// Arguments of `gen-log`.
#[derive(Debug, Args)]
pub struct GenLogArgs {
    /// Rows to write (after the header).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub rows: u64,
    /// Distinct recipients [default: rows / 10].
    #[arg(long, value_name = "M")]
    pub recipients: Option<u64>,
    /// Random seed: the same seed writes the same log.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// When the log starts (RFC 3339 or a date).
    #[arg(long, value_name = "DATETIME", value_parser = instant, default_value = "2026-09-20")]
    pub start: DateTime<Utc>,
    /// Days over which sessions start.
    #[arg(long, value_name = "D", default_value_t = 30)]
    pub days: u32,
    /// Write to FILE (gzip-compressed when it ends in .gz) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output format of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// miette diagnostics with the YAML underlined.
    Human,
    /// A JSON array, one object per finding.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (`::error file=…`).
    Github,
}

/// The lowest severity that fails `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Warnings and errors fail.
    Warning,
    /// Only errors fail.
    Error,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Flow files, or directories to search for *.yaml and *.yml files.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// A template catalog shared by the flows.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    /// Output format; default human (plus GitHub annotations when GITHUB_ACTIONS=true).
    #[arg(long, value_enum)]
    pub format: Option<LintFormat>,
    /// Report RULE as an error (code, name, or `all`); repeatable.
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// Report RULE as a warning (code, name, or `all`); repeatable.
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Do not report RULE (code, name, or `all`); repeatable.
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// Exit 1 when a finding is at or above this severity [default: error, or flowcost.toml's].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Read lint settings from FILE instead of the nearest flowcost.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore flowcost.toml files.
    #[arg(long)]
    pub no_config: bool,
    /// window-just-missed: a new conversation this soon after the previous one closed is
    /// reported [default: 6h, or flowcost.toml's].
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub just_missed_within: Option<Duration>,
    #[command(flatten)]
    pub simulation: SimulationArgs,
}

/// Output format of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for people.
    Table,
    /// One JSON document (the schema in the README).
    Json,
}

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The flow file (flowcost YAML).
    #[arg(value_name = "FLOW")]
    pub flow: PathBuf,
    /// A template catalog shared by many flows (the shape of a flow's `templates:` map); the
    /// flow's own `templates:` entries take precedence.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub simulation: SimulationArgs,
}

/// How to simulate and bill; shared by every command that simulates.
#[derive(Debug, Args)]
pub struct SimulationArgs {
    /// When the flow starts (RFC 3339, like 2026-11-02T10:00:00Z, or a date for midnight UTC).
    /// It also selects the pricing model. Default: now.
    #[arg(long, value_name = "DATETIME", value_parser = instant)]
    pub at: Option<DateTime<Utc>>,
    /// Bill under this pricing model instead of the one in force at --at.
    #[arg(long, value_name = "MODEL", value_parser = model)]
    pub pricing: Option<PricingModel>,
    /// The business account's UTC offset (like +02:00): Meta switches models at midnight there.
    #[arg(long, value_name = "OFFSET", value_parser = offset, default_value = "+00:00")]
    pub account_tz: FixedOffset,
    /// Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow's `market`.
    #[arg(long, value_name = "CC", value_parser = country)]
    pub market: Option<String>,
    /// How long the customer takes to reply on "replied" paths.
    #[arg(long, value_name = "DURATION", value_parser = duration, default_value = "1m")]
    pub reply_after: Duration,
    /// Simulated time after which a looping path is cut.
    #[arg(long, value_name = "DURATION", value_parser = duration, default_value = "30d")]
    pub horizon: Duration,
    /// Most paths to list; exploration stops there and says so.
    #[arg(long, value_name = "N", default_value_t = flowcost::simulate::DEFAULT_MAX_PATHS,
          value_parser = clap::value_parser!(usize))]
    pub max_paths: usize,
    /// Rule 4 of BILLING.md (conversation-based pricing): a free-form message rides on an open
    /// conversation of any category. Set to false to let it ride only on a service conversation.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub free_form_joins_open_conversation: bool,
}

impl SimulationArgs {
    /// The simulator's options, with the pricing model chosen by date unless --pricing is given.
    pub fn options(&self, now: DateTime<Utc>) -> Result<Options, String> {
        let start = self.at.unwrap_or(now);
        let in_force =
            PricingModel::in_force_at(start, self.account_tz).map_err(|e| e.to_string())?;
        if self.max_paths == 0 {
            return Err("--max-paths must be at least 1".into());
        }
        let mut options = Options::new(start, self.pricing.unwrap_or(in_force));
        options.rules = Rules {
            free_form_joins_open_conversation: self.free_form_joins_open_conversation,
        };
        options.reply_after = self.reply_after;
        options.horizon = self.horizon;
        options.max_paths = self.max_paths;
        Ok(options)
    }
}

fn instant(s: &str) -> Result<DateTime<Utc>, String> {
    parse_instant(s).map_err(|e| format!("{}; {}", e.message, e.help))
}

fn duration_or_zero(s: &str) -> Result<Duration, String> {
    if s.trim() == "0" {
        return Ok(Duration::zero());
    }
    duration(s)
}

fn duration(s: &str) -> Result<Duration, String> {
    parse_duration(s).map_err(|e| format!("{}; {}", e.message, e.help))
}

fn model(s: &str) -> Result<PricingModel, String> {
    s.parse()
        .map_err(|e: flowcost::billing::ModelError| e.to_string())
}

fn offset(s: &str) -> Result<FixedOffset, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return FixedOffset::east_opt(0).ok_or_else(|| "bad offset".into());
    }
    format!("2000-01-01T00:00:00{t}")
        .parse::<DateTime<FixedOffset>>()
        .map(|d| *d.offset())
        .map_err(|_| format!("`{t}` is not a UTC offset; write it like +02:00, -05:30 or UTC"))
}

fn country(s: &str) -> Result<String, String> {
    if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(format!(
            "`{s}` is not a country code; write two letters (ISO 3166-1 alpha-2), like DE"
        ))
    }
}
