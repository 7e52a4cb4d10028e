//! Untrusted text (response bodies, headers, file names) as ratatui spans:
//! control characters and escape sequences are shown escaped (`\e`,
//! `\x07`), invisible formatting characters by name (`<U+202E>`), and
//! invalid UTF-8 as `\xNN`, styled apart so they stand out. Nothing from the
//! input can reach the terminal as a control sequence.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::safe_text::escape_char;

/// One line of untrusted text (no newline handling: `\n` is escaped).
pub fn safe_line<'a>(text: &str, style: Style, escaped: Style) -> Line<'a> {
    Line::from(safe_spans(text, style, escaped))
}

/// Spans for `text`, splitting out escaped characters into `escaped` style.
/// Tabs become spaces so columns stay predictable.
pub fn safe_spans<'a>(text: &str, style: Style, escaped: Style) -> Vec<Span<'a>> {
    let mut spans: Vec<Span<'a>> = (safe_pieces(text).into_iter())
        .map(|(t, e)| Span::styled(t, if e { escaped } else { style }))
        .collect();
    if spans.is_empty() {
        spans.push(Span::styled(String::new(), style));
    }
    spans
}

/// `text` as pieces, each `(text, escaped)`: plain runs, and each unsafe
/// character escaped on its own. Tabs become four spaces.
pub fn safe_pieces(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\t' {
            plain.push_str("    ");
            continue;
        }
        match escape_char(c, false) {
            Some(e) => {
                if !plain.is_empty() {
                    out.push((std::mem::take(&mut plain), false));
                }
                out.push((e, true));
            }
            None => plain.push(c),
        }
    }
    if !plain.is_empty() {
        out.push((plain, false));
    }
    out
}

/// Spans for bytes that may not be UTF-8 (header values).
pub fn safe_byte_spans<'a>(bytes: &[u8], style: Style, escaped: Style) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    for chunk in bytes.utf8_chunks() {
        if !chunk.valid().is_empty() {
            spans.extend(safe_spans(chunk.valid(), style, escaped));
        }
        for b in chunk.invalid() {
            spans.push(Span::styled(format!("\\x{b:02x}"), escaped));
        }
    }
    if spans.is_empty() {
        spans.push(Span::styled(String::new(), style));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn escapes_and_bidi_are_visible_never_raw() {
        let s = safe_spans("a\u{1b}[31mb\u{202e}c", Style::default(), Style::default());
        assert_eq!(text(&s), "a\\e[31mb<U+202E>c");
        assert!(!text(&s).contains('\u{1b}'));
    }

    #[test]
    fn a_c1_character_and_an_invalid_byte_are_told_apart() {
        let s = safe_byte_spans(b"\xc2\x9b|\x9b", Style::default(), Style::default());
        assert_eq!(text(&s), "<U+009B>|\\x9b");
    }

    #[test]
    fn invalid_utf8_is_shown_not_blanked() {
        let s = safe_byte_spans(b"caf\xe9", Style::default(), Style::default());
        assert_eq!(text(&s), "caf\\xe9");
    }
}
