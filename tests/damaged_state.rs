//! "Nothing lost": history, cookies, cached tokens and the state file torn
//! mid-write or corrupted. postie still starts and sends, says what it
//! skipped, and keeps everything else (the damaged cookie jar is set aside,
//! not deleted; history's good records stay).

mod common;

use std::path::Path;

use common::tmux::Tmux;
use common::*;

/// The demo on a private echo server, sent to once so history, cookies
/// and an OAuth 2.0 token exist; then every one of them damaged.
fn damaged_demo() -> (postie::echo::EchoServer, tempfile::TempDir) {
    let (server, ws) = demo_on_echo();
    for request in ["auth/oauth2", "users/get-user", "auth/bearer"] {
        let out = postie(ws.path())
            .args(["send", request, "--env", "local"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{request}: {}", stderr(&out));
    }
    let state = ws.path().join(".postie");
    // A cookie jar to damage: the echo sets one.
    let out = postie(ws.path())
        .args(["send", "http/cookies", "--env", "local"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(state.join("cookies.json"), "{\"cookies\": [{\"na").unwrap();
    for entry in std::fs::read_dir(state.join("oauth2")).unwrap().flatten() {
        std::fs::write(entry.path(), "{\"access_tok").unwrap();
    }
    std::fs::write(state.join("state.json"), "{\"environment\": \"loc").unwrap();
    // The last history record torn mid-line.
    let history = (std::fs::read_dir(state.join("history")).unwrap().flatten())
        .map(|e| e.path())
        .max()
        .unwrap();
    let text = std::fs::read_to_string(&history).unwrap();
    std::fs::write(&history, &text[..text.len() - 40]).unwrap();
    (server, ws)
}

fn history_count(root: &Path) -> usize {
    let out = postie(root).args(["history", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    (stdout(&out).lines())
        .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
        .count()
}

#[test]
fn postie_sends_says_what_it_skipped_and_keeps_the_rest() {
    let (_server, ws) = damaged_demo();
    let root = ws.path();
    let kept_cookies = std::fs::read(root.join(".postie/cookies.json")).unwrap();
    let before = history_count(root);
    assert_eq!(before, 3, "four sent, the last torn");

    let out = postie(root)
        .args(["send", "auth/oauth2", "--env", "local"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("cookies.json is damaged"), "{err}");
    assert!(err.contains("OAuth 2.0 token is fetched anew"), "{err}");
    // The damaged jar is set aside, byte for byte, not deleted.
    assert_eq!(
        std::fs::read(root.join(".postie/cookies.json.bad")).unwrap(),
        kept_cookies
    );
    // Without --env the remembered environment is unreadable: said, and
    // the default is used.
    let out = postie(root)
        .args(["send", "users/get-user"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("state.json"), "{}", stderr(&out));

    // History: the torn record is skipped with a word, the others stay,
    // and the new exchanges are added.
    let out = postie(root).args(["history"]).output().unwrap();
    assert!(
        stderr(&out).contains("skipped a damaged record"),
        "{}",
        stderr(&out)
    );
    assert_eq!(history_count(root), before + 2);
}

#[test]
fn the_app_starts_and_says_what_it_skipped() {
    let (_server, ws) = damaged_demo();
    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(ws.path(), &cmd) else {
        return;
    };
    t.wait_for("Auth kinds");
    t.wait_for("cookies.json is damaged");
    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
}
