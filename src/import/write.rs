//! Writing an [`Import`] into a workspace through the storage code, never
//! over an existing file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Folder;
use crate::storage::layout::{self, slugify, unique_stem};
use crate::storage::{save, state, StorageError};

use super::secrets::{protect_environment, protect_folder, protect_request, SecretStore};
use super::{Import, ImportedFolder, ImportedItem, Report};

/// What was written, for the import report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Written {
    pub collections: usize,
    pub folders: usize,
    pub requests: usize,
    pub variables: usize,
    pub scripts: usize,
    pub environments: usize,
    /// Workspace paths of the collections (or folders, with `--into`) made.
    pub roots: Vec<String>,
    /// `--into`'s collection and folders that did not exist and were made
    /// for the import (or would be, in a dry run), outermost first.
    pub created: Vec<String>,
    /// What happened to credentials: moved into secrets, or kept (and why).
    pub report: Report,
}

impl Written {
    /// "1 collection, 3 requests": what was made, in words, for the CLI's
    /// and the app's reports ("nothing" when empty).
    pub fn counts(&self) -> String {
        let parts = [
            (self.collections, "collection"),
            (self.folders, "folder"),
            (self.requests, "request"),
            (self.variables, "variable"),
            (self.scripts, "script"),
            (self.environments, "environment"),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        if shown.is_empty() {
            "nothing".to_string()
        } else {
            shown.join(", ")
        }
    }
}

/// Names already used in `dir` (files' stems and directories), so a new
/// one never collides, case-insensitively.
/// Names in `dir` a new entry would clash with. At the workspace root only
/// directories count: a file there (`shop.json` being imported) is no
/// collection, so `shop` stays free for one.
fn taken_in(dir: &Path, dirs_only: bool) -> Vec<String> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !dirs_only || e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            match n.split_once('.') {
                Some((stem, _)) if !stem.is_empty() => stem.to_string(),
                _ => n,
            }
        })
        .collect()
}

/// Writes `import` into the workspace at `root`: each collection becomes a
/// new top-level collection, or with `into` (a collection or folder path) a
/// new folder inside it. Directory and file names come from display names,
/// made unique; nothing existing is overwritten.
pub fn write_import(
    root: &Path,
    import: &Import,
    into: Option<&str>,
) -> Result<Written, StorageError> {
    write_or_plan(root, import, into, false)
}

/// What [`write_import`] would write, names and moved credentials
/// included, without writing anything (`--dry-run`).
pub fn plan_import(
    root: &Path,
    import: &Import,
    into: Option<&str>,
) -> Result<Written, StorageError> {
    write_or_plan(root, import, into, true)
}

fn write_or_plan(
    root: &Path,
    import: &Import,
    into: Option<&str>,
    dry: bool,
) -> Result<Written, StorageError> {
    let mut w = Written::default();
    let mut store = SecretStore::for_workspace(root)?;
    let parent = match into {
        Some(p) => Some(into_dir(root, p, dry, &mut w.created)?),
        None => None,
    };
    for coll in &import.collections {
        let (base_dir, base_path) = match &parent {
            Some((p, dir)) => (dir.clone(), format!("{p}/")),
            None => (root.to_path_buf(), String::new()),
        };
        let is_collection = parent.is_none();
        // Two imports from the same source must not show as two
        // collections of the same name in the tree.
        let title = unique_title(&coll.name, &titles_in(root, &base_dir, is_collection));
        let mut taken = taken_in(&base_dir, is_collection);
        taken.push(layout::ENVIRONMENTS_DIR.to_string());
        let name = unique_stem(&slugify(&title), &taken);
        let dir = base_dir.join(&name);
        let mut coll = coll.clone();
        coll.folder.name = Some(title.clone());
        coll.name = title;
        let mut out = Out {
            w: &mut w,
            store: &mut store,
            dry,
        };
        write_folder(root, &dir, &coll, is_collection, &mut out)?;
        if is_collection {
            w.collections += 1;
        } else {
            w.folders += 1;
        }
        w.roots.push(format!("{base_path}{name}"));
    }
    if !dry {
        store.save(root)?;
    }
    let mut taken = crate::storage::load::list_environments(root);
    for env in &import.environments {
        let name = unique_stem(&slugify(&env.name), &taken);
        taken.push(name.clone());
        let mut env = env.clone();
        protect_environment(&mut env, &name, &mut w.report);
        if !dry {
            save::save_environment(root, &name, &env.environment)?;
            if !env.secrets.is_empty() {
                state::save_secrets(root, &name, &env.secrets)?;
            }
        }
        w.variables += env.environment.variables.0.len();
        w.environments += 1;
    }
    Ok(w)
}

/// The workspace path and directory of `--into PATH`: a collection, or a
/// folder inside one. What does not exist yet is made (the collection,
/// then each folder; only noted in a dry run), so an import can start a
/// collection; a path naming a request or another file is an error saying
/// what it names.
fn into_dir(
    root: &Path,
    path: &str,
    dry: bool,
    created: &mut Vec<String>,
) -> Result<(String, PathBuf), StorageError> {
    let p = path.trim().trim_matches('/');
    let segments: Vec<&str> = p.split('/').map(str::trim).collect();
    if p.is_empty()
        || segments
            .iter()
            .any(|s| s.is_empty() || s.starts_with('.') || s.contains('\\'))
    {
        return Err(StorageError::BadName(p.to_string()));
    }
    let mut dir = root.to_path_buf();
    let mut shown: Vec<String> = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let is_collection = i == 0;
        let existing = dir.join(seg);
        let so_far = |last: &str| {
            let mut parts = shown.clone();
            parts.push(last.to_string());
            parts.join("/")
        };
        if is_collection && seg.eq_ignore_ascii_case(layout::ENVIRONMENTS_DIR) {
            return Err(StorageError::NotAFolder {
                path: so_far(seg),
                what: "the environments directory",
            });
        }
        if existing.is_dir() {
            if is_collection && !existing.join(layout::COLLECTION_FILE).is_file() {
                return Err(StorageError::NotAFolder {
                    path: so_far(seg),
                    what: "a directory without collection.json",
                });
            }
            shown.push(seg.to_string());
            dir = existing;
            continue;
        }
        if existing.exists() {
            return Err(StorageError::NotAFolder {
                path: so_far(seg),
                what: "a file",
            });
        }
        if !is_collection && dir.join(format!("{seg}.json")).is_file() {
            return Err(StorageError::NotAFolder {
                path: so_far(seg),
                what: "a request",
            });
        }
        let slug = slugify(seg);
        let made = dir.join(&slug);
        if slug.is_empty() || made.exists() {
            return Err(StorageError::BadName(so_far(seg)));
        }
        shown.push(slug.clone());
        created.push(shown.join("/"));
        if !dry {
            fs::create_dir_all(&made).map_err(|e| StorageError::io(&made, e))?;
            // The name typed is kept when the directory's name differs.
            let folder = Folder {
                name: (slug != *seg).then(|| seg.to_string()),
                ..Folder::default()
            };
            save::save_folder(root, &made, is_collection, &folder)?;
        }
        dir = made;
    }
    Ok((shown.join("/"), dir))
}

/// Display names of the collections in the workspace, or of the folders
/// in `dir` (the directory name when a file names none).
fn titles_in(root: &Path, dir: &Path, collections: bool) -> Vec<String> {
    let marker = if collections {
        layout::COLLECTION_FILE
    } else {
        layout::FOLDER_FILE
    };
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter(|e| !collections || e.path().join(marker).is_file())
        .map(|e| {
            let dir_name = e.file_name().to_string_lossy().into_owned();
            crate::storage::load::load_folder(root, &e.path(), collections)
                .ok()
                .and_then(|f| f.name)
                .unwrap_or(dir_name)
        })
        .collect()
}

/// `name`, or `name 2`, `name 3`… the first not in `taken` (ignoring case).
fn unique_title(name: &str, taken: &[String]) -> String {
    let clash = |s: &str| {
        taken
            .iter()
            .any(|t| t.trim().eq_ignore_ascii_case(s.trim()))
    };
    if !clash(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| format!("{name} {n}"))
        .find(|s| !clash(s))
        .unwrap_or_else(|| name.to_string())
}

/// What writing collects besides the files.
struct Out<'a> {
    w: &'a mut Written,
    store: &'a mut SecretStore,
    /// Plan only: touch nothing on disk.
    dry: bool,
}

fn write_folder(
    root: &Path,
    dir: &PathBuf,
    imported: &ImportedFolder,
    is_collection: bool,
    out: &mut Out,
) -> Result<(), StorageError> {
    let rel = |file: String| {
        let p = dir.join(file);
        crate::storage::load::shown(root, &p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    if dir.exists() {
        return Err(StorageError::Exists(dir.clone()));
    }
    if !out.dry {
        fs::create_dir_all(dir).map_err(|e| StorageError::io(dir, e))?;
    }
    let mut taken: Vec<String> = vec!["collection".into(), "folder".into()];
    let mut order = Vec::new();
    for item in &imported.items {
        match item {
            ImportedItem::Folder(sub) => {
                let name = unique_stem(&slugify(&sub.name), &taken);
                taken.push(name.clone());
                write_folder(root, &dir.join(&name), sub, false, out)?;
                out.w.folders += 1;
                order.push(name);
            }
            ImportedItem::Request(req) => {
                let display = req.name.clone().unwrap_or_default();
                let name = unique_stem(&slugify(&display), &taken);
                taken.push(name.clone());
                let mut req = req.clone();
                let file = rel(format!("{name}.json"));
                protect_request(&mut req, &file, out.store, &mut out.w.report);
                if !out.dry {
                    save::save_request(root, dir, &name, &req)?;
                }
                let w = &mut *out.w;
                w.requests += 1;
                w.scripts += usize::from(req.pre_request.as_deref().is_some_and(|s| !s.is_empty()))
                    + usize::from(req.test.as_deref().is_some_and(|s| !s.is_empty()));
                order.push(name);
            }
        }
    }
    let mut folder: Folder = imported.folder.clone();
    if folder.name.is_none() {
        folder.name = Some(imported.name.clone());
    }
    // The source's order is part of what was imported.
    folder.order = order;
    let base = if is_collection {
        "collection"
    } else {
        "folder"
    };
    protect_folder(
        &mut folder,
        &rel(format!("{base}.json")),
        out.store,
        &mut out.w.report,
    );
    let w = &mut *out.w;
    w.variables += folder.variables.0.len();
    w.scripts += usize::from(folder.pre_request.as_deref().is_some_and(|s| !s.is_empty()))
        + usize::from(folder.test.as_deref().is_some_and(|s| !s.is_empty()));
    let needs_file = is_collection || folder != Folder::default();
    if needs_file && !out.dry {
        save::save_folder(root, dir, is_collection, &folder)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Request;

    fn req(name: &str) -> ImportedItem {
        let mut r = Request::new("GET", "http://x/");
        r.name = Some(name.into());
        ImportedItem::Request(Box::new(r))
    }

    #[test]
    fn writes_in_source_order_with_unique_names_and_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        crate::storage::init::init_workspace(d.path(), None).unwrap();
        let import = Import {
            collections: vec![ImportedFolder {
                name: "Example".into(),
                folder: Folder::default(),
                items: vec![
                    req("Zed"),
                    req("get user"),
                    req("Get User"),
                    ImportedItem::Folder(Box::new(ImportedFolder {
                        name: "Admin".into(),
                        folder: Folder::default(),
                        items: vec![req("List")],
                    })),
                ],
            }],
            ..Import::default()
        };
        let w = write_import(d.path(), &import, None).unwrap();
        // "example" exists (from init): the import gets a new name.
        assert_eq!(w.roots, ["example-2"]);
        assert_eq!((w.requests, w.folders), (4, 1));
        let ws = crate::storage::load_workspace(d.path()).unwrap();
        assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
        let paths: Vec<&str> = ws
            .requests()
            .iter()
            .map(|r| r.path.as_str())
            .collect::<Vec<_>>();
        let mine: Vec<&str> = paths
            .into_iter()
            .filter(|p| p.starts_with("example-2/"))
            .collect();
        assert_eq!(
            mine,
            [
                "example-2/zed",
                "example-2/get-user",
                "example-2/get-user-2",
                "example-2/admin/list"
            ]
        );

        let w2 = write_import(d.path(), &import, Some("example")).unwrap();
        assert_eq!(w2.roots, ["example/example"]);
    }
}
