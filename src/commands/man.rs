//! `flowcost man`.

use super::{ui, write_atomically, Failure};
use crate::cli::{Cli, ManArgs};
use clap::CommandFactory;

fn render(cmd: clap::Command) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| Failure::Io(format!("cannot render the man page: {e}")))?;
    Ok(out)
}

/// The man page of flowcost on stdout, or pages for it and each subcommand into `--dir`.
pub fn run(args: &ManArgs) -> Result<String, Failure> {
    let mut cmd = Cli::command();
    // Building propagates global flags (--color…) into the subcommands' pages.
    cmd.build();
    let Some(dir) = &args.dir else {
        return Ok(String::from_utf8_lossy(&render(cmd)?).into_owned());
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    write_atomically(&dir.join("flowcost.1"), &render(cmd.clone())?)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("flowcost-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("flowcost {}", sub.get_name()));
        let path = dir.join(format!("{name}.1"));
        write_atomically(&path, &render(page)?)?;
        ui().info(format!("wrote {}", path.display()));
    }
    ui().status(format!("wrote man pages into {}", dir.display()));
    Ok(String::new())
}
