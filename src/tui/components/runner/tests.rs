use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::*;
use crate::runner::record::{
    Counter, ItemInfo, RequestHead, ResponseHead, RunInfo, Stopped, TimeStats,
};
use crate::script::TestResult;
use crate::tui::test_util::{buffer_text, draw_component};
use crate::tui::theme::Theme;

/// An execution of `path` answered `status`, with tests (name, failure).
pub(crate) fn exec(path: &str, status: u16, tests: &[(&str, Option<&str>)]) -> Execution {
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let folders = path.split('/').skip(1).collect::<Vec<_>>();
    let folders = folders[..folders.len().saturating_sub(1)]
        .iter()
        .map(|s| s.to_string())
        .collect();
    Execution {
        iteration: 0,
        position: 0,
        item: ItemInfo {
            id: path.to_string(),
            name,
            folders,
        },
        request: Some(RequestHead {
            method: "GET".into(),
            url: format!("http://127.0.0.1:9/{path}"),
            headers: Vec::new(),
            body_size: 0,
        }),
        response: Some(ResponseHead {
            status,
            reason: if status == 200 {
                "OK"
            } else {
                "Internal Server Error"
            }
            .into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            wire_size: 17,
            decoded_size: 17,
            ttfb: Duration::from_millis(3),
            time: Duration::from_millis(12),
            url: format!("http://127.0.0.1:9/{path}"),
            ..ResponseHead::default()
        }),
        error: None,
        skipped: false,
        tests: tests
            .iter()
            .map(|(n, e)| TestResult {
                name: n.to_string(),
                passed: e.is_none(),
                skipped: false,
                error: e.map(String::from),
                file: format!("{path}.test.js").into(),
            })
            .collect(),
        console: Vec::new(),
        script_errors: Vec::new(),
        prerequest_scripts: Counter::default(),
        test_scripts: Counter {
            executed: 1,
            failed: 0,
        },
        body: None,
    }
}

pub(crate) fn update(run: u64, ms: u64, event: RunEvent) -> RunUpdate {
    RunUpdate {
        run,
        elapsed: Duration::from_millis(ms),
        event,
    }
}

pub(crate) fn started(run: u64, requests: usize) -> RunUpdate {
    update(
        run,
        0,
        RunEvent::Started(RunInfo {
            name: "Users".into(),
            iteration_count: 1,
            requests,
            started: SystemTime::UNIX_EPOCH,
        }),
    )
}

/// The summary of `executions` as the runner would give it (counts only
/// what the view shows).
pub(crate) fn summary(executions: &[Execution], stopped: Option<Stopped>) -> Summary {
    let mut tally = crate::runner::tally::Tally::default();
    for e in executions {
        tally.add(e);
    }
    tally.end_iteration();
    let mut s = tally.summary(
        "Users",
        SystemTime::UNIX_EPOCH,
        Duration::from_millis(1234),
        stopped,
    );
    // Fixed times, so screens are the same on every machine.
    s.response_times = TimeStats {
        count: executions.len() as u64,
        min: Duration::from_millis(3),
        max: Duration::from_millis(40),
        mean: Duration::from_millis(12),
        p95: Duration::from_millis(38),
        sd: Duration::from_millis(5),
    };
    s
}

#[test]
fn events_count_progress_follow_the_newest_then_select_the_first_failure() {
    let mut v = RunnerView::new(7, "users", "users");
    assert!(v.running());
    assert_eq!(v.on_event(started(7, 3)), None);
    assert_eq!(v.planned, 3);
    let runs = [
        exec("users/list", 200, &[("ok", None)]),
        exec(
            "users/get",
            500,
            &[("is 200", Some("expected 500 to equal 200"))],
        ),
        exec("users/me", 200, &[]),
    ];
    for (i, e) in runs.iter().enumerate() {
        v.on_event(update(
            7,
            10 * i as u64,
            RunEvent::Executed(Box::new(e.clone())),
        ));
        assert_eq!(v.cursor, i, "the cursor follows the newest row");
    }
    assert_eq!((v.executed, v.failed), (3, 1));
    let (line, failed) = v
        .on_event(update(
            7,
            50,
            RunEvent::Done(Box::new(summary(&runs, None))),
        ))
        .unwrap();
    assert!(failed);
    assert_eq!(line, "ran users: 3 requests, 1 failure in 1.23 s");
    assert!(!v.running());
    assert_eq!(v.selected().unwrap().item.id, "users/get");
}

#[test]
fn events_of_another_run_are_dropped() {
    let mut v = RunnerView::new(2, "users", "users");
    v.on_event(started(1, 5));
    v.on_event(update(
        1,
        0,
        RunEvent::Executed(Box::new(exec("a/b", 200, &[]))),
    ));
    assert_eq!((v.planned, v.executed), (0, 0));
    assert!(matches!(v.phase, Phase::Starting));
}

#[test]
fn moving_stops_following_and_bottom_follows_again() {
    let mut v = RunnerView::new(1, "users", "users");
    v.on_event(started(1, 3));
    for p in ["u/a", "u/b"] {
        v.on_event(update(
            1,
            0,
            RunEvent::Executed(Box::new(exec(p, 200, &[]))),
        ));
    }
    let mut cx = Cx::default();
    v.handle(&Input::Action(Action::Up), &mut cx);
    assert_eq!(v.cursor, 0);
    v.on_event(update(
        1,
        0,
        RunEvent::Executed(Box::new(exec("u/c", 200, &[]))),
    ));
    assert_eq!(v.cursor, 0, "a cursor the user moved stays");
    v.handle(&Input::Action(Action::Bottom), &mut cx);
    v.on_event(update(
        1,
        0,
        RunEvent::Executed(Box::new(exec("u/d", 200, &[]))),
    ));
    assert_eq!(v.cursor, 3);
}

#[test]
fn esc_stops_a_running_run_once_and_closes_only_when_it_is_over() {
    let mut v = RunnerView::new(4, "users", "users");
    v.on_event(started(4, 3));
    let mut cx = Cx::default();
    assert_eq!(v.handle(&Input::Action(Action::Back), &mut cx), Flow::Done);
    assert!(matches!(cx.effects.as_slice(), [Effect::CancelRun(4)]));
    assert!(v.cancelling);
    // A second esc while it stops asks nothing more.
    let mut cx = Cx::default();
    v.handle(&Input::Action(Action::Back), &mut cx);
    assert!(cx.effects.is_empty());
    v.on_event(update(
        4,
        9,
        RunEvent::Done(Box::new(summary(&[], Some(Stopped::Cancelled)))),
    ));
    let mut cx = Cx::default();
    assert_eq!(
        v.handle(&Input::Action(Action::Back), &mut cx),
        Flow::Bubble
    );
    assert!(cx.effects.is_empty());
}

#[test]
fn a_long_run_lists_a_bounded_number_of_rows_and_keeps_failures() {
    let mut v = RunnerView::new(1, "big", "big");
    v.on_event(started(1, MAX_ROWS + 10));
    let pass = exec("big/ok", 200, &[]);
    for _ in 0..MAX_ROWS + 5 {
        v.on_event(update(1, 0, RunEvent::Executed(Box::new(pass.clone()))));
    }
    let fail = exec("big/bad", 500, &[("t", Some("no"))]);
    v.on_event(update(1, 0, RunEvent::Executed(Box::new(fail))));
    assert_eq!(v.rows.len(), MAX_ROWS + 1);
    assert_eq!(v.unlisted, 5);
    assert_eq!(v.executed, MAX_ROWS as u64 + 6);
    assert_eq!(v.rows.last().unwrap().item.id, "big/bad");
}

#[test]
fn kept_bodies_stop_at_the_budget() {
    let mut v = RunnerView::new(1, "u", "u");
    let mut e = exec("u/bad", 500, &[("t", Some("no"))]);
    e.body = Some(Arc::new(vec![b'x'; KEEP_BODY_BYTES]));
    let fits = MAX_KEPT_BYTES / KEEP_BODY_BYTES;
    for _ in 0..fits + 2 {
        v.on_event(update(1, 0, RunEvent::Executed(Box::new(e.clone()))));
    }
    let kept = v.rows.iter().filter(|r| r.body.is_some()).count();
    assert_eq!(kept, fits);
    assert!(v.rows.last().unwrap().body.is_none());
}

#[test]
fn untrusted_names_messages_and_console_are_drawn_escaped() {
    let mut v = RunnerView::new(1, "u", "u");
    let mut start = started(1, 1);
    if let RunEvent::Started(info) = &mut start.event {
        info.name = "evil\u{1b}]0;x\u{7}".into();
    }
    v.on_event(start);
    let mut e = exec(
        "u/\u{1b}[2Jwipe",
        500,
        &[("\u{202e}reversed", Some("bad\u{1b}[31m"))],
    );
    e.console.push(crate::script::ConsoleLine {
        level: crate::script::ConsoleLevel::Log,
        text: "ring\u{7}".into(),
        file: "u.test.js".into(),
        line: None,
    });
    v.on_event(update(1, 0, RunEvent::Executed(Box::new(e))));
    let buf = draw_component(&v, 100, 20);
    let text = buffer_text(&buf);
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(raw), "{raw:?} reached the screen:\n{text}");
    }
    for shown in [
        "\\e[2Jwipe",
        "<U+202E>reversed",
        "bad\\e[31m",
        "ring\\x07",
        "evil\\e]0;x",
    ] {
        assert!(text.contains(shown), "{shown} not shown:\n{text}");
    }
}

#[test]
fn a_failed_row_is_marked_in_the_error_colour() {
    let theme = Theme::dark();
    let mut v = RunnerView::new(1, "u", "u");
    v.on_event(started(1, 2));
    v.on_event(update(
        1,
        0,
        RunEvent::Executed(Box::new(exec("u/ok", 200, &[]))),
    ));
    let bad = exec("u/bad", 500, &[("t", Some("no"))]);
    v.on_event(update(1, 0, RunEvent::Executed(Box::new(bad))));
    let buf = draw_component(&v, 80, 12);
    let text = buffer_text(&buf);
    let lines: Vec<&str> = text.lines().collect();
    // Border, progress line, then the rows.
    assert!(
        lines[2].contains("✓ GET") && lines[2].contains("ok"),
        "{text}"
    );
    assert!(
        lines[3].contains("✗ GET") && lines[3].contains("bad"),
        "{text}"
    );
    assert_eq!(buf[(1, 2)].fg, theme.colors.success);
    assert_eq!(buf[(1, 3)].fg, theme.colors.error);
}

#[test]
fn a_run_that_ends_without_a_summary_says_why() {
    let mut v = RunnerView::new(1, "u", "u");
    let (line, failed) = v
        .on_event(update(1, 0, RunEvent::Failed("the app is gone".into())))
        .unwrap();
    assert!(failed && line.contains("the app is gone"), "{line}");
    assert!(!v.running());
    let text = buffer_text(&draw_component(&v, 80, 10));
    assert!(
        text.contains("✗ stopped") && text.contains("the app is gone"),
        "{text}"
    );
}

#[test]
fn show_in_pane_gives_the_response_pane_the_head_body_and_tests() {
    let mut e = exec(
        "users/get",
        500,
        &[("is 200", Some("expected 500 to equal 200"))],
    );
    e.body = Some(Arc::new(br#"{"error":"boom"}"#.to_vec()));
    let mut pane = ResponsePane::new("base16-ocean.dark");
    assert!(show_in_pane(&e, &mut pane), "the kept body is shown");
    assert!(pane.has_response());
    pane.set_viewport(70, 12);
    let text = buffer_text(&draw_component(&pane, 72, 14));
    assert!(text.contains("500") && text.contains("boom"), "{text}");
    // Without its body the head and tests still show, and the caller is
    // told the body is missing.
    let mut bare = e.clone();
    bare.body = None;
    assert!(!show_in_pane(
        &bare,
        &mut ResponsePane::new("base16-ocean.dark")
    ));
    let outcome = pane.outcome().unwrap();
    assert_eq!(outcome.tests[0].name, "is 200");
    // A request that errored shows its error, with what the scripts said.
    let mut e = exec("users/get", 0, &[]);
    e.response = None;
    e.error = Some("connection refused by 127.0.0.1:9".into());
    let mut pane = ResponsePane::new("base16-ocean.dark");
    show_in_pane(&e, &mut pane);
    assert!(!pane.has_response());
    pane.set_viewport(60, 10);
    let text = buffer_text(&draw_component(&pane, 60, 10));
    assert!(text.contains("connection refused by 127.0.0.1:9"), "{text}");
}
