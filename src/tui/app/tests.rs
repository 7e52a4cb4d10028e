//! `update` tests: messages in, state and effects out, no terminal.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::storage::state::Remembered;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub(super) fn demo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

pub(crate) fn demo_app() -> App {
    let root = demo_root();
    let mut app = App::new(root.clone(), Keymap::defaults(), Theme::dark(), None);
    app.update(Msg::Resize(80, 24));
    let ws = crate::storage::load_workspace(&root).unwrap();
    let effects = app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
    load_vars(&mut app, effects);
    app
}

/// Performs the `LoadVars` effects among `effects`, as `Io` does.
fn load_vars(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::LoadVars(sources) = e {
            let r = crate::prepare::VarInputs::load(&app.root, &sources).map(Box::new);
            app.update(Msg::VarsLoaded(r));
        }
    }
}

/// Ends send `id` the way the pipeline would.
fn finish(app: &mut App, id: RequestId, ending: crate::exchange::Ending) {
    let mut exchange = crate::exchange::Exchange::new("");
    exchange.ending = ending;
    app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
}

/// An app on a fresh `postie init` workspace (its temp dir lives as long as
/// the returned guard).
fn fresh_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    crate::storage::init::init_workspace(dir.path(), None).unwrap();
    let app = app_at(dir.path(), Keymap::defaults(), None, Remembered::default());
    (dir, app)
}

/// An app at 80x24 on the workspace at `root`, loaded, having remembered
/// `remembered` from the state folder.
fn app_at(root: &Path, keymap: Keymap, env: Option<&str>, remembered: Remembered) -> App {
    let mut app = App::new(
        root.to_path_buf(),
        keymap,
        Theme::dark(),
        env.map(String::from),
    );
    app.remembered_environment = remembered;
    app.update(Msg::Resize(80, 24));
    reload(&mut app, root);
    app
}

fn reload(app: &mut App, root: &Path) {
    let ws = crate::storage::load_workspace(root).unwrap();
    let effects = app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
    load_vars(app, effects);
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
        inputs,
        sources,
        fresh_token: false,
    }) = effects.into_iter().next()
    else {
        panic!("no send");
    };
    assert_eq!(sources.environment.as_deref(), Some("local"));
    // The variables the app holds go along: the send reads no file.
    let inputs = inputs.expect("loaded variables");
    assert_eq!(inputs.environment_name(), Some("local"));
    assert_eq!(context.chain[0].0, "auth");
    assert!(app.busy());
    let cancelled = crate::exchange::Ending::Failed(crate::http::SendError::Cancelled);
    finish(&mut app, id, cancelled);
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

/// The send effect `ctrl-r` asks for.
fn send_effect(app: &mut App) -> (RequestId, RequestContext, VarInputs) {
    let effects = ctrl(app, 'r');
    let Some(Effect::SendRequest {
        id,
        context,
        inputs: Some(inputs),
        ..
    }) = effects.into_iter().next()
    else {
        panic!("no send with loaded variables");
    };
    (id, *context, *inputs)
}

fn ok_response(body: &str) -> crate::http::Response {
    crate::http::Response {
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![crate::http::Header {
            name: "Content-Type".into(),
            value: b"text/plain".to_vec(),
        }],
        body: body.as_bytes().to_vec(),
        wire_size: body.len() as u64,
        decoded_size: body.len() as u64,
        truncated: false,
        redirects: Vec::new(),
        url: "http://127.0.0.1:8080/bearer".into(),
        cookies: Vec::new(),
        timings: crate::http::Timings::default(),
        ..Default::default()
    }
}

fn draw_app(app: &App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| crate::tui::view::draw(app, f)).unwrap();
    term.backend().buffer().clone()
}

/// `auth/bearer` in `staging`, whose `api_token` is a secret with no value
/// here: a response from an earlier send, then a send that stops in
/// `prepare` (run as `Io` runs it).
fn a_send_stopped_by_a_secret() -> (App, Vec<Effect>) {
    let mut app = demo_app();
    app.environment = Some("staging".into());
    let sources = app.sources();
    load_vars(&mut app, vec![Effect::LoadVars(sources)]);
    open(&mut app, "auth/bearer");
    let (id, _, _) = send_effect(&mut app);
    let earlier = ok_response("the earlier response");
    finish(
        &mut app,
        id,
        crate::exchange::Ending::Response(Box::new(earlier)),
    );
    let (id, context, inputs) = send_effect(&mut app);
    let Err(crate::prepare::PrepareError::Problems(found)) =
        crate::pipeline::resolve(&context, &inputs)
    else {
        panic!("prepared");
    };
    let problems =
        problems::SendProblem::from_problems(&found, &app.root, inputs.environment_name());
    let mut exchange = crate::exchange::Exchange::new("auth/bearer");
    exchange.ending = crate::exchange::Ending::NotSent(found);
    let effects = app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems,
        history_id: None,
    });
    (app, effects)
}

#[test]
fn a_send_stopped_by_a_variable_keeps_the_last_response_and_shows_why() {
    let (mut app, _) = a_send_stopped_by_a_secret();
    let pane = app.response();
    assert!(pane.has_response(), "the last response is kept");
    let shown = pane.problems().expect("problems shown in the pane");
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].field, Some(crate::prepare::Field::Auth("token")));
    assert_eq!(shown[0].message, "undefined variable `api_token`");
    let hint = shown[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("secret of environment `staging`")
            && hint.contains(".postie/secrets/staging.json"),
        "{hint}"
    );
    let status = app.status.clone().unwrap();
    assert!(status.is_error);
    assert_eq!(
        status.text,
        "not sent: Auth › token: undefined variable `api_token`"
    );
    // Back (esc) in the pane puts the problems away: the response is there.
    app.focus = Focus::Response;
    key(&mut app, KeyCode::Esc);
    assert!(app.response().problems().is_none());
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(text.contains("the earlier response"), "{text}");
}

#[test]
fn the_problems_and_their_hint_show_wrapped_at_80x24() {
    let (app, _) = a_send_stopped_by_a_secret();
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    // The hint is longer than the pane is wide: every word of it is there.
    let words: String = text
        .lines()
        .map(|l| l.split('│').nth(3).unwrap_or_default().trim())
        .collect::<Vec<_>>()
        .join(" ");
    for shown in [
        "✗ not sent: 1 problem",
        "Auth › token: undefined variable `api_token`",
        "`api_token` is a secret of environment `staging`: put its value in .postie/secrets/staging.json or set POSTIE_VAR_api_token",
        "at auth/bearer.json:7:15",
        "esc shows the last response",
    ] {
        assert!(words.contains(shown), "{shown:?} missing:\n{text}");
    }
    let mut app = app;
    app.focus = Focus::Response;
    for (w, h) in [(30, 8), (31, 9), (60, 20), (160, 48), (300, 100)] {
        app.update(Msg::Resize(w, h));
        draw_app(&app, w, h);
    }
}

#[test]
fn a_send_stopped_by_a_variable_marks_it_in_the_editor() {
    let (app, _) = a_send_stopped_by_a_secret();
    assert_eq!(app.editor.tab(), crate::tui::components::editor::Tab::Auth);
    // The editor's scopes come from the variables the app holds, so the
    // mark matches what was sent.
    let buf = draw_app(&app, 80, 24);
    let text = crate::tui::test_util::buffer_text(&buf);
    let (x, y) = text
        .lines()
        .enumerate()
        .find_map(|(y, l)| {
            let at = l.find("{{api_token}}")?;
            Some((l[..at].chars().count() as u16, y as u16))
        })
        .unwrap_or_else(|| panic!("the token field is shown\n{text}"));
    let unresolved = app.theme.colors.variable_unresolved;
    assert_eq!(buf[(x + 2, y)].fg, unresolved, "{text}");
    assert_ne!(unresolved, app.theme.colors.variable);
}

#[test]
fn a_cancelled_request_is_not_reported_as_an_error() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    let (id, _, _) = send_effect(&mut app);
    let cancelled = crate::exchange::Ending::Failed(crate::http::SendError::Cancelled);
    finish(&mut app, id, cancelled);
    let status = app.status.clone().unwrap();
    assert!(!status.is_error);
    assert_eq!(status.text, "auth/bearer: cancelled");
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(!text.contains("failed"), "{text}");
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

#[test]
fn a_misspelled_field_is_shown_on_load_before_a_quieter_note() {
    let (dir, mut app) = fresh_app();
    // A note (far from any known field) in postie.json comes first on
    // load; the typo in the request is what the user must see.
    std::fs::write(
        dir.path().join("postie.json"),
        "{\"format\": 1, \"owner\": \"me\"}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("example/typo.json"),
        "{\"method\": \"GET\", \"url\": \"/\", \"hedaers\": []}",
    )
    .unwrap();
    reload(&mut app, dir.path());
    let status = app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(
        status.contains("example/typo.json:1:31: warning: unknown field `hedaers`"),
        "{status}"
    );
    assert!(status.contains("did you mean `headers`?"), "{status}");
}

/// An app on a workspace with `aaa-prod`, `local` and `staging`
/// environments and `default` as postie.json's default_environment; the
/// state folder remembers `remembered`.
fn app_choosing_among_environments(
    default: Option<&str>,
    remembered: Remembered,
) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    crate::storage::init::init_workspace(dir.path(), None).unwrap();
    let mut config = crate::storage::load::load_workspace_config(dir.path()).unwrap();
    config.default_environment = default.map(String::from);
    crate::storage::save::save_workspace_config(dir.path(), &config).unwrap();
    for e in ["aaa-prod", "staging"] {
        crate::storage::save::save_environment(
            dir.path(),
            e,
            &crate::model::Environment::default(),
        )
        .unwrap();
    }
    let app = app_at(dir.path(), Keymap::defaults(), None, remembered);
    (dir, app)
}

#[test]
fn the_first_load_takes_the_default_environment_not_the_alphabetically_first() {
    let (_d, app) = app_choosing_among_environments(Some("local"), Remembered::Nothing);
    assert_eq!(app.environment.as_deref(), Some("local"));
    // Without a default or a memory, no environment (never `aaa-prod`).
    let (_d, app) = app_choosing_among_environments(None, Remembered::Nothing);
    assert_eq!(app.environment, None);
}

#[test]
fn the_first_load_takes_the_remembered_environment_over_the_default() {
    let (_d, app) =
        app_choosing_among_environments(Some("local"), Remembered::Environment("staging".into()));
    assert_eq!(app.environment.as_deref(), Some("staging"));
    let (_d, app) = app_choosing_among_environments(Some("local"), Remembered::NoEnvironment);
    assert_eq!(app.environment, None);
    // A remembered environment that is gone is skipped, and the user told.
    let (_d, app) =
        app_choosing_among_environments(Some("local"), Remembered::Environment("gone".into()));
    assert_eq!(app.environment.as_deref(), Some("local"));
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("`gone`, no longer exists"), "{status}");
}

#[test]
fn an_explicit_environment_wins_and_a_reload_keeps_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    crate::storage::init::init_workspace(dir.path(), None).unwrap();
    crate::storage::save::save_environment(
        dir.path(),
        "staging",
        &crate::model::Environment::default(),
    )
    .unwrap();
    let mut app = App::new(
        dir.path().to_path_buf(),
        Keymap::defaults(),
        Theme::dark(),
        Some("staging".into()),
    );
    app.remembered_environment = Remembered::Environment("local".into());
    reload(&mut app, dir.path());
    assert_eq!(app.environment.as_deref(), Some("staging"));
    app.environment = None;
    reload(&mut app, dir.path());
    assert_eq!(app.environment, None, "only the first load chooses");
}

#[test]
fn switching_the_environment_remembers_it_through_an_effect() {
    let mut app = demo_app();
    ctrl(&mut app, 'e');
    key(&mut app, KeyCode::Down);
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(app.environment.as_deref(), Some("staging"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RememberEnvironment(Some(n)) if n == "staging")),
        "{effects:?}"
    );
    // Choosing "no environment" is remembered too.
    ctrl(&mut app, 'e');
    for _ in 0..5 {
        key(&mut app, KeyCode::Up);
    }
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(app.environment, None);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RememberEnvironment(None))),
        "{effects:?}"
    );
}

/// An app on a workspace with postie.json and nothing else.
fn empty_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    crate::storage::save::save_workspace_config(
        dir.path(),
        &crate::model::WorkspaceConfig::default(),
    )
    .unwrap();
    let app = app_at(dir.path(), Keymap::defaults(), None, Remembered::default());
    (dir, app)
}

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn in_an_empty_workspace_shift_n_makes_a_collection_then_n_a_request_in_it() {
    let (dir, mut app) = empty_app();
    key(&mut app, KeyCode::Char('N'));
    assert!(
        matches!(
            &app.overlay,
            Some(Overlay::Dialog(Dialog::Name { title, .. })) if title == "New collection"
        ),
        "a name is asked for; status: {}",
        status_text(&app)
    );
    typed(&mut app, "Users API");
    let effects = key(&mut app, KeyCode::Enter);
    let Some(Effect::FileOp(FileOp::NewCollection { name })) = effects.into_iter().next() else {
        panic!("no collection made");
    };
    assert_eq!(name, "Users API");
    // What io.rs does with it, then the reload it asks for.
    let path = crate::storage::init::create_collection(dir.path(), &name).unwrap();
    app.update(Msg::FileOpDone {
        result: Ok("made".into()),
        select: Some(path),
    });
    reload(&mut app, dir.path());
    key(&mut app, KeyCode::Char('n'));
    assert!(
        matches!(
            &app.overlay,
            Some(Overlay::Dialog(Dialog::Name { title, .. })) if title == "New request in users-api"
        ),
        "the new collection is selected and takes the request"
    );
}

#[test]
fn n_in_an_empty_workspace_asks_for_a_collection_first_and_never_sends_to_init() {
    let (_dir, mut app) = empty_app();
    key(&mut app, KeyCode::Char('n'));
    let status = status_text(&app);
    assert!(!status.contains("postie init"), "{status}");
    assert!(status.contains("collection"), "{status}");
    assert!(
        matches!(
            &app.overlay,
            Some(Overlay::Dialog(Dialog::Name { title, .. })) if title == "New collection"
        ),
        "{status}"
    );
}

#[test]
fn the_count_of_unreadable_files_agrees_in_number() {
    let (dir, mut app) = fresh_app();
    std::fs::write(dir.path().join("example/broken.json"), "{,}").unwrap();
    reload(&mut app, dir.path());
    let status = status_text(&app);
    assert!(
        status.starts_with("1 file could not be read; first: "),
        "{status}"
    );
    std::fs::write(dir.path().join("example/broken-too.json"), "{,}").unwrap();
    reload(&mut app, dir.path());
    let status = status_text(&app);
    assert!(
        status.starts_with("2 files could not be read; first: "),
        "{status}"
    );
}

/// The app drawn at its current size, as text.
fn screen(app: &App) -> String {
    let area = app.size;
    let backend = ratatui::backend::TestBackend::new(area.width, area.height);
    let mut term = ratatui::Terminal::new(backend).unwrap();
    term.draw(|f| crate::tui::view::draw(app, f)).unwrap();
    crate::tui::test_util::buffer_text(term.backend().buffer())
}

#[test]
fn an_imported_url_with_a_query_opens_with_its_params_shown_and_clean() {
    let (dir, mut app) = fresh_app();
    // What `postie import curl 'http://127.0.0.1:8080/things?x=1'` saves.
    let req = Request::new("GET", "http://127.0.0.1:8080/things?x=1");
    crate::storage::save::save_request(dir.path(), &dir.path().join("example"), "things", &req)
        .unwrap();
    reload(&mut app, dir.path());
    open(&mut app, "example/things");
    assert!(app.dirty_paths().is_empty(), "{:?}", app.dirty_paths());
    assert_eq!(app.editor.request(), Some(&req));
    let s = screen(&app);
    assert!(s.contains("Params 1"), "{s}");
    assert!(
        s.lines().any(|l| l.contains("[x] x") && l.contains(" 1")),
        "{s}"
    );
    // A pasted curl command's query shows at once too.
    app.update(Msg::Paste("curl 'http://127.0.0.1:8080/other?y=2'".into()));
    let s = screen(&app);
    assert!(
        s.lines().any(|l| l.contains("[x] y") && l.contains(" 2")),
        "{s}"
    );
}

#[test]
fn j_k_g_and_shift_g_move_in_the_editor_and_are_text_while_typing() {
    // The editor's j/k/g/G as the default keymap binds them.
    let mut keymap = Keymap::defaults();
    keymap
        .merge_toml(
            "test",
            "[editor]\nj = \"down\"\nk = \"up\"\ng = \"top\"\n\"shift-g\" = \"bottom\"\n",
        )
        .unwrap();
    let (dir, _) = fresh_app();
    let mut req = Request::new("GET", "h");
    req.params = ["a", "b", "c"]
        .map(|n| crate::model::KeyValue::new(n, "1"))
        .to_vec();
    crate::storage::save::save_request(dir.path(), &dir.path().join("example"), "rows", &req)
        .unwrap();
    let mut app = app_at(dir.path(), keymap, None, Remembered::default());
    open(&mut app, "example/rows");
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Char(' ')); // toggles the row under the cursor
    let r = app.editor.request().unwrap();
    assert_eq!(
        r.params.iter().map(|p| p.enabled).collect::<Vec<_>>(),
        [true, false, true]
    );
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char('k')); // up to the URL line
    key(&mut app, KeyCode::Char('e'));
    assert!(app.editor.is_editing());
    typed(&mut app, "/jkgG");
    key(&mut app, KeyCode::Enter);
    // The caret was after the query: the letters joined the last value.
    assert_eq!(app.editor.display_url(), "h?a=1&c=1/jkgG");
}

#[test]
fn at_80x24_and_60x20_a_cut_url_and_tab_bar_show_more_is_there() {
    let (dir, mut app) = fresh_app();
    let req = Request::new(
        "GET",
        "{{base_url}}/organisations/acme/projects/roadrunner/members?page=2",
    );
    crate::storage::save::save_request(dir.path(), &dir.path().join("example"), "long", &req)
        .unwrap();
    reload(&mut app, dir.path());
    open(&mut app, "example/long");
    for (w, h) in [(80, 24), (60, 20)] {
        app.update(Msg::Resize(w, h));
        let s = screen(&app);
        let url = s.lines().find(|l| l.contains("GET  {{base_url}}")).unwrap();
        assert!(url.trim_end().trim_end_matches('│').ends_with('…'), "{s}");
        let tabs = s.lines().find(|l| l.contains("Params 1")).unwrap();
        assert!(tabs.trim_end().trim_end_matches('│').ends_with('›'), "{s}");
    }
}

/// Draws the whole app at `w`x`h`.
fn screen_buf(app: &mut App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    app.update(Msg::Resize(w, h));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| crate::tui::view::draw(app, f)).unwrap();
    term.backend().buffer().clone()
}

/// The (x, y) where `text` is first drawn on one row.
fn find_on_screen(buf: &ratatui::buffer::Buffer, text: &str) -> Option<(u16, u16)> {
    let width = usize::from(buf.area.width);
    (0..buf.area.height).find_map(|y| {
        let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let joined = row.concat();
        let at = joined.find(text)?;
        // Columns, not bytes: count the cells before the match.
        let mut bytes = 0;
        let x = row.iter().take_while(|s| {
            bytes += s.len();
            bytes <= at
        });
        Some((u16::try_from(x.count().min(width)).ok()?, y))
    })
}

#[test]
fn the_tree_and_env_picker_show_the_selection_on_names_at_80x24_and_60x20() {
    let mut app = demo_app();
    open(&mut app, "http/options");
    let sel = app.theme.colors.selection_bg;
    for (w, h) in [(80, 24), (60, 20)] {
        let buf = screen_buf(&mut app, w, h);
        let text = crate::tui::test_util::buffer_text(&buf);
        let (x, y) = find_on_screen(&buf, "OPTIONS OPTIONS")
            .unwrap_or_else(|| panic!("{w}x{h}: no whole OPTIONS badge\n{text}"));
        for dx in 0..15 {
            assert_eq!(buf[(x + dx, y)].bg, sel, "{w}x{h} at {}\n{text}", x + dx);
        }
    }
    ctrl(&mut app, 'e');
    for (w, h) in [(80, 24), (60, 20)] {
        let buf = screen_buf(&mut app, w, h);
        let text = crate::tui::test_util::buffer_text(&buf);
        // In the picker, not the header's `env: local`.
        let (x, y) = find_on_screen(&buf, "│local").unwrap_or_else(|| panic!("{text}"));
        for dx in 1..6 {
            assert_eq!(buf[(x + dx, y)].bg, sel, "{w}x{h}\n{text}");
        }
    }
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
        result: Err(crate::storage::StorageError::io(
            "users/get-user.json",
            std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full"),
        )),
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

#[test]
fn the_palette_makes_another_collection_in_a_workspace_that_has_some() {
    let mut app = demo_app();
    app.tree.select_path("users/get-user");
    run_from_palette(&mut app, Action::NewCollection);
    assert!(
        matches!(
            &app.overlay,
            Some(Overlay::Dialog(Dialog::Name { title, .. })) if title == "New collection"
        ),
        "status: {}",
        status_text(&app)
    );
    typed(&mut app, "Billing");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::FileOp(FileOp::NewCollection { name }) if name == "Billing")
        ),
        "{effects:?}"
    );
}

#[test]
fn variables_a_script_set_are_kept_for_the_session_shown_and_sent_again() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    let (id, _, _) = send_effect(&mut app);
    let mut exchange = crate::exchange::Exchange::new("auth/bearer");
    exchange.ending = crate::exchange::Ending::Response(Box::new(ok_response("{}")));
    exchange.changed = vec![
        crate::exchange::VarChange {
            scope: crate::exchange::VarScope::Environment,
            name: "api_token".into(),
            value: Some(serde_json::json!("from-login")),
        },
        crate::exchange::VarChange {
            scope: crate::exchange::VarScope::Globals,
            name: "n".into(),
            value: Some(serde_json::json!(3)),
        },
    ];
    app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
    // The next send carries them, in the environment it ran with.
    let (_, context, inputs) = send_effect(&mut app);
    let vars = crate::prepare::script_scopes(&context, &inputs);
    assert_eq!(vars.environment["api_token"], "from-login");
    assert_eq!(vars.globals["n"], 3);
    // The environment switcher lists them.
    ctrl(&mut app, 'e');
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(text.contains("set by scripts this session"), "{text}");
    assert!(text.contains("environment local api_token"), "{text}");
    assert!(text.contains("globals n = 3"), "{text}");
    // Nothing was written to the workspace.
    let env = std::fs::read_to_string(app.root.join("environments/local.json")).unwrap();
    assert!(!env.contains("from-login"));
}

#[test]
fn enter_on_a_script_error_in_the_tests_tab_opens_the_script_at_its_line() {
    use crate::script::{Outcome, ScriptError, ScriptErrorKind};
    let error = |file: &str| ScriptError {
        kind: ScriptErrorKind::Runtime,
        message: "ReferenceError: x is not defined".into(),
        file: file.into(),
        line: Some(1),
        column: Some(3),
    };
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    app.response_mut().set_response(ok_response("{}"));
    app.response_mut().set_outcome(Outcome {
        errors: vec![error("auth/bearer.test.js"), error("auth/folder.pre.js")],
        ..Outcome::default()
    });
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char(']'));
    assert!(
        app.hints().contains(&("enter".to_string(), "open line")),
        "{:?}",
        app.hints()
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Focus::Editor);
    assert_eq!(
        app.editor.tab(),
        crate::tui::components::editor::Tab::Scripts
    );
    let status = app.status.clone().unwrap();
    assert_eq!(status.text, "auth/bearer.test.js:1:3");

    // A folder's script cannot open in the request's editor: said so.
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Focus::Response);
    let status = app.status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("auth/folder.pre.js"),
        "{status:?}"
    );
}

#[test]
fn an_exchange_with_tests_fills_the_tests_tab_and_the_status_line() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    let (id, _, _) = send_effect(&mut app);
    let mut exchange = crate::exchange::Exchange::new("auth/bearer");
    exchange.ending = crate::exchange::Ending::Response(Box::new(ok_response("{}")));
    exchange.scripts_run = vec!["auth/bearer.test.js".into()];
    let test = |name: &str, passed: bool| crate::script::TestResult {
        name: name.into(),
        passed,
        skipped: false,
        error: (!passed).then(|| "expected 404 to equal 200".to_string()),
        file: "auth/bearer.test.js".into(),
    };
    exchange.tests = vec![test("status is 200", false), test("has a token", true)];
    app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
    let status = app.status.clone().unwrap();
    assert!(status.text.ends_with(", tests 1/2"), "{status:?}");
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(text.contains("Tests 1/2"), "{text}");
}

#[test]
fn ctrl_s_in_the_environment_switcher_keeps_what_scripts_set() {
    let mut app = demo_app();
    let change = crate::exchange::VarChange {
        scope: crate::exchange::VarScope::Environment,
        name: "user_id".into(),
        value: Some(serde_json::json!("7")),
    };
    app.session.record("users", Some("local"), &[change]);
    ctrl(&mut app, 'e');
    let effects = ctrl(&mut app, 's');
    let Some(Effect::SaveScriptVars {
        environment,
        changes,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::SaveScriptVars { .. }))
    else {
        panic!("no save");
    };
    assert_eq!(environment, "local");
    assert_eq!(changes["user_id"], Some(serde_json::json!("7")));
    assert!(app.overlay.is_none());
    let saved = crate::storage::env_changes::Saved {
        plain: 1,
        ..Default::default()
    };
    let effects = app.update(Msg::ScriptVarsSaved {
        environment,
        result: Ok(saved),
    });
    assert!(app.session.environments.is_empty());
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadVars(_))));
    // With nothing set, ctrl-s says so and writes nothing.
    ctrl(&mut app, 'e');
    let effects = ctrl(&mut app, 's');
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::SaveScriptVars { .. })));
}

// Collection runs from the tree and the runner view.

mod runs {
    use super::*;
    use crate::runner::record::Execution;
    use crate::tui::components::runner::tests::{exec, started, summary, update};
    use crate::tui::components::runner::RunEvent;
    use crate::tui::test_util::buffer_text;

    fn shift(app: &mut App, c: char) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::SHIFT,
        )))
    }

    /// Selects `path` in the focused tree and presses the run key.
    fn run_from_tree(
        app: &mut App,
        path: &str,
    ) -> (u64, crate::runner::Plan, crate::runner::Setup) {
        app.focus = Focus::Tree;
        app.tree.select_path(path);
        let effects = shift(app, 'R');
        let found = effects.into_iter().find_map(|e| match e {
            Effect::StartRun { run, plan, setup } => Some((run, *plan, *setup)),
            _ => None,
        });
        found.unwrap_or_else(|| panic!("no run started; status {:?}", app.status))
    }

    fn ids(plan: &crate::runner::Plan) -> Vec<String> {
        plan.steps.iter().map(|s| s.info().id.clone()).collect()
    }

    fn executed(app: &mut App, run: u64, e: &Execution) {
        app.update(Msg::Run(Box::new(update(
            run,
            20,
            RunEvent::Executed(Box::new(e.clone())),
        ))));
    }

    /// The users run: list passes, get-user fails its test with a body
    /// kept, create passes; then the summary.
    fn a_finished_run(app: &mut App) -> u64 {
        let (run, _, _) = run_from_tree(app, "users");
        app.update(Msg::Run(Box::new(started(run, 7))));
        let mut failed = exec(
            "users/get-user",
            500,
            &[
                (
                    "status is 200",
                    Some("expected response to have status code 200 but got 500"),
                ),
                ("echoes the user id", None),
            ],
        );
        failed.body = Some(std::sync::Arc::new(
            br#"{"error":"user store is down"}"#.to_vec(),
        ));
        let all = [
            exec("users/list-users", 200, &[("lists users", None)]),
            failed,
            exec("users/create-user", 200, &[("status is 201", None)]),
        ];
        for e in &all {
            executed(app, run, e);
        }
        app.update(Msg::Run(Box::new(update(
            run,
            1234,
            RunEvent::Done(Box::new(summary(&all, None))),
        ))));
        run
    }

    #[test]
    fn shift_r_on_a_request_runs_its_folder_once_with_the_environment() {
        let mut app = demo_app();
        let (_, plan, setup) = run_from_tree(&mut app, "users/admin/list-sessions");
        let ids = ids(&plan);
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(ids.iter().all(|p| p.starts_with("users/admin/")), "{ids:?}");
        assert_eq!(setup.inputs.environment_name(), Some("local"));
        assert_eq!(setup.options.iterations, Some(1));
        assert!(setup.options.keep_failed_bodies > 0);
        assert!(setup.data.is_empty());
        assert_eq!(app.focused_context(), KeyContext::Runner);
        assert!(app.busy(), "the spinner ticks while the run goes");
        let hints = app.hints();
        assert!(hints.contains(&("ctrl-c".to_string(), "stop")), "{hints:?}");
    }

    #[test]
    fn the_tree_footer_and_the_palette_offer_the_run() {
        let mut app = demo_app();
        app.focus = Focus::Tree;
        assert!(app.hints().contains(&("shift-r".to_string(), "run")));
        app.tree.select_path("users");
        ctrl(&mut app, 'p');
        typed(&mut app, "run the collection");
        let effects = key(&mut app, KeyCode::Enter);
        let plan = effects.into_iter().find_map(|e| match e {
            Effect::StartRun { plan, .. } => Some(plan),
            _ => None,
        });
        let plan = plan.expect("the palette started a run");
        assert_eq!(plan.name, "Users API");
        assert_eq!(ids(&plan).len(), 7, "{:?}", ids(&plan));
    }

    #[test]
    fn unsaved_edits_run_as_they_are_on_screen() {
        let mut app = demo_app();
        open(&mut app, "users/get-user");
        let mut edited = app.editor.request().unwrap().clone();
        edited.url = "{{users_url}}/edited".into();
        app.editor.open("users/get-user".into(), edited);
        let (_, plan, setup) = run_from_tree(&mut app, "users");
        let get = plan.steps.iter().find_map(|s| match s {
            crate::runner::plan::Step::Request(i) if i.info.id == "users/get-user" => Some(i),
            _ => None,
        });
        assert_eq!(get.unwrap().context.request.url, "{{users_url}}/edited");
        // Variables scripts set this session go along.
        assert_eq!(setup.inputs.session, app.session);
    }

    #[test]
    fn events_stream_into_the_view_and_the_status_line_says_how_it_ended() {
        let mut app = demo_app();
        let (run, _, _) = run_from_tree(&mut app, "users");
        app.update(Msg::Run(Box::new(started(run, 7))));
        executed(
            &mut app,
            run,
            &exec("users/list-users", 200, &[("ok", None)]),
        );
        let r = app.runner.as_ref().unwrap();
        assert_eq!((r.executed, r.failed, r.planned), (1, 0, 7));
        // A late event of another run changes nothing.
        executed(
            &mut app,
            run + 100,
            &exec("users/x", 500, &[("t", Some("no"))]),
        );
        assert_eq!(app.runner.as_ref().unwrap().executed, 1);
        app.update(Msg::Run(Box::new(update(
            run,
            900,
            RunEvent::Done(Box::new(summary(&[], None))),
        ))));
        assert!(!app.busy(), "no tick once the run is over");
        let status = app.status.clone().unwrap();
        assert!(status.text.starts_with("ran users: "), "{status:?}");
    }

    #[test]
    fn enter_on_a_failure_opens_its_request_and_shows_its_response_and_tests() {
        let mut app = demo_app();
        a_finished_run(&mut app);
        let r = app.runner.as_ref().unwrap();
        assert_eq!(r.selected().unwrap().item.id, "users/get-user");
        key(&mut app, KeyCode::Enter);
        assert!(app.shown_runner().is_none());
        assert_eq!(app.editor.path(), Some("users/get-user"));
        assert_eq!(app.tree.selected_path(), Some("users/get-user"));
        assert_eq!(app.focus, Focus::Response);
        assert!(app.response().has_response());
        let outcome = app.response().outcome().unwrap();
        assert_eq!(outcome.tests.len(), 2);
        let text = buffer_text(&draw_app(&app, 120, 40));
        assert!(text.contains("500"), "{text}");
        assert!(text.contains("✗ status is 200"), "{text}");
        // The run is a key away.
        shift(&mut app, 'L');
        assert!(app.shown_runner().is_some());
        key(&mut app, KeyCode::Esc);
        assert!(app.shown_runner().is_none());
    }

    #[test]
    fn esc_while_running_stops_the_run_and_keeps_the_view() {
        let mut app = demo_app();
        let (run, _, _) = run_from_tree(&mut app, "users");
        let effects = key(&mut app, KeyCode::Esc);
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::CancelRun(r) if *r == run)),
            "{effects:?}"
        );
        assert!(app.shown_runner().is_some());
        // The run key while it runs starts nothing new.
        app.runner_shown = false;
        let effects = run_from_tree_effects(&mut app, "auth");
        assert!(!effects.iter().any(|e| matches!(e, Effect::StartRun { .. })));
        assert!(app.shown_runner().is_some());
    }

    #[test]
    fn focusing_a_pane_uncovers_it_and_the_title_keeps_the_run_in_sight() {
        let mut app = demo_app();
        let (run, _, _) = run_from_tree(&mut app, "users");
        app.update(Msg::Run(Box::new(started(run, 7))));
        executed(&mut app, run, &exec("users/list-users", 200, &[]));
        let title = |app: &App| {
            buffer_text(&draw_app(app, 80, 24))
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        };
        assert!(!title(&app).contains("run 1/7"), "the view says it already");
        key(&mut app, KeyCode::Char('2'));
        assert!(app.shown_runner().is_none());
        assert_eq!(app.focus, Focus::Editor);
        assert!(title(&app).contains("run 1/7"), "{}", title(&app));
    }

    #[test]
    fn help_in_the_runner_view_starts_with_its_keys() {
        let mut app = demo_app();
        run_from_tree(&mut app, "users");
        key(&mut app, KeyCode::Char('?'));
        let Some(Overlay::Help(h)) = &app.overlay else {
            panic!("no help");
        };
        assert!(
            h.sections[0].title.starts_with("Runner"),
            "{:?}",
            h.sections[0]
        );
        let rows = &h.sections[0].rows;
        assert!(
            rows.iter()
                .any(|(k, d)| k == "ctrl-c" && d.contains("stop the run")),
            "{rows:?}"
        );
    }

    fn run_from_tree_effects(app: &mut App, path: &str) -> Vec<Effect> {
        app.focus = Focus::Tree;
        app.tree.select_path(path);
        shift(app, 'R')
    }

    #[test]
    fn the_runner_view_at_80x24_and_120x40() {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut app = demo_app();
            app.update(Msg::Resize(w, h));
            a_finished_run(&mut app);
            let buf = draw_app(&app, w, h);
            let text = buffer_text(&buf);
            assert!(text.contains("assertions"), "{text}");
            insta::assert_snapshot!(format!("runner_{w}x{h}"), text);
        }
    }
}

/// Performs the history effects among `effects` against `h`, as `Io` does,
/// and feeds their answers back.
fn perform_history(app: &mut App, h: &crate::history::History, effects: Vec<Effect>) {
    for e in effects {
        if let Some(msg) = crate::tui::io::history_io::perform(h, e) {
            let more = app.update(msg);
            perform_history(app, h, more);
        }
    }
}

#[test]
fn history_lists_diffs_reopens_and_steps_through_a_requests_exchanges() {
    let (dir, mut app) = fresh_app();
    let h = crate::history::History::open(dir.path());
    for (status, body) in [(200, r#"{"a":1,"gone":true}"#), (500, r#"{"a":2}"#)] {
        let mut exchange = crate::exchange::Exchange::new("example/hello");
        let mut resp = ok_response(body);
        resp.status = status;
        exchange.ending = crate::exchange::Ending::Response(Box::new(resp));
        h.append(&exchange, None);
    }
    h.flush().unwrap();

    // shift-h: the view lists both, newest first.
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('H'),
        KeyModifiers::SHIFT,
    )));
    perform_history(&mut app, &h, effects);
    let view = app.history.as_ref().expect("the history view is open");
    let statuses: Vec<_> = view.entries().iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Some(500), Some(200)]);
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(text.contains("example/hello"), "{text}");

    // d: the newest against the one before it.
    let effects = key(&mut app, KeyCode::Char('d'));
    perform_history(&mut app, &h, effects);
    let diff = app
        .history
        .as_ref()
        .and_then(|v| v.diff.as_ref())
        .expect("a diff");
    let lines: Vec<&str> = diff.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(lines.contains(&"status: 200 -> 500"), "{lines:?}");
    assert!(lines.contains(&"  ~ $.a: 1 -> 2"), "{lines:?}");
    assert!(lines.contains(&"  - $.gone: true"), "{lines:?}");

    // esc back to the list, enter reopens the newest in its request's pane.
    key(&mut app, KeyCode::Esc);
    let effects = key(&mut app, KeyCode::Enter);
    perform_history(&mut app, &h, effects);
    assert!(app.history.is_none());
    assert_eq!(app.editor.path(), Some("example/hello"));
    assert_eq!(app.focus, Focus::Response);
    assert!(app.response().has_response());
    assert!(app
        .response()
        .origin()
        .is_some_and(|o| o.starts_with("history")));
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(text.contains("500"), "{text}");

    // <: the one before it, placed among the request's exchanges.
    let effects = key(&mut app, KeyCode::Char('<'));
    perform_history(&mut app, &h, effects);
    assert!(app
        .response()
        .origin()
        .is_some_and(|o| o.starts_with("history 2/2")));
    // Nothing older: said, and the pane stays.
    let effects = key(&mut app, KeyCode::Char('<'));
    assert!(matches!(effects.as_slice(), [Effect::StepHistory { .. }]));
    perform_history(&mut app, &h, effects);
    assert!(app
        .status
        .as_ref()
        .is_some_and(|s| s.text.contains("no older")));
    let effects = key(&mut app, KeyCode::Char('>'));
    perform_history(&mut app, &h, effects);
    assert!(app
        .response()
        .origin()
        .is_some_and(|o| o.starts_with("history 1/2")));
}

#[test]
fn a_response_is_saved_as_an_example_beside_its_request() {
    let (dir, mut app) = fresh_app();
    open(&mut app, "example/hello");
    let mut resp = ok_response("{\"id\":1}");
    resp.headers = vec![
        crate::http::Header {
            name: "Content-Type".into(),
            value: b"application/json".to_vec(),
        },
        crate::http::Header {
            name: "Set-Cookie".into(),
            value: b"session=s3cr3t".to_vec(),
        },
    ];
    app.response_mut().set_response(resp);
    key(&mut app, KeyCode::Char('3'));
    let save_example = |app: &mut App| -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('E'),
            KeyModifiers::SHIFT,
        )));
        assert!(
            matches!(app.overlay, Some(Overlay::Dialog(_))),
            "{:?}",
            app.status
        );
        key(app, KeyCode::Enter)
    };
    let effects = save_example(&mut app);
    let Some(Effect::SaveRequest {
        path,
        dir: d,
        stem,
        request,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::SaveRequest { .. }))
    else {
        panic!("no save: {:?}", app.status);
    };
    assert_eq!(path, "example/hello");
    crate::storage::save::save_request(dir.path(), &d, &stem, &request).unwrap();
    app.update(Msg::Saved {
        path: path.clone(),
        result: Ok(()),
    });
    let json = std::fs::read_to_string(dir.path().join("example/hello.json")).unwrap();
    assert!(json.contains("\"name\": \"200 OK\""), "{json}");
    assert!(
        !json.contains("s3cr3t") && !json.contains("Set-Cookie"),
        "{json}"
    );
    let body =
        std::fs::read_to_string(dir.path().join("example/hello.example.200-ok.json")).unwrap();
    assert_eq!(body, "{\n  \"id\": 1\n}");
    // Saved, not an edit; a second one gets a name of its own.
    assert!(!app.dirty_paths().contains("example/hello"));
    let effects = save_example(&mut app);
    let Some(Effect::SaveRequest { request, .. }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::SaveRequest { .. }))
    else {
        panic!("no second save: {:?}", app.status);
    };
    let names: Vec<&str> = request.examples.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["200 OK", "200 OK 2"]);
}

#[test]
fn the_trace_id_a_request_carried_shows_in_the_timing_tab() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    let (id, _, _) = send_effect(&mut app);
    let ids = crate::telemetry::TraceIds::new_trace();
    let mut exchange = crate::exchange::Exchange::new("auth/bearer");
    exchange.trace = Some(ids);
    exchange.ending = crate::exchange::Ending::Response(Box::new(ok_response("{}")));
    app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
    key(&mut app, KeyCode::Char('3'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Char(']'));
    }
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 120, 40));
    assert!(text.contains("trace id"), "{text}");
    assert!(text.contains(&ids.trace_hex()), "{text}");
}

/// A response got over https with `verify_tls` off is marked in the
/// summary; a verified one is not.
#[test]
fn a_response_got_without_checking_the_certificate_says_so() {
    let mut app = demo_app();
    open(&mut app, "auth/bearer");
    for verify in [false, true] {
        let (id, _, _) = send_effect(&mut app);
        let mut sent = crate::http::PreparedRequest {
            method: "GET".into(),
            url: "https://127.0.0.1:8443/bearer".into(),
            headers: Vec::new(),
            body: Default::default(),
            auth: None,
            settings: Default::default(),
        };
        sent.settings.verify_tls = verify;
        let mut response = ok_response("{}");
        response.url = "https://127.0.0.1:8443/bearer".into();
        let mut exchange = crate::exchange::Exchange::new("auth/bearer");
        exchange.sent = Some(sent);
        exchange.ending = crate::exchange::Ending::Response(Box::new(response));
        app.update(Msg::Exchanged {
            id,
            exchange: Box::new(exchange),
            problems: Vec::new(),
            history_id: None,
        });
        let text = crate::tui::test_util::buffer_text(&draw_app(&app, 120, 30));
        assert_eq!(text.contains("TLS not verified"), !verify, "{text}");
    }
}

/// Many sends in flight at once: one command cancels them all, and each
/// ends as cancelled, not as an error.
#[test]
fn cancel_all_cancels_every_send_in_flight() {
    let mut app = demo_app();
    let mut ids = Vec::new();
    for path in ["users/get-user", "auth/basic", "auth/bearer"] {
        open(&mut app, path);
        for _ in 0..70 {
            let (id, _, _) = send_effect(&mut app);
            ids.push(id);
        }
    }
    assert_eq!(app.in_flight.len(), 210);
    let effects = run_from_palette(&mut app, Action::CancelAll);
    let cancelled: Vec<RequestId> = (effects.iter())
        .filter_map(|e| match e {
            Effect::CancelRequest(id) => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(cancelled.len(), 210);
    for id in ids {
        finish(
            &mut app,
            id,
            crate::exchange::Ending::Failed(crate::http::SendError::Cancelled),
        );
    }
    assert!(app.in_flight.is_empty());
    let text = crate::tui::test_util::buffer_text(&draw_app(&app, 80, 24));
    assert!(!text.contains("error"), "{text}");
}
