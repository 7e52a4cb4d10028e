//! Making things: `postie init` (a new workspace with one example
//! collection), a new collection, a new request. Nothing is ever
//! overwritten.

use std::fs;
use std::path::Path;

use crate::model::{
    Body, Environment, Folder, KeyValue, RawKind, Request, Variable, Variables, WorkspaceConfig,
};

use super::layout::{
    self, COLLECTION_FILE, ENVIRONMENTS_DIR, FOLDER_FILE, STATE_DIR, WORKSPACE_FILE,
};
use super::{load, ops, save, state, StorageError};

/// Makes a workspace in `dir` (created if missing). Refuses a directory
/// that already is one, and never overwrites a file.
pub fn init_workspace(dir: &Path, name: Option<&str>) -> Result<Vec<String>, StorageError> {
    fs::create_dir_all(dir).map_err(|e| StorageError::io(dir, e))?;
    let marker = dir.join(WORKSPACE_FILE);
    if marker.exists() {
        return Err(StorageError::Exists(marker));
    }
    let collection_dir = dir.join("example");
    if collection_dir.exists() {
        return Err(StorageError::Exists(collection_dir));
    }
    let mut created = Vec::new();

    let config = WorkspaceConfig {
        name: name.map(String::from),
        // The example's `item_name` lives in `local`: a send without
        // --env should work out of the box.
        default_environment: Some("local".into()),
        ..WorkspaceConfig::default()
    };
    save::save_workspace_config(dir, &config)?;
    created.push(WORKSPACE_FILE.to_string());

    let gitignore = dir.join(".gitignore");
    let line = format!("{STATE_DIR}/");
    let existing = fs::read_to_string(&gitignore).unwrap_or_default();
    if !existing
        .lines()
        .any(|l| l.trim() == line || l.trim() == STATE_DIR)
    {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!(
            "# postie's local state: secrets, cookies, history\n{line}\n"
        ));
        super::atomic::write_atomic(&gitignore, text.as_bytes())
            .map_err(|e| StorageError::io(&gitignore, e))?;
        created.push(".gitignore".into());
    }
    state::ensure_state_dir(dir)?;

    fs::create_dir_all(&collection_dir).map_err(|e| StorageError::io(&collection_dir, e))?;
    let collection = Folder {
        name: Some("Example".into()),
        variables: Variables(vec![(
            "base_url".into(),
            Variable::Plain("http://127.0.0.1:8080".into()),
        )]),
        description: Some(
            "# Example\n\nRequests to `postie echo`, which answers with what it received.\n\
             Start it with `postie echo`, then `postie send example/hello -i`.\n"
                .into(),
        ),
        ..Folder::default()
    };
    save::save_folder(dir, &collection_dir, true, &collection)?;
    created.push(format!("example/{COLLECTION_FILE}"));
    created.push("example/collection.md".into());

    let mut hello = Request::new("GET", "{{base_url}}/hello");
    hello.name = Some("Say hello".into());
    hello.params.push(KeyValue::new("name", "world"));
    hello
        .headers
        .push(KeyValue::new("X-Request-Id", "{{$guid}}"));
    save::save_request(dir, &collection_dir, "hello", &hello)?;
    created.push("example/hello.json".into());

    let mut create = Request::new("POST", "{{base_url}}/items");
    create.name = Some("Create an item".into());
    create.body.body = Body::Raw {
        kind: RawKind::Json,
        text: "{\n  \"name\": \"{{item_name}}\",\n  \"created\": \"{{$isoTimestamp}}\"\n}\n".into(),
    };
    save::save_request(dir, &collection_dir, "create-item", &create)?;
    created.push("example/create-item.json".into());
    created.push("example/create-item.body.json".into());

    let env = Environment {
        variables: Variables(vec![(
            "item_name".into(),
            Variable::Plain("first item".into()),
        )]),
        ..Environment::default()
    };
    save::save_environment(dir, "local", &env)?;
    created.push("environments/local.json".into());
    Ok(created)
}

/// Makes a collection at the workspace root for the display name `name`:
/// its directory is the name's slug (`Users API` → `users-api/`), and a
/// name that is not its own slug is kept as the collection's `name`.
/// Returns the collection's path.
pub fn create_collection(root: &Path, name: &str) -> Result<String, StorageError> {
    let name = name.trim();
    if !name.chars().any(char::is_alphanumeric) {
        return Err(StorageError::BadName(name.to_string()));
    }
    let slug = layout::slugify(name);
    if slug == ENVIRONMENTS_DIR {
        return Err(StorageError::BadName(name.to_string()));
    }
    let dir = root.join(&slug);
    if dir.exists() {
        return Err(StorageError::Exists(load::shown(root, &dir)));
    }
    fs::create_dir_all(&dir).map_err(|e| StorageError::io(&dir, e))?;
    let folder = Folder {
        name: (slug != name).then(|| name.to_string()),
        ..Folder::default()
    };
    save::save_folder(root, &dir, true, &folder)?;
    Ok(slug)
}

/// Makes the request `path` (`users/get-user`, `users/admin/get-user`)
/// with `method` and `url`. The collection must exist (a typo should not
/// make a new one); folders below it are made as needed. Refuses to
/// overwrite the request or any file of its name (a stray body or
/// script). Returns the files made, relative to the root.
pub fn create_request(
    root: &Path,
    path: &str,
    method: &str,
    url: &str,
) -> Result<Vec<String>, StorageError> {
    let path = path.trim().trim_matches('/').trim_end_matches(".json");
    let segments: Vec<&str> = path.split('/').collect();
    let bad = || StorageError::BadName(path.to_string());
    let (stem, dirs) = segments.split_last().ok_or_else(bad)?;
    if dirs.is_empty()
        || segments
            .iter()
            .any(|s| s.trim().is_empty() || s.starts_with('.') || s.contains('\\'))
        || layout::is_reserved_stem(stem)
        || dirs[0] == ENVIRONMENTS_DIR
    {
        return Err(bad());
    }
    let method = method.trim().to_ascii_uppercase();
    if !load::is_token(&method) {
        return Err(StorageError::BadName(method));
    }
    let collection = root.join(dirs[0]);
    if !collection.join(COLLECTION_FILE).is_file() {
        return Err(StorageError::NoSuchCollection {
            name: dirs[0].to_string(),
            available: collection_names(root),
        });
    }
    let dir = dirs.iter().fold(root.to_path_buf(), |d, s| d.join(s));
    let file = dir.join(format!("{stem}.json"));
    if file.exists() {
        return Err(StorageError::Exists(load::shown(root, &file)));
    }
    if let Some(sidecar) = ops::sidecar_names(&dir, stem).first() {
        return Err(StorageError::Exists(load::shown(root, &dir.join(sidecar))));
    }
    let mut created = Vec::new();
    let mut folder_dir = collection;
    for (i, seg) in dirs.iter().enumerate().skip(1) {
        folder_dir.push(seg);
        if !folder_dir.is_dir() {
            fs::create_dir_all(&folder_dir).map_err(|e| StorageError::io(&folder_dir, e))?;
        }
        // A folder without requests is only a folder with folder.json.
        if !folder_dir.join(FOLDER_FILE).is_file() {
            save::save_folder(root, &folder_dir, false, &Folder::default())?;
            created.push(format!("{}/{FOLDER_FILE}", dirs[..=i].join("/")));
        }
    }
    save::save_request(root, &dir, stem, &Request::new(method, url))?;
    created.push(format!("{path}.json"));
    Ok(created)
}

/// The workspace's collections, by directory name.
pub fn collection_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join(COLLECTION_FILE).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_loads_cleanly_and_init_twice_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let created = init_workspace(d.path(), Some("t")).unwrap();
        assert!(created.contains(&"example/hello.json".to_string()));
        let ws = crate::storage::load_workspace(d.path()).unwrap();
        assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
        assert_eq!(ws.requests().len(), 2);
        assert_eq!(ws.environments, ["local"]);
        assert!(fs::read_to_string(d.path().join(".gitignore"))
            .unwrap()
            .contains(".postie/"));
        assert!(matches!(
            init_workspace(d.path(), None),
            Err(StorageError::Exists(_))
        ));
    }

    #[test]
    fn a_new_workspace_defaults_to_its_local_environment() {
        let d = tempfile::tempdir().unwrap();
        init_workspace(d.path(), None).unwrap();
        let ws = crate::storage::load_workspace(d.path()).unwrap();
        assert_eq!(ws.config.default_environment.as_deref(), Some("local"));
    }

    #[test]
    fn a_collection_is_made_from_a_name_and_never_over_another() {
        let d = tempfile::tempdir().unwrap();
        init_workspace(d.path(), None).unwrap();
        assert_eq!(
            create_collection(d.path(), "Users API").unwrap(),
            "users-api"
        );
        assert_eq!(create_collection(d.path(), "billing").unwrap(), "billing");
        let ws = crate::storage::load_workspace(d.path()).unwrap();
        let names: Vec<String> = ws.collections.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["billing", "Example", "Users API"]);
        assert!(matches!(
            create_collection(d.path(), "users api"),
            Err(StorageError::Exists(_))
        ));
        for bad in ["", "***", "environments", " "] {
            assert!(
                matches!(
                    create_collection(d.path(), bad),
                    Err(StorageError::BadName(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_new_request_makes_its_folders_but_not_its_collection_and_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        init_workspace(d.path(), None).unwrap();
        let made = create_request(
            d.path(),
            "example/admin/list-users",
            "post",
            "{{base_url}}/u",
        )
        .unwrap();
        assert_eq!(
            made,
            ["example/admin/folder.json", "example/admin/list-users.json"]
        );
        let ws = crate::storage::load_workspace(d.path()).unwrap();
        assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
        let r = ws
            .requests()
            .into_iter()
            .find(|r| r.path == "example/admin/list-users")
            .unwrap();
        assert_eq!(
            (r.request.method.as_str(), r.request.url.as_str()),
            ("POST", "{{base_url}}/u")
        );
        assert!(matches!(
            create_request(d.path(), "example/hello", "GET", "x"),
            Err(StorageError::Exists(_))
        ));
        // A stray sidecar of that name is not silently taken over.
        fs::write(d.path().join("example/ping.body.json"), "{}").unwrap();
        assert!(matches!(
            create_request(d.path(), "example/ping", "GET", "x"),
            Err(StorageError::Exists(_))
        ));
        match create_request(d.path(), "exmple/hello", "GET", "x") {
            Err(e @ StorageError::NoSuchCollection { .. }) => {
                assert!(e.to_string().contains("collections: example"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        assert!(!d.path().join("exmple").exists());
        for bad in [
            "hello",
            "example/.hidden",
            "example/collection",
            "example//x",
        ] {
            assert!(
                matches!(
                    create_request(d.path(), bad, "GET", "x"),
                    Err(StorageError::BadName(_))
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            create_request(d.path(), "example/x", "GE T", "x"),
            Err(StorageError::BadName(_))
        ));
    }
}
