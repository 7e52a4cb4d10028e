//! Hand-built runs for the reporters' tests: every kind of outcome, two
//! iterations, nested folders and hostile strings.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::failures_of;
use crate::runner::record::{
    Counter, Execution, ItemInfo, RequestHead, ResponseHead, RunInfo, Summary, TimeStats,
};
use crate::script::{ConsoleLevel, ConsoleLine, ScriptError, ScriptErrorKind, TestResult};

/// Text that would move the cursor, set the clipboard, recolour the
/// terminal or reverse the text if printed raw.
pub const HOSTILE: &str = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}31m\u{202E}txt\r\u{0}";

pub fn started() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(1_780_000_000_123)
}

fn item(id: &str, name: &str, folders: &[&str]) -> ItemInfo {
    ItemInfo {
        id: id.into(),
        name: name.into(),
        folders: folders.iter().map(|f| f.to_string()).collect(),
    }
}

fn request(method: &str, url: &str) -> RequestHead {
    RequestHead {
        method: method.into(),
        url: url.into(),
        headers: vec![
            ("Accept".into(), "*/*".into()),
            ("User-Agent".into(), "postie".into()),
        ],
        body_size: 0,
    }
}

fn response(status: u16, reason: &str, size: u64, ms: u64, url: &str) -> ResponseHead {
    ResponseHead {
        status,
        reason: reason.into(),
        version: "HTTP/1.1".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        wire_size: size,
        decoded_size: size,
        ttfb: Duration::from_millis(ms.saturating_sub(1)),
        time: Duration::from_millis(ms),
        url: url.into(),
        ..ResponseHead::default()
    }
}

fn test(name: &str, file: &str) -> TestResult {
    TestResult {
        name: name.into(),
        passed: true,
        skipped: false,
        error: None,
        file: PathBuf::from(file),
    }
}

fn failing(name: &str, file: &str, message: &str) -> TestResult {
    TestResult {
        passed: false,
        error: Some(message.into()),
        ..test(name, file)
    }
}

const BASE: &str = "http://127.0.0.1:5555";

/// One iteration: a pass, a failing assertion (nested folders), a script
/// error, a request error and a skipped request.
pub fn iteration(i: u32) -> Vec<Execution> {
    let mut get = Execution::new(i, 0, item("u1", "Get user", &["Users"]));
    get.request = Some(request("GET", &format!("{BASE}/get?id=1")));
    get.response = Some(response(200, "OK", 1234, 35, &format!("{BASE}/get?id=1")));
    get.tests = vec![test("status is 200", "Users/get-user.test.js")];
    get.console = vec![ConsoleLine {
        level: ConsoleLevel::Log,
        text: format!("user {i}"),
        file: PathBuf::from("Users/get-user.test.js"),
        line: Some(2),
    }];
    get.test_scripts = Counter {
        executed: 1,
        failed: 0,
    };

    let mut create = Execution::new(i, 1, item("u2", "Create user", &["Users", "Admin"]));
    create.request = Some(RequestHead {
        body_size: 27,
        ..request("POST", &format!("{BASE}/post"))
    });
    create.response = Some(response(
        500,
        "Internal Server Error",
        80,
        12,
        &format!("{BASE}/post"),
    ));
    create.tests = vec![
        test("token set", "Users/Admin/create-user.pre.js"),
        failing(
            "created",
            "Users/Admin/create-user.test.js",
            "expected 500 to equal 201",
        ),
        TestResult {
            skipped: true,
            passed: false,
            ..test("later", "Users/Admin/create-user.test.js")
        },
    ];
    create.prerequest_scripts = Counter {
        executed: 1,
        failed: 0,
    };
    create.test_scripts = Counter {
        executed: 1,
        failed: 0,
    };

    let mut broken = Execution::new(i, 2, item("b1", "Broken script", &[]));
    broken.request = Some(request("GET", &format!("{BASE}/headers")));
    broken.response = Some(response(200, "OK", 300, 3, &format!("{BASE}/headers")));
    broken.tests = vec![test("before the throw", "broken.test.js")];
    broken.script_errors = vec![ScriptError {
        kind: ScriptErrorKind::Runtime,
        message: "TypeError: cannot read property 'x' of undefined".into(),
        file: PathBuf::from("broken.test.js"),
        line: Some(3),
        column: Some(7),
    }];
    broken.test_scripts = Counter {
        executed: 1,
        failed: 1,
    };

    let mut down = Execution::new(i, 3, item("d1", "Down", &[]));
    down.request = Some(request("GET", "http://127.0.0.1:9/"));
    down.error = Some("connect ECONNREFUSED 127.0.0.1:9".into());

    let mut skipped = Execution::new(i, 4, item("s1", "Skip me", &[]));
    skipped.skipped = true;

    vec![get, create, broken, down, skipped]
}

/// A request whose every string is hostile.
pub fn hostile(i: u32) -> Execution {
    let mut e = Execution::new(i, 5, item(HOSTILE, HOSTILE, &[HOSTILE, "Sub"]));
    let url = format!("{BASE}/{HOSTILE}");
    e.request = Some(RequestHead {
        headers: vec![(HOSTILE.into(), HOSTILE.into())],
        ..request(HOSTILE, &url)
    });
    e.response = Some(ResponseHead {
        headers: vec![("X-Evil".into(), HOSTILE.into())],
        version: HOSTILE.into(),
        ..response(200, HOSTILE, 10, 1, &url)
    });
    e.tests = vec![
        failing(HOSTILE, "h.test.js", &format!("{HOSTILE}\nsecond ]]> line")),
        test(&format!("ok {HOSTILE}"), "h.test.js"),
    ];
    e.console = vec![ConsoleLine {
        level: ConsoleLevel::Error,
        text: format!("{HOSTILE}\nmore"),
        file: PathBuf::from("h.test.js"),
        line: None,
    }];
    e.script_errors = vec![ScriptError {
        kind: ScriptErrorKind::Runtime,
        message: format!("Error: {HOSTILE}"),
        file: PathBuf::from("h.pre.js"),
        line: None,
        column: None,
    }];
    e
}

pub fn info(name: &str, iterations: u32, requests: usize) -> RunInfo {
    RunInfo {
        name: name.into(),
        iteration_count: iterations,
        requests,
        started: started(),
    }
}

/// The summary the runner would give for `executions`.
pub fn summary(name: &str, iterations: u32, executions: &[Execution]) -> Summary {
    let mut s = Summary {
        name: name.into(),
        iterations: Counter {
            executed: u64::from(iterations),
            failed: 0,
        },
        requests: Counter::default(),
        test_scripts: Counter::default(),
        prerequest_scripts: Counter::default(),
        assertions: Counter::default(),
        failures: Vec::new(),
        failure_count: 0,
        started: started(),
        duration: Duration::from_millis(2_561),
        data_received: 0,
        phase_times: Default::default(),
        response_times: TimeStats {
            count: 0,
            min: Duration::from_millis(3),
            max: Duration::from_millis(35),
            mean: Duration::from_micros(16_667),
            p95: Duration::from_millis(35),
            sd: Duration::from_micros(13_275),
        },
        stopped: None,
    };
    for e in executions {
        if e.request.is_some() {
            s.requests.add(Counter {
                executed: 1,
                failed: u64::from(e.error.is_some()),
            });
        }
        if let Some(r) = &e.response {
            s.data_received += r.decoded_size;
            s.response_times.count += 1;
        }
        s.test_scripts.add(e.test_scripts);
        s.prerequest_scripts.add(e.prerequest_scripts);
        for t in e.tests.iter().filter(|t| !t.skipped) {
            s.assertions.add(Counter {
                executed: 1,
                failed: u64::from(t.failed()),
            });
        }
        let failures = failures_of(e);
        s.failure_count += failures.len() as u64;
        s.failures.extend(failures);
    }
    s
}
