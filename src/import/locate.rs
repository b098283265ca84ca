//! Positions in JSON text: serde_json gives none for values, so the first occurrence of
//! `"key": "value"` is found by one scan of the text per key, indexed, then looked up in O(1).

use crate::flow::spans::Span;
use std::collections::HashMap;

/// Finds `"key": "value"` pairs in a JSON text.
pub(crate) struct Locator<'a> {
    text: &'a str,
    indexes: HashMap<&'static str, HashMap<&'a str, usize>>,
}

impl<'a> Locator<'a> {
    /// A locator over `text`; nothing is scanned until asked.
    pub(crate) fn new(text: &'a str) -> Self {
        Locator {
            text,
            indexes: HashMap::new(),
        }
    }

    /// The span of the string value of the first `"key": "value"` in the text.
    pub(crate) fn value(&mut self, key: &'static str, value: &str) -> Option<Span> {
        let text = self.text;
        let index = self.indexes.entry(key).or_insert_with(|| scan(text, key));
        index.get(value).map(|&offset| Span {
            offset,
            len: value.len(),
        })
    }

    /// The span of the first `"key": "…"` value after `from`, if it comes before `before`.
    pub(crate) fn value_after(&self, from: usize, key: &str, before: usize) -> Option<Span> {
        let window = self.text.get(from..before.min(self.text.len()))?;
        let pattern = format!("\"{key}\"");
        let at = window.find(&pattern)? + from + pattern.len();
        let (start, end) = string_after_colon(self.text, at)?;
        Some(Span {
            offset: start,
            len: end - start,
        })
    }

    /// The span of the value of the first `"key": …` after `from`, whatever its type (a number,
    /// `null`, a string), if it comes before `before`.
    pub(crate) fn any_after(&self, from: usize, key: &str, before: usize) -> Option<Span> {
        let window = self.text.get(from..before.min(self.text.len()))?;
        let pattern = format!("\"{key}\"");
        let at = window.find(&pattern)? + from + pattern.len();
        let rest = self.text.get(at..)?;
        let colon = rest.find(':')?;
        if !rest[..colon].trim().is_empty() {
            return None;
        }
        let value = &rest[colon + 1..];
        let start = at + colon + 1 + (value.len() - value.trim_start().len());
        let token = self.text.get(start..)?;
        let len = if token.starts_with('"') {
            string_after_colon(self.text, at).map(|(s, e)| e - s + 2)?
        } else {
            token
                .find(|c: char| c == ',' || c == '}' || c == ']' || c.is_whitespace())
                .unwrap_or(token.len())
        };
        Some(Span {
            offset: start,
            len: len.max(1),
        })
    }

    /// The span of the first occurrence of `needle` in the text.
    pub(crate) fn first(&self, needle: &str) -> Option<Span> {
        self.text.find(needle).map(|offset| Span {
            offset,
            len: needle.len(),
        })
    }
}

/// Every `"key": "value"` of the text, first occurrence of each value.
fn scan<'a>(text: &'a str, key: &str) -> HashMap<&'a str, usize> {
    let pattern = format!("\"{key}\"");
    let mut index = HashMap::new();
    for (at, _) in text.match_indices(&pattern) {
        if let Some((start, end)) = string_after_colon(text, at + pattern.len()) {
            index.entry(&text[start..end]).or_insert(start);
        }
    }
    index
}

/// After a key ending at `at`: optional spaces, a colon, spaces, then a string; its content's
/// byte range (escapes kept as written).
fn string_after_colon(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = at;
    let skip = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip(&mut i);
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    skip(&mut i);
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let mut j = start;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return Some((start, j)),
            _ => j += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_of_a_key() {
        let text = r#"{"uuid": "a", "x": {"uuid":"b", "name": "uuid"}, "uuid" : "a"}"#;
        let mut l = Locator::new(text);
        assert_eq!(l.value("uuid", "a"), Some(Span { offset: 10, len: 1 }));
        assert_eq!(
            l.value("uuid", "b").map(|s| &text[s.offset..s.offset + 1]),
            Some("b")
        );
        assert_eq!(l.value("uuid", "c"), None);
        assert_eq!(l.value("name", "uuid").map(|s| s.len), Some(4));
    }
}
