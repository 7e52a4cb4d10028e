//! Postman's v3 collections (schema 3.0.0: YAML files, one per request, as
//! Postman's native Git sync writes them) import and run. The fixture is
//! written from Postman's published description of the format, with both
//! spellings of key lists it allows (arrays of `{key, value}` and maps).

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

fn postie(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("postie").unwrap();
    c.current_dir(dir)
        .env_remove("POSTIE_ENV")
        .env_remove("POSTIE_WORKSPACE");
    c
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A project as Postman's Git sync lays it out: `postman/collections/Shop/`
/// (a folder `Users`, requests in both), `postman/environments/`.
fn project(root: &Path, base: &str) {
    let shop = "postman/collections/Shop";
    write(
        root,
        &format!("{shop}/.resources/definition.yaml"),
        "$kind: collection\n\
         name: Shop API\n\
         description: The shop's public API.\n\
         variables:\n\
         \x20 - key: page\n\
         \x20   value: '2'\n\
         auth:\n\
         \x20 type: bearer\n\
         \x20 credentials:\n\
         \x20   - key: token\n\
         \x20     value: '{{token}}'\n\
         scripts:\n\
         \x20 - type: 'http:afterResponse'\n\
         \x20   language: text/javascript\n\
         \x20   code: |-\n\
         \x20     pm.test('answered', () => pm.response.to.have.status(200));\n",
    );
    write(
        root,
        &format!("{shop}/Health.request.yaml"),
        "$kind: http-request\n\
         method: GET\n\
         url: '{{base}}/health'\n\
         order: 2000\n\
         auth:\n\
         \x20 type: noauth\n\
         scripts:\n\
         \x20 - type: afterResponse\n\
         \x20   language: text/javascript\n\
         \x20   code: |-\n\
         \x20     const j = pm.response.json();\n\
         \x20     pm.test('no auth header', () => pm.expect(JSON.stringify(j.headers)).to.not.include('authorization'));\n",
    );
    write(
        root,
        &format!("{shop}/Users/.resources/definition.yaml"),
        "$kind: collection\norder: 1000\n",
    );
    write(
        root,
        &format!("{shop}/Users/Get user.request.yaml"),
        "$kind: http-request\n\
         name: 'Get user: by id'\n\
         method: GET\n\
         url: '{{base}}/users/:id?page={{page}}&draft=1'\n\
         order: 1000\n\
         headers:\n\
         \x20 Accept: application/json\n\
         \x20 X-Trace: '7'\n\
         queryParams:\n\
         \x20 - key: page\n\
         \x20   value: '{{page}}'\n\
         \x20 - key: draft\n\
         \x20   value: '1'\n\
         \x20 - key: debug\n\
         \x20   value: 'true'\n\
         \x20   disabled: true\n\
         pathVariables:\n\
         \x20 - key: id\n\
         \x20   value: '42'\n\
         scripts:\n\
         \x20 - type: beforeRequest\n\
         \x20   language: text/javascript\n\
         \x20   code: pm.variables.set('who', 'ada');\n\
         \x20 - type: afterResponse\n\
         \x20   language: text/javascript\n\
         \x20   code: |-\n\
         \x20     const j = pm.response.json();\n\
         \x20     pm.test('path and query', () => pm.expect(j.url).to.eql('/users/42?page=2&draft=1'));\n\
         \x20     pm.test('bearer from the collection', () => pm.expect(JSON.stringify(j.headers)).to.include('Bearer ' + pm.variables.get('token')));\n\
         \x20     pm.test('map headers', () => pm.expect(JSON.stringify(j.headers)).to.include('[\"x-trace\",\"7\"]'));\n",
    );
    write(
        root,
        &format!("{shop}/Users/.resources/Get user.resources/examples/200 OK.example.yaml"),
        "$kind: http-example\n\
         request:\n\
         \x20 url: '{{base}}/users/42'\n\
         \x20 method: GET\n\
         response:\n\
         \x20 statusCode: 200\n\
         \x20 statusText: OK\n\
         \x20 headers:\n\
         \x20   - key: Content-Type\n\
         \x20     value: application/json\n\
         \x20 body:\n\
         \x20   type: json\n\
         \x20   content: '{\"id\": 42}'\n",
    );
    write(
        root,
        &format!("{shop}/Users/Create user.request.yaml"),
        "$kind: http-request\n\
         method: POST\n\
         url: '{{base}}/users'\n\
         order: 2000\n\
         body:\n\
         \x20 type: json\n\
         \x20 content: |-\n\
         \x20   {\n\
         \x20     \"name\": \"{{who}}\"\n\
         \x20   }\n\
         scripts:\n\
         \x20 - type: beforeRequest\n\
         \x20   language: text/javascript\n\
         \x20   code: pm.variables.set('who', 'grace');\n\
         \x20 - type: afterResponse\n\
         \x20   language: text/javascript\n\
         \x20   code: |-\n\
         \x20     pm.test('json body', () => pm.expect(pm.response.json().json).to.eql({name: 'grace'}));\n",
    );
    write(
        root,
        &format!("{shop}/Users/Log in.request.yaml"),
        "$kind: http-request\n\
         method: POST\n\
         url: '{{base}}/login'\n\
         order: 3000\n\
         body:\n\
         \x20 type: urlencoded\n\
         \x20 content:\n\
         \x20   - key: user\n\
         \x20     value: ada\n\
         \x20   - key: remember\n\
         \x20     value: 'true'\n\
         scripts:\n\
         \x20 - type: afterResponse\n\
         \x20   language: text/javascript\n\
         \x20   code: |-\n\
         \x20     pm.test('form', () => pm.expect(pm.response.json().form).to.eql([['user', 'ada'], ['remember', 'true']]));\n",
    );
    write(
        root,
        &format!("{shop}/Users/Live feed.request.yaml"),
        "$kind: websocket-request\nurl: 'ws://127.0.0.1:1/feed'\n",
    );
    write(
        root,
        "postman/environments/Staging.environment.yaml",
        &format!(
            "name: Staging\n\
             values:\n\
             \x20 - key: base\n\
             \x20   value: '{base}'\n\
             \x20   enabled: true\n\
             \x20   type: default\n\
             \x20 - key: token\n\
             \x20   value: s3cret\n\
             \x20   enabled: true\n\
             \x20   type: secret\n"
        ),
    );
}

#[test]
fn a_postman_v3_project_imports_and_runs_as_postman_runs_it() {
    let server = postie::echo::spawn_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let base = server.url("");
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    // The Postman project is elsewhere (its environment holds the secret
    // in clear, which `postie check` would find in the workspace).
    let elsewhere = tempfile::tempdir().unwrap();
    let repo = elsewhere.path().join("repo");
    project(&repo, base.trim_end_matches('/'));
    let repo = repo.to_str().unwrap();

    // The report names what could not come along.
    postie(d.path())
        .args(["import", repo, "--dry-run"])
        .assert()
        .success()
        .stdout(contains("request kind websocket-request"));
    postie(d.path())
        .args(["import", repo])
        .assert()
        .success()
        .stdout(contains("(Postman collection)"));

    // Git-friendly files, the order Postman shows, the secret kept out.
    let shop = d.path().join("shop-api");
    let listed = postie(d.path()).arg("ls").assert().success();
    let out = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    let users = out.find("Users").expect(&out);
    let health = out.find("Health").expect(&out);
    assert!(
        users < health,
        "folder order 1000 before request order 2000:\n{out}"
    );
    let get = out.find("Get user: by id").expect(&out);
    let create = out.find("Create user").expect(&out);
    let login = out.find("Log in").expect(&out);
    assert!(get < create && create < login, "{out}");
    assert!(!out.contains("Live feed"), "{out}");
    let staging = std::fs::read_to_string(d.path().join("environments/staging.json")).unwrap();
    assert!(!staging.contains("s3cret"), "{staging}");
    let example = std::fs::read_dir(shop.join("users"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains(".example."));
    assert!(example, "the saved response came along");

    // Every test the YAML carries passes against a real server.
    postie(d.path())
        .args(["run", "shop-api", "--env", "staging"])
        .assert()
        .success()
        .stdout(contains("path and query"))
        .stdout(contains("form"));
}

#[test]
fn one_collection_folder_imports_and_broken_yaml_names_the_file() {
    let d = tempfile::tempdir().unwrap();
    postie(d.path()).args(["init", "."]).assert().success();
    project(&d.path().join("repo"), "http://127.0.0.1:1");
    postie(d.path())
        .args(["import", "repo/postman/collections/Shop"])
        .assert()
        .success();
    assert!(d.path().join("shop-api/users").is_dir());
    // Only the collection: environments come with the project.
    assert!(!d.path().join("environments/staging.json").exists());

    // One file of the collection says what to import instead.
    postie(d.path())
        .args([
            "import",
            "repo/postman/collections/Shop/Health.request.yaml",
        ])
        .assert()
        .code(1)
        .stderr(contains("import the collection's folder"));

    write(
        &d.path().join("repo"),
        "postman/collections/Shop/Broken.request.yaml",
        "$kind: http-request\nurl: {{base}}/x\n  method: [\n",
    );
    postie(d.path())
        .args(["import", "repo", "--dry-run"])
        .assert()
        .code(1)
        .stderr(contains("Broken.request.yaml"));
}
