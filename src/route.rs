//! Routes as people read them: `ask → (check → sorry → ask) ×2 → thanks`, repeats of a loop
//! folded, and cut in the middle when they would be longer than a line should be.

use std::collections::HashMap;

/// The longest repeated segment looked for, in nodes.
const MAX_PERIOD: usize = 64;

/// `a → b → c`, with consecutive repeats of a segment folded: `a → (b → c) ×3 → d`, and a
/// single node repeated as `b ×3`.
pub fn folded<S: AsRef<str>>(ids: &[S]) -> String {
    let names: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    // Compare small numbers, not strings; and only try the periods at which the node comes
    // back (linear on a route without loops).
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let code: Vec<u32> = names
        .iter()
        .map(|n| {
            let next = numbers.len() as u32;
            *numbers.entry(n).or_insert(next)
        })
        .collect();
    let mut next_same = vec![usize::MAX; code.len()];
    let mut last: HashMap<u32, usize> = HashMap::new();
    for (i, c) in code.iter().enumerate().rev() {
        if let Some(&j) = last.get(c) {
            next_same[i] = j;
        }
        last.insert(*c, i);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let (period, times) = best_repeat(&code, &next_same, i);
        if times >= 2 {
            let segment = names[i..i + period].join(" → ");
            parts.push(if period == 1 {
                format!("{segment} ×{times}")
            } else {
                format!("({segment}) ×{times}")
            });
            i += period * times;
        } else {
            parts.push(names[i].to_string());
            i += 1;
        }
    }
    parts.join(" → ")
}

/// The repeat starting at `at` that covers the most nodes: (period, times); shorter periods win
/// ties. `times` is 1 when nothing repeats.
fn best_repeat(code: &[u32], next_same: &[usize], at: usize) -> (usize, usize) {
    let mut best = (1, 1);
    let mut j = next_same[at];
    while j != usize::MAX && j - at <= MAX_PERIOD && 2 * (j - at) <= code.len() - at {
        let period = j - at;
        let mut times = 1;
        while (times + 1) * period <= code.len() - at
            && code[at + times * period..at + (times + 1) * period] == code[at..at + period]
        {
            times += 1;
        }
        if times >= 2 && period * times > best.0 * best.1 {
            best = (period, times);
        }
        j = next_same[j];
    }
    best
}

/// [`folded`] in at most `max` characters: a long route is folded at its two ends only (what
/// shows of it), and cut in the middle.
pub fn folded_within<S: AsRef<str>>(ids: &[S], max: usize) -> String {
    // A node id takes at least two characters with its arrow: more than `max` nodes at an end
    // cannot show.
    let keep = max;
    if ids.len() <= 2 * keep {
        return shortened(&folded(ids), max);
    }
    let head = folded(&ids[..keep]);
    let tail = folded(&ids[ids.len() - keep..]);
    shortened(&format!("{head} … {tail}"), max)
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
        let ids: Vec<String> = (0..5000).map(|i| format!("n{i}")).collect();
        let s = folded_within(&ids, 400);
        assert!(s.chars().count() <= 400 && s.starts_with("n0 → n1") && s.ends_with("n4999"));
    }
}
