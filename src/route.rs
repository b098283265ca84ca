//! Routes as people read them: `ask → (check → sorry → ask) ×2 → thanks`, repeats of a loop
//! folded, and cut in the middle when they would be longer than a line should be.

/// The longest repeated segment looked for, in nodes.
const MAX_PERIOD: usize = 64;

/// `a → b → c`, with consecutive repeats of a segment folded: `a → (b → c) ×3 → d`, and a
/// single node repeated as `b ×3`.
pub fn folded<S: AsRef<str>>(ids: &[S]) -> String {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let (period, times) = best_repeat(&ids[i..]);
        if times >= 2 {
            let segment = ids[i..i + period].join(" → ");
            parts.push(if period == 1 {
                format!("{segment} ×{times}")
            } else {
                format!("({segment}) ×{times}")
            });
            i += period * times;
        } else {
            parts.push(ids[i].to_string());
            i += 1;
        }
    }
    parts.join(" → ")
}

/// The repeat at the start of `ids` that covers the most nodes: (period, times); shorter
/// periods win ties. `times` is 1 when nothing repeats.
fn best_repeat(ids: &[&str]) -> (usize, usize) {
    let mut best = (1, 1);
    for period in 1..=MAX_PERIOD.min(ids.len() / 2) {
        let mut times = 1;
        while (times + 1) * period <= ids.len()
            && ids[times * period..(times + 1) * period] == ids[..period]
        {
            times += 1;
        }
        if times >= 2 && period * times > best.0 * best.1 {
            best = (period, times);
        }
    }
    best
}

/// `text` shortened to at most `max` characters by cutting its middle (`a → b … y → z`).
pub fn shortened(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let keep = max.saturating_sub(3) / 2;
    let head: String = text.chars().take(keep).collect();
    let tail: String = text.chars().skip(count - keep).collect();
    format!("{head} … {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_repeated_loops() {
        assert_eq!(folded(&["a", "b", "c"]), "a → b → c");
        assert_eq!(folded(&["ask", "ask", "ask", "thanks"]), "ask ×3 → thanks");
        assert_eq!(
            folded(&["hi", "ask", "check", "ask", "check", "ask", "check", "bye"]),
            "hi → (ask → check) ×3 → bye"
        );
        assert_eq!(
            folded(&["a", "b", "a", "b", "a", "c"]),
            "(a → b) ×2 → a → c"
        );
        let empty: [&str; 0] = [];
        assert_eq!(folded(&empty), "");
    }

    #[test]
    fn shortens_in_the_middle() {
        assert_eq!(shortened("abcdef", 10), "abcdef");
        let long = "x".repeat(3000);
        let s = shortened(&long, 1000);
        assert!(s.chars().count() <= 1000);
        assert!(s.contains(" … "));
    }
}
