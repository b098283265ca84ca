//! `flowcost import`: any supported flow file → flowcost YAML, on stdout or written atomically.

use super::{load_input, refuse_inputs, ui, write_atomically, Failure};
use crate::cli::ImportArgs;
use flowcost::flow::write::to_yaml;
use std::path::Path;

/// Converts the flow and prints it, or writes it to `-o` (then prints nothing).
pub fn run(args: &ImportArgs) -> Result<String, Failure> {
    let inputs: Vec<&Path> = [
        Some(args.input.file.as_path()),
        args.input.templates.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(out) = &args.output {
        refuse_inputs(out, &inputs)?; // before reading anything
    }
    let loaded = load_input(&args.input)?;
    let header = format!(
        "# Converted by flowcost from {} ({}).\n",
        args.input.file.display(),
        loaded.format.name()
    );
    let text = format!("{header}{}", to_yaml(&loaded.flow));
    match &args.output {
        None => Ok(text),
        Some(out) => {
            write_atomically(out, text.as_bytes(), &inputs)?;
            ui().status(format!("wrote {}", out.display()));
            Ok(String::new())
        }
    }
}
