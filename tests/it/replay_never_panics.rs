//! The replay line parser never panics, on arbitrary bytes and on rows that look almost right:
//! the stable-Rust share of the `replay_lines` fuzz target (fuzz/); nor does the binary on
//! standard input (`replay -`).

use flowcost::replay::parse::{ParseOptions, Parser};
use flowcost::replay::{ColumnMap, InputFormat};
use proptest::prelude::*;
use std::io::Write;

fn parse_all(data: &[u8]) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(data).unwrap();
    for format in [InputFormat::Csv, InputFormat::Ndjson] {
        let options = ParseOptions {
            format: Some(format),
            map: ColumnMap::default(),
            earliest_ms: 0,
            strict: false,
        };
        let mut parser = Parser::new(&options);
        parser.file(0, file.path(), &mut |_batch| true);
    }
}

/// A field that is often right and sometimes absurd.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026-11-02T10:00:00Z".to_string()),
        Just("1767225600".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-1".to_string()),
        Just("+4915112345678".to_string()),
        Just("inbound".to_string()),
        Just("outbound".to_string()),
        Just("template".to_string()),
        Just("free_form".to_string()),
        Just("marketing".to_string()),
        Just("ad_click".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        Just("\"unclosed".to_string()),
        "[ -~]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..2_000)) {
        parse_all(&data);
    }

    #[test]
    fn almost_right_csv(rows in prop::collection::vec(prop::collection::vec(field(), 0..9), 0..30)) {
        let mut text = String::from("timestamp,recipient,direction,kind,category,entry_point,market,flow\n");
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        parse_all(text.as_bytes());
    }

    #[test]
    fn almost_right_ndjson(rows in prop::collection::vec((field(), field(), field(), field()), 0..30)) {
        let mut text = String::new();
        for (t, r, d, k) in rows {
            text.push_str(&format!(
                "{{\"timestamp\":\"{t}\",\"recipient\":\"{r}\",\"direction\":\"{d}\",\"kind\":\"{k}\",\"category\":\"marketing\"}}\n"
            ));
            text.push_str(&format!("{{\"statuses\":[{{\"id\":\"{r}\",\"status\":\"{d}\",\"timestamp\":\"{t}\",\"recipient_id\":\"{k}\",\"pricing\":{{\"billable\":true}}}}]}}\n"));
        }
        parse_all(text.as_bytes());
    }
}

/// The whole binary on standard input (`replay -`): any bytes, plain or gzipped, end with exit
/// 0 or 2, a JSON document on stdout, and never a panic.
fn replay_stdin(data: Vec<u8>) {
    let out = super::common::flowcost()
        .args(["replay", "-", "--format", "json", "--no-progress"])
        .write_stdin(data)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["rows"].is_u64(), "{doc}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_on_standard_input(data in prop::collection::vec(any::<u8>(), 0..2_000), gzip in any::<bool>()) {
        let data = if gzip {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&data).unwrap();
            enc.finish().unwrap()
        } else {
            data
        };
        replay_stdin(data);
    }
}
