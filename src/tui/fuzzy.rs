//! A small fuzzy matcher for the palette and the tree filter: the query's
//! characters must appear in order; contiguous runs, word starts and early
//! matches score higher. Case-insensitive.

/// 0 when `query` does not match `text`; higher is better.
pub fn score(query: &str, text: &str) -> i64 {
    if query.is_empty() {
        return 1;
    }
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut score: i64 = 0;
    let mut ti = 0;
    let mut prev_match: Option<usize> = None;
    for qc in query.chars().flat_map(char::to_lowercase) {
        if qc == ' ' {
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
        if at == 0 || matches!(t.get(at - 1), Some('/' | '-' | '_' | ' ' | '.')) {
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
}
