//! `flowcost completions`.

use super::{ui, write_atomically, Failure};
use crate::cli::{Cli, CompletionsArgs};
use clap::{CommandFactory, ValueEnum};
use clap_complete::{Generator, Shell};

/// Completions for one shell on stdout, or for every shell into `--dir`.
pub fn run(args: &CompletionsArgs) -> Result<String, Failure> {
    let mut cmd = Cli::command();
    if let Some(shell) = args.shell {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut cmd, "flowcost", &mut out);
        return Ok(String::from_utf8_lossy(&out).into_owned());
    }
    let Some(dir) = &args.dir else {
        return Err(Failure::Usage("name a shell or --dir".into()));
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    for shell in Shell::value_variants() {
        let mut out = Vec::new();
        clap_complete::generate(*shell, &mut cmd, "flowcost", &mut out);
        let path = dir.join(shell.file_name("flowcost"));
        write_atomically(&path, &out)?;
        ui().info(format!("wrote {}", path.display()));
    }
    ui().status(format!(
        "wrote completions for bash, zsh, fish, PowerShell and elvish into {}",
        dir.display()
    ));
    Ok(String::new())
}
