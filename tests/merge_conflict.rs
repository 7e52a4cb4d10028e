//! "Nothing lost" after a `git merge` that conflicts inside a request file
//! or a sidecar: an error names the file, the line and the conflict; the
//! file is left untouched; the rest of the workspace works; the app offers
//! to open the file in `$EDITOR` and loads it again once fixed.

mod common;

use std::path::Path;

use common::tmux::Tmux;
use common::*;

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// A workspace in a git repo whose `api/item` request (URL) and
/// `api/other` body sidecar were changed on two branches and merged.
fn conflicted() -> Option<tempfile::TempDir> {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("skipping: git is not available");
        return None;
    }
    write(root, "postie.json", r#"{"format": 1}"#);
    std::fs::create_dir(root.join("api")).unwrap();
    write(root, "api/collection.json", r#"{"name": "API"}"#);
    let item = |url: &str| format!("{{\n  \"method\": \"GET\",\n  \"url\": \"{url}\"\n}}\n");
    write(root, "api/item.json", &item("http://127.0.0.1:9/v1"));
    write(
        root,
        "api/other.json",
        "{\n  \"method\": \"POST\",\n  \"url\": \"http://127.0.0.1:9/o\",\n  \"body\": {\"type\": \"json\"}\n}\n",
    );
    write(root, "api/other.body.json", "{\"n\": 1}\n");
    write(root, "api/fine.json", &item("http://127.0.0.1:9/fine"));
    assert!(git(root, &["add", "-A"]) && git(root, &["commit", "-qm", "base"]));
    assert!(git(root, &["checkout", "-qb", "feature"]));
    write(root, "api/item.json", &item("http://127.0.0.1:9/v2"));
    write(root, "api/other.body.json", "{\"n\": 2}\n");
    assert!(git(root, &["commit", "-qam", "feature"]));
    assert!(git(root, &["checkout", "-q", "main"]));
    write(root, "api/item.json", &item("http://127.0.0.1:9/v3"));
    write(root, "api/other.body.json", "{\"n\": 3}\n");
    assert!(git(root, &["commit", "-qam", "main"]));
    // The merge conflicts: that is the point.
    git(root, &["merge", "-q", "feature"]);
    let text = std::fs::read_to_string(root.join("api/item.json")).unwrap();
    assert!(text.contains("<<<<<<< HEAD"), "{text}");
    Some(d)
}

#[test]
fn a_conflicted_file_is_named_with_its_line_left_alone_and_the_rest_works() {
    let Some(ws) = conflicted() else {
        return;
    };
    let root = ws.path();
    let before = (
        std::fs::read(root.join("api/item.json")).unwrap(),
        std::fs::read(root.join("api/other.body.json")).unwrap(),
    );
    let out = postie(root).args(["ls"]).output().unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    let all = format!("{text}{err}");
    assert!(all.contains("api/item.json:3:1"), "{all}");
    assert!(
        all.contains("api/other.body.json:1:1"),
        "the sidecar: {all}"
    );
    assert!(
        all.contains("merge conflict between `HEAD` and `feature`"),
        "{all}"
    );
    assert!(text.contains("api/fine"), "the rest still loads: {text}");

    let out = postie(root).args(["send", "api/item"]).output().unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("merge conflict"), "{}", stderr(&out));
    // Another request still runs (its server is down: a send error, not a
    // load error).
    let out = postie(root).args(["send", "api/fine"]).output().unwrap();
    assert!(!stderr(&out).contains("conflict"), "{}", stderr(&out));
    assert!(stderr(&out).contains("127.0.0.1:9"), "{}", stderr(&out));
    let after = (
        std::fs::read(root.join("api/item.json")).unwrap(),
        std::fs::read(root.join("api/other.body.json")).unwrap(),
    );
    assert_eq!(before, after, "the conflicted files are untouched");
}

#[test]
fn the_app_offers_to_open_the_conflicted_file_in_the_editor() {
    let Some(ws) = conflicted() else {
        return;
    };
    let root = ws.path();
    // The "editor": resolves the conflict as a user would, taking ours.
    let fix = root.join("fix.sh");
    std::fs::write(
        &fix,
        "#!/bin/sh\nprintf '{\\n  \"method\": \"GET\",\\n  \"url\": \"http://127.0.0.1:9/v3\"\\n}\\n' > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fix, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!(
        "VISUAL={} {} ; echo POSTIE-EXITED-$? ; sleep 30",
        fix.display(),
        bin.display()
    );
    let Some(t) = Tmux::start(root, &cmd) else {
        return;
    };
    t.wait_for("API");
    t.keys(&["/"]);
    t.literal("item");
    t.keys(&["Enter"]);
    // (The status line says "could not be read" from the start: wait for
    // the dialog's button.)
    let screen = t.wait_for("Open in $EDITOR");
    assert!(screen.contains("merge conflict"), "{screen}");
    assert!(
        screen.contains("api/item.json could not be read"),
        "{screen}"
    );
    t.keys(&["Enter"]);
    // Fixed and reloaded: it opens as a request.
    t.wait_gone("Open in $EDITOR");
    // Reloaded: the tree lists it as a request again.
    t.wait_for("GET     item");
    t.keys(&["1", "/"]);
    t.literal("item");
    t.keys(&["Enter"]);
    t.wait_for("/v3");
    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
}
