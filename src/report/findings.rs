//! Render lint results: miette diagnostics for people, JSON, SARIF 2.1.0 for code scanning,
//! and GitHub Actions workflow commands.

use crate::diagnostic::{not_shown, FileProblem, Problem, Severity, MAX_SHOWN_PER_FILE};
use crate::lint::{code_and_name, FileReport, RULES};
use miette::{GraphicalReportHandler, GraphicalTheme};
use serde_json::{json, Value};

/// Every problem rendered as a miette diagnostic, then a count.
pub fn human(reports: &[FileReport], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for r in reports {
        for p in r.problems.iter().take(MAX_SHOWN_PER_FILE) {
            let _ = handler.render_report(&mut out, &FileProblem::new(&r.file, p.clone()));
            out.push('\n');
        }
        if let Some(note) = not_shown(&r.file.name, r.problems.len()) {
            out.push_str(&note);
            out.push_str("\n\n");
        }
    }
    out.push_str(&count_line(reports));
    out
}

/// `2 errors, 1 warning in 3 files`.
pub fn count_line(reports: &[FileReport]) -> String {
    let all = reports.iter().flat_map(|r| &r.problems);
    let errors = all
        .clone()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = all.filter(|p| p.severity == Severity::Warning).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if errors + warnings == 0 {
        return format!("no problems in {}\n", plural(reports.len(), "file"));
    }
    format!(
        "{}, {} in {}\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(reports.len(), "file")
    )
}

fn location(report: &FileReport, p: &Problem) -> (Option<usize>, Option<usize>) {
    match report.file.location(p) {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    }
}

/// One JSON array, one object per problem: code, name, severity, file, line, column, message,
/// help.
pub fn json(reports: &[FileReport]) -> String {
    let items: Vec<Value> = reports
        .iter()
        .flat_map(|r| r.problems.iter().map(move |p| (r, p)))
        .map(|(r, p)| {
            let (code, name) = code_and_name(p);
            let (line, column) = location(r, p);
            json!({
                "code": code,
                "name": name,
                "severity": p.severity.name(),
                "file": r.file.name,
                "line": line,
                "column": column,
                "message": p.message,
                "help": p.help,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// A SARIF 2.1.0 log that GitHub code scanning accepts.
pub fn sarif(reports: &[FileReport]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary() },
                "fullDescription": { "text": m.summary() },
                "help": { "text": m.doc, "markdown": m.doc },
                "defaultConfiguration": { "level": match m.default {
                    crate::lint::Level::Allow => "none",
                    crate::lint::Level::Warning => "warning",
                    crate::lint::Level::Error => "error",
                } },
            })
        })
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| r.problems.iter().map(move |p| (r, p)))
        .map(|(r, p)| {
            let (code, _) = code_and_name(p);
            let mut result = json!({
                "ruleId": code,
                "level": p.severity.name(),
                "message": { "text": match &p.help { Some(h) => format!("{}\n{h}", p.message), None => p.message.clone() } },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": r.file.name.replace('\\', "/") },
                } }],
            });
            if let Some(index) = RULES.iter().position(|rule| rule.meta().code == code) {
                result["ruleIndex"] = json!(index);
            }
            if let (Some(span), Some((line, col))) = (p.span, r.file.location(p)) {
                let (end_line, end_col) = r.file.line_col(span.offset + span.len);
                result["locations"][0]["physicalLocation"]["region"] = json!({
                    "startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col,
                });
            }
            result
        })
        .collect();
    let log = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": { "driver": {
                "name": "flowcost",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/flowcost/flowcost",
                "rules": rules,
            } },
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// Escapes a workflow-command value (`%`, CR, LF; in properties also `:` and `,`).
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// GitHub Actions annotations: `::error file=…,line=…,col=…,title=…::message`.
pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for p in &r.problems {
            let (code, name) = code_and_name(p);
            let mut props = format!("file={}", escape(&r.file.name, true));
            if let (Some(line), Some(col)) = location(r, p) {
                props.push_str(&format!(",line={line},col={col}"));
            }
            props.push_str(&format!(
                ",title={}",
                escape(&format!("{code} {name}"), true)
            ));
            let message = match &p.help {
                Some(h) => format!("{}\n{h}", p.message),
                None => p.message.clone(),
            };
            out.push_str(&format!(
                "::{} {props}::{}\n",
                p.severity.name(),
                escape(&message, false)
            ));
        }
    }
    out
}
