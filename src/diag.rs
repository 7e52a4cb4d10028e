//! Diagnostics: a problem in a file, with where it is, rendered either as
//! one `path:line:column: message` line or with the source line and a caret.

use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, not worth a warning: shown where the user asks for
    /// a workspace's health (`postie ls`), not on every send.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// As shown to the user: relative to the workspace root when possible.
    pub path: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Characters to underline (at least 1 is drawn).
    pub len: usize,
    pub message: String,
    /// A hint shown under the caret.
    pub label: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            len: 0,
            message: message.into(),
            label: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn note(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_len(mut self, len: usize) -> Self {
        self.len = len;
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Places the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.at(line, column)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column: message`, the form editors and CI logs link.
    pub fn render_short(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let mut s = self.path.display().to_string();
        if self.line > 0 {
            let _ = write!(s, ":{}:{}", self.line, self.column.max(1));
        }
        let _ = write!(s, ": {kind}: {}", self.message);
        s
    }

    /// The long form, with the offending source line when `source` is given.
    pub fn render(&self, source: Option<&str>) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let mut out = format!("{kind}: {}\n", self.message);
        let loc = if self.line > 0 {
            format!(
                "{}:{}:{}",
                self.path.display(),
                self.line,
                self.column.max(1)
            )
        } else {
            self.path.display().to_string()
        };
        let line_text = source
            .filter(|_| self.line > 0)
            .and_then(|s| s.lines().nth(self.line - 1));
        let Some(text) = line_text else {
            let _ = writeln!(out, "  --> {loc}");
            if let Some(label) = &self.label {
                let _ = writeln!(out, "  = {label}");
            }
            return out;
        };
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        let shown = crate::diag::printable(text);
        let _ = writeln!(out, "{pad}--> {loc}");
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {shown}");
        let col = self.column.max(1);
        let prefix: String = text.chars().take(col - 1).collect();
        let caret_pad = printable(&prefix).chars().count();
        let _ = write!(
            out,
            "{pad} | {}{}",
            " ".repeat(caret_pad),
            "^".repeat(self.len.max(1))
        );
        if let Some(label) = &self.label {
            let _ = write!(out, " {label}");
        }
        out.push('\n');
        out
    }
}

/// 1-based line and character column of a byte offset (clamped to the text).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Tabs and control characters shown safely so a caret lines up and a
/// file cannot send escape sequences to the terminal.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_form_names_file_line_and_column() {
        let d = Diagnostic::error("users/get.json", "expected `,`").at(3, 7);
        assert_eq!(d.render_short(), "users/get.json:3:7: error: expected `,`");
    }

    #[test]
    fn long_form_points_a_caret_at_the_column() {
        let src = "{\n  \"value\": \"Bearer {{token}}\"\n}\n";
        let d = Diagnostic::error("a.json", "undefined variable `token`")
            .at(2, 21)
            .with_len(9)
            .with_label("set it in an environment");
        let r = d.render(Some(src));
        assert!(r.contains(" --> a.json:2:21"), "{r}");
        assert!(
            r.contains("  |                     ^^^^^^^^^ set it in an environment"),
            "{r}"
        );
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("é{{x}}", 2), (1, 2));
        assert_eq!(line_col("a\nb", 2), (2, 1));
        assert_eq!(line_col("a", 99), (1, 2));
    }

    #[test]
    fn control_characters_in_source_are_escaped() {
        assert_eq!(printable("a\u{1b}[2J"), "a\\u{1b}[2J");
    }
}
