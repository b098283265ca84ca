//! One file per subcommand: each turns parsed arguments into text for stdout or a failure.

pub mod models;
pub mod simulate;

use flowcost::diagnostic::LoadError;

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
