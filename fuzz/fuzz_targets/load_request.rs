#![no_main]
//! The workspace loader on arbitrary file contents: the first byte picks
//! which file of a small workspace gets the rest (a request, a collection's
//! settings, an environment, `postie.json`); the file's own loader and the
//! whole-workspace loader must return a value or an error, never panic.
//! The files are real (on tmpfs where there is one) so the same functions
//! the app calls run, validation and sidecars included.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use postie::storage::{self, load};

const CONFIG: &str = r#"{"format": 1, "name": "fuzz"}"#;
const COLLECTION: &str = r#"{"variables": []}"#;
const REQUEST: &str = r#"{"method": "GET", "url": "http://127.0.0.1/"}"#;
const ENVIRONMENT: &str = r#"{"variables": []}"#;

/// One workspace per process, rewritten each run.
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!("postie-fuzz-load-{}", std::process::id()));
        std::fs::create_dir_all(root.join("api")).expect("temp dir");
        std::fs::create_dir_all(root.join("environments")).expect("temp dir");
        root
    })
}

fn write(path: &Path, text: &[u8]) {
    std::fs::write(path, text).expect("write temp file");
}

fn build(root: &Path, chosen: u8, text: &[u8]) {
    let files: [(PathBuf, &str); 4] = [
        (root.join("api").join("req.json"), REQUEST),
        (root.join("api").join("collection.json"), COLLECTION),
        (root.join("environments").join("dev.json"), ENVIRONMENT),
        (root.join("postie.json"), CONFIG),
    ];
    for (i, (path, default)) in files.iter().enumerate() {
        if i == chosen as usize {
            write(path, text);
        } else {
            write(path, default.as_bytes());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let chosen = selector % 4;
    let root = root();
    build(root, chosen, text);
    let dir = root.join("api");
    let mut warnings = Vec::new();
    match chosen {
        0 => {
            let listing: HashSet<String> = ["req.json".to_string()].into();
            let _ = load::load_request_checked(root, &dir, "req", Some(&listing), &mut warnings);
        }
        1 => {
            let _ = load::load_folder_checked(root, &dir, true, &mut warnings);
        }
        2 => {
            let _ = load::load_environment_checked(root, "dev", &mut warnings);
        }
        _ => {
            let _ = load::load_workspace_config_checked(root, &mut warnings);
        }
    }
    // Every warning must render (it points into the text).
    for w in &warnings {
        let _ = w.render_short();
    }
    if let Ok(ws) = storage::load_workspace(root) {
        let _ = ws.requests().len();
    }
});
