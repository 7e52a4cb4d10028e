use std::fs;
use std::path::Path;

use super::*;
use crate::http::PreparedBody;
use crate::storage::{load_request_context, RequestContext};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn ws() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "postie.json",
        r#"{"format": 1, "settings": {"timeout_ms": 1234}}"#,
    );
    write(
        r,
        "api/collection.json",
        r#"{"variables": {"base_url": "http://c", "who": "collection"},
            "headers": [{"name": "X-Team", "value": "core"}, {"name": "X-Who", "value": "{{who}}"}],
            "auth": {"type": "bearer", "token": "{{token}}"}}"#,
    );
    write(
        r,
        "api/users/folder.json",
        r#"{"variables": {"who": "folder"}, "headers": [{"name": "x-team", "value": "users"}],
            "settings": {"follow_redirects": false}}"#,
    );
    write(
        r,
        "environments/dev.json",
        r#"{"variables": {"base_url": "http://127.0.0.1:9", "token": {"secret": true}}}"#,
    );
    d
}

fn sources(env: Option<&str>, cli: &[(&str, &str)]) -> VarSources {
    VarSources {
        environment: env.map(String::from),
        cli: cli
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        process_env: false,
    }
}

/// Loads the variables as `postie send` does, then prepares (the glob
/// import's `prepare` takes loaded scopes; this one reads the files).
fn prepare(ctx: &RequestContext, sources: &VarSources) -> Result<Prepared, PrepareError> {
    let inputs = VarInputs::load(&ctx.root, sources).unwrap();
    crate::pipeline::resolve(ctx, &inputs)
}

fn header<'a>(p: &'a Prepared, name: &str) -> Vec<&'a str> {
    p.request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn inherits_headers_auth_and_settings_with_scope_precedence() {
    let d = ws();
    write(
        d.path(),
        "api/users/get.json",
        r#"{"method": "GET", "url": "{{base_url}}/users",
            "params": [{"name": "q", "value": "a b&c"}, {"name": "off", "value": "x", "enabled": false}]}"#,
    );
    let ctx = load_request_context(d.path(), "api/users/get").unwrap();
    let p = prepare(&ctx, &sources(Some("dev"), &[("token", "t0k")])).unwrap();
    assert_eq!(p.request.url, "http://127.0.0.1:9/users?q=a%20b%26c");
    assert_eq!(header(&p, "x-team"), ["users"], "nearer folder replaces");
    assert_eq!(
        header(&p, "x-who"),
        ["folder"],
        "folder var beats collection"
    );
    assert_eq!(header(&p, "authorization"), ["Bearer t0k"]);
    assert_eq!(header(&p, "user-agent"), [USER_AGENT]);
    assert!(!p.request.settings.follow_redirects);
    assert_eq!(
        p.request.settings.timeout,
        Some(Duration::from_millis(1234))
    );
}

#[test]
fn undefined_variables_are_all_reported_with_file_and_position() {
    let d = ws();
    write(
        d.path(),
        "api/users/get.json",
        "{\n  \"method\": \"POST\",\n  \"url\": \"{{base_url}}/u/{{id}}\",\n  \"body\": {\"type\": \"json\"}\n}\n",
    );
    write(
        d.path(),
        "api/users/get.body.json",
        "{\n  \"n\": \"{{missing}}\"\n}",
    );
    let ctx = load_request_context(d.path(), "api/users/get").unwrap();
    let Err(PrepareError::Problems(problems)) = prepare(&ctx, &sources(Some("dev"), &[])) else {
        panic!("expected problems");
    };
    let diags: Vec<String> = problems
        .iter()
        .map(|p| p.diagnostic(d.path()).render_short())
        .collect();
    assert!(
        diags.contains(
            &"api/users/get.json:3:26: error: undefined variable `id` in the URL".to_string()
        ),
        "{diags:?}"
    );
    assert!(
        diags.contains(
            &"api/users/get.body.json:2:9: error: undefined variable `missing` in the body"
                .to_string()
        ),
        "{diags:?}"
    );
    // The inherited bearer token is a secret with no value: say where to put it.
    let token = problems
        .iter()
        .find(|p| p.message().contains("`token`"))
        .unwrap();
    let rendered = token.diagnostic(d.path()).render(None);
    assert!(rendered.contains(".postie/secrets/dev.json"), "{rendered}");
}

#[test]
fn secrets_come_from_the_local_state_folder() {
    let d = ws();
    write(
        d.path(),
        "api/users/get.json",
        r#"{"method": "GET", "url": "{{base_url}}/"}"#,
    );
    crate::storage::state::save_secrets(d.path(), "dev", &[("token".into(), "s3".into())]).unwrap();
    let ctx = load_request_context(d.path(), "api/users/get").unwrap();
    let p = prepare(&ctx, &sources(Some("dev"), &[])).unwrap();
    assert_eq!(header(&p, "authorization"), ["Bearer s3"]);
}

#[test]
fn bodies_are_encoded_by_kind() {
    let d = ws();
    let r = d.path();
    write(
        r,
        "api/form.json",
        r#"{"method":"POST","url":"http://x/","auth":{"type":"none"},
        "body":{"type":"form","fields":[{"name":"a","value":"1 2"},{"name":"b","value":"&="}]}}"#,
    );
    write(
        r,
        "api/multi.json",
        r#"{"method":"POST","url":"http://x/","auth":{"type":"basic","username":"u","password":"p"},
        "body":{"type":"multipart","parts":[{"name":"t","value":"hi"},{"name":"f","file":"data/a.txt"}]}}"#,
    );
    write(r, "data/a.txt", "file-bytes");
    write(
        r,
        "api/gql.json",
        r#"{"method":"POST","url":"http://x/","body":{"type":"graphql"}}"#,
    );
    write(r, "api/gql.body.graphql", "query { me { id } }");
    write(r, "api/gql.variables.json", "{\"id\": \"{{who}}\"}");
    write(
        r,
        "api/bin.json",
        r#"{"method":"PUT","url":"http://x/","body":{"type":"binary","file":"data/a.txt"}}"#,
    );

    let form = prepare(
        &load_request_context(r, "api/form").unwrap(),
        &sources(None, &[]),
    )
    .unwrap();
    assert!(matches!(&form.request.body, PreparedBody::Bytes(b) if b == b"a=1+2&b=%26%3D"));
    assert_eq!(
        header(&form, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert!(
        header(&form, "authorization").is_empty(),
        "auth none overrides the collection"
    );

    let multi = prepare(
        &load_request_context(r, "api/multi").unwrap(),
        &sources(None, &[]),
    )
    .unwrap();
    let ct = header(&multi, "content-type")[0].to_string();
    let header_boundary = ct.split("boundary=").nth(1).unwrap();
    // The file is read when sending, not here.
    let PreparedBody::Multipart { boundary, parts } = &multi.request.body else {
        panic!()
    };
    assert_eq!(boundary, header_boundary);
    assert_eq!(parts[0].name, "t");
    assert_eq!(parts[0].value, crate::http::PartValue::Text("hi".into()));
    assert_eq!(parts[1].filename.as_deref(), Some("a.txt"));
    assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
    assert!(
        matches!(&parts[1].value, crate::http::PartValue::File(p) if p.ends_with("data/a.txt"))
    );
    assert_eq!(header(&multi, "authorization"), ["Basic dTpw"]);

    let gql = prepare(
        &load_request_context(r, "api/gql").unwrap(),
        &sources(None, &[("token", "x")]),
    )
    .unwrap();
    let PreparedBody::Bytes(b) = &gql.request.body else {
        panic!()
    };
    assert_eq!(
        String::from_utf8_lossy(b),
        r#"{"query":"query { me { id } }","variables":{"id":"collection"}}"#
    );

    let bin = prepare(
        &load_request_context(r, "api/bin").unwrap(),
        &sources(None, &[("token", "x")]),
    )
    .unwrap();
    assert!(matches!(&bin.request.body, PreparedBody::File(p) if p.ends_with("data/a.txt")));
}

#[test]
fn query_appends_after_existing_query_and_before_fragment() {
    let mut u = "http://x/p?a=1#frag".to_string();
    append_query(&mut u, &[("b".into(), "2".into())]);
    assert_eq!(u, "http://x/p?a=1&b=2#frag");
    assert_eq!(with_scheme("localhost:8080/x"), "http://localhost:8080/x");
}

#[test]
fn a_pruned_body_is_kept_for_scripts_but_neither_it_nor_its_type_is_sent() {
    let d = ws();
    write(
        d.path(),
        "api/users/folder.json",
        r#"{"settings": {"prune_body": true}}"#,
    );
    for (name, method) in [("get", "GET"), ("post", "POST")] {
        write(
            d.path(),
            &format!("api/users/{name}.json"),
            &format!(r#"{{"method": "{method}", "url": "http://h/", "body": {{"type": "json"}}}}"#),
        );
        write(d.path(), &format!("api/users/{name}.body.json"), "{}");
    }
    let ctx = load_request_context(d.path(), "api/users/get").unwrap();
    let p = prepare(&ctx, &sources(None, &[("token", "t")])).unwrap();
    assert!(p.request.settings.omit_body);
    assert!(header(&p, "content-type").is_empty());
    assert!(matches!(&p.request.body, PreparedBody::Bytes(b) if b == b"{}"));

    let ctx = load_request_context(d.path(), "api/users/post").unwrap();
    let p = prepare(&ctx, &sources(None, &[("token", "t")])).unwrap();
    assert!(!p.request.settings.omit_body);
    assert_eq!(header(&p, "content-type"), ["application/json"]);
}

#[test]
fn a_binary_body_with_no_file_chosen_sends_nothing() {
    let d = ws();
    let r = d.path();
    write(
        r,
        "api/none.json",
        r#"{"method":"POST","url":"http://x/","auth":{"type":"none"},"body":{"type":"binary","file":""}}"#,
    );
    let p = prepare(
        &load_request_context(r, "api/none").unwrap(),
        &sources(None, &[]),
    )
    .unwrap();
    assert!(matches!(p.request.body, PreparedBody::Empty));
    assert!(header(&p, "content-type").is_empty());
}

#[test]
fn encode_url_false_sends_query_params_as_written_and_says_so_to_the_http_layer() {
    let d = ws();
    write(
        d.path(),
        "api/users/raw.json",
        r#"{"method": "GET", "url": "http://h/a/./b", "settings": {"encode_url": false},
            "params": [{"name": "q", "value": "\"<a b>\"&x=+"}]}"#,
    );
    write(
        d.path(),
        "api/users/enc.json",
        r#"{"method": "GET", "url": "http://h/a/./b",
            "params": [{"name": "q", "value": "\"<a b>\"&x=+"}]}"#,
    );
    let ctx = load_request_context(d.path(), "api/users/raw").unwrap();
    let p = prepare(&ctx, &sources(None, &[("token", "t")])).unwrap();
    assert!(!p.request.settings.encode_url);
    assert_eq!(p.request.url, "http://h/a/./b?q=\"<a b>\"&x=+");

    let ctx = load_request_context(d.path(), "api/users/enc").unwrap();
    let p = prepare(&ctx, &sources(None, &[("token", "t")])).unwrap();
    assert!(p.request.settings.encode_url);
    assert_eq!(
        p.request.url,
        "http://h/a/./b?q=%22%3Ca%20b%3E%22%26x%3D%2B"
    );
}
