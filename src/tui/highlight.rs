//! Syntax highlighting of response bodies, only for what is on screen.
//!
//! A body is split into lines once (see [`LineIndex`]); the highlighter
//! keeps syntect parse-state checkpoints every `interval` lines and colours
//! a screen by resuming from the nearest checkpoint before it, so no call
//! ever walks the whole body. Big JSON bodies use a line-local tokenizer
//! instead (pretty JSON never carries state across lines), coloured with
//! the same syntect theme.

pub mod json;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use ratatui::style::{Color, Modifier, Style};
use syntect::highlighting::{
    FontStyle, HighlightState, Highlighter as SyntectHighlighter, RangedHighlightIterator,
    Theme as SyntectTheme, ThemeSet,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};

/// Lines longer than this are shown unhighlighted: syntect works a line
/// at a time, and one 50 MB line (minified JSON seen raw) would freeze a frame.
pub const LONG_LINE: usize = 64 * 1024;

/// Default distance between checkpoints, in lines.
pub const CHECKPOINT_INTERVAL: usize = 128;

/// Syntect needs this many lines from an exact checkpoint at most; further
/// away it starts from a fresh state (an approximate checkpoint), so a jump
/// to the end of a 50 MB body never parses what lies before it.
const MAX_CATCH_UP: usize = 1024;

/// Bodies above this size are coloured by the JSON tokenizer, not syntect.
pub const FAST_JSON_THRESHOLD: usize = 2 * 1024 * 1024;

/// What a body is written in, as far as colouring goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Json,
    Xml,
    Html,
    JavaScript,
    Css,
    Yaml,
    Plain,
}

impl Language {
    /// The syntect syntax name for this language.
    fn syntax_name(self) -> Option<&'static str> {
        match self {
            Language::Json => Some("JSON"),
            Language::Xml => Some("XML"),
            Language::Html => Some("HTML"),
            Language::JavaScript => Some("JavaScript"),
            Language::Css => Some("CSS"),
            Language::Yaml => Some("YAML"),
            Language::Plain => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Language::Json => "json",
            Language::Xml => "xml",
            Language::Html => "html",
            Language::JavaScript => "javascript",
            Language::Css => "css",
            Language::Yaml => "yaml",
            Language::Plain => "text",
        }
    }
}

/// Start offsets of every line of a text; the text itself is stored once,
/// elsewhere. Offsets are `u32` to keep the index small (4 bytes a line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<u32>,
    len: usize,
}

impl LineIndex {
    /// Indexes `text`, which must be shorter than 4 GiB (callers cut it).
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let count = memchr::memchr_iter(b'\n', bytes).count();
        let mut starts = Vec::with_capacity(count + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| (i + 1) as u32));
        // A final newline ends the last line rather than starting an empty one.
        if starts.len() > 1 && starts.last().is_some_and(|&s| s as usize == bytes.len()) {
            starts.pop();
        }
        LineIndex {
            starts,
            len: bytes.len(),
        }
    }

    /// Built from offsets already known (the JSON pretty-printer records
    /// them as it writes).
    pub fn from_starts(starts: Vec<u32>, len: usize) -> LineIndex {
        LineIndex { starts, len }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `i` without its line ending (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, i: usize) -> Range<usize> {
        let start = self.starts.get(i).map_or(self.len, |&s| s as usize);
        let mut end = self.starts.get(i + 1).map_or(self.len, |&s| s as usize - 1);
        let bytes = text.as_bytes();
        // The last line keeps the text's final newline (see `new`).
        if i + 1 >= self.starts.len() && end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Byte range of line `i` including its newline (syntect's newline
    /// syntaxes want it).
    fn line_with_newline(&self, i: usize) -> Range<usize> {
        let start = self.starts.get(i).map_or(self.len, |&s| s as usize);
        let end = self.starts.get(i + 1).map_or(self.len, |&s| s as usize);
        start..end
    }

    /// The line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let off = offset.min(u32::MAX as usize) as u32;
        self.starts.partition_point(|&s| s <= off).saturating_sub(1)
    }

    pub fn line_start(&self, i: usize) -> usize {
        self.starts.get(i).map_or(self.len, |&s| s as usize)
    }

    /// Heap bytes used (for the benchmark's memory table).
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * std::mem::size_of::<u32>()
    }
}

/// Syntect's syntaxes and themes, loaded once and shared.
pub struct SyntaxAssets {
    syntaxes: SyntaxSet,
    themes: ThemeSet,
}

impl SyntaxAssets {
    /// The process's one copy, loaded on first use (tens of milliseconds,
    /// a few megabytes): the response panes and the editor's scripts share it.
    pub fn load() -> Arc<SyntaxAssets> {
        static SHARED: std::sync::OnceLock<Arc<SyntaxAssets>> = std::sync::OnceLock::new();
        Arc::clone(SHARED.get_or_init(|| {
            Arc::new(SyntaxAssets {
                syntaxes: SyntaxSet::load_defaults_newlines(),
                themes: ThemeSet::load_defaults(),
            })
        }))
    }

    /// The named theme, or the first bundled one if the name is unknown.
    fn theme(&self, name: &str) -> Option<&SyntectTheme> {
        self.themes
            .themes
            .get(name)
            .or_else(|| self.themes.themes.get("base16-ocean.dark"))
            .or_else(|| self.themes.themes.values().next())
    }
}

impl std::fmt::Debug for SyntaxAssets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyntaxAssets")
    }
}

/// Colours for one line: byte ranges relative to the line's start, each
/// with a style. Bytes outside every range use the default style.
pub type LineStyles = Vec<(Range<usize>, Style)>;

/// Parser state at the start of a line.
#[derive(Clone)]
struct Checkpoint {
    parse: ParseState,
    scopes: ScopeStack,
}

struct SyntectColorer {
    assets: Arc<SyntaxAssets>,
    theme: Arc<SyntectTheme>,
    initial: ParseState,
    interval: usize,
    /// Exact checkpoints: entry `k` is the state at line `k * interval`,
    /// reached by parsing every line before it.
    exact: Vec<Checkpoint>,
    /// Checkpoints started from a fresh state after a long jump, by line.
    approximate: BTreeMap<usize, Checkpoint>,
}

enum Colorer {
    Plain,
    Json(json::Palette),
    Syntect(Box<SyntectColorer>),
}

/// Colours the visible lines of one text.
pub struct Highlighter {
    colorer: Colorer,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.colorer {
            Colorer::Plain => "plain",
            Colorer::Json(_) => "json tokenizer",
            Colorer::Syntect(_) => "syntect",
        };
        write!(f, "Highlighter({kind})")
    }
}

impl Highlighter {
    pub fn plain() -> Highlighter {
        Highlighter {
            colorer: Colorer::Plain,
        }
    }

    /// A highlighter for `language`, picking the JSON tokenizer for JSON
    /// texts longer than [`FAST_JSON_THRESHOLD`].
    pub fn new(
        assets: &Arc<SyntaxAssets>,
        theme_name: &str,
        language: Language,
        text_len: usize,
    ) -> Highlighter {
        if language == Language::Json && text_len > FAST_JSON_THRESHOLD {
            return Highlighter::fast_json(assets, theme_name);
        }
        Highlighter::syntect(assets, theme_name, language, CHECKPOINT_INTERVAL)
    }

    /// The JSON tokenizer, coloured like syntect colours JSON.
    pub fn fast_json(assets: &Arc<SyntaxAssets>, theme_name: &str) -> Highlighter {
        match json::Palette::from_syntect(assets, theme_name) {
            Some(p) => Highlighter {
                colorer: Colorer::Json(p),
            },
            None => Highlighter::plain(),
        }
    }

    /// Syntect with checkpoints every `interval` lines.
    pub fn syntect(
        assets: &Arc<SyntaxAssets>,
        theme_name: &str,
        language: Language,
        interval: usize,
    ) -> Highlighter {
        let syntax = language
            .syntax_name()
            .and_then(|n| assets.syntaxes.find_syntax_by_name(n));
        let (Some(syntax), Some(theme)) = (syntax, assets.theme(theme_name)) else {
            return Highlighter::plain();
        };
        let initial = ParseState::new(syntax);
        let start = Checkpoint {
            parse: initial.clone(),
            scopes: ScopeStack::new(),
        };
        Highlighter {
            colorer: Colorer::Syntect(Box::new(SyntectColorer {
                assets: Arc::clone(assets),
                theme: Arc::new(theme.clone()),
                initial,
                interval: interval.max(1),
                exact: vec![start],
                approximate: BTreeMap::new(),
            })),
        }
    }

    /// Colours of lines `lines` of `text`; one entry per line.
    pub fn highlight(
        &mut self,
        text: &str,
        index: &LineIndex,
        lines: Range<usize>,
    ) -> Vec<LineStyles> {
        let lines = lines.start.min(index.line_count())..lines.end.min(index.line_count());
        match &mut self.colorer {
            Colorer::Plain => lines.map(|_| Vec::new()).collect(),
            Colorer::Json(palette) => lines
                .map(|i| {
                    let r = index.line_range(text, i);
                    if r.len() > LONG_LINE {
                        Vec::new()
                    } else {
                        json::color_line(&text[r], palette)
                    }
                })
                .collect(),
            Colorer::Syntect(s) => s.highlight(text, index, lines),
        }
    }

    /// Colours of lines given one by one rather than as a text (pretty
    /// JSON drawn from an index). Only the line-local colourers can; the
    /// syntect one, needing the lines before, leaves them plain (big JSON
    /// bodies, the only ones drawn this way, use the JSON tokenizer).
    pub fn highlight_lines(&mut self, lines: &[&str]) -> Vec<LineStyles> {
        match &self.colorer {
            Colorer::Json(palette) => lines
                .iter()
                .map(|line| {
                    if line.len() > LONG_LINE {
                        Vec::new()
                    } else {
                        json::color_line(line, palette)
                    }
                })
                .collect(),
            Colorer::Plain | Colorer::Syntect(_) => lines.iter().map(|_| Vec::new()).collect(),
        }
    }
}

impl SyntectColorer {
    fn highlight(&mut self, text: &str, index: &LineIndex, lines: Range<usize>) -> Vec<LineStyles> {
        let (mut line, mut state, exact) = self.resume_point(lines.start);
        let theme = Arc::clone(&self.theme);
        let highlighter = SyntectHighlighter::new(&theme);
        let mut out = Vec::with_capacity(lines.len());
        while line < lines.end {
            if line % self.interval == 0 {
                self.remember(line, &state, exact);
            }
            let range = index.line_with_newline(line);
            let want = line >= lines.start;
            let styles = self.advance(&mut state, &text[range], &highlighter, want);
            if want {
                out.push(styles);
            }
            line += 1;
        }
        if line % self.interval == 0 && line < index.line_count() {
            self.remember(line, &state, exact);
        }
        out
    }

    /// Where to start parsing to reach `target`: an exact checkpoint if one
    /// is close enough, else the nearest approximate one, else a fresh state
    /// one interval before the target.
    fn resume_point(&self, target: usize) -> (usize, Checkpoint, bool) {
        let k = (target / self.interval).min(self.exact.len() - 1);
        let exact_line = k * self.interval;
        if target - exact_line <= MAX_CATCH_UP {
            return (exact_line, self.exact[k].clone(), true);
        }
        if let Some((&line, cp)) = self.approximate.range(..=target).next_back() {
            if target - line <= MAX_CATCH_UP {
                return (line, cp.clone(), false);
            }
        }
        let line = (target / self.interval).saturating_sub(1) * self.interval;
        let fresh = Checkpoint {
            parse: self.initial.clone(),
            scopes: ScopeStack::new(),
        };
        (line, fresh, false)
    }

    fn remember(&mut self, line: usize, state: &Checkpoint, exact: bool) {
        if exact {
            if line / self.interval == self.exact.len() {
                self.exact.push(state.clone());
            }
        } else {
            self.approximate
                .entry(line)
                .or_insert_with(|| state.clone());
        }
    }

    fn advance(
        &self,
        state: &mut Checkpoint,
        line: &str,
        highlighter: &SyntectHighlighter,
        want: bool,
    ) -> LineStyles {
        advance(&self.assets.syntaxes, state, line, highlighter, want)
    }
}

/// Parses one line (with its newline), updating `state`; returns its
/// colours when `want`.
fn advance(
    syntaxes: &SyntaxSet,
    state: &mut Checkpoint,
    line: &str,
    highlighter: &SyntectHighlighter,
    want: bool,
) -> LineStyles {
    if line.len() > LONG_LINE {
        return Vec::new();
    }
    let Ok(ops) = state.parse.parse_line(line, syntaxes) else {
        return Vec::new();
    };
    if !want {
        for (_, op) in &ops {
            let _ = state.scopes.apply(op);
        }
        return Vec::new();
    }
    let mut hl_state = HighlightState::new(highlighter, state.scopes.clone());
    let content_len = line.trim_end_matches(['\n', '\r']).len();
    let styles = RangedHighlightIterator::new(&mut hl_state, &ops, line, highlighter)
        .filter(|(_, _, r)| r.start < content_len)
        .map(|(style, _, r)| (r.start..r.end.min(content_len), to_ratatui(style)))
        .collect();
    state.scopes = hl_state.path;
    styles
}

/// Colours a text edited a keystroke at a time (a script in its text
/// box). It keeps the parser's state at the start of every line coloured,
/// so after a change it parses again from the first changed line only, and
/// only as far down as asked (the bottom of the screen).
pub struct EditColorer {
    assets: Arc<SyntaxAssets>,
    theme: Arc<SyntectTheme>,
    /// The lines coloured so far: a prefix of the text last given.
    lines: Vec<String>,
    styles: Vec<LineStyles>,
    /// `states[i]`: the parser at the start of line `i` (one more than
    /// `lines`: the last is where the next line starts).
    states: Vec<Checkpoint>,
}

impl std::fmt::Debug for EditColorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EditColorer({} lines)", self.lines.len())
    }
}

impl EditColorer {
    /// `None` for a language syntect does not know.
    pub fn new(
        assets: &Arc<SyntaxAssets>,
        theme_name: &str,
        language: Language,
    ) -> Option<EditColorer> {
        let syntax = assets
            .syntaxes
            .find_syntax_by_name(language.syntax_name()?)?;
        let theme = assets.theme(theme_name)?;
        Some(EditColorer {
            assets: Arc::clone(assets),
            theme: Arc::new(theme.clone()),
            lines: Vec::new(),
            styles: Vec::new(),
            states: vec![Checkpoint {
                parse: ParseState::new(syntax),
                scopes: ScopeStack::new(),
            }],
        })
    }

    /// Colours the lines of `text` (split at `\n`) before `upto`, keeping
    /// what it knows of the lines before the first that changed.
    pub fn update(&mut self, text: &str, upto: usize) {
        let same = self
            .lines
            .iter()
            .zip(text.split('\n'))
            .take_while(|(old, new)| old.as_str() == *new)
            .count();
        self.lines.truncate(same);
        self.styles.truncate(same);
        self.states.truncate(same + 1);
        let highlighter = SyntectHighlighter::new(&self.theme);
        let mut state = self.states[same].clone();
        let mut with_newline = String::new();
        for line in text.split('\n').take(upto).skip(same) {
            with_newline.clear();
            with_newline.push_str(line);
            with_newline.push('\n');
            let styles = advance(
                &self.assets.syntaxes,
                &mut state,
                &with_newline,
                &highlighter,
                true,
            );
            self.lines.push(line.to_string());
            self.styles.push(styles);
            self.states.push(state.clone());
        }
    }

    /// The colours of line `i`, if it was coloured and reads `line` now.
    pub fn line(&self, i: usize, line: &str) -> Option<&LineStyles> {
        (self.lines.get(i)? == line)
            .then(|| self.styles.get(i))
            .flatten()
    }
}

/// A syntax colour as the terminal `theme` was made for can show it: none
/// without colours, the nearest of the 16 ANSI ones without truecolor.
pub fn for_theme(s: Style, theme: &crate::tui::theme::Theme) -> Style {
    if theme.monochrome {
        return Style { fg: None, ..s };
    }
    // The theme fell back to ANSI colours: do the same for syntax.
    if matches!(theme.colors.fg, Color::Rgb(..)) {
        return s;
    }
    Style {
        fg: s.fg.map(crate::tui::theme::to_ansi16),
        ..s
    }
}

/// A syntect style as a ratatui one: foreground and font style only, so the
/// pane's own background shows through.
pub fn to_ratatui(style: syntect::highlighting::Style) -> Style {
    let c = style.foreground;
    let mut s = Style::default().fg(Color::Rgb(c.r, c.g, c.b));
    if style.font_style.contains(FontStyle::BOLD) {
        s = s.add_modifier(Modifier::BOLD);
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        s = s.add_modifier(Modifier::ITALIC);
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        s = s.add_modifier(Modifier::UNDERLINED);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::easy::HighlightLines;

    #[test]
    fn line_index_finds_lines_and_strips_line_endings() {
        let text = "a\r\nbc\n\nd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let lines: Vec<&str> = (0..4).map(|i| &text[idx.line_range(text, i)]).collect();
        assert_eq!(lines, ["a", "bc", "", "d"]);
        assert_eq!(idx.line_of(0), 0);
        assert_eq!(idx.line_of(4), 1);
        assert_eq!(idx.line_of(7), 3);
        let empty = LineIndex::new("");
        assert_eq!(empty.line_count(), 1);
        assert_eq!(empty.line_range("", 0), 0..0);
        let no_final_newline = LineIndex::new("x\ny");
        assert_eq!(no_final_newline.line_range("x\ny", 1), 2..3);
    }

    /// Every line's colours, highlighted in one pass from the top.
    fn full_pass(assets: &SyntaxAssets, text: &str, syntax: &str) -> Vec<Vec<(usize, Style)>> {
        let syntax = assets.syntaxes.find_syntax_by_name(syntax).unwrap();
        let theme = assets.theme("base16-ocean.dark").unwrap();
        let mut h = HighlightLines::new(syntax, theme);
        let idx = LineIndex::new(text);
        (0..idx.line_count())
            .map(|i| {
                let line = &text[idx.line_with_newline(i)];
                let content = line.trim_end_matches(['\n', '\r']).len();
                let mut at = 0;
                h.highlight_line(line, &assets.syntaxes)
                    .unwrap()
                    .into_iter()
                    .filter_map(|(st, piece)| {
                        let start = at;
                        at += piece.len();
                        (start < content).then(|| (start, to_ratatui(st)))
                    })
                    .collect()
            })
            .collect()
    }

    fn starts(styles: &[LineStyles]) -> Vec<Vec<(usize, Style)>> {
        styles
            .iter()
            .map(|l| l.iter().map(|(r, s)| (r.start, *s)).collect())
            .collect()
    }

    #[test]
    fn checkpointed_highlighting_matches_a_full_pass() {
        let assets = SyntaxAssets::load();
        // Multi-line comments and strings carry state across lines, so a
        // wrong checkpoint would show.
        let mut text = String::new();
        for i in 0..60 {
            text.push_str(&format!(
                "/* comment {i}\n   still comment */\nvar x{i} = \"s\" + {i}; // end\nfunction f{i}() {{ return `t\nmore`; }}\n"
            ));
        }
        let expected = full_pass(&assets, &text, "JavaScript");
        let idx = LineIndex::new(&text);
        let mut h = Highlighter::syntect(&assets, "base16-ocean.dark", Language::JavaScript, 8);
        // Out of order, overlapping, across checkpoints.
        for window in [
            100..130,
            3..20,
            200..240,
            0..5,
            17..18,
            231..idx.line_count(),
        ] {
            let got = h.highlight(&text, &idx, window.clone());
            assert_eq!(starts(&got), expected[window.clone()], "lines {window:?}");
        }
    }

    #[test]
    fn a_long_jump_starts_fresh_without_parsing_what_lies_before() {
        let assets = SyntaxAssets::load();
        let text = "<a>\n  <b x=\"1\"/>\n</a>\n".repeat(2000);
        let idx = LineIndex::new(&text);
        let mut h = Highlighter::syntect(&assets, "base16-ocean.dark", Language::Xml, 128);
        let end = idx.line_count();
        let got = h.highlight(&text, &idx, end - 10..end);
        assert_eq!(got.len(), 10);
        let Colorer::Syntect(s) = &h.colorer else {
            panic!("syntect expected")
        };
        assert_eq!(s.exact.len(), 1, "no exact checkpoints were built");
        assert!(!s.approximate.is_empty());
        // Lines of a regular document still get the same colours.
        let expected = full_pass(&assets, &text, "XML");
        assert_eq!(starts(&got), expected[end - 10..end]);
    }

    #[test]
    fn long_lines_are_left_plain() {
        let assets = SyntaxAssets::load();
        let text = format!("[{}]", "1,".repeat(LONG_LINE));
        let idx = LineIndex::new(&text);
        let mut h = Highlighter::fast_json(&assets, "base16-ocean.dark");
        assert_eq!(h.highlight(&text, &idx, 0..1), vec![Vec::new()]);
    }

    #[test]
    fn an_edit_colorer_colours_an_edited_text_as_a_fresh_one_would() {
        let assets = SyntaxAssets::load();
        let fresh = |text: &str| {
            let mut c =
                EditColorer::new(&assets, "base16-ocean.dark", Language::JavaScript).unwrap();
            c.update(text, 100);
            text.split('\n')
                .enumerate()
                .map(|(i, l)| c.line(i, l).cloned())
                .collect::<Vec<_>>()
        };
        let before = "const a = 1;\nlet b = 'x';\nfoo(b);";
        // A comment opened on line 1 changes how the lines after it read.
        let after = "const a = 1; /*\nlet b = 'x';\nfoo(b); */";
        let mut c = EditColorer::new(&assets, "base16-ocean.dark", Language::JavaScript).unwrap();
        c.update(before, 100);
        let string = c.line(1, "let b = 'x';").cloned().unwrap();
        c.update(after, 100);
        let edited: Vec<_> = after
            .split('\n')
            .enumerate()
            .map(|(i, l)| c.line(i, l).cloned())
            .collect();
        assert_eq!(edited, fresh(after));
        assert_ne!(edited[1].as_ref(), Some(&string), "line 1 is a comment now");
        // A change on line 0 with only line 0 asked for: the lines after
        // it are coloured again when asked; stale text has no colours.
        let changed = after.replacen("1", "2", 1);
        c.update(&changed, 1);
        assert!(c.line(0, "const a = 2; /*").is_some());
        assert!(c.line(0, "const a = 1; /*").is_none());
        assert!(c.line(1, "let b = 'x';").is_none());
    }
}
