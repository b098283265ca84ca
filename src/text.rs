//! Text from inputs, made safe to show: names and values from a flow, a catalog or a log can
//! hold control characters (an escape sequence that moves a terminal's cursor, a NUL that ends a
//! Graphviz string, U+FFFF that XML forbids). Every output writes them as visible escapes in
//! JSON's form (`\u001b`), so what a file holds is shown, never obeyed, and JSON stays JSON (in
//! a JSON string the escape stands for the character itself).

use std::borrow::Cow;

/// Whether `c` must not reach an output as itself: C0 and C1 controls and DEL, the
/// noncharacters U+FFFE and U+FFFF, and the bidirectional overrides and isolates that can
/// reorder what a reader sees. All are in the Basic Multilingual Plane.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character (see [`is_unsafe`]), line breaks and tabs included,
/// written as `\uXXXX`.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape(s, |_, _| false)
}

/// Text for a terminal or a log: like [`printable`], but line breaks and tabs stay, and with
/// `color` so do colour sequences that only colour text (`ESC [ … m` with bold, dim, italic,
/// underline, reset and foreground colours): a sequence that hides text (conceal, a
/// background colour) or moves the cursor is escaped even then.
pub fn for_terminal(s: &str, color: bool) -> Cow<'_, str> {
    escape(s, |c, rest| {
        matches!(c, '\n' | '\t') || (color && c == '\u{1b}' && is_harmless_sgr(rest))
    })
}

/// Whether `rest` (what follows an ESC) starts a colour sequence that only colours text.
fn is_harmless_sgr(rest: &str) -> bool {
    let Some(body) = rest.strip_prefix('[') else {
        return false;
    };
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == ';'))
        .unwrap_or(body.len());
    if !body[end..].starts_with('m') {
        return false;
    }
    let params: Vec<&str> = body[..end].split(';').collect();
    let mut i = 0;
    while i < params.len() {
        match params[i].parse::<u8>().unwrap_or(0) {
            0..=4 | 22..=24 | 30..=37 | 39 | 90..=97 => i += 1,
            // 38;5;N and 38;2;R;G;B: a foreground colour by number or value.
            38 if params.get(i + 1) == Some(&"5") => i += 3,
            38 if params.get(i + 1) == Some(&"2") => i += 5,
            _ => return false,
        }
    }
    true
}

fn escape(s: &str, keep: impl Fn(char, &str) -> bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.char_indices() {
        if is_unsafe(c) && !keep(c, &s[i + c.len_utf8()..]) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_plain_text_is_borrowed() {
        assert!(matches!(printable("café ✓"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u001b[2Jb");
        assert_eq!(
            printable("nul\0 ff\u{c} \u{ffff}"),
            "nul\\u0000 ff\\u000c \\uffff"
        );
        assert_eq!(printable("line\nbreak"), "line\\u000abreak");
        assert_eq!(printable("\u{202e}txt\u{85}"), "\\u202etxt\\u0085");
    }

    #[test]
    fn terminals_keep_lines_tabs_and_plain_colours_only() {
        assert_eq!(for_terminal("a\n\tb", false), "a\n\tb");
        let red = "\u{1b}[1;31merror\u{1b}[0m \u{1b}[38;2;255;30;30mx\u{1b}[39m";
        assert_eq!(for_terminal(red, true), red);
        assert_eq!(for_terminal("\u{1b}[1;31m", false), "\\u001b[1;31m");
        assert_eq!(
            for_terminal("\u{1b}]0;title\u{7}", true),
            "\\u001b]0;title\\u0007"
        );
        assert_eq!(for_terminal("\u{1b}[2J", true), "\\u001b[2J");
        // Concealed text and black on black would hide what follows.
        assert_eq!(for_terminal("\u{1b}[8mhidden", true), "\\u001b[8mhidden");
        assert_eq!(for_terminal("\u{1b}[30;40mx", true), "\\u001b[30;40mx");
        assert_eq!(for_terminal("cr\r", true), "cr\\u000d");
    }

    #[test]
    fn escaped_json_is_still_json() {
        let doc = serde_json::json!({ "name": "evil\u{202e}txt\u{85}\u{ffff}\u{1b}" });
        let text = serde_json::to_string(&doc).unwrap();
        let shown = for_terminal(&text, false);
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, doc);
    }
}
