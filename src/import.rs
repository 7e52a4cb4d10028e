//! Bringing requests in from other tools: Postman collections and
//! environments, curl commands, OpenAPI/Swagger specs, `.http` files, HARs.
//!
//! Each format parses into an [`Import`] (plain model values, nothing on
//! disk yet) with a [`Report`] of everything dropped or changed and why;
//! [`write_import`] then writes it through the same storage code the editor
//! uses. Bad input is an error before anything is written.

pub mod bruno;
pub mod curl;
pub mod detect;
pub mod har;
pub mod http_file;
pub mod insomnia;
pub mod openapi;
pub mod opencollection;
pub mod postman;
pub mod secrets;
pub mod text;
mod write;

use std::fmt;
use std::path::Path;

use crate::model::{Environment, Folder, Request};

pub use write::{plan_import, write_import, Written};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Postman,
    PostmanEnvironment,
    Curl,
    OpenApi,
    HttpFile,
    /// `http-client.env.json` / `http-client.private.env.json`.
    HttpEnv,
    Har,
    /// An Insomnia v4 export.
    Insomnia,
    /// A Bruno `.bru` request (a collection is a folder: see `bruno::parse_dir`).
    Bruno,
    /// OpenCollection YAML (Bruno's YAML collections): a bundled collection
    /// or one request (a collection folder: see `opencollection::parse_dir`).
    OpenCollection,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &[
        "postman",
        "postman-env",
        "curl",
        "openapi",
        "http",
        "http-env",
        "har",
        "insomnia",
        "bruno",
        "opencollection",
    ];

    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "postman" => Format::Postman,
            "postman-env" | "postman-environment" | "postman-globals" => Format::PostmanEnvironment,
            "curl" => Format::Curl,
            "openapi" | "swagger" => Format::OpenApi,
            "http" | "rest" => Format::HttpFile,
            "http-env" | "http-client-env" => Format::HttpEnv,
            "har" => Format::Har,
            "insomnia" => Format::Insomnia,
            "bruno" | "bru" => Format::Bruno,
            "opencollection" | "bruno-yaml" => Format::OpenCollection,
            _ => return None,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Postman => "Postman collection",
            Format::PostmanEnvironment => "Postman environment",
            Format::Curl => "curl command",
            Format::OpenApi => "OpenAPI/Swagger",
            Format::HttpFile => ".http file",
            Format::HttpEnv => ".http environment file",
            Format::Har => "HAR",
            Format::Insomnia => "Insomnia export",
            Format::Bruno => "Bruno",
            Format::OpenCollection => "OpenCollection (Bruno YAML)",
        })
    }
}

/// What an importer produced, before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// Each becomes a collection (or, with `--into`, a folder).
    pub collections: Vec<ImportedFolder>,
    pub environments: Vec<ImportedEnvironment>,
    pub report: Report,
}

#[derive(Debug, Clone, Default)]
pub struct ImportedFolder {
    /// Display name; the directory name is made from it.
    pub name: String,
    /// Variables, headers, auth, scripts, description. Its `order` is filled
    /// by the writer from `items`.
    pub folder: Folder,
    /// In the source's order, which the writer keeps.
    pub items: Vec<ImportedItem>,
}

#[derive(Debug, Clone)]
pub enum ImportedItem {
    Folder(Box<ImportedFolder>),
    /// The request's `name` is its display name; the file name comes from it.
    Request(Box<Request>),
}

#[derive(Debug, Clone, Default)]
pub struct ImportedEnvironment {
    pub name: String,
    pub environment: Environment,
    /// Values of secret variables: written to `.postie/secrets/`, never to
    /// the committed environment file.
    pub secrets: Vec<(String, String)>,
}

/// Everything an import dropped or changed, with the reason.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Where: `Users/Get user`, `collection`, `environment dev`.
    pub item: String,
    pub kind: NoteKind,
    /// What: `auth type oauth2`, `header Cookie`.
    pub what: String,
    /// Why, in words a user can act on.
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    Dropped,
    Changed,
    /// A credential moved into a secret variable.
    SecretMoved,
    /// A credential written as is (nowhere to keep it as a secret).
    SecretKept,
}

impl NoteKind {
    /// How the import report heads a group of these.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Dropped => "dropped",
            NoteKind::Changed => "changed",
            NoteKind::SecretMoved => "secrets",
            NoteKind::SecretKept => "warning",
        }
    }
}

impl Report {
    pub fn dropped(
        &mut self,
        item: impl Into<String>,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.notes.push(Note {
            item: item.into(),
            kind: NoteKind::Dropped,
            what: what.into(),
            why: why.into(),
        });
    }

    pub fn secret_moved(
        &mut self,
        item: impl Into<String>,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.push(NoteKind::SecretMoved, item, what, why);
    }

    pub fn secret_kept(
        &mut self,
        item: impl Into<String>,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.push(NoteKind::SecretKept, item, what, why);
    }

    fn push(
        &mut self,
        kind: NoteKind,
        item: impl Into<String>,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.notes.push(Note {
            item: item.into(),
            kind,
            what: what.into(),
            why: why.into(),
        });
    }

    pub fn changed(
        &mut self,
        item: impl Into<String>,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.notes.push(Note {
            item: item.into(),
            kind: NoteKind::Changed,
            what: what.into(),
            why: why.into(),
        });
    }
}

/// A collection's name when the source gives none: the one host every
/// request talks to (so two imports from different APIs are told apart),
/// else `default`. The writer numbers a name already taken.
pub(crate) fn name_from_hosts(items: &[ImportedItem], default: &str) -> String {
    fn walk(items: &[ImportedItem], hosts: &mut Vec<String>) {
        for item in items {
            match item {
                ImportedItem::Folder(f) => walk(&f.items, hosts),
                ImportedItem::Request(r) => {
                    let host = url::Url::parse(r.url.trim())
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                        .unwrap_or_default();
                    if !hosts.contains(&host) {
                        hosts.push(host);
                    }
                }
            }
        }
    }
    let mut hosts = Vec::new();
    walk(items, &mut hosts);
    match hosts.as_slice() {
        [one] if !one.is_empty() && !one.contains("{{") => one.clone(),
        _ => default.to_string(),
    }
}

/// Why an input could not be imported. Nothing has been written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The text is not what the format needs; `line`/`column` are 1-based
    /// (0 when unknown).
    #[error("{}not a valid {format}: {message}", position(*line, *column))]
    Invalid {
        format: Format,
        line: usize,
        column: usize,
        message: String,
    },
    /// Detection found no importer for the file; `why` says what it is.
    #[error("could not import {file}: {why}{}", if why.is_known_format() { String::new() } else { format!("; if it is one of postie's formats, name it: postie import FORMAT FILE (formats: {})", Format::NAMES.join(", ")) })]
    Unrecognised {
        file: String,
        why: detect::Unrecognised,
    },
    #[error("{0}")]
    Unsupported(String),
}

fn position(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("line {line}, column {column}: ")
    }
}

impl ImportError {
    pub fn invalid(format: Format, message: impl Into<String>) -> Self {
        ImportError::Invalid {
            format,
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    /// A JSON syntax error of a `format` document, at its position.
    pub fn json(format: Format, e: &serde_json::Error) -> Self {
        // serde_json ends with " at line L column C": the position is said
        // once, by this error.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(&*message, |(m, _)| m);
        ImportError::at(
            format,
            e.line(),
            e.column(),
            format!("not valid JSON: {message}"),
        )
    }

    pub fn at(format: Format, line: usize, column: usize, message: impl Into<String>) -> Self {
        ImportError::Invalid {
            format,
            line,
            column,
            message: message.into(),
        }
    }
}

/// The format of `text` (the content of `path`), from its structure; see
/// [`detect::detect`] for why there is none.
pub fn detect_format(path: &Path, text: &str) -> Option<Format> {
    detect::detect(path, text).ok()
}

/// The format of `text` (the content of `path`, called `shown` in the
/// error), or an error saying what the input is instead.
pub fn identify(path: &Path, shown: &str, text: &str) -> Result<Format, ImportError> {
    detect::detect(path, text).map_err(|why| ImportError::Unrecognised {
        file: shown.to_string(),
        why,
    })
}

fn is_private_env(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        n.to_string_lossy()
            .to_ascii_lowercase()
            .contains(".private.")
    })
}

/// Parses `text` (the content of `path`) as `format`.
pub fn parse(format: Format, path: &Path, text: &str) -> Result<Import, ImportError> {
    match format {
        Format::Postman => postman::parse_collection(text),
        Format::PostmanEnvironment => postman::parse_environment(text),
        Format::Curl => curl::parse_import(text),
        Format::OpenApi => openapi::parse(text),
        Format::HttpFile => http_file::parse(text, path.parent().unwrap_or(Path::new("."))),
        // The private file's values are secrets.
        Format::HttpEnv => http_file::parse_env_file(text, is_private_env(path)),
        Format::Har => har::parse(text, &har::HarOptions::default()),
        Format::Insomnia => insomnia::parse(text),
        Format::Bruno => bruno::parse_file(text),
        Format::OpenCollection => opencollection::parse(text),
    }
}
