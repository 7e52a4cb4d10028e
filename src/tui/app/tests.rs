//! `update` tests: messages in, state and effects out, no terminal.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

fn demo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

pub(crate) fn demo_app() -> App {
    let root = demo_root();
    let mut app = App::new(root.clone(), Keymap::defaults(), Theme::dark(), None);
    app.update(Msg::Resize(80, 24));
    let ws = crate::storage::load_workspace(&root).unwrap();
    app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
    app
}

/// An app on a fresh `postie init` workspace (its temp dir lives as long as
/// the returned guard).
fn fresh_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    crate::storage::init::init_workspace(dir.path(), None).unwrap();
    let mut app = App::new(
        dir.path().to_path_buf(),
        Keymap::defaults(),
        Theme::dark(),
        None,
    );
    app.update(Msg::Resize(80, 24));
    reload(&mut app, dir.path());
    (dir, app)
}

fn reload(app: &mut App, root: &Path) {
    let ws = crate::storage::load_workspace(root).unwrap();
    app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn open(app: &mut App, path: &str) {
    key(app, KeyCode::Char('1'));
    key(app, KeyCode::Char('/'));
    typed(app, path);
    key(app, KeyCode::Enter);
    assert_eq!(app.editor.path(), Some(path));
}

#[test]
fn the_first_environment_is_chosen_and_the_tree_has_focus() {
    let app = demo_app();
    assert_eq!(app.environment.as_deref(), Some("local"));
    assert_eq!(app.focus, Focus::Tree);
}

#[test]
fn filtering_the_tree_and_enter_opens_the_request_in_the_editor() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    assert_eq!(app.focus, Focus::Editor);
}

#[test]
fn ctrl_r_sends_with_the_environment_and_the_response_arrives() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    let effects = ctrl(&mut app, 'r');
    let Some(Effect::SendRequest {
        id,
        context,
        sources,
    }) = effects.into_iter().next()
    else {
        panic!("no send");
    };
    assert_eq!(sources.environment.as_deref(), Some("local"));
    assert_eq!(context.chain[0].0, "auth");
    assert!(app.busy());
    app.update(Msg::Exec(crate::http::Event::Failed {
        id,
        error: crate::http::SendError::Cancelled,
    }));
    assert!(!app.busy());
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    // Edit the URL: `e` on the URL line, type, leave with esc.
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "/x");
    key(&mut app, KeyCode::Esc);
    assert!(app.dirty_paths().contains("users/get-user"), "edit kept");
    key(&mut app, KeyCode::Char('q'));
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))), "asks");
    assert!(!app.quit);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none() && !app.quit);
    let effects = ctrl(&mut app, 's');
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::SaveRequest { path, .. } if path == "users/get-user")));
}

#[test]
fn quitting_clean_quits() {
    let mut app = demo_app();
    let effects = key(&mut app, KeyCode::Char('q'));
    assert!(effects.iter().any(|e| matches!(e, Effect::Quit)));
    assert!(app.quit);
}

#[test]
fn edits_survive_switching_requests() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "/edited");
    key(&mut app, KeyCode::Esc);
    open(&mut app, "auth/basic");
    open(&mut app, "users/get-user");
    assert!(app.editor.request().unwrap().url.ends_with("/edited"));
}

#[test]
fn the_palette_opens_requests_and_runs_commands() {
    let mut app = demo_app();
    ctrl(&mut app, 'p');
    assert!(matches!(app.overlay, Some(Overlay::Palette(_))));
    typed(&mut app, "graphql");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(app.editor.path(), Some("bodies/graphql-viewer"));
    ctrl(&mut app, 'p');
    typed(&mut app, "show every key");
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::Help(_))),
        "a command that opens an overlay keeps it"
    );
}

#[test]
fn the_environment_switcher_changes_the_environment() {
    let mut app = demo_app();
    ctrl(&mut app, 'e');
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.environment.as_deref(), Some("staging"));
}

#[test]
fn a_file_changed_on_disk_reloads_or_asks_when_edited() {
    let (dir, mut app) = fresh_app();
    open(&mut app, "example/hello");
    let file = dir.path().join("example/hello.json");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("/hello", "/bonjour");
    std::fs::write(&file, text).unwrap();
    reload(&mut app, dir.path());
    assert!(
        app.editor.request().unwrap().url.ends_with("/bonjour"),
        "clean: reloaded"
    );
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "&mine=1");
    key(&mut app, KeyCode::Esc);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("/bonjour", "/hallo");
    std::fs::write(&file, text).unwrap();
    reload(&mut app, dir.path());
    assert!(
        matches!(app.overlay, Some(Overlay::Dialog(_))),
        "edited: asks"
    );
    assert!(
        app.editor.display_url().contains("mine=1"),
        "nothing overwritten yet"
    );
}

#[test]
fn help_lists_the_keys_of_the_focused_pane() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('?'));
    let Some(Overlay::Help(h)) = &app.overlay else {
        panic!("no help")
    };
    let all: Vec<&str> = h
        .sections
        .iter()
        .flat_map(|s| s.rows.iter().map(|(_, d)| d.as_str()))
        .collect();
    assert!(
        all.contains(&"find a request by typing its name"),
        "{all:?}"
    );
    assert!(all.contains(&"send the open request"));
}

#[test]
fn tiny_and_huge_sizes_never_panic() {
    let mut app = demo_app();
    open(&mut app, "users/create-user");
    for (w, h) in [(1, 1), (10, 3), (29, 7), (30, 8), (80, 24), (300, 100)] {
        app.update(Msg::Resize(w, h));
        let backend = ratatui::backend::TestBackend::new(w, h);
        let mut term = ratatui::Terminal::new(backend).unwrap();
        term.draw(|f| crate::tui::view::draw(&app, f)).unwrap();
    }
}

#[test]
fn pasting_a_curl_command_in_the_editor_turns_it_into_the_request() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    app.update(Msg::Paste(
        "curl -X POST 'http://127.0.0.1:9/things?a=1' -H 'X-Test: yes' --data-raw '{\"k\":1}'"
            .into(),
    ));
    let r = app.editor.request().unwrap();
    assert_eq!(r.method, "POST");
    assert!(r
        .headers
        .iter()
        .any(|h| h.name == "X-Test" && h.value == "yes"));
    assert_eq!(r.name.as_deref(), Some("Get user"), "keeps its name");
    assert!(app.dirty_paths().contains("users/get-user"));
}

#[test]
fn ctrl_y_copies_the_request_as_curl() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    let effects = ctrl(&mut app, 'y');
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::CopyAsCurl { .. })));
}

#[test]
fn a_new_request_is_made_then_shown_and_opened() {
    let (dir, mut app) = fresh_app();
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "Ping it");
    let effects = key(&mut app, KeyCode::Enter);
    let Some(Effect::FileOp(FileOp::NewRequest { dir: d, stem, name })) =
        effects.into_iter().next()
    else {
        panic!("no file operation");
    };
    assert_eq!((stem.as_str(), name.as_str()), ("ping-it", "Ping it"));
    let mut req = Request::new("GET", "{{base_url}}/");
    req.name = Some(name);
    crate::storage::save::save_request(dir.path(), &d, &stem, &req).unwrap();
    app.update(Msg::FileOpDone {
        result: Ok("made".into()),
        select: None,
    });
    reload(&mut app, dir.path());
    assert_eq!(app.editor.path(), Some("example/ping-it"));
    assert!(app.dirty_paths().is_empty());
}
