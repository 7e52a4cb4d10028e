//! The local state folder, `.postie/`: never committed. It holds secret
//! variable values, cookies, and (later) history.

use std::fs;
use std::path::{Path, PathBuf};

use super::atomic::write_atomic;
use super::layout::STATE_DIR;
use super::load::shown;
use super::parse::parse_json;
use super::StorageError;

pub fn state_dir(root: &Path) -> PathBuf {
    root.join(STATE_DIR)
}

/// Creates `.postie/` with a `.gitignore` of `*`, so it stays out of git
/// even in a repository whose own .gitignore forgot it.
pub fn ensure_state_dir(root: &Path) -> Result<PathBuf, StorageError> {
    let dir = state_dir(root);
    fs::create_dir_all(&dir).map_err(|e| StorageError::io(&dir, e))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        write_atomic(
            &ignore,
            b"# postie's local state: secrets, cookies, history\n*\n",
        )
        .map_err(|e| StorageError::io(&ignore, e))?;
    }
    Ok(dir)
}

pub fn cookie_file(root: &Path) -> PathBuf {
    state_dir(root).join("cookies.json")
}

pub fn secrets_file(root: &Path, env: &str) -> PathBuf {
    state_dir(root).join("secrets").join(format!("{env}.json"))
}

/// Secret values for one environment, from `.postie/secrets/<env>.json`
/// (`{"token": "…"}`); none when the file does not exist.
pub fn load_secrets(root: &Path, env: &str) -> Result<Vec<(String, String)>, StorageError> {
    let file = secrets_file(root, env);
    let text = match fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StorageError::io(shown(root, &file), e)),
    };
    let map: serde_json::Map<String, serde_json::Value> = parse_json(&shown(root, &file), &text)?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, s)
        })
        .collect())
}

pub fn save_secrets(
    root: &Path,
    env: &str,
    values: &[(String, String)],
) -> Result<(), StorageError> {
    ensure_state_dir(root)?;
    let file = secrets_file(root, env);
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(|e| StorageError::io(parent, e))?;
    }
    let map: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let text = super::save::to_canonical_json(&map);
    write_atomic(&file, text.as_bytes()).map_err(|e| StorageError::io(file, e))
}
