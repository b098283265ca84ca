//! Text from inputs, made safe to show: names and values from a flow, a catalog or a log can
//! hold control characters (an escape sequence that moves a terminal's cursor, a NUL that ends a
//! Graphviz string, U+FFFF that XML forbids). Every output writes them as visible escapes
//! (`\u{1b}`), so what a file holds is shown, never obeyed.

use std::borrow::Cow;

/// Whether `c` must not reach an output as itself: C0 and C1 controls and DEL, the
/// noncharacters U+FFFE and U+FFFF, and the bidirectional overrides and isolates that can
/// reorder what a reader sees.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character (see [`is_unsafe`]), line breaks and tabs included,
/// written as `\u{…}`.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape(s, |_, _| false)
}

/// Text for a terminal or a log: like [`printable`], but line breaks and tabs stay, and with
/// `color` so do the colour sequences flowcost paints with (`ESC [ digits ; m`).
pub fn for_terminal(s: &str, color: bool) -> Cow<'_, str> {
    escape(s, |c, rest| {
        matches!(c, '\n' | '\t') || (color && c == '\u{1b}' && is_sgr(rest))
    })
}

/// Whether `rest` (what follows an ESC) starts a colour sequence: `[`, digits and `;`, `m`.
fn is_sgr(rest: &str) -> bool {
    let Some(body) = rest.strip_prefix('[') else {
        return false;
    };
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == ';'))
        .unwrap_or(body.len());
    body[end..].starts_with('m')
}

fn escape(s: &str, keep: impl Fn(char, &str) -> bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.char_indices() {
        if is_unsafe(c) && !keep(c, &s[i + c.len_utf8()..]) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
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
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            printable("nul\0 ff\u{c} \u{ffff}"),
            "nul\\u{0} ff\\u{c} \\u{ffff}"
        );
        assert_eq!(printable("line\nbreak"), "line\\u{a}break");
        assert_eq!(printable("\u{202e}txt"), "\\u{202e}txt");
    }

    #[test]
    fn terminals_keep_lines_tabs_and_our_colours_only() {
        assert_eq!(for_terminal("a\n\tb", false), "a\n\tb");
        assert_eq!(
            for_terminal("\u{1b}[1;31merror\u{1b}[0m", true),
            "\u{1b}[1;31merror\u{1b}[0m"
        );
        assert_eq!(for_terminal("\u{1b}[1;31m", false), "\\u{1b}[1;31m");
        assert_eq!(
            for_terminal("\u{1b}]0;title\u{7}", true),
            "\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(for_terminal("\u{1b}[2J", true), "\\u{1b}[2J");
        assert_eq!(for_terminal("cr\r", true), "cr\\u{d}");
    }
}
