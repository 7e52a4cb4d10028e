use std::fs;

use super::*;
use crate::runner::report::fixtures::{self, HOSTILE};

fn feed(r: &mut dyn Reporter, iterations: u32, per: impl Fn(u32) -> Vec<Execution>) -> Summary {
    let info = fixtures::info("Users API", iterations, per(0).len());
    r.on(&Event::Start(&info)).unwrap();
    let mut all = Vec::new();
    for i in 0..iterations {
        r.on(&Event::Iteration {
            index: i,
            count: iterations,
        })
        .unwrap();
        for e in per(i) {
            r.on(&Event::Executed(&e)).unwrap();
            all.push(e);
        }
    }
    fixtures::summary("Users API", iterations, &all)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_report_has_newmans_shape_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out").join("report.json");
    let mut r = JsonReporter::create(&path).unwrap();
    let summary = feed(&mut r, 2, fixtures::iteration);
    assert!(
        !path.exists(),
        "nothing under the final name before the end"
    );
    r.on(&Event::Done(&summary)).unwrap();
    let v: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();

    assert_eq!(v["collection"]["info"]["name"], "Users API");
    let run = &v["run"];
    assert_eq!(
        run["stats"]["iterations"],
        json!({"total": 2, "pending": 0, "failed": 0})
    );
    assert_eq!(
        run["stats"]["requests"],
        json!({"total": 8, "pending": 0, "failed": 2})
    );
    assert_eq!(run["stats"]["assertions"]["total"], 8);
    assert_eq!(run["stats"]["assertions"]["failed"], 2);
    assert_eq!(
        run["stats"]["testScripts"],
        json!({"total": 6, "pending": 0, "failed": 2})
    );
    assert_eq!(run["stats"]["prerequestScripts"]["total"], 2);
    assert_eq!(run["stats"]["scripts"]["total"], 8);
    assert_eq!(run["stats"]["items"]["total"], 10);
    assert_eq!(run["timings"]["responseMin"], 3.0);
    assert_eq!(run["timings"]["responseMax"], 35.0);
    assert_eq!(run["timings"]["responseAverage"], 16.667);
    assert_eq!(run["timings"]["responseP95"], 35.0);
    assert_eq!(run["timings"]["started"], 1_780_000_000_123u64);
    assert_eq!(run["timings"]["completed"], 1_780_000_002_684u64);
    assert_eq!(run["transfers"]["responseTotal"], 2 * (1234 + 80 + 300));
    assert_eq!(run["error"], Value::Null);

    let ex = run["executions"].as_array().unwrap();
    assert_eq!(ex.len(), 10);
    let get = &ex[5];
    assert_eq!(
        get["cursor"],
        json!({"position": 0, "iteration": 1, "length": 5, "cycles": 2})
    );
    assert_eq!(
        get["item"],
        json!({"id": "u1", "name": "Get user", "folders": ["Users"]})
    );
    assert_eq!(get["request"]["method"], "GET");
    assert_eq!(
        get["request"]["url"]["raw"],
        "http://127.0.0.1:5555/get?id=1"
    );
    assert_eq!(get["request"]["url"]["host"], json!(["127", "0", "0", "1"]));
    assert_eq!(get["request"]["url"]["port"], "5555");
    assert_eq!(get["request"]["url"]["path"], json!(["get"]));
    assert_eq!(
        get["request"]["url"]["query"],
        json!([{"key": "id", "value": "1"}])
    );
    assert_eq!(
        get["request"]["header"][0],
        json!({"key": "Accept", "value": "*/*"})
    );
    assert_eq!(get["response"]["code"], 200);
    assert_eq!(get["response"]["status"], "OK");
    assert_eq!(get["response"]["responseTime"], 35);
    assert_eq!(get["response"]["responseSize"], 1234);
    assert_eq!(
        get["assertions"],
        json!([{"assertion": "status is 200", "skipped": false, "file": "Users/get-user.test.js"}])
    );
    assert_eq!(
        get["console"],
        json!([{"level": "log", "messages": ["user 1"]}])
    );

    let create = &ex[1];
    assert_eq!(
        create["assertions"][1]["error"]["message"],
        "expected 500 to equal 201"
    );
    assert_eq!(create["assertions"][2]["skipped"], true);
    let broken = &ex[2];
    assert_eq!(broken["testScript"][0]["error"]["name"], "TypeError");
    assert_eq!(broken["testScript"][0]["error"]["line"], 3);
    assert!(broken.get("prerequestScript").is_none());
    let down = &ex[3];
    assert_eq!(
        down["requestError"]["message"],
        "connect ECONNREFUSED 127.0.0.1:9"
    );
    assert!(down.get("response").is_none());
    assert_eq!(ex[4]["skipped"], true);

    let failures = run["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 6);
    assert_eq!(failures[0]["error"]["name"], "AssertionError");
    assert_eq!(failures[0]["error"]["test"], "created");
    assert_eq!(failures[0]["source"]["name"], "Create user");
    assert_eq!(failures[1]["at"], "test-script");
    assert_eq!(failures[5]["cursor"]["iteration"], 1);
    assert_eq!(files_in(path.parent().unwrap()), ["report.json"]);
}

#[test]
fn hostile_strings_stay_valid_json_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let mut r = JsonReporter::create(&path).unwrap();
    let summary = feed(&mut r, 1, |i| vec![fixtures::hostile(i)]);
    r.on(&Event::Done(&summary)).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(!text.contains('\u{1b}'), "JSON escapes control characters");
    let v: Value = serde_json::from_str(&text).unwrap();
    let e = &v["run"]["executions"][0];
    assert_eq!(e["item"]["name"], HOSTILE);
    assert_eq!(e["request"]["header"][0]["value"], HOSTILE);
    assert_eq!(e["assertions"][0]["assertion"], HOSTILE);
    assert_eq!(e["prerequestScript"][0]["error"]["message"], HOSTILE);
}

#[test]
fn executions_are_streamed_not_gathered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let mut r = JsonReporter::create(&path).unwrap();
    let info = fixtures::info("Big", 1, 1);
    r.on(&Event::Start(&info)).unwrap();
    let e = fixtures::iteration(0).remove(0);
    for _ in 0..200 {
        r.on(&Event::Executed(&e)).unwrap();
    }
    // The temporary file already holds most of what was written: the
    // reporter keeps no more than its write buffer.
    let tmp = files_in(dir.path());
    assert_eq!(tmp.len(), 1);
    assert!(tmp[0].starts_with(".r.json.tmp-"));
    let on_disk = fs::metadata(dir.path().join(&tmp[0])).unwrap().len();
    assert!(on_disk > 100_000, "only {on_disk} bytes on disk");
    // A run that ends without `Done` leaves no report at all.
    drop(r);
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_run_with_no_requests_is_still_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let mut r = JsonReporter::create(&path).unwrap();
    let mut s = fixtures::summary("Empty", 1, &[]);
    s.stopped = Some(Stopped::Bail("folder `x` not found".into()));
    r.on(&Event::Done(&s)).unwrap();
    let v: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["collection"]["info"]["name"], "Empty");
    assert_eq!(v["run"]["executions"], json!([]));
    assert_eq!(v["run"]["error"]["name"], "Bail");
    // Events after the end are an error, not a second report.
    assert!(r.on(&Event::Done(&s)).is_err());
}
