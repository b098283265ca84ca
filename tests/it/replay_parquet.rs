//! `flowcost replay` on Apache Parquet logs: the same counts as the CSV of the same rows, by
//! every reading strategy; typed timestamps of every unit, nulls, aliases and `--map`; part
//! directories; and broken or hostile files, which are errors (exit 2, `"complete": false`),
//! never a panic.

use super::common::{flowcost, output, run_measured};
use super::replay::options;
use flowcost::replay::generate::{generate, GenOptions};
use flowcost::replay::parquet::write::{LogWriter, SCHEMA};
use flowcost::replay::{replay_using, InputFormat, Replay, Strategy};
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type, Int96, Int96Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn run(args: &[&str]) -> (i32, String, String) {
    output(flowcost().arg("replay").args(args))
}

fn gen_options(rows: u64, seed: u64) -> GenOptions {
    GenOptions {
        rows,
        recipients: rows / 12,
        seed,
        start: 1_790_000_000,
        days: 20,
    }
}

/// The same generated log as CSV and as Parquet with row groups of `group_rows`.
fn both(dir: &Path, rows: u64, group_rows: usize) -> (PathBuf, PathBuf) {
    let csv = dir.join("log.csv");
    let pq = dir.join("log.parquet");
    let mut text = Vec::new();
    generate(&gen_options(rows, 4), &mut text).unwrap();
    std::fs::write(&csv, &text).unwrap();
    let mut w =
        LogWriter::with_group_rows(std::fs::File::create(&pq).unwrap(), group_rows).unwrap();
    generate(&gen_options(rows, 4), &mut w).unwrap();
    w.finish().unwrap();
    (csv, pq)
}

/// What a replay counted, problems included.
fn summary(r: &Replay) -> String {
    let mut charges: Vec<String> = r
        .grouper
        .tally
        .charges
        .iter()
        .map(|(k, c)| format!("{k:?} {c:?}"))
        .collect();
    charges.sort();
    format!(
        "rows {} episodes {} problems {:?} skipped {} unusable {:?}\n{}",
        r.grouper.rows,
        r.grouper.tally.episodes,
        r.problems.first,
        r.problems.skipped,
        r.problems.unusable,
        charges.join("\n")
    )
}

/// The JSON of a run without the fields that name the files.
fn json_without_files(stdout: &str) -> Value {
    let mut v: Value = serde_json::from_str(stdout).unwrap();
    v.as_object_mut().unwrap().remove("files");
    v
}

#[test]
fn gen_log_parquet_replays_to_the_json_of_the_csv_of_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    // Over one row group of 131,072 rows: two row groups, read side by side.
    for name in ["log.csv", "log.parquet"] {
        let path = dir.path().join(name);
        let gen = flowcost()
            .args([
                "gen-log",
                "--rows",
                "140000",
                "--recipients",
                "9000",
                "--seed",
                "3",
                "-o",
            ])
            .arg(&path)
            .assert()
            .success();
        assert!(String::from_utf8_lossy(&gen.get_output().stderr).contains("wrote 140000 rows"));
        let (code, stdout, stderr) = run(&[path.to_str().unwrap(), "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        outputs.push(json_without_files(&stdout));
    }
    assert_eq!(outputs[0]["rows"], 140_000);
    assert_eq!(outputs[0], outputs[1]);
    let bytes = std::fs::read(dir.path().join("log.parquet")).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
}

/// Files another writer made: DuckDB 2.0.1 wrote `log.csv` (from `gen-log --rows 1200
/// --recipients 150 --seed 5`, every column a string) with `COPY … (FORMAT parquet,
/// ROW_GROUP_SIZE 500)` and with `PARQUET_VERSION v2, COMPRESSION zstd`. DuckDB packs
/// dictionary indices and definition levels in whole blocks of 256 values, past the end of a
/// page's values; both files replay to the CSV's JSON.
#[test]
fn duckdb_written_parquet_replays_as_its_csv() {
    let dir = "tests/fixtures/replay/duckdb";
    let json = |name: &str| {
        let (code, stdout, stderr) = run(&[&format!("{dir}/{name}"), "--format", "json"]);
        assert_eq!(code, 0, "{name}: {stderr}");
        json_without_files(&stdout)
    };
    let csv = json("log.csv");
    assert_eq!(csv["rows"], 1200);
    assert_eq!(json("duckdb-v1.parquet"), csv);
    assert_eq!(json("duckdb-v2.parquet"), csv);
}

#[test]
fn every_strategy_counts_parquet_as_the_csv_of_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, pq) = both(dir.path(), 12_000, 1000);
    let want = summary(&replay_using(
        &options(vec![csv]),
        Strategy::Pipeline,
        &|_| {},
    ));
    for strategy in [
        Strategy::Pipeline,
        Strategy::Chunked {
            threads: 1,
            piece_bytes: 1 << 20,
        },
        Strategy::Chunked {
            threads: 2,
            piece_bytes: 1 << 20,
        },
        Strategy::Chunked {
            threads: 5,
            piece_bytes: 1 << 20,
        },
    ] {
        let got = summary(&replay_using(&options(vec![pq.clone()]), strategy, &|_| {}));
        assert_eq!(got, want, "{strategy:?}");
    }
    let mut strict = options(vec![pq.clone()]);
    strict.strict = true;
    assert_eq!(
        summary(&replay_using(&strict, Strategy::Auto, &|_| {})),
        want
    );
    // By its magic bytes alone, and as --input-format parquet.
    let renamed = dir.path().join("log.data");
    std::fs::copy(&pq, &renamed).unwrap();
    assert_eq!(
        summary(&replay_using(
            &options(vec![renamed.clone()]),
            Strategy::Auto,
            &|_| {}
        )),
        want
    );
    let mut forced = options(vec![renamed]);
    forced.format = Some(InputFormat::Parquet);
    assert_eq!(
        summary(&replay_using(&forced, Strategy::Pipeline, &|_| {})),
        want
    );
}

#[test]
fn a_directory_of_part_files_is_read_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, pq) = both(dir.path(), 3000, 500);
    let parts = dir.path().join("export");
    std::fs::create_dir(&parts).unwrap();
    std::fs::copy(&pq, parts.join("part-00000.parquet")).unwrap();
    std::fs::write(parts.join("_SUCCESS"), "").unwrap();
    std::fs::write(parts.join(".part-00000.parquet.crc"), "x").unwrap();
    let (code, whole, stderr) = run(&[csv.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(&[parts.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let got = json_without_files(&stdout);
    assert_eq!(got, json_without_files(&whole));
    let files: Vec<Value> = serde_json::from_str::<Value>(&stdout).unwrap()["files"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(files.len(), 1, "{files:?}");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, _, stderr) = run(&[empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Parquet part files"), "{stderr}");
}

/// Writes a file of the given schema: each column as (INT64 values) or (strings, None = null).
enum Col<'a> {
    Int64(&'a [i64]),
    Int96(&'a [Int96]),
    Text(&'a [Option<&'a str>]),
}

fn write_parquet(path: &Path, schema: &str, columns: &[Col]) {
    write_parquet_with(path, schema, columns, WriterProperties::builder().build());
}

fn write_parquet_with(path: &Path, schema: &str, columns: &[Col], props: WriterProperties) {
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let props = Arc::new(props);
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut columns = columns.iter();
    while let Some(mut w) = group.next_column().unwrap() {
        match columns.next().unwrap() {
            Col::Int64(v) => {
                w.typed::<Int64Type>().write_batch(v, None, None).unwrap();
            }
            Col::Int96(v) => {
                w.typed::<Int96Type>().write_batch(v, None, None).unwrap();
            }
            Col::Text(v) => {
                let values: Vec<ByteArray> =
                    v.iter().flatten().map(|s| ByteArray::from(*s)).collect();
                let defs: Vec<i16> = v.iter().map(|s| i16::from(s.is_some())).collect();
                w.typed::<ByteArrayType>()
                    .write_batch(&values, Some(&defs), None)
                    .unwrap();
            }
        }
        w.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}

/// The log of `examples`-like rows as CSV: the reference for the typed files.
const CSV: &str = "timestamp,recipient,direction,kind,category,entry_point,market,flow
2025-11-02T10:00:00.250Z,+4915112345678,inbound,,,,,
2025-11-02T10:01:00Z,+4915112345678,outbound,free_form,,,,welcome
2025-11-02T10:02:00Z,+4915112345678,outbound,template,marketing,,,welcome
2025-11-02T11:00:00Z,+919812345678,outbound,template,utility,,,orders
";

const MS: [i64; 4] = [
    1_762_077_600_250,
    1_762_077_660_000,
    1_762_077_720_000,
    1_762_081_200_000,
];

#[test]
fn timestamps_of_every_unit_nulls_aliases_and_map_read_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("log.csv");
    std::fs::write(&csv, CSV).unwrap();
    let (code, want, stderr) = run(&[csv.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let want = json_without_files(&want);
    let recipients = [
        Some("+4915112345678"),
        Some("+4915112345678"),
        Some("+4915112345678"),
        Some("+919812345678"),
    ];
    let directions = [
        Some("inbound"),
        Some("outbound"),
        Some("outbound"),
        Some("outbound"),
    ];
    let kinds = [None, Some("free_form"), Some("template"), Some("template")];
    let categories = [None, None, Some("marketing"), Some("utility")];
    let flows = [None, Some("welcome"), Some("welcome"), Some("orders")];
    let text_schema = |ts: &str| {
        format!(
            "message m {{ {ts}; OPTIONAL BYTE_ARRAY phone (STRING); OPTIONAL BYTE_ARRAY dir (STRING); \
             OPTIONAL BYTE_ARRAY message_type (STRING); OPTIONAL BYTE_ARRAY category (STRING); \
             OPTIONAL BYTE_ARRAY campaign (STRING); OPTIONAL BYTE_ARRAY ignored (STRING); }}"
        )
    };
    let micros: Vec<i64> = MS.iter().map(|m| m * 1000).collect();
    let nanos: Vec<i64> = MS.iter().map(|m| m * 1_000_000).collect();
    let int96: Vec<Int96> = MS
        .iter()
        .map(|m| {
            let mut v = Int96::new();
            let nanos = (m % 86_400_000) * 1_000_000;
            let day = (m / 86_400_000 + 2_440_588) as u32;
            v.set_data(nanos as u32, (nanos >> 32) as u32, day);
            v
        })
        .collect();
    let strings = [
        "2025-11-02T10:00:00.250Z",
        "2025-11-02T11:01:00+01:00",
        "1762077720",
        "1762081200000",
    ];
    let string_ts: Vec<Option<&str>> = strings.iter().map(|s| Some(*s)).collect();
    let cases: Vec<(&str, Col)> = vec![
        (
            "REQUIRED INT64 ts (TIMESTAMP(MILLIS, true))",
            Col::Int64(&MS),
        ),
        (
            "REQUIRED INT64 ts (TIMESTAMP(MICROS, false))",
            Col::Int64(&micros),
        ),
        (
            "REQUIRED INT64 ts (TIMESTAMP(NANOS, true))",
            Col::Int64(&nanos),
        ),
        ("REQUIRED INT96 ts", Col::Int96(&int96)),
        ("OPTIONAL BYTE_ARRAY ts (STRING)", Col::Text(&string_ts)),
        ("REQUIRED INT64 ts", Col::Int64(&MS)),
    ];
    for (k, (ts, col)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("typed-{k}.parquet"));
        let ignored = [Some("x"); 4];
        write_parquet(
            &path,
            &text_schema(ts),
            &[
                col,
                Col::Text(&recipients),
                Col::Text(&directions),
                Col::Text(&kinds),
                Col::Text(&categories),
                Col::Text(&flows),
                Col::Text(&ignored),
            ],
        );
        let (code, got, stderr) = run(&[
            path.to_str().unwrap(),
            "--format",
            "json",
            "--map",
            "flow=campaign",
        ]);
        assert_eq!(code, 0, "{ts}: {stderr}");
        assert_eq!(json_without_files(&got), want, "{ts}");
    }
}

/// A small valid Parquet log: the generated log's first rows.
fn small_log(dir: &Path) -> Vec<u8> {
    let (_, pq) = both(dir, 400, 100);
    std::fs::read(pq).unwrap()
}

#[test]
fn broken_and_hostile_files_are_errors_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let good = small_log(dir.path());
    let footer_len = u32::from_le_bytes(good[good.len() - 8..good.len() - 4].try_into().unwrap());
    let mut huge_footer = good.clone();
    let n = huge_footer.len();
    huge_footer[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut garbage = b"PAR1".to_vec();
    garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    garbage.extend_from_slice(&200u32.to_le_bytes());
    garbage.extend_from_slice(b"PAR1");
    // The metadata kept, the data pages overwritten.
    let mut bad_pages = good.clone();
    let data_end = n - 8 - footer_len as usize;
    for (i, b) in bad_pages[4..data_end].iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2_246_822_519).to_le_bytes()[2];
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "not a Parquet file",
        ),
        ("magic-only", b"PAR1".to_vec(), "not a Parquet file"),
        ("huge-footer", huge_footer, "footer"),
        ("garbage", garbage, "not a readable Parquet file"),
        ("bad-pages", bad_pages, "row group 0"),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(format!("{name}.parquet"));
        std::fs::write(&path, bytes).unwrap();
        let (code, stdout, stderr) = run(&[path.to_str().unwrap(), "--format", "json"]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        let json: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["complete"], false, "{name}");
    }
}

/// A typed time, a recipient that may be null, and a direction.
const NULLABLE_TO: &str = "message m { REQUIRED INT64 ts (TIMESTAMP(MILLIS, true)); \
     OPTIONAL BYTE_ARRAY to (STRING); REQUIRED BYTE_ARRAY direction (STRING); }";

#[test]
fn missing_or_mistyped_columns_and_bad_rows_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let no_direction = dir.path().join("no-direction.parquet");
    write_parquet(
        &no_direction,
        "message m { REQUIRED INT64 ts (TIMESTAMP(MILLIS, true)); REQUIRED BYTE_ARRAY to (STRING); }",
        &[Col::Int64(&MS), Col::Text(&[Some("+4915112345678"); 4])],
    );
    let (code, stdout, stderr) = run(&[no_direction.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no direction column (found: ts, to)"),
        "{stderr}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap()["complete"],
        false
    );
    let mistyped = dir.path().join("mistyped.parquet");
    write_parquet(
        &mistyped,
        "message m { REQUIRED INT64 ts (TIMESTAMP(MILLIS, true)); REQUIRED BYTE_ARRAY to (STRING); \
         REQUIRED INT64 direction; }",
        &[Col::Int64(&MS), Col::Text(&[Some("+4915112345678"); 4]), Col::Int64(&[1, 2, 3, 4])],
    );
    let (code, _, stderr) = run(&[mistyped.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("column `direction` (direction): its type is INT64, flowcost needs a string"),
        "{stderr}"
    );
    // Bad rows are skipped and located by row group and row.
    let bad_rows = dir.path().join("bad-rows.parquet");
    write_parquet(
        &bad_rows,
        NULLABLE_TO,
        &[
            Col::Int64(&[MS[0], MS[1], 1_000, MS[3]]),
            Col::Text(&[
                Some("+4915112345678"),
                None,
                Some("+4915112345678"),
                Some("+4915112345678"),
            ]),
            Col::Text(&[
                Some("inbound"),
                Some("inbound"),
                Some("inbound"),
                Some("sideways"),
            ]),
        ],
    );
    let (code, _, stderr) = run(&[bad_rows.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let at = |row: u32| format!("bad-rows.parquet:row group 0, row {row}: ");
    assert!(
        stderr.contains(&format!("{}empty recipient", at(1))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}timestamp `1970-01-01T00:00:01+00:00` is before 2023-06-01",
            at(2)
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}direction `sideways`", at(3))),
        "{stderr}"
    );
    // --strict stops at the first bad row; the rows before it count, none after.
    let one_bad = dir.path().join("one-bad.parquet");
    write_parquet(
        &one_bad,
        NULLABLE_TO,
        &[
            Col::Int64(&MS),
            Col::Text(&[
                Some("+4915112345678"),
                None,
                Some("+4915112345678"),
                Some("+4915112345678"),
            ]),
            Col::Text(&[Some("inbound"); 4]),
        ],
    );
    let (code, stdout, stderr) = run(&[one_bad.to_str().unwrap(), "--strict", "--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (json["rows"].as_u64(), json["skipped_rows"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(json["complete"], false);
}

/// A gzip page that declares 1,000 bytes and inflates to 60 MiB (written honestly, then its
/// header's size lowered) is refused having inflated a kilobyte, in little memory: the
/// `parquet` crate would inflate all of it before comparing (a page under the 64 MiB limit
/// stands for one of any size: gzip inflates a thousandfold). Pages of version 1 and 2 alike;
/// the same file untouched is read.
#[test]
fn a_gzip_page_that_inflates_past_its_declared_size_is_refused_in_little_memory() {
    use parquet::basic::{Compression, GzipLevel};
    use parquet::file::properties::{EnabledStatistics, WriterVersion};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::tempdir().unwrap();
    let schema = "message log {
        required int64 timestamp (TIMESTAMP(MILLIS,true));
        required binary recipient (UTF8);
        required binary direction (UTF8);
        required binary flow (UTF8);
    }";
    let long = "a".repeat(60 << 20);
    let flows = [Some(long.as_str()), Some("welcome")];
    for version in [WriterVersion::PARQUET_1_0, WriterVersion::PARQUET_2_0] {
        let path = dir.path().join(format!("bomb-{version:?}.parquet"));
        let props = WriterProperties::builder()
            .set_writer_version(version)
            .set_compression(Compression::GZIP(GzipLevel::try_new(1).unwrap()))
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::None)
            .build();
        let columns = [
            Col::Int64(&MS[..2]),
            Col::Text(&[Some("+4915112345678"); 2]),
            Col::Text(&[Some("outbound"); 2]),
            Col::Text(&flows),
        ];
        write_parquet_with(&path, schema, &columns, props);
        let args = |p: &Path| vec!["replay".to_string(), p.display().to_string()];
        // Untouched, it is read: the long flow name is one bad row.
        let honest = run_measured(&args(&path), dir.path(), &[], Duration::from_secs(120));
        assert!(
            honest.stderr.contains("longer than 256 bytes"),
            "{}",
            honest.stderr
        );
        // The flow column's first page header: type, then the uncompressed size, a varint of
        // four bytes for 60 MiB; written again as 1,000 in four bytes (a longer varint than
        // needed, which Thrift readers take).
        let offset = {
            let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
            reader.metadata().row_group(0).column(3).data_page_offset() as usize
        };
        let mut bytes = std::fs::read(&path).unwrap();
        let size = offset + 3;
        assert_eq!(bytes[offset + 2], 0x15, "field 2, an i32");
        assert!(bytes[size..size + 3].iter().all(|b| b & 0x80 != 0) && bytes[size + 3] < 0x80);
        let zigzag = 2000u64;
        let declared = [
            0x80 | (zigzag & 0x7f) as u8,
            0x80 | (zigzag >> 7) as u8,
            0x80,
            0x00,
        ];
        bytes[size..size + 4].copy_from_slice(&declared);
        let bomb = dir.path().join(format!("bomb-{version:?}-lowered.parquet"));
        std::fs::write(&bomb, &bytes).unwrap();
        let run = run_measured(&args(&bomb), dir.path(), &[], Duration::from_secs(120));
        assert_eq!(run.code, Some(2), "{version:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("declares 1000 bytes but inflates to more"),
            "{version:?}: {}",
            run.stderr
        );
        assert!(
            run.max_rss_kib < 40 << 10,
            "{version:?}: {} KiB",
            run.max_rss_kib
        );
    }
}

/// Replays `path` read as Parquet by both readers; returns whether the file was usable.
fn replay_both(path: &Path) -> [bool; 2] {
    let mut o = options(vec![path.to_path_buf()]);
    o.format = Some(InputFormat::Parquet);
    [
        Strategy::Pipeline,
        Strategy::Chunked {
            threads: 2,
            piece_bytes: 1 << 20,
        },
    ]
    .map(|s| replay_using(&o, s, &|_| {}).problems.unusable.is_empty())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// A valid log with bytes overwritten anywhere (pages, page headers, the footer's
    /// metadata) is read or refused, never a panic; both readers agree on which.
    #[test]
    fn overwritten_bytes_never_panic(
        edits in proptest::collection::vec((proptest::prelude::any::<u32>(), proptest::prelude::any::<u8>()), 1..8),
        cut in proptest::prelude::any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = small_log(dir.path());
        let n = bytes.len();
        for (at, b) in edits {
            bytes[at as usize % n] = b;
        }
        if cut {
            bytes.truncate(n - 9);
        }
        let path = dir.path().join("mutated.parquet");
        std::fs::write(&path, &bytes).unwrap();
        let [pipeline, chunked] = replay_both(&path);
        proptest::prop_assert_eq!(pipeline, chunked);
        if cut {
            proptest::prop_assert!(!pipeline);
        }
    }
}

/// The generated log's columns, every one a string (the timestamp as its text).
fn all_text_schema() -> String {
    let typed = "REQUIRED INT64 timestamp (TIMESTAMP(MILLIS, true));";
    assert!(SCHEMA.contains(typed), "gen-log's schema changed: {SCHEMA}");
    SCHEMA.replace(typed, "REQUIRED BYTE_ARRAY timestamp (STRING);")
}

/// Writes CSV `text` (the generator's: a header, no quoted fields) as Parquet strings under
/// `props`, an empty field a null, in row groups of `group_rows`.
fn write_text_columns(path: &Path, text: &str, group_rows: usize, props: WriterProperties) {
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let schema = Arc::new(parse_message_type(&all_text_schema()).unwrap());
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(props)).unwrap();
    for group_rows in rows.chunks(group_rows) {
        let mut group = writer.next_row_group().unwrap();
        let mut c = 0;
        while let Some(mut w) = group.next_column().unwrap() {
            let fields = group_rows.iter().map(|r| r[c]);
            let values: Vec<ByteArray> = fields
                .clone()
                .filter(|f| !f.is_empty())
                .map(ByteArray::from)
                .collect();
            let defs: Vec<i16> = fields.map(|f| i16::from(!f.is_empty())).collect();
            let defs = (c > 2).then_some(&defs[..]);
            w.typed::<ByteArrayType>()
                .write_batch(&values, defs, None)
                .unwrap();
            w.close().unwrap();
            c += 1;
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
}

/// The encodings of the recipient column's chunk in the first row group.
fn recipient_encodings(path: &Path) -> Vec<parquet::basic::Encoding> {
    use parquet::file::reader::FileReader;
    let reader = parquet::file::serialized_reader::SerializedFileReader::new(
        std::fs::File::open(path).unwrap(),
    )
    .unwrap();
    reader
        .metadata()
        .row_group(0)
        .column(1)
        .encodings()
        .collect()
}

#[test]
fn string_pages_of_every_writer_setting_read_as_the_csv() {
    use parquet::basic::{Compression, Encoding, GzipLevel, ZstdLevel};
    use parquet::file::properties::WriterVersion;
    let dir = tempfile::tempdir().unwrap();
    let mut text = Vec::new();
    generate(&gen_options(5000, 7), &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let csv = dir.path().join("log.csv");
    std::fs::write(&csv, &text).unwrap();
    let want = summary(&replay_using(
        &options(vec![csv]),
        Strategy::Pipeline,
        &|_| {},
    ));
    let base = || WriterProperties::builder().set_write_batch_size(64);
    // Tiny pages: many data pages a slice, and the dictionary overflowing to PLAIN mid-chunk.
    let tiny = || {
        base()
            .set_data_page_size_limit(700)
            .set_dictionary_page_size_limit(900)
            .set_data_page_row_count_limit(300)
    };
    let cases = [
        ("default", base()),
        (
            "plain-snappy",
            base()
                .set_dictionary_enabled(false)
                .set_compression(Compression::SNAPPY),
        ),
        (
            "tiny-v1-gzip",
            tiny().set_compression(Compression::GZIP(GzipLevel::default())),
        ),
        (
            "tiny-v2-zstd",
            tiny()
                .set_writer_version(WriterVersion::PARQUET_2_0)
                .set_compression(Compression::ZSTD(ZstdLevel::default())),
        ),
        (
            "plain-v2-tiny",
            tiny()
                .set_dictionary_enabled(false)
                .set_writer_version(WriterVersion::PARQUET_2_0),
        ),
        (
            "v2-uncompressed",
            base().set_writer_version(WriterVersion::PARQUET_2_0),
        ),
        // Read by the crate's reader, not from the pages.
        (
            "delta",
            base()
                .set_dictionary_enabled(false)
                .set_encoding(Encoding::DELTA_BYTE_ARRAY),
        ),
    ];
    for (name, props) in cases {
        let pq = dir.path().join(format!("{name}.parquet"));
        write_text_columns(&pq, &text, 1700, props.build());
        let encodings = recipient_encodings(&pq);
        let want_encodings: &[Encoding] = match name {
            "tiny-v1-gzip" | "tiny-v2-zstd" => &[Encoding::PLAIN, Encoding::RLE_DICTIONARY],
            "delta" => &[Encoding::DELTA_BYTE_ARRAY],
            _ => &[],
        };
        for e in want_encodings {
            assert!(encodings.contains(e), "{name}: {encodings:?}");
        }
        for strategy in [
            Strategy::Pipeline,
            Strategy::Chunked {
                threads: 2,
                piece_bytes: 1 << 20,
            },
        ] {
            let got = summary(&replay_using(&options(vec![pq.clone()]), strategy, &|_| {}));
            assert_eq!(got, want, "{name} {strategy:?}");
        }
    }
}
