//! One file per subcommand: each turns parsed arguments into text for stdout or a failure.

pub mod gen_log;
pub mod lint;
pub mod models;
pub mod replay;
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
