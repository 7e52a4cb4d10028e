//! Screen and update tests for the response pane: `TestBackend` at 80x24
//! and 160x48, text snapshots, and colours on chosen cells.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use super::*;
use crate::http::{Header, RedirectHop, Response, ResponseHead, SendError, Timings};
use crate::tui::effect::Effect;
use crate::tui::theme::Theme;

fn assets() -> Arc<SyntaxAssets> {
    static ASSETS: OnceLock<Arc<SyntaxAssets>> = OnceLock::new();
    Arc::clone(ASSETS.get_or_init(SyntaxAssets::load))
}

fn header(name: &str, value: &[u8]) -> Header {
    Header {
        name: name.to_string(),
        value: value.to_vec(),
    }
}

fn response(status: u16, content_type: &str, body: &[u8]) -> Response {
    Response {
        status,
        reason: match status {
            200 => "OK",
            404 => "Not Found",
            _ => "",
        }
        .to_string(),
        version: "HTTP/1.1".to_string(),
        headers: vec![
            header("Content-Type", content_type.as_bytes()),
            header("Content-Length", body.len().to_string().as_bytes()),
        ],
        body: body.to_vec(),
        wire_size: body.len() as u64,
        decoded_size: body.len() as u64,
        truncated: false,
        redirects: Vec::new(),
        url: "http://localhost/users/1".to_string(),
        timings: Timings {
            ttfb: Duration::from_millis(45),
            total: Duration::from_millis(123),
        },
    }
}

const USER_JSON: &str = r#"{"id":1,"name":"Ada Lovelace","email":"ada@example.com","roles":["admin","dev"],"active":true,"manager":null,"score":99.5}"#;

use crate::tui::test_util::buffer_text;

fn draw(p: &ResponsePane, width: u16, height: u16) -> Buffer {
    crate::tui::test_util::draw_component(p, width, height)
}

fn pane(width: u16, height: u16) -> ResponsePane {
    let mut p = ResponsePane::new("base16-ocean.dark").with_assets(assets());
    p.set_viewport(width - 2, height - 2);
    p
}

/// Where `needle` first appears on screen (column, row).
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let text = buffer_text(buf);
    text.lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(needle)?;
        Some((line[..byte].chars().count() as u16, y as u16))
    })
}

fn act(p: &mut ResponsePane, action: Action) -> Cx {
    let mut cx = Cx::default();
    p.handle(&Input::Action(action), &mut cx);
    cx
}

fn key(p: &mut ResponsePane, code: KeyCode) {
    let mut cx = Cx::default();
    p.handle(
        &Input::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        &mut cx,
    );
}

fn type_query(p: &mut ResponsePane, q: &str) {
    act(p, Action::Search);
    assert_eq!(p.context(), KeyContext::Text);
    for c in q.chars() {
        key(p, KeyCode::Char(c));
    }
    key(p, KeyCode::Enter);
    assert_eq!(p.context(), KeyContext::Response);
}

#[test]
fn json_response_80x24() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    let buf = draw(&p, 80, 24);
    insta::assert_snapshot!(buffer_text(&buf));

    // The status is coloured by class, a key by the syntax theme.
    let theme = Theme::dark();
    let (x, y) = find(&buf, "200").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.status_2xx);
    let (kx, ky) = find(&buf, "\"name\"").unwrap();
    let (nx, ny) = find(&buf, "99.5").unwrap();
    let key_fg = buf[(kx + 1, ky)].fg;
    assert!(matches!(key_fg, Color::Rgb(..)), "{key_fg:?}");
    assert_ne!(key_fg, buf[(nx, ny)].fg, "keys and numbers differ");
    assert_ne!(key_fg, buf[(kx + 6, ky)].fg, "the key and its colon differ");
    assert_ne!(key_fg, theme.colors.fg);
}

#[test]
fn json_response_160x48() {
    let mut p = pane(160, 48);
    let mut resp = response(200, "application/json; charset=utf-8", USER_JSON.as_bytes());
    resp.wire_size = 80;
    resp.redirects = vec![RedirectHop {
        status: 301,
        url: "http://localhost/u/1".into(),
        location: "/users/1".into(),
    }];
    p.set_response(resp);
    insta::assert_snapshot!(buffer_text(&draw(&p, 160, 48)));
}

#[test]
fn big_json_uses_the_tokenizer_with_the_same_key_colour() {
    let small = {
        let mut p = pane(80, 24);
        p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
        let buf = draw(&p, 80, 24);
        let (x, y) = find(&buf, "\"name\"").unwrap();
        buf[(x + 1, y)].fg
    };
    let mut big = String::from("[");
    while big.len() < crate::tui::highlight::FAST_JSON_THRESHOLD + 10 {
        big.push_str(USER_JSON);
        big.push(',');
    }
    big.push_str(USER_JSON);
    big.push(']');
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", big.as_bytes()));
    let buf = draw(&p, 80, 24);
    let (x, y) = find(&buf, "\"name\"").unwrap();
    assert_eq!(buf[(x + 1, y)].fg, small);
}

fn with_headers(n: usize) -> Response {
    let mut resp = response(200, "text/plain", b"ok");
    resp.headers.push(header("X-Latin1", b"caf\xe9"));
    resp.headers.push(header("X-Escape", b"a\x1b[31mred\x07"));
    resp.headers.push(header(
        "Set-Cookie",
        b"sid=abc123; Path=/; HttpOnly; Secure; SameSite=Lax",
    ));
    for i in 0..n {
        resp.headers.push(header(
            &format!("X-Row-{i}"),
            format!("value {i}").as_bytes(),
        ));
    }
    resp
}

#[test]
fn headers_tab_80x24() {
    let mut p = pane(80, 24);
    p.set_response(with_headers(3));
    act(&mut p, Action::NextTab);
    insta::assert_snapshot!(buffer_text(&draw(&p, 80, 24)));
}

#[test]
fn headers_tab_160x48_and_cookies() {
    let mut p = pane(160, 48);
    p.set_response(with_headers(3));
    act(&mut p, Action::NextTab);
    let headers = buffer_text(&draw(&p, 160, 48));
    act(&mut p, Action::NextTab);
    let cookies = buffer_text(&draw(&p, 160, 48));
    insta::assert_snapshot!(format!("{headers}\n{cookies}"));
}

#[test]
fn ten_thousand_headers_scroll_to_the_end() {
    let mut p = pane(80, 24);
    p.set_response(with_headers(10_000));
    act(&mut p, Action::NextTab);
    let started = std::time::Instant::now();
    act(&mut p, Action::Bottom);
    let buf = draw(&p, 80, 24);
    // Generous: a debug build on a shared machine; it takes ~1 ms in release.
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        find(&buf, "X-Row-9999: value 9999").is_some(),
        "{}",
        buffer_text(&buf)
    );
}

#[test]
fn binary_body_80x24_and_160x48() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(600).collect();
    for (w, h) in [(80, 24), (160, 48)] {
        let mut p = pane(w, h);
        p.set_response(response(200, "image/png", &bytes));
        let text = buffer_text(&draw(&p, w, h));
        assert!(text.contains("00000010  10 11 12"), "{text}");
        insta::assert_snapshot!(format!("binary_{w}x{h}"), text);
        assert!(!p.actions().contains(&Action::ToggleRaw));
    }
}

#[test]
fn error_80x24() {
    let mut p = pane(80, 24);
    p.set_error(&SendError::Dns {
        host: "nope.invalid\u{1b}[2J".into(),
    });
    insta::assert_snapshot!(buffer_text(&draw(&p, 80, 24)));
}

#[test]
fn error_160x48() {
    let mut p = pane(160, 48);
    p.set_error(&SendError::Timeout(Duration::from_secs(30)));
    insta::assert_snapshot!(buffer_text(&draw(&p, 160, 48)));
}

#[test]
fn sending_80x24_and_160x48() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut p = pane(w, h);
        p.set_sending(3);
        let waiting = buffer_text(&draw(&p, w, h));
        p.set_head(&ResponseHead {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/2".into(),
            headers: vec![header("content-type", b"application/json")],
            url: "http://localhost/".into(),
        });
        p.set_progress(3 * 1024 * 1024 + 5, Some(10 * 1024 * 1024));
        let receiving = buffer_text(&draw(&p, w, h));
        insta::assert_snapshot!(
            format!("sending_{w}x{h}"),
            format!("{waiting}\n{receiving}")
        );
    }
}

#[test]
fn empty_pane_says_how_to_send() {
    let p = pane(80, 24);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(
        text.contains("No response yet. Send the request with ctrl-r."),
        "{text}"
    );
    assert!(p.actions().is_empty());
}

/// A body, headers and reason trying every trick: ANSI colours, a screen
/// clear, OSC 52 (clipboard write), a bell, C1 controls, bidi overrides,
/// zero-width characters, invalid UTF-8.
const HOSTILE: &[u8] = b"{\"x\":\"\x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07 \x1b[2J\xc2\x9b31m \xe2\x80\xae evil \xe2\x80\x8b \x7f\r\n\"}\nplain \x1b]0;title\x1b\\ line\n\xff\xfe bytes\t\x01end";

fn assert_no_control_cells(buf: &Buffer) {
    for cell in buf.content() {
        for c in cell.symbol().chars() {
            let code = c as u32;
            assert!(
                !(code < 0x20 || code == 0x7f || (0x80..=0x9f).contains(&code)),
                "control character {code:#x} in a cell:\n{}",
                buffer_text(buf)
            );
            assert!(!crate::safe_text::is_invisible_format(c), "{c:?} drawn raw");
        }
    }
}

#[test]
fn a_hostile_response_never_puts_a_control_character_on_screen() {
    for content_type in [
        "text/plain",
        "application/json",
        "text/html",
        "application/octet-stream",
    ] {
        let mut resp = response(200, content_type, HOSTILE);
        resp.reason = "OK\x1b]52;c;aGk=\x07".into();
        resp.headers
            .push(header("X-Evil", b"\x1b[2J\xe2\x80\xae\x9b"));
        resp.headers
            .push(header("Set-Cookie", b"a=\x1b[31m; Path=\xe2\x80\xae/"));
        resp.url = "http://evil/\u{202e}\u{1b}[2J".into();
        resp.redirects = vec![RedirectHop {
            status: 302,
            url: "http://evil/\u{7}".into(),
            location: "\u{1b}]52;c;eA==\u{7}".into(),
        }];
        for (w, h) in [(80, 24), (160, 48)] {
            let mut p = pane(w, h);
            p.set_response(resp.clone());
            for tab in 0..Tab::ALL.len() {
                for wrap in [true, false] {
                    let buf = draw(&p, w, h);
                    assert_no_control_cells(&buf);
                    let text_body = content_type != "application/octet-stream";
                    if tab == 0 && wrap && text_body {
                        let text = buffer_text(&buf);
                        assert!(
                            text.contains("plain \\e]0;title\\e\\ line"),
                            "{content_type}: escapes shown\n{text}"
                        );
                    }
                    act(&mut p, Action::ToggleWrap);
                }
                act(&mut p, Action::ToggleRaw);
                assert_no_control_cells(&draw(&p, w, h));
                act(&mut p, Action::NextTab);
            }
        }
    }
}

#[test]
fn hostile_text_shows_every_escape() {
    let mut p = pane(160, 48);
    p.set_response(response(200, "text/plain", HOSTILE));
    let text = buffer_text(&draw(&p, 160, 48));
    for shown in [
        "\\e[31mred",
        "\\e]52;c;ZXZpbA==\\x07",
        "\\x9b31m",
        "<U+202E>",
        "<U+200B>",
        "\\x7f",
        "\\xff\\xfe",
        "\\x01end",
    ] {
        assert!(text.contains(shown), "{shown} missing:\n{text}");
    }
}

#[test]
fn pretty_and_raw_toggle() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    assert!(buffer_text(&draw(&p, 80, 24)).contains("  \"name\": \"Ada Lovelace\","));
    act(&mut p, Action::ToggleRaw);
    let raw = buffer_text(&draw(&p, 80, 24));
    assert!(raw.contains("{\"id\":1,\"name\":\"Ada Lovelace\""), "{raw}");
    assert!(raw.contains("json · raw · wrap"));
}

#[test]
fn search_counts_highlights_and_jumps() {
    let mut body = String::from("[");
    for i in 0..200 {
        body.push_str(&format!(
            "{{\"n\":{i},\"tag\":\"{}\"}},",
            if i % 20 == 0 { "Needle" } else { "hay" }
        ));
    }
    body.push_str("{}]");
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", body.as_bytes()));
    type_query(&mut p, "needle");
    while p.tick() {}
    let buf = draw(&p, 80, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("/needle 1/10"), "{text}");
    let theme = Theme::dark();
    let (x, y) = find(&buf, "Needle").unwrap();
    assert_eq!(buf[(x, y)].bg, theme.colors.search_current_bg);

    act(&mut p, Action::SearchNext);
    act(&mut p, Action::SearchNext);
    let buf = draw(&p, 80, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("/needle 3/10"), "{text}");
    let (x, y) = find(&buf, "Needle").unwrap();
    assert_eq!(
        buf[(x, y)].bg,
        theme.colors.search_current_bg,
        "scrolled to the third\n{text}"
    );
    assert!(text.contains("\"n\": 40"), "{text}");

    act(&mut p, Action::SearchPrev);
    act(&mut p, Action::SearchPrev);
    act(&mut p, Action::SearchPrev);
    assert!(buffer_text(&draw(&p, 80, 24)).contains("10/10"));

    act(&mut p, Action::Back);
    assert!(!buffer_text(&draw(&p, 80, 24)).contains("/needle"));
}

#[test]
fn search_esc_cancels_and_no_match_says_so() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    act(&mut p, Action::Search);
    key(&mut p, KeyCode::Char('x'));
    assert!(buffer_text(&draw(&p, 80, 24)).contains("/x"));
    key(&mut p, KeyCode::Esc);
    assert_eq!(p.context(), KeyContext::Response);
    type_query(&mut p, "zzz");
    assert!(buffer_text(&draw(&p, 80, 24)).contains("/zzz 0/0"));
}

#[test]
fn scrolling_moves_the_body() {
    let body: String = (0..500).map(|i| format!("line {i}\n")).collect();
    let mut p = pane(80, 24);
    p.set_response(response(200, "text/plain", body.as_bytes()));
    act(&mut p, Action::PageDown);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(
        text.contains("line 19\n") || text.contains("line 19 "),
        "{text}"
    );
    act(&mut p, Action::Bottom);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("line 499"), "{text}");
    assert!(text.contains("line 482/500"), "{text}");
    act(&mut p, Action::Top);
    assert!(buffer_text(&draw(&p, 80, 24)).contains("line 1/500"));
}

#[test]
fn copy_and_save_body() {
    let mut p = pane(80, 24);
    p.set_response(response(404, "application/json", USER_JSON.as_bytes()));
    let cx = act(&mut p, Action::Copy);
    match &cx.effects[..] {
        [Effect::Copy(text)] => assert!(text.starts_with("{\n  \"id\": 1,")),
        other => panic!("{other:?}"),
    }
    let cx = act(&mut p, Action::SaveBody);
    match &cx.effects[..] {
        [Effect::WriteFile { path, bytes }] => {
            assert_eq!(path, &PathBuf::from("response-404.json"));
            assert_eq!(bytes, USER_JSON.as_bytes());
        }
        other => panic!("{other:?}"),
    }
    assert!(cx.status.unwrap().text.contains("response-404.json"));
    act(&mut p, Action::NextTab);
    let cx = act(&mut p, Action::Copy);
    match &cx.effects[..] {
        [Effect::Copy(text)] => assert!(text.starts_with("Content-Type: application/json\n")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn actions_follow_the_state() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    let a = p.actions();
    assert!(a.contains(&Action::ToggleRaw) && a.contains(&Action::Search));
    assert!(!a.contains(&Action::SearchNext));
    assert!(!a.contains(&Action::Left), "wrapping: no horizontal scroll");
    act(&mut p, Action::ToggleWrap);
    assert!(p.actions().contains(&Action::Left));
    act(&mut p, Action::NextTab);
    assert!(!p.actions().contains(&Action::Search));
    act(&mut p, Action::Search);
    assert_eq!(p.actions(), vec![Action::Select, Action::Back]);
}

#[test]
fn truncated_and_compressed_sizes_show_in_the_summary() {
    let mut p = pane(160, 48);
    let mut resp = response(200, "text/plain", b"abc");
    resp.decoded_size = 100 * 1024 * 1024;
    resp.wire_size = 2 * 1024 * 1024;
    resp.truncated = true;
    p.set_response(resp);
    let text = buffer_text(&draw(&p, 160, 48));
    assert!(
        text.contains("100.0 MiB (wire 2.0 MiB) · cut at 100.0 MiB"),
        "{text}"
    );
}
