//! What a body is (by Content-Type, then by sniffing) and how it is
//! formatted for reading: JSON re-indented, XML/HTML indented. Formatting
//! never fails: anything it cannot read is shown as received.

pub mod json_lines;

use crate::media::{self, MediaKind};
use crate::tui::highlight::Language;

/// JSON bodies from this size on are not re-indented into a new text:
/// their lines are drawn from the raw text through an index (see
/// [`json_lines`]), so a 50 MB body costs 17 MB more rather than 90 and
/// shows in half the time. Smaller bodies keep the pretty text (cheap at
/// that size, and what the snapshots show).
pub const PRETTY_INDEX_FROM: usize = 4 * 1024 * 1024;

#[cfg(test)]
thread_local! {
    /// Tests draw one body both ways by moving the threshold.
    pub static PRETTY_INDEX_FROM_IN_TEST: std::cell::Cell<Option<usize>> =
        const { std::cell::Cell::new(None) };
}

/// [`PRETTY_INDEX_FROM`], or what a test set on its thread.
pub fn pretty_index_from() -> usize {
    #[cfg(test)]
    if let Some(n) = PRETTY_INDEX_FROM_IN_TEST.with(std::cell::Cell::get) {
        return n;
    }
    PRETTY_INDEX_FROM
}

/// What kind of body a response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Text(Language),
    Binary,
}

/// Picks the kind from the Content-Type, then from the first bytes.
pub fn classify(content_type: Option<&str>, body: &[u8]) -> BodyKind {
    let media = content_type.map_or(MediaKind::Unknown, media::kind_of);
    let sample = &body[..body.len().min(8192)];
    if media == MediaKind::Binary || looks_binary(sample) {
        return BodyKind::Binary;
    }
    // octet-stream says "unknown bytes": text that is valid UTF-8 is shown
    // as text, anything else as binary.
    let octet_stream =
        content_type.is_some_and(|ct| media::essence(ct) == "application/octet-stream");
    if octet_stream && std::str::from_utf8(body).is_err() {
        return BodyKind::Binary;
    }
    let by_type = match media {
        MediaKind::Json => Some(Language::Json),
        MediaKind::Html => Some(Language::Html),
        MediaKind::Xml => Some(Language::Xml),
        MediaKind::JavaScript => Some(Language::JavaScript),
        MediaKind::Css => Some(Language::Css),
        MediaKind::Yaml => Some(Language::Yaml),
        _ => None,
    };
    // Servers often send JSON as text/plain or octet-stream: sniff then.
    BodyKind::Text(by_type.unwrap_or_else(|| sniff(sample)))
}

/// NUL bytes, or many control bytes, mean binary. Invalid UTF-8 alone does
/// not: Latin-1 text is still text (shown with `\xNN` escapes).
pub fn looks_binary(sample: &[u8]) -> bool {
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    controls * 10 > sample.len()
}

fn sniff(sample: &[u8]) -> Language {
    let start = sample
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(sample.len());
    let head = &sample[start..sample.len().min(start + 64)];
    let lower = head.to_ascii_lowercase();
    match head.first() {
        Some(b'{' | b'[') => Language::Json,
        Some(b'<') if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") => {
            Language::Html
        }
        Some(b'<') => Language::Xml,
        _ => Language::Plain,
    }
}

/// A formatted text and where its lines start.
pub struct Pretty {
    pub text: String,
    pub line_starts: Vec<u32>,
}

/// JSON re-indented with two spaces, keys in the order received, strings
/// and numbers exactly as sent. `None` if `src` is not JSON.
///
/// serde_json checks the text (without building a tree), then a single
/// pass re-indents it. Building a `serde_json::Value` for a 50 MB body would
/// take several times its size; this takes the output size plus 4 bytes a
/// line.
pub fn pretty_json(src: &str) -> Option<Pretty> {
    if src.len() >= u32::MAX as usize / 2 {
        return None;
    }
    // Checking and formatting run side by side (half the wait on a big
    // body); the formatted text is dropped if the check fails.
    let (valid, pretty) = std::thread::scope(|scope| {
        let check = scope.spawn(|| serde_json::from_str::<serde::de::IgnoredAny>(src).is_ok());
        let pretty = reindent_into_buffers(src);
        // A panic in the check means we cannot vouch for the text.
        (check.join().unwrap_or(false), pretty)
    });
    valid.then_some(pretty)
}

/// Re-indents in one pass into buffers reserved generously (twice the
/// source, a line start per 8 bytes): pages reserved but never written
/// cost no memory, so the peak stays near the output size, where growing
/// a 75 MB buffer by copying would briefly hold 1.5 times it.
fn reindent_into_buffers(src: &str) -> Pretty {
    let mut out = Writer {
        text: String::with_capacity(2 * src.len() + 64),
        line_starts: Vec::with_capacity(src.len() / 8 + 1),
    };
    out.line_starts.push(0);
    reindent(src, &mut out);
    out.text.shrink_to_fit();
    out.line_starts.shrink_to_fit();
    Pretty {
        text: out.text,
        line_starts: out.line_starts,
    }
}

trait Sink {
    fn push(&mut self, s: &str);
    fn newline(&mut self, indent: usize);
}

struct Writer {
    text: String,
    line_starts: Vec<u32>,
}

const SPACES: &str = "                                                                ";

impl Sink for Writer {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn newline(&mut self, indent: usize) {
        self.text.push('\n');
        self.line_starts.push(self.text.len() as u32);
        let mut left = 2 * indent;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.text.push_str(&SPACES[..n]);
            left -= n;
        }
    }
}

/// Writes valid JSON `src` re-indented into `sink`.
fn reindent<S: Sink>(src: &str, sink: &mut S) {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                let start = i;
                i += 1;
                // Jump from one quote or backslash to the next.
                while let Some(j) = memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                    if bytes[i + j] == b'\\' {
                        i += j + 2;
                    } else {
                        i += j + 1;
                        break;
                    }
                    if i >= bytes.len() {
                        break;
                    }
                }
                let end = i.min(bytes.len());
                sink.push(&src[start..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = next_significant(bytes, i + 1);
                if next.map(|j| bytes[j]) == Some(close) {
                    sink.push(if b == b'{' { "{}" } else { "[]" });
                    i = next.map_or(bytes.len(), |j| j + 1);
                    continue;
                }
                sink.push(&src[i..i + 1]);
                depth += 1;
                sink.newline(depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                sink.newline(depth);
                sink.push(&src[i..i + 1]);
            }
            b',' => {
                sink.push(",");
                sink.newline(depth);
            }
            b':' => sink.push(": "),
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                // A number or keyword: copy the run up to the next
                // structural byte or whitespace.
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b',' | b':'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b'"'
                            | b' '
                            | b'\t'
                            | b'\n'
                            | b'\r'
                    )
                {
                    i += 1;
                }
                sink.push(&src[start..i]);
                continue;
            }
        }
        i += 1;
    }
}

fn next_significant(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&j| !matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r'))
}

/// Bodies bigger than this are shown as received rather than indented.
pub const MARKUP_FORMAT_LIMIT: usize = 16 * 1024 * 1024;

const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// HTML elements whose content is not markup and is kept as sent.
const RAW_TEXT_ELEMENTS: &[&str] = &["script", "style", "pre", "textarea"];

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Open {
        tag: &'a str,
        name: String,
    },
    Close {
        tag: &'a str,
    },
    /// Self-closing, void, comment, doctype, processing instruction, CDATA.
    Leaf(&'a str),
    Text(&'a str),
}

/// XML or HTML indented by two spaces per level: one tag per line, an
/// element holding only short text kept on one line. A simple indenter,
/// not a parser: mismatched tags only skew the indentation.
pub fn indent_markup(src: &str, html: bool) -> String {
    let tokens = tokenize_markup(src, html);
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    let mut depth = 0usize;
    let mut i = 0;
    let line = |out: &mut String, depth: usize, s: &str| {
        if !out.is_empty() {
            out.push('\n');
        }
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(s);
    };
    while i < tokens.len() {
        match &tokens[i] {
            Token::Open { tag, .. } => {
                // <a>short text</a> stays on one line.
                if let (Some(Token::Text(t)), Some(Token::Close { tag: close })) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if !t.contains('\n') && t.len() <= 80 {
                        line(&mut out, depth, &format!("{tag}{}{close}", t.trim()));
                        i += 3;
                        continue;
                    }
                }
                if let Some(Token::Close { tag: close }) = tokens.get(i + 1) {
                    line(&mut out, depth, &format!("{tag}{close}"));
                    i += 2;
                    continue;
                }
                line(&mut out, depth, tag);
                depth += 1;
            }
            Token::Close { tag } => {
                depth = depth.saturating_sub(1);
                line(&mut out, depth, tag);
            }
            Token::Leaf(tag) => line(&mut out, depth, tag),
            Token::Text(t) => {
                for l in t.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    line(&mut out, depth, l);
                }
            }
        }
        i += 1;
    }
    out.push('\n');
    out
}

fn tokenize_markup(src: &str, html: bool) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |j| i + j);
            let text = &src[i..end];
            if !text.trim().is_empty() {
                tokens.push(Token::Text(text));
            }
            i = end;
            continue;
        }
        let rest = &src[i..];
        let special = [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")];
        if let Some((_, close)) = special.iter().find(|(open, _)| rest.starts_with(open)) {
            let end = rest.find(close).map_or(src.len(), |j| i + j + close.len());
            tokens.push(Token::Leaf(&src[i..end]));
            i = end;
            continue;
        }
        let Some(end) = tag_end(bytes, i) else {
            // A `<` that opens nothing: the rest is text.
            tokens.push(Token::Text(&src[i..]));
            break;
        };
        let tag = &src[i..end];
        let name: String = tag
            .trim_start_matches(['<', '/', '!'])
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        i = end;
        if tag.starts_with("</") {
            tokens.push(Token::Close { tag });
        } else if tag.starts_with("<!")
            || tag.ends_with("/>")
            || (html && VOID_ELEMENTS.contains(&name.as_str()))
        {
            tokens.push(Token::Leaf(tag));
        } else if html && RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
            // Keep the content as sent, up to the closing tag.
            let lower_rest = src[i..].to_ascii_lowercase();
            let close = format!("</{name}");
            let content_end = lower_rest.find(&close).map_or(src.len(), |j| i + j);
            let close_end = tag_end(bytes, content_end).unwrap_or(src.len());
            tokens.push(Token::Leaf(&src[i - tag.len()..close_end]));
            i = close_end;
        } else {
            tokens.push(Token::Open { tag, name });
        }
    }
    tokens
}

/// End (exclusive) of the tag starting at `start`, skipping `>` in quotes.
fn tag_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut quote = None;
    for (j, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(j + 1),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(src: &str) -> String {
        pretty_json(src).unwrap().text
    }

    #[test]
    fn json_matches_serde_pretty_and_keeps_key_order() {
        let src = r#"{"z":1,"a":{"y":[1,2,{"k":null}],"e":{},"f":[ ]},"b":"x,y:{}[]\"","t":true}"#;
        let value: serde_json::Value = serde_json::from_str(src).unwrap();
        assert_eq!(pretty(src), serde_json::to_string_pretty(&value).unwrap());
        assert!(pretty(src).starts_with("{\n  \"z\": 1,\n  \"a\": {"));
    }

    #[test]
    fn json_line_starts_are_recorded() {
        let p = pretty_json("[1,[2]]").unwrap();
        assert_eq!(p.text, "[\n  1,\n  [\n    2\n  ]\n]");
        let idx = crate::tui::highlight::LineIndex::new(&p.text);
        let lines: Vec<usize> = (0..idx.line_count()).map(|i| idx.line_start(i)).collect();
        let recorded: Vec<usize> = p.line_starts.iter().map(|&s| s as usize).collect();
        assert_eq!(recorded, lines);
    }

    #[test]
    fn json_keeps_numbers_and_escapes_as_sent() {
        assert_eq!(
            pretty(r#"{"n":1.0e2,"s":"\u00e9"}"#),
            "{\n  \"n\": 1.0e2,\n  \"s\": \"\\u00e9\"\n}"
        );
        assert_eq!(pretty(" 42 "), "42");
    }

    #[test]
    fn invalid_json_is_not_formatted() {
        assert!(pretty_json("{\"a\":").is_none());
        assert!(pretty_json("{} x").is_none());
        assert!(pretty_json("").is_none());
    }

    #[test]
    fn xml_is_indented_with_short_text_inline() {
        let src =
            "<?xml version=\"1.0\"?><a x=\"1>2\"><b>hi</b><c/><d><e></e></d><!-- note --></a>";
        assert_eq!(
            indent_markup(src, false),
            "<?xml version=\"1.0\"?>\n<a x=\"1>2\">\n  <b>hi</b>\n  <c/>\n  <d>\n    <e></e>\n  </d>\n  <!-- note -->\n</a>\n"
        );
    }

    #[test]
    fn html_void_and_raw_text_elements() {
        let src = "<!DOCTYPE html><html><head><meta charset=utf-8><script>if (a<b) { x() }</script></head><body><br><p>text</p></body></html>";
        assert_eq!(
            indent_markup(src, true),
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=utf-8>\n    <script>if (a<b) { x() }</script>\n  </head>\n  <body>\n    <br>\n    <p>text</p>\n  </body>\n</html>\n"
        );
    }

    #[test]
    fn broken_markup_still_formats() {
        let out = indent_markup("</x></y><a><b>text <c", false);
        assert_eq!(out, "</x>\n</y>\n<a>\n  <b>\n    text\n    <c\n");
        assert_eq!(indent_markup("", false), "\n");
    }

    #[test]
    fn kinds_by_content_type_then_sniffing() {
        let t = |ct: Option<&str>, body: &[u8]| classify(ct, body);
        assert_eq!(
            t(Some("application/json; charset=utf-8"), b"{}"),
            BodyKind::Text(Language::Json)
        );
        assert_eq!(
            t(Some("application/problem+json"), b"{}"),
            BodyKind::Text(Language::Json)
        );
        assert_eq!(t(Some("text/html"), b"<p>"), BodyKind::Text(Language::Html));
        assert_eq!(
            t(Some("application/atom+xml"), b"<a/>"),
            BodyKind::Text(Language::Xml)
        );
        assert_eq!(
            t(Some("image/svg+xml"), b"<svg/>"),
            BodyKind::Text(Language::Xml)
        );
        assert_eq!(t(Some("text/css"), b"a{}"), BodyKind::Text(Language::Css));
        assert_eq!(
            t(Some("application/yaml"), b"a: 1"),
            BodyKind::Text(Language::Yaml)
        );
        assert_eq!(
            t(Some("text/javascript"), b"x()"),
            BodyKind::Text(Language::JavaScript)
        );
        assert_eq!(
            t(Some("text/plain"), b" [1]"),
            BodyKind::Text(Language::Json)
        );
        assert_eq!(t(None, b"<!DOCTYPE html>"), BodyKind::Text(Language::Html));
        assert_eq!(t(None, b"hello"), BodyKind::Text(Language::Plain));
        assert_eq!(t(Some("image/png"), b"\x89PNG"), BodyKind::Binary);
        assert_eq!(t(Some("text/plain"), b"a\0b"), BodyKind::Binary);
        assert_eq!(t(None, b"caf\xe9 latin-1"), BodyKind::Text(Language::Plain));
    }
}
