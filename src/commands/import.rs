//! `flowcost import`: any supported flow file → flowcost YAML, on stdout or written atomically.

use super::{load_input, Failure, Outcome};
use crate::cli::ImportArgs;
use flowcost::flow::write::to_yaml;
use std::io::Write;
use std::path::Path;

/// Converts the flow and prints it, or writes it to `-o` (then prints nothing).
pub fn run(args: &ImportArgs) -> Outcome {
    if let Some(out) = &args.output {
        let inputs = [Some(&args.input.file), args.input.templates.as_ref()];
        for input in inputs.into_iter().flatten() {
            if same_file(out, input) {
                return Err(Failure::Usage(format!(
                    "-o {} is an input file; flowcost never overwrites its inputs",
                    out.display()
                )));
            }
        }
    }
    let loaded = load_input(&args.input)?;
    let yaml = to_yaml(&loaded.flow);
    let header = format!(
        "# Converted by flowcost from {} ({}).\n",
        args.input.file.display(),
        loaded.format.name()
    );
    let text = format!("{header}{yaml}");
    match &args.output {
        None => Ok(text),
        Some(out) => {
            write_atomically(out, &text)
                .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", out.display())))?;
            Ok(String::new())
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Writes a temporary file beside `path`, then renames it over `path`: readers never see half
/// a file, and a failed write leaves the old one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "flow.yaml".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
