//! "Did you mean" suggestions for mistyped dynamic variable names.

/// Suggestions further than this many edits away are more noise than help.
const MAX_DISTANCE: usize = 3;

/// The candidate closest to `name` (ignoring case, since `$randomuuid` for
/// `$randomUUID` is the typical typo), if within [`MAX_DISTANCE`] edits.
/// Ties go to the earlier candidate.
pub(crate) fn closest(name: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let name = name.to_lowercase();
    candidates
        .iter()
        .map(|candidate| (levenshtein(&name, &candidate.to_lowercase()), *candidate))
        .filter(|(distance, _)| *distance <= MAX_DISTANCE)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance in chars (insertions, deletions, substitutions).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // One row of the classic table, reused.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, b_char) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(a_char != *b_char);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_basics() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("flaw", "lawn"), 2);
        assert_eq!(levenshtein("é", "e"), 1, "counts chars, not bytes");
    }

    #[test]
    fn closest_picks_the_nearest_within_three() {
        let names = ["$guid", "$randomUUID", "$randomInt", "$timestamp"];
        assert_eq!(closest("$giud", &names), Some("$guid"));
        assert_eq!(closest("$randomuuid", &names), Some("$randomUUID"));
        assert_eq!(closest("$timestmp", &names), Some("$timestamp"));
        assert_eq!(closest("$randomInteger", &names), None, "4 edits away");
        assert_eq!(closest("$completelyDifferent", &names), None);
    }
}
