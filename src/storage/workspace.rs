//! The workspace as a tree: collections, folders, requests, environments,
//! and every problem found while loading them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::{Folder, Request, WorkspaceConfig};

use super::layout::{self, classify, FileKind, Sidecar};
use super::load::{self, shown};
use super::StorageError;

/// Nesting deeper than this is refused: it is a loop or a mistake.
const MAX_DEPTH: usize = 32;

/// Walks up from `start` to the first directory holding `postie.json`.
pub fn find_root(start: &Path) -> Result<PathBuf, StorageError> {
    let start = fs::canonicalize(start).map_err(|e| StorageError::io(start, e))?;
    start
        .ancestors()
        .find(|d| d.join(layout::WORKSPACE_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(StorageError::NoWorkspace(start))
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: WorkspaceConfig,
    pub collections: Vec<FolderNode>,
    pub environments: Vec<String>,
    /// Problems found while loading; what could be loaded still was.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct FolderNode {
    /// Workspace path, e.g. `users/admin`.
    pub path: String,
    pub dir: PathBuf,
    pub is_collection: bool,
    pub folder: Folder,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Folder(FolderNode),
    Request(RequestNode),
    /// A request file that could not be loaded; shown, never overwritten.
    Broken(BrokenNode),
}

#[derive(Debug, Clone)]
pub struct RequestNode {
    /// Workspace path, e.g. `users/get-user`.
    pub path: String,
    pub file: PathBuf,
    pub request: Request,
}

#[derive(Debug, Clone)]
pub struct BrokenNode {
    pub path: String,
    pub file: PathBuf,
    pub diagnostic: Diagnostic,
}

impl FolderNode {
    pub fn name(&self) -> String {
        self.folder
            .name
            .clone()
            .unwrap_or_else(|| last_segment(&self.path).to_string())
    }
}

impl RequestNode {
    pub fn name(&self) -> String {
        self.request
            .name
            .clone()
            .unwrap_or_else(|| last_segment(&self.path).to_string())
    }
}

pub fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Workspace {
    /// What sending `request` as `path` needs, from the loaded tree (no
    /// file read): the collection and folders down to it, the config.
    /// `None` when a folder of the path is not in the tree.
    pub fn context_for(&self, path: &str, request: Request) -> Option<RequestContext> {
        let segments: Vec<&str> = path.split('/').collect();
        let (stem, dirs) = segments.split_last()?;
        if dirs.is_empty() {
            return None;
        }
        let mut chain = Vec::new();
        let mut node: Option<&FolderNode> = None;
        for i in 0..dirs.len() {
            let prefix = dirs[..=i].join("/");
            let found = match node {
                None => self.collections.iter().find(|f| f.path == prefix),
                Some(parent) => parent.items.iter().find_map(|it| match it {
                    Item::Folder(f) if f.path == prefix => Some(f),
                    _ => None,
                }),
            }?;
            chain.push((found.path.clone(), found.folder.clone()));
            node = Some(found);
        }
        let dir = node.map(|n| n.dir.clone())?;
        Some(RequestContext {
            root: self.root.clone(),
            config: self.config.clone(),
            chain,
            path: path.to_string(),
            file: dir.join(format!("{stem}.json")),
            request,
        })
    }

    /// Every request, depth first in display order.
    pub fn requests(&self) -> Vec<&RequestNode> {
        fn walk<'a>(items: &'a [Item], out: &mut Vec<&'a RequestNode>) {
            for item in items {
                match item {
                    Item::Request(r) => out.push(r),
                    Item::Folder(f) => walk(&f.items, out),
                    Item::Broken(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        for c in &self.collections {
            walk(&c.items, &mut out);
        }
        out
    }
}

/// Loads the whole workspace at `root`. Only a missing or too-new
/// `postie.json` is fatal; every other problem becomes a diagnostic.
pub fn load_workspace(root: &Path) -> Result<Workspace, StorageError> {
    load(root, None)
}

/// [`load_workspace`], handing `first` the first collection (no
/// diagnostics yet) as soon as it has loaded, before the others, so the
/// app shows a big workspace's tree without waiting for all of it.
/// `first` is not called when there is only one collection.
pub fn load_workspace_progressive(
    root: &Path,
    mut first: impl FnMut(Workspace),
) -> Result<Workspace, StorageError> {
    load(root, Some(&mut first))
}

fn load(root: &Path, first: Option<&mut dyn FnMut(Workspace)>) -> Result<Workspace, StorageError> {
    let mut diagnostics = Vec::new();
    let config = match load::load_workspace_config_checked(root, &mut diagnostics) {
        Ok(c) => c,
        Err(e @ (StorageError::FormatTooNew { .. } | StorageError::Io { .. })) => return Err(e),
        Err(e) => {
            diagnostics.push(to_diag(root, &root.join(layout::WORKSPACE_FILE), e));
            WorkspaceConfig::default()
        }
    };
    let names: Vec<String> = sorted_entries(root, &mut diagnostics)
        .dirs
        .into_iter()
        .filter(|n| {
            n != layout::ENVIRONMENTS_DIR && root.join(n).join(layout::COLLECTION_FILE).is_file()
        })
        .collect();
    let environments = load::list_environments(root);
    // Collections load in parallel (a big workspace is mostly file reads
    // and JSON parsing) and come back in name order.
    let mut slots: Vec<Option<(FolderNode, Vec<Diagnostic>)>> = Vec::new();
    slots.resize_with(names.len(), || None);
    // Shown first: the first collection, loaded alone so nothing competes
    // with it for the cores; the rest then load in parallel.
    let mut start = 0;
    if let (Some(first), [name, _, ..]) = (first, names.as_slice()) {
        let mut diags = Vec::new();
        let node = load_dir(root, &root.join(name), name, true, 0, &mut diags);
        first(Workspace {
            root: root.to_path_buf(),
            config: config.clone(),
            collections: vec![node.clone()],
            environments: environments.clone(),
            diagnostics: Vec::new(),
        });
        slots[0] = Some((node, diags));
        start = 1;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(names.len() - start)
        .max(1);
    let lost = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let names = &names;
                let tx = tx.clone();
                scope.spawn(move || {
                    let mine = |i: &usize| i.checked_sub(start).is_some_and(|k| k % threads == t);
                    for (i, name) in names.iter().enumerate().filter(|(i, _)| mine(i)) {
                        let mut diags = Vec::new();
                        let node = load_dir(root, &root.join(name), name, true, 0, &mut diags);
                        if tx.send((i, node, diags)).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        for (i, node, diags) in rx {
            slots[i] = Some((node, diags));
        }
        handles.into_iter().any(|h| h.join().is_err())
    });
    if lost {
        // A loader bug must not make collections vanish silently.
        diagnostics.push(Diagnostic::error(
            root,
            "some collections could not be loaded (an internal error); please report it",
        ));
    }
    let mut collections = Vec::with_capacity(slots.len());
    for (node, diags) in slots.into_iter().flatten() {
        collections.push(node);
        diagnostics.extend(diags);
    }
    for env in &environments {
        if let Err(e) = load::load_environment_checked(root, env, &mut diagnostics) {
            diagnostics.push(to_diag(root, &load::environment_file(root, env), e));
        }
    }
    Ok(Workspace {
        root: root.to_path_buf(),
        config,
        collections,
        environments,
        diagnostics,
    })
}

fn to_diag(root: &Path, file: &Path, e: StorageError) -> Diagnostic {
    match e {
        StorageError::Invalid(d) => *d,
        other => Diagnostic::error(shown(root, file), other.to_string()),
    }
}

struct Entries {
    dirs: Vec<String>,
    files: Vec<String>,
}

fn sorted_entries(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Entries {
    let mut out = Entries {
        dirs: Vec::new(),
        files: Vec::new(),
    };
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                dir,
                format!("cannot read directory: {e}"),
            ));
            return out;
        }
    };
    for entry in rd.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // file_type does not follow symlinks, so a link loop cannot recurse.
        match entry.file_type() {
            Ok(t) if t.is_dir() => out.dirs.push(name),
            Ok(t) if t.is_file() || t.is_symlink() => out.files.push(name),
            _ => {}
        }
    }
    out.dirs.sort();
    out.files.sort();
    out
}

fn load_dir(
    root: &Path,
    dir: &Path,
    path: &str,
    is_collection: bool,
    depth: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> FolderNode {
    let folder = match load::load_folder_checked(root, dir, is_collection, diagnostics) {
        Ok(f) => f,
        Err(e) => {
            let file = if is_collection {
                layout::COLLECTION_FILE
            } else {
                layout::FOLDER_FILE
            };
            diagnostics.push(to_diag(root, &dir.join(file), e));
            Folder::default()
        }
    };
    let entries = sorted_entries(dir, diagnostics);
    let mut stems = BTreeSet::new();
    let mut sidecars = Vec::new();
    for f in &entries.files {
        match classify(f) {
            FileKind::Request { stem } => {
                stems.insert(stem);
            }
            FileKind::Sidecar { stem, sidecar } => sidecars.push((f.clone(), stem, sidecar)),
            _ => {}
        }
    }
    for (file, stem, sidecar) in &sidecars {
        // A lone `<name>.md` is just documentation, not an orphan.
        if !stems.contains(stem) && *sidecar != Sidecar::Description {
            diagnostics.push(Diagnostic::warning(
                shown(root, &dir.join(file)),
                format!("stray sidecar: no request `{stem}.json` beside it"),
            ));
        }
    }

    let mut items: Vec<(String, Item)> = Vec::new();
    for name in &entries.dirs {
        let sub = dir.join(name);
        let sub_path = format!("{path}/{name}");
        if depth >= MAX_DEPTH {
            diagnostics.push(Diagnostic::error(
                shown(root, &sub),
                format!("folders nested deeper than {MAX_DEPTH} are not loaded"),
            ));
            continue;
        }
        let node = load_dir(root, &sub, &sub_path, false, depth + 1, diagnostics);
        // Directories with no requests and no folder.json (e.g. body data
        // files) are not folders.
        if node.items.is_empty() && !sub.join(layout::FOLDER_FILE).is_file() {
            continue;
        }
        items.push((name.clone(), Item::Folder(node)));
    }
    let listing: std::collections::HashSet<String> = entries.files.iter().cloned().collect();
    for stem in stems {
        let file = dir.join(format!("{stem}.json"));
        let req_path = format!("{path}/{stem}");
        let item = match load::load_request_checked(root, dir, &stem, Some(&listing), diagnostics) {
            Ok(request) => Item::Request(RequestNode {
                path: req_path,
                file,
                request,
            }),
            Err(e) => {
                let d = to_diag(root, &file, e);
                diagnostics.push(d.clone());
                Item::Broken(BrokenNode {
                    path: req_path,
                    file,
                    diagnostic: d,
                })
            }
        };
        items.push((stem, item));
    }
    let items = apply_order(items, &folder.order);
    FolderNode {
        path: path.to_string(),
        dir: dir.to_path_buf(),
        is_collection,
        folder,
        items,
    }
}

/// Listed names first, in list order; the rest after, folders then
/// requests, each sorted by name.
fn apply_order(mut items: Vec<(String, Item)>, order: &[String]) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    for name in order {
        if let Some(i) = items.iter().position(|(n, _)| n == name) {
            out.push(items.remove(i).1);
        }
    }
    items.sort_by(|(a, ia), (b, ib)| {
        let rank = |i: &Item| matches!(i, Item::Folder(_)) as u8;
        rank(ib)
            .cmp(&rank(ia))
            .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
            .then_with(|| a.cmp(b))
    });
    out.extend(items.into_iter().map(|(_, i)| i));
    out
}

/// What sending one request needs, loaded without reading the whole
/// workspace (one-shot `postie send` stays fast on big workspaces).
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub root: PathBuf,
    pub config: WorkspaceConfig,
    /// Collection first, then each folder down to the request's.
    pub chain: Vec<(String, Folder)>,
    pub path: String,
    pub file: PathBuf,
    pub request: Request,
}

/// Turns what the user typed (`users/get-user`, `users/get-user.json`, or a
/// file path relative to the current directory) into a workspace path.
pub fn normalize_request_path(root: &Path, cwd: &Path, input: &str) -> String {
    let trimmed = input.trim().trim_matches('/');
    let as_file = cwd.join(trimmed);
    if trimmed.ends_with(".json") && as_file.is_file() {
        if let Ok(abs) = fs::canonicalize(&as_file) {
            if let Ok(rel) = abs.strip_prefix(root) {
                let s = rel.to_string_lossy().replace('\\', "/");
                return s.trim_end_matches(".json").to_string();
            }
        }
    }
    trimmed.trim_end_matches(".json").to_string()
}

pub fn load_request_context(root: &Path, path: &str) -> Result<RequestContext, StorageError> {
    load_request_context_checked(root, path).map(|(cx, _)| cx)
}

/// [`load_request_context`], with the warnings (unknown fields) of the
/// files it read: `postie.json`, the collection's and folders' files, the
/// request.
pub fn load_request_context_checked(
    root: &Path,
    path: &str,
) -> Result<(RequestContext, Vec<Diagnostic>), StorageError> {
    let mut warnings = Vec::new();
    let config = load::load_workspace_config_checked(root, &mut warnings)?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let not_found = || StorageError::NoSuchRequest {
        path: path.to_string(),
        hint: suggest_request(root, path),
    };
    if segments.len() < 2
        || segments
            .iter()
            .any(|s| *s == "." || *s == ".." || s.starts_with('.'))
    {
        return Err(not_found());
    }
    let (stem, dirs) = segments.split_last().ok_or_else(not_found)?;
    let mut dir = root.to_path_buf();
    let mut chain = Vec::new();
    for (i, seg) in dirs.iter().enumerate() {
        dir.push(seg);
        if !dir.is_dir() || (i == 0 && !dir.join(layout::COLLECTION_FILE).is_file()) {
            return Err(not_found());
        }
        let folder = load::load_folder_checked(root, &dir, i == 0, &mut warnings)?;
        chain.push((dirs[..=i].join("/"), folder));
    }
    let file = dir.join(format!("{stem}.json"));
    if !file.is_file() || !matches!(classify(&format!("{stem}.json")), FileKind::Request { .. }) {
        return Err(not_found());
    }
    let request = load::load_request_checked(root, &dir, stem, None, &mut warnings)?;
    let cx = RequestContext {
        root: root.to_path_buf(),
        config,
        chain,
        path: segments.join("/"),
        file,
        request,
    };
    Ok((cx, warnings))
}

/// The closest request path by edit distance, for "did you mean".
fn suggest_request(root: &Path, path: &str) -> Option<String> {
    let ws = load_workspace(root).ok()?;
    ws.requests()
        .into_iter()
        .map(|r| (edit_distance(&r.path, path), r.path.clone()))
        .filter(|(d, p)| *d <= (p.len() / 3).max(2))
        .min()
        .map(|(_, p)| p)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod unknown_field_tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn misspelled_fields_of_every_file_kind_are_warnings_and_the_files_still_load() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        write(r, "postie.json", "{\"format\": 1, \"nmae\": \"w\"}");
        write(r, "api/collection.json", "{\"hedaers\": []}");
        write(r, "api/sub/folder.json", "{\n  \"ordre\": []\n}");
        write(
            r,
            "api/sub/get.json",
            "{\"method\": \"GET\", \"url\": \"/\", \"urll\": 1}",
        );
        write(r, "environments/local.json", "{\"variabels\": {}}");
        let ws = load_workspace(r).unwrap();
        let shown: Vec<String> = ws.diagnostics.iter().map(|d| d.render_short()).collect();
        for want in [
            "postie.json:1:15: warning: unknown field `nmae`; did you mean `name`?",
            "api/collection.json:1:2: warning: unknown field `hedaers`; did you mean `headers`?",
            "api/sub/folder.json:2:3: warning: unknown field `ordre`; did you mean `order`?",
            "api/sub/get.json:1:31: warning: unknown field `urll`; did you mean `url`?",
            "environments/local.json:1:2: warning: unknown field `variabels`; did you mean `variables`?",
        ] {
            assert!(shown.iter().any(|s| s == want), "{want}\n{shown:#?}");
        }
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert_eq!(ws.requests().len(), 1);

        let (_, warnings) = load_request_context_checked(r, "api/sub/get").unwrap();
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
    }
}
