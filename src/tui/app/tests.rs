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

/// Opens the palette, types `action`'s description, checks that it is the
/// highlighted entry (with `keys`), and runs it.
fn run_from_palette(app: &mut App, action: Action) -> Vec<Effect> {
    ctrl(app, 'p');
    typed(app, action.describe());
    let Some(Overlay::Palette(p)) = &app.overlay else {
        panic!("no palette");
    };
    match p.selected() {
        Some(super::Entry::Command { action: a, .. }) if *a == action => {}
        other => panic!("{} is not offered: {other:?}", action.name()),
    }
    key(app, KeyCode::Enter)
}

fn name_dialog(app: &App) -> (NamePurpose, String) {
    match &app.overlay {
        Some(Overlay::Dialog(Dialog::Name { purpose, value, .. })) => {
            (purpose.clone(), value.clone())
        }
        _ => panic!("no name dialog"),
    }
}

/// Replaces the dialog's text with `text` and presses enter.
fn answer(app: &mut App, text: &str) -> Vec<Effect> {
    let (_, value) = name_dialog(app);
    for _ in value.chars() {
        key(app, KeyCode::Backspace);
    }
    typed(app, text);
    key(app, KeyCode::Enter)
}

#[test]
fn the_palette_offers_every_command_with_its_key() {
    let mut app = demo_app();
    for a in Action::ALL.iter().filter(|a| a.is_command()) {
        ctrl(&mut app, 'p');
        typed(&mut app, a.describe());
        let Some(Overlay::Palette(p)) = &app.overlay else {
            panic!("no palette");
        };
        let want_keys = app.keymap.key_for(
            &a.pane()
                .into_iter()
                .chain([KeyContext::Global])
                .collect::<Vec<_>>(),
            *a,
        );
        assert_eq!(
            p.selected(),
            Some(&super::Entry::Command {
                action: *a,
                keys: want_keys
            }),
            "{}",
            a.name()
        );
        key(&mut app, KeyCode::Esc);
    }
    // Pane commands show the pane's key, unbound ones none.
    ctrl(&mut app, 'p');
    typed(&mut app, Action::Rename.describe());
    let Some(Overlay::Palette(p)) = &app.overlay else {
        panic!("no palette");
    };
    assert!(matches!(p.selected(), Some(super::Entry::Command { keys: Some(k), .. }) if k == "r"));
}

#[test]
fn tree_commands_from_the_palette_act_on_the_selected_request() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    let path = "users/get-user".to_string();
    run_from_palette(&mut app, Action::Rename);
    assert_eq!(app.focus, Focus::Tree);
    assert_eq!(
        name_dialog(&app),
        (
            NamePurpose::Rename { path: path.clone() },
            "get-user".into()
        )
    );
    let fx = answer(&mut app, "fetch user");
    assert!(
        matches!(&fx[..], [Effect::FileOp(FileOp::Rename { from, to, .. })] if from == "get-user" && to == "fetch-user"),
        "{fx:?}"
    );
    run_from_palette(&mut app, Action::Duplicate);
    assert_eq!(
        name_dialog(&app).0,
        NamePurpose::Duplicate { path: path.clone() }
    );
    let fx = answer(&mut app, "copy");
    assert!(
        matches!(&fx[..], [Effect::FileOp(FileOp::Duplicate { .. })]),
        "{fx:?}"
    );
    run_from_palette(&mut app, Action::Move);
    assert_eq!(
        name_dialog(&app).0,
        NamePurpose::Move { path: path.clone() }
    );
    let fx = answer(&mut app, "auth");
    assert!(
        matches!(&fx[..], [Effect::FileOp(FileOp::Move { .. })]),
        "{fx:?}"
    );
    app.tree.select_path(&path);
    run_from_palette(&mut app, Action::Delete);
    assert!(matches!(
        app.overlay,
        Some(Overlay::Dialog(Dialog::Choice { .. }))
    ));
    key(&mut app, KeyCode::Right);
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::FileOp(FileOp::Delete { stem, .. })] if stem == "get-user"),
        "{fx:?}"
    );
}

#[test]
fn new_request_and_folder_from_the_palette_go_in_the_selected_folder() {
    let mut app = demo_app();
    app.tree.select_path("users");
    app.focus = Focus::Response;
    run_from_palette(&mut app, Action::NewRequest);
    assert_eq!(
        name_dialog(&app).0,
        NamePurpose::NewRequest {
            parent: "users".into()
        }
    );
    let fx = answer(&mut app, "list them");
    assert!(
        matches!(&fx[..], [Effect::FileOp(FileOp::NewRequest { stem, .. })] if stem == "list-them"),
        "{fx:?}"
    );
    run_from_palette(&mut app, Action::NewFolder);
    assert_eq!(
        name_dialog(&app).0,
        NamePurpose::NewFolder {
            parent: "users".into()
        }
    );
    let fx = answer(&mut app, "admin");
    assert!(
        matches!(&fx[..], [Effect::FileOp(FileOp::NewFolder { dir })] if dir.ends_with("users/admin")),
        "{fx:?}"
    );
}

#[test]
fn import_from_the_palette_asks_for_a_file_then_imports_and_reloads() {
    let mut app = demo_app();
    run_from_palette(&mut app, Action::Import);
    assert_eq!(name_dialog(&app), (NamePurpose::Import, String::new()));
    let fx = answer(&mut app, "/tmp/api.har");
    assert!(
        matches!(&fx[..], [Effect::Import { file }] if file == "/tmp/api.har"),
        "{fx:?}"
    );
    // The report comes back as a file operation: status, then a reload.
    let fx = app.update(Msg::FileOpDone {
        result: Ok("imported /tmp/api.har (HAR): 1 collection, 2 requests".into()),
        select: None,
    });
    assert!(fx.iter().any(|e| matches!(e, Effect::ReloadWorkspace)));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("imported /tmp/api.har (HAR): 1 collection, 2 requests")
    );
}

#[test]
fn export_from_the_palette_asks_format_and_file_for_a_collection() {
    let mut app = demo_app();
    app.tree.select_path("users");
    run_from_palette(&mut app, Action::Export);
    assert!(matches!(
        app.overlay,
        Some(Overlay::Dialog(Dialog::Choice { .. }))
    ));
    key(&mut app, KeyCode::Right); // .http
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        name_dialog(&app),
        (
            NamePurpose::Export {
                path: "users".into(),
                format: ExportFormat::Http
            },
            "users.http".into()
        )
    );
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Export { source, format: ExportFormat::Http, file }]
            if source == "users" && file == "users.http"),
        "{fx:?}"
    );
}

#[test]
fn export_from_the_palette_writes_a_request_as_curl() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    run_from_palette(&mut app, Action::Export);
    assert_eq!(
        name_dialog(&app).1,
        "get-user.sh",
        "a request goes straight to its file name"
    );
    let fx = answer(&mut app, "out/get.sh");
    assert!(
        matches!(&fx[..], [Effect::Export { source, format: ExportFormat::Curl, file }]
            if source == "users/get-user" && file == "out/get.sh"),
        "{fx:?}"
    );
}

#[test]
fn switch_theme_cycles_dark_and_light_and_keeps_no_color() {
    let mut app = demo_app();
    run_from_palette(&mut app, Action::SwitchTheme);
    assert_eq!(app.theme, Theme::light());
    run_from_palette(&mut app, Action::SwitchTheme);
    assert_eq!(app.theme, Theme::dark());
    app.theme = Theme::dark().for_terminal(true, true);
    run_from_palette(&mut app, Action::SwitchTheme);
    assert_eq!(app.theme.name, "light");
    assert!(app.theme.monochrome, "NO_COLOR still holds");
}

#[test]
fn save_all_saves_every_edited_request_and_they_are_clean_after() {
    let mut app = demo_app();
    let fx = run_from_palette(&mut app, Action::SaveAll);
    assert!(fx.is_empty());
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .starts_with("nothing to save"));
    for path in ["users/get-user", "users/create-user"] {
        open(&mut app, path);
        key(&mut app, KeyCode::Char('e'));
        typed(&mut app, "/x");
        key(&mut app, KeyCode::Esc);
    }
    assert_eq!(app.dirty_paths().len(), 2);
    let fx = run_from_palette(&mut app, Action::SaveAll);
    let saved: Vec<String> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::SaveRequest { path, request, .. } => {
                assert!(request.url.ends_with("/x"), "{}", request.url);
                Some(path.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(saved, ["users/create-user", "users/get-user"]);
    assert!(!app.quit, "save all does not quit");
    for path in saved {
        app.update(Msg::Saved {
            path,
            result: Ok(()),
        });
    }
    assert!(app.dirty_paths().is_empty(), "{:?}", app.dirty_paths());
}

#[test]
fn a_failed_save_all_keeps_the_edits() {
    let mut app = demo_app();
    open(&mut app, "users/get-user");
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "/x");
    key(&mut app, KeyCode::Esc);
    open(&mut app, "users/create-user");
    run_from_palette(&mut app, Action::SaveAll);
    app.update(Msg::Saved {
        path: "users/get-user".into(),
        result: Err("disk full".into()),
    });
    assert!(app.dirty_paths().contains("users/get-user"));
}

#[test]
fn opening_the_workspace_in_the_editor_is_an_effect_and_a_reload_follows() {
    let mut app = demo_app();
    let fx = run_from_palette(&mut app, Action::EditWorkspace);
    assert!(matches!(&fx[..], [Effect::EditWorkspace]), "{fx:?}");
    let fx = app.update(Msg::FilesChanged(Vec::new()));
    assert!(fx.iter().any(|e| matches!(e, Effect::ReloadWorkspace)));
}

#[test]
fn a_pane_command_with_nothing_to_act_on_says_so() {
    let mut app = demo_app();
    // No response yet: nothing to show raw.
    run_from_palette(&mut app, Action::ToggleRaw);
    assert_eq!(app.focus, Focus::Response);
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert_eq!(status, "nothing here to show the body raw or pretty");
}

#[test]
fn a_pane_action_bound_in_global_works_from_another_pane_but_not_from_a_text_field() {
    let mut app = demo_app();
    app.keymap
        .merge_toml("keymap.toml", "[global]\n\"ctrl-n\" = \"new_request\"\n")
        .unwrap();
    app.tree.select_path("users");
    key(&mut app, KeyCode::Char('3'));
    ctrl(&mut app, 'n');
    assert_eq!(app.focus, Focus::Tree);
    assert!(matches!(
        name_dialog(&app).0,
        NamePurpose::NewRequest { .. }
    ));
    key(&mut app, KeyCode::Esc);
    // ctrl-o while filtering the tree is not the editor's ctrl-o.
    open(&mut app, "users/create-user");
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Char('/'));
    let fx = ctrl(&mut app, 'o');
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.focus, Focus::Tree);
}
