//! One file per subcommand: each turns parsed arguments into text for stdout or a failure.

pub mod completions;
pub mod graph;
pub mod init;
pub mod lint;
pub mod man;
pub mod models;
pub mod schema;
pub mod simulate;
pub mod timeline;

use crate::cli::SimulationArgs;
use flowcost::diagnostic::LoadError;
use flowcost::flow::{load_catalog, load_flow, Flow};
use flowcost::simulate::{simulate, Options, Simulation};
use std::path::Path;
use std::sync::OnceLock;

/// Why a command failed; every failure exits 2.
pub enum Failure {
    /// Problems in input files, each rendered with its YAML.
    Load(Vec<LoadError>),
    /// A bad option value or combination.
    Usage(String),
    /// A file could not be written (or would overwrite something it must not).
    Io(String),
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
}

impl From<String> for Output {
    fn from(text: String) -> Self {
        Output { text, code: 0 }
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

impl Ui {
    /// `--verbose` detail on stderr.
    pub fn info(&self, message: impl AsRef<str>) {
        if self.verbose {
            eprintln!("flowcost: {}", message.as_ref());
        }
    }

    /// A message on stderr that `--quiet` drops (files written, next steps).
    pub fn status(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
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

/// Loads a flow and the catalog given with `--templates`, saying so under `--verbose`.
pub fn load(flow: &Path, templates: Option<&Path>) -> Result<Flow, Failure> {
    let catalog = templates.map(load_catalog).transpose()?;
    if let (Some(path), Some(c)) = (templates, &catalog) {
        ui().info(format!(
            "read catalog {} (templates: {})",
            path.display(),
            c.len()
        ));
    }
    let loaded = load_flow(flow, catalog.as_ref())?;
    ui().info(format!(
        "read flow `{}` from {} (nodes: {}, templates: {})",
        loaded.name,
        flow.display(),
        loaded.nodes.len(),
        loaded.templates.len()
    ));
    Ok(loaded)
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
    let simulation = simulate(flow, &options);
    ui().info(format!(
        "explored {} path(s){}",
        simulation.paths.len(),
        if simulation.truncated {
            ", truncated at --max-paths"
        } else {
            ""
        }
    ));
    Ok((options, simulation))
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, renamed
/// over the target, so a reader never sees half a file. Refuses to write over `inputs`.
pub fn write_atomically(path: &Path, contents: &[u8], inputs: &[&Path]) -> Result<(), Failure> {
    let same = |input: &Path| match (std::fs::canonicalize(input), std::fs::canonicalize(path)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if inputs.iter().any(|i| same(i)) {
        return Err(Failure::Io(format!(
            "{} is an input file: refusing to write over it",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", path.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, contents).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
