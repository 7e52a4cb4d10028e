//! File naming: which file in a collection directory is what.
//!
//! A request is `<stem>.json`; its sidecars share the stem:
//! `<stem>.body.<ext>`, `<stem>.variables.json` (GraphQL variables),
//! `<stem>.pre.js`, `<stem>.test.js`, `<stem>.md` and
//! `<stem>.example.<slug>.<ext>`. A directory's own settings are
//! `collection.json` or `folder.json`, with `collection.pre.js` etc.

pub const COLLECTION_FILE: &str = "collection.json";
pub const FOLDER_FILE: &str = "folder.json";
pub const WORKSPACE_FILE: &str = "postie.json";
pub const ENVIRONMENTS_DIR: &str = "environments";
pub const STATE_DIR: &str = ".postie";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Request {
        stem: String,
    },
    Sidecar {
        stem: String,
        sidecar: Sidecar,
    },
    /// `collection.json` / `folder.json`.
    DirMeta,
    /// `collection.pre.js`, `folder.md`, ...: the directory's own sidecars.
    DirSidecar,
    /// Anything else (README, data files): not ours, left alone.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sidecar {
    Body { ext: String },
    GraphQlVariables,
    PreRequest,
    Test,
    Description,
    Example { slug: String, ext: String },
}

/// Stems postie would not be able to tell from a sidecar or a meta file.
pub fn is_reserved_stem(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    lower == "collection"
        || lower == "folder"
        || lower.is_empty()
        || lower.starts_with('.')
        || lower.ends_with(".body")
        || lower.ends_with(".variables")
        || lower.ends_with(".pre")
        || lower.ends_with(".test")
        || lower.contains(".example.")
}

pub fn classify(file_name: &str) -> FileKind {
    if file_name.starts_with('.') {
        return FileKind::Other;
    }
    if file_name == COLLECTION_FILE || file_name == FOLDER_FILE {
        return FileKind::DirMeta;
    }
    for own in ["collection", "folder"] {
        if let Some(rest) = file_name.strip_prefix(own) {
            if matches!(rest, ".pre.js" | ".test.js" | ".md") {
                return FileKind::DirSidecar;
            }
        }
    }
    if let Some(stem) = file_name.strip_suffix(".pre.js") {
        return sidecar(stem, Sidecar::PreRequest);
    }
    if let Some(stem) = file_name.strip_suffix(".test.js") {
        return sidecar(stem, Sidecar::Test);
    }
    if let Some(stem) = file_name.strip_suffix(".variables.json") {
        return sidecar(stem, Sidecar::GraphQlVariables);
    }
    if let Some(i) = file_name.rfind(".example.") {
        let rest = &file_name[i + ".example.".len()..];
        if let Some((slug, ext)) = rest.rsplit_once('.') {
            if !slug.is_empty() && !ext.is_empty() && !file_name[..i].is_empty() {
                return sidecar(
                    &file_name[..i],
                    Sidecar::Example {
                        slug: slug.to_string(),
                        ext: ext.to_string(),
                    },
                );
            }
        }
    }
    if let Some((before, ext)) = file_name.rsplit_once('.') {
        if let Some(stem) = before.strip_suffix(".body") {
            if !stem.is_empty() {
                return sidecar(
                    stem,
                    Sidecar::Body {
                        ext: ext.to_string(),
                    },
                );
            }
        }
    }
    if let Some(stem) = file_name.strip_suffix(".md") {
        return sidecar(stem, Sidecar::Description);
    }
    if let Some(stem) = file_name.strip_suffix(".json") {
        if !stem.is_empty() {
            return FileKind::Request {
                stem: stem.to_string(),
            };
        }
    }
    FileKind::Other
}

fn sidecar(stem: &str, sidecar: Sidecar) -> FileKind {
    if stem.is_empty() {
        return FileKind::Other;
    }
    FileKind::Sidecar {
        stem: stem.to_string(),
        sidecar,
    }
}

pub fn body_file(stem: &str, ext: &str) -> String {
    format!("{stem}.body.{ext}")
}
pub fn variables_file(stem: &str) -> String {
    format!("{stem}.variables.json")
}
pub fn pre_file(stem: &str) -> String {
    format!("{stem}.pre.js")
}
pub fn test_file(stem: &str) -> String {
    format!("{stem}.test.js")
}
pub fn description_file(stem: &str) -> String {
    format!("{stem}.md")
}
pub fn example_file(stem: &str, slug: &str, ext: &str) -> String {
    format!("{stem}.example.{slug}.{ext}")
}

/// A file-name-safe, lowercase stem for a display name: `Get user (v2)` →
/// `get-user-v2`. Never empty, never reserved.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    // Long names make unwieldy paths; 60 characters keeps them readable.
    let mut out: String = out.chars().take(60).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("request");
    }
    if is_reserved_stem(&out) {
        out.push_str("-1");
    }
    out
}

/// `base`, or `base-2`, `base-3`, ... : the first that `taken` (compared
/// case-insensitively, for macOS and Windows checkouts) does not hold.
pub fn unique_stem(base: &str, taken: &[String]) -> String {
    let clash = |s: &str| taken.iter().any(|t| t.eq_ignore_ascii_case(s));
    if !clash(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !clash(s))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem_of(k: FileKind) -> Option<String> {
        match k {
            FileKind::Request { stem } | FileKind::Sidecar { stem, .. } => Some(stem),
            _ => None,
        }
    }

    #[test]
    fn files_are_told_apart_by_suffix() {
        assert_eq!(
            classify("get-user.json"),
            FileKind::Request {
                stem: "get-user".into()
            }
        );
        assert!(matches!(
            classify("get-user.body.json"),
            FileKind::Sidecar {
                sidecar: Sidecar::Body { .. },
                ..
            }
        ));
        assert!(matches!(
            classify("q.variables.json"),
            FileKind::Sidecar {
                sidecar: Sidecar::GraphQlVariables,
                ..
            }
        ));
        assert!(matches!(
            classify("a.example.ok.json"),
            FileKind::Sidecar {
                sidecar: Sidecar::Example { .. },
                ..
            }
        ));
        assert_eq!(stem_of(classify("a.b.example.ok.json")).unwrap(), "a.b");
        assert_eq!(classify("folder.json"), FileKind::DirMeta);
        assert_eq!(classify("collection.pre.js"), FileKind::DirSidecar);
        assert_eq!(classify(".hidden.json"), FileKind::Other);
        assert_eq!(classify("logo.png"), FileKind::Other);
        assert_eq!(classify(".json"), FileKind::Other);
        assert_eq!(stem_of(classify("v1.2.json")).unwrap(), "v1.2");
    }

    #[test]
    fn slugs_are_safe_and_never_reserved() {
        assert_eq!(slugify("Get user (v2)"), "get-user-v2");
        assert_eq!(slugify("  ../../etc/passwd "), "etc-passwd");
        assert_eq!(slugify("Ünïcode Nämé"), "ünïcode-nämé");
        assert_eq!(slugify("***"), "request");
        assert_eq!(slugify("Folder"), "folder-1");
    }

    #[test]
    fn unique_stems_ignore_case() {
        let taken = vec!["Get-User".to_string(), "get-user-2".to_string()];
        assert_eq!(unique_stem("get-user", &taken), "get-user-3");
        assert_eq!(unique_stem("other", &taken), "other");
    }
}
