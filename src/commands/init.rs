//! `flowcost init`: a starter project that loads, simulates and lints cleanly.

use super::{create_atomically, ui, Failure};
use crate::cli::InitArgs;
use std::path::{Path, PathBuf};

/// The files `init` writes, relative to its directory.
const FILES: [(&str, &str); 4] = [
    ("flowcost.toml", include_str!("init/flowcost.toml")),
    ("templates.yaml", include_str!("init/templates.yaml")),
    ("flows/welcome.yaml", include_str!("init/welcome.yaml")),
    ("schema/flow.schema.json", ""),
];

/// Writes the starter files. Everything is checked before anything is written: a file that
/// exists (a dangling link too), a file or a symbolic link where a folder goes, all refuse
/// the whole project (exit 2); a write that fails takes back the files written before it.
pub fn run(args: &InitArgs) -> Result<String, Failure> {
    let files: Vec<(PathBuf, String)> = FILES
        .iter()
        .map(|(name, text)| {
            let text = if name.ends_with(".json") {
                flowcost::flow::schema::flow_schema_text()
            } else {
                (*text).to_string()
            };
            (PathBuf::from(name), text)
        })
        .collect();
    let problems: Vec<String> = match not_a_folder(&args.dir) {
        Some(problem) => vec![problem],
        None => files
            .iter()
            .filter_map(|(name, _)| obstacle(&args.dir, name))
            .collect(),
    };
    if !problems.is_empty() {
        return Err(Failure::Usage(format!(
            "init never overwrites, and writes nothing here, because {}; pick another directory",
            problems.join("; ")
        )));
    }
    let mut created: Vec<PathBuf> = Vec::new();
    for (name, text) in &files {
        if let Err(failure) = write(&args.dir, name, text, &mut created) {
            // Never half a project: take back what this run wrote.
            for path in created.iter().rev() {
                let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir(path));
            }
            return Err(failure);
        }
    }
    let dir = args.dir.display();
    ui().status(format!(
        "next: cd {dir} && flowcost simulate flows/welcome.yaml && flowcost lint flows"
    ));
    Ok(String::new())
}

/// Why `dir` cannot hold the project: it exists and is not a folder (a file, a dangling link).
fn not_a_folder(dir: &Path) -> Option<String> {
    std::fs::symlink_metadata(dir).ok()?;
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(format!("{} is a file, not a folder", dir.display())),
        Err(e) => Some(format!("{} cannot be used ({e})", dir.display())),
    }
}

/// Why `name` cannot be written under `dir`: something exists at its place (a dangling link
/// too), or one of the folders on its way is a file or a symbolic link (init never writes
/// outside `dir`).
fn obstacle(dir: &Path, name: &Path) -> Option<String> {
    let mut at = dir.to_path_buf();
    let parts: Vec<_> = name.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let last = i + 1 == parts.len();
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => return Some(format!("{} cannot be checked ({e})", at.display())),
        };
        let shown = at.display();
        if meta.file_type().is_symlink() {
            let target =
                std::fs::read_link(&at).map_or(String::new(), |t| format!(" to {}", t.display()));
            return Some(if last {
                format!("{shown} exists (a symbolic link{target})")
            } else {
                format!(
                    "{shown} is a symbolic link{target}, and init writes only inside the directory"
                )
            });
        }
        if last {
            return Some(format!("{shown} exists"));
        }
        if !meta.is_dir() {
            return Some(format!("{shown} is a file where init puts a folder"));
        }
    }
    None
}

/// Writes one file under `dir`, with the folders on its way; what it creates is added to
/// `created` (folders first) so that a later failure can take it back.
fn write(dir: &Path, name: &Path, text: &str, created: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let path = dir.join(name);
    let fail = |e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", path.display()));
    let mut folders: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .map(Path::to_path_buf)
        .collect();
    folders.reverse();
    for folder in folders {
        std::fs::create_dir(&folder).map_err(fail)?;
        created.push(folder);
    }
    // No clobbering: a file that appeared since the check is not overwritten either, and a
    // crash never leaves half a file.
    create_atomically(&path, text.as_bytes())?;
    created.push(path.clone());
    ui().status(format!("created {}", path.display()));
    Ok(())
}
