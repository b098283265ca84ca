//! Every file flowcost writes (`timeline --svg`, `import -o`, `completions --dir`, `man --dir`,
//! `init`, `gen-log -o`, `replay --mismatches`) goes through a temporary file renamed into
//! place: no half-written file, no leftover temporary file, the usual permissions, and never a
//! write over an input.

use super::common::flowcost;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const FLOW: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/flows/opt-in-mixed.yaml");
const STUDIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/twilio-studio"
);

/// No `.flowcost-*` temporary file is left in `dir`, and every file is readable by others.
fn clean(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".flowcost-"), "leftover {name}");
        let meta = entry.metadata().unwrap();
        if meta.is_file() {
            assert_eq!(meta.permissions().mode() & 0o777, 0o644, "{name}");
        } else {
            clean(&entry.path());
        }
    }
}

#[test]
fn completions_and_man_pages_are_written_whole_and_readable() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("completions");
    flowcost()
        .args(["completions", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    // The same text as the committed completions.
    for name in &names {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("completions")
            .join(name);
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            std::fs::read(committed).unwrap(),
            "{name}"
        );
    }
    clean(&dir);
    let man = tmp.path().join("man");
    flowcost()
        .args(["man", "--dir"])
        .arg(&man)
        .assert()
        .success();
    assert!(man.join("flowcost.1").is_file());
    clean(&man);
}

#[test]
fn init_writes_new_files_atomically_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    flowcost().arg("init").arg(tmp.path()).assert().success();
    clean(tmp.path());
    let toml = tmp.path().join("flowcost.toml");
    std::fs::write(&toml, "mine").unwrap();
    std::fs::remove_file(tmp.path().join("templates.yaml")).unwrap();
    flowcost().arg("init").arg(tmp.path()).assert().code(2);
    assert_eq!(std::fs::read_to_string(&toml).unwrap(), "mine");
    assert!(
        !tmp.path().join("templates.yaml").exists(),
        "nothing written"
    );
}

#[test]
fn outputs_replace_atomically_keep_permissions_and_never_hit_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = tmp.path().join("out.svg");
    std::fs::write(&svg, "old").unwrap();
    std::fs::set_permissions(&svg, std::fs::Permissions::from_mode(0o640)).unwrap();
    flowcost()
        .args(["timeline", FLOW, "--at", "2026-11-02", "--svg"])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert_eq!(
        std::fs::metadata(&svg).unwrap().permissions().mode() & 0o777,
        0o640
    );

    // An input is never an output, whatever the spelling of its path.
    let input = tmp.path().join("flow.yaml");
    std::fs::copy(FLOW, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let dotted = tmp.path().join(".").join("flow.yaml");
    for args in [
        vec!["timeline", "flow.yaml", "--at", "2026-11-02", "--svg"],
        vec!["import", "flow.yaml", "-o"],
    ] {
        let out = flowcost()
            .current_dir(tmp.path())
            .args(&args)
            .arg(&dotted)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites its inputs"));
    }
    assert_eq!(std::fs::read(&input).unwrap(), before);

    // A failed import leaves an existing output as it was, and writes nothing new.
    let out = tmp.path().join("out.yaml");
    std::fs::write(&out, "previous").unwrap();
    let broken = tmp.path().join("broken.json");
    std::fs::write(&broken, "{\"flows\": [").unwrap();
    flowcost()
        .arg("import")
        .arg(&broken)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    let studio = std::fs::read_dir(STUDIO)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let fresh = tmp.path().join("fresh.yaml");
    flowcost()
        .arg("import")
        .arg(&studio)
        .arg("-o")
        .arg(&fresh)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&fresh)
        .unwrap()
        .contains("\nnodes:"));
    std::fs::remove_file(&svg).unwrap();
    std::fs::remove_file(&broken).unwrap();
    std::fs::remove_file(&input).unwrap();
    std::fs::remove_file(&out).unwrap();
    clean(tmp.path());

    // A directory that does not exist: a clear error, exit 2.
    let nowhere = tmp.path().join("missing/dir/out.svg");
    let out = flowcost()
        .args(["timeline", FLOW, "--at", "2026-11-02", "--svg"])
        .arg(&nowhere)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}

/// `gen-log -o` and `replay --mismatches` write through a temporary file too, and the
/// mismatches never go over a log being replayed.
#[test]
fn logs_and_mismatches_are_written_whole_and_never_over_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["log.csv", "log.csv.gz"] {
        let log = tmp.path().join(name);
        std::fs::write(&log, "old").unwrap();
        flowcost()
            .args(["gen-log", "--rows", "200", "--seed", "3", "-o"])
            .arg(&log)
            .assert()
            .success();
        assert_ne!(std::fs::read(&log).unwrap(), b"old");
    }
    let log = tmp.path().join("log.csv");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 201);
    let mismatches = tmp.path().join("mismatches.csv");
    flowcost()
        .arg("replay")
        .arg(&log)
        .arg("--mismatches")
        .arg(&mismatches)
        .assert()
        .success();
    assert!(mismatches.exists());
    let out = flowcost()
        .arg("replay")
        .arg(&log)
        .arg("--mismatches")
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites its inputs"));
    assert_eq!(std::fs::read_to_string(&log).unwrap(), text);
    let missing_dir = tmp.path().join("no-such-dir").join("log.csv");
    let out = flowcost()
        .args(["gen-log", "--rows", "10", "-o"])
        .arg(&missing_dir)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    clean(tmp.path());
}
