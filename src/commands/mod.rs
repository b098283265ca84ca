//! One file per subcommand: each turns parsed arguments into text for stdout or a failure.

pub mod import;
pub mod models;
pub mod simulate;

use crate::cli::InputArgs;
use flowcost::diagnostic::{FileProblem, LoadError};
use flowcost::flow::load_catalog;
use flowcost::import::{load_any, Loaded};

/// Why a command failed; every failure exits 2.
pub enum Failure {
    /// Problems in input files, each rendered with its YAML.
    Load(Vec<LoadError>),
    /// A bad option value or combination.
    Usage(String),
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Load(vec![e])
    }
}

/// What a command prints on success.
pub type Outcome = Result<String, Failure>;

/// Loads the flow of any supported format (and the catalog); prints the importer's notes as
/// warnings on stderr.
pub fn load_input(input: &InputArgs) -> Result<Loaded, Failure> {
    let catalog = input.templates.as_deref().map(load_catalog).transpose()?;
    let loaded = load_any(&input.file, &input.import_options(), catalog.as_ref())?;
    for note in &loaded.notes {
        let shown = FileProblem::new(&loaded.flow.source, note.clone());
        let help = note
            .help
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        eprintln!("warning[{}]: {shown}{help}", note.code);
    }
    Ok(loaded)
}
