//! The first load of a big workspace comes in two parts: its first
//! collections, then all of it (`update` tests, no terminal).

use super::tests::demo_root;
use super::*;
use crate::tui::keymap::Keymap;
use crate::tui::test_util::buffer_text;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent};

fn new_app() -> App {
    let mut app = App::new(demo_root(), Keymap::defaults(), Theme::dark(), None);
    app.update(Msg::Resize(100, 60));
    app
}

fn whole() -> Workspace {
    crate::storage::load_workspace(&demo_root()).unwrap()
}

/// The first collection only, as `load_workspace_progressive` hands it.
fn first_part() -> Workspace {
    let mut ws = whole();
    ws.collections.truncate(1);
    ws.diagnostics.clear();
    ws
}

fn screen(app: &App) -> String {
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 60)).unwrap();
    term.draw(|f| crate::tui::view::draw(app, f)).unwrap();
    buffer_text(term.backend().buffer())
}

#[test]
fn the_first_part_is_shown_marked_loading_then_the_rest_joins_it() {
    let mut app = new_app();
    assert!(screen(&app).contains("Loading workspace…"));
    let fx = app.update(Msg::WorkspacePart(Box::new(LoadedWorkspace::new(
        first_part(),
    ))));
    // The environment is chosen with the first part; git waits for all.
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadVars(_))));
    assert!(!fx.iter().any(|e| matches!(e, Effect::RefreshGitStatus)));
    let names: Vec<String> = whole().collections.iter().map(|c| c.name()).collect();
    let last = names.last().unwrap();
    let shown = screen(&app);
    assert!(shown.contains("(loading…)"), "{shown}");
    assert!(shown.contains(&names[0]), "{shown}");
    assert!(!shown.contains(last.as_str()), "{shown}");

    let fx = app.update(Msg::WorkspaceLoaded(Ok(Box::new(whole()))));
    assert!(fx.iter().any(|e| matches!(e, Effect::RefreshGitStatus)));
    let shown = screen(&app);
    assert!(!shown.contains("(loading…)"), "{shown}");
    // Collections that came with the rest start open too.
    assert!(shown.contains(&format!("▾ {last}")), "{shown}");
}

#[test]
fn a_request_opened_from_the_first_part_survives_the_rest() {
    let mut app = new_app();
    app.update(Msg::WorkspacePart(Box::new(LoadedWorkspace::new(
        first_part(),
    ))));
    let path = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.requests().first().map(|r| r.path.clone()))
        .unwrap();
    app.tree.select_path(&path);
    app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(app.editor.path(), Some(path.as_str()));
    typed(&mut app, "/edited");
    let edited = app.editor.request().cloned();
    assert!(edited.as_ref().unwrap().url.ends_with("/edited"));
    // As the loader sends it: with the disk's version of every request.
    app.update(Msg::WorkspaceRead(Box::new(LoadedWorkspace::new(whole()))));
    assert_eq!(app.editor.path(), Some(path.as_str()));
    assert_eq!(app.editor.request().cloned(), edited, "the edit is kept");
    assert!(
        app.overlay.is_none(),
        "nothing asked: the disk did not change"
    );
}

#[test]
fn a_collection_closed_during_the_first_part_stays_closed() {
    let mut app = new_app();
    app.update(Msg::WorkspacePart(Box::new(LoadedWorkspace::new(
        first_part(),
    ))));
    let first = whole().collections[0].path.clone();
    app.tree.select_path(&first);
    // Left on an open collection closes it.
    app.update(Msg::Key(KeyEvent::from(KeyCode::Left)));
    let closed = screen(&app);
    app.update(Msg::WorkspaceLoaded(Ok(Box::new(whole()))));
    let after = screen(&app);
    let rows = |s: &str| {
        s.lines()
            .filter(|l| l.contains("GET") || l.contains("POST"))
            .count()
    };
    assert_eq!(rows(&closed), 0, "{closed}");
    assert!(rows(&after) > 0, "the other collections open: {after}");
    assert!(
        !after.contains("api-key-header") && !after.contains("API key"),
        "auth stays closed: {after}"
    );
}

#[test]
fn a_part_after_the_whole_workspace_is_ignored() {
    let mut app = new_app();
    app.update(Msg::WorkspaceLoaded(Ok(Box::new(whole()))));
    let n = app.workspace.as_ref().unwrap().collections.len();
    app.update(Msg::WorkspacePart(Box::new(LoadedWorkspace::new(
        first_part(),
    ))));
    assert_eq!(app.workspace.as_ref().unwrap().collections.len(), n);
    assert!(!screen(&app).contains("(loading…)"));
}

fn typed(app: &mut App, text: &str) {
    // `e` edits the URL, as a user would.
    app.update(Msg::Key(KeyEvent::from(KeyCode::Char('e'))));
    for c in text.chars() {
        app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    app.update(Msg::Key(KeyEvent::from(KeyCode::Esc)));
}
