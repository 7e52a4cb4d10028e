//! Findings silenced on purpose: `.postie-check-allow` at the workspace
//! root (committed, reviewed like code) lists files and folders not to
//! check, and values not to report by their SHA-256, so the file never
//! holds the value itself. A line of text may also carry
//! `postie-check: allow` (in a script, a comment).

use std::path::Path;

use sha2::{Digest, Sha256};

use super::CheckError;

pub const ALLOW_FILE: &str = ".postie-check-allow";
pub const INLINE_MARK: &str = "postie-check: allow";

#[derive(Debug, Default)]
pub struct AllowList {
    /// Files (`a/b.json`) and folders (`fixtures/`), relative to the root.
    paths: Vec<String>,
    /// Lowercase hex SHA-256 of allowed values.
    values: Vec<String>,
}

impl AllowList {
    /// Reads `.postie-check-allow`; empty when there is none.
    pub fn load(root: &Path) -> Result<AllowList, CheckError> {
        let file = root.join(ALLOW_FILE);
        match std::fs::read_to_string(&file) {
            Ok(text) => parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(AllowList::default()),
            Err(e) => Err(CheckError::io(ALLOW_FILE, e)),
        }
    }

    pub fn allows_path(&self, rel: &str) -> bool {
        rel == ALLOW_FILE
            || self.paths.iter().any(|p| match p.strip_suffix('/') {
                Some(dir) => rel.starts_with(p.as_str()) || rel == dir,
                None => rel == p,
            })
    }

    pub fn allows_value(&self, value: &str) -> bool {
        !self.values.is_empty() && self.values.contains(&sha256_hex(value))
    }
}

pub fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn parse(text: &str) -> Result<AllowList, CheckError> {
    let mut list = AllowList::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(hex) = line.strip_prefix("sha256:") {
            let hex = hex.trim().to_ascii_lowercase();
            if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(CheckError::AllowFile {
                    line: i + 1,
                    message: "`sha256:` takes the 64 hex digits of a value's SHA-256 (`printf %s VALUE | sha256sum`)".into(),
                });
            }
            list.values.push(hex);
        } else {
            let path = line.trim_start_matches("./").replace('\\', "/");
            list.paths.push(path);
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_folders_and_hashed_values() {
        let hash = sha256_hex("fixture-token-123");
        let list = parse(&format!(
            "# test fixtures\n\nfixtures/\n./docs/example.json\nsha256:{}\n",
            hash.to_uppercase()
        ))
        .unwrap();
        assert!(list.allows_path("fixtures/a.json"));
        assert!(list.allows_path("docs/example.json"));
        assert!(list.allows_path(ALLOW_FILE));
        assert!(!list.allows_path("fixtures.json"));
        assert!(!list.allows_path("docs/example.json.bak"));
        assert!(list.allows_value("fixture-token-123"));
        assert!(!list.allows_value("fixture-token-124"));
    }

    #[test]
    fn a_malformed_hash_names_its_line() {
        let e = parse("ok.json\nsha256:abc\n").unwrap_err();
        assert!(e.to_string().contains(":2:"), "{e}");
    }
}
