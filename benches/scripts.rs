//! What a test script costs: a typical test script of 5 assertions on a
//! JSON body, run by the engine cold (a new engine: QuickJS, runtime.js,
//! pm.js and chai loaded) and warm (the same engine again, as the runner
//! reuses one per run); the fixed cost of any script; benches/run.sh's
//! test script. Prints a table; asserts nothing.
//!
//! cargo bench --bench scripts

use std::path::PathBuf;
use std::time::{Duration, Instant};

use postie::script::{
    Engine, Limits, NoNetwork, Phase, Script, ScriptHeader, ScriptRequest, ScriptResponse,
    ScriptState,
};

const TEST: &str = r#"pm.test("status is 200", () => pm.response.to.have.status(200));
pm.test("is JSON", () => pm.response.to.be.json);
const body = pm.response.json();
pm.test("has users", () => pm.expect(body.users).to.be.an("array").that.is.not.empty);
pm.test("first has an id", () => pm.expect(body.users[0]).to.have.property("id", 0));
pm.test("fast enough", () => pm.expect(pm.response.responseTime).to.be.below(1000));
"#;

fn state() -> ScriptState {
    let users: Vec<serde_json::Value> = (0..50)
        .map(|i| serde_json::json!({"id": i, "name": format!("user {i}"), "active": i % 2 == 0}))
        .collect();
    ScriptState {
        request: ScriptRequest {
            method: "GET".into(),
            url: "http://127.0.0.1/users".into(),
            ..ScriptRequest::default()
        },
        response: Some(ScriptResponse {
            code: 200,
            status: "OK".into(),
            headers: vec![ScriptHeader {
                key: "Content-Type".into(),
                value: "application/json".into(),
                disabled: false,
            }],
            body: serde_json::json!({ "users": users }).to_string(),
            response_time: 12.0,
            response_size: 2048,
            cookies: Vec::new(),
        }),
        ..ScriptState::default()
    }
}

fn run(engine: &mut Engine, script: &[Script]) -> Duration {
    let mut s = state();
    let start = Instant::now();
    let outcome = engine.run(Phase::Test, script, &mut s, &mut NoNetwork);
    let took = start.elapsed();
    assert!(
        outcome.errors.is_empty() && outcome.tests.iter().all(|t| t.passed),
        "{outcome:?}"
    );
    let expected = script
        .iter()
        .map(|s| s.source.matches("pm.test(").count())
        .sum::<usize>();
    assert_eq!(outcome.tests.len(), expected);
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let script = [Script {
        source: TEST.into(),
        file: PathBuf::from("users/list.test.js"),
    }];
    let cold: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let mut engine = Engine::new(Limits::default());
            run(&mut engine, &script);
            start.elapsed()
        })
        .collect();
    let mut engine = Engine::new(Limits::default());
    run(&mut engine, &script);
    let warm: Vec<Duration> = (0..200).map(|_| run(&mut engine, &script)).collect();
    println!("test script of 5 assertions on a 50-item JSON body");
    println!(
        "  cold (new engine, libraries loaded): median {:?}",
        median(cold)
    );
    println!(
        "  warm (same engine):                  median {:?}",
        median(warm)
    );
    // The fixed cost every script pays: state in, pm built, state out.
    let empty = [Script {
        source: String::new(),
        file: PathBuf::from("users/list.test.js"),
    }];
    let fixed: Vec<Duration> = (0..200).map(|_| run(&mut engine, &empty)).collect();
    println!(
        "  an empty script (fixed cost), warm:  median {:?}",
        median(fixed)
    );
    // benches/run.sh's test script (benches/run/gen.py), on its body.
    let chain = [Script {
        source: CHAIN.into(),
        file: PathBuf::from("chain/step-2.test.js"),
    }];
    let chained: Vec<Duration> = (0..200)
        .map(|_| {
            let mut s = state();
            if let Some(r) = s.response.as_mut() {
                r.body = CHAIN_BODY.into();
            }
            let start = Instant::now();
            let outcome = engine.run(Phase::Test, &chain, &mut s, &mut NoNetwork);
            let took = start.elapsed();
            assert!(outcome.errors.is_empty() && outcome.tests.iter().all(|t| t.passed));
            took
        })
        .collect();
    println!(
        "  benches/run.sh's test script, warm:   median {:?}",
        median(chained)
    );
}

const CHAIN: &str = r#"pm.test("status is 200", function () {
    pm.response.to.have.status(200);
});
const body = pm.response.json();
pm.test("step 2 answers", function () {
    pm.expect(body.id).to.eql(2);
    pm.expect(body.ok).to.be.true;
    pm.expect(body.items).to.have.lengthOf(3);
});
pm.test("token chained", function () {
    pm.expect(body.received).to.eql("t1-e81bb1cf");
});
pm.collectionVariables.set("token", body.token);"#;

const CHAIN_BODY: &str = r#"{"id":2,"name":"step 2","token":"t2-aaaa","next":3,"items":[1,2,3],"ok":true,"received":"t1-e81bb1cf"}"#;
