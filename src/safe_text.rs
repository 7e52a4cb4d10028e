//! Untrusted text made safe to show: control and escape sequences are
//! escaped so they never reach the terminal, and invisible formatting
//! characters (bidi overrides, zero-width characters) are shown by name.

use std::fmt::Write as _;

/// Characters that change how text displays without being seen: bidi
/// controls (Trojan Source), zero-width characters, the BOM and the like.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{061C}'                    // Arabic letter mark
        | '\u{180E}'                    // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space/joiners, LRM, RLM
        | '\u{2028}'..='\u{202E}'       // line/para separators, bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'       // bidi isolates, deprecated format chars
        | '\u{FEFF}'                    // BOM / zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotations
        | '\u{E0000}'..='\u{E007F}'     // tag characters
        // Default-ignorable ones that draw as nothing (a Hangul filler
        // makes an invisible name); after a letter they join its grapheme,
        // so ratatui would hand them to the terminal.
        | '\u{034F}'                    // combining grapheme joiner
        | '\u{115F}' | '\u{1160}'       // Hangul choseong/jungseong fillers
        | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
        | '\u{180B}'..='\u{180D}'       // Mongolian free variation selectors
        | '\u{180F}'
        | '\u{3164}'                    // Hangul filler
        | '\u{FFA0}'                    // halfwidth Hangul filler
        | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}'     // musical format controls
    )
}

/// How one character is shown: `None` means as itself.
pub fn escape_char(c: char, keep_newlines: bool) -> Option<String> {
    match c {
        '\n' if keep_newlines => None,
        '\t' if keep_newlines => None,
        '\n' => Some("\\n".into()),
        '\t' => Some("\\t".into()),
        '\r' => Some("\\r".into()),
        '\u{1b}' => Some("\\e".into()),
        // C1 controls are two bytes in UTF-8: named like the invisible
        // characters, so U+009B never looks like the invalid byte `\x9b`.
        '\u{80}'..='\u{9f}' => Some(format!("<U+{:04X}>", c as u32)),
        c if c.is_control() => Some(format!("\\x{:02x}", c as u32)),
        c if is_invisible_format(c) => Some(format!("<U+{:04X}>", c as u32)),
        _ => None,
    }
}

/// `s` with every control character escaped (`\e`, `\r`, `\x07`, C1 ones
/// named: `<U+009B>`) and every invisible formatting character named
/// (`<U+202E>`). Newlines and tabs are kept when `keep_newlines`, escaped
/// otherwise (e.g. in a header value).
pub fn escape(s: &str, keep_newlines: bool) -> String {
    if !s.chars().any(|c| escape_char(c, keep_newlines).is_some()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match escape_char(c, keep_newlines) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    out
}

/// Bytes that may not be UTF-8 (a header value, a body): valid UTF-8 runs
/// are escaped as in [`escape`], invalid bytes shown as `\xNN`.
pub fn escape_bytes(bytes: &[u8], keep_newlines: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&escape(chunk.valid(), keep_newlines));
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Streams bytes to a terminal safely: like [`escape_bytes`] with newlines
/// kept, holding back an incomplete UTF-8 sequence at a chunk's end until
/// the next chunk completes it.
pub struct SafeWriter<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> SafeWriter<W> {
    pub fn new(inner: W) -> Self {
        SafeWriter {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        // Keep up to 3 trailing bytes that could start a valid sequence.
        let keep = incomplete_tail(&self.pending);
        let ready_len = self.pending.len() - keep;
        let text = escape_bytes(&self.pending[..ready_len], true);
        self.inner.write_all(text.as_bytes())?;
        self.pending.drain(..ready_len);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let text = escape_bytes(&self.pending, true);
            self.inner.write_all(text.as_bytes())?;
            self.pending.clear();
        }
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

/// Length of a trailing, possibly incomplete UTF-8 sequence.
fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let byte = b[b.len() - back];
        if byte & 0xC0 == 0x80 {
            continue; // continuation byte: look further back
        }
        let need = match byte {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return 0,
        };
        return if need > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn escape_sequences_never_pass_through() {
        let hostile = "ok\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\r";
        assert_eq!(escape(hostile, true), "ok\\e]52;c;ZXZpbA==\\x07\\e[2J\\r");
    }

    #[test]
    fn invisible_formatting_is_named() {
        assert_eq!(escape("a\u{202E}b\u{200B}", true), "a<U+202E>b<U+200B>");
        assert_eq!(escape("x\ny", false), "x\\ny");
        assert_eq!(escape("x\ny", true), "x\ny");
    }

    #[test]
    fn fillers_that_draw_as_nothing_are_named() {
        assert_eq!(escape("a\u{3164}b\u{34f}", true), "a<U+3164>b<U+034F>");
    }

    #[test]
    fn invalid_utf8_is_shown_as_hex() {
        assert_eq!(escape_bytes(b"caf\xe9 \xff", true), "caf\\xe9 \\xff");
    }

    #[test]
    fn the_stream_writer_keeps_split_characters_whole() {
        let mut out = Vec::new();
        {
            let mut w = SafeWriter::new(&mut out);
            let s = "é€\u{1b}".as_bytes();
            for b in s {
                w.write_all(&[*b]).unwrap();
            }
        }
        assert_eq!(String::from_utf8(out).unwrap(), "é€\\e");
    }

    #[test]
    fn c1_controls_are_escaped_too() {
        assert_eq!(escape("\u{9b}31m", true), "<U+009B>31m");
        assert_eq!(escape("\u{85}", true), "<U+0085>");
    }

    #[test]
    fn the_c1_character_and_the_raw_byte_look_different() {
        // U+009B is two bytes in UTF-8 (c2 9b); 0x9b alone is not UTF-8.
        let shown = escape_bytes(b"\xc2\x9b \x9b", true);
        assert_eq!(shown, "<U+009B> \\x9b");
        // C0 controls are one byte either way, so `\xNN` is exact for them.
        assert_eq!(escape("\u{7}", true), "\\x07");
    }
}
