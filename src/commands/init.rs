//! `flowcost init`: a starter project that loads and simulates cleanly.

use super::{create_atomically, ui, Failure};
use crate::cli::InitArgs;
use std::path::PathBuf;

/// The files `init` writes, relative to its directory.
const FILES: [(&str, &str); 4] = [
    ("flowcost.toml", include_str!("init/flowcost.toml")),
    ("templates.yaml", include_str!("init/templates.yaml")),
    ("flows/welcome.yaml", include_str!("init/welcome.yaml")),
    ("schema/flow.schema.json", ""),
];

/// Writes the starter files; refuses (exit 2) when any of them exists.
pub fn run(args: &InitArgs) -> Result<String, Failure> {
    let files: Vec<(PathBuf, String)> = FILES
        .iter()
        .map(|(name, text)| {
            let text = if name.ends_with(".json") {
                flowcost::flow::schema::flow_schema_text()
            } else {
                (*text).to_string()
            };
            (args.dir.join(name), text)
        })
        .collect();
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Failure::Usage(format!(
            "init never overwrites files, and these exist: {}; pick another directory",
            existing.join(", ")
        )));
    }
    for (path, text) in &files {
        let fail = |e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", path.display()));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        // No clobbering: a file that appeared since the check above is not overwritten either,
        // and a crash never leaves half a file.
        create_atomically(path, text.as_bytes())?;
        ui().status(format!("created {}", path.display()));
    }
    let dir = args.dir.display();
    ui().status(format!(
        "next: cd {dir} && flowcost simulate flows/welcome.yaml --templates templates.yaml"
    ));
    Ok(String::new())
}
