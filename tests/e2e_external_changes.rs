//! "Nothing lost" while files change under the running app (another editor,
//! a script, `git checkout`): the tree follows rewrites, deletions, renames,
//! sidecar edits and branch switches, and an unsaved edit is never dropped
//! nor silently written over someone else's change. Real binary, real
//! terminal (tmux), real git.

mod common;

use std::path::Path;

use common::tmux::Tmux;
use common::*;

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn the_tree_follows_outside_changes_and_unsaved_edits_survive_them() {
    let ws = demo_copy();
    let root = ws.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("skipping: git is not available");
        return;
    }
    assert!(git(root, &["add", "-A"]) && git(root, &["commit", "-qm", "demo"]));
    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(root, &cmd) else {
        return;
    };
    t.wait_for("Auth kinds");
    let open = |name: &str, shown: &str| {
        t.keys(&["1", "/"]);
        t.literal(name);
        t.keys(&["Enter"]);
        t.wait_for(shown);
    };

    // 1. A sidecar rewritten while the request is open (and clean).
    open("create-user", "Request Create user");
    t.keys(&["]", "]"]);
    edit(
        &root.join("users/create-user.body.json"),
        "\"name\"",
        "\"full_name\"",
    );
    t.wait_for("reloaded from disk");
    t.wait_for("full_name");

    // 2. An unsaved edit, then someone else changes the same file: asked,
    //    never written over; keeping mine and saving writes mine.
    open("get-user", "Request Get user");
    t.keys(&["e"]);
    t.literal("?mine=1");
    t.keys(&["Escape"]);
    t.wait_for("?mine=1");
    let file = root.join("users/get-user.json");
    edit(&file, "\"Get user\"", "\"Get user (theirs)\"");
    t.wait_for("changed on disk while you were editing it");
    let theirs = std::fs::read_to_string(&file).unwrap();
    assert!(theirs.contains("(theirs)") && !theirs.contains("mine=1"));
    t.keys(&["Enter"]); // Keep my edits
    t.wait_gone("changed on disk while you were editing it");
    t.keys(&["C-s"]);
    t.wait_for("saved users/get-user");
    // (A query typed in the URL is stored as params.)
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("\"mine\""), "{saved}");

    // 3. The open request deleted outside, with an unsaved edit: kept, and
    //    saving writes it back.
    t.keys(&["2", "e"]);
    t.literal("&again=2");
    t.keys(&["Escape"]);
    std::fs::remove_file(&file).unwrap();
    t.wait_for("no longer on disk");
    t.wait_for("again=2");
    t.keys(&["C-s"]);
    t.wait_for("saved users/get-user");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("\"again\"") && saved.contains("\"mine\""),
        "{saved}"
    );

    // 4. A rename outside (file and sidecars): the tree shows the new name.
    std::fs::rename(
        root.join("auth/digest.json"),
        root.join("auth/digest-md5.json"),
    )
    .unwrap();
    t.keys(&["1", "/"]);
    t.literal("digest-md5");
    // Cut to the tree's width, marked untracked (U): the renamed file.
    t.wait_for("auth/digest… U");
    t.keys(&["Escape"]);

    // 5. git checkout of a branch with a new request, and back.
    assert!(git(root, &["add", "-A"]) && git(root, &["commit", "-qm", "mine"]));
    assert!(git(root, &["checkout", "-qb", "other"]));
    std::fs::write(
        root.join("users/branch-only.json"),
        r#"{"name": "Only on the branch", "method": "GET", "url": "{{users_url}}/b"}"#,
    )
    .unwrap();
    assert!(git(root, &["add", "-A"]) && git(root, &["commit", "-qm", "branch"]));
    t.keys(&["1", "/"]);
    t.literal("branch-only");
    t.wait_for("users/branch");
    assert!(git(root, &["checkout", "-q", "main"]));
    t.wait_for("No match.");
    t.keys(&["Escape"]);

    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
}
