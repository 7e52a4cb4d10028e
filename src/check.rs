//! `postie check`: secrets in the files a commit would take. It reports the
//! values of secret variables (from `.postie/secrets/<env>.json` and the
//! `POSTIE_VAR_*` overrides of secret names) and things shaped like
//! credentials, each with its file, line and column and a redacted excerpt.
//! The values themselves never leave this module.

mod allow;
mod auth_fields;
mod detect;
mod files;

use std::fmt;
use std::path::{Path, PathBuf};

use memchr::memmem;

use crate::storage::load::{list_environments, load_environment};
use crate::storage::state::{load_secrets, state_dir};
use crate::storage::StorageError;

pub use allow::{sha256_hex, ALLOW_FILE, INLINE_MARK};

/// Secret values shorter than this are not looked for: `admin` or `1234`
/// would be found all over a workspace.
pub const MIN_SECRET_LEN: usize = 6;

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--staged needs a git repository (and git on PATH)")]
    NoRepository,
    #[error("git: {0}")]
    Git(String),
    #[error("{ALLOW_FILE}:{line}: {message}")]
    AllowFile { line: usize, message: String },
}

impl CheckError {
    fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CheckError::Io {
            path: path.into(),
            source,
        }
    }
}

/// What was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    SecretVariable {
        name: String,
        environment: String,
    },
    /// A `POSTIE_VAR_<name>` value whose name is secret in an environment.
    ProcessVariable {
        name: String,
    },
    AuthField {
        auth_type: &'static str,
        field: &'static str,
    },
    Token {
        service: &'static str,
    },
    Jwt,
    AwsAccessKeyId,
    AwsSecretKey,
    PrivateKey,
    UrlPassword,
    BearerToken,
    BasicCredentials,
}

impl Kind {
    /// A stable name for tools (`--json`).
    pub fn code(&self) -> &'static str {
        match self {
            Kind::SecretVariable { .. } => "secret_variable",
            Kind::ProcessVariable { .. } => "process_variable",
            Kind::AuthField { .. } => "auth_field",
            Kind::Token { .. } => "token",
            Kind::Jwt => "jwt",
            Kind::AwsAccessKeyId => "aws_access_key_id",
            Kind::AwsSecretKey => "aws_secret_key",
            Kind::PrivateKey => "private_key",
            Kind::UrlPassword => "url_password",
            Kind::BearerToken => "bearer",
            Kind::BasicCredentials => "basic",
        }
    }

    /// Which of two overlapping hits is kept: the one that says most.
    fn rank(&self) -> u8 {
        match self {
            Kind::SecretVariable { .. } | Kind::ProcessVariable { .. } => 0,
            Kind::Token { .. }
            | Kind::Jwt
            | Kind::AwsAccessKeyId
            | Kind::AwsSecretKey
            | Kind::PrivateKey => 1,
            Kind::AuthField { .. } => 2,
            Kind::UrlPassword | Kind::BearerToken | Kind::BasicCredentials => 3,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::SecretVariable { name, environment } => write!(
                f,
                "value of secret variable `{name}` of environment `{environment}`"
            ),
            Kind::ProcessVariable { name } => write!(
                f,
                "value of POSTIE_VAR_{name} (`{name}` is a secret variable)"
            ),
            Kind::AuthField { auth_type, field } => {
                write!(f, "{auth_type} auth `{field}` written as is")
            }
            Kind::Token { service } => f.write_str(service),
            Kind::Jwt => f.write_str("JSON Web Token"),
            Kind::AwsAccessKeyId => f.write_str("AWS access key id"),
            Kind::AwsSecretKey => f.write_str("AWS secret access key"),
            Kind::PrivateKey => f.write_str("private key"),
            Kind::UrlPassword => f.write_str("password in a URL"),
            Kind::BearerToken => f.write_str("bearer token"),
            Kind::BasicCredentials => f.write_str("basic auth credentials"),
        }
    }
}

/// A detector's find: where in the text, the value, what it is.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    /// Byte offset in the file's text.
    start: usize,
    secret: String,
    /// Shown instead of the redacted value (a PEM key's BEGIN line).
    excerpt: Option<String>,
    kind: Kind,
}

/// One finding, safe to show: the excerpt is redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Relative to the workspace root, `/`-separated.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub kind: Kind,
    pub excerpt: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_checked: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check the git index's content of staged files instead of the tree.
    pub staged: bool,
    /// `POSTIE_VAR_*` of the process environment, prefix removed.
    pub process_vars: Vec<(String, String)>,
}

/// The start of a value, never more than a quarter of it, then `…`.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let shown: String = secret.chars().take((n / 4).min(4)).collect();
    format!("{shown}…")
}

/// A value to look for and what to call it when found.
struct Wanted {
    value: String,
    kind: Kind,
}

/// The secret values of every environment (declared or only in the state
/// folder) and the `POSTIE_VAR_*` values of secret names.
fn secret_values(root: &Path, process: &[(String, String)]) -> Result<Vec<Wanted>, CheckError> {
    let mut envs = list_environments(root);
    if let Ok(dir) = std::fs::read_dir(state_dir(root).join("secrets")) {
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".json") {
                if !stem.is_empty() && !envs.iter().any(|e| e == stem) {
                    envs.push(stem.to_string());
                }
            }
        }
    }
    let mut wanted: Vec<Wanted> = Vec::new();
    let mut secret_names: Vec<String> = Vec::new();
    for env in &envs {
        // An environment file that does not load still has its secrets
        // file; `postie run` and `send` report the broken file.
        if let Ok(file) = load_environment(root, env) {
            secret_names.extend(
                (file.variables.0.iter())
                    .filter(|(_, v)| v.is_secret())
                    .map(|(n, _)| n.clone()),
            );
        }
        for (name, value) in load_secrets(root, env)? {
            secret_names.push(name.clone());
            wanted.push(Wanted {
                value,
                kind: Kind::SecretVariable {
                    name,
                    environment: env.clone(),
                },
            });
        }
    }
    for (name, value) in process {
        if secret_names.contains(name) {
            wanted.push(Wanted {
                value: value.clone(),
                kind: Kind::ProcessVariable { name: name.clone() },
            });
        }
    }
    wanted.retain(|w| w.value.chars().count() >= MIN_SECRET_LEN && !w.value.contains("{{"));
    // One report per value, under the first name that holds it.
    let mut seen = std::collections::HashSet::new();
    wanted.retain(|w| seen.insert(w.value.clone()));
    Ok(wanted)
}

/// Hits for the secret values in `text`: as written, and as JSON writes
/// them when that differs (a value with `"`, `\` or a newline).
fn find_values(text: &str, wanted: &[(Wanted, Vec<memmem::Finder<'static>>)]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (w, finders) in wanted {
        for finder in finders {
            for start in finder.find_iter(text.as_bytes()) {
                hits.push(Hit {
                    start,
                    secret: w.value.clone(),
                    excerpt: None,
                    kind: w.kind.clone(),
                });
            }
        }
    }
    hits
}

fn finders(value: &str) -> Vec<memmem::Finder<'static>> {
    let mut out = vec![memmem::Finder::new(value.as_bytes()).into_owned()];
    let json = serde_json::to_string(value).unwrap_or_default();
    let inner = json
        .get(1..json.len().saturating_sub(1))
        .unwrap_or_default();
    if inner != value && !inner.is_empty() {
        out.push(memmem::Finder::new(inner.as_bytes()).into_owned());
    }
    out
}

/// Checks the files under `dir` (the root or a folder or file in it) that
/// a commit would take, with the secrets of the workspace at `root`.
pub fn check(root: &Path, dir: &Path, options: &Options) -> Result<Report, CheckError> {
    let wanted: Vec<(Wanted, Vec<memmem::Finder<'static>>)> =
        secret_values(root, &options.process_vars)?
            .into_iter()
            .map(|w| {
                let f = finders(&w.value);
                (w, f)
            })
            .collect();
    let allow = allow::AllowList::load(root)?;
    // Paths are shown from the root, whatever `dir` is.
    let prefix = match dir.strip_prefix(root) {
        Ok(p) if !p.as_os_str().is_empty() => {
            format!("{}/", p.to_string_lossy().replace('\\', "/"))
        }
        _ => String::new(),
    };
    let mut report = Report::default();
    let mut scan = |rel: String, bytes: &[u8]| {
        if allow.allows_path(&rel) || files::in_state_dir(&rel) || is_binary(bytes) {
            return;
        }
        report.files_checked += 1;
        let text = String::from_utf8_lossy(bytes);
        report
            .findings
            .extend(scan_text(&rel, &text, &wanted, &allow));
    };
    if options.staged {
        // A file: its folder's staged files, that one kept.
        let (base, only) = match (dir.is_file(), dir.parent(), dir.file_name()) {
            (true, Some(parent), Some(name)) => (parent, Some(name.to_string_lossy())),
            _ => (dir, None),
        };
        let base_prefix = match only {
            Some(_) => prefix
                .trim_end_matches('/')
                .rsplit_once('/')
                .map_or(String::new(), |(p, _)| format!("{p}/")),
            None => prefix.clone(),
        };
        for (rel, bytes) in files::staged(base)? {
            if only.as_deref().map_or(true, |name| rel == name) {
                scan(format!("{base_prefix}{rel}"), &bytes);
            }
        }
    } else if dir.is_file() {
        let rel = prefix.trim_end_matches('/').to_string();
        let bytes = std::fs::read(dir).map_err(|e| CheckError::io(&rel, e))?;
        scan(rel, &bytes);
    } else {
        let (list, _) = files::committed(dir)?;
        for rel in list {
            let path = dir.join(&rel);
            // git commits a symbolic link as its target's name, not the
            // content it points to (which may be outside the workspace).
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                continue;
            }
            match std::fs::read(&path) {
                Ok(bytes) => scan(format!("{prefix}{rel}"), &bytes),
                // Listed by git but gone from the tree (deleted, not yet
                // committed), or a submodule's folder: nothing to read.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
                    ) || path.is_dir() => {}
                Err(e) => return Err(CheckError::io(format!("{prefix}{rel}"), e)),
            }
        }
    }
    report
        .findings
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Ok(report)
}

/// As git decides: a NUL byte in the first 8000 bytes.
fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8000)]).is_some()
}

fn scan_text(
    rel: &str,
    text: &str,
    wanted: &[(Wanted, Vec<memmem::Finder<'static>>)],
    allow: &allow::AllowList,
) -> Vec<Finding> {
    let mut hits = find_values(text, wanted);
    hits.extend(detect::find_shapes(text));
    if rel.ends_with(".json") {
        hits.extend(auth_fields::find_auth_fields(text));
    }
    if hits.is_empty() {
        return Vec::new();
    }
    // The most telling hit wins where hits overlap (a bearer token that
    // is a secret variable's value is reported as that variable).
    hits.sort_by_key(|h| (h.kind.rank(), h.start));
    let mut kept: Vec<Hit> = Vec::new();
    for h in hits {
        let end = h.start + h.secret.len();
        let overlaps = kept
            .iter()
            .any(|k| h.start < k.start + k.secret.len().max(1) && k.start < end.max(h.start + 1));
        if !overlaps {
            kept.push(h);
        }
    }
    let lines: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    let mut out = Vec::new();
    for h in kept {
        let start = h.start.min(text.len());
        let line = lines.partition_point(|&s| s <= start).max(1);
        let line_start = lines[line - 1];
        let line_end = lines.get(line).map_or(text.len(), |e| e - 1);
        let line_text = text.get(line_start..line_end).unwrap_or_default();
        if line_text.contains(INLINE_MARK) || allow.allows_value(&h.secret) {
            continue;
        }
        let column = text
            .get(line_start..start)
            .map_or(1, |s| s.chars().count() + 1);
        out.push(Finding {
            file: rel.to_string(),
            line,
            column,
            excerpt: h.excerpt.unwrap_or_else(|| redact(&h.secret)),
            kind: h.kind,
        });
    }
    out.sort_by_key(|f| (f.line, f.column));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(value: &str, name: &str) -> (Wanted, Vec<memmem::Finder<'static>>) {
        (
            Wanted {
                value: value.into(),
                kind: Kind::SecretVariable {
                    name: name.into(),
                    environment: "staging".into(),
                },
            },
            finders(value),
        )
    }

    #[test]
    fn redaction_shows_at_most_a_quarter_and_four_characters() {
        assert_eq!(redact("local-dev-token"), "loc…");
        assert_eq!(redact("8f3Kq9ZxL2mN7vB4tR1w"), "8f3K…");
        assert_eq!(redact("abcdef"), "a…");
        assert_eq!(redact("abc"), "…");
    }

    #[test]
    fn secret_values_are_found_with_line_and_column() {
        let text = "{\n  \"x\": \"Bearer PLANTED-Δ-value-9\"\n}\n";
        let f = scan_text(
            "a.json",
            text,
            &[want("PLANTED-Δ-value-9", "api_token")],
            &allow::AllowList::default(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].line, f[0].column), (2, 16));
        assert_eq!(f[0].excerpt, "PLAN…");
        assert!(f[0].kind.to_string().contains("`api_token`"));
        assert!(f[0].kind.to_string().contains("`staging`"));
    }

    #[test]
    fn a_value_json_escapes_is_found_escaped() {
        let text = r#"{"body": "pw: \"quoted-secret\""}"#;
        let f = scan_text(
            "a.json",
            text,
            &[want("pw: \"quoted-secret\"", "pw")],
            &allow::AllowList::default(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn the_inline_mark_silences_its_line_only() {
        let text =
            "const a = 'hunter-2-planted'; // postie-check: allow\nconst b = 'hunter-2-planted';\n";
        let f = scan_text(
            "x.pre.js",
            text,
            &[want("hunter-2-planted", "pw")],
            &allow::AllowList::default(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 2);
    }

    #[test]
    fn overlapping_hits_keep_the_most_telling() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVz";
        let text = format!("Authorization: Bearer {jwt}\nAuthorization: Bearer {jwt}x\n");
        let f = scan_text(
            "r.http",
            &text,
            &[want(&format!("{jwt}x"), "t")],
            &allow::AllowList::default(),
        );
        let kinds: Vec<&str> = f.iter().map(|f| f.kind.code()).collect();
        assert_eq!(kinds, ["jwt", "secret_variable"]);
    }
}
