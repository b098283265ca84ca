//! One file per subcommand: each turns parsed arguments into text for stdout or a failure.

pub mod completions;
pub mod cost;
pub mod diff;
pub mod gen_log;
pub mod graph;
pub mod import;
pub mod init;
pub mod lint;
pub mod man;
pub mod merge_replays;
pub mod models;
pub mod rates;
pub mod replay;
pub mod schema;
pub mod simulate;
pub mod timeline;
mod write;

pub use write::{create_atomically, input, refuse_inputs, write_atomically, write_atomically_with};

use crate::cli::{AudienceArgs, ImportFlags, InputArgs, SimulationArgs};
use chrono::{DateTime, Utc};
use flowcost::cost::compare::Comparison;
use flowcost::cost::{cost_flow, CostOptions};
use flowcost::diagnostic::{FileProblem, LoadError};
use flowcost::flow::{load_catalog_with, Catalog, Flow};
use flowcost::import::{load_any, Loaded};
use flowcost::limits::Limits;
use flowcost::lint::{find_config, parse_config, Config};
use flowcost::rates::RateBook;
use flowcost::simulate::{simulate, Options, SimError, Simulation};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why a command failed; every failure exits 2.
pub enum Failure {
    /// Problems in input files, each rendered with its YAML.
    Load(Vec<LoadError>),
    /// A bad option value or combination.
    Usage(String),
    /// A file could not be written (or would overwrite something it must not).
    Io(String),
    /// `diff --fail-above*`: the report (stdout) and why the budget is broken (stderr); exit 1.
    Breach {
        /// The full report.
        output: String,
        /// The verdict.
        message: String,
    },
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Load(vec![e])
    }
}

/// What a command prints, and its exit code.
pub struct Output {
    /// Text for stdout.
    pub text: String,
    /// 0, or 1 for findings that fail (`lint`), or 2 when some input could not be used but
    /// the rest was reported.
    pub code: u8,
    /// Warnings and notes for stderr, printed before the text.
    pub stderr: String,
}

impl From<String> for Output {
    fn from(text: String) -> Self {
        Output {
            text,
            code: 0,
            stderr: String::new(),
        }
    }
}

/// What a command produces.
pub type Outcome = Result<Output, Failure>;

/// How chatty and colorful output is: the global `--color`, `--quiet` and `--verbose`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    /// Color stdout.
    pub color: bool,
    /// Only what was asked for: no `note:` lines, no messages on stderr but errors.
    pub quiet: bool,
    /// Say on stderr what is done.
    pub verbose: bool,
    /// Color stderr (diagnostics).
    pub stderr_color: bool,
}

static UI: OnceLock<Ui> = OnceLock::new();

/// Sets the output settings once, before a command runs (like ripgrep's message flags).
pub fn set_ui(ui: Ui) {
    let _ = UI.set(ui);
}

/// The output settings (defaults when unset, as in unit tests).
pub fn ui() -> Ui {
    UI.get().copied().unwrap_or_default()
}

static CONFIG: OnceLock<Config> = OnceLock::new();

/// Sets the project settings (flowcost.toml) once, before a command that simulates runs.
pub fn set_config(config: Config) {
    let _ = CONFIG.set(config);
}

/// The project settings (empty when there is no flowcost.toml, or before they are set).
pub fn config() -> &'static Config {
    static EMPTY: OnceLock<Config> = OnceLock::new();
    CONFIG
        .get()
        .unwrap_or_else(|| EMPTY.get_or_init(Config::default))
}

/// Reads `--config FILE`, else the nearest flowcost.toml from the current directory up, unless
/// `--no-config`; no file gives empty settings.
pub fn load_config(args: &SimulationArgs) -> Result<Config, Failure> {
    if args.no_config {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| find_config(&d)),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    read_config(path)
}

/// Reads the nearest flowcost.toml from the current directory up, for commands without
/// `--config` that read flows (`graph`, `import`): its template catalog applies to them too.
pub fn load_nearest_config() -> Result<Config, Failure> {
    match std::env::current_dir().ok().and_then(|d| find_config(&d)) {
        Some(path) => read_config(path),
        None => Ok(Config::default()),
    }
}

fn read_config(path: PathBuf) -> Result<Config, Failure> {
    input(&path);
    let what = flowcost::flow::Input::Config;
    let file = flowcost::flow::read_input(&path, limits().file_bytes, what)?;
    let mut config = parse_config(file)?;
    ui().info(format!("read settings from {}", path.display()));
    // The catalog is named relative to the file that names it.
    if let (Some(t), Some(dir)) = (&config.templates, path.parent()) {
        config.templates = Some(dir.join(t));
    }
    config.path = Some(path);
    Ok(config)
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the input limits once (from the `FLOWCOST_MAX_*` variables), before a command runs.
pub fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

/// The input limits (defaults when unset).
pub fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

impl Ui {
    /// Text for stderr: control characters from the inputs escaped
    /// ([`flowcost::text::for_terminal`]).
    pub fn stderr<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        flowcost::text::for_terminal(text, self.stderr_color)
    }

    /// `--verbose` detail on stderr.
    pub fn info(&self, message: impl AsRef<str>) {
        if self.verbose {
            eprintln!("flowcost: {}", self.stderr(message.as_ref()));
        }
    }

    /// A message on stderr that `--quiet` drops (files written, next steps).
    pub fn status(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", self.stderr(message.as_ref()));
        }
    }

    /// A human report for stdout: without `note:` lines under `--quiet`; `warning:`, `error:`
    /// and `note:` prefixes painted under `--color`.
    pub fn report(&self, text: String) -> String {
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            if self.quiet && line.starts_with("note: ") {
                continue;
            }
            let painted = [("warning:", "1;33"), ("error:", "1;31"), ("note:", "1;36")]
                .iter()
                .find(|(p, _)| self.color && line.starts_with(p))
                .map(|(p, code)| format!("\x1b[{code}m{p}\x1b[0m{}", &line[p.len()..]));
            out.push_str(painted.as_deref().unwrap_or(line));
        }
        out
    }
}

/// Loads one flow file of any supported format (flowcost YAML, goflow, Twilio Studio); what
/// an import had to assume is printed as warnings on stderr (not under `--quiet`), what was
/// read under `--verbose`. Every command reads flows through here.
pub fn load_file(
    path: &Path,
    catalog: Option<&Catalog>,
    flags: &ImportFlags,
) -> Result<Loaded, LoadError> {
    input(path);
    let loaded = load_any(path, &flags.import_options(), catalog)?;
    if !ui().quiet {
        for note in &loaded.notes {
            let shown = FileProblem::new(&loaded.flow.source, note.clone());
            let help = note
                .help
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            let line = format!("warning[{}]: {shown}{help}", note.code);
            eprintln!("{}", ui().stderr(&line));
        }
    }
    ui().info(format!(
        "read flow `{}` from {} ({}; nodes: {}, templates: {})",
        loaded.flow.name,
        path.display(),
        loaded.format.name(),
        loaded.flow.nodes.len(),
        loaded.flow.templates.len()
    ));
    Ok(loaded)
}

/// The catalog given with `--templates`, else the one flowcost.toml names, if any.
pub fn catalog(templates: Option<&Path>) -> Result<Option<Catalog>, Failure> {
    let templates = templates.or(config().templates.as_deref());
    templates.inspect(|p| input(p));
    let catalog = templates
        .map(|path| load_catalog_with(path, &limits()))
        .transpose()?;
    if let (Some(path), Some(c)) = (templates, &catalog) {
        ui().info(format!(
            "read catalog {} (templates: {})",
            path.display(),
            c.len()
        ));
    }
    Ok(catalog)
}

/// Loads the flow of a single-flow command, with its catalog.
pub fn load_input(input: &InputArgs) -> Result<Loaded, Failure> {
    let catalog = catalog(input.templates.as_deref())?;
    Ok(load_file(&input.file, catalog.as_ref(), &input.import)?)
}

/// The flow of a single-flow command.
pub fn load(input: &InputArgs) -> Result<Flow, Failure> {
    load_input(input).map(|l| l.flow)
}

/// Simulates a loaded flow with the shared simulation options, saying under `--verbose` which
/// pricing model applies and why.
pub fn run_simulation(
    flow: &Flow,
    args: &SimulationArgs,
) -> Result<(Options, Simulation), Failure> {
    let options = args.options(chrono::Utc::now()).map_err(Failure::Usage)?;
    let why = if args.pricing.is_some() {
        "given with --pricing".to_string()
    } else {
        format!(
            "in force at the start, in account time zone {}",
            args.account_tz
        )
    };
    ui().info(format!(
        "start {}; pricing model {} ({why})",
        flowcost::time::format_instant(options.start),
        options.model
    ));
    let simulation = simulate(flow, &options).map_err(|e| sim_failure(flow, e))?;
    ui().info(format!(
        "explored {} path(s) in {} merged states; listed {}",
        simulation.totals.paths,
        simulation.totals.states,
        simulation.paths.len()
    ));
    Ok((options, simulation))
}

/// A flow that cannot be simulated, as a failure naming its file.
pub fn sim_failure(flow: &Flow, e: SimError) -> Failure {
    Failure::Usage(format!("{}: {e}", flow.source.name))
}

/// The built-in rate cards, with the user's card over them.
pub fn rate_book(user: Option<&Path>) -> Result<RateBook, Failure> {
    let mut book = RateBook::builtin()?;
    if let Some(path) = user {
        input(path);
        book.load_user_card(path)?;
    }
    Ok(book)
}

/// The flow files named, or found (*.yaml, *.yml) under the directories named, sorted.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files).map_err(|e| {
                Failure::Usage(format!("cannot read the directory {}: {e}", p.display()))
            })?;
        } else {
            files.push(p.clone()); // a missing file is reported by the loader
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type()?.is_dir() {
            if !hidden {
                walk(&path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
    Ok(())
}

/// A flow file itself, or every `.yaml`/`.yml` file under a directory (sorted); a directory
/// with none is an error.
pub fn flow_files(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    let files = discover(&[path.to_path_buf()])?;
    if files.is_empty() {
        return Err(Failure::Usage(format!(
            "{}: the directory holds no .yaml or .yml flow file",
            path.display()
        )));
    }
    Ok(files)
}

/// Loads every flow, collecting the problems of all files before failing.
pub fn load_flows(
    files: &[PathBuf],
    catalog: Option<&Catalog>,
    flags: &ImportFlags,
) -> Result<Vec<Flow>, Failure> {
    let mut flows = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load_file(f, catalog, flags) {
            Ok(loaded) => flows.push(loaded.flow),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(flows)
    } else {
        Err(Failure::Load(errors))
    }
}

/// The recipient countries to price a flow for: --market, else the flow's `market`.
pub fn countries(flow: &Flow, sim: &SimulationArgs) -> Result<Vec<String>, Failure> {
    if !sim.market.is_empty() {
        let mut v: Vec<String> = Vec::new();
        for m in &sim.market {
            if !v.contains(m) {
                v.push(m.clone());
            }
        }
        return Ok(v);
    }
    match &flow.market {
        Some(m) => Ok(vec![m.clone()]),
        None => Err(Failure::Usage(format!(
            "{}: flow `{}` has no `market`, so flowcost cannot price it; give --market CC (like --market DE)",
            flow.source.name, flow.name
        ))),
    }
}

/// The costing assumptions from the shared options.
pub fn cost_options(sim: &SimulationArgs, audience: Option<&AudienceArgs>) -> CostOptions {
    let mut o = CostOptions {
        business_country: sim.business_country.clone(),
        account_tz: sim.account_tz,
        ..CostOptions::default()
    };
    if let Some(a) = audience {
        o.audience = a.audience;
        o.phone_numbers = a.phone_numbers;
    }
    o
}

/// Refuses `--compare-at` in a command that does not compare dates (it would be ignored).
pub fn refuse_compare_at(sim: &SimulationArgs, command: &str) -> Result<(), Failure> {
    if sim.compare_at.is_empty() {
        return Ok(());
    }
    Err(Failure::Usage(format!(
        "{command} does not compare dates: --compare-at is for `simulate` and `cost`; run `flowcost {command}` once per date with --at"
    )))
}

/// The dates of a --compare-at table: --at when given and each --compare-at, oldest first.
pub fn comparison_dates(sim: &SimulationArgs) -> Vec<DateTime<Utc>> {
    let mut dates: Vec<DateTime<Utc>> = sim
        .at
        .iter()
        .chain(sim.compare_at.iter())
        .copied()
        .collect();
    dates.sort();
    dates.dedup();
    dates
}

/// The flow priced on every comparison date, for one country; `None` without --compare-at.
pub fn comparison(
    flow: &Flow,
    sim: &SimulationArgs,
    country: &str,
    book: &RateBook,
    opts: &CostOptions,
) -> Result<Option<Comparison>, Failure> {
    if sim.compare_at.is_empty() {
        return Ok(None);
    }
    let mut columns = Vec::new();
    for at in comparison_dates(sim) {
        let options = sim
            .options_at(at)
            .map_err(|e| Failure::Usage(format!("--compare-at {}: {e}", at.date_naive())))?;
        columns.push(
            cost_flow(flow, &options, country, book, opts).map_err(|e| sim_failure(flow, e))?,
        );
    }
    Ok(Some(Comparison::new(columns)))
}
