//! A small CSV reader for rate files: `#` comment lines, one header row, comma-separated fields,
//! double-quoted fields with `""` escapes. Every field keeps its byte span, so a bad value gets a
//! diagnostic pointing at it (file:line:column).

use crate::diagnostic::{closest, Problem, SourceFile};
use crate::flow::spans::Span;
use std::collections::BTreeMap;

/// One field of a data row.
#[derive(Debug, Clone)]
pub struct Field {
    /// The text, unquoted and trimmed.
    pub text: String,
    /// Where it is in the file.
    pub span: Span,
}

/// A data row: column name → field.
#[derive(Debug, Clone)]
pub struct Record {
    /// Fields by column name (only the columns the header declares).
    pub fields: BTreeMap<String, Field>,
    /// The whole row, for row-level problems.
    pub span: Span,
}

impl Record {
    /// The field of a column the header declares (empty text when the row has it empty).
    pub fn get(&self, column: &str) -> Option<&Field> {
        self.fields.get(column)
    }
}

/// A parsed table: `#` comment lines (without the `#`) and records.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Comment lines, in order, without the leading `#` and space.
    pub comments: Vec<String>,
    /// Data rows.
    pub records: Vec<Record>,
    /// Problems of single rows (malformed rows are left out of `records`).
    pub problems: Vec<Problem>,
}

impl Table {
    /// The value of a `# key: value` comment line.
    pub fn comment_value(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once(':')?;
            (k.trim() == key).then(|| v.trim())
        })
    }
}

/// A field's text and its byte range in the line.
type RawField = (String, usize, usize);

/// Splits one line into fields with their byte ranges (relative to the line).
fn split(line: &str) -> Result<Vec<RawField>, (usize, String)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        let mut text = String::new();
        // Leading spaces before a quote are allowed.
        let mut j = i;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'"' {
            let mut k = j + 1;
            loop {
                match line[k..].find('"') {
                    None => return Err((j, "this quoted field is never closed".into())),
                    Some(q) => {
                        text.push_str(&line[k..k + q]);
                        k += q + 1;
                        if bytes.get(k) == Some(&b'"') {
                            text.push('"');
                            k += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            while k < bytes.len() && bytes[k] == b' ' {
                k += 1;
            }
            if k < bytes.len() && bytes[k] != b',' {
                return Err((k, "text after a closing quote; put a comma here".into()));
            }
            out.push((text, start, k));
            i = k;
        } else {
            let end = line[i..].find(',').map_or(line.len(), |p| i + p);
            out.push((line[i..end].trim().to_string(), start, end));
            i = end;
        }
        if i >= line.len() {
            break;
        }
        i += 1; // the comma
        if i == line.len() {
            out.push((String::new(), i, i));
            break;
        }
    }
    Ok(out)
}

/// Reads a table whose header must hold every `required` column and may hold `optional` ones.
/// A bad header fails the whole file; malformed rows are reported in [`Table::problems`] so that
/// the caller can add its own problems of the other rows and report them all together.
pub fn read(
    file: &SourceFile,
    required: &[&str],
    optional: &[&str],
) -> Result<Table, Vec<Problem>> {
    let mut table = Table::default();
    let mut problems = Vec::new();
    let mut row_problems = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut offset = 0;
    for raw in file.text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(c) = trimmed.strip_prefix('#') {
            if header.is_none() {
                table.comments.push(c.trim().to_string());
            }
            continue;
        }
        let span_of = |a: usize, b: usize| Span {
            offset: line_start + a,
            len: (b - a).max(1),
        };
        let fields = match split(line) {
            Ok(f) => f,
            Err((at, message)) => {
                let target = if header.is_some() {
                    &mut row_problems
                } else {
                    &mut problems
                };
                target.push(
                    Problem::new("flowcost::bad-csv", message)
                        .at(Some(span_of(at, at + 1)), "here")
                        .help("quote fields that contain commas: \"a, b\""),
                );
                continue;
            }
        };
        let Some(columns) = &header else {
            let mut names = Vec::new();
            for (name, a, b) in &fields {
                let name = name.to_ascii_lowercase();
                if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
                    let mut p = Problem::new(
                        "flowcost::unknown-column",
                        format!("unknown column `{name}`"),
                    )
                    .at(Some(span_of(*a, *b)), "not a rate-card column");
                    p = match closest(&name, known.iter().copied()) {
                        Some(s) => {
                            p.help(format!("did you mean `{s}`? columns: {}", known.join(", ")))
                        }
                        None => p.help(format!("the columns are: {}", known.join(", "))),
                    };
                    problems.push(p);
                } else if names.contains(&name) {
                    problems.push(
                        Problem::new(
                            "flowcost::duplicate-column",
                            format!("column `{name}` appears twice"),
                        )
                        .at(Some(span_of(*a, *b)), "again"),
                    );
                }
                names.push(name);
            }
            for r in required {
                if !names.iter().any(|n| n == r) {
                    problems.push(
                        Problem::new(
                            "flowcost::missing-column",
                            format!("the header has no `{r}` column"),
                        )
                        .at(Some(span_of(0, line.len())), "header")
                        .help(format!("the header must name: {}", required.join(", "))),
                    );
                }
            }
            header = Some(names);
            continue;
        };
        if fields.len() != columns.len() {
            row_problems.push(
                Problem::new(
                    "flowcost::bad-csv",
                    format!(
                        "this row has {} fields, the header {}",
                        fields.len(),
                        columns.len()
                    ),
                )
                .at(Some(span_of(0, line.len())), "this row")
                .help(format!("give one value per column: {}", columns.join(","))),
            );
            continue;
        }
        let record = Record {
            fields: columns
                .iter()
                .zip(fields)
                .map(|(c, (text, a, b))| {
                    (
                        c.clone(),
                        Field {
                            text,
                            span: span_of(a, b),
                        },
                    )
                })
                .collect(),
            span: span_of(0, line.len()),
        };
        table.records.push(record);
    }
    if header.is_none() {
        problems.push(
            Problem::new("flowcost::missing-column", "the file has no header row")
                .help(format!("start with a header: {}", required.join(","))),
        );
    }
    if problems.is_empty() {
        table.problems = row_problems;
        Ok(table)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_and_plain_fields() {
        let f = split(r#"ZW,Other,"a, ""b""",x"#).unwrap();
        let texts: Vec<&str> = f.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["ZW", "Other", r#"a, "b""#, "x"]);
        assert!(split(r#"a,"b"#).is_err());
        assert_eq!(split("a,").unwrap().len(), 2);
    }

    #[test]
    fn reads_comments_header_and_rows() {
        let file = SourceFile::new("t.csv", "# k: v\n#x\na,b\n1,2\n\n3,4\n");
        let t = read(&file, &["a", "b"], &[]).unwrap();
        assert_eq!(t.comment_value("k"), Some("v"));
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[1].get("b").unwrap().text, "4");
    }

    #[test]
    fn collects_every_problem() {
        // A bad header fails the file; rows are not read against it.
        let file = SourceFile::new("t.csv", "a,bb,zz\n1,2\n");
        let problems = read(&file, &["a", "b"], &[]).unwrap_err();
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                "flowcost::unknown-column",
                "flowcost::unknown-column",
                "flowcost::missing-column"
            ]
        );
        // Malformed rows are reported one by one; good rows are kept.
        let file = SourceFile::new("t.csv", "a,b\n1,2,3\n\"x,4\n5,6\n");
        let table = read(&file, &["a", "b"], &[]).unwrap();
        assert_eq!(table.records.len(), 1);
        let codes: Vec<&str> = table.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["flowcost::bad-csv", "flowcost::bad-csv"]);
    }
}
