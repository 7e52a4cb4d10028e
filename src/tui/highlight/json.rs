//! A line-local JSON colourer for big bodies. JSON strings cannot hold a
//! raw newline, so every line of pretty JSON starts outside a string and
//! needs no state from the lines before it. The colours are the ones
//! syntect gives each kind of token, so big and small bodies look alike.

use std::sync::Arc;

use ratatui::style::Style;
use syntect::easy::HighlightLines;

use super::{to_ratatui, LineStyles, SyntaxAssets};

/// A colour per JSON token kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    pub key: Style,
    pub string: Style,
    pub number: Style,
    pub keyword: Style,
    pub punctuation: Style,
}

impl Palette {
    /// Reads the colours syntect's JSON syntax and `theme_name` give a
    /// sample holding each kind of token.
    pub fn from_syntect(assets: &Arc<SyntaxAssets>, theme_name: &str) -> Option<Palette> {
        let syntax = assets.syntaxes.find_syntax_by_name("JSON")?;
        let theme = assets.theme(theme_name)?;
        let mut h = HighlightLines::new(syntax, theme);
        let sample = "{\"key\": \"text\", \"n\": 12, \"t\": true}\n";
        let pieces = h.highlight_line(sample, &assets.syntaxes).ok()?;
        let style_at = |offset: usize| {
            let mut at = 0;
            for (style, piece) in &pieces {
                if offset < at + piece.len() {
                    return Some(to_ratatui(*style));
                }
                at += piece.len();
            }
            None
        };
        Some(Palette {
            key: style_at(sample.find("key")?)?,
            string: style_at(sample.find("text")?)?,
            number: style_at(sample.find("12")?)?,
            keyword: style_at(sample.find("true")?)?,
            punctuation: style_at(0)?,
        })
    }
}

/// Colours one line of JSON (or of minified JSON cut into a line).
pub fn color_line(line: &str, palette: &Palette) -> LineStyles {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                let end = i.min(bytes.len());
                i = end;
                let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
                let style = if next == Some(&b':') {
                    palette.key
                } else {
                    palette.string
                };
                out.push((start..end, style));
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                out.push((start..i, palette.number));
            }
            b't' | b'f' | b'n' => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                out.push((start..i, palette.keyword));
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                out.push((i..i + 1, palette.punctuation));
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    fn palette() -> Palette {
        let c = |n| Style::default().fg(Color::Indexed(n));
        Palette {
            key: c(1),
            string: c(2),
            number: c(3),
            keyword: c(4),
            punctuation: c(5),
        }
    }

    #[test]
    fn keys_strings_numbers_and_keywords_are_told_apart() {
        let p = palette();
        let line = r#"  "a\"b": ["x", -1.5e3, true, null],"#;
        let got: Vec<(&str, Style)> = color_line(line, &p)
            .into_iter()
            .map(|(r, s)| (&line[r], s))
            .collect();
        assert_eq!(
            got,
            vec![
                (r#""a\"b""#, p.key),
                (":", p.punctuation),
                ("[", p.punctuation),
                ("\"x\"", p.string),
                (",", p.punctuation),
                ("-1.5e3", p.number),
                (",", p.punctuation),
                ("true", p.keyword),
                (",", p.punctuation),
                ("null", p.keyword),
                ("]", p.punctuation),
                (",", p.punctuation),
            ]
        );
    }

    #[test]
    fn an_unterminated_string_stays_in_bounds() {
        let p = palette();
        let line = r#""abc\"#;
        assert_eq!(color_line(line, &p), vec![(0..line.len(), p.string)]);
    }

    #[test]
    fn the_palette_comes_from_the_syntect_theme() {
        let assets = SyntaxAssets::load();
        let p = Palette::from_syntect(&assets, "base16-ocean.dark").unwrap();
        assert_ne!(p.key, p.number);
        assert_ne!(p.string, p.keyword);
    }
}
