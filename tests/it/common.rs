//! Helpers the test modules share: the binary as a command, its output, and a run under a
//! timeout with its peak memory.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a run of the binary gave.
pub struct Run {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
    /// Peak resident memory, KiB.
    pub max_rss_kib: i64,
    /// Killed after `timeout`.
    pub timed_out: bool,
}

/// Runs the binary with `args` in `dir` (and `env`), killed after `timeout`; its peak memory
/// is read from the kernel when it exits (`wait4`), or, where that figure may be this
/// process's own, polled from `/proc` while it runs.
// The child is reaped by `wait4` (which also reports its peak memory), not `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn run_measured(args: &[String], dir: &Path, env: &[(&str, String)], timeout: Duration) -> Run {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("flowcost"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn flowcost");
    let pid = child.id() as libc::pid_t;
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut status = 0;
    // SAFETY: rusage is plain old data, filled in by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    let mut polled = 0;
    loop {
        // SAFETY: waits for our own child, with valid pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r >= 0, "wait4 failed");
        if start.elapsed() > timeout {
            timed_out = true;
            // SAFETY: signals our own child, which has not been reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            // SAFETY: as above, blocking.
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            break;
        }
        polled = polled.max(high_water_kib(&format!("/proc/{pid}/status")));
        std::thread::sleep(Duration::from_millis(2));
    }
    let elapsed = start.elapsed();
    // A child starts as a copy of this process, whose peak the kernel folds into the child's
    // at exec: a figure no larger than this process's own peak may be ours, not the child's,
    // and then the peak seen while polling the child is the measure.
    let inherited = usage.ru_maxrss <= high_water_kib("/proc/self/status");
    let max_rss_kib = if inherited { polled } else { usage.ru_maxrss };
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        elapsed,
        max_rss_kib,
        timed_out,
    }
}

/// `VmHWM` (peak resident memory, KiB) of a `/proc/…/status` file; 0 when unreadable.
fn high_water_kib(status: &str) -> i64 {
    let text = std::fs::read_to_string(status).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The binary, without colours (tables and diagnostics compare as text) and without the
/// environment that switches output formats (`CLICOLOR_FORCE`, `GITHUB_ACTIONS`).
pub fn flowcost() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("flowcost").unwrap();
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("COLUMNS");
    cmd
}

/// Runs `cmd`: exit code (`-1` when killed), standard output, standard error.
pub fn output(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> (i32, String, String) {
    output(flowcost().args(args))
}

/// A replay's JSON as runs over the same rows compare: without `files`, and with its problems
/// as a sorted list of messages (files and line numbers differ between a log and its parts).
pub fn comparable_replay(json: &str) -> serde_json::Value {
    let mut doc: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    doc.as_object_mut().unwrap().remove("files");
    let mut messages: Vec<String> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    messages.sort();
    doc["problems"] = messages.into();
    doc
}
