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
    /// Convert a goflow (RapidPro, TextIt, glific) or Twilio Studio export to flowcost YAML.
    Import(ImportArgs),
}

/// Output format of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for people.
    Table,
    /// One JSON document (the schema in the README).
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

/// The flow file and how to read it; shared by every command that reads a flow.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The flow file: flowcost YAML, a goflow export (RapidPro, TextIt, glific) or a Twilio
    /// Studio flow; the format is detected from the content.
    #[arg(value_name = "FLOW")]
    pub file: PathBuf,
    /// A template catalog shared by many flows (the shape of a flow's `templates:` map); the
    /// flow's own `templates:` entries take precedence. Imported template sends are mapped to
    /// categories through it, by name, `uuid`, `content_sid` or `text`.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    /// Read the file in this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<FromFormat>,
    /// In an export holding several flows, the one to read (name or UUID); default the first.
    #[arg(long = "flow", value_name = "NAME|UUID")]
    pub select: Option<String>,
    /// How the flow starts, overriding the file (imports that do not say assume one and tell).
    #[arg(long, value_enum, value_name = "TRIGGER")]
    pub trigger: Option<TriggerArg>,
}

impl InputArgs {
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
        }
    }
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
