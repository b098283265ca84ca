//! Bounds on what one input may cost: bytes read, nodes, nesting, alias expansion.
//!
//! flowcost runs in CI on files written by many hands; a hostile or broken file must end in a
//! diagnostic, never in a hang or an exhausted machine. Every limit has a default and an
//! environment variable to change it (read once by the binary, see [`Limits::from_vars`]);
//! hitting one is a located problem (`flowcost::file-too-large`, `flowcost::too-many-nodes`,
//! `flowcost::too-deep`, `flowcost::alias-expansion`) whose help line names the variable.

/// The limits applied while reading flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest flowcost YAML file (and template catalog) read, in bytes.
    pub file_bytes: u64,
    /// Largest goflow or Twilio Studio export read, in bytes.
    pub import_bytes: u64,
    /// Most nodes in one flow (after an import copies its sub-flows).
    pub nodes: usize,
    /// Deepest nesting of lists and mappings in a YAML or JSON file.
    pub depth: usize,
    /// Most values that YAML aliases (`*name`) may add to a document by expansion.
    pub alias_nodes: u64,
}

/// Default [`Limits::file_bytes`]: 16 MiB.
pub const DEFAULT_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Default [`Limits::import_bytes`]: 64 MiB (JSON exports of whole workspaces are bigger).
pub const DEFAULT_IMPORT_BYTES: u64 = 64 * 1024 * 1024;
/// Default [`Limits::nodes`]: far above any real flow (hundreds of nodes), low enough that
/// loading and exploring one stays within a few hundred MB.
pub const DEFAULT_NODES: usize = 100_000;
/// Default [`Limits::depth`]: a flow nests 5 deep; 64 leaves room for anything hand-written.
pub const DEFAULT_DEPTH: usize = 64;
/// The parsers' own recursion limit (serde_yaml and serde_json): nesting can never exceed it.
pub const PARSER_DEPTH: usize = 128;
/// Default [`Limits::alias_nodes`].
pub const DEFAULT_ALIAS_NODES: u64 = 100_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: DEFAULT_FILE_BYTES,
            import_bytes: DEFAULT_IMPORT_BYTES,
            nodes: DEFAULT_NODES,
            depth: DEFAULT_DEPTH,
            alias_nodes: DEFAULT_ALIAS_NODES,
        }
    }
}

/// The environment variables, with what each sets.
pub const VARIABLES: [(&str, &str); 5] = [
    (
        "FLOWCOST_MAX_FILE_BYTES",
        "largest YAML flow or catalog file, in bytes",
    ),
    (
        "FLOWCOST_MAX_IMPORT_BYTES",
        "largest goflow or Twilio Studio export, in bytes",
    ),
    ("FLOWCOST_MAX_NODES", "most nodes in one flow"),
    (
        "FLOWCOST_MAX_DEPTH",
        "deepest nesting of lists and mappings (at most 128)",
    ),
    (
        "FLOWCOST_MAX_ALIAS_NODES",
        "most values YAML aliases may add by expansion",
    ),
];

impl Limits {
    /// The defaults, overridden by whichever `FLOWCOST_MAX_*` variables `var` returns; a value
    /// that is not a positive whole number (or a depth over 128) is an error naming the
    /// variable, with a `help:` line.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Limits, String> {
        let mut limits = Limits::default();
        let read = |name: &str, max: u64| -> Result<Option<u64>, String> {
            let Some(raw) = var(name) else {
                return Ok(None);
            };
            let cleaned: String = raw.trim().chars().filter(|c| *c != '_').collect();
            let range = if max < 1_000_000 {
                format!("from 1 to {max}")
            } else {
                "of at least 1".to_string()
            };
            match cleaned.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                _ => Err(format!(
                    "{name}={raw} is not a whole number {range}\n  help: write a count \
                     like {name}=100, or unset {name} for the default"
                )),
            }
        };
        let big = u64::MAX / 2;
        if let Some(n) = read("FLOWCOST_MAX_FILE_BYTES", big)? {
            limits.file_bytes = n;
        }
        if let Some(n) = read("FLOWCOST_MAX_IMPORT_BYTES", big)? {
            limits.import_bytes = n;
        }
        if let Some(n) = read("FLOWCOST_MAX_NODES", usize::MAX as u64 / 2)? {
            limits.nodes = n as usize;
        }
        if let Some(n) = read("FLOWCOST_MAX_DEPTH", PARSER_DEPTH as u64)? {
            limits.depth = n as usize;
        }
        if let Some(n) = read("FLOWCOST_MAX_ALIAS_NODES", big)? {
            limits.alias_nodes = n;
        }
        Ok(limits)
    }

    /// [`Limits::from_vars`] on the process environment.
    pub fn from_env() -> Result<Limits, String> {
        Limits::from_vars(|name| std::env::var(name).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn defaults_without_variables() {
        assert_eq!(Limits::from_vars(vars(&[])).unwrap(), Limits::default());
    }

    #[test]
    fn variables_override_each_limit() {
        let l = Limits::from_vars(vars(&[
            ("FLOWCOST_MAX_FILE_BYTES", "1_000"),
            ("FLOWCOST_MAX_IMPORT_BYTES", "2000"),
            ("FLOWCOST_MAX_NODES", "30"),
            ("FLOWCOST_MAX_DEPTH", "8"),
            ("FLOWCOST_MAX_ALIAS_NODES", " 50 "),
        ]))
        .unwrap();
        assert_eq!(
            l,
            Limits {
                file_bytes: 1000,
                import_bytes: 2000,
                nodes: 30,
                depth: 8,
                alias_nodes: 50
            }
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("FLOWCOST_MAX_NODES", "lots"),
            ("FLOWCOST_MAX_NODES", "0"),
            ("FLOWCOST_MAX_NODES", "-5"),
            ("FLOWCOST_MAX_DEPTH", "129"),
            ("FLOWCOST_MAX_FILE_BYTES", "16MiB"),
        ] {
            let e = Limits::from_vars(vars(&[(name, value)])).unwrap_err();
            assert!(e.starts_with(name) && e.contains("whole number"), "{e}");
        }
    }
}
