//! Screen and update tests for the response pane: `TestBackend` at 80x24
//! and 160x48, text snapshots, and colours on chosen cells.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use super::*;
use crate::http::{Header, RedirectHop, Response, ResponseHead, SendError, Timings};
use crate::tui::component::Notice;
use crate::tui::effect::Effect;
use crate::tui::theme::Theme;
use std::path::PathBuf;

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
        cookies: Vec::new(),
        timings: Timings {
            ttfb: Duration::from_millis(45),
            total: Duration::from_millis(123),
            ..Default::default()
        },
        ..Default::default()
    }
}

const USER_JSON: &str = r#"{"id":1,"name":"Ada Lovelace","email":"ada@example.com","roles":["admin","dev"],"active":true,"manager":null,"score":99.5}"#;

use crate::tui::test_util::buffer_text;

mod big_json;

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

/// Steps through the tabs to `tab`.
fn to_tab(p: &mut ResponsePane, tab: Tab) {
    for _ in 0..Tab::ALL.len() {
        if p.tab == tab {
            return;
        }
        act(p, Action::NextTab);
    }
    assert_eq!(p.tab, tab);
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
        ..Default::default()
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
    to_tab(&mut p, Tab::Headers);
    insta::assert_snapshot!(buffer_text(&draw(&p, 80, 24)));
}

#[test]
fn headers_tab_160x48_and_cookies() {
    let mut p = pane(160, 48);
    p.set_response(with_headers(3));
    to_tab(&mut p, Tab::Headers);
    let headers = buffer_text(&draw(&p, 160, 48));
    act(&mut p, Action::NextTab);
    let cookies = buffer_text(&draw(&p, 160, 48));
    insta::assert_snapshot!(format!("{headers}\n{cookies}"));
}

#[test]
fn ten_thousand_headers_scroll_to_the_end() {
    let mut p = pane(80, 24);
    p.set_response(with_headers(10_000));
    to_tab(&mut p, Tab::Headers);
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
            ..Default::default()
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
        "<U+009B>31m",
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
    assert!(text.contains("1/10 /needle"), "{text}");
    let theme = Theme::dark();
    let (x, y) = find(&buf, "Needle").unwrap();
    assert_eq!(buf[(x, y)].bg, theme.colors.search_current_bg);

    act(&mut p, Action::SearchNext);
    act(&mut p, Action::SearchNext);
    let buf = draw(&p, 80, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("3/10 /needle"), "{text}");
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
    assert!(buffer_text(&draw(&p, 80, 24)).contains("0/0 /zzz"));
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
    to_tab(&mut p, Tab::Headers);
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

/// A plain body of `lines` numbered lines with `needle` on line `at`, big
/// enough that a search takes several slices.
fn big_body(lines: usize, needle: &str, at: usize) -> String {
    let mut body = String::with_capacity(lines * 64);
    for i in 0..lines {
        if i == at {
            body.push_str(&format!("line {i} {needle}\n"));
        } else {
            body.push_str(&format!("line {i} {}\n", "x".repeat(50)));
        }
    }
    body
}

/// A pane that searches one slice per tick, however fast the machine is.
fn slow_search_pane(body: &str) -> ResponsePane {
    let mut p = pane(80, 24);
    p.search_budget = Duration::ZERO;
    p.set_response(response(200, "text/plain", body.as_bytes()));
    p
}

#[test]
fn a_sliced_search_selects_and_shows_the_first_match_below() {
    // ~3.5 MB: more than three slices, the match near the end.
    let body = big_body(60_000, "Needle", 59_000);
    let mut p = slow_search_pane(&body);
    type_query(&mut p, "needle");
    assert!(p.busy(), "the search is sliced");
    let mut ticks = 0;
    while p.tick() {
        ticks += 1;
    }
    assert!(ticks >= 2, "{ticks}");
    let buf = draw(&p, 80, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("1/1 /needle"), "{text}");
    let (x, y) = find(&buf, "Needle").expect("scrolled to the match");
    assert_eq!(buf[(x, y)].bg, Theme::dark().colors.search_current_bg);
}

#[test]
fn a_sliced_search_wraps_to_a_match_above_the_view() {
    let body = big_body(60_000, "Needle", 3);
    let mut p = slow_search_pane(&body);
    act(&mut p, Action::Bottom);
    assert!(!buffer_text(&draw(&p, 80, 24)).contains("Needle"));
    type_query(&mut p, "needle");
    while p.tick() {}
    let buf = draw(&p, 80, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("1/1 /needle"), "{text}");
    assert!(find(&buf, "Needle").is_some(), "wrapped to the top\n{text}");
}

#[test]
fn a_small_body_search_wraps_to_a_match_above_the_view_too() {
    let body = big_body(500, "Needle", 3);
    let mut p = pane(80, 24);
    p.set_response(response(200, "text/plain", body.as_bytes()));
    act(&mut p, Action::Bottom);
    type_query(&mut p, "needle");
    assert!(!p.busy());
    let buf = draw(&p, 80, 24);
    assert!(buffer_text(&buf).contains("1/1 /needle"));
    assert!(find(&buf, "Needle").is_some());
}

#[test]
fn keys_pressed_while_a_sliced_search_runs_still_end_on_the_match() {
    let body = big_body(60_000, "Needle", 59_000);
    let mut p = slow_search_pane(&body);
    type_query(&mut p, "needle");
    // Scrolling gives the scan slices too (no idle ticks here).
    for _ in 0..10 {
        act(&mut p, Action::Down);
    }
    while p.tick() {}
    let buf = draw(&p, 80, 24);
    assert!(buffer_text(&buf).contains("1/1 /needle"));
    assert!(find(&buf, "Needle").is_some());
}

#[test]
fn a_c1_character_and_the_raw_byte_show_differently_in_body_and_headers() {
    // "\xc2\x9b" is U+009B (CSI as a character); "\x9b" alone is a byte
    // that is not UTF-8.
    let mut resp = response(200, "text/plain", b"char \xc2\x9b byte \x9b end");
    resp.headers
        .push(header("X-C1", b"char \xc2\x9b byte \x9b"));
    let mut p = pane(80, 24);
    p.set_response(resp);
    let body = buffer_text(&draw(&p, 80, 24));
    assert!(body.contains("char <U+009B> byte \\x9b end"), "{body}");
    to_tab(&mut p, Tab::Headers);
    let buf = draw(&p, 80, 24);
    let headers = buffer_text(&buf);
    assert!(
        headers.contains("X-C1: char <U+009B> byte \\x9b"),
        "{headers}"
    );
    // Both are styled as escapes, apart from the text around them.
    let theme = Theme::dark();
    let (x, y) = find(&buf, "<U+009B>").unwrap();
    assert_eq!(buf[(x, y)].style().fg, theme.escaped().fg);
    let (bx, by) = find(&buf, "\\x9b").unwrap();
    assert_eq!(buf[(bx, by)].style().fg, theme.escaped().fg);
}

#[test]
fn a_cancelled_request_says_cancelled_not_failed() {
    let mut p = pane(80, 24);
    p.set_error(&SendError::Cancelled);
    let buf = draw(&p, 80, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("cancelled"), "{text}");
    assert!(!text.contains("failed"), "{text}");
    // Not drawn as an error: the user asked for it.
    let (x, y) = find(&buf, "cancelled").unwrap();
    assert_ne!(buf[(x, y)].fg, Theme::dark().colors.error);
}

/// The rows between the tabs line and the footer, as text.
fn content_rows(p: &ResponsePane, w: u16, h: u16) -> Vec<String> {
    let text = buffer_text(&draw(p, w, h));
    let lines: Vec<&str> = text.lines().collect();
    lines[3..lines.len() - 2]
        .iter()
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').to_string())
        .collect()
}

#[test]
fn sideways_scrolling_in_the_hex_view_stops_at_the_widest_line() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(600).collect();
    // 50 columns: the 78-column dump is 28 wider than the pane.
    let mut p = pane(52, 20);
    p.set_response(response(200, "image/png", &bytes));
    for _ in 0..10 {
        act(&mut p, Action::Right);
    }
    let rows = content_rows(&p, 52, 20);
    assert!(
        rows[1].trim_end().ends_with("|................|"),
        "the end of the line is at the right edge: {rows:#?}"
    );
    assert!(rows.iter().all(|r| !r.trim().is_empty()), "{rows:#?}");
    // One step back shows a change at once: nothing was scrolled past.
    let before = content_rows(&p, 52, 20);
    act(&mut p, Action::Left);
    assert_ne!(content_rows(&p, 52, 20), before);
    // At 80 columns it all fits: nothing to scroll.
    let mut p = pane(80, 24);
    p.set_response(response(200, "image/png", &bytes));
    let before = content_rows(&p, 80, 24);
    for _ in 0..10 {
        act(&mut p, Action::Right);
    }
    assert_eq!(content_rows(&p, 80, 24), before);
}

#[test]
fn sideways_scrolling_a_raw_body_stops_at_its_end_and_resets_with_the_view() {
    let long: String = (0..200)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let body = format!("short\n{long}END\n");
    let mut p = pane(80, 24);
    p.set_response(response(200, "text/plain", body.as_bytes()));
    act(&mut p, Action::ToggleWrap);
    for _ in 0..100 {
        act(&mut p, Action::Right);
    }
    let rows = content_rows(&p, 80, 24);
    assert!(rows[1].ends_with("END"), "{rows:#?}");
    assert_eq!(rows[1].chars().count(), 78, "{rows:#?}");
    // A wider pane: less to scroll, still no blank.
    p.set_viewport(118, 22);
    let rows = content_rows(&p, 120, 24);
    assert!(rows[1].ends_with("END"), "{rows:#?}");
    assert_eq!(rows[1].chars().count(), 118, "{rows:#?}");
    // Wrapping and back starts at the left edge.
    p.set_viewport(78, 22);
    act(&mut p, Action::ToggleWrap);
    act(&mut p, Action::ToggleWrap);
    assert!(content_rows(&p, 80, 24)[0].starts_with("short"));
}

#[test]
fn sideways_scrolling_a_pretty_body_stops_at_its_end_and_raw_resets_it() {
    let body = format!(r#"{{"k":"{}END"}}"#, "v".repeat(150));
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", body.as_bytes()));
    act(&mut p, Action::ToggleWrap);
    for _ in 0..100 {
        act(&mut p, Action::Right);
    }
    let rows = content_rows(&p, 80, 24);
    assert!(rows[1].ends_with("END\""), "{rows:#?}");
    act(&mut p, Action::ToggleRaw);
    assert!(content_rows(&p, 80, 24)[0].starts_with("{\"k\""));
}

#[test]
fn sideways_scrolling_the_headers_stops_at_the_widest_and_resets_with_the_tab() {
    let mut resp = response(200, "text/plain", b"ok");
    let value = format!("{}END", "v".repeat(200));
    resp.headers.push(header("X-Long", value.as_bytes()));
    let mut p = pane(80, 24);
    p.set_response(resp);
    to_tab(&mut p, Tab::Headers);
    assert!(p.actions().contains(&Action::Right));
    for _ in 0..100 {
        act(&mut p, Action::Right);
    }
    let rows = content_rows(&p, 80, 24);
    assert!(rows[2].ends_with("END"), "{rows:#?}");
    assert_eq!(rows[2].chars().count(), 78, "{rows:#?}");
    act(&mut p, Action::NextTab);
    act(&mut p, Action::PrevTab);
    assert!(content_rows(&p, 80, 24)[0].starts_with("Content-Type: text/plain"));
}

#[test]
fn the_cookie_and_timing_tabs_fit_and_do_not_scroll_sideways() {
    let mut p = pane(80, 24);
    p.set_response(with_headers(2));
    to_tab(&mut p, Tab::Headers);
    for _ in 0..2 {
        act(&mut p, Action::NextTab);
        let before = content_rows(&p, 80, 24);
        for _ in 0..5 {
            act(&mut p, Action::Right);
        }
        assert_eq!(content_rows(&p, 80, 24), before);
    }
}

/// The footer's position counter, e.g. `3/12`.
fn footer(p: &ResponsePane, w: u16, h: u16) -> String {
    let text = buffer_text(&draw(p, w, h));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() - 2].trim_matches('│').trim().to_string()
}

#[test]
fn top_bottom_up_and_down_move_and_stop_in_every_tab() {
    let mut resp = with_headers(40);
    resp.body = (0..100)
        .map(|i| format!("line {i}\n"))
        .collect::<String>()
        .into_bytes();
    resp.headers
        .extend((0..30).map(|i| header("Set-Cookie", format!("c{i}=v; Path=/").as_bytes())));
    resp.redirects = (0..20)
        .map(|i| RedirectHop {
            status: 302,
            url: format!("http://localhost/{i}"),
            location: format!("/{}", i + 1),
            ..Default::default()
        })
        .collect();
    let mut p = pane(80, 24);
    p.set_response(resp);
    // Body: 100 lines, 19 rows.
    act(&mut p, Action::Bottom);
    act(&mut p, Action::Down);
    assert!(footer(&p, 80, 24).starts_with("line 82/100"));
    act(&mut p, Action::Up);
    assert!(footer(&p, 80, 24).starts_with("line 81/100"));
    act(&mut p, Action::Top);
    act(&mut p, Action::Up);
    assert!(footer(&p, 80, 24).starts_with("line 1/100"));
    // Headers (75 rows), cookies (31, a title row), timing (95 lines: a
    // waterfall block per hop, then figures and facts).
    to_tab(&mut p, Tab::Tests);
    for (len, last_top) in [(75, 56), (31, 13), (95, 76)] {
        act(&mut p, Action::NextTab);
        act(&mut p, Action::Bottom);
        act(&mut p, Action::Down);
        assert_eq!(footer(&p, 80, 24), format!("{}/{len}", last_top + 1));
        let rows = content_rows(&p, 80, 24);
        assert!(
            !rows.last().unwrap().trim().is_empty(),
            "last row at the bottom"
        );
        act(&mut p, Action::Up);
        assert_eq!(footer(&p, 80, 24), format!("{last_top}/{len}"));
        act(&mut p, Action::Top);
        act(&mut p, Action::Up);
        assert_eq!(footer(&p, 80, 24), format!("1/{len}"));
        act(&mut p, Action::Down);
        assert_eq!(footer(&p, 80, 24), format!("2/{len}"));
    }
}

#[test]
fn top_and_bottom_work_in_the_hex_view() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1600).collect();
    let mut p = pane(80, 24);
    p.set_response(response(200, "image/png", &bytes));
    act(&mut p, Action::Bottom);
    act(&mut p, Action::Down);
    let rows = content_rows(&p, 80, 24);
    assert!(rows.last().unwrap().starts_with("00000630"), "{rows:#?}");
    act(&mut p, Action::Top);
    assert!(content_rows(&p, 80, 24)[0].starts_with("00000000"));
}

fn secret_problem() -> SendProblem {
    SendProblem {
        field: Some(crate::prepare::Field::Header("Authorization".into())),
        message: "undefined variable `token`".into(),
        hint: Some(
            "`token` is a secret of environment `local`: put its value in \
             .postie/secrets/local.json or set POSTIE_VAR_token"
                .into(),
        ),
        location: Some("users/get-user.json:7:24".into()),
    }
}

#[test]
fn problems_80x24_wrap_their_hint_over_the_last_response() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    p.set_sending(0);
    p.set_problems(vec![
        secret_problem(),
        SendProblem::other("the executor \u{1b}[2J stopped"),
    ]);
    let buf = draw(&p, 80, 24);
    insta::assert_snapshot!(buffer_text(&buf));
    assert_no_control_cells(&buf);
    let theme = Theme::dark();
    let (x, y) = find(&buf, "Headers › Authorization").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.accent);
    let (x, y) = find(&buf, "undefined variable").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.error);
    // Back shows the response that was there.
    act(&mut p, Action::Back);
    assert!(p.problems().is_none());
    assert!(buffer_text(&draw(&p, 80, 24)).contains("\"Ada Lovelace\""));
}

#[test]
fn problems_scroll_and_stop_in_a_small_pane() {
    let mut p = pane(40, 10);
    p.set_sending(0);
    p.set_problems(vec![secret_problem(), secret_problem(), secret_problem()]);
    assert!(!p.has_response());
    let text = buffer_text(&draw(&p, 40, 10));
    assert!(text.contains("esc hides this  rows 1-5/"), "{text}");
    act(&mut p, Action::Bottom);
    act(&mut p, Action::Down);
    let text = buffer_text(&draw(&p, 40, 10));
    assert!(text.contains("at users/get-user.json:7:24"), "{text}");
    let total = p.problems.as_ref().unwrap().rows.len();
    assert!(
        text.contains(&format!("rows {}-{total}/{total}", total - 4)),
        "{text}"
    );
    act(&mut p, Action::Top);
    act(&mut p, Action::Up);
    assert!(buffer_text(&draw(&p, 40, 10)).contains("rows 1-5/"));
    // A tab key goes to the response and puts the problems away.
    assert_eq!(
        act_flow(&mut p, Action::NextTab),
        Flow::Bubble,
        "no response"
    );
    assert!(p.problems().is_some());
    act(&mut p, Action::Back);
    assert!(buffer_text(&draw(&p, 40, 10)).contains("No response yet"));
}

fn act_flow(p: &mut ResponsePane, action: Action) -> Flow {
    p.handle(&Input::Action(action), &mut Cx::default())
}

#[test]
fn the_next_send_puts_the_problems_away_and_a_network_error_replaces_the_response() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "text/plain", b"first"));
    p.set_sending(0);
    p.set_problems(vec![secret_problem()]);
    p.set_sending(0);
    assert!(p.problems().is_none());
    p.set_head(&ResponseHead {
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: Vec::new(),
        url: "http://localhost/".into(),
    });
    // Once answered, a late failure is the new state, not the old one.
    p.set_error(&SendError::Timeout(Duration::from_secs(1)));
    assert!(!p.has_response());
}

#[test]
fn the_problems_view_lists_its_keys_once() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "text/plain", b"ok"));
    p.set_sending(0);
    p.set_problems(vec![secret_problem()]);
    let a = p.actions();
    assert!(a.contains(&Action::Back) && a.contains(&Action::Bottom));
    assert_eq!(a.iter().filter(|x| **x == Action::Up).count(), 1);
}

#[test]
fn a_cut_summary_or_tab_line_ends_in_a_mark() {
    let mut p = pane(40, 12);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    let text = buffer_text(&draw(&p, 40, 12));
    let tabs = text.lines().find(|l| l.contains("Headers")).unwrap();
    assert!(tabs.trim_end_matches('│').ends_with('…'), "{text}");
    // Where it fits, no mark.
    let mut p = pane(120, 12);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    let text = buffer_text(&draw(&p, 120, 12));
    let tabs = text.lines().find(|l| l.contains("Headers")).unwrap();
    assert!(!tabs.contains('…'), "{text}");
}

#[test]
fn a_narrow_pane_cuts_the_query_not_the_match_count() {
    let mut p = pane(30, 10);
    let body = format!("{}\nneedle-with-a-long-name\n", "x\n".repeat(5000));
    p.set_response(response(200, "text/plain", body.as_bytes()));
    type_query(&mut p, "needle-with-a-long-name");
    key(&mut p, KeyCode::Enter);
    let text = buffer_text(&draw(&p, 30, 10));
    assert!(text.contains("1/1"), "{text}");
}

// ---- the Tests tab ----------------------------------------------------------

use crate::script::{ConsoleLevel, ConsoleLine, Outcome, ScriptError, ScriptErrorKind, TestResult};

fn test_result(name: &str, passed: bool, skipped: bool, error: Option<&str>) -> TestResult {
    TestResult {
        name: name.into(),
        passed,
        skipped,
        error: error.map(str::to_string),
        file: "users/get.test.js".into(),
    }
}

/// Passed, failed, skipped and hostile tests, a script error and console
/// lines at every level.
fn mixed_outcome() -> Outcome {
    Outcome {
        tests: vec![
            test_result("status is 200", true, false, None),
            test_result(
                "body has the user's id",
                false,
                false,
                Some("expected undefined to equal 1; the body was {\"name\":\"Ada Lovelace\",\"roles\":[\"admin\",\"dev\"]}"),
            ),
            test_result("later", false, true, None),
            test_result("evil\u{1b}[2J\u{202e}name", true, false, None),
        ],
        errors: vec![ScriptError {
            kind: ScriptErrorKind::Runtime,
            message: "TypeError: cannot read property 'x' of undefined".into(),
            file: "users/get.test.js".into(),
            line: Some(3),
            column: Some(7),
        }],
        console: vec![
            ConsoleLine {
                level: ConsoleLevel::Log,
                text: "token set".into(),
                file: "users/get.pre.js".into(),
                line: Some(2),
            },
            ConsoleLine {
                level: ConsoleLevel::Warn,
                text: "slow: 900 ms".into(),
                file: "users/get.test.js".into(),
                line: Some(5),
            },
            ConsoleLine {
                level: ConsoleLevel::Error,
                text: "bad\u{7}bell".into(),
                file: "users/get.test.js".into(),
                line: None,
            },
        ],
    }
}

fn with_tests(outcome: Outcome) -> ResponsePane {
    let mut p = pane(80, 24).with_request("users/get");
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    p.set_outcome(outcome);
    p
}

#[test]
fn tests_tab_80x24_passed_failed_skipped_errors_and_console() {
    let mut p = with_tests(mixed_outcome());
    to_tab(&mut p, Tab::Tests);
    let buf = draw(&p, 80, 24);
    insta::assert_snapshot!(buffer_text(&buf));

    let theme = Theme::dark();
    // The title counts passed of all tests, in the error colour: one failed.
    let (x, y) = find(&buf, "Tests 2/4").unwrap();
    assert_eq!(buf[(x + 6, y)].fg, theme.colors.error);
    let (x, y) = find(&buf, "✗ body").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.error);
    let (x, y) = find(&buf, "expected undefined").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.error);
    let (x, y) = find(&buf, "users/get.test.js:3:7").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.error);
    let (x, y) = find(&buf, "slow: 900").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.warning);
    // The hostile name is shown escaped, its escapes set apart.
    let (x, y) = find(&buf, "evil\\e[2J<U+202E>name").unwrap();
    assert_eq!(buf[(x + 2, y)].fg, theme.colors.success);
    assert_eq!(buf[(x + 4, y)].fg, theme.escaped().fg.unwrap(), "\\e");
    assert_eq!(buf[(x + 6, y)].fg, theme.colors.success, "[2J");
    assert_eq!(buf[(x + 9, y)].fg, theme.escaped().fg.unwrap(), "<U+202E>");
    assert_no_control_cells(&buf);
}

#[test]
fn an_all_passing_title_is_in_the_success_colour_and_skips_are_no_failure() {
    let mut p = with_tests(Outcome {
        tests: vec![
            test_result("a", true, false, None),
            test_result("b", false, true, None),
        ],
        ..Outcome::default()
    });
    let buf = draw(&p, 80, 24);
    let (x, y) = find(&buf, "Tests 1/2").unwrap();
    assert_eq!(buf[(x + 6, y)].fg, Theme::dark().colors.success);
    to_tab(&mut p, Tab::Tests);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(
        text.contains("✓ a") && text.contains("- b (skipped)"),
        "{text}"
    );
}

#[test]
fn no_tests_says_where_scripts_go() {
    let mut p = with_tests(Outcome::default());
    to_tab(&mut p, Tab::Tests);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(
        text.contains("No tests ran. Scripts go in users/get.test.js (Scripts tab)."),
        "{text}"
    );
    assert!(
        text.contains("Tests  Headers"),
        "no count without tests: {text}"
    );
}

#[test]
fn enter_on_a_script_error_asks_to_open_its_line() {
    let mut p = with_tests(mixed_outcome());
    to_tab(&mut p, Tab::Tests);
    // The first entry is a passed test: it points nowhere.
    assert!(!p.actions().contains(&Action::OpenScriptError));
    let cx = act(&mut p, Action::OpenScriptError);
    assert!(cx.notices.is_empty());
    // The failed test: its file, found by name.
    act(&mut p, Action::Down);
    let cx = act(&mut p, Action::OpenScriptError);
    assert_eq!(
        cx.notices,
        [Notice::OpenScript {
            file: "users/get.test.js".into(),
            line: None,
            column: None,
            test: Some("body has the user's id".into()),
        }]
    );
    // Down past the skipped and the hostile test: the script error.
    for _ in 0..3 {
        act(&mut p, Action::Down);
    }
    assert!(p.actions().contains(&Action::OpenScriptError));
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("enter opens users/get.test.js:3:7"), "{text}");
    let cx = act(&mut p, Action::OpenScriptError);
    assert_eq!(
        cx.notices,
        [Notice::OpenScript {
            file: "users/get.test.js".into(),
            line: Some(3),
            column: Some(7),
            test: None,
        }]
    );
    // The selected entry is highlighted across its row.
    let buf = draw(&p, 80, 24);
    let (x, y) = find(&buf, "users/get.test.js:3:7").unwrap();
    assert_eq!(buf[(x, y)].bg, Theme::dark().selection().bg.unwrap());
}

#[test]
fn the_selection_scrolls_long_outcomes_and_stops_at_the_ends() {
    let tests = (0..60)
        .map(|i| test_result(&format!("test {i}"), i % 7 != 0, false, None))
        .collect();
    let mut p = with_tests(Outcome {
        tests,
        ..Outcome::default()
    });
    to_tab(&mut p, Tab::Tests);
    act(&mut p, Action::Bottom);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(
        text.contains("test 59") && !text.contains("test 0\n"),
        "{text}"
    );
    assert!(text.contains("60/60"), "{text}");
    act(&mut p, Action::PageUp);
    act(&mut p, Action::Top);
    act(&mut p, Action::Up);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("✗ test 0") && text.contains("1/60"), "{text}");
}

#[test]
fn a_new_send_clears_the_tests_and_a_stopped_send_shows_its_pre_request_outcome() {
    let mut p = with_tests(mixed_outcome());
    assert!(p.outcome().is_some());
    p.set_sending(0);
    assert!(p.outcome().is_none());
    // The pre-request script threw; nothing was sent.
    p.set_error(&SendError::Cancelled);
    p.set_outcome(Outcome {
        errors: vec![ScriptError {
            kind: ScriptErrorKind::Compile,
            message: "SyntaxError: unexpected token".into(),
            file: "users/get.pre.js".into(),
            line: Some(1),
            column: Some(4),
        }],
        ..Outcome::default()
    });
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("cancelled"), "{text}");
    assert!(text.contains("Tests ✗"), "{text}");
    assert!(
        text.contains("users/get.pre.js:1:4  SyntaxError: unexpected token"),
        "{text}"
    );
    let cx = act(&mut p, Action::OpenScriptError);
    assert!(matches!(
        &cx.notices[..],
        [Notice::OpenScript {
            line: Some(1),
            column: Some(4),
            ..
        }]
    ));
    let cx = act(&mut p, Action::Copy);
    assert!(matches!(&cx.effects[..], [Effect::Copy(t)] if t.contains("SyntaxError")));
}

#[test]
fn copy_on_the_tests_tab_copies_the_tests_as_text() {
    let mut p = with_tests(mixed_outcome());
    to_tab(&mut p, Tab::Tests);
    let cx = act(&mut p, Action::Copy);
    match &cx.effects[..] {
        [Effect::Copy(text)] => {
            assert!(
                text.starts_with("✓ status is 200\n✗ body has the user's id\n"),
                "{text}"
            );
            assert!(!text.contains('\u{1b}'));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_send_the_scripts_skipped_says_not_sent_with_what_they_said() {
    let mut p = with_tests(mixed_outcome());
    p.set_sending(0);
    p.set_outcome(Outcome {
        console: vec![ConsoleLine {
            level: ConsoleLevel::Info,
            text: "skipping".into(),
            file: "users/get.pre.js".into(),
            line: Some(1),
        }],
        ..Outcome::default()
    });
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(!text.contains('⠋'), "no spinner left: {text}");
    assert!(text.contains("not sent"), "{text}");
    assert!(
        text.contains("No tests ran. Scripts go in users/get.test.js"),
        "{text}"
    );
    assert!(
        text.contains("info  users/get.pre.js:1  skipping"),
        "{text}"
    );
    // Nothing at all said: still not a spinner, and not "no response yet".
    p.set_sending(1);
    p.set_outcome(Outcome::default());
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(
        text.contains("not sent") && !text.contains("No response yet"),
        "{text}"
    );
}

/// Types `text` into the open jq filter and returns the last `RunJq` asked
/// for (run here, as the jq thread would).
fn type_jq(p: &mut ResponsePane, text: &str) -> Option<(u64, String)> {
    let mut last = None;
    for c in text.chars() {
        let mut cx = Cx::default();
        p.handle(
            &Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            &mut cx,
        );
        for e in cx.effects {
            if let Effect::RunJq {
                generation,
                filter,
                body,
                ..
            } = e
            {
                last = Some((generation, filter.clone()));
                let result = crate::jq::Filter::compile(&filter)
                    .and_then(|f| f.run(&body))
                    .map(|outs| outs.iter().map(|o| format!("{o}\n")).collect());
                // Answers of older keys arrive too; only the newest shows.
                p.on_jq_done(generation, result);
            }
        }
    }
    last
}

#[test]
fn a_live_jq_filter_replaces_the_body_and_shows_errors_inline() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "application/json", USER_JSON.as_bytes()));
    let cx = act(&mut p, Action::JqFilter);
    assert!(cx.effects.is_empty());
    assert_eq!(p.context(), KeyContext::Text);
    let (generation, filter) = type_jq(&mut p, ".roles").expect("a run per key");
    assert_eq!(filter, ".roles");
    assert_eq!(generation, 6);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("\"admin\""), "{text}");
    assert!(!text.contains("Ada Lovelace"), "{text}");
    assert!(text.contains("| .roles"), "{text}");
    // A filter that does not parse: said in the footer, the last good
    // output stays.
    type_jq(&mut p, "[");
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("| .roles["), "{text}");
    assert!(text.contains("expected"), "{text}");
    assert!(text.contains("\"admin\""), "{text}");
    insta::assert_snapshot!("jq_error_80x24", text);
    // A stale answer (an older key's) never replaces a newer one.
    p.on_jq_done(1, Ok("\"stale\"\n".into()));
    assert!(!buffer_text(&draw(&p, 80, 24)).contains("stale"));
    // enter keeps the filter; the search works on its output; esc clears it.
    key(&mut p, KeyCode::Backspace);
    key(&mut p, KeyCode::Enter);
    assert_eq!(p.context(), KeyContext::Response);
    act(&mut p, Action::Back);
    let text = buffer_text(&draw(&p, 80, 24));
    assert!(text.contains("Ada Lovelace"), "{text}");
    assert!(!text.contains("| .roles"), "{text}");
}

#[test]
fn jq_says_it_only_filters_json() {
    let mut p = pane(80, 24);
    p.set_response(response(200, "text/plain", b"hello"));
    let cx = act(&mut p, Action::JqFilter);
    assert_eq!(p.context(), KeyContext::Response);
    assert!(cx.status.is_some_and(|s| s.text.contains("JSON")));
}
