//! Case-insensitive (ASCII) substring search over a body, done in slices
//! with a time budget so a 50 MB body never freezes a frame: each call
//! scans on from where the last one stopped. What it scans is a
//! [`Haystack`]: a text's bytes, or a document drawn line by line.

use std::time::{Duration, Instant};

/// Matches kept at most; past this the counter says so.
pub const MAX_MATCHES: usize = 1_000_000;

/// Bytes scanned between two looks at the clock.
pub const SLICE: usize = 1 << 20;

/// What a search scans. Offsets only need to sort in reading order; a
/// match never spans two of the pieces a haystack is scanned in beyond
/// what [`find_in`] allows.
pub trait Haystack {
    /// One past the last offset.
    fn end(&self) -> usize;

    /// Scans on from offset `from` for about [`SLICE`] bytes, calling
    /// `found` with the start of every match, in order; returns where the
    /// next scan starts, or `None` once `found` says stop.
    fn scan(
        &self,
        needle: &[u8],
        from: usize,
        found: &mut dyn FnMut(usize) -> bool,
    ) -> Option<usize>;
}

impl Haystack for [u8] {
    fn end(&self) -> usize {
        self.len()
    }

    fn scan(
        &self,
        needle: &[u8],
        from: usize,
        found: &mut dyn FnMut(usize) -> bool,
    ) -> Option<usize> {
        let end = from.saturating_add(SLICE).min(self.len());
        let next = find_in(self, needle, from, end, found)?;
        // Nothing more can start in the last `needle` bytes.
        Some(if end == self.len() {
            self.len().max(next)
        } else {
            next
        })
    }
}

/// Finds the matches of `needle` (lower case) in `hay` that start in
/// `from..end`, ignoring ASCII case, without overlaps; a match may run
/// past `end`. Returns where the next scan starts, or `None` once `found`
/// says stop.
pub fn find_in(
    hay: &[u8],
    needle: &[u8],
    from: usize,
    end: usize,
    found: &mut dyn FnMut(usize) -> bool,
) -> Option<usize> {
    let Some(&first) = needle.first() else {
        return Some(end.max(from));
    };
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let end = end.min(hay.len());
    let mut at = from;
    while at < end {
        let Some(i) = memchr::memchr2(lo, up, &hay[at..end]) else {
            return Some(end);
        };
        let start = at + i;
        let candidate = hay.get(start..start + needle.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(needle)) {
            if !found(start) {
                return None;
            }
            at = start + needle.len();
        } else {
            at = start + 1;
        }
    }
    Some(at.max(from))
}

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

    /// How far the scan has come, 0..=100, of a haystack ending at `end`.
    pub fn percent(&self, end: usize) -> usize {
        if self.done || end == 0 {
            100
        } else {
            (self.scanned as u128 * 100 / end as u128).min(100) as usize
        }
    }

    /// Scans on for up to `budget`, making a pending selection as soon as
    /// its match is found; returns whether the scan is finished.
    pub fn advance<H: Haystack + ?Sized>(&mut self, haystack: &H, budget: Duration) -> bool {
        let started = Instant::now();
        while !self.done {
            self.scan(haystack);
            self.settle();
            if started.elapsed() >= budget {
                break;
            }
        }
        self.done
    }

    /// Scans until the whole haystack is done (tests, small bodies).
    pub fn finish<H: Haystack + ?Sized>(&mut self, haystack: &H) {
        while !self.done {
            self.scan(haystack);
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

    /// Scans one slice on.
    fn scan<H: Haystack + ?Sized>(&mut self, haystack: &H) {
        let matches = &mut self.matches;
        let mut capped = false;
        let next = haystack.scan(&self.needle, self.scanned, &mut |m| {
            if matches.len() >= MAX_MATCHES {
                capped = true;
                return false;
            }
            matches.push(m);
            true
        });
        match next {
            Some(next) => {
                self.scanned = next;
                if next >= haystack.end() {
                    self.done = true;
                }
            }
            None => {
                self.capped = capped;
                self.done = true;
            }
        }
    }

    /// Makes the first match at or after `offset` current, wrapping to the
    /// first match when none follows. Scans on for up to `budget`; if the
    /// match is not found by then, the selection stays pending and later
    /// calls to [`Search::advance`] make it, so a sliced search ends up
    /// where a whole one would.
    pub fn select_from<H: Haystack + ?Sized>(
        &mut self,
        haystack: &H,
        offset: usize,
        budget: Duration,
    ) {
        let started = Instant::now();
        self.pending = Some(offset);
        self.settle();
        while self.pending.is_some() && !self.done && started.elapsed() < budget {
            self.scan(haystack);
            self.settle();
        }
    }

    /// Moves to the next match, scanning on if the known ones run out.
    pub fn next<H: Haystack + ?Sized>(&mut self, haystack: &H, budget: Duration) {
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
        let text: &[u8] = b"Foo foo FOO fo f\xc3\xa9 fOo";
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
        s.finish(&text[..]);
        assert_eq!(s.matches, vec![SLICE - 2, 2 * SLICE + 4]);
    }

    #[test]
    fn next_and_prev_wrap_around() {
        let text: &[u8] = b"a.b.a.b.a";
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
        assert!(!s.advance(&text[..], Duration::ZERO));
        assert_eq!(s.percent(text.len()), 33);
        assert_eq!(s.counter(), "0/0+");
        while !s.advance(&text[..], Duration::ZERO) {}
        assert_eq!(s.counter(), "0/0");
    }

    #[test]
    fn a_selection_past_the_budget_is_made_when_the_scan_finds_it() {
        let mut text = vec![b'x'; 3 * SLICE];
        text.extend_from_slice(b"needle");
        let mut s = Search::new("needle");
        s.select_from(&text[..], 0, Duration::ZERO);
        assert_eq!(s.current, None);
        assert!(s.is_pending());
        while !s.advance(&text[..], Duration::ZERO) {}
        assert_eq!(s.current_offset(), Some(3 * SLICE));
        assert!(!s.is_pending());
        assert_eq!(s.counter(), "1/1");
    }

    #[test]
    fn a_pending_selection_wraps_when_the_scan_ends_without_one_below() {
        let mut text = b"needle".to_vec();
        text.extend(vec![b'x'; 3 * SLICE]);
        let mut s = Search::new("needle");
        s.select_from(&text[..], 10, Duration::ZERO);
        while !s.advance(&text[..], Duration::ZERO) {}
        assert_eq!(s.current_offset(), Some(0));
    }

    #[test]
    fn matches_in_a_range_include_ones_reaching_into_it() {
        let mut s = Search::new("abc");
        s.finish(&b"abcxxabcxxabc"[..]);
        assert_eq!(s.matches_in(6..11), 1..3);
        assert_eq!(s.matches_in(0..1), 0..1);
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        let mut s = Search::new("");
        s.finish(&b"abc"[..]);
        assert!(s.matches.is_empty());
    }
}
