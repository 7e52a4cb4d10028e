//! Why a request was not sent: the problems `prepare` found (an undefined
//! variable, a file that cannot be read), each with where it is, what is
//! wrong and what to do, wrapped to the pane so nothing is cut off.

use std::path::Path;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::prepare::{Field, Hint, Problem};
use crate::safe_text::escape;
use crate::tui::components::editor::Tab as EditorTab;
use crate::vars::VarError;

/// One reason a request was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendProblem {
    /// Which part of the request, when the problem is in one.
    pub field: Option<Field>,
    /// What is wrong: "undefined variable `token`".
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// `auth/bearer.json:7:14`, when the problem is in a file.
    pub location: Option<String>,
}

impl SendProblem {
    /// A problem that is not about the request's content.
    pub fn other(message: impl Into<String>) -> SendProblem {
        SendProblem {
            field: None,
            message: message.into(),
            hint: None,
            location: None,
        }
    }

    /// The problems of a failed `prepare`. Reads the request's files to
    /// place them (so it runs with the effects, not in `update`).
    pub fn from_problems(
        problems: &[Problem],
        root: &Path,
        environment: Option<&str>,
    ) -> Vec<SendProblem> {
        problems
            .iter()
            .map(|p| {
                let d = p.diagnostic(root);
                let mut location = d.path.display().to_string();
                if d.line > 0 {
                    location.push_str(&format!(":{}:{}", d.line, d.column.max(1)));
                }
                let (field, message, hint) = match p {
                    Problem::Var {
                        error, field, hint, ..
                    } => {
                        let hint = hint
                            .as_ref()
                            .map(tui_hint)
                            .or_else(|| app_hint(error, environment))
                            .or(d.label);
                        (field, error.to_string(), hint)
                    }
                    Problem::Invalid { field, message, .. } => (field, message.clone(), None),
                };
                SendProblem {
                    field: Some(field.clone()),
                    message,
                    hint,
                    location: Some(location),
                }
            })
            .collect()
    }

    /// `Headers › Authorization: undefined variable `token``: the footer's
    /// short form.
    pub fn headline(&self) -> String {
        match &self.field {
            Some(f) => format!("{}: {}", field_label(f), self.message),
            None => self.message.clone(),
        }
    }
}

/// The footer status for a send stopped by `problems`.
pub fn summary(problems: &[SendProblem]) -> String {
    match problems {
        [] => "not sent".to_string(),
        [one] => format!("not sent: {}", one.headline()),
        [first, rest @ ..] => format!("not sent: {} (and {} more)", first.headline(), rest.len()),
    }
}

/// The core's hint in the app's words: the CLI's says `--env`, the app
/// switches with its environment picker.
fn tui_hint(hint: &Hint) -> String {
    match hint {
        Hint::NoEnvironment { available } => format!(
            "no environment chosen; this workspace has: {} (ctrl-e chooses one)",
            available.join(", ")
        ),
        other => other.to_string(),
    }
}

/// The CLI's hint for an undefined variable says `--var`; the app has no
/// such flag, so say what the app offers.
fn app_hint(error: &VarError, environment: Option<&str>) -> Option<String> {
    match error {
        VarError::Undefined { name, .. } if !name.starts_with("$env.") => Some(match environment {
            Some(env) => format!(
                "define `{name}` in environment `{env}`, the collection or a folder"
            ),
            None => format!(
                "no environment is chosen: choose one, or define `{name}` in the collection or a folder"
            ),
        }),
        _ => None,
    }
}

/// Where a field is, as the editor's tabs name it: `Headers › Accept`.
pub fn field_label(field: &Field) -> String {
    match field {
        Field::Url => "URL".to_string(),
        Field::Param(n) => format!("Params › {n}"),
        Field::Header(n) => format!("Headers › {n}"),
        Field::Auth(n) => format!("Auth › {n}"),
        Field::Body => "Body".to_string(),
        Field::GraphQlVariables => "Body › variables".to_string(),
        Field::FormField(n) | Field::Part(n) => format!("Body › {n}"),
        Field::BinaryFile => "Body › file".to_string(),
    }
}

/// The editor tab that shows `field` (the URL is on every tab).
pub fn editor_tab(field: &Field) -> Option<EditorTab> {
    match field {
        Field::Url => None,
        Field::Param(_) => Some(EditorTab::Params),
        Field::Header(_) => Some(EditorTab::Headers),
        Field::Auth(_) => Some(EditorTab::Auth),
        Field::Body
        | Field::GraphQlVariables
        | Field::FormField(_)
        | Field::Part(_)
        | Field::BinaryFile => Some(EditorTab::Body),
    }
}

/// How a piece of a problem row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Field,
    Message,
    Hint,
    Location,
    Plain,
}

pub type Row = Vec<(String, Role)>;

/// The problems as rows `width` columns wide: the field and message, the
/// hint and the location indented under them, a blank row between two.
/// Everything is escaped first, so rows are safe to draw as they are.
pub fn rows(problems: &[SendProblem], width: usize) -> Vec<Row> {
    let mut out = Vec::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push(Vec::new());
        }
        let mut head = Vec::new();
        if let Some(f) = &p.field {
            head.push((format!("{}: ", escape(&field_label(f), false)), Role::Field));
        }
        head.push((escape(&p.message, false), Role::Message));
        out.extend(wrap(&head, width, 2, Role::Plain));
        if let Some(h) = &p.hint {
            out.extend(wrap(
                &[
                    ("  ".to_string(), Role::Plain),
                    (escape(h, false), Role::Hint),
                ],
                width,
                2,
                Role::Plain,
            ));
        }
        if let Some(l) = &p.location {
            out.extend(wrap(
                &[
                    ("  at ".to_string(), Role::Plain),
                    (escape(l, false), Role::Location),
                ],
                width,
                2,
                Role::Plain,
            ));
        }
    }
    out
}

/// Greedy word wrap of styled `segments` at `width` columns; rows after the
/// first start with `indent` spaces (styled `plain`). A word wider than a
/// row is cut.
pub(super) fn wrap<R: Copy + PartialEq>(
    segments: &[(String, R)],
    width: usize,
    indent: usize,
    plain: R,
) -> Vec<Vec<(String, R)>> {
    let width = width.max(indent + 1);
    let mut rows = Vec::new();
    let mut row: Vec<(String, R)> = Vec::new();
    let mut col = 0;
    let mut start = 0;
    let push = |row: &mut Vec<(String, R)>, s: &str, role: R| match row.last_mut() {
        Some((text, r)) if *r == role => text.push_str(s),
        _ => row.push((s.to_string(), role)),
    };
    for (text, role) in segments {
        for word in text.split_inclusive(' ') {
            let w = word.trim_end_matches(' ').width();
            if col > start && col + w > width {
                rows.push(std::mem::take(&mut row));
                push(&mut row, &" ".repeat(indent), plain);
                col = indent;
                start = indent;
            }
            if col + w <= width {
                push(&mut row, word, *role);
                col += word.width();
                continue;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if col > start && col + cw > width {
                    rows.push(std::mem::take(&mut row));
                    push(&mut row, &" ".repeat(indent), plain);
                    col = indent;
                    start = indent;
                }
                push(&mut row, c.encode_utf8(&mut [0; 4]), *role);
                col += cw;
            }
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|(s, _)| s.as_str()).collect::<String>())
            .collect()
    }

    #[test]
    fn long_hints_wrap_at_words_under_their_problem() {
        let p = SendProblem {
            field: Some(Field::Header("Authorization".into())),
            message: "undefined variable `token`".into(),
            hint: Some("`token` is a secret of environment `local`: put its value in .postie/secrets/local.json".into()),
            location: Some("auth/get.json:7:14".into()),
        };
        let rows = rows(&[p], 40);
        let shown = text(&rows);
        assert_eq!(
            shown,
            [
                "Headers › Authorization: undefined ",
                "  variable `token`",
                "  `token` is a secret of environment ",
                "  `local`: put its value in ",
                "  .postie/secrets/local.json",
                "  at auth/get.json:7:14",
            ]
        );
        assert!(shown.iter().all(|r| r.trim_end().width() <= 40));
        assert_eq!(rows[0][0].1, Role::Field);
    }

    #[test]
    fn a_word_wider_than_the_row_is_cut_and_escapes_never_pass() {
        let p = SendProblem::other(format!("{}\u{1b}[2J", "x".repeat(25)));
        let shown = text(&rows(&[p], 10));
        assert_eq!(shown, ["xxxxxxxxxx", "  xxxxxxxx", "  xxxxxxx\\", "  e[2J"]);
    }

    #[test]
    fn the_footer_names_the_first_problem_and_counts_the_rest() {
        let p = SendProblem {
            field: Some(Field::Auth("token")),
            message: "undefined variable `t`".into(),
            hint: None,
            location: None,
        };
        assert_eq!(
            summary(std::slice::from_ref(&p)),
            "not sent: Auth › token: undefined variable `t`"
        );
        assert!(summary(&[p.clone(), p]).ends_with("(and 1 more)"));
    }
}
