//! Renders postie's screens with the real draw code into `screenshots/`
//! as SVG, with the real theme colors: `cargo run --example screenshots`.

use std::fmt::Write as _;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use postie::exchange::{Ending, Exchange};
use postie::http::{Event, Header, RequestId, Response, ResponseHead, Timings};
use postie::script::{ConsoleLevel, ConsoleLine, TestResult};
use postie::tui::app::App;
use postie::tui::msg::Msg;
use postie::tui::theme::Theme;
use postie::tui::view;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::Terminal;

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<postie::tui::effect::Effect> {
    app.update(Msg::Key(KeyEvent::new(code, mods)))
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn demo_app(w: u16, h: u16) -> App {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    let mut app = postie::tui::build_app(&root, None);
    app.theme = Theme::dark();
    app.update(Msg::Resize(w, h));
    let ws = postie::storage::load_workspace(&root).expect("demo loads");
    app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws))));
    app
}

fn open(app: &mut App, path: &str) {
    typed(app, "1/");
    typed(app, path);
    key(app, KeyCode::Enter, KeyModifiers::NONE);
}

/// `ctrl-r`: the id of the send it asks for.
fn send(app: &mut App) -> RequestId {
    let effects = key(app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    effects
        .iter()
        .find_map(|e| match e {
            postie::tui::effect::Effect::SendRequest { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or(RequestId(1))
}

/// Sends the open request and answers it with `body`, as the executor would.
fn answer(app: &mut App, body: &str) {
    let id = send(app);
    let headers = vec![
        Header {
            name: "content-type".into(),
            value: b"application/json".to_vec(),
        },
        Header {
            name: "x-request-id".into(),
            value: b"7f3c9a2e-51d4-4c8e-9b1a-2d6f0e8c4b17".to_vec(),
        },
        Header {
            name: "set-cookie".into(),
            value: b"session=abc123; Path=/; HttpOnly".to_vec(),
        },
    ];
    app.update(Msg::Exec(Event::Head {
        id,
        head: Box::new(ResponseHead {
            status: 201,
            reason: "Created".into(),
            version: "HTTP/1.1".into(),
            headers: headers.clone(),
            url: "http://127.0.0.1:8080/v1/users".into(),
        }),
    }));
    let mut exchange = Exchange::new("users/create-user");
    exchange.scripts_run = vec!["users/create-user.test.js".into()];
    let test = |name: &str, error: Option<&str>| TestResult {
        name: name.into(),
        passed: error.is_none(),
        skipped: false,
        error: error.map(String::from),
        file: "users/create-user.test.js".into(),
    };
    exchange.tests = vec![
        test("status is 201", None),
        test("returns the new user's id", None),
        test("role is admin", Some("expected 'member' to equal 'admin'")),
    ];
    exchange.console = vec![ConsoleLine {
        level: ConsoleLevel::Log,
        text: "created user 43".into(),
        file: "users/create-user.test.js".into(),
        line: Some(4),
    }];
    exchange.ending = Ending::Response(Box::new(Response {
        status: 201,
        reason: "Created".into(),
        version: "HTTP/1.1".into(),
        headers,
        body: body.as_bytes().to_vec(),
        wire_size: body.len() as u64,
        decoded_size: body.len() as u64,
        truncated: false,
        redirects: Vec::new(),
        url: "http://127.0.0.1:8080/v1/users".into(),
        cookies: Vec::new(),
        timings: Timings {
            ttfb: std::time::Duration::from_micros(3_412),
            total: std::time::Duration::from_micros(4_087),
            ..Timings::default()
        },
        ..Response::default()
    }));
    app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
}

/// Runs the `users` collection from the tree and answers it as the runner
/// would: two passes, a failed assertion, then the summary.
fn run_users(app: &mut App) {
    use postie::runner::record::{Counter, Execution, ItemInfo, RequestHead, ResponseHead};
    use postie::runner::record::{RunInfo, Summary, TimeStats};
    use postie::tui::components::runner::{RunEvent, RunUpdate};
    // The variables `Io` would have loaded (a run waits for them).
    let sources = postie::prepare::VarSources {
        environment: app.environment.clone(),
        cli: Vec::new(),
        process_env: false,
    };
    app.vars = postie::prepare::VarInputs::load(&app.root, &sources).ok();
    typed(app, "1/create-user");
    key(app, KeyCode::Enter, KeyModifiers::NONE);
    typed(app, "1R");
    let run = app.runner.as_ref().map_or(0, |r| r.run);
    let ms = std::time::Duration::from_millis;
    let mut send = |event| {
        let elapsed = ms(412);
        app.update(Msg::Run(Box::new(RunUpdate {
            run,
            elapsed,
            event,
        })));
    };
    let info = RunInfo {
        name: "Users API".into(),
        iteration_count: 1,
        requests: 7,
        started: std::time::SystemTime::now(),
    };
    send(RunEvent::Started(info));
    let test = |name: &str, error: Option<&str>| TestResult {
        name: name.into(),
        passed: error.is_none(),
        skipped: false,
        error: error.map(String::from),
        file: "users/x.test.js".into(),
    };
    let exec =
        |path: &str, name: &str, method: &str, status: u16, tests: Vec<TestResult>| Execution {
            iteration: 0,
            position: 0,
            item: ItemInfo {
                id: path.into(),
                name: name.into(),
                folders: Vec::new(),
            },
            request: Some(RequestHead {
                method: method.into(),
                url: format!("http://127.0.0.1:8080/v1/{path}"),
                headers: Vec::new(),
                body_size: 0,
            }),
            response: Some(ResponseHead {
                status,
                reason: if status < 300 { "OK" } else { "Not Found" }.into(),
                version: "HTTP/1.1".into(),
                headers: Vec::new(),
                wire_size: 212,
                decoded_size: 212,
                ttfb: ms(3),
                time: ms(4 + u64::from(status % 7)),
                url: String::new(),
                ..ResponseHead::default()
            }),
            error: None,
            skipped: false,
            tests,
            console: Vec::new(),
            script_errors: Vec::new(),
            prerequest_scripts: Counter {
                executed: 1,
                failed: 0,
            },
            test_scripts: Counter {
                executed: 1,
                failed: 0,
            },
            body: None,
        };
    let all = [
        exec(
            "users/list-users",
            "List users",
            "GET",
            200,
            vec![test("lists users", None)],
        ),
        exec(
            "users/get-user",
            "Get user",
            "GET",
            404,
            vec![
                test(
                    "status is 200",
                    Some("expected response to have status code 200 but got 404"),
                ),
                test("echoes the user id", None),
            ],
        ),
        exec(
            "users/create-user",
            "Create user",
            "POST",
            201,
            vec![test("created", None)],
        ),
    ];
    for e in &all {
        send(RunEvent::Executed(Box::new(e.clone())));
    }
    let c = |executed, failed| Counter { executed, failed };
    let t = TimeStats {
        count: 3,
        min: ms(4),
        max: ms(9),
        mean: ms(6),
        p95: ms(9),
        sd: ms(2),
    };
    let summary = Summary {
        name: "Users API".into(),
        iterations: c(1, 1),
        requests: c(3, 0),
        test_scripts: c(3, 0),
        prerequest_scripts: c(3, 0),
        assertions: c(4, 1),
        failures: Vec::new(),
        failure_count: 1,
        started: std::time::SystemTime::now(),
        duration: ms(412),
        data_received: 636,
        response_times: t,
        phase_times: Default::default(),
        stopped: None,
    };
    send(RunEvent::Done(Box::new(summary)));
}

fn color(c: Color, fg: bool) -> String {
    match c {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Reset => if fg { "#c8d3f5" } else { "#1e2030" }.to_string(),
        Color::Black => "#1b1d2b".into(),
        Color::Red => "#ff757f".into(),
        Color::Green => "#c3e88d".into(),
        Color::Yellow => "#ffc777".into(),
        Color::Blue => "#82aaff".into(),
        Color::Magenta => "#c099ff".into(),
        Color::Cyan => "#86e1fc".into(),
        Color::Gray => "#a9b8e8".into(),
        Color::DarkGray => "#737aa2".into(),
        Color::White => "#ffffff".into(),
        _ => if fg { "#c8d3f5" } else { "#1e2030" }.to_string(),
    }
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A buffer as SVG: one rect per background run, one text per cell run.
fn to_svg(buf: &Buffer) -> String {
    let (cw, ch) = (8.4_f64, 17.0_f64);
    let area = buf.area;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">"#,
        f64::from(area.width) * cw,
        f64::from(area.height) * ch
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#1e2030"/>"##
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buf[(x, y)];
            let bg = color(cell.bg, false);
            let mut end = x + 1;
            while end < area.width && color(buf[(end, y)].bg, false) == bg {
                end += 1;
            }
            if bg != "#1e2030" {
                let _ = writeln!(
                    svg,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{ch}" fill="{bg}"/>"#,
                    f64::from(x) * cw,
                    f64::from(y) * ch,
                    f64::from(end - x) * cw
                );
            }
            x = end;
        }
        let mut x = 0;
        while x < area.width {
            let cell = &buf[(x, y)];
            let fg = color(cell.fg, true);
            let bold = cell.modifier.contains(ratatui::style::Modifier::BOLD);
            let mut text = String::new();
            let mut end = x;
            while end < area.width {
                let c = &buf[(end, y)];
                if color(c.fg, true) != fg
                    || c.modifier.contains(ratatui::style::Modifier::BOLD) != bold
                {
                    break;
                }
                text.push_str(c.symbol());
                end += 1;
            }
            if !text.trim().is_empty() {
                let _ = writeln!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}" fill="{fg}"{} xml:space="preserve">{}</text>"#,
                    f64::from(x) * cw,
                    f64::from(y) * ch + ch * 0.78,
                    if bold { r#" font-weight="bold""# } else { "" },
                    escape_xml(&text)
                );
            }
            x = end.max(x + 1);
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn shoot(name: &str, app: &App, w: u16, h: u16) {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| view::draw(app, f)).expect("draw");
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("screenshots")
        .join(format!("{name}.svg"));
    std::fs::write(&out, to_svg(term.backend().buffer())).expect("write screenshot");
    println!("wrote {}", out.display());
}

fn main() {
    let body = r#"{"id":43,"name":"Ada Lovelace","email":"ada@example.com","role":"member","created_at":"2026-11-25T15:04:05.000Z","teams":[{"id":1,"name":"Analytical Engines"},{"id":7,"name":"Notes"}],"active":true,"quota":null}"#;
    for (w, h) in [(160u16, 48u16), (80, 24)] {
        let mut app = demo_app(w, h);
        open(&mut app, "users/create-user");
        shoot(&format!("editor-{w}x{h}"), &app, w, h);
        answer(&mut app, body);
        shoot(&format!("response-{w}x{h}"), &app, w, h);
        typed(&mut app, "3]");
        shoot(&format!("tests-{w}x{h}"), &app, w, h);
        typed(&mut app, "[");
        key(&mut app, KeyCode::F(1), KeyModifiers::NONE);
        shoot(&format!("help-{w}x{h}"), &app, w, h);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        key(&mut app, KeyCode::Char('p'), KeyModifiers::CONTROL);
        typed(&mut app, "user");
        shoot(&format!("palette-{w}x{h}"), &app, w, h);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        run_users(&mut app);
        shoot(&format!("runner-{w}x{h}"), &app, w, h);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        history(&mut app);
        shoot(&format!("history-{w}x{h}"), &app, w, h);
        key(&mut app, KeyCode::Char('d'), KeyModifiers::NONE);
        history_diff(&mut app);
        shoot(&format!("history-diff-{w}x{h}"), &app, w, h);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        jq(&mut app, body, ".teams[] | {name}");
        shoot(&format!("jq-{w}x{h}"), &app, w, h);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        oauth2(&mut app);
        shoot(&format!("oauth2-{w}x{h}"), &app, w, h);
        oauth2_device(&mut app);
        shoot(&format!("oauth2-device-{w}x{h}"), &app, w, h);
    }
}

/// `auth/oauth2`'s Auth tab with the token the cache holds, as the app
/// reads it after a send.
fn oauth2(app: &mut App) {
    open(app, "auth/oauth2");
    typed(app, "2]]]");
    app.update(Msg::TokenStatus {
        path: "auth/oauth2".into(),
        status: Some("eyJh…Q3fw · expires in 58 min · scope read · refreshable".into()),
    });
}

/// The same request switched to the device grant (an unsaved edit) and
/// sent: the prompt the pipeline's flow shows while it polls.
fn oauth2_device(app: &mut App) {
    key(app, KeyCode::Down, KeyModifiers::NONE);
    for _ in 0..3 {
        key(app, KeyCode::Enter, KeyModifiers::NONE);
    }
    let id = send(app);
    app.update(Msg::OAuth {
        id,
        prompt: postie::oauth2::Prompt::Device {
            user_code: "WDJB-MJHT".into(),
            verification_uri: "https://login.example.com/device".into(),
            verification_uri_complete: Some(
                "https://login.example.com/device?user_code=WDJB-MJHT".into(),
            ),
            expires_in: 900,
        },
    });
}

/// Two exchanges of `users/create-user` as history keeps them, with fixed
/// ids and times (screenshots must not change from one run to the next).
fn past_records() -> Vec<postie::history::Record> {
    let dir = std::env::temp_dir().join(format!("postie-shots-{}", std::process::id()));
    let h = postie::history::History::in_dir(dir.clone(), Default::default());
    for (status, body) in [
        (201, r#"{"id":42,"name":"Ada","role":"admin","teams":[1]}"#),
        (
            201,
            r#"{"id":43,"name":"Ada Lovelace","role":"member","teams":[1,7]}"#,
        ),
    ] {
        let mut exchange = Exchange::new("users/create-user");
        exchange.sent = Some(postie::http::PreparedRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:8080/v1/users".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: postie::http::PreparedBody::Bytes(br#"{"name":"Ada Lovelace"}"#.to_vec()),
            auth: None,
            settings: Default::default(),
        });
        exchange.ending = Ending::Response(Box::new(Response {
            status,
            wire_size: body.len() as u64,
            decoded_size: body.len() as u64,
            reason: "Created".into(),
            version: "HTTP/1.1".into(),
            headers: vec![Header {
                name: "content-type".into(),
                value: b"application/json".to_vec(),
            }],
            body: body.as_bytes().to_vec(),
            url: "http://127.0.0.1:8080/v1/users".into(),
            ..Response::default()
        }));
        h.append(&exchange, None);
    }
    h.flush().expect("history written");
    let mut records = h.records(&Default::default()).value;
    let _ = std::fs::remove_dir_all(&dir);
    for (i, r) in records.iter_mut().enumerate() {
        r.id = format!("7e3a91c0{i}{i}");
        r.at = format!("2026-12-03T19:4{}:0{i}.000Z", 5 - i);
        if let Some(resp) = r.response.as_mut() {
            resp.timings
                .insert("total_ms".into(), (4.1 + i as f64).into());
        }
    }
    records
}

/// `H`: the History view, listed.
fn history(app: &mut App) {
    let effects = key(app, KeyCode::Char('H'), KeyModifiers::SHIFT);
    let generation = effects
        .iter()
        .find_map(|e| match e {
            postie::tui::effect::Effect::ListHistory { generation, .. } => Some(*generation),
            _ => None,
        })
        .unwrap_or(1);
    let entries = past_records()
        .iter()
        .map(postie::history::Entry::from)
        .collect();
    app.update(Msg::HistoryListed {
        generation,
        result: Ok(entries),
        warnings: 0,
    });
}

/// The diff `d` asked for, as the history thread answers it.
fn history_diff(app: &mut App) {
    let records = past_records();
    let (new, old) = (&records[0], &records[1]);
    let d = postie::history::diff(old, new);
    let lines = postie::history::diff_text::lines(old, new, &d);
    let title = format!("users/create-user · {} → {}", old.id, new.id);
    app.update(Msg::HistoryDiff(Ok((title, lines))));
}

/// `|` and a filter over the shown body, answered as the jq thread does.
fn jq(app: &mut App, body: &str, filter: &str) {
    typed(app, "3|");
    let mut last = None;
    for c in filter.chars() {
        for e in key(app, KeyCode::Char(c), KeyModifiers::NONE) {
            if let postie::tui::effect::Effect::RunJq { generation, .. } = e {
                last = Some(generation);
            }
        }
    }
    let output = postie::jq::Filter::compile(filter)
        .and_then(|f| f.run(body.as_bytes()))
        .map(|outs| outs.iter().map(|o| format!("{o}\n")).collect());
    if let Some(generation) = last {
        app.update(Msg::JqDone {
            pane: Some("users/create-user".into()),
            generation,
            result: output,
        });
    }
}
