//! Hostile responses drawn by the real draw code into a crossterm backend
//! over a `Vec<u8>`: the bytes a terminal would get carry no escape
//! sequence but the ones ratatui itself writes for a benign screen, and no
//! control, C1, bidi or invisible character from the input (issue 13).

use std::collections::BTreeSet;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::app::App;
use super::effect::Effect;
use super::keymap::Keymap;
use super::msg::Msg;
use super::theme::Theme;

#[path = "../../tests/common/hostile.rs"]
mod hostile;

use hostile::{escape_kinds, leaks, Case, MIXED};

const W: u16 = 160;
const H: u16 = 48;

/// The bytes one full frame of the app writes to the terminal.
fn render(app: &App) -> Vec<u8> {
    let mut bytes = Vec::new();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, W, H)),
    };
    let mut term = Terminal::with_options(CrosstermBackend::new(&mut bytes), options).unwrap();
    term.draw(|f| super::view::draw(app, f)).unwrap();
    drop(term);
    bytes
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

fn press(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c), KeyModifiers::NONE)
}

/// A fresh workspace named `name`, holding one request whose file name and
/// name are `name` too (file names may hold anything but `/` and NUL).
fn workspace(dir: &Path, name: &str) {
    crate::storage::init::init_workspace(dir, None).unwrap();
    let config = serde_json::json!({ "format": 1, "name": name });
    std::fs::write(dir.join("postie.json"), config.to_string()).unwrap();
    let file = format!("pwn {}.json", name.replace(['/', '\0'], "_"));
    let request = serde_json::json!({
        "name": format!("pwn {name}"),
        "method": "GET",
        "url": "http://127.0.0.1:9/x",
    });
    std::fs::write(dir.join("example").join(file), request.to_string()).unwrap();
}

/// The app on `dir` with its `pwn` request open and sent, the send
/// answered by `response` with scripts that logged and tested `text`.
fn app_answered(dir: &Path, response: crate::http::Response, text: &str) -> App {
    let mut app = App::new(dir.to_path_buf(), Keymap::defaults(), Theme::dark(), None);
    app.update(Msg::Resize(W, H));
    let ws = crate::storage::load_workspace(dir).unwrap();
    for e in app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws)))) {
        if let Effect::LoadVars(sources) = e {
            let r = crate::prepare::VarInputs::load(&app.root, &sources).map(Box::new);
            app.update(Msg::VarsLoaded(r));
        }
    }
    press(&mut app, '1');
    press(&mut app, '/');
    for c in "pwn".chars() {
        press(&mut app, c);
    }
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        app.editor.path().is_some(),
        "the pwn request is open:\n{}",
        screen_text(&app)
    );
    let effects = key(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let Some(Effect::SendRequest { id, .. }) = effects.into_iter().next() else {
        panic!("no send");
    };
    let file = std::path::PathBuf::from(format!("{text}.test.js"));
    let mut exchange = crate::exchange::Exchange::new("pwn");
    exchange.ending = crate::exchange::Ending::Response(Box::new(response));
    exchange.console = vec![crate::script::ConsoleLine {
        level: crate::script::ConsoleLevel::Log,
        text: text.to_string(),
        file: file.clone(),
        line: Some(1),
    }];
    exchange.tests = vec![crate::script::TestResult {
        name: text.to_string(),
        passed: false,
        skipped: false,
        error: Some(text.to_string()),
        file: file.clone(),
    }];
    exchange.script_errors = vec![crate::script::ScriptError {
        kind: crate::script::ScriptErrorKind::Runtime,
        message: text.to_string(),
        file,
        line: Some(1),
        column: Some(1),
    }];
    app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
    app
}

/// Bytes of a case used where one line of text goes (names, console):
/// the 1 MB line goes whole only into the body and one header value, to
/// keep the test fast.
const SHORT: usize = 4096;

fn short_text(case: &Case) -> String {
    let end = case.bytes.len().min(SHORT);
    String::from_utf8_lossy(&case.bytes[..end]).into_owned()
}

/// A response carrying `case` as its body, reason, header names and
/// values, cookie names and values and URL.
fn response_for(case: &Case, headers: usize) -> crate::http::Response {
    let text = short_text(case);
    // `;` and `=` would end a cookie's name or value before the rest.
    let crumb: Vec<u8> = (case.bytes.iter().take(SHORT))
        .map(|b| if matches!(b, b';' | b'=') { b'_' } else { *b })
        .collect();
    let header = |name: &str, value: &[u8]| crate::http::Header {
        name: name.to_string(),
        value: value.to_vec(),
    };
    let mut list = vec![
        header("Content-Type", case.content_type.as_bytes()),
        header(&format!("X-{text}"), &case.bytes),
        header("X-Value", &case.bytes),
        header(
            "Set-Cookie",
            &[b"c".as_slice(), &crumb, b"=", &crumb, b"; Path=/"].concat(),
        ),
    ];
    for i in 0..headers {
        list.push(header(&format!("X-Many-{i}"), &crumb));
    }
    crate::http::Response {
        status: 200,
        reason: text.clone(),
        version: "HTTP/1.1".into(),
        headers: list,
        body: case.bytes.clone(),
        wire_size: case.bytes.len() as u64,
        decoded_size: case.bytes.len() as u64,
        url: format!("http://127.0.0.1:9/{}", text.escape_default()),
        cookies: vec![crate::http::JarCookie {
            name: text.clone(),
            value: text,
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// Every screen of the response: Body (as formatted and raw), Tests,
/// Headers (top and bottom), Cookies, Timing, each as the bytes written.
fn screens(app: &mut App) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("tree and body".to_string(), render(app))];
    press(app, '3');
    key(app, KeyCode::Char('R'), KeyModifiers::SHIFT);
    out.push(("body toggled raw".into(), render(app)));
    key(app, KeyCode::Char('R'), KeyModifiers::SHIFT);
    for tab in ["Tests", "Headers", "Cookies", "Timing"] {
        press(app, ']');
        out.push((tab.to_string(), render(app)));
        if tab == "Headers" {
            key(app, KeyCode::End, KeyModifiers::NONE);
            out.push(("Headers bottom".into(), render(app)));
        }
    }
    out
}

/// What ratatui writes for a benign screen: the only escapes allowed.
fn benign_kinds() -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), "benign");
    let case = Case {
        name: "benign",
        bytes: b"hello world\nsecond line\n".to_vec(),
        content_type: "text/plain",
    };
    let mut app = app_answered(dir.path(), response_for(&case, 3), "benign");
    let mut kinds = BTreeSet::new();
    for (_, bytes) in screens(&mut app) {
        kinds.extend(escape_kinds(&bytes));
    }
    kinds
}

#[test]
fn ratatui_writes_only_sgr_cursor_moves_and_cursor_visibility() {
    // If ratatui starts writing something else, look at it before
    // allowing it in the hostile test.
    for kind in benign_kinds() {
        assert!(
            ["CSI m", "CSI H", "CSI ?25l", "CSI ?25h"].contains(&kind.as_str()),
            "{kind}"
        );
    }
}

#[test]
fn no_hostile_response_reaches_the_terminal_from_any_tab() {
    let allowed = benign_kinds();
    let mut failures = Vec::new();
    for case in hostile::cases(true) {
        let dir = tempfile::tempdir().unwrap();
        workspace(dir.path(), MIXED);
        let text = short_text(&case);
        let many = if case.name == "mixed" { 10_000 } else { 3 };
        let mut app = app_answered(dir.path(), response_for(&case, many), &text);
        for (screen, bytes) in screens(&mut app) {
            for leak in leaks(&bytes, &allowed) {
                failures.push(format!("{} / {screen}: {leak}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn escaped_sequences_are_visible_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), MIXED);
    let case = Case {
        name: "visible",
        bytes: MIXED.as_bytes().to_vec(),
        content_type: "text/plain",
    };
    let mut app = app_answered(dir.path(), response_for(&case, 0), MIXED);
    let screens = screens(&mut app);
    let body = without_escapes(&screens[0].1);
    for shown in ["\\e]52;c;ZXZpbA==\\x07", "<U+009B>", "<U+202E>", "<U+200B>"] {
        assert!(body.contains(shown), "{shown} not on screen");
    }
    // Every tab that shows the server's or the scripts' text shows it.
    for (screen, bytes) in &screens {
        if screen != "Timing" {
            let text = without_escapes(bytes);
            assert!(text.contains("<U+202E>evil"), "{screen}: {text}");
        }
    }
}

/// The text of a frame with ratatui's escape sequences taken out.
fn without_escapes(out: &[u8]) -> String {
    let mut text = Vec::new();
    let mut i = 0;
    while i < out.len() {
        if out[i] == 0x1b && out.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < out.len() && !(0x40..0x7f).contains(&out[i]) {
                i += 1;
            }
            i += 1;
        } else {
            text.push(out[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&text).into_owned()
}

#[test]
fn the_scanner_finds_each_kind_of_leak() {
    let none = BTreeSet::new();
    for c in hostile::cases(false) {
        if c.content_type == "text/plain" {
            assert!(!leaks(&c.bytes, &none).is_empty(), "{} not seen", c.name);
        }
    }
    assert!(!leaks(b"a\rb", &none).is_empty());
    assert!(leaks("plain \u{e9}\tok\r\n".as_bytes(), &none).is_empty());
    let sgr: BTreeSet<String> = ["CSI m".to_string()].into();
    assert!(leaks(b"\x1b[1;31mred\x1b[0m", &sgr).is_empty());
    assert!(!leaks(b"\x1b[2J", &sgr).is_empty());
}

fn screen_text(app: &App) -> String {
    let mut term = Terminal::new(ratatui::backend::TestBackend::new(W, H)).unwrap();
    term.draw(|f| super::view::draw(app, f)).unwrap();
    super::test_util::buffer_text(term.backend().buffer())
}
