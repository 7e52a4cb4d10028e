//! What a run sends, in order: every request under the chosen collection,
//! folder or request, depth first as Postman runs them, each with the
//! context the pipeline needs (its folder chain and the request). Built
//! from the workspace or from a Postman collection imported in memory.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::import::{ImportedFolder, ImportedItem};
use crate::model::{Folder, WorkspaceConfig};
use crate::storage::workspace::{FolderNode, Item, Workspace};
use crate::storage::RequestContext;

use super::record::ItemInfo;

/// One request of the run.
#[derive(Debug, Clone)]
pub struct PlanItem {
    pub info: ItemInfo,
    pub context: RequestContext,
    /// Postman ids (or workspace paths) of the folders down to it, for
    /// `--folder` by id.
    pub folder_ids: Vec<String>,
    /// Which top-level folder it is in (`None`: directly in the
    /// collection), for `--parallel-folders` and `--shard` by folder.
    pub top: Option<usize>,
}

/// A request that could not be loaded: run as a request error, so a run
/// over a broken workspace fails instead of silently shrinking.
#[derive(Debug, Clone)]
pub struct BrokenItem {
    pub info: ItemInfo,
    pub diagnostic: Diagnostic,
}

#[derive(Debug, Clone)]
pub enum Step {
    Request(Box<PlanItem>),
    Broken(Box<BrokenItem>),
}

impl Step {
    pub fn info(&self) -> &ItemInfo {
        match self {
            Step::Request(item) => &item.info,
            Step::Broken(b) => &b.info,
        }
    }

    fn folder_ids(&self) -> &[String] {
        match self {
            Step::Request(item) => &item.folder_ids,
            Step::Broken(_) => &[],
        }
    }

    pub fn top(&self) -> Option<usize> {
        match self {
            Step::Request(item) => item.top,
            Step::Broken(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// The collection's display name.
    pub name: String,
    /// The collection's key for variables scripts set (its path).
    pub collection: String,
    pub steps: Vec<Step>,
    /// Display names of the top-level folders, by `PlanItem::top`.
    pub top_folders: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error("no collection, folder or request `{0}` in this workspace{1}")]
    NotFound(String, String),
    #[error("unable to find a folder or request: {}", .0.join(", "))]
    NoSuchFolder(Vec<String>),
    #[error("`{0}` has no requests to run")]
    Empty(String),
}

impl Plan {
    /// The run of `target` (`users`, `users/admin` or `users/get-user`).
    pub fn from_workspace(ws: &Workspace, target: &str) -> Result<Plan, PlanError> {
        let target = target.trim().trim_matches('/').trim_end_matches(".json");
        let collection_path = target.split('/').next().unwrap_or_default();
        let Some(collection) = ws.collections.iter().find(|c| c.path == collection_path) else {
            let names: Vec<String> = ws.collections.iter().map(|c| c.path.clone()).collect();
            let hint = if names.is_empty() {
                String::new()
            } else {
                format!(" (collections: {})", names.join(", "))
            };
            return Err(PlanError::NotFound(target.to_string(), hint));
        };
        let mut plan = Plan {
            name: collection.name(),
            collection: collection.path.clone(),
            steps: Vec::new(),
            top_folders: Vec::new(),
        };
        let mut walk = WorkspaceWalk {
            ws,
            plan: &mut plan,
            target,
        };
        walk.folder(collection, &[], None);
        if plan.steps.is_empty() {
            let found = target == collection.path
                || find_folder(&collection.items, target)
                || collection_has_request(&collection.items, target);
            return if found {
                Err(PlanError::Empty(target.to_string()))
            } else {
                Err(PlanError::NotFound(target.to_string(), String::new()))
            };
        }
        Ok(plan)
    }

    /// The run of a Postman collection imported in memory. `root` stands
    /// for the workspace (newman's working directory: relative file paths
    /// resolve against it); `id_of` gives Postman's id of the item at an
    /// index path (`[2, 0]`: the first item of the third).
    pub fn from_import(
        folder: &ImportedFolder,
        root: &Path,
        id_of: &dyn Fn(&[usize]) -> Option<String>,
    ) -> Result<Plan, PlanError> {
        let key = segment(&folder.name);
        let mut plan = Plan {
            name: folder.name.clone(),
            collection: key.clone(),
            steps: Vec::new(),
            top_folders: Vec::new(),
        };
        let mut walk = ImportWalk {
            root,
            id_of,
            plan: &mut plan,
        };
        let chain = vec![(key.clone(), folder.folder.clone())];
        walk.items(&folder.items, &chain, &[], &[], &mut Vec::new(), None);
        if plan.steps.is_empty() {
            return Err(PlanError::Empty(folder.name.clone()));
        }
        Ok(plan)
    }

    /// Keeps only the folders and requests named (by name or id) in
    /// `selected`, in collection order, as newman's `--folder` does; every
    /// name must match something.
    pub fn select(&mut self, selected: &[String]) -> Result<(), PlanError> {
        if selected.is_empty() {
            return Ok(());
        }
        let mut unmatched: BTreeSet<&String> = selected.iter().collect();
        let mut keep = Vec::new();
        for step in std::mem::take(&mut self.steps) {
            let info = step.info();
            let path_names = info.folders.iter().chain([&info.name]);
            let path_ids = step.folder_ids().iter().chain([&info.id]);
            let mut hit = false;
            for name in path_names.chain(path_ids) {
                if unmatched.remove(name) || selected.contains(name) {
                    hit = true;
                }
            }
            if hit {
                keep.push(step);
            }
        }
        if !unmatched.is_empty() {
            return Err(PlanError::NoSuchFolder(
                unmatched.into_iter().cloned().collect(),
            ));
        }
        self.steps = keep;
        Ok(())
    }

    /// The step `setNextRequest(name_or_id)` goes to: by id first, then by
    /// name, the last of that name winning (as postman-runtime does).
    pub fn position_of(&self, name_or_id: &str) -> Option<usize> {
        let by = |f: &dyn Fn(&ItemInfo) -> bool| self.steps.iter().rposition(|s| f(s.info()));
        by(&|i| i.id == name_or_id).or_else(|| by(&|i| i.name == name_or_id))
    }
}

/// A path segment made from a display name: `/` would split it.
fn segment(name: &str) -> String {
    let s = name.trim().replace(['/', '\\'], "-");
    if s.is_empty() {
        "untitled".to_string()
    } else {
        s
    }
}

struct WorkspaceWalk<'a> {
    ws: &'a Workspace,
    plan: &'a mut Plan,
    target: &'a str,
}

impl WorkspaceWalk<'_> {
    /// Whether `path` is the target or inside it (or the target inside it,
    /// for folders on the way down).
    fn wanted(&self, path: &str) -> bool {
        path == self.target
            || path.starts_with(&format!("{}/", self.target))
            || self.target.starts_with(&format!("{path}/"))
    }

    fn folder(&mut self, node: &FolderNode, names: &[String], top: Option<usize>) {
        for item in &node.items {
            match item {
                Item::Folder(f) if self.wanted(&f.path) => {
                    let top = top.or_else(|| {
                        self.plan.top_folders.push(f.name());
                        Some(self.plan.top_folders.len() - 1)
                    });
                    let mut names = names.to_vec();
                    names.push(f.name());
                    self.folder(f, &names, top);
                }
                Item::Request(r) if self.wanted(&r.path) => {
                    let info = ItemInfo {
                        id: r.path.clone(),
                        name: r.name(),
                        folders: names.to_vec(),
                    };
                    let Some(context) = self.ws.context_for(&r.path, r.request.clone()) else {
                        continue;
                    };
                    let folder_ids = context.chain.iter().skip(1).map(|(p, _)| p.clone());
                    self.plan.steps.push(Step::Request(Box::new(PlanItem {
                        info,
                        folder_ids: folder_ids.collect(),
                        context,
                        top,
                    })));
                }
                Item::Broken(b) if self.wanted(&b.path) => {
                    let name = crate::storage::workspace::last_segment(&b.path).to_string();
                    self.plan.steps.push(Step::Broken(Box::new(BrokenItem {
                        info: ItemInfo {
                            id: b.path.clone(),
                            name,
                            folders: names.to_vec(),
                        },
                        diagnostic: b.diagnostic.clone(),
                    })));
                }
                _ => {}
            }
        }
    }
}

fn find_folder(items: &[Item], path: &str) -> bool {
    items.iter().any(|i| match i {
        Item::Folder(f) => f.path == path || find_folder(&f.items, path),
        _ => false,
    })
}

fn collection_has_request(items: &[Item], path: &str) -> bool {
    items.iter().any(|i| match i {
        Item::Folder(f) => collection_has_request(&f.items, path),
        Item::Request(r) => r.path == path,
        Item::Broken(b) => b.path == path,
    })
}

struct ImportWalk<'a> {
    root: &'a Path,
    id_of: &'a dyn Fn(&[usize]) -> Option<String>,
    plan: &'a mut Plan,
}

impl ImportWalk<'_> {
    fn items(
        &mut self,
        items: &[ImportedItem],
        chain: &[(String, Folder)],
        names: &[String],
        folder_ids: &[String],
        index: &mut Vec<usize>,
        top: Option<usize>,
    ) {
        let dir = chain.last().map(|(p, _)| p.clone()).unwrap_or_default();
        // Two requests of the same name in a folder get distinct paths.
        let mut taken = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            index.push(i);
            let id = (self.id_of)(index);
            match item {
                ImportedItem::Folder(f) => {
                    let top = top.or_else(|| {
                        self.plan.top_folders.push(f.name.clone());
                        Some(self.plan.top_folders.len() - 1)
                    });
                    let path = unique(&mut taken, &dir, &f.name);
                    let mut chain = chain.to_vec();
                    chain.push((path.clone(), f.folder.clone()));
                    let mut names = names.to_vec();
                    names.push(f.name.clone());
                    let mut ids = folder_ids.to_vec();
                    ids.push(id.unwrap_or(path));
                    self.items(&f.items, &chain, &names, &ids, index, top);
                }
                ImportedItem::Request(r) => {
                    let name = r.name.clone().unwrap_or_else(|| "request".to_string());
                    let path = unique(&mut taken, &dir, &name);
                    let context = RequestContext {
                        root: self.root.to_path_buf(),
                        config: WorkspaceConfig::default(),
                        chain: chain.to_vec(),
                        file: self.root.join(format!("{path}.json")),
                        path: path.clone(),
                        request: (**r).clone(),
                    };
                    self.plan.steps.push(Step::Request(Box::new(PlanItem {
                        info: ItemInfo {
                            id: id.unwrap_or(path),
                            name,
                            folders: names.to_vec(),
                        },
                        context,
                        folder_ids: folder_ids.to_vec(),
                        top,
                    })));
                }
            }
            index.pop();
        }
    }
}

fn unique(taken: &mut BTreeSet<String>, dir: &str, name: &str) -> String {
    let base = segment(name);
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base} {n}");
        n += 1;
    }
    format!("{dir}/{candidate}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Request;

    fn request(name: &str) -> ImportedItem {
        let mut r = Request::new("GET", format!("http://127.0.0.1/{name}"));
        r.name = Some(name.to_string());
        ImportedItem::Request(Box::new(r))
    }

    fn folder(name: &str, items: Vec<ImportedItem>) -> ImportedItem {
        ImportedItem::Folder(Box::new(ImportedFolder {
            name: name.to_string(),
            folder: Folder::default(),
            items,
        }))
    }

    fn sample() -> Plan {
        let coll = ImportedFolder {
            name: "Shop".into(),
            folder: Folder::default(),
            items: vec![
                request("login"),
                folder(
                    "Orders",
                    vec![
                        request("list"),
                        folder("Admin", vec![request("purge")]),
                        request("list"),
                    ],
                ),
                folder("Users", vec![request("me")]),
            ],
        };
        let ids = |path: &[usize]| -> Option<String> {
            Some(format!(
                "id-{}",
                path.iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(".")
            ))
        };
        Plan::from_import(&coll, Path::new("/work"), &ids).unwrap()
    }

    fn names(plan: &Plan) -> Vec<String> {
        plan.steps.iter().map(|s| s.info().name.clone()).collect()
    }

    #[test]
    fn an_imported_collection_runs_depth_first_with_its_folder_chain() {
        let plan = sample();
        assert_eq!(names(&plan), ["login", "list", "purge", "list", "me"]);
        let Step::Request(purge) = &plan.steps[2] else {
            panic!("a request")
        };
        assert_eq!(purge.info.folders, ["Orders", "Admin"]);
        assert_eq!(purge.info.id, "id-1.1.0");
        assert_eq!(purge.folder_ids, ["id-1", "id-1.1"]);
        let chain: Vec<&str> = purge
            .context
            .chain
            .iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(chain, ["Shop", "Shop/Orders", "Shop/Orders/Admin"]);
        assert_eq!(purge.context.path, "Shop/Orders/Admin/purge");
        assert_eq!(plan.top_folders, ["Orders", "Users"]);
        assert_eq!(purge.top, Some(0));
        // Same-named requests in one folder get distinct paths.
        let paths: Vec<String> = (plan.steps.iter())
            .map(|s| match s {
                Step::Request(r) => r.context.path.clone(),
                Step::Broken(_) => String::new(),
            })
            .collect();
        assert_eq!(paths[1], "Shop/Orders/list");
        assert_eq!(paths[3], "Shop/Orders/list 2");
    }

    #[test]
    fn folder_selection_keeps_collection_order_and_names_what_it_cannot_find() {
        let mut plan = sample();
        plan.select(&["Users".into(), "id-1.1".into()]).unwrap();
        assert_eq!(names(&plan), ["purge", "me"]);
        let mut plan = sample();
        plan.select(&["login".into()]).unwrap();
        assert_eq!(names(&plan), ["login"]);
        let mut plan = sample();
        assert_eq!(
            plan.select(&["Users".into(), "Nope".into()]),
            Err(PlanError::NoSuchFolder(vec!["Nope".into()]))
        );
    }

    #[test]
    fn set_next_request_finds_ids_first_then_the_last_of_a_name() {
        let plan = sample();
        assert_eq!(plan.position_of("id-2.0"), Some(4));
        assert_eq!(plan.position_of("list"), Some(3));
        assert_eq!(plan.position_of("nothing"), None);
    }
}
