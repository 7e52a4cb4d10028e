//! Loading single files with their sidecars.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::{Body, Environment, Folder, Request, WorkspaceConfig, FORMAT_VERSION};

use super::layout::{self, slugify};
use super::parse::{find_key, parse_checked, read_text, ReadError};
use super::StorageError;

/// What the user sees for a path: relative to the workspace root if inside.
pub fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn read(root: &Path, path: &Path) -> Result<String, StorageError> {
    read_text(path, &shown(root, path)).map_err(|e| match e {
        ReadError::Io(err) => StorageError::io(shown(root, path), err),
        ReadError::Invalid(d) => d.into(),
    })
}

/// A sidecar's text, or `None` when the file does not exist.
fn read_optional(root: &Path, path: &Path) -> Result<Option<String>, StorageError> {
    match read(root, path) {
        Ok(s) => Ok(Some(s)),
        Err(StorageError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Loads `<dir>/<stem>.json` and its sidecars.
pub fn load_request(root: &Path, dir: &Path, stem: &str) -> Result<Request, StorageError> {
    load_request_in(root, dir, stem, None)
}

/// [`load_request`] with the directory's file names already listed, so
/// sidecars that do not exist cost no failed open (10,000 requests load
/// several times faster).
pub fn load_request_in(
    root: &Path,
    dir: &Path,
    stem: &str,
    listing: Option<&HashSet<String>>,
) -> Result<Request, StorageError> {
    load_request_checked(root, dir, stem, listing, &mut Vec::new())
}

/// [`load_request_in`], with a warning for each unknown field pushed to
/// `warnings`.
pub fn load_request_checked(
    root: &Path,
    dir: &Path,
    stem: &str,
    listing: Option<&HashSet<String>>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Request, StorageError> {
    let read_optional = |root: &Path, path: &Path| -> Result<Option<String>, StorageError> {
        if let (Some(names), Some(name)) = (listing, path.file_name()) {
            if !names.contains(name.to_string_lossy().as_ref()) {
                return Ok(None);
            }
        }
        read_optional(root, path)
    };
    let file = dir.join(format!("{stem}.json"));
    let text = read(root, &file)?;
    let shown_file = shown(root, &file);
    let mut found = Vec::new();
    let mut req: Request = parse_checked(&shown_file, &text, &mut found)?;
    validate_request(&shown_file, &text, &req)?;
    warnings.extend(found);

    match &mut req.body.body {
        Body::Raw { kind, text } => {
            let p = dir.join(layout::body_file(stem, kind.extension()));
            *text = read_optional(root, &p)?.unwrap_or_default();
        }
        Body::GraphQl { query, variables } => {
            *query = read_optional(root, &dir.join(layout::body_file(stem, "graphql")))?
                .unwrap_or_default();
            *variables =
                read_optional(root, &dir.join(layout::variables_file(stem)))?.unwrap_or_default();
        }
        _ => {}
    }
    req.pre_request = read_optional(root, &dir.join(layout::pre_file(stem)))?;
    req.test = read_optional(root, &dir.join(layout::test_file(stem)))?;
    req.description = read_optional(root, &dir.join(layout::description_file(stem)))?;
    for ex in &mut req.examples {
        let ext = example_extension(ex);
        let p = dir.join(layout::example_file(stem, &slugify(&ex.name), ext));
        ex.body = read_optional(root, &p)?;
    }
    Ok(req)
}

pub(crate) fn example_extension(ex: &crate::model::Example) -> &'static str {
    ex.headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map_or("txt", |h| crate::media::sidecar_extension(&h.value))
}

fn validate_request(shown_file: &Path, text: &str, req: &Request) -> Result<(), StorageError> {
    let at = |key: &str, msg: String| -> StorageError {
        let d = Diagnostic::error(shown_file, msg);
        match find_key(text, key) {
            Some(off) => d.at_offset(text, off).into(),
            None => d.into(),
        }
    };
    if !is_token(&req.method) {
        return Err(at(
            "method",
            format!(
                "method {:?} is not a valid HTTP method (letters, digits and !#$%&'*+-.^_`|~ only)",
                req.method
            ),
        ));
    }
    if req.url.trim().is_empty() {
        return Err(at("url", "url is empty".to_string()));
    }
    Ok(())
}

/// RFC 9110 token: what a method may be.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Loads a collection's or folder's settings; a missing file is the default.
pub fn load_folder(root: &Path, dir: &Path, is_collection: bool) -> Result<Folder, StorageError> {
    load_folder_checked(root, dir, is_collection, &mut Vec::new())
}

/// [`load_folder`], with a warning for each unknown field.
pub fn load_folder_checked(
    root: &Path,
    dir: &Path,
    is_collection: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Folder, StorageError> {
    let base = if is_collection {
        "collection"
    } else {
        "folder"
    };
    let file = dir.join(format!("{base}.json"));
    let mut folder = match read_optional(root, &file)? {
        Some(text) => parse_checked::<Folder>(&shown(root, &file), &text, warnings)?,
        None => Folder::default(),
    };
    folder.pre_request = read_optional(root, &dir.join(format!("{base}.pre.js")))?;
    folder.test = read_optional(root, &dir.join(format!("{base}.test.js")))?;
    folder.description = read_optional(root, &dir.join(format!("{base}.md")))?;
    Ok(folder)
}

pub fn load_workspace_config(root: &Path) -> Result<WorkspaceConfig, StorageError> {
    load_workspace_config_checked(root, &mut Vec::new())
}

/// [`load_workspace_config`], with a warning for each unknown field.
pub fn load_workspace_config_checked(
    root: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<WorkspaceConfig, StorageError> {
    let file = root.join(layout::WORKSPACE_FILE);
    let text = read(root, &file)?;
    let mut found = Vec::new();
    let config: WorkspaceConfig = parse_checked(&shown(root, &file), &text, &mut found)?;
    if config.format > FORMAT_VERSION {
        return Err(StorageError::FormatTooNew {
            found: config.format,
            supported: FORMAT_VERSION,
        });
    }
    warnings.extend(found);
    Ok(config)
}

pub fn environment_file(root: &Path, name: &str) -> PathBuf {
    root.join(layout::ENVIRONMENTS_DIR)
        .join(format!("{name}.json"))
}

/// Names of `environments/*.json`, sorted.
pub fn list_environments(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(layout::ENVIRONMENTS_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".json")?;
            (!stem.is_empty() && !stem.starts_with('.')).then(|| stem.to_string())
        })
        .collect();
    names.sort();
    names
}

pub fn load_environment(root: &Path, name: &str) -> Result<Environment, StorageError> {
    load_environment_checked(root, name, &mut Vec::new())
}

/// [`load_environment`], with a warning for each unknown field.
pub fn load_environment_checked(
    root: &Path,
    name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Environment, StorageError> {
    let file = environment_file(root, name);
    let text = match read(root, &file) {
        Err(StorageError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(StorageError::NoSuchEnvironment {
                name: name.to_string(),
                available: list_environments(root),
            })
        }
        other => other?,
    };
    Ok(parse_checked(&shown(root, &file), &text, warnings)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token("GET"));
        assert!(is_token("PURGE"));
        assert!(is_token("M-SEARCH"));
        assert!(!is_token("GET /"));
        assert!(!is_token(""));
    }
}
