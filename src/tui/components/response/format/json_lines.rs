//! Pretty JSON without the pretty text, for big bodies: where each line of
//! the pretty form starts in the raw text and how deep it is nested. A
//! line is drawn from the raw text when asked for, exactly as
//! [`super::pretty_json`] writes it. 50 MB of minified JSON makes some
//! 3.4M pretty lines: 5 bytes each (a `u32` start, a `u8` depth) is 17 MB,
//! where the pretty text would be 76 MB and its line index 13 MB more.
//!
//! A line's end is not stored: it is where the next line starts, less the
//! whitespace between them.

use std::ops::Range;

/// Depths from this on are kept aside in `deep` (a byte holds the rest).
const DEEP: usize = u8::MAX as usize;

const INDENT: &str = "                                                                ";

/// The lines of the pretty form of one JSON text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonLines {
    /// Offset in the raw text of each line's first byte.
    starts: Vec<u32>,
    /// Each line's nesting depth: its indent is two spaces a level.
    /// [`DEEP`] means "look in `deep`".
    depths: Vec<u8>,
    /// Line and depth of the lines nested [`DEEP`] levels or more, by line
    /// (rare: only a pathological body has any).
    deep: Vec<(u32, u32)>,
    /// Where the raw text ends, trailing whitespace cut.
    end: u32,
    /// The raw text is ASCII without DEL, so every line is printable ASCII
    /// (valid JSON holds no other control bytes outside whitespace, which
    /// the lines drop). Set by [`pretty_json_lines`].
    ascii: bool,
}

impl JsonLines {
    /// Indexes `src` as JSON: `None` if it is blank, over 4 GiB or
    /// visibly broken. It does not check the JSON (see
    /// [`pretty_json_lines`]): on invalid JSON the lines are meaningless,
    /// but indexing still ends, without panicking.
    pub fn index(src: &str) -> Option<JsonLines> {
        if src.len() >= u32::MAX as usize {
            return None;
        }
        let bytes = src.as_bytes();
        let first = next_significant(bytes, 0)?;
        // Reserved generously (a line per 8 bytes is more than minified
        // JSON makes): pages never written cost no memory, where growing
        // by copying would briefly hold one and a half times the index.
        let mut lines = JsonLines {
            starts: Vec::with_capacity(bytes.len() / 8 + 1),
            depths: Vec::with_capacity(bytes.len() / 8 + 1),
            end: trim_end(bytes, 0, bytes.len()) as u32,
            ascii: false,
            deep: Vec::new(),
        };
        lines.push(first, 0);
        let mut depth = 0usize;
        let mut i = first;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i = string_end(bytes, i);
                    continue;
                }
                open @ (b'{' | b'[') => {
                    let close = if open == b'{' { b'}' } else { b']' };
                    let next = next_significant(bytes, i + 1)?;
                    if bytes[next] == close {
                        // `{}` and `[]` stay on their line.
                        i = next + 1;
                        continue;
                    }
                    depth += 1;
                    lines.push(next, depth);
                    i = next;
                    continue;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    lines.push(i, depth);
                }
                b',' => {
                    let next = next_significant(bytes, i + 1)?;
                    lines.push(next, depth);
                    i = next;
                    continue;
                }
                _ => {}
            }
            i += 1;
            // Numbers, keywords, colons and whitespace start no line.
            while i < bytes.len() && !STARTS_SOMETHING[usize::from(bytes[i])] {
                i += 1;
            }
        }
        lines.starts.shrink_to_fit();
        lines.depths.shrink_to_fit();
        Some(lines)
    }

    fn push(&mut self, start: usize, depth: usize) {
        if depth >= DEEP {
            self.deep.push((self.starts.len() as u32, depth as u32));
        }
        self.starts.push(start as u32);
        self.depths.push(depth.min(DEEP) as u8);
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Bytes of `src` line `i` is made of: its tokens and the whitespace
    /// between them, none before or after.
    pub fn raw_range(&self, src: &str, i: usize) -> Range<usize> {
        let end = (self.end as usize).min(src.len());
        let Some(&start) = self.starts.get(i) else {
            return end..end;
        };
        let start = (start as usize).min(end);
        let stop = match self.starts.get(i + 1) {
            Some(&next) => trim_end(src.as_bytes(), start, (next as usize).min(end)),
            None => end,
        };
        start..stop
    }

    pub fn depth(&self, i: usize) -> usize {
        match self.depths.get(i).map(|&d| usize::from(d)) {
            Some(DEEP) => {
                let at = self.deep.partition_point(|&(line, _)| (line as usize) < i);
                self.deep.get(at).map_or(DEEP, |&(_, depth)| depth as usize)
            }
            depth => depth.unwrap_or(0),
        }
    }

    /// Appends line `i` as the pretty text has it: the indent, then the
    /// tokens with the whitespace between them dropped and a space after
    /// each colon.
    pub fn write_line(&self, src: &str, i: usize, out: &mut String) {
        let mut indent = 2 * self.depth(i);
        while indent > 0 {
            let n = indent.min(INDENT.len());
            out.push_str(&INDENT[..n]);
            indent -= n;
        }
        let range = self.raw_range(src, i);
        let bytes = src.as_bytes();
        let mut k = range.start;
        // Slices fall on ASCII bytes or the range's ends (char
        // boundaries); `get` keeps even a broken index from panicking.
        let copy = |a: usize, b: usize, out: &mut String| {
            out.push_str(src.get(a..b).unwrap_or_default());
        };
        while k < range.end {
            match bytes[k] {
                b'"' => {
                    let end = string_end(bytes, k).min(range.end);
                    copy(k, end, out);
                    k = end;
                }
                b':' => {
                    out.push_str(": ");
                    k += 1;
                }
                b' ' | b'\t' | b'\n' | b'\r' => k += 1,
                _ => {
                    let start = k;
                    while k < range.end
                        && !matches!(bytes[k], b'"' | b':' | b' ' | b'\t' | b'\n' | b'\r')
                    {
                        k += 1;
                    }
                    copy(start, k, out);
                }
            }
        }
    }

    /// Bytes line `i` takes as [`JsonLines::write_line`] writes it,
    /// counted without writing it (a line may be a 10 MB string).
    pub fn line_len(&self, src: &str, i: usize) -> usize {
        let range = self.raw_range(src, i);
        let bytes = src.as_bytes();
        let mut len = 2 * self.depth(i);
        let mut k = range.start;
        while k < range.end {
            match bytes[k] {
                b'"' => {
                    let end = string_end(bytes, k).min(range.end);
                    len += end - k;
                    k = end;
                }
                b':' => {
                    len += 2;
                    k += 1;
                }
                b' ' | b'\t' | b'\n' | b'\r' => k += 1,
                _ => {
                    len += 1;
                    k += 1;
                }
            }
        }
        len
    }

    /// Line `i` as the pretty text has it.
    pub fn line(&self, src: &str, i: usize) -> String {
        let mut out = String::new();
        self.write_line(src, i, &mut out);
        out
    }

    /// Whether every line is printable ASCII (a byte is a column).
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// Heap bytes used (for the benchmark's memory table).
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * std::mem::size_of::<u32>()
            + self.depths.capacity()
            + self.deep.capacity() * std::mem::size_of::<(u32, u32)>()
    }
}

/// The lines of the pretty form of `src`, or `None` if it is not JSON.
/// Indexing and serde_json's check run side by side; the index is dropped
/// if the check fails.
pub fn pretty_json_lines(src: &str) -> Option<JsonLines> {
    let ((valid, ascii), lines) = std::thread::scope(|scope| {
        let check = scope.spawn(|| {
            let valid = serde_json::from_str::<serde::de::IgnoredAny>(src).is_ok();
            let ascii = src.is_ascii() && memchr::memchr(0x7f, src.as_bytes()).is_none();
            (valid, ascii)
        });
        let lines = JsonLines::index(src);
        // A panic in the check means we cannot vouch for the text.
        (check.join().unwrap_or((false, false)), lines)
    });
    let mut lines = lines.filter(|_| valid)?;
    lines.ascii = ascii;
    Some(lines)
}

/// Bytes that may start or end a line, or open a string.
static STARTS_SOMETHING: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b',' as usize] = true;
    t
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn next_significant(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&j| !is_space(bytes[j]))
}

/// `end` moved back over whitespace, not before `start`.
fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && is_space(bytes[end - 1]) {
        end -= 1;
    }
    end
}

/// Just past the string opening at `open` (the end of `bytes` if it never
/// closes), jumping from one quote or backslash to the next.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while let Some(j) = quote_or_backslash(bytes, i) {
        if bytes[j] == b'"' {
            return j + 1;
        }
        i = j + 2;
    }
    bytes.len()
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The first `"` or `\\` at or after `from`. Most JSON strings are short,
/// where eight bytes at a time beat setting up a vector search (memchr):
/// indexing 50 MB takes a third less time.
fn quote_or_backslash(bytes: &[u8], mut from: usize) -> Option<usize> {
    // A byte of `v` that is zero sets its high bit in `zeros(v)`; bytes
    // above the first zero may be set wrongly, which the lowest set bit
    // never is.
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    while let Some(word) = bytes.get(from..from + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let hits = zeros(w ^ (ONES * u64::from(b'"'))) | zeros(w ^ (ONES * u64::from(b'\\')));
        if hits != 0 {
            return Some(from + (hits.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    let tail = bytes.get(from..)?;
    tail.iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|j| from + j)
}

#[cfg(test)]
mod tests {
    use super::super::pretty_json;
    use super::*;

    fn lines_of(src: &str) -> Vec<String> {
        let lines = pretty_json_lines(src).expect("valid JSON");
        let out: Vec<String> = (0..lines.line_count())
            .map(|i| lines.line(src, i))
            .collect();
        for (i, line) in out.iter().enumerate() {
            assert_eq!(lines.line_len(src, i), line.len(), "{line}");
        }
        out
    }

    /// The lines drawn from the index are the pretty text's lines.
    fn same_as_pretty(src: &str) {
        let pretty = pretty_json(src).expect("valid JSON").text;
        let expected: Vec<&str> = pretty.split('\n').collect();
        assert_eq!(lines_of(src), expected, "{src}");
    }

    #[test]
    fn nesting_indents_two_spaces_a_level() {
        assert_eq!(
            lines_of(r#"{"a":[1,{"b":null}],"c":true}"#),
            [
                "{",
                "  \"a\": [",
                "    1,",
                "    {",
                "      \"b\": null",
                "    }",
                "  ],",
                "  \"c\": true",
                "}",
            ]
        );
        let lines = JsonLines::index("[[[1]]]").unwrap();
        let depths: Vec<usize> = (0..lines.line_count()).map(|i| lines.depth(i)).collect();
        assert_eq!(depths, [0, 1, 2, 3, 2, 1, 0]);
        same_as_pretty(r#"{"z":1,"a":{"y":[1,2,{"k":null}],"e":{},"f":[ ]},"t":true}"#);
    }

    #[test]
    fn empty_objects_and_arrays_stay_on_one_line() {
        assert_eq!(lines_of("{}"), ["{}"]);
        assert_eq!(lines_of("[ \n ]"), ["[]"]);
        assert_eq!(
            lines_of(r#"{"a":{ },"b":[]}"#),
            ["{", "  \"a\": {},", "  \"b\": []", "}"]
        );
        same_as_pretty(r#"[[],{},[{}],{"x":[]}]"#);
    }

    #[test]
    fn strings_hold_quotes_brackets_and_commas_as_text() {
        let src = r#"{"a\"[{,:":"x\\","b":"}],\"\\\""}"#;
        assert_eq!(
            lines_of(src),
            ["{", r#"  "a\"[{,:": "x\\","#, r#"  "b": "}],\"\\\"""#, "}"]
        );
        same_as_pretty(src);
    }

    #[test]
    fn unicode_is_kept_as_sent() {
        let src = "{\"caf\u{e9}\":\"\u{1f600} \\u00e9\",\"\u{202e}\":[\"\u{65e5}\u{672c}\"]}";
        assert_eq!(
            lines_of(src),
            [
                "{",
                "  \"caf\u{e9}\": \"\u{1f600} \\u00e9\",",
                "  \"\u{202e}\": [",
                "    \"\u{65e5}\u{672c}\"",
                "  ]",
                "}"
            ]
        );
        same_as_pretty(src);
    }

    #[test]
    fn a_top_level_scalar_is_one_line() {
        assert_eq!(lines_of(" 42 "), ["42"]);
        assert_eq!(lines_of("\"a b\""), ["\"a b\""]);
        assert_eq!(lines_of("null"), ["null"]);
        assert_eq!(lines_of("-1.5e3"), ["-1.5e3"]);
    }

    #[test]
    fn whitespace_around_and_between_tokens_is_dropped() {
        let src = " \r\n{ \"a\" :\t1 ,\n  \"b\" : [ 2 , 3 ] }\n\n  ";
        assert_eq!(
            lines_of(src),
            [
                "{",
                "  \"a\": 1,",
                "  \"b\": [",
                "    2,",
                "    3",
                "  ]",
                "}"
            ]
        );
        same_as_pretty(src);
        let lines = JsonLines::index(src).unwrap();
        assert_eq!(&src[lines.raw_range(src, 1)], "\"a\" :\t1 ,");
        assert_eq!(&src[lines.raw_range(src, 6)], "}");
    }

    #[test]
    fn invalid_json_has_no_lines() {
        for src in [
            "",
            "   ",
            "{\"a\":",
            "{} x",
            "[1,]",
            "{\"a\" 1}",
            "[\"open",
            "]",
            "[1]]",
            "nul",
        ] {
            assert!(pretty_json_lines(src).is_none(), "{src:?}");
        }
    }

    #[test]
    fn any_depth_is_kept() {
        // serde_json checks without recursing, so any depth is JSON.
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        same_as_pretty(&deep);
        let lines = JsonLines::index(&deep).unwrap();
        assert_eq!(lines.depth(300), 300);
        assert_eq!(lines.depth(254), 254);
        assert_eq!(lines.depth(255), 255);
        assert_eq!(lines.depth(600), 0);
    }

    #[test]
    fn indexing_broken_text_ends_without_panicking() {
        for src in [
            "[\"a\\",
            "{\"a\":\"\\\u{e9}\"}",
            "}}}",
            "[,,,",
            "\"",
            "[\"\\\"]",
            "{\"a\":[}",
        ] {
            if let Some(lines) = JsonLines::index(src) {
                for i in 0..lines.line_count() + 1 {
                    let _ = lines.line(src, i);
                }
            }
        }
    }

    #[test]
    fn a_generated_body_matches_the_pretty_text() {
        let mut src = String::from("[");
        for i in 0..300 {
            if i > 0 {
                src.push(',');
            }
            src.push_str(&format!(
                r#"{{"id":{i},"s":"x\"{i}\\","a":[{i},[],{{}},{{"k":[true,false,null]}}],"u":"\u00e9😀"}}"#
            ));
        }
        src.push(']');
        same_as_pretty(&src);
    }
}
