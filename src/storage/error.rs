use std::io;
use std::path::PathBuf;

use crate::diag::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "no postie workspace in {0} or any parent (no postie.json); run `postie init` to make one"
    )]
    NoWorkspace(PathBuf),
    #[error("{}", .0.render_short())]
    Invalid(Box<Diagnostic>),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no request `{path}` in the workspace{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    NoSuchRequest { path: String, hint: Option<String> },
    #[error("no environment `{name}` (environments: {})", if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    NoSuchEnvironment {
        name: String,
        available: Vec<String>,
    },
    #[error("no collection `{name}` in the workspace (collections: {}); `postie new collection {name}` makes it", if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    NoSuchCollection {
        name: String,
        available: Vec<String>,
    },
    #[error("{} could not be read as a postie file, so it is not overwritten; fix or move it first", .0.display())]
    NotUnderstood(PathBuf),
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("this workspace uses format {found}, newer than this postie understands ({supported}); upgrade postie")]
    FormatTooNew { found: u32, supported: u32 },
    #[error("`{0}` is not a usable name here")]
    BadName(String),
    /// A path that should name a collection or folder names something else.
    #[error("`{path}` is {what}, not a collection or folder")]
    NotAFolder { path: String, what: &'static str },
}

impl StorageError {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        StorageError::Io {
            path: path.into(),
            source,
        }
    }

    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            StorageError::Invalid(d) => Some(d),
            _ => None,
        }
    }
}

impl From<Diagnostic> for StorageError {
    fn from(d: Diagnostic) -> Self {
        StorageError::Invalid(Box::new(d))
    }
}
