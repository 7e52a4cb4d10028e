//! Case-insensitive (ASCII) substring search over a body, done in slices
//! with a time budget so a 50 MB body never freezes a frame: each call
//! scans on from where the last one stopped.

use std::time::{Duration, Instant};

/// Matches kept at most; past this the counter says so.
pub const MAX_MATCHES: usize = 1_000_000;

/// Bytes scanned between two looks at the clock.
const SLICE: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    needle: Vec<u8>,
    /// Start offsets of matches found so far, ascending, not overlapping.
    pub matches: Vec<usize>,
    /// Index into `matches` of the current one.
    pub current: Option<usize>,
    /// Where the next slice starts.
    scanned: usize,
    /// A selection still waiting on the scan: the first match at or after
    /// this offset becomes current as soon as it is found (or the first
    /// match of all, once the scan ends without one).
    pending: Option<usize>,
    pub done: bool,
    pub capped: bool,
}

impl Search {
    pub fn new(query: &str) -> Search {
        Search {
            query: query.to_string(),
            needle: query.as_bytes().to_ascii_lowercase(),
            matches: Vec::new(),
            current: None,
            scanned: 0,
            pending: None,
            done: query.is_empty(),
            capped: false,
        }
    }

    pub fn needle_len(&self) -> usize {
        self.needle.len()
    }

    /// How far the scan has come, 0..=100.
    pub fn percent(&self, haystack_len: usize) -> usize {
        if self.done || haystack_len == 0 {
            100
        } else {
            self.scanned * 100 / haystack_len
        }
    }

    /// Scans on for up to `budget`, making a pending selection as soon as
    /// its match is found; returns whether the scan is finished.
    pub fn advance(&mut self, haystack: &[u8], budget: Duration) -> bool {
        let started = Instant::now();
        while !self.done {
            let end = (self.scanned + SLICE).min(haystack.len());
            self.scan(haystack, end);
            self.settle();
            if started.elapsed() >= budget {
                break;
            }
        }
        self.done
    }

    /// Scans until the whole haystack is done (tests, small bodies).
    pub fn finish(&mut self, haystack: &[u8]) {
        while !self.done {
            let end = (self.scanned + SLICE).min(haystack.len());
            self.scan(haystack, end);
            self.settle();
        }
    }

    /// Makes the pending selection if the matches found so far allow it.
    fn settle(&mut self) {
        let Some(offset) = self.pending else {
            return;
        };
        let i = self.matches.partition_point(|&m| m < offset);
        if i < self.matches.len() {
            self.current = Some(i);
            self.pending = None;
        } else if self.done {
            // None at or after `offset`: wrap to the first, like a pager.
            if !self.matches.is_empty() {
                self.current = Some(0);
            }
            self.pending = None;
        }
    }

    /// Whether a selection is waiting on the scan.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Finds matches starting before `end`.
    fn scan(&mut self, haystack: &[u8], end: usize) {
        let n = self.needle.len();
        let first = self.needle[0];
        let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
        let mut at = self.scanned;
        while at < end {
            let Some(found) = memchr::memchr2(lo, up, &haystack[at..end]) else {
                at = end;
                break;
            };
            let start = at + found;
            let candidate = haystack.get(start..start + n);
            if candidate.is_some_and(|c| c.eq_ignore_ascii_case(&self.needle)) {
                if self.matches.len() >= MAX_MATCHES {
                    self.capped = true;
                    self.done = true;
                    return;
                }
                self.matches.push(start);
                at = start + n;
            } else {
                at = start + 1;
            }
        }
        self.scanned = at;
        if self.scanned >= haystack.len() {
            self.done = true;
        }
    }

    /// Makes the first match at or after `offset` current, wrapping to the
    /// first match when none follows. Scans on for up to `budget`; if the
    /// match is not found by then, the selection stays pending and later
    /// calls to [`Search::advance`] make it, so a sliced search ends up
    /// where a whole one would.
    pub fn select_from(&mut self, haystack: &[u8], offset: usize, budget: Duration) {
        let started = Instant::now();
        self.pending = Some(offset);
        self.settle();
        while self.pending.is_some() && !self.done && started.elapsed() < budget {
            let end = (self.scanned + SLICE).min(haystack.len());
            self.scan(haystack, end);
            self.settle();
        }
    }

    /// Moves to the next match, scanning on if the known ones run out.
    pub fn next(&mut self, haystack: &[u8], budget: Duration) {
        match self.current {
            Some(i) if i + 1 < self.matches.len() => self.current = Some(i + 1),
            Some(i) => {
                let after = self.matches[i] + 1;
                self.select_from(haystack, after, budget);
            }
            None => self.select_from(haystack, 0, budget),
        }
    }

    /// Moves to the previous match; from the first, wraps to the last one
    /// found so far.
    pub fn prev(&mut self) {
        self.pending = None;
        let last = self.matches.len().checked_sub(1);
        self.current = match self.current {
            Some(0) | None => last,
            Some(i) => Some(i - 1),
        };
    }

    /// Byte offset of the current match.
    pub fn current_offset(&self) -> Option<usize> {
        self.current.and_then(|i| self.matches.get(i).copied())
    }

    /// Matches starting in `range`, as indexes into `matches`.
    pub fn matches_in(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        // A match starting before the range may reach into it.
        let from = range
            .start
            .saturating_sub(self.needle.len().saturating_sub(1));
        let a = self.matches.partition_point(|&m| m < from);
        let b = self.matches.partition_point(|&m| m < range.end);
        a..b
    }

    /// "3/17", "3/17+" while scanning, "3/1000000+ (capped)".
    pub fn counter(&self) -> String {
        let cur = self.current.map_or(0, |i| i + 1);
        let more = if self.done { "" } else { "+" };
        let capped = if self.capped { "+ (capped)" } else { "" };
        format!("{cur}/{}{more}{capped}", self.matches.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(10);

    #[test]
    fn finds_every_match_ignoring_ascii_case() {
        let text = b"Foo foo FOO fo f\xc3\xa9 fOo";
        let mut s = Search::new("foo");
        s.finish(text);
        assert_eq!(s.matches, vec![0, 4, 8, 19]);
        assert!(s.done);
        s.select_from(text, 0, LONG);
        assert_eq!(s.counter(), "1/4");
    }

    #[test]
    fn matches_across_slice_boundaries_are_found() {
        let mut text = vec![b'x'; SLICE - 2];
        text.extend_from_slice(b"needle");
        text.extend(vec![b'x'; SLICE]);
        text.extend_from_slice(b"NEEDLE");
        let mut s = Search::new("needle");
        s.finish(&text);
        assert_eq!(s.matches, vec![SLICE - 2, 2 * SLICE + 4]);
    }

    #[test]
    fn next_and_prev_wrap_around() {
        let text = b"a.b.a.b.a";
        let mut s = Search::new("a");
        s.finish(text);
        s.select_from(text, 3, LONG);
        assert_eq!(s.current_offset(), Some(4));
        s.next(text, LONG);
        assert_eq!(s.current_offset(), Some(8));
        s.next(text, LONG);
        assert_eq!(s.current_offset(), Some(0));
        s.prev();
        assert_eq!(s.current_offset(), Some(8));
        assert_eq!(s.counter(), "3/3");
    }

    #[test]
    fn a_zero_budget_scans_a_slice_at_a_time() {
        let text = vec![b'a'; 3 * SLICE];
        let mut s = Search::new("b");
        assert!(!s.advance(&text, Duration::ZERO));
        assert_eq!(s.percent(text.len()), 33);
        assert_eq!(s.counter(), "0/0+");
        while !s.advance(&text, Duration::ZERO) {}
        assert_eq!(s.counter(), "0/0");
    }

    #[test]
    fn a_selection_past_the_budget_is_made_when_the_scan_finds_it() {
        let mut text = vec![b'x'; 3 * SLICE];
        text.extend_from_slice(b"needle");
        let mut s = Search::new("needle");
        s.select_from(&text, 0, Duration::ZERO);
        assert_eq!(s.current, None);
        assert!(s.is_pending());
        while !s.advance(&text, Duration::ZERO) {}
        assert_eq!(s.current_offset(), Some(3 * SLICE));
        assert!(!s.is_pending());
        assert_eq!(s.counter(), "1/1");
    }

    #[test]
    fn a_pending_selection_wraps_when_the_scan_ends_without_one_below() {
        let mut text = b"needle".to_vec();
        text.extend(vec![b'x'; 3 * SLICE]);
        let mut s = Search::new("needle");
        s.select_from(&text, 10, Duration::ZERO);
        while !s.advance(&text, Duration::ZERO) {}
        assert_eq!(s.current_offset(), Some(0));
    }

    #[test]
    fn matches_in_a_range_include_ones_reaching_into_it() {
        let mut s = Search::new("abc");
        s.finish(b"abcxxabcxxabc");
        assert_eq!(s.matches_in(6..11), 1..3);
        assert_eq!(s.matches_in(0..1), 0..1);
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        let mut s = Search::new("");
        s.finish(b"abc");
        assert!(s.matches.is_empty());
    }
}
