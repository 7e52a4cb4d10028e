//! End to end: the real binary in a real terminal (tmux). Open the demo,
//! find a request, send it to an echo server started by the test, see the
//! status and the body, quit. Skips with a message when tmux is missing.

mod common;

use common::tmux::Tmux;
use common::*;

#[test]
fn open_the_demo_send_a_request_see_the_response_and_quit() {
    let (_server, ws) = demo_on_echo();

    let bin = assert_cmd::cargo::cargo_bin("postie");
    // `; sleep` keeps the pane after exit so a crash message stays readable.
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(ws.path(), &cmd) else {
        return;
    };
    t.wait_for("Auth kinds");
    t.wait_for("env: local");
    t.keys(&["/"]);
    t.literal("get-user");
    t.keys(&["Enter"]);
    t.wait_for("users_url");
    t.keys(&["C-r"]);
    let screen = t.wait_for("200");
    assert!(screen.contains("OK"), "{screen}");
    t.wait_for("/v1/users/42");
    // Sent again, both are in history: the view lists them, diffs them,
    // and reopens the older one in the response pane.
    t.keys(&["C-r"]);
    t.wait_for("in ");
    t.keys(&["H"]);
    t.wait_for("History · users/get-user");
    t.wait_for("2 exchanges");
    t.keys(&["d"]);
    t.wait_for("History · diff users/get-user");
    // esc alone (an esc right before a key reads as alt-key).
    t.keys(&["Escape"]);
    t.wait_for("enter reopen");
    t.keys(&["j", "Enter"]);
    t.wait_for("Response · history");
    // A change on disk (another editor, a git pull) reloads the request.
    let file = ws.path().join("users/get-user.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\"Get user\"", "\"Get one user\"")).unwrap();
    t.wait_for("reloaded from disk");
    // Help overlay from the keymap.
    t.keys(&["F1"]);
    t.wait_for("send the open request");
    // esc alone: one right before another key reads as alt-key.
    t.keys(&["Escape"]);
    t.wait_gone("esc closes");
    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
    assert!(t.alive());
}

/// The issue's "done means" in a real terminal: a pre-request script sets a
/// variable, the request carries it, the test script asserts on the JSON
/// response; the Tests tab names the failing test with its message.
#[test]
fn scripts_run_on_send_and_the_tests_tab_names_the_failing_test() {
    let (_server, ws) = demo_on_echo();
    std::fs::write(
        ws.path().join("users/get-user.pre.js"),
        "pm.variables.set('who', 'from-script');\npm.request.headers.add({key: 'X-Who', value: '{{who}}'});\n",
    )
    .unwrap();
    std::fs::write(
        ws.path().join("users/get-user.test.js"),
        "const echo = pm.response.json();\npm.test('the header went', () => {\n  const h = echo.headers.find(h => h[0] === 'x-who');\n  pm.expect(h[1]).to.equal('from-script');\n});\npm.test('it was a POST', () => pm.expect(echo.method).to.equal('POST'));\n",
    )
    .unwrap();

    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(ws.path(), &cmd) else {
        return;
    };
    t.wait_for("env: local");
    t.keys(&["/"]);
    t.literal("get-user");
    t.keys(&["Enter"]);
    t.wait_for("users_url");
    t.keys(&["C-r"]);
    t.wait_for("tests 1/2");
    t.keys(&["3", "]"]);
    t.wait_for("✓ the header went");
    let screen = t.wait_for("✗ it was a POST");
    assert!(
        screen.contains("expected 'GET' to equal 'POST'"),
        "{screen}"
    );
    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
}

/// Issue 10's "In the TUI": the run key in the tree runs the collection
/// through the same runner as `postie run`; the summary shows, the first
/// failure is selected with its failing test, and enter opens it.
#[test]
fn the_run_key_runs_the_collection_and_shows_the_failing_test() {
    let (_server, ws) = demo_on_echo();
    std::fs::write(
        ws.path().join("users/list-users.test.js"),
        "pm.test('lists 99 users', () => pm.expect(pm.response.json().users).to.have.lengthOf(99));\n",
    )
    .unwrap();

    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(ws.path(), &cmd) else {
        return;
    };
    t.wait_for("env: local");
    t.keys(&["/"]);
    t.literal("list-users");
    t.keys(&["Enter"]);
    t.wait_for("users_url");
    // Back to the tree, on the request: the run takes its folder.
    t.keys(&["1", "R"]);
    let screen = t.wait_for("prerequest-scripts");
    assert!(screen.contains("Run Users API"), "{screen}");
    assert!(screen.contains("✗ lists 99 users"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("its response in the run");
    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
}
