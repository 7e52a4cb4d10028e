//! The runner's core against `postie echo` on 127.0.0.1: order, variables
//! carried across requests and iterations, data rows, `setNextRequest`
//! and its loop bound, bail, timeouts, folder selection, and parallel and
//! sharded runs giving the sequential run's results.

mod common;

use std::path::Path;
use std::time::Duration;

use postie::http::ClientConfig;
use postie::pipeline::Pipeline;
use postie::runner::record::{Execution, Stopped, Summary};
use postie::runner::report::{Event, Reporter};
use postie::runner::{run, Plan, RunOptions, Setup, Shard};
use postie::storage::workspace::load_workspace;
use serde_json::{json, Map, Value};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Keeps what reporters are told, as lines easy to compare.
#[derive(Default)]
struct Collect {
    lines: Vec<String>,
    executions: Vec<Execution>,
    summary: Option<Summary>,
}

impl Reporter for Collect {
    fn on(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        match event {
            Event::Start(info) => self.lines.push(format!("start {}", info.name)),
            Event::Iteration { index, count } => {
                self.lines.push(format!("iteration {}/{count}", index + 1))
            }
            Event::Executed(e) => {
                let tests: Vec<String> = (e.tests.iter())
                    .map(|t| format!("{}{}", if t.failed() { "✗" } else { "✓" }, t.name))
                    .collect();
                self.lines.push(format!(
                    "{} {} {}",
                    e.item.name,
                    e.response.as_ref().map_or(0, |r| r.status),
                    tests.join(",")
                ));
                self.executions.push((*e).clone());
            }
            Event::Warning(w) => self.lines.push(format!("warning {w}")),
            Event::Done(s) => self.summary = Some((*s).clone()),
        }
        Ok(())
    }
}

/// `shop`: login sets a token; `orders/list` uses it and counts; `orders/
/// again` loops back to `list` with setNextRequest until the count is 3.
fn workspace(base: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "postie.json", "{\"format\": 1}\n");
    write(
        r,
        "shop/collection.json",
        &format!("{{\"variables\": {{\"base\": \"{base}\"}}, \"order\": [\"login\", \"orders\", \"users\"]}}\n"),
    );
    write(
        r,
        "shop/login.json",
        r#"{"method": "POST", "url": "{{base}}/anything/login?user={{user}}"}"#,
    );
    write(
        r,
        "shop/login.test.js",
        "pm.environment.set('token', 'tok-' + pm.iterationData.get('user'));\npm.globals.set('runs', (pm.globals.get('runs') || 0) + 1);\npm.test('login ok', () => pm.response.to.have.status(200));\n",
    );
    write(
        r,
        "shop/orders/folder.json",
        "{\"order\": [\"list\", \"again\"]}\n",
    );
    write(
        r,
        "shop/orders/list.json",
        r#"{"method": "GET", "url": "{{base}}/anything/orders?who={{token}}"}"#,
    );
    write(
        r,
        "shop/orders/list.test.js",
        "pm.collectionVariables.set('count', Number(pm.collectionVariables.get('count') || 0) + 1);\nconst q = pm.response.json().query;\npm.test('token sent', () => pm.expect(q[0][1]).to.equal(pm.environment.get('token')));\n",
    );
    write(
        r,
        "shop/orders/again.json",
        r#"{"method": "GET", "url": "{{base}}/anything/again"}"#,
    );
    write(
        r,
        "shop/orders/again.test.js",
        "if (Number(pm.collectionVariables.get('count')) % 3 !== 0) { pm.execution.setNextRequest('list'); }\n",
    );
    write(
        r,
        "shop/users/me.json",
        r#"{"method": "GET", "url": "{{base}}/status/{{status}}"}"#,
    );
    write(
        r,
        "shop/users/me.test.js",
        "pm.test('me is 200', () => pm.response.to.have.status(200));\n",
    );
    d
}

fn data() -> Vec<Map<String, Value>> {
    ["ann", "bob", "cyd"]
        .iter()
        .map(|u| {
            let mut m = Map::new();
            m.insert("user".into(), json!(u));
            m.insert(
                "status".into(),
                json!(if *u == "bob" { "500" } else { "200" }),
            );
            m
        })
        .collect()
}

fn run_with(root: &Path, options: RunOptions, folders: &[&str]) -> Collect {
    let ws = load_workspace(root).unwrap();
    let mut plan = Plan::from_workspace(&ws, "shop").unwrap();
    let folders: Vec<String> = folders.iter().map(|s| s.to_string()).collect();
    plan.select(&folders).unwrap();
    let setup = Setup {
        data: data(),
        options,
        ..Setup::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut collect = Collect::default();
    rt.block_on(async {
        let pipeline = Pipeline::new(ClientConfig::default());
        let (_tx, cancel) = tokio::sync::watch::channel(false);
        run(&pipeline, &plan, &setup, &mut collect, cancel)
            .await
            .unwrap();
    });
    collect
}

fn sequential(root: &Path) -> Collect {
    run_with(root, RunOptions::default(), &[])
}

#[test]
fn a_run_follows_postman_order_carries_variables_and_loops_with_set_next_request() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    let c = sequential(ws.path());
    let first: Vec<&str> = c.lines.iter().take(8).map(String::as_str).collect();
    assert_eq!(
        first,
        [
            "start shop",
            "iteration 1/3",
            "login 200 ✓login ok",
            "list 200 ✓token sent",
            "again 200 ",
            "list 200 ✓token sent",
            "again 200 ",
            "list 200 ✓token sent",
        ]
    );
    // Iteration 2: the collection's count carried over (3 → 4), so it loops
    // until 6; bob's data row makes `me` fail.
    let summary = c.summary.unwrap();
    assert_eq!(summary.iterations.executed, 3);
    assert_eq!(summary.iterations.failed, 1);
    assert_eq!(summary.assertions.failed, 1);
    assert_eq!(summary.failures.len(), 1);
    assert_eq!(summary.failures[0].iteration, 1);
    assert_eq!(summary.failures[0].name, "me is 200");
    // 3 iterations × (login + 3 × (list + again) + me)
    assert_eq!(summary.requests.executed, 3 * 8);
    assert_eq!(summary.test_scripts.executed, 3 * 8);
    assert!(summary.failed());
    assert_eq!(summary.response_times.count, 24);
    // The token each iteration's requests sent was its own data row's (as `who`:
    // a `token` query parameter is a credential, masked in reports).
    let tokens: Vec<String> = (c.executions.iter())
        .filter(|e| e.item.name == "list")
        .map(|e| e.request.as_ref().unwrap().url.clone())
        .collect();
    assert!(tokens[0].ends_with("who=tok-ann"), "{tokens:?}");
    assert!(tokens[3].ends_with("who=tok-bob"), "{tokens:?}");
    assert!(tokens[8].ends_with("who=tok-cyd"), "{tokens:?}");
}

#[test]
fn an_endless_set_next_request_loop_is_stopped_at_the_bound_with_a_message() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    write(
        ws.path(),
        "shop/orders/again.test.js",
        "pm.execution.setNextRequest('again');\n",
    );
    let c = run_with(
        ws.path(),
        RunOptions {
            loop_limit: 25,
            iterations: Some(1),
            ..RunOptions::default()
        },
        &[],
    );
    let summary = c.summary.unwrap();
    // 10 × the 4 requests of the plan is the floor of the bound.
    assert_eq!(summary.requests.executed, 40);
    assert!(matches!(summary.stopped, Some(Stopped::Loop(_))));
    assert!(summary.failed());
    assert!(c
        .lines
        .iter()
        .any(|l| l.starts_with("warning setNextRequest kept iteration 1 going for 40 requests")));
}

#[test]
fn set_next_request_null_ends_the_iteration_and_the_next_one_starts_over() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    write(
        ws.path(),
        "shop/login.pre.js",
        "pm.execution.setNextRequest(null);\n",
    );
    let c = sequential(ws.path());
    let names: Vec<&str> = (c.executions.iter())
        .map(|e| e.item.name.as_str())
        .collect();
    assert_eq!(names, ["login", "login", "login"]);
}

#[test]
fn bail_stops_after_the_first_failure() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    let c = run_with(
        ws.path(),
        RunOptions {
            bail: true,
            ..RunOptions::default()
        },
        &[],
    );
    let last = c.executions.last().unwrap();
    assert_eq!((last.iteration, last.item.name.as_str()), (1, "me"));
    let summary = c.summary.unwrap();
    assert!(matches!(summary.stopped, Some(Stopped::Bail(_))));
    assert_eq!(summary.iterations.executed, 2);
}

#[test]
fn folder_selection_runs_only_that_folder_with_the_collection_scripts_around_it() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    let c = run_with(ws.path(), RunOptions::default(), &["users"]);
    let names: Vec<&str> = (c.executions.iter())
        .map(|e| e.item.name.as_str())
        .collect();
    assert_eq!(names, ["me", "me", "me"]);
}

#[test]
fn a_script_that_never_ends_and_a_request_that_times_out_fail_their_request_only() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    write(ws.path(), "shop/login.pre.js", "while (true) {}\n");
    write(
        ws.path(),
        "shop/users/me.json",
        r#"{"method": "GET", "url": "{{base}}/delay/5"}"#,
    );
    let started = std::time::Instant::now();
    let c = run_with(
        ws.path(),
        RunOptions {
            iterations: Some(1),
            script_timeout: Some(Duration::from_millis(200)),
            request_timeout: Some(Duration::from_millis(300)),
            ..RunOptions::default()
        },
        &[],
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    let login = &c.executions[0];
    assert_eq!(login.script_errors.len(), 1, "{:?}", login.script_errors);
    assert!(login.response.is_some(), "the request is still sent");
    let me = c.executions.last().unwrap();
    assert!(
        me.error.as_deref().unwrap_or("").contains("timed out"),
        "{me:?}"
    );
    let summary = c.summary.unwrap();
    assert_eq!(summary.requests.failed, 1);
    assert_eq!(summary.prerequest_scripts.failed, 1);
}

#[test]
fn parallel_and_sharded_runs_give_the_sequential_results_in_the_same_order() {
    let echo = common::echo();
    let ws = workspace(&echo.url(""));
    // Each iteration on its own: the loop counter must not carry over.
    write(
        ws.path(),
        "shop/orders/again.test.js",
        "if (Number(pm.collectionVariables.get('count')) < 2) { pm.execution.setNextRequest('list'); }\n",
    );
    let base = sequential(ws.path());
    let parallel = run_with(
        ws.path(),
        RunOptions {
            parallel: 3,
            ..RunOptions::default()
        },
        &[],
    );
    // Sequentially the count carries over, so only iteration 1 loops.
    let loops = |c: &Collect| {
        c.executions
            .iter()
            .filter(|e| e.item.name == "list")
            .count()
    };
    assert_eq!(loops(&base), 4);
    assert_eq!(loops(&parallel), 6);
    let verdict = |c: &Collect| {
        let s = c.summary.as_ref().unwrap();
        (s.failed(), s.assertions.failed, s.iterations.failed)
    };
    assert_eq!(verdict(&base), verdict(&parallel));
    let order: Vec<u32> = parallel.executions.iter().map(|e| e.iteration).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "reported in iteration order");

    let shard = |index| {
        run_with(
            ws.path(),
            RunOptions {
                shard: Some(Shard { index, count: 2 }),
                ..RunOptions::default()
            },
            &[],
        )
    };
    let (one, two) = (shard(1), shard(2));
    let its = |c: &Collect| {
        let mut v: Vec<u32> = c.executions.iter().map(|e| e.iteration).collect();
        v.dedup();
        v
    };
    assert_eq!(its(&one), [0, 2]);
    assert_eq!(its(&two), [1]);
    let failed = one.summary.unwrap().assertions.failed + two.summary.unwrap().assertions.failed;
    assert_eq!(failed, 1);
}
