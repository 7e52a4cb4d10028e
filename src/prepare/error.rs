use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::storage::load::shown;
use crate::vars::VarError;

/// Which part of a request a problem is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Url,
    Param(String),
    Header(String),
    Auth(&'static str),
    Body,
    GraphQlVariables,
    FormField(String),
    Part(String),
    BinaryFile,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Url => write!(f, "the URL"),
            Field::Param(n) => write!(f, "query parameter `{n}`"),
            Field::Header(n) => write!(f, "header `{n}`"),
            Field::Auth(n) => write!(f, "auth {n}"),
            Field::Body => write!(f, "the body"),
            Field::GraphQlVariables => write!(f, "the GraphQL variables"),
            Field::FormField(n) => write!(f, "form field `{n}`"),
            Field::Part(n) => write!(f, "multipart part `{n}`"),
            Field::BinaryFile => write!(f, "the body file path"),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Problem {
    Var {
        error: VarError,
        field: Field,
        template: String,
        /// The file the template is written in.
        file: PathBuf,
        /// `template` is the whole of `file` (a sidecar), so spans are exact.
        whole_file: bool,
        hint: Option<Hint>,
    },
    Invalid {
        field: Field,
        file: PathBuf,
        message: String,
    },
}

/// The likely fix for an undefined variable, as facts: each UI words it
/// its own way (the CLI's wording is this type's `Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// `name` is a secret of `environment`, with no value on this machine.
    Secret { environment: String, name: String },
    /// No environment is chosen, and the workspace has these (never empty).
    NoEnvironment { available: Vec<String> },
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hint::Secret { environment, name } => write!(
                f,
                "`{name}` is a secret of environment `{environment}`: put its value in \
                 .postie/secrets/{environment}.json or set {}{name}",
                super::scopes::ENV_VAR_PREFIX
            ),
            Hint::NoEnvironment { available } => write!(
                f,
                "no environment chosen; this workspace has: {} (pass --env NAME)",
                available.join(", ")
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("{}", summary(.0))]
    Problems(Vec<Problem>),
}

fn summary(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::message)
        .collect::<Vec<_>>()
        .join("; ")
}

impl Problem {
    pub fn message(&self) -> String {
        match self {
            Problem::Var { error, field, .. } => format!("{error} in {field}"),
            Problem::Invalid { field, message, .. } => format!("{field}: {message}"),
        }
    }

    /// A diagnostic pointing into the file the problem is in.
    pub fn diagnostic(&self, root: &Path) -> Diagnostic {
        match self {
            Problem::Var {
                error,
                template,
                file,
                whole_file,
                hint,
                ..
            } => {
                let span = error.span();
                let reference = template.get(span.start..span.end).unwrap_or_default();
                let mut d = Diagnostic::error(shown(root, file), self.message())
                    .with_len(reference.chars().count());
                let label = match hint {
                    Some(h) => h.to_string(),
                    None => default_hint(error),
                };
                d = d.with_label(label);
                if *whole_file {
                    return d.at_offset(template, span.start);
                }
                // The template sits inside a JSON string: find the reference
                // in the file's text to point at it.
                match std::fs::read_to_string(file) {
                    Ok(text) => match text.find(reference).filter(|_| !reference.is_empty()) {
                        Some(off) => d.at_offset(&text, off),
                        None => d,
                    },
                    Err(_) => d,
                }
            }
            Problem::Invalid { file, .. } => Diagnostic::error(shown(root, file), self.message()),
        }
    }
}

fn default_hint(error: &VarError) -> String {
    match error {
        VarError::Undefined { name, .. } if name.starts_with("$env.") => format!(
            "set the environment variable {} before running postie",
            &name["$env.".len()..]
        ),
        VarError::Undefined { name, .. } => format!(
            "define it in the collection, a folder or an environment, or pass --var {name}=..."
        ),
        VarError::UnknownDynamic { .. } => "see docs/variables.md for the dynamic values".into(),
        VarError::Cycle { .. } | VarError::TooDeep { .. } => {
            "a variable's value must not refer back to itself".into()
        }
        VarError::TooLarge { .. } => {
            "check the variables' values for references repeated inside each other".into()
        }
    }
}
