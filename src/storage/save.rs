//! Saving in the canonical form: stable key order, 2-space indent, trailing
//! newline, atomic writes, and no write at all when nothing changed.

use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::model::{Body, Environment, Folder, Request, WorkspaceConfig};

use super::atomic::write_atomic;
use super::layout::{self, classify, slugify, FileKind, Sidecar};
use super::load::{self, example_extension};
use super::StorageError;

/// The canonical text of a model value.
pub fn to_canonical_json<T: Serialize>(value: &T) -> String {
    // Serializing our own types into a String cannot fail (all map keys are
    // strings); fall back to `{}` rather than panic if that ever changes.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// Writes `bytes` unless the file already holds exactly them.
/// Returns whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, StorageError> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_atomic(path, bytes).map_err(|e| StorageError::io(path, e))?;
    Ok(true)
}

/// Writes the sidecar when `text` is `Some`, removes it when `None`.
fn sync_sidecar(path: &Path, text: Option<&str>) -> Result<(), StorageError> {
    match text {
        Some(t) => write_if_changed(path, t.as_bytes()).map(|_| ()),
        None => match fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StorageError::io(path, e)),
            _ => Ok(()),
        },
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|t| !t.is_empty())
}

/// Saves a request and its sidecars to `<dir>/<stem>.json`. Sidecars it no
/// longer needs (a body of another type, a deleted script) are removed.
/// Refuses to overwrite a request file that does not parse.
pub fn save_request(
    root: &Path,
    dir: &Path,
    stem: &str,
    request: &Request,
) -> Result<(), StorageError> {
    if layout::is_reserved_stem(stem) || stem.contains('/') || stem.contains('\\') {
        return Err(StorageError::BadName(stem.to_string()));
    }
    let file = dir.join(format!("{stem}.json"));
    if file.exists() {
        match load::load_request(root, dir, stem) {
            // Same content, maybe hand-formatted: keep the user's bytes.
            Ok(existing) if existing == *request => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(StorageError::NotUnderstood(load::shown(root, &file))),
        }
    }

    let mut keep: Vec<String> = vec![format!("{stem}.json")];
    match &request.body.body {
        Body::Raw { kind, text } => {
            let name = layout::body_file(stem, kind.extension());
            write_if_changed(&dir.join(&name), text.as_bytes())?;
            keep.push(name);
        }
        Body::GraphQl { query, variables } => {
            let name = layout::body_file(stem, "graphql");
            write_if_changed(&dir.join(&name), query.as_bytes())?;
            keep.push(name);
            if !variables.trim().is_empty() {
                let name = layout::variables_file(stem);
                write_if_changed(&dir.join(&name), variables.as_bytes())?;
                keep.push(name);
            }
        }
        _ => {}
    }
    for (name, text) in [
        (layout::pre_file(stem), non_empty(&request.pre_request)),
        (layout::test_file(stem), non_empty(&request.test)),
        (
            layout::description_file(stem),
            non_empty(&request.description),
        ),
    ] {
        sync_sidecar(&dir.join(&name), text)?;
        if text.is_some() {
            keep.push(name);
        }
    }
    for ex in &request.examples {
        if let Some(body) = &ex.body {
            let name = layout::example_file(stem, &slugify(&ex.name), example_extension(ex));
            write_if_changed(&dir.join(&name), body.as_bytes())?;
            keep.push(name);
        }
    }
    // Remove this request's body and example sidecars that are now stale.
    for other in super::ops::sidecar_names(dir, stem) {
        let stale = matches!(
            classify(&other),
            FileKind::Sidecar {
                sidecar: Sidecar::Body { .. } | Sidecar::GraphQlVariables | Sidecar::Example { .. },
                ..
            }
        );
        if stale && !keep.contains(&other) {
            sync_sidecar(&dir.join(&other), None)?;
        }
    }
    write_if_changed(&file, to_canonical_json(request).as_bytes())?;
    Ok(())
}

/// Saves `collection.json` or `folder.json` with its scripts and description.
pub fn save_folder(
    root: &Path,
    dir: &Path,
    is_collection: bool,
    folder: &Folder,
) -> Result<(), StorageError> {
    let base = if is_collection {
        "collection"
    } else {
        "folder"
    };
    let file = dir.join(format!("{base}.json"));
    if file.exists() {
        match load::load_folder(root, dir, is_collection) {
            Ok(existing) if existing == *folder => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(StorageError::NotUnderstood(load::shown(root, &file))),
        }
    }
    sync_sidecar(
        &dir.join(format!("{base}.pre.js")),
        non_empty(&folder.pre_request),
    )?;
    sync_sidecar(
        &dir.join(format!("{base}.test.js")),
        non_empty(&folder.test),
    )?;
    sync_sidecar(
        &dir.join(format!("{base}.md")),
        non_empty(&folder.description),
    )?;
    write_if_changed(&file, to_canonical_json(folder).as_bytes())?;
    Ok(())
}

/// Saves `environments/<name>.json`. Secret values are never written here;
/// `save_secrets` puts them in the local state folder.
pub fn save_environment(root: &Path, name: &str, env: &Environment) -> Result<(), StorageError> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(StorageError::BadName(name.to_string()));
    }
    let file = load::environment_file(root, name);
    if file.exists() {
        match load::load_environment(root, name) {
            Ok(existing) if existing == *env => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(StorageError::NotUnderstood(load::shown(root, &file))),
        }
    }
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(|e| StorageError::io(parent, e))?;
    }
    write_if_changed(&file, to_canonical_json(env).as_bytes())?;
    Ok(())
}

pub fn save_workspace_config(root: &Path, config: &WorkspaceConfig) -> Result<(), StorageError> {
    let file = root.join(layout::WORKSPACE_FILE);
    if file.exists() && load::load_workspace_config(root).is_err() {
        return Err(StorageError::NotUnderstood(load::shown(root, &file)));
    }
    write_if_changed(&file, to_canonical_json(config).as_bytes())?;
    Ok(())
}
