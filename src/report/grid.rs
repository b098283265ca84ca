//! A plain table of text cells, rendered as a comfy-table, CSV or Markdown.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

/// Output formats of the cost commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// comfy-table tables for a terminal.
    Table,
    /// One JSON document.
    Json,
    /// CSV (one header row per table).
    Csv,
    /// GitHub-flavoured Markdown tables.
    Markdown,
}

/// A titled table of text.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// A line above the table.
    pub title: Option<String>,
    /// Column names.
    pub header: Vec<String>,
    /// Rows (as many cells as the header).
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// An empty grid with these columns.
    pub fn new(header: &[&str]) -> Grid {
        Grid {
            title: None,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Renders it; `Json` is not a grid format and renders as a table.
    pub fn render(&self, format: OutputFormat) -> String {
        match format {
            OutputFormat::Csv => self.csv(),
            OutputFormat::Markdown => self.markdown(),
            OutputFormat::Table | OutputFormat::Json => self.table(),
        }
    }

    fn table(&self) -> String {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(super::table_width(160))
            .set_header(self.header.iter());
        for r in &self.rows {
            t.add_row(r.iter());
        }
        match &self.title {
            Some(title) => format!("{title}\n{t}\n"),
            None => format!("{t}\n"),
        }
    }

    fn csv(&self) -> String {
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut out = line(&self.header) + "\n";
        for r in &self.rows {
            out += &line(r);
            out.push('\n');
        }
        out
    }

    fn markdown(&self) -> String {
        let esc = |c: &String| c.replace('|', "\\|").replace('\n', "<br>");
        let mut out = String::new();
        if let Some(title) = &self.title {
            out += &format!("**{}**\n\n", title.replace('\n', " · "));
        }
        out += &format!(
            "| {} |\n",
            self.header.iter().map(esc).collect::<Vec<_>>().join(" | ")
        );
        out += &format!("|{}\n", " --- |".repeat(self.header.len()));
        for r in &self.rows {
            out += &format!(
                "| {} |\n",
                r.iter().map(esc).collect::<Vec<_>>().join(" | ")
            );
        }
        out
    }
}

/// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break (CR or LF),
/// so that a value from a log can never split a row.
pub(crate) fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_with_line_breaks_are_quoted() {
        assert_eq!(csv_cell("wamid.1\rX"), "\"wamid.1\rX\"");
        assert_eq!(csv_cell("a\nb"), "\"a\nb\"");
        assert_eq!(csv_cell("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn renders_csv_and_markdown() {
        let mut g = Grid::new(&["a", "b"]);
        g.rows.push(vec!["1,000".into(), "x|y".into()]);
        assert_eq!(g.render(OutputFormat::Csv), "a,b\n\"1,000\",x|y\n");
        assert_eq!(
            g.render(OutputFormat::Markdown),
            "| a | b |\n| --- | --- |\n| 1,000 | x\\|y |\n"
        );
    }
}
