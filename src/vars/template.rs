//! The `{{name}}` template syntax: splitting a string into literal text and
//! variable references. Parsing never fails; anything that is not a
//! well-formed reference stays text.

use std::ops::Range;

/// Byte range of a whole `{{…}}` reference (braces included) in the string
/// that was parsed. Both ends are on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// One piece of a parsed template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `name` is trimmed of surrounding whitespace and never empty.
    Var {
        name: &'a str,
        span: Span,
    },
}

/// Splits `s` into text and variable pieces. Concatenating the text pieces
/// and the spanned source of the variables reproduces `s` exactly.
pub fn parse_template(s: &str) -> Vec<Piece<'_>> {
    Pieces::new(s).collect()
}

/// The variable references in `s`, in order, without the text between them.
pub fn variable_names(s: &str) -> impl Iterator<Item = (&str, Span)> {
    Pieces::new(s).filter_map(|piece| match piece {
        Piece::Var { name, span } => Some((name, span)),
        Piece::Text(_) => None,
    })
}

/// Lazy parser behind [`parse_template`] and [`variable_names`].
struct Pieces<'a> {
    src: &'a str,
    /// Start of the input not yet returned as a piece.
    pos: usize,
    /// A reference already found after `pos`, returned once the text before
    /// it has been.
    pending: Option<(&'a str, Span)>,
}

impl<'a> Pieces<'a> {
    fn new(src: &'a str) -> Self {
        Pieces {
            src,
            pos: 0,
            pending: None,
        }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        if let Some((name, span)) = self.pending.take() {
            self.pos = span.end;
            return Some(Piece::Var { name, span });
        }
        if self.pos >= self.src.len() {
            return None;
        }
        match find_reference(self.src, self.pos) {
            Some((name, span)) if span.start == self.pos => {
                self.pos = span.end;
                Some(Piece::Var { name, span })
            }
            Some((name, span)) => {
                let text = &self.src[self.pos..span.start];
                self.pending = Some((name, span));
                self.pos = span.start;
                Some(Piece::Text(text))
            }
            None => {
                let text = &self.src[self.pos..];
                self.pos = self.src.len();
                Some(Piece::Text(text))
            }
        }
    }
}

/// The first well-formed reference starting at or after byte `from`.
///
/// Like Postman's `{{([^{}]*?)}}`: the name runs from `{{` to the first `}}`
/// and may not contain a brace (nor, here, a newline). A failed candidate is
/// retried one byte later, so `{{{a}}}` finds `{{a}}` at offset 1.
fn find_reference(src: &str, from: usize) -> Option<(&str, Span)> {
    let bytes = src.as_bytes();
    let mut start = from;
    while start + 1 < bytes.len() {
        if bytes[start] != b'{' || bytes[start + 1] != b'{' {
            start += 1;
            continue;
        }
        let inner_start = start + 2;
        // Braces and newlines are ASCII, so every index found here is a char
        // boundary even in multibyte text.
        let stop = bytes[inner_start..]
            .iter()
            .position(|&b| matches!(b, b'{' | b'}' | b'\n'))
            .map(|offset| inner_start + offset);
        if let Some(close) = stop {
            if bytes[close] == b'}' && bytes.get(close + 1) == Some(&b'}') {
                let name = src[inner_start..close].trim();
                if !name.is_empty() {
                    let span = Span {
                        start,
                        end: close + 2,
                    };
                    return Some((name, span));
                }
            }
        }
        start += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, start: usize, end: usize) -> Piece<'_> {
        Piece::Var {
            name,
            span: Span { start, end },
        }
    }

    #[test]
    fn plain_text_is_one_piece_and_empty_is_none() {
        assert_eq!(parse_template("hello"), vec![Piece::Text("hello")]);
        assert_eq!(parse_template(""), vec![]);
    }

    #[test]
    fn simple_reference_with_text_around() {
        assert_eq!(
            parse_template("a{{b}}c"),
            vec![Piece::Text("a"), var("b", 1, 6), Piece::Text("c")]
        );
    }

    #[test]
    fn names_are_trimmed() {
        assert_eq!(parse_template("{{ token }}"), vec![var("token", 0, 11)]);
        assert_eq!(parse_template("{{\ttoken }}"), vec![var("token", 0, 11)]);
    }

    #[test]
    fn unclosed_and_empty_references_are_text() {
        for s in [
            "{{", "}}", "{{a", "{{a}", "a}}", "{{}}", "{{  }}", "{ {a}}", "{{a} }",
        ] {
            assert_eq!(parse_template(s), vec![Piece::Text(s)], "{s:?}");
        }
    }

    #[test]
    fn newline_breaks_a_reference() {
        assert_eq!(parse_template("{{a\nb}}"), vec![Piece::Text("{{a\nb}}")]);
    }

    #[test]
    fn triple_braces_keep_the_outer_brace_as_text() {
        assert_eq!(
            parse_template("{{{a}}}"),
            vec![Piece::Text("{"), var("a", 1, 6), Piece::Text("}")]
        );
    }

    #[test]
    fn brace_inside_a_name_is_not_a_reference_but_a_later_one_is() {
        assert_eq!(
            parse_template("{{a{{b}}"),
            vec![Piece::Text("{{a"), var("b", 3, 8)]
        );
    }

    #[test]
    fn adjacent_references() {
        assert_eq!(
            parse_template("{{a}}{{b}}"),
            vec![var("a", 0, 5), var("b", 5, 10)]
        );
    }

    #[test]
    fn postman_style_names() {
        let names: Vec<_> =
            variable_names("{{$guid}} {{base-url}} {{a.b_c}} {{$env.HOME}} {{a b}}")
                .map(|(name, _)| name)
                .collect();
        assert_eq!(names, ["$guid", "base-url", "a.b_c", "$env.HOME", "a b"]);
    }

    #[test]
    fn spans_are_byte_offsets_on_char_boundaries_in_multibyte_text() {
        let s = "é{{ñame}}😀{{b}}ü";
        let found: Vec<_> = variable_names(s).collect();
        assert_eq!(
            found,
            vec![
                ("ñame", Span { start: 2, end: 11 }),
                ("b", Span { start: 15, end: 20 })
            ]
        );
        for (_, span) in found {
            assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
            assert!(s[span.range()].starts_with("{{") && s[span.range()].ends_with("}}"));
        }
    }

    /// Reassembles the input from its pieces; the spans must point at exactly
    /// the source of each reference.
    fn reassemble(s: &str) -> String {
        let mut out = String::new();
        for piece in parse_template(s) {
            match piece {
                Piece::Text(text) => {
                    assert!(!text.is_empty(), "empty text piece in {s:?}");
                    out.push_str(text);
                }
                Piece::Var { name, span } => {
                    assert_eq!(span.start, out.len(), "span out of place in {s:?}");
                    let source = &s[span.range()];
                    assert_eq!(source[2..source.len() - 2].trim(), name);
                    out.push_str(source);
                }
            }
        }
        out
    }

    #[test]
    fn random_strings_never_panic_and_round_trip() {
        const ALPHABET: &[&str] = &["{", "}", "{{", "}}", " ", "a", "$", ".", "\n", "é", "😀"];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5000 {
            let len = rng.usize(0..16);
            let s: String = (0..len)
                .map(|_| ALPHABET[rng.usize(..ALPHABET.len())])
                .collect();
            assert_eq!(reassemble(&s), s);
        }
    }
}
