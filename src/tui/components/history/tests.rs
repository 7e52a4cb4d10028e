//! The history view alone: its filter, keys, diff choice and screens.

use super::*;
use crate::history::{Outcome, Via};
use crate::tui::test_util::{buffer_text, draw_component};
use crossterm::event::KeyCode;

fn entry(id: &str, request: &str, status: Option<u16>) -> Entry {
    Entry {
        id: id.into(),
        at: format!("2026-12-03T19:4{}:01.000Z", id.len() % 10),
        via: Via::Tui,
        request: request.into(),
        outcome: if status.is_some() {
            Outcome::Response
        } else {
            Outcome::Failed
        },
        method: Some("GET".into()),
        url: Some(format!("http://127.0.0.1:8080/{request}")),
        status,
        total_ms: Some(12.0),
        size: Some(321),
        tests_passed: 2,
        tests_failed: u8::from(status == Some(500)).into(),
    }
}

/// A view of `users/get`, listed with `entries` (newest first).
fn listed(entries: Vec<Entry>) -> HistoryView {
    let (mut view, effect) = HistoryView::open(Some("users/get".into()));
    let Effect::ListHistory { generation, filter } = effect else {
        panic!("opening lists: {effect:?}");
    };
    assert_eq!(filter.request.as_deref(), Some("users/get"));
    view.listed(generation, Ok(entries), 0);
    view
}

fn press(view: &mut HistoryView, action: Action) -> Cx {
    let mut cx = Cx::default();
    view.handle(&Input::Action(action), &mut cx);
    cx
}

#[test]
fn words_that_read_as_statuses_filter_by_status_the_rest_is_text() {
    let f = parse_query("5xx timeout users");
    assert_eq!(f.status, Some(StatusFilter::Class(5)));
    assert_eq!(f.grep.as_deref(), Some("timeout users"));
    assert_eq!(parse_query("404").status, Some(StatusFilter::Exact(404)));
    assert_eq!(parse_query("none").status, Some(StatusFilter::NoResponse));
    // A number that is not three digits is text (an id, a count).
    let f = parse_query("12345");
    assert_eq!((f.status, f.grep.as_deref()), (None, Some("12345")));
    assert!(bad_status("7xx").is_some());
    assert!(bad_status("4xx").is_none());
}

#[test]
fn a_typed_filter_lists_again_and_an_old_answer_is_dropped() {
    let mut view = listed(vec![entry("a1", "users/get", Some(200))]);
    press(&mut view, Action::Filter);
    assert_eq!(view.context(), KeyContext::Text);
    for c in "500 boom".chars() {
        let mut cx = Cx::default();
        view.handle(&Input::Key(KeyCode::Char(c).into()), &mut cx);
    }
    let cx = press(&mut view, Action::Select);
    let [Effect::ListHistory { generation, filter }] = cx.effects.as_slice() else {
        panic!("{:?}", cx.effects);
    };
    assert_eq!(filter.status, Some(StatusFilter::Exact(500)));
    assert_eq!(filter.grep.as_deref(), Some("boom"));
    assert_eq!(filter.request.as_deref(), Some("users/get"));
    // The first listing's answer comes late: not shown over the new one.
    view.listed(generation - 1, Ok(vec![entry("old", "users/get", None)]), 0);
    assert!(matches!(view.listing, Listing::Loading));
    view.listed(
        *generation,
        Ok(vec![entry("b2", "users/get", Some(500))]),
        0,
    );
    assert_eq!(view.entries()[0].id, "b2");
    // esc clears the filter and lists again.
    let cx = press(&mut view, Action::Back);
    assert!(view.query.is_empty());
    assert!(matches!(
        cx.effects.as_slice(),
        [Effect::ListHistory { .. }]
    ));
}

#[test]
fn the_scope_toggles_between_the_request_and_everything() {
    let mut view = listed(vec![]);
    let cx = press(&mut view, Action::ToggleScope);
    let [Effect::ListHistory { filter, .. }] = cx.effects.as_slice() else {
        panic!("{:?}", cx.effects);
    };
    assert_eq!(filter.request, None);
    let cx = press(&mut view, Action::ToggleScope);
    let [Effect::ListHistory { filter, .. }] = cx.effects.as_slice() else {
        panic!("{:?}", cx.effects);
    };
    assert_eq!(filter.request.as_deref(), Some("users/get"));
}

#[test]
fn diff_takes_the_previous_exchange_of_the_same_request_or_the_marked_one() {
    let mut view = listed(vec![
        entry("n3", "users/get", Some(500)),
        entry("o2", "users/list", Some(200)),
        entry("o1", "users/get", Some(200)),
    ]);
    // Without a mark: the selected one against the one before it of the
    // same request, older first.
    let cx = press(&mut view, Action::Diff);
    assert!(
        matches!(cx.effects.as_slice(), [Effect::DiffHistory { old, new }] if old == "o1" && new == "n3"),
        "{:?}",
        cx.effects
    );
    // The oldest has none before it: said, no effect.
    press(&mut view, Action::Bottom);
    let cx = press(&mut view, Action::Diff);
    assert!(cx.effects.is_empty());
    assert!(cx.status.is_some());
    // Marked (the oldest) and selected (the newest): older first again.
    press(&mut view, Action::Mark);
    assert_eq!(view.marked.as_deref(), Some("o1"));
    press(&mut view, Action::Top);
    let cx = press(&mut view, Action::Diff);
    assert!(
        matches!(cx.effects.as_slice(), [Effect::DiffHistory { old, new }] if old == "o1" && new == "n3"),
        "{:?}",
        cx.effects
    );
    // enter reopens the selected one.
    let cx = press(&mut view, Action::Select);
    assert!(matches!(cx.effects.as_slice(), [Effect::OpenHistory { id, .. }] if id == "n3"));
}

#[test]
fn the_list_and_a_diff_draw_with_untrusted_text_escaped() {
    let mut view = listed(vec![
        entry("n3", "users/get\u{202e}evil", Some(500)),
        entry("o1", "users/get", None),
    ]);
    view.set_height(20);
    press(&mut view, Action::ToggleScope);
    view.listed(
        view.generation,
        Ok(vec![
            entry("n3", "users/get\u{202e}evil", Some(500)),
            entry("o1", "users/get", None),
        ]),
        1,
    );
    let text = buffer_text(&draw_component(&view, 80, 12));
    insta::assert_snapshot!("history_list", text);
    assert!(text.contains("<U+202E>"), "{text}");
    assert!(!text.contains('\u{202e}'));
    view.show_diff(
        "users/get · o1 → n3".into(),
        vec![
            diff_text::Line {
                kind: diff_text::Kind::Removed,
                text: "--- o1".into(),
            },
            diff_text::Line {
                kind: diff_text::Kind::Added,
                text: "+++ n3".into(),
            },
            diff_text::Line {
                kind: diff_text::Kind::Changed,
                text: "status: 200 -> 500".into(),
            },
            diff_text::Line {
                kind: diff_text::Kind::Heading,
                text: "body (JSON):".into(),
            },
            diff_text::Line {
                kind: diff_text::Kind::Added,
                text: "  + $.error: \"\u{1b}[31mboom\"".into(),
            },
        ],
    );
    let text = buffer_text(&draw_component(&view, 80, 12));
    insta::assert_snapshot!("history_diff", text);
    assert!(!text.contains('\u{1b}'));
    // esc leaves the diff for the list.
    press(&mut view, Action::Back);
    assert!(view.diff.is_none());
}
