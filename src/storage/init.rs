//! `postie init`: a new workspace with one example collection.

use std::fs;
use std::path::Path;

use crate::model::{
    Body, Environment, Folder, KeyValue, RawKind, Request, Variable, Variables, WorkspaceConfig,
};

use super::layout::{COLLECTION_FILE, STATE_DIR, WORKSPACE_FILE};
use super::{save, state, StorageError};

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
}
