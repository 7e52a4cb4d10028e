//! OAuth 2.0 in the real app, in a real terminal (tmux), against the local
//! authorization server: client credentials, password, the device grant (the user's
//! approval done by the server's hook), the code grant through the loopback
//! redirect (the browser step done by fetching the URL shown on screen), and
//! the code grant over SSH, the redirected URL typed into the prompt.
//! Skips with a message when tmux is missing.

mod common;

use common::oauth_server::{browser_get, AuthServer, ServerConfig};
use common::tmux::Tmux;
use serde_json::json;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The authorization URL in the prompt: the wrapped rows between "Open this
/// URL" and the blank row after, inside the popup's borders.
fn url_on_screen(screen: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|r| r.chars().collect()).collect();
    let top = (rows.iter())
        .position(|r| r.iter().collect::<String>().contains("OAuth 2.0 sign-in"))
        .expect("the prompt");
    let left = rows[top].iter().position(|c| *c == '┌').unwrap() + 1;
    let right = rows[top].iter().position(|c| *c == '┐').unwrap();
    let mut url = String::new();
    // The title row, "Open this URL …", then the URL's rows.
    for row in &rows[top + 2..] {
        let inner: String = row[left..right].iter().collect();
        let inner = inner.trim_end();
        if inner.is_empty() {
            break;
        }
        url.push_str(inner);
    }
    url
}

#[test]
fn every_grant_from_the_app() {
    let server = AuthServer::start(ServerConfig::default());
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "postie.json", r#"{"format": 1, "name": "oauth"}"#);
    write(root, "api/collection.json", r#"{"name": "API"}"#);
    let base = json!({
        "type": "oauth2",
        "token_url": server.token_url(),
        "client_id": "postie-client",
        "client_secret": "postie-secret",
    });
    let with = |extra: serde_json::Value| {
        let mut auth = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            auth[k] = v.clone();
        }
        json!({"method": "GET", "url": server.api_url(), "auth": auth}).to_string()
    };
    write(
        root,
        "api/cc.json",
        &with(json!({"grant": "client_credentials"})),
    );
    write(
        root,
        "api/password.json",
        &with(json!({"grant": "password", "username": "alice", "password": "wonderland"})),
    );
    write(
        root,
        "api/device.json",
        &with(json!({"grant": "device_code", "device_url": server.device_url()})),
    );
    write(
        root,
        "api/loopback.json",
        &with(json!({"grant": "authorization_code", "auth_url": server.authorize_url()})),
    );
    write(
        root,
        "api/pasted.json",
        &with(json!({
            "grant": "authorization_code",
            "auth_url": server.authorize_url(),
            "redirect_uri": "https://app.example/callback",
            // Another scope: another token (the same one would be cached).
            "scope": "read"
        })),
    );

    let bin = assert_cmd::cargo::cargo_bin("postie");
    let cmd = format!("{} ; echo POSTIE-EXITED-$? ; sleep 30", bin.display());
    let Some(t) = Tmux::start(root, &cmd) else {
        return;
    };
    t.wait_for("loopback");
    let open = |name: &str| {
        t.keys(&["1", "/"]);
        t.literal(name);
        t.keys(&["Enter"]);
        t.wait_for(&format!("Request api/{name}"));
    };

    open("cc");
    t.keys(&["C-r"]);
    t.wait_for("\"ok\": true");
    assert_eq!(server.grant_count("client_credentials"), 1);

    open("password");
    t.keys(&["C-r"]);
    t.wait_for("\"token\": \"at-2\"");
    assert_eq!(server.grant_count("password"), 1);

    open("device");
    t.keys(&["C-r"]);
    let screen = t.wait_for("enter the code");
    let code = server.user_codes().pop().expect("a device code");
    assert!(screen.contains(&code), "{screen}");
    assert!(server.approve_device(&code));
    t.wait_gone("enter the code");
    let screen = t.wait_for("\"ok\": true");
    assert!(screen.contains("200"), "{screen}");

    open("loopback");
    t.keys(&["C-r"]);
    let screen = t.wait_for("waits for the redirect");
    let url = url_on_screen(&screen);
    assert!(url.contains("code_challenge="), "{url}\n{screen}");
    let (status, location) = browser_get(&url);
    assert_eq!(status, 302, "{url}");
    browser_get(&location.unwrap());
    t.wait_gone("waits for the redirect");
    t.wait_for("\"ok\": true");

    open("pasted");
    t.keys(&["C-r"]);
    let screen = t.wait_for("Paste the URL");
    let url = url_on_screen(&screen);
    let (_, location) = browser_get(&url);
    t.literal(&location.unwrap());
    t.keys(&["Enter"]);
    t.wait_gone("Paste the URL");
    t.wait_for("\"ok\": true");
    assert_eq!(server.grant_count("authorization_code"), 2);

    // The Auth tab shows the cached token, redacted; shift-x forgets it.
    t.keys(&["2", "]", "]", "]"]);
    t.wait_for("· expires in");
    t.keys(&["X"]);
    t.wait_for("none cached");

    t.keys(&["C-q"]);
    let end = t.wait_for("POSTIE-EXITED-0");
    assert!(!end.contains("panicked"), "{end}");
}
