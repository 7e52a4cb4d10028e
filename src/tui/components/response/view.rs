//! A scrolling view over one big text: where the screen starts, how lines
//! wrap, and the rows of the current screen (highlighted, escaped, with
//! search marks), computed when state changes so drawing only reads them.
//!
//! Nothing here walks the whole text: moving is O(rows moved), building a
//! screen is O(what is on it) plus the highlighter's catch-up.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

use ratatui::style::Style;
use unicode_width::UnicodeWidthChar;

use super::format::json_lines::JsonLines;
use super::search::{self, Haystack, Search};
use crate::safe_text::escape_char;
use crate::tui::highlight::{Highlighter, LineIndex, LineStyles};

/// Invalid UTF-8 bytes of a non-UTF-8 body are mapped to these private-use
/// characters (`BYTE_BASE + byte`) so the body can be held as a `String`;
/// they are drawn as `\xNN`.
pub const BYTE_BASE: u32 = 0x10_FF00;

/// `bytes` as a `String`, valid UTF-8 kept and each invalid byte mapped
/// into the private-use range above.
pub fn map_invalid_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.push(char::from_u32(BYTE_BASE + u32::from(b)).unwrap_or('\u{FFFD}'));
        }
    }
    out
}

/// How one character shows: as itself (`None`) or as an escape.
fn shown_as(c: char) -> Option<String> {
    let code = c as u32;
    if (BYTE_BASE..=BYTE_BASE + 0xff).contains(&code) {
        return Some(format!("\\x{:02x}", code - BYTE_BASE));
    }
    if c == '\t' {
        return None;
    }
    escape_char(c, false)
}

/// Columns a character takes on screen.
fn char_width(c: char) -> usize {
    if c == '\t' {
        return 4;
    }
    match shown_as(c) {
        Some(e) => e.len(),
        None => c.width().unwrap_or(0),
    }
}

/// Offsets into a document drawn from an index are `line << LINE_SHIFT`
/// plus the byte within the line (there is no text to point into). They
/// sort like text offsets and keep a line's bytes contiguous, which is all
/// search and the view ask of offsets. Needs a 64-bit `usize` (the body
/// only builds such documents there).
const LINE_SHIFT: u32 = 32;

/// Where a document's lines come from.
#[derive(Debug)]
pub enum Lines {
    /// The lines of the text shown.
    Text(LineIndex),
    /// The lines of pretty JSON, drawn from the raw text (big bodies).
    PrettyJson(JsonLines),
}

/// A text's lines and colours. `simple` texts are printable ASCII and
/// newlines only, so a byte is a column (the fast path for big bodies).
#[derive(Debug)]
pub struct Document {
    pub lines: Lines,
    pub simple: bool,
    pub highlighter: Highlighter,
    /// Columns of the widest line, measured the first time a view scrolls
    /// sideways (a walk over the whole text, so not before).
    widest: OnceLock<usize>,
    /// The last line whose length was asked for, and its length.
    last_len: Mutex<Option<(usize, usize)>>,
}

impl Document {
    /// A document for formatted JSON: printable ASCII exactly when the
    /// source was ASCII (formatting drops the only control bytes valid
    /// JSON may hold, whitespace between tokens), so no scan is needed.
    pub fn formatted_json(
        index: LineIndex,
        source_is_ascii: bool,
        highlighter: Highlighter,
    ) -> Document {
        Document {
            lines: Lines::Text(index),
            simple: source_is_ascii,
            highlighter,
            widest: OnceLock::new(),
            last_len: Mutex::new(None),
        }
    }

    /// Pretty JSON drawn line by line from the raw text it indexes (which
    /// is then the text every method takes).
    pub fn pretty_json(lines: JsonLines, highlighter: Highlighter) -> Document {
        Document {
            simple: lines.is_ascii(),
            lines: Lines::PrettyJson(lines),
            highlighter,
            widest: OnceLock::new(),
            last_len: Mutex::new(None),
        }
    }

    pub fn new(text: &str, index: LineIndex, highlighter: Highlighter) -> Document {
        // `is_ascii` is vectorised; the control check runs only on ASCII.
        let simple = text.is_ascii()
            && !text
                .as_bytes()
                .iter()
                .any(|&b| (b < 0x20 && b != b'\n') || b == 0x7f);
        Document {
            lines: Lines::Text(index),
            simple,
            highlighter,
            widest: OnceLock::new(),
            last_len: Mutex::new(None),
        }
    }

    /// Whether the lines are drawn from the raw text (no text of its own).
    pub fn reads_raw(&self) -> bool {
        matches!(self.lines, Lines::PrettyJson(_))
    }

    pub fn line_count(&self) -> usize {
        match &self.lines {
            Lines::Text(index) => index.line_count(),
            Lines::PrettyJson(lines) => lines.line_count(),
        }
    }

    /// The offset of line `i`'s first byte.
    pub fn line_start(&self, i: usize) -> usize {
        match &self.lines {
            Lines::Text(index) => index.line_start(i),
            Lines::PrettyJson(lines) => i.min(lines.line_count()) << LINE_SHIFT,
        }
    }

    /// The line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match &self.lines {
            Lines::Text(index) => index.line_of(offset),
            Lines::PrettyJson(lines) => {
                (offset >> LINE_SHIFT).min(lines.line_count().saturating_sub(1))
            }
        }
    }

    /// One past the last offset.
    pub fn end(&self, text: &str) -> usize {
        match &self.lines {
            Lines::Text(_) => text.len(),
            Lines::PrettyJson(lines) => lines.line_count() << LINE_SHIFT,
        }
    }

    /// Line `i` as shown (without its line ending), and the offset of its
    /// first byte. Every reader of the shown document goes through this.
    pub fn line<'t>(&self, text: &'t str, i: usize) -> (usize, Cow<'t, str>) {
        match &self.lines {
            Lines::Text(index) => {
                let r = index.line_range(text, i);
                (r.start, Cow::Borrowed(&text[r]))
            }
            Lines::PrettyJson(lines) => (self.line_start(i), Cow::Owned(lines.line(text, i))),
        }
    }

    /// Bytes of line `i` as shown. Scrolling asks this of one line many
    /// times over: a built line's is remembered.
    fn line_len(&self, text: &str, i: usize) -> usize {
        match &self.lines {
            Lines::Text(index) => index.line_range(text, i).len(),
            Lines::PrettyJson(lines) => {
                let Ok(mut last) = self.last_len.lock() else {
                    return lines.line_len(text, i);
                };
                match *last {
                    Some((line, len)) if line == i => len,
                    _ => {
                        let len = lines.line_len(text, i);
                        *last = Some((i, len));
                        len
                    }
                }
            }
        }
    }

    /// Calls `f` with every line in order, reusing one buffer for lines
    /// that are built (a walk over 3M lines allocates once).
    fn for_each_line(&self, text: &str, mut f: impl FnMut(&str) -> bool) {
        match &self.lines {
            Lines::Text(index) => {
                for i in 0..index.line_count() {
                    if !f(&text[index.line_range(text, i)]) {
                        return;
                    }
                }
            }
            Lines::PrettyJson(lines) => {
                let mut buf = String::new();
                for i in 0..lines.line_count() {
                    buf.clear();
                    lines.write_line(text, i, &mut buf);
                    if !f(&buf) {
                        return;
                    }
                }
            }
        }
    }

    /// Colours of lines `range`, whose text is `shown`.
    fn highlight(
        &mut self,
        text: &str,
        range: Range<usize>,
        shown: &[(usize, Cow<'_, str>)],
    ) -> Vec<LineStyles> {
        match &self.lines {
            Lines::Text(index) => self.highlighter.highlight(text, index, range),
            Lines::PrettyJson(_) => {
                let lines: Vec<&str> = shown.iter().map(|(_, l)| l.as_ref()).collect();
                self.highlighter.highlight_lines(&lines)
            }
        }
    }

    /// Columns of the widest line, as drawn (escapes at their shown width).
    pub fn widest(&self, text: &str) -> usize {
        *self.widest.get_or_init(|| {
            // A byte is a column: count lines drawn from the raw text
            // without writing them.
            if let (Lines::PrettyJson(lines), true) = (&self.lines, self.simple) {
                return (0..lines.line_count())
                    .map(|i| lines.line_len(text, i))
                    .max()
                    .unwrap_or(0);
            }
            let mut widest = 0;
            self.for_each_line(text, |line| {
                let width = if self.simple {
                    line.len()
                } else {
                    line.chars().map(char_width).sum()
                };
                widest = widest.max(width);
                true
            });
            widest
        })
    }

    /// The text shown, if it takes at most `limit` bytes; else `Err` with
    /// its size (for copying, and keeping as an example).
    pub fn text_within<'t>(&self, text: &'t str, limit: usize) -> Result<Cow<'t, str>, usize> {
        if let Lines::Text(_) = self.lines {
            return if text.len() <= limit {
                Ok(Cow::Borrowed(text))
            } else {
                Err(text.len())
            };
        }
        let mut out = String::new();
        let mut size = 0usize;
        self.for_each_line(text, |line| {
            let newline = usize::from(size > 0);
            size += newline + line.len();
            if size <= limit {
                out.push_str(&"\n"[..newline]);
                out.push_str(line);
            }
            true
        });
        if size <= limit {
            Ok(Cow::Owned(out))
        } else {
            Err(size)
        }
    }

    /// Rows `line` takes when wrapped at `width` columns.
    fn rows_of(&self, line: &str, width: usize) -> usize {
        if self.simple {
            return line.len().div_ceil(width).max(1);
        }
        let mut rows = 0;
        for_each_wrapped_row(line, width, |_| {
            rows += 1;
            true
        });
        rows.max(1)
    }

    /// Bytes of wrapped row `k` of `line`.
    fn wrapped_row(&self, line: &str, width: usize, k: usize) -> Range<usize> {
        if self.simple {
            let a = (k * width).min(line.len());
            return a..(a + width).min(line.len());
        }
        let mut found = line.len()..line.len();
        let mut n = 0;
        for_each_wrapped_row(line, width, |r| {
            if n == k {
                found = r;
                return false;
            }
            n += 1;
            true
        });
        found
    }

    /// Which wrapped row of its line `offset` is on, and its column (for
    /// horizontal scrolling when not wrapping).
    fn place_of(&self, text: &str, line: usize, offset: usize, width: usize) -> (usize, usize) {
        let (start, l) = self.line(text, line);
        let within = offset.saturating_sub(start).min(l.len());
        if self.simple {
            return (within / width.max(1), within);
        }
        let col = l[..floor_boundary(&l, within)]
            .chars()
            .map(char_width)
            .sum();
        let mut row = 0;
        let mut n = 0;
        for_each_wrapped_row(&l, width.max(1), |r| {
            row = n;
            n += 1;
            r.end <= within
        });
        (row, col)
    }

    /// Bytes of `line` covering columns `from..from + cols` (no wrap); a
    /// character belongs to the window it starts in.
    fn window(&self, line: &str, from: usize, cols: usize) -> Range<usize> {
        if self.simple {
            let a = from.min(line.len());
            return a..(from + cols).min(line.len());
        }
        let mut col = 0;
        let mut start = None;
        for (i, c) in line.char_indices() {
            if start.is_none() && col >= from {
                start = Some(i);
            }
            if col >= from + cols {
                return start.unwrap_or(i)..i;
            }
            col += char_width(c);
        }
        start.unwrap_or(line.len())..line.len()
    }
}

/// The document on screen with the text it reads: what a search scans.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub text: &'a str,
    pub doc: &'a Document,
}

impl Haystack for Shown<'_> {
    fn end(&self) -> usize {
        self.doc.end(self.text)
    }

    fn scan(
        &self,
        needle: &[u8],
        from: usize,
        found: &mut dyn FnMut(usize) -> bool,
    ) -> Option<usize> {
        let Lines::PrettyJson(lines) = &self.doc.lines else {
            return self.text.as_bytes().scan(needle, from, found);
        };
        // Line by line, as drawn: a match may take in the indent or the
        // space after a colon, like one in the pretty text would.
        let mut line = from >> LINE_SHIFT;
        let mut col = from - (line << LINE_SHIFT);
        let mut left = search::SLICE;
        let mut buf = String::new();
        while line < lines.line_count() && left > 0 {
            buf.clear();
            lines.write_line(self.text, line, &mut buf);
            let base = line << LINE_SHIFT;
            search::find_in(buf.as_bytes(), needle, col, buf.len(), &mut |m| {
                found(base + m)
            })?;
            left = left.saturating_sub(buf.len() + 1);
            line += 1;
            col = 0;
        }
        Some(line << LINE_SHIFT)
    }
}

/// Greedy wrap at `width` columns: calls `row` with each row's bytes until
/// it returns false. A character wider than a row gets a row of its own, so
/// an escape like `<U+202E>` is never split.
fn for_each_wrapped_row(line: &str, width: usize, mut row: impl FnMut(Range<usize>) -> bool) {
    let mut start = 0;
    let mut col = 0;
    for (i, c) in line.char_indices() {
        let w = char_width(c);
        if col + w > width && col > 0 {
            if !row(start..i) {
                return;
            }
            start = i;
            col = 0;
        }
        col += w;
    }
    row(start..line.len());
}

/// The first row on screen: a line, and which of its wrapped rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub sub: usize,
}

/// How a piece of a row is marked by search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    Match,
    Current,
}

/// One piece of a row: text safe to draw, its syntax style, whether it is
/// an escape (`\e`, `\xff`) and its search mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub style: Style,
    pub escaped: bool,
    pub mark: Mark,
}

pub type Row = Vec<Piece>;

/// Scroll state and the rows of the current screen.
#[derive(Debug, Default)]
pub struct View {
    pub top: Position,
    pub hscroll: usize,
    pub wrap: bool,
    pub width: usize,
    pub height: usize,
    pub rows: Vec<Row>,
}

impl View {
    fn rows_in(&self, doc: &Document, text: &str, line: usize) -> usize {
        if !self.wrap || self.width == 0 {
            return 1;
        }
        if doc.simple {
            return doc.line_len(text, line).div_ceil(self.width).max(1);
        }
        doc.rows_of(&doc.line(text, line).1, self.width)
    }

    /// Rows a line reading `content` takes.
    fn rows_of(&self, doc: &Document, content: &str) -> usize {
        if !self.wrap || self.width == 0 {
            return 1;
        }
        doc.rows_of(content, self.width)
    }

    /// The next row position, if any.
    fn step_down(&self, doc: &Document, text: &str, p: Position) -> Option<Position> {
        if p.sub + 1 < self.rows_in(doc, text, p.line) {
            Some(Position {
                line: p.line,
                sub: p.sub + 1,
            })
        } else if p.line + 1 < doc.line_count() {
            Some(Position {
                line: p.line + 1,
                sub: 0,
            })
        } else {
            None
        }
    }

    fn step_up(&self, doc: &Document, text: &str, p: Position) -> Option<Position> {
        if p.sub > 0 {
            Some(Position {
                line: p.line,
                sub: p.sub - 1,
            })
        } else if p.line > 0 {
            let line = p.line - 1;
            Some(Position {
                line,
                sub: self.rows_in(doc, text, line) - 1,
            })
        } else {
            None
        }
    }

    /// The top position that puts the last row at the bottom of the screen.
    fn last_top(&self, doc: &Document, text: &str) -> Position {
        let last = doc.line_count().saturating_sub(1);
        let mut p = Position {
            line: last,
            sub: self.rows_in(doc, text, last) - 1,
        };
        for _ in 1..self.height.max(1) {
            match self.step_up(doc, text, p) {
                Some(q) => p = q,
                None => break,
            }
        }
        p
    }

    pub fn scroll_down(&mut self, doc: &Document, text: &str, n: usize) {
        let limit = self.last_top(doc, text);
        for _ in 0..n {
            if self.top >= limit {
                break;
            }
            match self.step_down(doc, text, self.top) {
                Some(p) => self.top = p,
                None => break,
            }
        }
    }

    pub fn scroll_up(&mut self, doc: &Document, text: &str, n: usize) {
        for _ in 0..n {
            match self.step_up(doc, text, self.top) {
                Some(p) => self.top = p,
                None => break,
            }
        }
    }

    pub fn to_top(&mut self) {
        self.top = Position::default();
        self.hscroll = 0;
    }

    pub fn to_bottom(&mut self, doc: &Document, text: &str) {
        self.top = self.last_top(doc, text);
    }

    /// Scrolls right, no further than puts the end of the widest line at
    /// the right edge.
    pub fn scroll_right(&mut self, doc: &Document, text: &str, cols: usize) {
        self.hscroll = (self.hscroll + cols).min(self.max_hscroll(doc, text));
    }

    /// The furthest sideways scroll that still shows content.
    fn max_hscroll(&self, doc: &Document, text: &str) -> usize {
        if self.wrap {
            return 0;
        }
        doc.widest(text).saturating_sub(self.width)
    }

    pub fn scroll_left(&mut self, cols: usize) {
        self.hscroll = self.hscroll.saturating_sub(cols);
    }

    pub fn set_wrap(&mut self, wrap: bool) {
        self.wrap = wrap;
        self.top.sub = 0;
        self.hscroll = 0;
    }

    /// Keeps the top valid after the width or the wrap changed.
    pub fn clamp(&mut self, doc: &Document, text: &str) {
        let count = doc.line_count();
        if self.top.line >= count {
            self.top = Position {
                line: count.saturating_sub(1),
                sub: 0,
            };
        }
        let rows = self.rows_in(doc, text, self.top.line);
        self.top.sub = self.top.sub.min(rows - 1);
        let limit = self.last_top(doc, text);
        if self.top > limit {
            self.top = limit;
        }
        // Only measured when scrolled: at 0 there is nothing to clamp.
        if self.hscroll > 0 {
            self.hscroll = self.hscroll.min(self.max_hscroll(doc, text));
        }
    }

    /// Scrolls so byte `offset` is on screen, a third of the way down if it
    /// was off it.
    pub fn reveal(&mut self, doc: &Document, text: &str, offset: usize) {
        let line = doc.line_of(offset);
        let (row, col) = doc.place_of(text, line, offset, self.width);
        let target = Position {
            line,
            sub: if self.wrap { row } else { 0 },
        };
        if !self.is_visible(doc, text, target) {
            self.top = target;
            self.scroll_up(doc, text, self.height / 3);
            self.clamp(doc, text);
        }
        if !self.wrap && (col < self.hscroll || col >= self.hscroll + self.width) {
            self.hscroll = col
                .saturating_sub(self.width / 4)
                .min(self.max_hscroll(doc, text));
        }
    }

    fn is_visible(&self, doc: &Document, text: &str, target: Position) -> bool {
        let mut p = self.top;
        for _ in 0..self.height {
            if p == target {
                return true;
            }
            match self.step_down(doc, text, p) {
                Some(q) => p = q,
                None => return false,
            }
        }
        false
    }

    /// Rebuilds the rows of the current screen.
    pub fn refresh(&mut self, doc: &mut Document, text: &str, search: Option<&Search>) {
        self.rows.clear();
        if self.width == 0 || self.height == 0 {
            return;
        }
        let count = doc.line_count();
        let first = self.top.line.min(count.saturating_sub(1));
        let last = (first + self.height).min(count);
        let lines: Vec<(usize, Cow<'_, str>)> = (first..last).map(|i| doc.line(text, i)).collect();
        let styles = doc.highlight(text, first..last, &lines);
        let mut sub = self.top.sub;
        for ((start, content), line_styles) in lines.iter().zip(styles) {
            let rows = self.rows_of(doc, content);
            while sub < rows && self.rows.len() < self.height {
                let window = if self.wrap {
                    doc.wrapped_row(content, self.width, sub)
                } else {
                    doc.window(content, self.hscroll, self.width)
                };
                self.rows
                    .push(build_row(content, *start, window, &line_styles, search));
                sub += 1;
            }
            sub = 0;
            if self.rows.len() >= self.height {
                break;
            }
        }
    }
}

/// One screen row: the bytes `window` of `line` (which starts at byte
/// `line_start` of the text), cut where colours or search marks change.
fn build_row(
    line: &str,
    line_start: usize,
    window: Range<usize>,
    styles: &LineStyles,
    search: Option<&Search>,
) -> Row {
    // Every offset (within the line) where the look may change.
    let mut cuts = vec![window.start, window.end];
    for (r, _) in styles {
        cuts.extend([r.start, r.end]);
    }
    let mut marks: Vec<(Range<usize>, Mark)> = Vec::new();
    if let Some(s) = search {
        let abs = line_start + window.start..line_start + window.end;
        let current = s.current_offset();
        for i in s.matches_in(abs) {
            let m = s.matches[i];
            let r = m.saturating_sub(line_start)..(m + s.needle_len()).saturating_sub(line_start);
            let mark = if Some(m) == current {
                Mark::Current
            } else {
                Mark::Match
            };
            cuts.extend([r.start, r.end]);
            marks.push((r, mark));
        }
    }
    cuts.retain(|c| window.contains(c) || *c == window.end);
    cuts.sort_unstable();
    cuts.dedup();
    let mut row = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // Cuts may fall inside a character (a match found by bytes); snap
        // to boundaries so slicing never panics.
        let (a, b) = (floor_boundary(line, a), floor_boundary(line, b));
        if a >= b {
            continue;
        }
        let style = styles
            .iter()
            .find(|(r, _)| r.start <= a && a < r.end)
            .map_or(Style::default(), |(_, s)| *s);
        let mark = marks
            .iter()
            .find(|(r, _)| r.start <= a && a < r.end)
            .map_or(Mark::None, |(_, m)| *m);
        push_escaped(&mut row, &line[a..b], style, mark);
    }
    row
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Appends `text` to `row`, escapes split out so they can be styled apart.
fn push_escaped(row: &mut Row, text: &str, style: Style, mark: Mark) {
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\t' {
            plain.push_str("    ");
            continue;
        }
        match shown_as(c) {
            Some(e) => {
                if !plain.is_empty() {
                    row.push(piece(std::mem::take(&mut plain), style, false, mark));
                }
                row.push(piece(e, style, true, mark));
            }
            None => plain.push(c),
        }
    }
    if !plain.is_empty() {
        row.push(piece(plain, style, false, mark));
    }
}

fn piece(text: String, style: Style, escaped: bool, mark: Mark) -> Piece {
    Piece {
        text,
        style,
        escaped,
        mark,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new(text, LineIndex::new(text), Highlighter::plain())
    }

    fn row_text(row: &Row) -> String {
        row.iter().map(|p| p.text.as_str()).collect()
    }

    fn screen(view: &View) -> Vec<String> {
        view.rows.iter().map(row_text).collect()
    }

    fn view(width: usize, height: usize, wrap: bool) -> View {
        View {
            width,
            height,
            wrap,
            ..View::default()
        }
    }

    #[test]
    fn wrapping_cuts_long_lines_into_rows() {
        let text = "abcdefghij\nxy\n";
        let mut d = doc(text);
        let mut v = view(4, 5, true);
        v.refresh(&mut d, text, None);
        assert_eq!(screen(&v), ["abcd", "efgh", "ij", "xy"]);
        v.height = 2;
        v.scroll_down(&d, text, 10);
        assert_eq!(v.top, Position { line: 0, sub: 2 });
        v.refresh(&mut d, text, None);
        assert_eq!(screen(&v), ["ij", "xy"]);
    }

    #[test]
    fn horizontal_scroll_without_wrap() {
        let text = "0123456789\nab";
        let mut d = doc(text);
        let mut v = view(4, 5, false);
        v.scroll_right(&d, text, 3);
        v.refresh(&mut d, text, None);
        assert_eq!(screen(&v), ["3456", ""]);
    }

    #[test]
    fn horizontal_scroll_stops_at_the_widest_line() {
        let text = "0123456789\nab";
        let mut d = doc(text);
        let mut v = view(4, 5, false);
        for _ in 0..10 {
            v.scroll_right(&d, text, 3);
        }
        assert_eq!(v.hscroll, 6);
        v.refresh(&mut d, text, None);
        assert_eq!(screen(&v), ["6789", ""]);
        // Wider: less to scroll; wrapped: none.
        v.width = 8;
        v.clamp(&d, text);
        assert_eq!(v.hscroll, 2);
        v.wrap = true;
        v.clamp(&d, text);
        assert_eq!(v.hscroll, 0);
    }

    #[test]
    fn the_widest_line_counts_escapes_at_their_shown_width() {
        let text = "ab\n\u{1b}\u{202e}";
        let d = doc(text);
        assert_eq!(d.widest(text), "\\e<U+202E>".len());
        let ascii = "abc\nabcdef\r\nab";
        assert_eq!(doc(ascii).widest(ascii), 6);
    }

    #[test]
    fn escapes_take_their_shown_width() {
        let text = "a\u{1b}b\u{202e}c";
        let mut d = doc(text);
        assert!(!d.simple);
        let mut v = view(5, 5, true);
        v.refresh(&mut d, text, None);
        assert_eq!(screen(&v), ["a\\eb", "<U+202E>", "c"]);
        assert!(v.rows[0][1].escaped);
    }

    #[test]
    fn invalid_bytes_show_as_hex() {
        let text = map_invalid_bytes(b"caf\xe9!");
        let mut d = doc(&text);
        let mut v = view(20, 2, false);
        v.refresh(&mut d, &text, None);
        assert_eq!(screen(&v), ["caf\\xe9!"]);
    }

    #[test]
    fn bottom_puts_the_last_row_last() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let mut d = doc(&text);
        let mut v = view(20, 10, false);
        v.to_bottom(&d, &text);
        v.refresh(&mut d, &text, None);
        assert_eq!(v.rows.len(), 10);
        assert_eq!(row_text(&v.rows[9]), "line 99");
        v.scroll_down(&d, &text, 5);
        assert_eq!(v.top.line, 90, "never scrolls past the end");
    }

    #[test]
    fn reveal_scrolls_a_match_into_view_and_marks_it() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let mut d = doc(&text);
        let mut v = view(20, 9, false);
        let mut s = Search::new("LINE 50");
        s.finish(text.as_bytes());
        s.select_from(text.as_bytes(), 0, std::time::Duration::from_secs(1));
        let offset = s.current_offset().unwrap();
        v.reveal(&d, &text, offset);
        assert_eq!(v.top.line, 47);
        v.refresh(&mut d, &text, Some(&s));
        let row = &v.rows[3];
        assert_eq!(row_text(row), "line 50");
        assert_eq!(row[0].mark, Mark::Current);
    }
}
