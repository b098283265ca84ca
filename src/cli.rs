//! Command-line interface: every flag, with its documentation, in one place.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use flowcost::billing::{PricingModel, Rules};
use flowcost::money::Money;
use flowcost::report::cost::GroupBy;
use flowcost::report::OutputFormat;
use flowcost::simulate::{Customer, Listing, Options};
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
    /// When to color output: `auto` colors a stream that is a terminal unless NO_COLOR is set
    /// (CLICOLOR_FORCE forces it); `always` and `never` override both.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Print only what was asked for: drop `note:` lines from reports and every message on
    /// stderr that is not an error (files written, next steps).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say on stderr what flowcost does: files read, the pricing model chosen and why, how
    /// many paths were explored, files written.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color terminals, unless NO_COLOR is set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

impl ColorChoice {
    /// Whether to color a stream, given whether it is a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR") => false,
            ColorChoice::Auto => terminal || set("CLICOLOR_FORCE"),
        }
    }
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
    /// Draw the flow as a graph (Mermaid or Graphviz DOT), nodes colored by category.
    Graph(GraphArgs),
    /// Draw each path on a time axis: windows, conversations or charged messages, messages.
    Timeline(TimelineArgs),
    /// Print a JSON Schema of the flow format (for editors and validators).
    Schema,
    /// Print shell completions, or write them for every shell into a directory.
    Completions(CompletionsArgs),
    /// Print the man page, or write one per command into a directory.
    Man(ManArgs),
    /// Start a project: a starter flow, a template catalog and a flowcost.toml.
    Init(InitArgs),
    /// Cost per recipient and per audience of flows, in one or more markets, from the rate cards.
    Cost(CostArgs),
    /// Cost delta between two versions of a flow (or two directories of flows, matched by name).
    Diff(DiffArgs),
    /// Print the rate card in force on a date.
    Rates(RatesArgs),
    /// Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML.
    Import(ImportArgs),
    /// Replay message logs (CSV or NDJSON, gzip too; or WhatsApp Cloud API status webhooks)
    /// through the billing engine: counts by category, market, day or month, and flow; checks
    /// the webhooks' own billing verdicts.
    Replay(ReplayArgs),
    /// Write a synthetic message log (CSV) for benchmarks and demos.
    GenLog(GenLogArgs),
    /// Add up partial replay results (`replay --format json` of logs split by recipient, one
    /// per shard) into the tables and JSON of one replay over the whole log.
    MergeReplays(MergeReplaysArgs),
}

impl Command {
    /// Whether the command reads flow files (and so a template catalog).
    pub fn reads_flows(&self) -> bool {
        self.simulation().is_some() || matches!(self, Command::Graph(_) | Command::Import(_))
    }

    /// The simulation options of a command that simulates flows.
    pub fn simulation(&self) -> Option<&SimulationArgs> {
        match self {
            Command::Simulate(a) => Some(&a.simulation),
            Command::Lint(a) => Some(&a.simulation),
            Command::Timeline(a) => Some(&a.simulation),
            Command::Cost(a) => Some(&a.simulation),
            Command::Diff(a) => Some(&a.simulation),
            _ => None,
        }
    }
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
    /// Flow files, or directories to search for *.yaml and *.yml files; `-` reads a flow from
    /// standard input.
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
    /// window-just-missed: a new conversation this soon after the previous one closed is
    /// reported [default: 6h, or flowcost.toml's].
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub just_missed_within: Option<Duration>,
    #[command(flatten)]
    pub import: ImportFlags,
    #[command(flatten)]
    pub simulation: SimulationArgs,
}

/// Output format of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A Mermaid flowchart; GitHub renders it inside a ```mermaid block.
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
    /// The date whose template categories label the nodes (a template may be recategorised).
    /// Default: now.
    #[arg(long, value_name = "DATETIME", value_parser = instant)]
    pub at: Option<DateTime<Utc>>,
}

/// Arguments of `timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Only this path (numbered as `simulate` lists them, from 1). Default: every path.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(usize))]
    pub path: Option<usize>,
    /// Also write the timeline as an SVG file (replaced atomically; never an input file).
    #[arg(long, value_name = "OUT.svg")]
    pub svg: Option<PathBuf>,
    #[command(flatten)]
    pub simulation: SimulationArgs,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("target").required(true))]
pub struct CompletionsArgs {
    /// The shell to print completions for.
    #[arg(value_enum, group = "target")]
    pub shell: Option<clap_complete::Shell>,
    /// Write completions for bash, zsh, fish, PowerShell and elvish into DIR instead.
    #[arg(long, value_name = "DIR", group = "target")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write flowcost.1 and one page per subcommand (flowcost-simulate.1…) into DIR instead.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the files (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Output format of `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    /// Tables for people.
    Table,
    /// One JSON document.
    Json,
    /// CSV of the main table.
    Csv,
    /// Markdown tables.
    Markdown,
}

impl From<CostFormat> for OutputFormat {
    fn from(f: CostFormat) -> Self {
        match f {
            CostFormat::Table => OutputFormat::Table,
            CostFormat::Json => OutputFormat::Json,
            CostFormat::Csv => OutputFormat::Csv,
            CostFormat::Markdown => OutputFormat::Markdown,
        }
    }
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Tables for people.
    Table,
    /// One JSON document.
    Json,
    /// Markdown tables (for a pull-request comment).
    Markdown,
}

impl From<DiffFormat> for OutputFormat {
    fn from(f: DiffFormat) -> Self {
        match f {
            DiffFormat::Table => OutputFormat::Table,
            DiffFormat::Json => OutputFormat::Json,
            DiffFormat::Markdown => OutputFormat::Markdown,
        }
    }
}

/// How `cost` groups its main table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    /// One row per flow and market.
    Flow,
    /// One row per path.
    Path,
    /// One row per billed category.
    Category,
    /// One row per market, flows summed.
    Market,
}

impl From<GroupByArg> for GroupBy {
    fn from(g: GroupByArg) -> Self {
        match g {
            GroupByArg::Flow => GroupBy::Flow,
            GroupByArg::Path => GroupBy::Path,
            GroupByArg::Category => GroupBy::Category,
            GroupByArg::Market => GroupBy::Market,
        }
    }
}

/// Audience-level assumptions of `cost` and `diff`.
#[derive(Debug, Args)]
pub struct AudienceArgs {
    /// Recipients in one calendar month (like 250000, 250_000, 250,000 or 250k; 1 to 1e12):
    /// prints audience totals with the free tiers and volume tiers that apply.
    #[arg(long, value_name = "N", value_parser = audience)]
    pub audience: Option<u64>,
    /// Business phone numbers sending: under pmp-2026-10 each gets 1,000 free service messages
    /// a month.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub phone_numbers: u64,
}

/// Arguments of `cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Flow files, or directories of them (every .yaml/.yml inside); `-` reads a flow from
    /// standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// A template catalog shared by the flows.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
    /// Rows of the main table: per flow, path, category or market.
    #[arg(long, value_enum, default_value_t = GroupByArg::Flow)]
    pub group_by: GroupByArg,
    #[command(flatten)]
    pub audience: AudienceArgs,
    #[command(flatten)]
    pub import: ImportFlags,
    #[command(flatten)]
    pub simulation: SimulationArgs,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a flow file or a directory of flows.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new version: a flow file or a directory of flows.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// A template catalog shared by the flows.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Exit 1 when the new version costs more than this many USD above the old (expected;
    /// per audience with --audience, else per recipient; all flows summed).
    #[arg(long, value_name = "AMOUNT", value_parser = amount)]
    pub fail_above: Option<Money>,
    /// Exit 1 when the new version costs more than this percentage above the old.
    #[arg(long, value_name = "P", value_parser = percent)]
    pub fail_above_percent: Option<f64>,
    #[command(flatten)]
    pub audience: AudienceArgs,
    #[command(flatten)]
    pub import: ImportFlags,
    #[command(flatten)]
    pub simulation: SimulationArgs,
}

/// Arguments of `rates`.
#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Recipient countries (ISO 3166-1 alpha-2, comma-separated): their markets' rows only.
    #[arg(long, value_name = "CC", value_parser = country, value_delimiter = ',')]
    pub market: Vec<String>,
    /// The date whose card to print (RFC 3339 or a date). Default: today.
    #[arg(long, value_name = "DATE", value_parser = instant)]
    pub at: Option<DateTime<Utc>>,
    /// Your own rate card (CSV, the columns of the built-in cards) over the built-in cards.
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
}

/// Log format for `replay --input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Comma-separated with a header row.
    Csv,
    /// One JSON object per line: flat rows or Cloud API webhooks.
    Ndjson,
    /// Apache Parquet (a file, or a directory of part files).
    Parquet,
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
    /// Log files: .csv, .ndjson/.jsonl/.json, optionally .gz; .parquet, or a directory of Parquet
    /// part files (read in name order); read in the order given; `-` reads standard input (CSV
    /// or NDJSON: format by --input-format, else by its first line).
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
    #[arg(
        long,
        value_name = "OFFSET",
        value_parser = offset,
        default_value = "+00:00",
        allow_hyphen_values = true
    )]
    pub account_tz: FixedOffset,
    /// Rule 4 of docs/billing.md, as for `simulate`.
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
    /// How much older than the latest row a row may be and still be streamed; beyond it,
    /// files that overlap in time are merged by timestamp, and a file out of order by itself
    /// is replayed holding every recipient in memory.
    #[arg(long, value_name = "DURATION", value_parser = duration_or_zero, default_value = "1h")]
    pub max_disorder: Duration,
    /// The input is not in time order: hold every recipient until the end without trying to
    /// stream first.
    #[arg(long)]
    pub unsorted: bool,
    /// When streaming, how long a message is remembered after its recipient's episode closed,
    /// so that a late status (a read receipt days after the delivery) joins it instead of
    /// counting as a new message; memory grows with the messages delivered in this time.
    #[arg(
        long,
        value_name = "DURATION",
        value_parser = duration_or_zero,
        default_value = flowcost::replay::group::STATUS_HORIZON
    )]
    pub status_horizon: Duration,
    /// Write every webhook billing mismatch to FILE as CSV.
    #[arg(long, value_name = "FILE")]
    pub mismatches: Option<PathBuf>,
    /// No progress bar (it is shown only when stderr is a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
}

/// Arguments of `merge-replays`.
#[derive(Debug, Args)]
pub struct MergeReplaysArgs {
    /// Partial results: what `flowcost replay --format json` printed for each shard of the log
    /// (every recipient's rows in one shard), all replayed with the same options.
    #[arg(value_name = "PART.json", required = true)]
    pub parts: Vec<PathBuf>,
    /// Count charges by calendar day or month.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub by: By,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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
    /// Write to FILE (gzip-compressed when it ends in .gz; Apache Parquet when it ends in
    /// .parquet) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output format of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for people.
    Table,
    /// One JSON document (its fields: docs/json.md).
    Json,
}

/// A flow file format, for `--from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromFormat {
    /// flowcost YAML.
    Flowcost,
    /// goflow flow definitions: RapidPro, TextIt and glific exports (spec 13.x, 14.x).
    Goflow,
    /// Twilio Studio flow JSON.
    TwilioStudio,
}

/// How a flow starts, for `--trigger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum TriggerArg {
    /// The customer writes first.
    CustomerMessage,
    /// The customer writes through a click-to-WhatsApp ad.
    AdClick,
    /// A business event (an API call) starts it.
    BusinessEvent,
    /// A schedule starts it.
    Schedule,
}

/// How to read flow files of other tools; shared by every command that reads flows.
#[derive(Debug, Args)]
pub struct ImportFlags {
    /// Read the files in this format instead of detecting it from their content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<FromFormat>,
    /// In an export holding several flows, the one to read (name or UUID); default the first.
    #[arg(long = "flow", value_name = "NAME|UUID")]
    pub select: Option<String>,
    /// How the flow starts, overriding the file (imports that do not say assume one and tell).
    #[arg(long, value_enum, value_name = "TRIGGER")]
    pub trigger: Option<TriggerArg>,
}

impl ImportFlags {
    /// The importer's options.
    pub fn import_options(&self) -> flowcost::import::ImportOptions {
        use flowcost::flow::Trigger;
        use flowcost::import::Format;
        flowcost::import::ImportOptions {
            from: self.from.map(|f| match f {
                FromFormat::Flowcost => Format::Flowcost,
                FromFormat::Goflow => Format::Goflow,
                FromFormat::TwilioStudio => Format::TwilioStudio,
            }),
            flow: self.select.clone(),
            trigger: self.trigger.map(|t| match t {
                TriggerArg::CustomerMessage => Trigger::CustomerMessage,
                TriggerArg::AdClick => Trigger::AdClick,
                TriggerArg::BusinessEvent => Trigger::BusinessEvent,
                TriggerArg::Schedule => Trigger::Schedule,
            }),
            limits: crate::commands::limits(),
        }
    }
}

/// One flow file and how to read it.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The flow file: flowcost YAML, a goflow export (RapidPro, TextIt, glific) or a Twilio
    /// Studio flow; the format is detected from the content. `-` reads standard input.
    #[arg(value_name = "FLOW")]
    pub file: PathBuf,
    /// A template catalog shared by many flows (the shape of a flow's `templates:` map); the
    /// flow's own `templates:` entries take precedence. Imported template sends are mapped to
    /// categories through it, by name, `uuid`, `content_sid` or `text`.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub import: ImportFlags,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the flowcost YAML here (atomically; never over an input file) instead of stdout.
    #[arg(short, long, value_name = "OUT.yaml")]
    pub output: Option<PathBuf>,
}

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub input: InputArgs,
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
    #[arg(
        long,
        value_name = "OFFSET",
        value_parser = offset,
        default_value = "+00:00",
        allow_hyphen_values = true
    )]
    pub account_tz: FixedOffset,
    /// Recipient country (ISO 3166-1 alpha-2, like DE); overrides the flow's `market`. `cost`
    /// and `diff` take several, comma-separated (DE,IN,BR).
    #[arg(long, value_name = "CC", value_parser = country, value_delimiter = ',')]
    pub market: Vec<String>,
    /// Also bill the flow on this date (repeatable): one column per date with the delta and
    /// its cause. The columns are --at (when given) and each --compare-at, oldest first.
    #[arg(long, value_name = "DATE", value_parser = instant)]
    pub compare_at: Vec<DateTime<Utc>>,
    /// Your own rate card (CSV: market,category,price_usd,unit[,effective_date]); its prices
    /// override or extend the built-in cards.
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// The business's country (ISO 3166-1 alpha-2): authentication to recipients elsewhere is
    /// priced at the authentication-international rate where it applies (rule 8).
    #[arg(long, value_name = "CC", value_parser = country)]
    pub business_country: Option<String>,
    /// Customer model: probability that a customer replies at each `wait_for_reply`
    /// [default: 0.3, or flowcost.toml's].
    #[arg(long, value_name = "RATE", value_parser = rate)]
    pub reply_rate: Option<f64>,
    /// Customer model: at a split whose shares are guesses (no `weight` written, as imports
    /// leave them), the probability of the branches that lead back into a loop, such as a
    /// question asked again after an invalid answer [default: 0.1, or flowcost.toml's].
    #[arg(long, value_name = "RATE", value_parser = rate)]
    pub retry_rate: Option<f64>,
    /// Customer model: while a path stays in a loop it enters the loop at most N times (1 to
    /// 100); a path that would enter it once more is abandoned there [default: 3, or
    /// flowcost.toml's].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_visits: Option<u32>,
    /// Customer model: how long a customer takes to reply; at a reply wait that is not longer,
    /// the reply comes at half its timeout [default: 1m, or flowcost.toml's].
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub reply_after: Option<Duration>,
    /// Paths to list: the N most probable (and the dearest), or `all` (at most 10,000). The
    /// summary covers every path either way.
    #[arg(long = "paths", id = "listing", value_name = "N|all", value_parser = listing,
          default_value = "10")]
    pub listing: Listing,
    /// Most merged states the exploration may hold (about 200 bytes each); a flow that needs
    /// more is explored again with a lower --max-visits, with a warning.
    #[arg(long, value_name = "N", default_value_t = flowcost::simulate::DEFAULT_MAX_STATES,
          value_parser = clap::value_parser!(usize))]
    pub max_states: usize,
    /// Read settings (lint levels, the `[customer]` model) from FILE instead of the nearest
    /// flowcost.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore flowcost.toml files.
    #[arg(long)]
    pub no_config: bool,
    /// Removed: loops are bounded by --max-visits.
    #[arg(long, hide = true, value_name = "DURATION")]
    pub horizon: Option<String>,
    /// Removed: replaced by --paths.
    #[arg(long, hide = true, value_name = "N")]
    pub max_paths: Option<String>,
    /// Rule 4 of docs/billing.md (conversation-based pricing): a free-form message rides on an
    /// open conversation of any category. Set to false to let it ride only on a service
    /// conversation.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub free_form_joins_open_conversation: bool,
}

impl SimulationArgs {
    /// The simulator's options, with the pricing model chosen by date unless --pricing is given.
    pub fn options(&self, now: DateTime<Utc>) -> Result<Options, String> {
        self.options_at(self.at.unwrap_or(now))
    }

    /// The simulator's options for a start of `start` (a --compare-at date); the customer
    /// model from the flags, else from flowcost.toml's `[customer]`, else the defaults.
    pub fn options_at(&self, start: DateTime<Utc>) -> Result<Options, String> {
        if self.horizon.is_some() {
            return Err("--horizon was removed: a looping path now ends after --max-visits visits of a node (see CHANGELOG.md)".into());
        }
        if self.max_paths.is_some() {
            return Err("--max-paths was replaced by --paths N (the N most probable paths are listed; the summary covers every path)".into());
        }
        let in_force =
            PricingModel::in_force_at(start, self.account_tz).map_err(|e| e.to_string())?;
        let mut options = Options::new(start, self.pricing.unwrap_or(in_force));
        options.rules = Rules {
            free_form_joins_open_conversation: self.free_form_joins_open_conversation,
        };
        let config = crate::commands::config().customer;
        let default = Customer::default();
        options.customer = Customer {
            reply_rate: self
                .reply_rate
                .or(config.reply_rate)
                .unwrap_or(default.reply_rate),
            retry_rate: self
                .retry_rate
                .or(config.retry_rate)
                .unwrap_or(default.retry_rate),
            max_visits: self
                .max_visits
                .or(config.max_visits)
                .unwrap_or(default.max_visits),
            reply_after: self
                .reply_after
                .or(config.reply_after)
                .unwrap_or(default.reply_after),
        };
        options.customer.validate()?;
        options.listing = self.listing;
        options.max_states = self.max_states;
        Ok(options)
    }
}

fn instant(s: &str) -> Result<DateTime<Utc>, String> {
    parse_instant(s).map_err(|e| format!("{}; {}", e.message, e.help))
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
    flowcost::country::parse_country(s).map_err(|e| format!("{}; {}", e.message, e.help))
}

/// The largest `--audience`: a trillion recipients a month (amounts past about 9.2 trillion
/// USD are refused as well).
const MAX_AUDIENCE: u64 = 1_000_000_000_000;

fn audience(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, scale) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1_000),
        Some((i, 'm' | 'M')) => (&t[..i], 1_000_000),
        _ => (t, 1),
    };
    let bad = || {
        format!("`{s}` is not a number of recipients; write a whole number like 250000, 250_000, 250,000 or 250k (k = thousand, m = million)")
    };
    // Commas only between groups of three digits (`1,5m` is not 15 million).
    let (int_part, _) = digits.split_once('.').unwrap_or((digits, ""));
    let groups: Vec<&str> = int_part.split(',').collect();
    if groups.len() > 1 && (groups[0].is_empty() || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(bad());
    }
    // Underscores only between digits, one at a time (`1_000`, not `_1` or `1__0`).
    let b = digits.as_bytes();
    let lone_underscores = b.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || (i > 0 && i + 1 < b.len() && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
    });
    if !lone_underscores {
        return Err(bad());
    }
    let digits: String = digits.chars().filter(|c| !matches!(c, '_' | ',')).collect();
    let n = match digits.split_once('.') {
        // 1.5m: a decimal with a suffix, exactly a whole number of recipients.
        Some((whole, frac)) if scale > 1 && frac.len() <= 6 && !frac.is_empty() => {
            let whole: u64 = whole.parse().map_err(|_| bad())?;
            let frac_value: u64 = frac.parse().map_err(|_| bad())?;
            let frac_scale = 10u64.pow(frac.len() as u32);
            let part = frac_value
                .checked_mul(scale)
                .filter(|p| p % frac_scale == 0);
            whole
                .checked_mul(scale)
                .zip(part)
                .and_then(|(w, p)| w.checked_add(p / frac_scale))
                .ok_or_else(bad)?
        }
        Some(_) => return Err(bad()),
        None if digits.bytes().all(|b| b.is_ascii_digit()) && !digits.is_empty() => digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale))
            .unwrap_or(u64::MAX),
        None => return Err(bad()),
    };
    match n {
        0 => Err("the audience must be at least 1 recipient".into()),
        n if n > MAX_AUDIENCE => Err(format!(
            "`{s}` recipients is more than flowcost prices (at most 1,000,000,000,000 a month)"
        )),
        n => Ok(n),
    }
}

fn listing(s: &str) -> Result<Listing, String> {
    if s.trim().eq_ignore_ascii_case("all") {
        return Ok(Listing::All);
    }
    match s.trim().parse::<usize>() {
        Ok(n) => Ok(Listing::Top(n)),
        Err(_) => Err(format!(
            "`{s}` is not a number of paths; write a number like 10, or `all`"
        )),
    }
}

fn rate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "`{s}` is not a rate; write a number from 0 to 1, like 0.3"
        )),
    }
}

fn amount(s: &str) -> Result<Money, String> {
    match Money::parse(s) {
        Ok(m) if m >= Money::ZERO => Ok(m),
        Ok(_) => Err(format!(
            "`{s}` is negative; give the largest allowed increase"
        )),
        Err(e) => Err(e),
    }
}

fn percent(s: &str) -> Result<f64, String> {
    match s.trim().trim_end_matches('%').parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
        _ => Err(format!(
            "`{s}` is not a percentage; write a number like 10 or 2.5"
        )),
    }
}

fn duration_or_zero(s: &str) -> Result<Duration, String> {
    if s.trim() == "0" {
        return Ok(Duration::zero());
    }
    duration(s)
}
