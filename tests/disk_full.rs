//! "Nothing lost" on a full disk and a read-only directory: saving fails
//! with an error naming the file and the cause, the file on disk stays as
//! it was (nothing truncated), and no temporary file is left. The disk is
//! a small tmpfs the test mounts; where it cannot (not root, no mount), it
//! skips with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

use postie::model::{Body, RawKind, Request};

/// A tmpfs of `size` mounted on a fresh directory, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipping: cannot mount a tmpfs here (needs root and mount)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn request(body_bytes: usize) -> Request {
    let mut r = Request::new("POST", "http://127.0.0.1:9/items");
    r.body.body = Body::Raw {
        kind: RawKind::Text,
        text: "b".repeat(body_bytes),
    };
    r
}

/// A workspace on `root` with `api/item` saved; the bytes of its files.
fn workspace(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::write(root.join("postie.json"), r#"{"format": 1}"#).unwrap();
    std::fs::create_dir(root.join("api")).unwrap();
    std::fs::write(root.join("api/collection.json"), r#"{"name": "API"}"#).unwrap();
    let dir = root.join("api");
    postie::storage::save::save_request(root, &dir, "item", &request(1000)).unwrap();
    files(&dir)
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = (std::fs::read_dir(dir).unwrap().flatten())
        .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
        .collect();
    all.sort();
    all
}

#[test]
fn a_full_disk_fails_the_save_clearly_and_truncates_nothing() {
    let Some(fs) = Tmpfs::mount("256k") else {
        return;
    };
    let root = fs.path();
    let before = workspace(root);
    // Fill the disk to the last byte.
    let filler = root.join("filler");
    let mut chunk = vec![0u8; 4096];
    let mut f = std::fs::File::create(&filler).unwrap();
    use std::io::Write;
    while f.write_all(&chunk).is_ok() {}
    chunk.truncate(1);
    while f.write_all(&chunk).is_ok() {}
    drop(f);

    let dir = root.join("api");
    let err = postie::storage::save::save_request(root, &dir, "item", &request(64 * 1024))
        .expect_err("a full disk saves nothing");
    let message = err.to_string();
    assert!(message.contains("item"), "names the file: {message}");
    assert!(
        message.to_lowercase().contains("no space"),
        "says why: {message}"
    );
    assert_eq!(files(&dir), before, "the saved files are as they were");
    // And they still load as the request last saved.
    let loaded = postie::storage::load::load_request(root, &dir, "item").unwrap();
    assert_eq!(loaded, request(1000));
}

#[test]
fn a_read_only_directory_fails_the_save_clearly_and_keeps_the_files() {
    let Some(fs) = Tmpfs::mount("1m") else {
        return;
    };
    let root = fs.path();
    let before = workspace(root);
    assert!(fs.remount_read_only(), "remount read-only");
    let dir = root.join("api");
    let err = postie::storage::save::save_request(root, &dir, "item", &request(2000))
        .expect_err("a read-only directory saves nothing");
    let message = err.to_string();
    assert!(message.contains("item"), "names the file: {message}");
    assert!(
        message.to_lowercase().contains("read-only"),
        "says why: {message}"
    );
    assert_eq!(files(&dir), before);
}
