//! The `pm` API (src/script/js/pm.js) through the engine, feature by
//! feature, with the outcome Postman gives: its assertion messages, its
//! variable precedence, its request and response objects.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use super::*;

/// Answers `pm.sendRequest` with an echo of what it was asked (the request
/// as JSON in the body), records it, and refuses `file:` URLs.
#[derive(Default)]
struct EchoHost {
    asked: Vec<ScriptRequest>,
}

impl Host for EchoHost {
    fn send_request(&mut self, request: ScriptRequest) -> Result<ScriptResponse, String> {
        if !request.url.starts_with("http://127.0.0.1") {
            return Err(format!("refused {}", request.url));
        }
        self.asked.push(request.clone());
        Ok(ScriptResponse {
            code: 201,
            status: "Created".into(),
            headers: vec![header("Content-Type", "application/json")],
            body: serde_json::to_string(&request).unwrap(),
            response_time: 3.0,
            response_size: 10,
            cookies: vec![],
        })
    }
}

fn engine() -> Engine {
    Engine::new(Limits {
        timeout: Duration::from_secs(2),
        memory: 128 * 1024 * 1024,
    })
}

fn script(file: &str, source: &str) -> Script {
    Script {
        source: source.into(),
        file: PathBuf::from(file),
    }
}

fn header(key: &str, value: &str) -> ScriptHeader {
    ScriptHeader {
        key: key.into(),
        value: value.into(),
        disabled: false,
    }
}

fn vars(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => panic!("not an object"),
    }
}

/// A stored request as a pre-request script sees it.
fn state() -> ScriptState {
    ScriptState {
        request: ScriptRequest {
            id: "users/get-user".into(),
            name: "Get user".into(),
            description: None,
            method: "GET".into(),
            url: "http://127.0.0.1:8080/users?id=1".into(),
            headers: vec![header("Accept", "application/json")],
            body: None,
            auth: None,
        },
        info: Info {
            request_name: "Get user".into(),
            request_id: "users/get-user".into(),
            iteration: 0,
            iteration_count: 1,
        },
        ..ScriptState::default()
    }
}

fn response(code: u16, status: &str, content_type: &str, body: &str) -> ScriptResponse {
    ScriptResponse {
        code,
        status: status.into(),
        headers: vec![
            header("Content-Type", content_type),
            header("X-Request-Id", "abc"),
        ],
        body: body.into(),
        response_time: 42.0,
        response_size: body.len() as u64,
        cookies: vec![],
    }
}

/// A state after a JSON response (the test phase).
fn answered(code: u16, status: &str, body: &str) -> ScriptState {
    ScriptState {
        response: Some(response(
            code,
            status,
            "application/json; charset=utf-8",
            body,
        )),
        ..state()
    }
}

fn run(engine: &mut Engine, phase: Phase, state: &mut ScriptState, sources: &[&str]) -> Outcome {
    let file = match phase {
        Phase::PreRequest => "users/get-user.pre.js",
        Phase::Test => "users/get-user.test.js",
    };
    let scripts: Vec<Script> = sources.iter().map(|s| script(file, s)).collect();
    engine.run(phase, &scripts, state, &mut EchoHost::default())
}

/// Every test as `name` (passed), `name: message` (failed) or
/// `name (skipped)`, and no script errors.
fn results(outcome: &Outcome) -> Vec<String> {
    assert_eq!(outcome.errors, vec![], "script errors");
    outcome
        .tests
        .iter()
        .map(|t| match (&t.error, t.skipped) {
            (_, true) => format!("{} (skipped)", t.name),
            (Some(e), false) => {
                assert!(!t.passed, "{t:?}");
                format!("{}: {e}", t.name)
            }
            (None, false) => {
                assert!(t.passed, "{t:?}");
                t.name.clone()
            }
        })
        .collect()
}

/// Runs a test-phase script on a response and lists its results.
fn test_results(engine: &mut Engine, state: &ScriptState, source: &str) -> Vec<String> {
    let mut state = state.clone();
    results(&run(engine, Phase::Test, &mut state, &[source]))
}

// ---------------------------------------------------------------- variables

#[test]
fn variables_live_in_their_scopes_with_their_types() {
    let mut engine = engine();
    let mut state = state();
    state.variables.globals = vars(json!({"g": "G", "shared": "global", "gone": 1}));
    state.variables.collection = vars(json!({"c": 1, "shared": "collection"}));
    state.variables.environment = vars(json!({"base": "http://127.0.0.1:9", "shared": "env"}));
    state.variables.data = vars(json!({"row": 7, "shared": "data"}));
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &[
            "pm.environment.set('n', 5);\n\
             pm.environment.set('obj', {a: [1, 2]});\n\
             pm.environment.set('flag', false);\n\
             pm.collectionVariables.set('cv', 'x');\n\
             pm.globals.unset('gone');\n\
             pm.variables.set('loc', 'L');\n\
             pm.iterationData.set('row', 8);",
            "pm.test('types survive between scripts', () => {\n\
               pm.expect(pm.environment.get('n')).to.equal(5);\n\
               pm.expect(pm.environment.get('obj')).to.eql({a: [1, 2]});\n\
               pm.expect(pm.environment.get('flag')).to.equal(false);\n\
             });\n\
             pm.test('local beats data beats env', () => {\n\
               pm.expect(pm.variables.get('shared')).to.equal('data');\n\
               pm.iterationData.unset('shared');\n\
               pm.expect(pm.variables.get('shared')).to.equal('env');\n\
               pm.variables.set('shared', 'local');\n\
               pm.expect(pm.variables.get('shared')).to.equal('local');\n\
             });\n\
             pm.test('has and get', () => {\n\
               pm.expect(pm.globals.has('gone')).to.be.false;\n\
               pm.expect(pm.variables.has('c')).to.be.true;\n\
               pm.expect(pm.variables.get('nope')).to.be.undefined;\n\
               pm.expect(pm.collectionVariables.get('c')).to.equal(1);\n\
             });\n\
             pm.test('toObject', () => {\n\
               pm.expect(pm.variables.toObject()).to.deep.include({c: 1, g: 'G', loc: 'L', shared: 'local', n: 5});\n\
               pm.expect(pm.collectionVariables.toObject()).to.eql({c: 1, shared: 'collection', cv: 'x'});\n\
             });\n\
             pm.test('values list', () => pm.expect(pm.collectionVariables.values.map(v => v.key)).to.eql(['c', 'shared', 'cv']));\n\
             pm.test('clear', () => { pm.globals.clear(); pm.expect(pm.globals.toObject()).to.eql({}); });",
        ],
    );
    assert_eq!(
        results(&outcome),
        vec![
            "types survive between scripts",
            "local beats data beats env",
            "has and get",
            "toObject",
            "values list",
            "clear"
        ]
    );
    let v = &state.variables;
    assert_eq!(v.globals, vars(json!({})));
    assert_eq!(v.collection.get("cv"), Some(&json!("x")));
    assert_eq!(v.environment.get("n"), Some(&json!(5)));
    assert_eq!(v.environment.get("obj"), Some(&json!({"a": [1, 2]})));
    assert_eq!(v.environment.get("flag"), Some(&json!(false)));
    assert_eq!(v.local, vars(json!({"loc": "L", "shared": "local"})));
    // iteration data is read-only: what a script did to it stays in the script
    assert_eq!(v.data, vars(json!({"row": 7, "shared": "data"})));
}

#[test]
fn replace_in_resolves_every_scope_and_dynamic_values() {
    let mut engine = engine();
    let mut state = state();
    state.variables.environment = vars(json!({"base": "http://127.0.0.1:9", "n": 5}));
    state.variables.collection = vars(json!({"path": "{{base}}/users", "obj": {"a": 1}}));
    state.variables.local = vars(json!({"id": "u1"}));
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["console.log(pm.variables.replaceIn('{{path}}/{{ id }}?n={{n}}&o={{obj}}&x={{missing}}'));\n\
           console.log(pm.environment.replaceIn('{{path}} {{n}}'));\n\
           console.log(pm.variables.replaceIn('{{$guid}} {{$timestamp}} {{$nope}}'));\n\
           console.log(JSON.stringify(pm.variables.replaceIn({url: '{{base}}', list: ['{{n}}', 2]})));"],
    );
    assert_eq!(outcome.errors, vec![]);
    let lines: Vec<&str> = outcome.console.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lines[0],
        "http://127.0.0.1:9/users/u1?n=5&o={\"a\":1}&x={{missing}}"
    );
    assert_eq!(lines[1], "{{path}} 5");
    let dynamic: Vec<&str> = lines[2].split(' ').collect();
    assert_eq!(dynamic[0].len(), 36, "{}", lines[2]);
    assert_eq!(dynamic[0].matches('-').count(), 4, "{}", lines[2]);
    assert!(
        dynamic[1].chars().all(|c| c.is_ascii_digit()),
        "{}",
        lines[2]
    );
    assert_eq!(dynamic[2], "{{$nope}}");
    assert_eq!(lines[3], r#"{"url":"http://127.0.0.1:9","list":["5",2]}"#);
}

#[test]
fn legacy_variable_functions_write_strings_as_postman_does() {
    let mut engine = engine();
    let mut state = state();
    state.variables.environment = vars(json!({"keep": "k", "drop": "d"}));
    state.variables.globals = vars(json!({"gk": "g"}));
    state.variables.data = vars(json!({"row": 3}));
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["postman.setEnvironmentVariable('num', 7);\n\
           postman.clearEnvironmentVariable('drop');\n\
           postman.setGlobalVariable('obj', {a: 1});\n\
           pm.test('legacy reads', () => {\n\
             pm.expect(postman.getEnvironmentVariable('num')).to.equal('7');\n\
             pm.expect(environment).to.eql({keep: 'k', num: '7'});\n\
             pm.expect(globals.gk).to.equal('g');\n\
             pm.expect(data).to.eql({row: 3});\n\
             pm.expect(iteration).to.equal(0);\n\
             pm.expect(request).to.include({method: 'GET', url: 'http://127.0.0.1:8080/users?id=1', name: 'Get user'});\n\
             pm.expect(request.headers).to.eql({accept: 'application/json'});\n\
           });\n\
           postman.clearGlobalVariables();"],
    );
    assert_eq!(results(&outcome), vec!["legacy reads"]);
    assert_eq!(
        state.variables.environment,
        vars(json!({"keep": "k", "num": "7"}))
    );
    assert_eq!(state.variables.globals, vars(json!({})));
}

// ---------------------------------------------------------------- pm.request

#[test]
fn pre_request_changes_reach_the_request() {
    let mut engine = engine();
    let mut state = state();
    state.request.method = "post".into();
    state.request.url = "{{base}}/users/:id?a=1&b={{x}}#top".into();
    state.request.headers.push(header("X-Old", "1"));
    state.request.body = Some(ScriptBody {
        mode: "raw".into(),
        raw: Some(r#"{"a":1}"#.into()),
        options: Some(json!({"raw": {"language": "json"}})),
        ..ScriptBody::default()
    });
    state.request.auth = Some(
        json!({"type": "bearer", "bearer": [{"key": "token", "value": "{{tok}}", "type": "string"}]}),
    );
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["const url = pm.request.url;\n\
           pm.test('the stored request, unresolved', () => {\n\
             pm.expect(url.toString()).to.equal('{{base}}/users/:id?a=1&b={{x}}#top');\n\
             pm.expect(url.getHost()).to.equal('{{base}}');\n\
             pm.expect(url.getPath()).to.equal('/users/:id');\n\
             pm.expect(url.getQueryString()).to.equal('a=1&b={{x}}');\n\
             pm.expect(url.query.get('a')).to.equal('1');\n\
             pm.expect(url.query.toObject()).to.eql({a: '1', b: '{{x}}'});\n\
             pm.expect(pm.request.method).to.equal('POST');\n\
             pm.expect(pm.request.headers.get('accept')).to.equal('application/json');\n\
             pm.expect(JSON.parse(pm.request.body.raw)).to.eql({a: 1});\n\
             pm.expect(pm.request.auth.type).to.equal('bearer');\n\
             pm.expect(pm.request.auth.parameters().get('token')).to.equal('{{tok}}');\n\
             pm.request.to.have.header('X-Old', '1');\n\
           });\n\
           url.query.add({key: 'c', value: '3'});\n\
           url.query.upsert({key: 'a', value: '9'});\n\
           url.query.remove('b');\n\
           pm.request.headers.add({key: 'X-New', value: 'v'});\n\
           pm.request.headers.upsert({key: 'Accept', value: 'text/plain'});\n\
           pm.request.headers.remove('x-old');\n\
           pm.request.body.update({mode: 'raw', raw: JSON.stringify({b: 2})});\n\
           pm.request.method = 'put';\n\
           pm.request.auth.parameters().upsert({key: 'token', value: 'secret'});"],
    );
    assert_eq!(results(&outcome), vec!["the stored request, unresolved"]);
    let r = &state.request;
    assert_eq!(r.method, "PUT");
    assert_eq!(r.url, "{{base}}/users/:id?a=9&c=3#top");
    assert_eq!(
        r.headers,
        vec![header("Accept", "text/plain"), header("X-New", "v")]
    );
    let body = r.body.as_ref().unwrap();
    assert_eq!(body.mode, "raw");
    assert_eq!(body.raw.as_deref(), Some(r#"{"b":2}"#));
    assert_eq!(
        r.auth,
        Some(
            json!({"type": "bearer", "bearer": [{"key": "token", "value": "secret", "type": "string"}]})
        )
    );
}

#[test]
fn a_new_url_and_body_replace_the_old_ones() {
    let mut engine = engine();
    let mut state = state();
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["pm.request.url = 'https://user:pw@example.com:8443/a/b/?q=1&flag&&z=';\n\
           const url = pm.request.url;\n\
           pm.test('parsed like Postman', () => {\n\
             pm.expect(url.protocol).to.equal('https');\n\
             pm.expect(url.host).to.eql(['example', 'com']);\n\
             pm.expect(url.port).to.equal('8443');\n\
             pm.expect(url.path).to.eql(['a', 'b', '']);\n\
             pm.expect(url.auth).to.eql({user: 'user', password: 'pw'});\n\
             pm.expect(url.query.has('flag')).to.be.true;\n\
             pm.expect(url.toString()).to.equal('https://user:pw@example.com:8443/a/b/?q=1&flag&&z=');\n\
           });\n\
           pm.request.url.update('http://127.0.0.1:1/x');\n\
           pm.request.addQueryParams('k=v&k=w');\n\
           pm.request.body = {mode: 'urlencoded', urlencoded: [{key: 'f', value: '1'}, {key: 'g', value: '2', disabled: true}]};\n\
           pm.request.headers.add('X-Str: yes');"],
    );
    assert_eq!(results(&outcome), vec!["parsed like Postman"]);
    assert_eq!(state.request.url, "http://127.0.0.1:1/x?k=v&k=w");
    assert_eq!(
        state.request.headers,
        vec![header("Accept", "application/json"), header("X-Str", "yes")]
    );
    let body = state.request.body.as_ref().unwrap();
    assert_eq!(body.mode, "urlencoded");
    assert_eq!(
        serde_json::to_value(&body.urlencoded).unwrap(),
        json!([{"key": "f", "value": "1"}, {"key": "g", "value": "2", "disabled": true}])
    );
}

#[test]
fn info_tells_the_request_and_the_phase() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    state.info.iteration = 2;
    state.info.iteration_count = 5;
    let tests = test_results(
        &mut engine,
        &state,
        "pm.test('info', () => pm.expect(pm.info).to.eql({eventName: 'test', iteration: 2, iterationCount: 5, requestName: 'Get user', requestId: 'users/get-user'}));",
    );
    assert_eq!(tests, vec!["info"]);
}

// ---------------------------------------------------------------- pm.response

#[test]
fn response_assertions_pass_and_fail_with_postmans_messages() {
    let mut engine = engine();
    let found = answered(200, "OK", r#"{"id": 1, "name": "Ann", "tags": ["a", "b"]}"#);
    let tests = test_results(
        &mut engine,
        &found,
        "pm.test('status', () => pm.response.to.have.status(200));\n\
         pm.test('status text', () => pm.response.to.have.status('OK'));\n\
         pm.test('ok', () => pm.response.to.be.ok);\n\
         pm.test('success', () => pm.response.to.be.success);\n\
         pm.test('json', () => pm.response.to.be.json);\n\
         pm.test('withBody', () => pm.response.to.be.withBody);\n\
         pm.test('header', () => pm.response.to.have.header('content-type'));\n\
         pm.test('header value', () => pm.response.to.have.header('X-Request-Id', 'abc'));\n\
         pm.test('jsonBody', () => pm.response.to.have.jsonBody('tags[1]', 'b'));\n\
         pm.test('body regex', () => pm.response.to.have.body(/\"Ann\"/));\n\
         pm.test('not error', () => pm.response.to.not.be.error);\n\
         pm.test('schema', () => pm.response.to.have.jsonSchema({type: 'object', required: ['id'], properties: {id: {type: 'number'}}}));\n\
         pm.test('expect response', () => pm.expect(pm.response).to.have.status(200));\n\
         pm.test('values', () => {\n\
           pm.expect(pm.response.code).to.equal(200);\n\
           pm.expect(pm.response.status).to.equal('OK');\n\
           pm.expect(pm.response.reason()).to.equal('OK');\n\
           pm.expect(pm.response.responseTime).to.equal(42);\n\
           pm.expect(pm.response.responseSize).to.equal(44);\n\
           pm.expect(pm.response.json().name).to.equal('Ann');\n\
           pm.expect(pm.response.text()).to.have.string('Ann');\n\
           pm.expect(pm.response.headers.get('x-request-id')).to.equal('abc');\n\
         });",
    );
    assert_eq!(
        tests,
        vec![
            "status",
            "status text",
            "ok",
            "success",
            "json",
            "withBody",
            "header",
            "header value",
            "jsonBody",
            "body regex",
            "not error",
            "schema",
            "expect response",
            "values"
        ]
    );

    let missing = answered(404, "Not Found", "Not found");
    let tests = test_results(
        &mut engine,
        &missing,
        "pm.test('status', () => pm.response.to.have.status(200));\n\
         pm.test('status text', () => pm.response.to.have.status('OK'));\n\
         pm.test('ok', () => pm.response.to.be.ok);\n\
         pm.test('success', () => pm.response.to.be.success);\n\
         pm.test('not clientError', () => pm.response.to.not.be.clientError);\n\
         pm.test('error', () => pm.response.to.be.error);\n\
         pm.test('notFound', () => pm.response.to.be.notFound);\n\
         pm.test('badRequest', () => pm.response.to.be.badRequest);\n\
         pm.test('json', () => pm.response.to.be.json);\n\
         pm.test('html', () => pm.response.to.be.html);\n\
         pm.test('header', () => pm.response.to.have.header('X-Missing'));\n\
         pm.test('header value', () => pm.response.to.have.header('X-Request-Id', 'xyz'));\n\
         pm.test('body', () => pm.response.to.have.body('Found'));\n\
         pm.test('jsonBody', () => pm.response.to.have.jsonBody());\n\
         pm.test('json()', () => pm.response.json());",
    );
    assert_eq!(
        tests,
        vec![
            "status: expected response to have status code 200 but got 404",
            "status text: expected response to have status reason 'OK' but got 'Not Found'",
            "ok: expected response to have status reason 'OK' but got 'NOT FOUND'",
            "success: expected response code to be 2XX but found 404",
            "not clientError: expected response code to not be 4XX",
            "error",
            "notFound",
            "badRequest: expected response to have status reason 'BAD REQUEST' but got 'NOT FOUND'",
            "json: expected response body to be a valid json but got error Unexpected token 'N' at 1:1",
            "html: expected response to have an html Content-Type but got 'application/json; charset=utf-8'",
            "header: expected response to have header with key 'X-Missing'",
            "header value: expected 'X-Request-Id' response header to be 'xyz' but got 'abc'",
            "body: expected response body to equal 'Found' but got 'Not found'",
            "jsonBody: expected response body to be a valid json but got error Unexpected token 'N' at 1:1",
            "json(): JSONError: Unexpected token 'N' at 1:1\nNot found\n^",
        ]
    );
}

#[test]
fn json_schema_failures_name_the_fields() {
    let mut engine = engine();
    let state = answered(200, "OK", r#"{"id": "1"}"#);
    let tests = test_results(
        &mut engine,
        &state,
        "pm.test('schema', () => pm.response.to.have.jsonSchema({type: 'object', required: ['name'], properties: {id: {type: 'number'}}}));\n\
         pm.test('tv4', () => pm.expect(tv4.validate(pm.response.json(), {type: 'object', properties: {id: {type: 'string'}}})).to.be.true);",
    );
    assert_eq!(
        tests,
        vec![
            "schema: expected data to satisfy schema but found following errors: \ndata should have required property 'name', data.id should be number",
            "tv4"
        ]
    );
}

#[test]
fn json_errors_point_at_the_bad_character() {
    let mut engine = engine();
    let state = answered(200, "OK", "{\n  \"a\": 1,\n  \"b\": tru\n}");
    let tests = test_results(
        &mut engine,
        &state,
        "pm.test('parse', () => pm.response.json());",
    );
    assert_eq!(
        tests,
        vec!["parse: JSONError: Unexpected token 't' at 3:8\n  \"b\": tru\n       ^"]
    );
}

#[test]
fn response_cookies_and_the_jar() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let sid = ScriptCookie {
        name: "sid".into(),
        value: "abc".into(),
        domain: Some("127.0.0.1".into()),
        path: Some("/".into()),
        http_only: true,
        ..ScriptCookie::default()
    };
    state.cookies = vec![sid.clone()];
    if let Some(r) = state.response.as_mut() {
        r.cookies = vec![sid];
    }
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["pm.test('pm.cookies', () => {\n\
             pm.expect(pm.cookies.get('sid')).to.equal('abc');\n\
             pm.expect(pm.cookies.has('nope')).to.be.false;\n\
             pm.expect(pm.cookies.toObject()).to.eql({sid: 'abc'});\n\
             pm.expect(pm.response.cookies.get('sid')).to.equal('abc');\n\
             pm.expect(postman.getResponseCookie('sid').httpOnly).to.be.true;\n\
           });\n\
           const jar = pm.cookies.jar();\n\
           jar.set('http://127.0.0.1/', 'theme', 'dark', (err) => {\n\
             jar.get('http://127.0.0.1/a', 'theme', (err, value) => pm.test('jar get', () => pm.expect(value).to.equal('dark')));\n\
             jar.getAll('http://127.0.0.1/', (err, list) => pm.test('jar getAll', () => pm.expect(list.toObject()).to.eql({sid: 'abc', theme: 'dark'})));\n\
             jar.unset('http://127.0.0.1/', 'sid', (err) => pm.test('jar unset', () => pm.expect(err).to.be.null));\n\
           });\n\
           pm.test('jar promises', async () => {\n\
             await jar.set('http://127.0.0.1/', {name: 'p', value: '1', path: '/api'});\n\
             pm.expect(await jar.get('http://127.0.0.1/api/x', 'p')).to.equal('1');\n\
             pm.expect(await jar.get('http://127.0.0.1/other', 'p')).to.be.null;\n\
             pm.expect(await jar.get('http://other.test/api', 'p')).to.be.null;\n\
           });"],
    );
    assert_eq!(
        results(&outcome),
        vec![
            "pm.cookies",
            "jar promises",
            "jar get",
            "jar getAll",
            "jar unset"
        ]
    );
    let names: Vec<&str> = state.cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["theme", "p"]);
    assert_eq!(state.cookies[1].path.as_deref(), Some("/api"));
}

// ---------------------------------------------------------------- chai

#[test]
fn chai_chains_pass() {
    let mut engine = engine();
    let tests = test_results(
        &mut engine,
        &answered(200, "OK", "{}"),
        "pm.test('all of chai', () => {\n\
           pm.expect(1).to.equal(1);\n\
           pm.expect({a: {b: [1]}}).to.eql({a: {b: [1]}}).and.to.deep.equal({a: {b: [1]}});\n\
           pm.expect([1, 2, 3]).to.include(2).and.to.contain(3).and.have.lengthOf(3);\n\
           pm.expect('postie').to.include('st').and.match(/^po/).and.be.a('string');\n\
           pm.expect({a: 1, b: 2}).to.have.property('a', 1);\n\
           pm.expect({a: 1, b: 2}).to.have.all.keys('a', 'b').and.to.have.any.keys('a');\n\
           pm.expect([1, 2]).to.have.members([2, 1]);\n\
           pm.expect([{a: 1}]).to.deep.include({a: 1});\n\
           pm.expect(2).to.be.oneOf([1, 2]).and.within(1, 3).and.above(1).and.below(3).and.least(2).and.most(2);\n\
           pm.expect([]).to.be.an('array').that.is.empty;\n\
           pm.expect(true).to.be.true; pm.expect(false).to.be.false;\n\
           pm.expect(null).to.be.null; pm.expect(undefined).to.be.undefined;\n\
           pm.expect(0).to.exist; pm.expect('x').to.be.ok; pm.expect(NaN).to.be.NaN;\n\
           pm.expect(1).to.not.equal(2); pm.expect([1]).to.not.include(2);\n\
           pm.expect(() => { throw new TypeError('x'); }).to.throw(TypeError);\n\
         });",
    );
    assert_eq!(tests, vec!["all of chai"]);
}

#[test]
fn chai_chains_fail_with_chais_messages() {
    let mut engine = engine();
    let tests = test_results(
        &mut engine,
        &answered(200, "OK", "{}"),
        "pm.test('equal', () => pm.expect(404).to.equal(200));\n\
         pm.test('eql', () => pm.expect({a: 1}).to.eql({a: 2}));\n\
         pm.test('not', () => pm.expect(1).to.not.equal(1));\n\
         pm.test('include', () => pm.expect([1, 2, 3]).to.include(4));\n\
         pm.test('keys', () => pm.expect({a: 1}).to.have.all.keys('a', 'b'));\n\
         pm.test('members', () => pm.expect([1, 2]).to.have.members([1, 3]));\n\
         pm.test('oneOf', () => pm.expect(3).to.be.oneOf([1, 2]));\n\
         pm.test('match', () => pm.expect('abc').to.match(/^b/));\n\
         pm.test('within', () => pm.expect(3).to.be.within(1, 2));\n\
         pm.test('property', () => pm.expect({}).to.have.property('id'));\n\
         pm.test('a', () => pm.expect(1).to.be.a('string'));\n\
         pm.test('lengthOf', () => pm.expect([1]).to.have.lengthOf(2));\n\
         pm.test('ok', () => pm.expect(0).to.be.ok);\n\
         pm.test('empty', () => pm.expect([1]).to.be.empty);\n\
         pm.test('deep include', () => pm.expect([{a: 1}]).to.deep.include({a: 2}));\n\
         pm.test('message', () => pm.expect(1, 'the count').to.equal(2));\n\
         pm.test('type error', () => undefined.x);",
    );
    assert_eq!(
        tests,
        vec![
            "equal: expected 404 to equal 200",
            "eql: expected { a: 1 } to deeply equal { a: 2 }",
            "not: expected 1 to not equal 1",
            "include: expected [ 1, 2, 3 ] to include 4",
            "keys: expected { a: 1 } to have keys 'a', and 'b'",
            "members: expected [ 1, 2 ] to have the same members as [ 1, 3 ]",
            "oneOf: expected 3 to be one of [ 1, 2 ]",
            "match: expected 'abc' to match /^b/",
            "within: expected 3 to be within 1..2",
            "property: expected {} to have property 'id'",
            "a: expected 1 to be a string",
            "lengthOf: expected [ 1 ] to have a length of 2 but got 1",
            "ok: expected +0 to be truthy",
            "empty: expected [ 1 ] to be empty",
            "deep include: expected [ { a: 1 } ] to deep include { a: 2 }",
            "message: the count: expected 1 to equal 2",
            "type error: TypeError: cannot read property 'x' of undefined",
        ]
    );
}

// ---------------------------------------------------------------- pm.test

#[test]
fn tests_skip_and_settle_in_declaration_order() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &[
            "pm.test('done later', function (done) { setTimeout(() => { pm.expect(1).to.equal(1); done(); }, 20); });\n\
             pm.test('done with an error', function (done) { setTimeout(() => done(new Error('boom')), 5); });\n\
             pm.test('throws before done', function (done) { throw new Error('early'); });\n\
             pm.test('never done', function (done) {});\n\
             pm.test('fails in a timer', function (done) { setTimeout(() => { pm.expect(404).to.equal(200); done(); }, 5); });\n\
             pm.test('fails in a callback', function (done) { pm.sendRequest('http://127.0.0.1:1/', (err, res) => { res.to.have.status(200); done(); }); });\n\
             pm.test('promise', () => new Promise(resolve => setTimeout(resolve, 5)));\n\
             pm.test('async fails', async () => { await null; pm.expect('a').to.equal('b'); });\n\
             pm.test.skip('skipped', () => { throw new Error('never runs'); });\n\
             pm.test('no function');\n\
             tests['legacy pass'] = true;\n\
             tests['legacy fail'] = 0;",
            "pm.test('second script', () => pm.expect(Object.keys(tests)).to.eql([]));",
        ],
    );
    assert_eq!(
        results(&outcome),
        vec![
            "done later",
            "done with an error: boom",
            "throws before done: early",
            "never done: test did not finish",
            "fails in a timer: expected 404 to equal 200",
            "fails in a callback: expected response to have status code 200 but got 201",
            "promise",
            "async fails: expected 'a' to equal 'b'",
            "skipped (skipped)",
            "no function",
            "legacy pass",
            "legacy fail: expected 0 to be truthy",
            "second script",
        ]
    );
}

#[test]
fn an_error_outside_tests_keeps_the_tests_before_it() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &[
            "pm.test('before', () => {});\npm.response.to.have.status(500);\npm.test('after', () => {});",
            "pm.test('next script', () => {});",
        ],
    );
    let names: Vec<&str> = outcome.tests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["before", "next script"]);
    assert_eq!(outcome.errors.len(), 1);
    // The message alone, not chai's stack.
    assert_eq!(
        outcome.errors[0].message,
        "AssertionError: expected response to have status code 500 but got 200"
    );
    assert_eq!(outcome.errors[0].line, Some(2));
}

// ---------------------------------------------------------------- pm.sendRequest

#[test]
fn send_request_goes_through_the_host() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let mut host = EchoHost::default();
    let outcome = engine.run(
        Phase::Test,
        &[script(
            "t.test.js",
            "pm.sendRequest('http://127.0.0.1:1/ping', (err, res) => {\n\
               pm.test('callback', () => {\n\
                 pm.expect(err).to.be.null;\n\
                 res.to.have.status(201);\n\
                 pm.expect(res.status).to.equal('Created');\n\
                 pm.expect(res.json()).to.include({method: 'GET', url: 'http://127.0.0.1:1/ping'});\n\
                 pm.expect(res.headers.get('content-type')).to.equal('application/json');\n\
               });\n\
             });\n\
             pm.sendRequest({url: 'http://127.0.0.1:1/users', method: 'POST',\n\
                 header: {'Content-Type': 'application/json'},\n\
                 body: {mode: 'raw', raw: JSON.stringify({name: 'Ann'})}}, (err, res) => {\n\
               pm.test('object', () => pm.expect(res.json().body).to.eql({mode: 'raw', raw: '{\"name\":\"Ann\"}'}));\n\
             });\n\
             pm.sendRequest('file:///etc/passwd', (err, res) => {\n\
               pm.test('refused', () => { pm.expect(err.message).to.equal('refused file:///etc/passwd'); pm.expect(res).to.be.undefined; });\n\
             });\n\
             pm.test('promise', async () => {\n\
               const res = await pm.sendRequest({url: 'http://127.0.0.1:1/p', method: 'DELETE'});\n\
               pm.expect(res.code).to.equal(201);\n\
               pm.expect(res.json().method).to.equal('DELETE');\n\
             });",
        )],
        &mut state,
        &mut host,
    );
    assert_eq!(
        results(&outcome),
        vec!["promise", "callback", "object", "refused"]
    );
    let asked: Vec<(&str, &str)> = host
        .asked
        .iter()
        .map(|r| (r.method.as_str(), r.url.as_str()))
        .collect();
    assert_eq!(
        asked,
        vec![
            ("GET", "http://127.0.0.1:1/ping"),
            ("POST", "http://127.0.0.1:1/users"),
            ("DELETE", "http://127.0.0.1:1/p")
        ]
    );
    assert_eq!(
        host.asked[1].headers,
        vec![header("Content-Type", "application/json")]
    );
}

// ---------------------------------------------------------------- legacy

#[test]
fn legacy_response_globals() {
    let mut engine = engine();
    let state = answered(201, "Created", r#"{"token": "t1"}"#);
    let tests = test_results(
        &mut engine,
        &state,
        "tests['body'] = JSON.parse(responseBody).token === 't1';\n\
         tests['code'] = responseCode.code === 201 && responseCode.name === 'Created';\n\
         tests['time'] = responseTime === 42;\n\
         tests['headers'] = responseHeaders['X-Request-Id'] === 'abc';\n\
         tests['getResponseHeader'] = postman.getResponseHeader('x-request-id') === 'abc';\n\
         tests['cookies'] = Array.isArray(responseCookies);\n\
         tests['missing'] = postman.getResponseHeader('nope');",
    );
    assert_eq!(
        tests,
        vec![
            "body",
            "code",
            "time",
            "headers",
            "getResponseHeader",
            "cookies",
            "missing: expected undefined to be truthy"
        ]
    );
    // A pre-request script has no response globals.
    let mut pre = self::state();
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut pre,
        &["pm.test('none', () => { pm.expect(typeof responseBody).to.equal('undefined'); pm.expect(pm.response).to.be.undefined; });"],
    );
    assert_eq!(results(&outcome), vec!["none"]);
    // A test script after a request with no response: the old globals are
    // there and empty, so a legacy check fails instead of throwing.
    let mut failed = self::state();
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut failed,
        &["tests['Status is 200'] = responseCode.code === 200;"],
    );
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(
        results(&outcome),
        vec!["Status is 200: expected false to be truthy"]
    );
}

#[test]
fn the_legacy_request_is_the_request_as_each_script_started() {
    let mut engine = engine();
    let mut state = state();
    // Read after pm.request changed it: still the snapshot at the start.
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &[
            "pm.request.headers.add({key: 'X-New', value: '1'});\n\
             pm.test('first', () => { pm.expect(request.headers['x-new']).to.be.undefined; });",
            "pm.test('second', () => { pm.expect(request.headers['x-new']).to.equal('1'); });\n\
             request = 'mine';\n\
             pm.test('assignable', () => pm.expect(request).to.equal('mine'));",
        ],
    );
    assert_eq!(results(&outcome), vec!["first", "second", "assignable"]);
    assert!(state.request.headers.iter().any(|h| h.key == "X-New"));
    // A script that never reads the request hands it back unchanged.
    let before = self::state();
    let mut after = before.clone();
    let outcome = run(&mut engine, Phase::PreRequest, &mut after, &["var x = 1;"]);
    assert!(outcome.errors.is_empty());
    assert_eq!(after.request, before.request);
}

// ---------------------------------------------------------------- control

#[test]
fn execution_control_and_the_visualizer_come_back() {
    let mut engine = engine();
    let mut state = state();
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["pm.execution.setNextRequest('Create user'); pm.execution.skipRequest();"],
    );
    assert_eq!(results(&outcome), Vec::<String>::new());
    assert_eq!(state.control.next_request, Some(json!("Create user")));
    assert!(state.control.skip_request);

    let mut state = answered(200, "OK", r#"{"rows": [1, 2]}"#);
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["postman.setNextRequest('users/list');\n\
           pm.visualizer.set('<p>{{rows.length}}</p>', {rows: pm.response.json().rows});\n\
           pm.test('no skipping after the send', () => pm.execution.skipRequest());"],
    );
    assert_eq!(
        results(&outcome),
        vec!["no skipping after the send: TypeError: pm.execution.skipRequest is not a function"]
    );
    assert_eq!(state.control.next_request, Some(json!("users/list")));
    assert!(!state.control.skip_request);
    assert_eq!(
        state.control.visualizer,
        Some(Visualizer {
            template: "<p>{{rows.length}}</p>".into(),
            data: json!({"rows": [1, 2]})
        })
    );
}

#[test]
fn set_next_request_null_stops_the_run() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["pm.test('x', () => {})"],
    );
    assert_eq!(state.control.next_request, None, "not set stays not set");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["pm.execution.setNextRequest(null);"],
    );
    assert_eq!(results(&outcome), Vec::<String>::new());
    assert_eq!(state.control.next_request, Some(Value::Null));
}

#[test]
fn more_response_assertions() {
    let mut engine = engine();
    let state = answered(200, "OK", r#"{"id": 1}"#);
    let tests = test_results(
        &mut engine,
        &state,
        "pm.test('responseTime', () => pm.response.to.have.responseTime.below(100));\n\
         pm.test('responseTime over', () => pm.response.to.have.responseTime.above(100));\n\
         pm.test('body json', () => pm.response.to.have.body({id: 1}));\n\
         pm.test('body json differs', () => pm.response.to.have.body({id: 2}));\n\
         pm.test('schema on a value', () => pm.expect({id: 'x'}).to.have.jsonSchema({properties: {id: {type: 'integer'}}}));\n\
         pm.test('not json', () => pm.response.to.not.be.json);\n\
         pm.test('statusCode', () => pm.response.to.have.statusCode(201));\n\
         pm.test('list helpers', () => {\n\
           pm.expect(pm.response.headers.count()).to.equal(2);\n\
           pm.expect(pm.response.headers.filter(h => h.key.startsWith('X-')).map(h => h.value)).to.eql(['abc']);\n\
           pm.expect(pm.response.headers.find({key: 'X-Request-Id'}).value).to.equal('abc');\n\
           pm.expect(pm.response.headers.has('x-request-id', 'abc')).to.be.true;\n\
           pm.expect(pm.response.headers.all().map(String)).to.eql(['Content-Type: application/json; charset=utf-8', 'X-Request-Id: abc']);\n\
         });",
    );
    assert_eq!(
        tests,
        vec![
            "responseTime",
            "responseTime over: expected 42 to be above 100",
            "body json",
            "body json differs: expected response body json to equal { id: 2 } but got { id: 1 }",
            "schema on a value: expected data to satisfy schema but found following errors: \ndata.id should be integer",
            "not json: expected response body not to be a valid json",
            "statusCode: expected response to have status code 201 but got 200",
            "list helpers",
        ]
    );
}

#[test]
fn a_script_cannot_replace_the_api_for_later_runs() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &[
            "__pm = null; try { __pm.finishScript = () => '[]'; } catch (e) {}\n\
           pm = { test() {} }; tests = 1;",
        ],
    );
    assert_eq!(outcome.errors, vec![]);
    let tests = test_results(
        &mut engine,
        &state,
        "pm.test('still here', () => pm.response.to.be.ok); tests['legacy too'] = true;",
    );
    assert_eq!(tests, vec!["still here", "legacy too"]);
}

#[test]
fn an_untouched_request_comes_back_as_it_was() {
    let mut engine = engine();
    for url in [
        "  {{base}}/a\\b?x=1&&y#top",
        "http:///x",
        "localhost:3000/api?",
        "http://[::1]:8080/x?redirect=http://y/z?q=1",
    ] {
        let mut state = state();
        state.request.url = url.into();
        state.request.body = Some(ScriptBody {
            mode: "raw".into(),
            ..ScriptBody::default()
        });
        state.request.auth = Some(json!({"type": "noauth"}));
        let before = state.request.clone();
        let outcome = run(
            &mut engine,
            Phase::PreRequest,
            &mut state,
            &["pm.request.url.toString(); pm.request.headers.get('Accept');"],
        );
        assert_eq!(outcome.errors, vec![]);
        assert_eq!(state.request, before);
    }
    let mut state = state();
    run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["pm.request.authorizeUsing('bearer', {token: 't'});"],
    );
    assert_eq!(
        state.request.auth,
        Some(
            json!({"type": "bearer", "bearer": [{"key": "token", "value": "t", "type": "string"}]})
        )
    );
}

#[test]
fn the_sent_request_and_an_empty_body_in_a_test_script() {
    let mut engine = engine();
    let mut state = answered(204, "No Content", "");
    state.request.method = "POST".into();
    state.request.body = Some(ScriptBody {
        mode: "urlencoded".into(),
        urlencoded: Some(vec![
            ScriptParam {
                key: "a".into(),
                value: "1".into(),
                ..ScriptParam::default()
            },
            ScriptParam {
                key: "a".into(),
                value: "2".into(),
                ..ScriptParam::default()
            },
        ]),
        ..ScriptBody::default()
    });
    let tests = test_results(
        &mut engine,
        &state,
        "pm.test('sent request', () => {\n\
           pm.expect(pm.request.method).to.equal('POST');\n\
           pm.expect(pm.request.body.urlencoded.toObject()).to.eql({a: ['1', '2']});\n\
           pm.expect(request.data).to.eql({a: ['1', '2']});\n\
         });\n\
         pm.test('no content', () => pm.response.to.be.withoutContent);\n\
         pm.test('empty text', () => pm.expect(pm.response.text()).to.equal(''));\n\
         pm.test('empty json', () => pm.response.json());\n\
         pm.test('withBody', () => pm.response.to.be.withBody);",
    );
    assert_eq!(
        tests,
        vec![
            "sent request",
            "no content",
            "empty text",
            "empty json: JSONError: No data, empty input at 1:1\n\n^",
            "withBody: expected response to have content in body"
        ]
    );
}

#[test]
fn a_script_replacing_json_stringify_does_not_break_send_request() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["JSON.stringify = () => 'broken';\npm.sendRequest('http://127.0.0.1:9/x', (err, res) => {\n  pm.test('answered', () => pm.expect(res.code).to.equal(201));\n});"],
    );
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.tests.len(), 1, "{outcome:?}");
    assert!(outcome.tests[0].passed, "{outcome:?}");
}

#[test]
fn top_level_await_works_as_in_postman() {
    // Postman runs a script inside an async function.
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["const n = await new Promise((done) => setTimeout(() => done(5), 10));\nconst res = await pm.sendRequest('http://127.0.0.1:9/x');\npm.test('awaited', () => {\n  pm.expect(n).to.equal(5);\n  pm.expect(res.code).to.equal(201);\n});\nawait Promise.reject(new Error('late'));"],
    );
    assert_eq!(outcome.tests.len(), 1, "{outcome:?}");
    assert!(outcome.tests[0].passed, "{outcome:?}");
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    assert_eq!(outcome.errors[0].message, "Error: late");
    assert_eq!(outcome.errors[0].line, Some(7));
}

#[test]
fn the_environment_has_its_name_and_keeps_it_across_phases() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    state.variables.environment_name = Some("staging".into());
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut state,
        &["console.log(pm.environment.name, Object.keys(pm.environment.toObject()).length)"],
    );
    assert_eq!(outcome.console[0].text, "staging 0");
    assert_eq!(state.variables.environment_name.as_deref(), Some("staging"));
}

#[test]
fn the_request_has_its_name_and_description_old_style_and_new() {
    let mut engine = engine();
    let mut state = state();
    state.request.description = Some("Reads **one** user".into());
    let source = "pm.test('legacy', () => {\n\
           pm.expect(request.name).to.equal('Get user');\n\
           pm.expect(request.description).to.equal('Reads **one** user');\n\
         });\n\
         pm.test('pm', () => {\n\
           pm.expect(pm.request.description.toString()).to.equal('Reads **one** user');\n\
           pm.expect(pm.request.description.content).to.equal('Reads **one** user');\n\
         });";
    let outcome = run(&mut engine, Phase::PreRequest, &mut state, &[source]);
    assert_eq!(results(&outcome), vec!["legacy", "pm"]);
    assert_eq!(
        state.request.description.as_deref(),
        Some("Reads **one** user")
    );
    // Without one (or an empty one), the legacy global has none, as in Postman.
    let mut bare = self::state();
    bare.request.description = Some(String::new());
    let outcome = run(
        &mut engine,
        Phase::PreRequest,
        &mut bare,
        &["pm.test('none', () => pm.expect(request.description).to.be.undefined);"],
    );
    assert_eq!(results(&outcome), vec!["none"]);
}

#[test]
fn a_test_declared_in_a_send_request_callback_reads_the_stream_and_counts() {
    let mut engine = engine();
    let mut state = answered(200, "OK", "{}");
    let outcome = run(
        &mut engine,
        Phase::Test,
        &mut state,
        &["pm.test('outer', () => pm.response.to.have.status(200));\n\
           pm.sendRequest({url: 'http://127.0.0.1:9/get?key2=val2', method: 'GET'}, (err, res) => {\n\
             const sent = JSON.parse(res.stream.toString());\n\
             pm.test('nested', () => {\n\
               pm.expect(sent.url).to.equal('http://127.0.0.1:9/get?key2=val2');\n\
               pm.expect(Buffer.isBuffer(res.stream)).to.be.true;\n\
               pm.expect(res.stream.length).to.equal(res.text().length);\n\
             });\n\
             pm.test('nested fails', () => pm.expect('val2').to.equal('wrong'));\n\
           });"],
    );
    assert_eq!(
        results(&outcome),
        vec![
            "outer",
            "nested",
            "nested fails: expected 'val2' to equal 'wrong'"
        ]
    );
}
