//! "Nothing lost": a process saving a request in a loop through the app's
//! own save code is killed with SIGKILL at random moments. After each kill
//! every file is the old or the new version and valid, and temporary files
//! do not pile up. 50 kills always; 1,000 with `POSTIE_LONG_TESTS=1`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use postie::model::{Body, RawKind, Request};

/// Set in the child: the workspace it saves into, forever.
const CHILD: &str = "POSTIE_CRASH_CHILD_WORKSPACE";

fn version(n: u64) -> Request {
    let mut r = Request::new("POST", format!("http://127.0.0.1:9/items/{n}"));
    r.body.body = Body::Raw {
        kind: RawKind::Json,
        // Big enough that a write takes more than one syscall.
        text: format!(
            "{{\"version\": {n}, \"pad\": \"{}\"}}\n",
            "x".repeat(64 * 1024)
        ),
    };
    r.pre_request = Some(format!("// version {n}\npm.variables.set('n', '{n}');\n"));
    r
}

/// Not a test of its own: the child process the real test kills. Run
/// alone (without the variable) it returns at once.
#[test]
fn save_loop_child() {
    let Some(root) = std::env::var_os(CHILD).map(PathBuf::from) else {
        return;
    };
    let dir = root.join("api");
    let start: u64 = std::fs::read_to_string(root.join("next"))
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(1);
    for n in start.. {
        postie::storage::save::save_request(&root, &dir, "item", &version(n)).unwrap();
    }
}

fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("postie.json"), r#"{"format": 1}"#).unwrap();
    std::fs::create_dir(d.path().join("api")).unwrap();
    std::fs::write(d.path().join("api/collection.json"), r#"{"name": "API"}"#).unwrap();
    let dir = d.path().join("api");
    postie::storage::save::save_request(d.path(), &dir, "item", &version(0)).unwrap();
    d
}

/// Every file of the request parses and is one whole version.
fn check(root: &Path, kill: usize) -> u64 {
    let dir = root.join("api");
    let request = postie::storage::load::load_request(root, &dir, "item")
        .unwrap_or_else(|e| panic!("kill {kill}: the request does not load: {e}"));
    let n: u64 = request
        .url
        .rsplit('/')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("kill {kill}: url {}", request.url));
    // Each sidecar on its own is a whole version (they are written one
    // after another, so two may differ by one).
    let Body::Raw { text, .. } = &request.body.body else {
        panic!("kill {kill}: body {:?}", request.body.body)
    };
    let body: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("kill {kill}: body is not whole JSON: {e}"));
    let b = body["version"].as_u64().unwrap();
    let script = request.pre_request.clone().unwrap_or_default();
    let s: u64 = script
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// version "))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("kill {kill}: script {script:?}"));
    assert_eq!(
        script,
        format!("// version {s}\npm.variables.set('n', '{s}');\n")
    );
    // Sidecars go first, the request file last: none is behind it.
    assert!(
        b >= n && s >= n && b <= n + 1 && s <= n + 1,
        "kill {kill}: {n} {b} {s}"
    );
    n
}

fn temp_files(dir: &Path) -> Vec<String> {
    (std::fs::read_dir(dir).unwrap().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[test]
fn killed_mid_save_every_file_is_old_or_new_and_no_temp_files_pile_up() {
    if !cfg!(unix) {
        eprintln!("skipping: SIGKILL is a Unix signal");
        return;
    }
    let kills = if std::env::var_os("POSTIE_LONG_TESTS").is_some() {
        1000
    } else {
        50
    };
    let ws = workspace();
    let root = ws.path();
    let me = std::env::current_exe().unwrap();
    let mut last = 0;
    let mut most_temps = 0;
    for kill in 0..kills {
        std::fs::write(root.join("next"), (last + 1).to_string()).unwrap();
        let mut child = Command::new(&me)
            .args(["--exact", "save_loop_child", "--test-threads=1", "-q"])
            .env(CHILD, root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The child needs a few ms to start; kill it somewhere in its loop.
        std::thread::sleep(Duration::from_micros(fastrand::u64(3_000..40_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        last = check(root, kill).max(last);
        most_temps = most_temps.max(temp_files(&root.join("api")).len());
    }
    // A kill leaves at most the file being written; the next save sweeps
    // what the dead left.
    assert!(most_temps <= 3, "{most_temps} temporary files at once");
    let dir = root.join("api");
    postie::storage::save::save_request(root, &dir, "item", &version(last + 1)).unwrap();
    assert_eq!(temp_files(&dir), Vec::<String>::new());
    eprintln!(
        "{kills} kills; the last whole version saved was {last}; at most {most_temps} temporary files at once"
    );
    assert!(last > 0, "no save ever finished: the kills came too soon");
}
