//! Reading one JSON file into a model type, with errors that point at the
//! line and column.

pub mod unknown;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;

/// Parses `text` (the content of `shown`) into `T`. Errors name the line and
/// column; a leading UTF-8 BOM is accepted.
///
/// Two passes: syntax first (serde_json knows the position), then the
/// model (serde_path_to_error knows the field path, which `locate` turns
/// back into a position; `#[serde(flatten)]` would otherwise report every
/// error at the end of the object).
pub fn parse_json<T: DeserializeOwned>(shown: &Path, text: &str) -> Result<T, Diagnostic> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    // The common case, a valid file, in one pass; the slower two-pass path
    // below only runs to explain an error.
    if let Ok(v) = serde_json::from_str::<T>(body) {
        return Ok(v);
    }
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| {
        let d = Diagnostic::error(shown, clean_message(&e.to_string()));
        if e.line() > 0 {
            d.at(e.line(), e.column())
        } else {
            d
        }
    })?;
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().clone();
        let mut msg = clean_message(&e.inner().to_string());
        let segments: Vec<Seg> = path
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                _ => None,
            })
            .collect();
        if !segments.is_empty() {
            msg = format!("{path}: {msg}");
        }
        let d = Diagnostic::error(shown, msg);
        match locate(body, &segments) {
            Some(off) => d.at_offset(body, off),
            None => d,
        }
    })
}

/// [`parse_json`], plus a warning (or note) for each field the model does
/// not know, pushed to `warnings`.
pub fn parse_checked<T: DeserializeOwned + unknown::KnownFields>(
    shown: &Path,
    text: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<T, Diagnostic> {
    let value: T = parse_json(shown, text)?;
    warnings.extend(unknown::diagnostics(shown, text, &value));
    Ok(value)
}

#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Byte offset in `text` (valid JSON) of the value at `path`; for a key that
/// is missing, the object holding it.
pub fn locate(text: &str, path: &[Seg]) -> Option<usize> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.find(path)
}

/// Byte offset in `text` (valid JSON) of `"key"` in the object at
/// `object`.
pub fn locate_key(text: &str, object: &[Seg], key: &str) -> Option<usize> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.find(object)?;
    s.eat(b'{')?;
    loop {
        s.ws();
        let start = s.i;
        let k = s.string()?;
        s.eat(b':')?;
        if k == key {
            return Some(start);
        }
        s.skip()?;
        s.eat(b',')?;
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn string(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        loop {
            match self.b.get(self.i)? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        let raw = std::str::from_utf8(self.b.get(start..self.i)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.b.get(self.i)? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.b.get(self.i)? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while !matches!(
                    self.b.get(self.i),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    fn find(&mut self, path: &[Seg]) -> Option<usize> {
        self.ws();
        let Some((first, rest)) = path.split_first() else {
            return Some(self.i);
        };
        let here = self.i;
        match first {
            Seg::Key(k) => {
                self.eat(b'{')?;
                if self.eat(b'}').is_some() {
                    return Some(here);
                }
                loop {
                    let key = self.string()?;
                    self.eat(b':')?;
                    if key == *k {
                        return self.find(rest);
                    }
                    self.skip()?;
                    if self.eat(b',').is_none() {
                        return Some(here);
                    }
                }
            }
            Seg::Index(n) => {
                self.eat(b'[')?;
                for _ in 0..*n {
                    self.skip()?;
                    self.eat(b',')?;
                }
                self.find(rest)
            }
        }
    }
}

/// serde_json appends " at line X column Y"; the diagnostic says it already.
fn clean_message(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Reads a file as UTF-8 text; invalid UTF-8 is a diagnostic at its offset.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        ReadError::Invalid(
            Diagnostic::error(shown, "file is not valid UTF-8").at_offset(&prefix, valid),
        )
    })?;
    match merge_conflict(shown, &text) {
        Some(d) => Err(ReadError::Invalid(d)),
        None => Ok(text),
    }
}

/// Git's conflict markers left by a merge (`<<<<<<< ours`, `=======`,
/// `>>>>>>> theirs`, each starting a line, in that order): the file is
/// not loaded, so nothing saves over it, and the error says where.
pub fn merge_conflict(shown: &Path, text: &str) -> Option<Diagnostic> {
    fn marker<'t>(line: &'t str, m: &str) -> Option<&'t str> {
        line.strip_prefix(m)
            .filter(|rest| rest.is_empty() || rest.starts_with(' '))
            .map(str::trim)
    }
    let mut start: Option<(usize, &str)> = None;
    let mut middle = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        match start {
            None => start = marker(line, "<<<<<<<").map(|ours| (i + 1, ours)),
            Some(_) if !middle => middle = marker(line, "=======").is_some(),
            Some((first, ours)) => {
                if let Some(theirs) = marker(line, ">>>>>>>") {
                    let name = |s: &str| {
                        if s.is_empty() {
                            "?".to_string()
                        } else {
                            s.to_string()
                        }
                    };
                    let message = format!(
                        "unresolved git merge conflict between `{}` and `{}` (lines {first}-{}): \
                         resolve it and the file loads again; postie leaves it as it is",
                        name(ours),
                        name(theirs),
                        i + 1
                    );
                    return Some(Diagnostic::error(shown, message).at(first, 1));
                }
            }
        }
    }
    None
}

pub enum ReadError {
    Io(std::io::Error),
    Invalid(Diagnostic),
}

/// Byte offset of the first `"key"` in `text`, for errors found after parsing.
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    text.find(&format!("\"{key}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Request;

    #[test]
    fn git_conflict_markers_are_found_with_their_lines_and_sides() {
        let text =
            "{\n<<<<<<< HEAD\n  \"url\": \"a\"\n=======\n  \"url\": \"b\"\n>>>>>>> feature/x\n}\n";
        let d = merge_conflict(Path::new("api/r.json"), text).unwrap();
        assert_eq!((d.line, d.column), (2, 1));
        assert!(
            d.message.contains("`HEAD` and `feature/x`"),
            "{}",
            d.message
        );
        assert!(d.message.contains("lines 2-6"), "{}", d.message);
        // diff3 style, CRLF, bare markers.
        let diff3 = "<<<<<<<\r\na\r\n||||||| base\r\nb\r\n=======\r\nc\r\n>>>>>>>\r\n";
        assert!(merge_conflict(Path::new("x"), diff3).is_some());
        // Not a conflict: markers out of order, inside lines, or incomplete.
        for text in [
            "=======\n<<<<<<< a\n",
            "x <<<<<<< a\n=======\n>>>>>>> b\n",
            "<<<<<<< a\n=======\n",
            "<<<<<<<<<< a\n=======\n>>>>>>> b\n",
        ] {
            assert!(merge_conflict(Path::new("x"), text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = parse_json::<Request>(
            Path::new("a.json"),
            "{\n  \"method\": \"GET\",\n  \"url\": 5\n}",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (3, 10));
        assert!(e.message.starts_with("url: invalid type"), "{}", e.message);
        assert!(!e.message.contains("at line"));
    }

    #[test]
    fn a_bom_is_accepted() {
        let r: Request = parse_json(
            Path::new("a.json"),
            "\u{feff}{\"method\":\"GET\",\"url\":\"/\"}",
        )
        .unwrap();
        assert_eq!(r.method, "GET");
    }
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    #[test]
    fn model_errors_point_at_the_offending_value() {
        let src = "{\n  \"method\": \"GET\",\n  \"url\": \"/\",\n  \"params\": [\n    {\"name\": \"a\"},\n    {\"name\": 5}\n  ]\n}";
        let e = parse_json::<crate::model::Request>(Path::new("r.json"), src).unwrap_err();
        assert_eq!(
            e.render_short(),
            "r.json:6:14: error: params[1].name: invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn locate_walks_keys_and_indexes() {
        let src = r#"{"a": [1, {"b\"c": [true, "x"]}], "d": null}"#;
        let off = locate(
            src,
            &[
                Seg::Key("a".into()),
                Seg::Index(1),
                Seg::Key("b\"c".into()),
                Seg::Index(1),
            ],
        )
        .unwrap();
        assert_eq!(&src[off..off + 3], "\"x\"");
        assert_eq!(
            locate(src, &[Seg::Key("d".into())]).map(|o| &src[o..o + 4]),
            Some("null")
        );
    }
}
