//! Every bad input of `tests/bad/` (and the ones too big, too strange or too slow to commit,
//! made here in a temporary directory) through the real binary: exit 2, nothing on stdout, no
//! panic, a diagnostic that says how to fix it (snapshot), and bounds on time and memory.
//!
//! The bounds are not a speed test: a case is killed after `TIMEOUT` (a hang), and its peak
//! resident memory, read from the kernel when it exits (`wait4`), must stay under `MAX_RSS`.

use super::common::{run_measured, Run};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longer than any case takes on a loaded 2-core machine in a debug build; past it, a hang.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Peak resident memory allowed per case.
const MAX_RSS_KIB: i64 = 512 * 1024;

struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
}

impl Case {
    fn simulate(name: &str, dir: &Path, file: &str) -> Case {
        Case {
            name: name.to_string(),
            dir: dir.to_path_buf(),
            args: vec![
                "simulate".into(),
                file.into(),
                "--at".into(),
                "2026-11-02".into(),
            ],
            env: Vec::new(),
        }
    }
}

/// Runs the binary for one case under the timeout and measures its peak memory.
fn run(case: &Case) -> Run {
    run_measured(&case.args, &case.dir, &case.env, TIMEOUT)
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad")
}

/// The committed corpus: one case per file.
fn committed_cases() -> Vec<Case> {
    let dir = corpus_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/bad")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
        .iter()
        .map(|f| {
            let name = f.rsplit_once('.').map_or(f.as_str(), |(n, _)| n);
            Case::simulate(name, &dir, f)
        })
        .collect()
}

/// Writes `head`, then `line` `count` times, then `tail`.
fn stream(path: &Path, head: &str, line: &str, count: usize, tail: &str) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    f.write_all(head.as_bytes()).expect("write");
    for _ in 0..count {
        f.write_all(line.as_bytes()).expect("write");
    }
    f.write_all(tail.as_bytes()).expect("write");
    f.flush().expect("flush");
}

/// Enough copies of `line` to pass `bytes`.
fn lines_for(bytes: usize, line: &str) -> usize {
    bytes / line.len() + 1
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The cases made at test time: huge or hostile texts, and paths that are not readable files.
fn generated_cases(tmp: &Path) -> Vec<Case> {
    let write = |name: &str, text: &[u8]| std::fs::write(tmp.join(name), text).expect("write");
    let mut cases = Vec::new();
    let mut add = |name: &str, file: &str| cases.push(Case::simulate(name, tmp, file));

    std::fs::create_dir(tmp.join("directory.yaml")).expect("mkdir");
    add("directory", "directory.yaml");

    if is_root() {
        // chmod 000 does not stop root from reading (CI runs as root); the unreadable paths
        // below fail for reasons that hold for root too.
        eprintln!("note: running as root: skipping the permission-denied case (chmod 000)");
    } else {
        write("permission-denied.yaml", b"flow: x\n");
        let path = tmp.join("permission-denied.yaml");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        add("permission-denied", "permission-denied.yaml");
    }

    std::os::unix::fs::symlink(tmp.join("nowhere.yaml"), tmp.join("dangling-symlink.yaml"))
        .expect("symlink");
    add("dangling-symlink", "dangling-symlink.yaml");

    write("a-file.yaml", b"flow: x\n");
    add("not-a-directory", "a-file.yaml/flow.yaml");

    let fifo = std::ffi::CString::new(tmp.join("fifo.yaml").to_str().expect("utf-8 path"))
        .expect("no NUL");
    // SAFETY: a valid C string; creates a named pipe that nobody writes to.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
    add("fifo-without-writer", "fifo.yaml");

    // Written line by line: this process's memory at fork counts in a child's peak (the
    // kernel carries it over exec), so the harness must stay small.
    let line = "  - {id: n, type: send_message, text: a line to fill fifty megabytes}\n";
    stream(
        &tmp.join("huge-50mb.yaml"),
        "flow: big\ntrigger: schedule\nnodes:\n",
        line,
        lines_for(50 << 20, line),
        "",
    );
    add("huge-50mb", "huge-50mb.yaml");
    let node = "{\"uuid\": \"00000000-0000-0000-0000-000000000000\", \"actions\": []},";
    stream(
        &tmp.join("huge-70mb.json"),
        "{\"flows\": [{\"name\": \"big\", \"nodes\": [",
        node,
        lines_for(70 << 20, node),
        "{}]}]}",
    );
    add("huge-70mb-export", "huge-70mb.json");

    // Billion laughs: ten values, each nine of the one before: 10^9 strings when expanded.
    let mut bomb = String::from("lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*lol{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("lol{i}: &lol{i} [{refs}]\n"));
    }
    bomb.push_str("flow: bomb\ntrigger: schedule\nnodes: *lol9\n");
    write("alias-bomb.yaml", bomb.as_bytes());
    add("alias-bomb", "alias-bomb.yaml");

    let deep = |open: &str, inner: &str, close: &str| {
        format!(
            "flow: deep\ntrigger: schedule\nnodes: {}{inner}{}\n",
            open.repeat(10_000),
            close.repeat(10_000)
        )
    };
    write("deep-lists.yaml", deep("[", "", "]").as_bytes());
    add("deep-10000-lists", "deep-lists.yaml");
    write("deep-maps.yaml", deep("{a: ", "1", "}").as_bytes());
    add("deep-10000-maps", "deep-maps.yaml");
    let deep_json = format!(
        "{{\"flows\": [{{\"nodes\": {}{}}}]}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    write("deep.json", deep_json.as_bytes());
    add("deep-10000-json", "deep.json");
    // Block style nests by indentation: 200 levels is already 40 kB.
    let mut block = String::from("flow: deep\ntrigger: schedule\nnodes:\n");
    for level in 1..200 {
        block.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
    }
    write("deep-block.yaml", block.as_bytes());
    add("deep-200-block", "deep-block.yaml");

    // One more than the default limit of 100,000 (ids repeat: the limit comes first).
    let node = "  - {id: n, type: end}\n";
    let head = "flow: many\ntrigger: schedule\nnodes:\n";
    stream(&tmp.join("too-many-nodes.yaml"), head, node, 100_001, "");
    add("too-many-nodes", "too-many-nodes.yaml");
    // One split with a branch more than the node limit allows in all.
    stream(
        &tmp.join("wide-split.yaml"),
        "flow: wide\ntrigger: schedule\nnodes:\n  - id: s\n    type: split\n    branches:\n",
        "      - {to: e}\n",
        100_001,
        "  - {id: e, type: end}\n",
    );
    add("wide-split", "wide-split.yaml");
    // Under the limit, but every node repeats the first one's id: 19,999 problems.
    stream(&tmp.join("many-problems.yaml"), head, node, 20_000, "");
    add("many-problems", "many-problems.yaml");

    // 20,000 `next`s to nodes that do not exist among 40,000: did-you-mean is bounded.
    let mut dangling = String::from(head);
    for i in 0..40_000 {
        let next = if i % 2 == 0 {
            format!("gone-{i}")
        } else {
            format!("n{}", i + 1)
        };
        dangling.push_str(&format!(
            "  - {{id: n{i}, type: send_message, text: a, next: {next}}}\n"
        ));
    }
    write("many-dangling.yaml", dangling.as_bytes());
    add("many-dangling-references", "many-dangling.yaml");
    // Long ids make each comparison dear: suggestions are budgeted by characters compared.
    let mut long = String::from(head);
    for i in 0..300 {
        let (id, next) = ("n".repeat(990), "g".repeat(990));
        long.push_str(&format!(
            "  - {{id: {id}{i:010}, type: send_message, text: a, next: {next}{i:010}}}\n"
        ));
    }
    write("long-dangling.yaml", long.as_bytes());
    add("long-dangling-ids", "long-dangling.yaml");
    // A goflow router of 50,000 categories whose exits are all missing: exits are looked up
    // by UUID, and the problems listed once each without a quadratic search.
    let categories: Vec<String> = (0..50_000)
        .map(|i| format!("{{\"uuid\": \"c{i}\", \"name\": \"c{i}\", \"exit_uuid\": \"x{i}\"}}"))
        .collect();
    let router = format!(
        "{{\"flows\": [{{\"uuid\": \"f\", \"name\": \"wide\", \"spec_version\": \"13.1.0\", \"nodes\": [{{\"uuid\": \"n\", \"actions\": [], \"exits\": [], \"router\": {{\"type\": \"switch\", \"operand\": \"@input.text\", \"wait\": {{\"type\": \"msg\"}}, \"categories\": [{}]}}}}]}}]}}",
        categories.join(", ")
    );
    write("wide-router.json", router.as_bytes());
    add("wide-goflow-router", "wide-router.json");
    // 30 million numbers in one array (60 MB, under the file limit) and hardly an object: the
    // values are counted before the text is parsed (parsed, they took a gigabyte).
    let flat = format!("{{\"flows\": [{}0]}}", "0,".repeat(30_000_000));
    write("flat-array.json", flat.as_bytes());
    add("flat-json-array", "flat-array.json");

    write(
        "ok.yaml",
        b"flow: ok\ntrigger: customer_message\nnodes:\n  - {id: a, type: end}\n",
    );
    // Configs and rate cards are inputs like flows: regular files under the size limit.
    let mut config = Case::simulate("config-is-a-device", tmp, "ok.yaml");
    config.args.extend(["--config".into(), "/dev/zero".into()]);
    cases.push(config);
    let keys: String = (0..40_000).map(|i| format!("k{i} = 1\n")).collect();
    write("many-keys.toml", keys.as_bytes());
    let mut config = Case::simulate("config-40000-unknown-keys", tmp, "ok.yaml");
    config
        .args
        .extend(["--config".into(), "many-keys.toml".into()]);
    cases.push(config);
    let mut card = Case::simulate("rate-card-is-a-device", tmp, "ok.yaml");
    card.args[0] = "cost".into();
    card.args.extend(["--rates".into(), "/dev/zero".into()]);
    cases.push(card);
    let mut bad_limit = Case::simulate("bad-limit-variable", tmp, "ok.yaml");
    bad_limit.env.push(("FLOWCOST_MAX_DEPTH", "deep".into()));
    cases.push(bad_limit);
    write(
        "two.yaml",
        b"flow: two\ntrigger: customer_message\nnodes:\n  - {id: a, type: send_message, text: Hi}\n  - {id: b, type: end}\n",
    );
    let mut low_limit = Case::simulate("lowered-node-limit", tmp, "two.yaml");
    low_limit.env.push(("FLOWCOST_MAX_NODES", "1".into()));
    cases.push(low_limit);
    let mut catalog = Case::simulate("catalog-too-deep", tmp, "ok.yaml");
    write("catalog.yaml", deep("[", "", "]").as_bytes());
    catalog
        .args
        .extend(["--templates".into(), "catalog.yaml".into()]);
    cases.push(catalog);
    cases
}

#[test]
fn every_bad_input_exits_2_with_a_diagnostic_within_bounds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let committed = committed_cases();
    assert!(committed.len() >= 40, "tests/bad holds {}", committed.len());
    let cases: Vec<Case> = committed
        .into_iter()
        .chain(generated_cases(tmp.path()))
        .collect();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let mut biggest = (0, String::new());
    for case in &cases {
        let r = run(case);
        let name = &case.name;
        if r.elapsed > slowest.0 {
            slowest = (r.elapsed, name.clone());
        }
        if r.max_rss_kib > biggest.0 {
            biggest = (r.max_rss_kib, name.clone());
        }
        let mut fail = |why: String| failures.push(format!("{name}: {why}\n{}", r.stderr));
        if r.timed_out {
            fail(format!("killed after {TIMEOUT:?}: a hang"));
            continue;
        }
        if r.max_rss_kib > MAX_RSS_KIB {
            fail(format!("peak memory {} MiB", r.max_rss_kib / 1024));
        }
        if r.code != Some(2) {
            fail(format!("exit {:?}, expected 2", r.code));
        }
        if !r.stdout.is_empty() {
            fail("wrote to stdout".into());
        }
        if r.stderr.contains("panicked") || r.stderr.contains("RUST_BACKTRACE") {
            fail("panicked".into());
        }
        if !r.stderr.contains("help:") {
            fail("no help line".into());
        }
        insta::assert_snapshot!(name.as_str(), r.stderr);
    }
    eprintln!(
        "{} cases; slowest {} ({:?}); most memory {} ({} MiB)",
        cases.len(),
        slowest.1,
        slowest.0,
        biggest.1,
        biggest.0 / 1024
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
