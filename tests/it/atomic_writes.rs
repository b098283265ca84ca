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

/// No `.flowcost-*` temporary file is left in `dir`, and every file is readable by others
/// (pipes and links to nothing are passed over).
fn clean(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".flowcost-"), "leftover {name}");
        let meta = entry.metadata().unwrap();
        if meta.is_file() {
            assert_eq!(meta.permissions().mode() & 0o777, 0o644, "{name}");
        } else if meta.is_dir() {
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

/// Devices and `/dev/stdout` are written through: nothing is renamed over them and no
/// temporary file is made beside them.
#[test]
fn devices_are_written_through_never_replaced() {
    let leftovers = || {
        std::fs::read_dir("/dev")
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".flowcost-"))
            .count()
    };
    let before = leftovers();
    flowcost()
        .args(["gen-log", "--rows", "10", "-o", "/dev/null"])
        .assert()
        .success();
    flowcost()
        .args(["import", FLOW, "-o", "/dev/null"])
        .assert()
        .success();
    let out = flowcost()
        .args([
            "timeline",
            FLOW,
            "--at",
            "2026-11-02",
            "--svg",
            "/dev/stdout",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &null.file_type()
    ));
    assert_eq!(leftovers(), before, "a temporary file was left in /dev");
}

/// A named pipe gets the output and stays a pipe.
#[test]
fn a_named_pipe_is_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("out.yaml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string naming a path in our own temporary directory.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    flowcost()
        .args(["import", FLOW, "-o"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    assert!(reader.join().unwrap().contains("nodes:"));
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()));
    clean(tmp.path());
}

/// A link is followed: the file it points at is replaced and the link stays a link; a link to
/// nothing is refused without creating anything.
#[test]
fn links_are_followed_and_dangling_links_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real.svg");
    std::fs::write(&real, "old").unwrap();
    let link = tmp.path().join("link.svg");
    std::os::unix::fs::symlink("real.svg", &link).unwrap();
    flowcost()
        .args(["timeline", FLOW, "--at", "2026-11-02", "--svg"])
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("<svg"));

    let dangling = tmp.path().join("dangling.svg");
    std::os::unix::fs::symlink("missing.svg", &dangling).unwrap();
    let out = flowcost()
        .args(["timeline", FLOW, "--at", "2026-11-02", "--svg"])
        .arg(&dangling)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(!tmp.path().join("missing.svg").exists());
    clean(tmp.path());
}

/// Every input is protected from every output: the rate card and the config file too, even
/// where the command does not price.
#[test]
fn rate_cards_and_configs_are_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let card = tmp.path().join("card.csv");
    std::fs::write(
        &card,
        "market,category,price_usd,unit\nDE,marketing,0.1,message\n",
    )
    .unwrap();
    let config = tmp.path().join("flowcost.toml");
    std::fs::write(&config, "fail-on = \"error\"\n").unwrap();
    for (flag, input) in [("--rates", &card), ("--config", &config)] {
        let before = std::fs::read(input).unwrap();
        let out = flowcost()
            .args(["timeline", FLOW, "--at", "2026-11-02", flag])
            .arg(input)
            .arg("--svg")
            .arg(input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("input file"), "{flag}: {stderr}");
        assert_eq!(std::fs::read(input).unwrap(), before, "{flag}");
    }
}

/// A run ended by a signal while it writes leaves neither its temporary file nor a partial
/// output.
#[test]
fn a_signal_removes_the_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("log.csv");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("flowcost"))
        .args(["gen-log", "--rows", "100000000", "-o"])
        .arg(&log)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temporary = || {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with(".flowcost-"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !temporary() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(temporary(), "gen-log made no temporary file");
    // SAFETY: signals our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    assert!(!temporary(), "the temporary file was left behind");
    assert!(!log.exists());
}

/// `/dev/stdout` is the process's own output as the shell opened it: `>>` appends, and a
/// regular file outside the usual places (`/dev/shm`) is replaced like any other.
#[test]
fn stdout_keeps_the_shells_append_and_dev_shm_files_are_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let existing = tmp.path().join("existing.txt");
    let before = "line one\nline two\n".repeat(500);
    std::fs::write(&existing, &before).unwrap();
    let appended = std::fs::OpenOptions::new()
        .append(true)
        .open(&existing)
        .unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("flowcost"))
        .args(["gen-log", "--rows", "5", "-o", "/dev/stdout"])
        .stdout(appended)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let after = std::fs::read_to_string(&existing).unwrap();
    assert!(after.starts_with(&before), "the old lines were overwritten");
    assert_eq!(after.lines().count(), before.lines().count() + 6);

    if !Path::new("/dev/shm").is_dir() {
        eprintln!("note: no /dev/shm here; the second half is skipped");
        return;
    }
    let shm = tempfile::tempdir_in("/dev/shm").unwrap();
    let log = shm.path().join("log.csv");
    std::fs::write(&log, "old\n".repeat(100_000)).unwrap();
    flowcost()
        .args(["gen-log", "--rows", "5", "-o"])
        .arg(&log)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 6);
    let new = shm.path().join("new.csv");
    flowcost()
        .args(["gen-log", "--rows", "5", "-o"])
        .arg(&new)
        .assert()
        .success();
    assert!(new.is_file());
    clean(shm.path());
}
