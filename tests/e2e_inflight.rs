//! Under load, in a real terminal: 200 sends of one request wait on a slow
//! server at once (it drips 2 bytes over a minute); the app still takes keys (another request opens), and
//! one palette command cancels them all. (Frame times are measured by
//! `benches/inflight.sh`, not asserted here.)

mod common;

use common::tmux::Tmux;
use common::*;

#[test]
fn two_hundred_sends_in_flight_keep_the_app_usable_and_cancel_all_ends_them() {
    let (server, ws) = demo_on_echo();
    let root = ws.path();
    std::fs::create_dir_all(root.join("slow")).unwrap();
    std::fs::write(root.join("slow/collection.json"), "{}\n").unwrap();
    std::fs::write(
        root.join("slow/wait.json"),
        format!(
            "{{\n  \"method\": \"GET\",\n  \"url\": \"{}\"\n}}\n",
            server.url("/drip?bytes=2&duration_ms=60000")
        ),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(root, &cmd) else {
        return;
    };
    t.wait_for("Auth kinds");
    t.keys(&["1", "/"]);
    t.literal("slow/wait");
    t.keys(&["Enter"]);
    t.wait_for("/drip?bytes=2");
    t.keys(&["C-r"; 200]);
    t.wait_for("200 in flight");

    // Keys still work: another request opens while all 200 wait.
    t.keys(&["1", "/"]);
    t.literal("auth/digest");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Request Digest");
    assert!(screen.contains("in flight"), "{screen}");

    // One command ends them all, each as cancelled.
    t.keys(&["C-p"]);
    t.wait_for("run a command");
    t.literal("cancel every");
    t.keys(&["Enter"]);
    t.wait_gone("in flight");
    assert!(t.alive());
    t.keys(&["C-q"]);
    t.wait_for("POSTIE-EXITED-0");
}
