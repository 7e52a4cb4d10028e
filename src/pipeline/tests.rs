//! The pipeline against `postie echo` on 127.0.0.1: chaining one send's
//! test script into the next send through the session's variables, as the
//! app (and later the runner) keeps them.

use std::path::{Path, PathBuf};

use super::*;
use crate::prepare::{SessionVars, VarSources};
use crate::storage::load_request_context;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn workspace(base: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "postie.json", "{\"format\": 1}\n");
    write(
        r,
        "environments/dev.json",
        &format!("{{\"variables\": {{\"base\": \"{base}\", \"token\": {{\"secret\": true}}}}}}\n"),
    );
    write(r, "api/collection.json", "{}\n");
    // The echo answers a login with what it was sent: the "token".
    write(
        r,
        "api/login.json",
        r#"{"method": "POST", "url": "{{base}}/login", "body": {"type": "json"}}"#,
    );
    write(r, "api/login.body.json", "{\"token\": \"t-42\"}");
    write(
        r,
        "api/login.test.js",
        "pm.test('logged in', () => pm.response.to.have.status(200));\npm.environment.set('token', pm.response.json().json.token);\npm.globals.set('logins', (pm.globals.get('logins') || 0) + 1);\n",
    );
    write(
        r,
        "api/me.json",
        r#"{"method": "GET", "url": "{{base}}/bearer", "auth": {"type": "bearer", "token": "{{token}}"}}"#,
    );
    write(
        r,
        "api/me.test.js",
        "pm.test('the token from login', () => pm.expect(pm.response.json().token).to.equal('t-42'));\n",
    );
    d
}

async fn send(
    pipeline: &Pipeline,
    root: &Path,
    path: &str,
    session: &SessionVars,
    id: u64,
) -> Exchange {
    let context = load_request_context(root, path).unwrap();
    let sources = VarSources {
        environment: Some("dev".into()),
        ..VarSources::default()
    };
    let mut inputs = VarInputs::load(root, &sources).unwrap();
    inputs.session = session.clone();
    let job = Job {
        id: RequestId(id),
        context,
        inputs,
        target: BodyTarget::Memory,
        options: Options::default(),
    };
    pipeline.run(job, &mut |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_a_test_script_set_is_sent_by_the_next_request() {
    let server = crate::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let ws = workspace(server.url("").trim_end_matches('/'));
    let root = ws.path();
    let pipeline = Pipeline::new(ClientConfig::default());
    let mut session = SessionVars::default();

    // Without a login the secret token is undefined: nothing is sent.
    let before = send(&pipeline, root, "api/me", &session, 1).await;
    assert!(matches!(before.ending, Ending::NotSent(_)), "{before:?}");

    let login = send(&pipeline, root, "api/login", &session, 2).await;
    assert!(login.response().is_some(), "{login:?}");
    assert!(login.tests.iter().all(|t| t.passed), "{:?}", login.tests);
    assert_eq!(login.scripts_run, vec![PathBuf::from("api/login.test.js")]);
    let names: Vec<(&VarScope, &str)> = login
        .changed
        .iter()
        .map(|c| (&c.scope, c.name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            (&VarScope::Globals, "logins"),
            (&VarScope::Environment, "token")
        ]
    );
    session.record("api", Some("dev"), &login.changed);

    let me = send(&pipeline, root, "api/me", &session, 3).await;
    let response = me.response().expect("sent");
    assert_eq!(response.status, 200);
    assert_eq!(me.tests.len(), 1);
    assert!(me.tests[0].passed, "{:?}", me.tests);
    // The record says what was sent, and which values were secret.
    let sent = me.sent.as_ref().unwrap();
    assert!(sent
        .headers
        .iter()
        .any(|(n, v)| n == "Authorization" && v == "Bearer t-42"));
    assert!(me.secrets.iter().any(|s| s == "t-42"), "{:?}", me.secrets);
    assert_eq!(me.redact("Bearer t-42"), "Bearer ***");

    // A second login counts on the session's globals.
    let again = send(&pipeline, root, "api/login", &session, 4).await;
    let logins = again.changed.iter().find(|c| c.name == "logins").unwrap();
    assert_eq!(logins.value, Some(serde_json::json!(2)));
    // Nothing was written to the workspace.
    let env = std::fs::read_to_string(root.join("environments/dev.json")).unwrap();
    assert!(!env.contains("t-42"));
}
