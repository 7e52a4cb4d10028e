use std::path::Path;

use super::*;

fn demo() -> Workspace {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    crate::storage::load_workspace(&root).unwrap()
}

fn act(t: &mut TreePane, a: Action) -> Cx {
    let mut cx = Cx::default();
    t.handle(&Input::Action(a), &mut cx);
    cx
}

fn key(t: &mut TreePane, c: char) {
    let mut cx = Cx::default();
    t.handle(
        &Input::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )),
        &mut cx,
    );
}

#[test]
fn collections_start_open_and_enter_on_a_request_opens_it() {
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    assert_eq!(t.selected_path(), Some("auth"));
    act(&mut t, Action::Down);
    let cx = act(&mut t, Action::Select);
    assert_eq!(
        cx.notices,
        [Notice::OpenRequest("auth/api-key-header".into())]
    );
}

#[test]
fn folders_collapse_and_expand() {
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    let before = t.visible.len();
    act(&mut t, Action::Collapse);
    assert_eq!(t.visible.len(), before - 6, "auth has 6 requests");
    act(&mut t, Action::Expand);
    assert_eq!(t.visible.len(), before);
    // Left on a request goes to its folder.
    act(&mut t, Action::Down);
    act(&mut t, Action::Left);
    assert_eq!(t.selected_path(), Some("auth"));
}

#[test]
fn typing_filters_requests_fuzzily() {
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    act(&mut t, Action::Filter);
    assert_eq!(t.context(), KeyContext::Text);
    for c in "digest".chars() {
        key(&mut t, c);
    }
    assert_eq!(t.selected_path(), Some("auth/digest"));
    let cx = act(&mut t, Action::Select);
    assert_eq!(cx.notices, [Notice::OpenRequest("auth/digest".into())]);
    assert_eq!(t.context(), KeyContext::Tree);
}

#[test]
fn typing_more_narrows_to_what_a_fresh_filter_finds() {
    let fresh = |q: &str| {
        let mut t = TreePane::new();
        t.set_workspace(&demo(), Load::Complete);
        t.filter = Some(q.to_string());
        t.rebuild();
        t.visible.clone()
    };
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    act(&mut t, Action::Filter);
    let mut typed = String::new();
    for c in "us g".chars() {
        key(&mut t, c);
        typed.push(c);
        assert_eq!(t.visible, fresh(&typed), "after {typed:?}");
    }
    assert!(!t.visible.is_empty());
    // Deleting a character widens it again.
    t.handle(
        &Input::Key(crossterm::event::KeyEvent::from(KeyCode::Backspace)),
        &mut Cx::default(),
    );
    assert_eq!(t.visible, fresh("us "));
    // A reload while filtering matches against the new tree.
    t.set_workspace(&demo(), Load::Complete);
    assert_eq!(t.visible, fresh("us "));
}

#[test]
fn file_operations_ask_the_app() {
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    t.select_path("users/get-user");
    let cx = act(&mut t, Action::Delete);
    assert_eq!(
        cx.notices,
        [Notice::ConfirmDelete {
            path: "users/get-user".into()
        }]
    );
    let cx = act(&mut t, Action::NewRequest);
    assert_eq!(
        cx.notices,
        [Notice::AskName {
            purpose: NamePurpose::NewRequest {
                parent: "users".into()
            },
            initial: String::new()
        }]
    );
}

#[test]
fn git_status_marks_requests_by_their_files_and_sidecars() {
    let paths: BTreeSet<String> = ["users/get", "users/make", "new/a", "new/b"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let out = b" M users/get.json\0?? users/make.body.json\0?? new/\0 M README.md\0";
    let marks = parse_git_status(out, &paths);
    assert_eq!(marks.get("users/get"), Some(&GitMark::Modified));
    assert_eq!(marks.get("users/make"), Some(&GitMark::Untracked));
    assert_eq!(marks.get("new/a"), Some(&GitMark::Untracked));
    assert_eq!(marks.len(), 4);
}

// Screen tests: what the tree draws.

use crate::tui::test_util::buffer_text;
use crate::tui::widgets::list_row::testing::{
    assert_row_plain, assert_row_selected, draw_with, row_text, themes,
};
use crate::tui::widgets::list_row::BADGE_WIDTH;

fn request(path: &str, name: &str, method: &str) -> Node {
    Node {
        path: path.into(),
        name: name.into(),
        depth: 1,
        kind: RowKind::Request {
            method: method.into(),
        },
        has_children: false,
    }
}

/// A tree of one collection holding `requests`, all shown.
fn pane_of(requests: Vec<Node>) -> TreePane {
    let mut t = TreePane::new();
    t.load = Load::Complete;
    t.nodes.push(Node {
        path: "api".into(),
        name: "api".into(),
        depth: 0,
        kind: RowKind::Collection,
        has_children: true,
    });
    t.nodes.extend(requests);
    t.expanded.insert("api".into());
    t.rebuild();
    t
}

#[test]
fn the_selected_row_shows_on_every_cell_in_every_colour_mode() {
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    act(&mut t, Action::Down);
    let path = t.selected_path().unwrap().to_string();
    t.set_dirty([path.clone()].into());
    t.set_git([(path, GitMark::Modified)].into());
    for (mode, theme) in themes() {
        for focused in [true, false] {
            let buf = draw_with(&t, 40, 12, &theme, focused);
            let m = format!("{mode}, focused {focused}");
            // Border, then `auth`, then the selected request.
            assert!(
                row_text(&buf, 2, 1..39).contains("API key in a header ● M"),
                "{m}"
            );
            assert_row_selected(&buf, 2, 1..39, &theme, &m);
            assert_row_plain(&buf, 1, 1..39, &theme, &m);
            assert_row_plain(&buf, 3, 1..39, &theme, &m);
        }
    }
}

#[test]
fn a_selected_collection_and_a_broken_file_show_too() {
    let mut t = pane_of(vec![Node {
        path: "api/bad".into(),
        name: "bad".into(),
        depth: 1,
        kind: RowKind::Broken {
            message: "bad: expected value".into(),
            file: "api/bad.json".into(),
        },
        has_children: false,
    }]);
    for (mode, theme) in themes() {
        let buf = draw_with(&t, 30, 6, &theme, true);
        assert_row_selected(&buf, 1, 1..29, &theme, mode);
    }
    act(&mut t, Action::Down);
    for (mode, theme) in themes() {
        let buf = draw_with(&t, 30, 6, &theme, true);
        assert_row_selected(&buf, 2, 1..29, &theme, mode);
    }
}

#[test]
fn badges_show_every_method_whole_at_one_width() {
    let methods = [
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
        "TRACE",
        "CONNECT",
        "PURGE",
        "PROPPATCH",
    ];
    let t = pane_of(
        methods
            .iter()
            .map(|m| request(&format!("api/{m}"), &format!("{m} it"), m))
            .collect(),
    );
    let theme = crate::tui::theme::Theme::dark();
    for (w, h) in [(80, 24), (60, 20), (24, 14)] {
        let buf = draw_with(&t, w, h, &theme, true);
        for (i, m) in methods.iter().enumerate() {
            let row = row_text(&buf, 2 + i as u16, 1..w - 1);
            let badge = if m.len() > BADGE_WIDTH {
                "PROPPA…".to_string()
            } else {
                format!("{m:<BADGE_WIDTH$}")
            };
            // Indent 2, the badge, a gap, the name: names line up.
            assert!(
                row.starts_with(&format!("  {badge} {m} it")),
                "{w}x{h}: {row:?}"
            );
        }
    }
}

#[test]
fn a_name_too_long_for_the_width_ends_with_an_ellipsis() {
    let long = "Create a user with every optional field set and a very long name indeed, \
                longer than any terminal";
    let mut t = pane_of(vec![request("api/long", long, "POST")]);
    t.set_dirty(["api/long".to_string()].into());
    let theme = crate::tui::theme::Theme::dark();
    for (w, h) in [(80, 24), (60, 20), (24, 10)] {
        let buf = draw_with(&t, w, h, &theme, true);
        let row = row_text(&buf, 2, 1..w - 1);
        assert!(row.trim_end().ends_with("… ●"), "{w}x{h}: {row:?}");
        assert!(row.starts_with("  POST    Create a"), "{w}x{h}: {row:?}");
    }
    insta::assert_snapshot!(buffer_text(&draw_with(&t, 60, 6, &theme, true)));
}

#[test]
fn tiny_sizes_draw_without_panic() {
    let mut t = TreePane::new();
    t.set_workspace(&demo(), Load::Complete);
    act(&mut t, Action::Down);
    let theme = crate::tui::theme::Theme::dark();
    for (w, h) in [(1u16, 1u16), (2, 2), (3, 3), (20, 5), (5, 20)] {
        t.set_viewport(h.saturating_sub(2));
        draw_with(&t, w, h, &theme, true);
    }
    let empty = TreePane::new();
    draw_with(&empty, 1, 1, &theme, true);
    draw_with(&empty, 20, 5, &theme, true);
}
