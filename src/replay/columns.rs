//! Log columns: their names, the aliases accepted for them, and `--map COLUMN=NAME`.

/// A column flowcost reads from a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// When: RFC 3339, or Unix seconds or milliseconds.
    Timestamp,
    /// Who: phone number (E.164, `+` optional) or any id.
    Recipient,
    /// `inbound` (the customer wrote) or `outbound` (the business sent).
    Direction,
    /// Outbound only: `template` or `free_form`.
    Kind,
    /// Templates: `marketing`, `utility` or `authentication`.
    Category,
    /// Inbound, optional: `ad_click` for a click-to-WhatsApp ad or Page button.
    EntryPoint,
    /// Optional: two-letter country; else derived from the phone number.
    Market,
    /// Optional: the flow that sent the message.
    Flow,
}

impl Column {
    /// Every column, in the documented order.
    pub const ALL: [Column; 8] = [
        Column::Timestamp,
        Column::Recipient,
        Column::Direction,
        Column::Kind,
        Column::Category,
        Column::EntryPoint,
        Column::Market,
        Column::Flow,
    ];

    /// The canonical name.
    pub fn name(self) -> &'static str {
        self.aliases()[0]
    }

    /// The canonical name first, then the other header names accepted for it (case-insensitive).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Timestamp => &[
                "timestamp",
                "ts",
                "time",
                "datetime",
                "created_at",
                "sent_at",
            ],
            Column::Recipient => &[
                "recipient",
                "recipient_id",
                "wa_id",
                "phone",
                "phone_number",
                "msisdn",
                "contact",
                "to",
            ],
            Column::Direction => &["direction", "dir"],
            Column::Kind => &["kind", "message_kind", "message_type"],
            Column::Category => &["category", "template_category", "pricing_category"],
            Column::EntryPoint => &["entry_point", "entry", "referral"],
            Column::Market => &["market", "country", "country_code"],
            Column::Flow => &["flow", "flow_name", "journey", "campaign"],
        }
    }

    /// Whether every row needs it.
    pub fn required(self) -> bool {
        matches!(
            self,
            Column::Timestamp | Column::Recipient | Column::Direction
        )
    }

    fn by_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// `--map COLUMN=NAME` pairs: the log's NAME holds flowcost's COLUMN.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    pairs: Vec<(Column, String)>,
}

impl ColumnMap {
    /// Parses `COLUMN=NAME` options.
    pub fn parse(specs: &[String]) -> Result<ColumnMap, String> {
        let mut pairs = Vec::new();
        for spec in specs {
            let (col, name) = spec.split_once('=').ok_or_else(|| {
                format!("--map `{spec}`: write COLUMN=NAME, like --map recipient=customer_phone")
            })?;
            let column = Column::by_name(col.trim()).ok_or_else(|| {
                format!(
                    "--map `{spec}`: `{col}` is not a column; columns: {}",
                    Column::ALL.map(Column::name).join(", ")
                )
            })?;
            pairs.push((column, name.trim().to_ascii_lowercase()));
        }
        Ok(ColumnMap { pairs })
    }

    /// Which column a header name stands for: `--map` first, then the aliases.
    pub fn resolve(&self, header: &str) -> Option<Column> {
        let h = header
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase();
        if let Some((c, _)) = self.pairs.iter().find(|(_, n)| *n == h) {
            return Some(*c);
        }
        if self.pairs.iter().any(|(_, n)| *n == h) {
            return None;
        }
        let mapped_away = |c: Column| self.pairs.iter().any(|(m, _)| *m == c);
        Column::ALL
            .into_iter()
            .find(|c| !mapped_away(*c) && c.aliases().contains(&h.as_str()))
    }
}

/// Where each column sits in a CSV header.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Field index of each column, by `Column as usize`.
    pub index: [Option<usize>; 8],
    /// Fields in the header.
    pub width: usize,
}

impl Layout {
    /// Reads a header row; fails when a required column is missing.
    pub fn from_header(fields: &[&str], map: &ColumnMap) -> Result<Layout, String> {
        let mut index = [None; 8];
        for (i, f) in fields.iter().enumerate() {
            if let Some(c) = map.resolve(f) {
                if index[c as usize].is_none() {
                    index[c as usize] = Some(i);
                }
            }
        }
        let missing: Vec<&str> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && index[*c as usize].is_none())
            .map(Column::name)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the header has no {} column (found: {}); name it so, use an alias (see \
                 `flowcost replay --help`), or --map {}=YOUR_NAME",
                missing.join(", "),
                fields.join(", "),
                missing[0]
            ));
        }
        Ok(Layout {
            index,
            width: fields.len(),
        })
    }

    /// The field index of a column.
    pub fn get(&self, c: Column) -> Option<usize> {
        self.index[c as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_map() {
        let none = ColumnMap::default();
        assert_eq!(none.resolve("Phone"), Some(Column::Recipient));
        assert_eq!(none.resolve("\u{feff}timestamp"), Some(Column::Timestamp));
        let map = ColumnMap::parse(&["recipient=customer".into()]).unwrap();
        assert_eq!(map.resolve("customer"), Some(Column::Recipient));
        assert_eq!(map.resolve("phone"), None);
        assert!(ColumnMap::parse(&["who=customer".into()]).is_err());
    }

    #[test]
    fn missing_required_columns_are_named() {
        let err = Layout::from_header(&["time", "to"], &ColumnMap::default()).unwrap_err();
        assert!(err.contains("no direction column"), "{err}");
    }
}
