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
    t.set_workspace(&demo());
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
    t.set_workspace(&demo());
    let before = t.visible.len();
    act(&mut t, Action::Collapse);
    assert_eq!(t.visible.len(), before - 5, "auth has 5 requests");
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
    t.set_workspace(&demo());
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
fn file_operations_ask_the_app() {
    let mut t = TreePane::new();
    t.set_workspace(&demo());
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
