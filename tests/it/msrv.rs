//! `rust-version` in Cargo.toml is what the locked dependencies need: no package of
//! `Cargo.lock` (tests' dependencies included) asks for a newer Rust. The toolchains
//! themselves cannot be installed here, so the lock file is checked instead.

/// `1.89` and `1.89.0` alike: (major, minor, patch).
fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

#[test]
fn rust_version_covers_every_locked_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The packages built for this machine: others (`wasi`, for WebAssembly only) are never
    // downloaded by a build, and `--offline` could not read them.
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let info = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc runs");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let host = info
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host");
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", host])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = doc["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "flowcost")
        .and_then(|p| p["rust_version"].as_str())
        .expect("Cargo.toml sets rust-version");
    let needed = packages
        .iter()
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    assert!(
        version(needed.0) <= version(ours),
        "{} needs Rust {}, but rust-version is {ours}",
        needed.1,
        needed.0
    );
    // And not needlessly high: the newest requirement is ours.
    let (a, b) = (version(needed.0), version(ours));
    assert_eq!((a.0, a.1), (b.0, b.1), "lower rust-version to {}", needed.0);
}
