//! A small fuzzy matcher for the palette and the tree filter: the query's
//! characters must appear in order; contiguous runs, word starts and early
//! matches score higher. Case-insensitive.

/// 0 when `query` does not match `text`; higher is better.
pub fn score(query: &str, text: &str) -> i64 {
    if query.is_empty() {
        return 1;
    }
    // Paths and names are mostly ASCII: lowercase them on the stack (the
    // tree filter scores every request of a big workspace per key).
    if text.is_ascii() && query.is_ascii() && text.len() <= ASCII_MAX {
        let mut buf = [0u8; ASCII_MAX];
        let t = &mut buf[..text.len()];
        t.copy_from_slice(text.as_bytes());
        t.make_ascii_lowercase();
        let q = query.bytes().map(|b| b.to_ascii_lowercase());
        return score_in(q, t, b' ', |c| {
            matches!(c, b'/' | b'-' | b'_' | b' ' | b'.')
        });
    }
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let q = query.chars().flat_map(char::to_lowercase);
    score_in(q, &t, ' ', |c| matches!(c, '/' | '-' | '_' | ' ' | '.'))
}

const ASCII_MAX: usize = 256;

/// The scoring, on lowercased characters (bytes or chars).
fn score_in<C: Copy + PartialEq>(
    query: impl Iterator<Item = C>,
    t: &[C],
    space: C,
    word_break: impl Fn(C) -> bool,
) -> i64 {
    let mut score: i64 = 0;
    let mut ti = 0;
    let mut prev_match: Option<usize> = None;
    for qc in query {
        if qc == space {
            continue;
        }
        let Some(pos) = t[ti..].iter().position(|&c| c == qc) else {
            return 0;
        };
        let at = ti + pos;
        score += 10;
        if prev_match.is_some_and(|p| p + 1 == at) {
            score += 15;
        }
        if at == 0 || t.get(at - 1).is_some_and(|&c| word_break(c)) {
            score += 10;
        }
        score -= (at as i64 - ti as i64).min(10);
        prev_match = Some(at);
        ti = at + 1;
    }
    // Shorter texts win ties: "get" prefers `users/get` to `users/get-all`.
    score * 100 - t.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequences_match_and_better_ones_score_higher() {
        assert_eq!(score("xyz", "users/get"), 0);
        assert!(score("ug", "users/get") > 0);
        assert!(score("get", "users/get-user") > score("get", "targets/budget"));
        assert!(score("GU", "users/get-user") > 0);
    }

    #[test]
    fn ascii_and_unicode_texts_score_alike() {
        // The same text scored on the ASCII path and, with one non-ASCII
        // character far from the match, on the general one.
        for (q, t) in [
            ("get", "users/get-user"),
            ("gu", "users/get-user"),
            ("ab c", "a-b_c.d"),
        ] {
            let ascii = score(q, t);
            let wide = score(q, &format!("{t}é"));
            assert!(ascii > 0);
            assert_eq!(
                wide,
                ascii - 1,
                "one more character, otherwise equal: {q} {t}"
            );
        }
        assert_eq!(score("É", "café"), score("é", "CAFÉ"));
        assert!(score("é", "cafe") == 0);
        // Longer than the stack buffer: still found.
        let long = format!("{}needle", "x".repeat(300));
        assert!(score("needle", &long) > 0);
    }
}
