//! Response pane on a generated 50 MB minified JSON body (drawn from the
//! raw text through a pretty-line index, see `format::json_lines`): time from
//! `set_response` to the first drawn frame, per-frame time of scrolling,
//! jumping and searching, and peak memory. Prints a table; asserts nothing.
//!
//! cargo bench --bench response

use std::time::{Duration, Instant};

use postie::http::{Header, Response, Timings};
use postie::tui::action::Action;
use postie::tui::component::{Component, Cx, DrawCx, Input};
use postie::tui::components::response::ResponsePane;
use postie::tui::highlight::{Highlighter, Language, LineIndex, SyntaxAssets};
use postie::tui::keymap::Keymap;
use postie::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const TARGET: usize = 50 * 1024 * 1024;
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

/// Peak resident memory so far, in bytes (Linux).
fn vm_hwm() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn record(i: usize) -> String {
    format!(
        r#"{{"id":{i},"name":"user {i}","email":"user{i}@example.com","tags":["alpha","beta","gamma"],"active":{},"score":{}.5,"address":{{"street":"{i} Main St","city":"Springfield","zip":"{:05}"}},"note":null}}"#,
        i % 3 == 0,
        i % 100,
        i % 100_000
    )
}

fn generate() -> Vec<u8> {
    // Reserved up front so building the body never doubles it.
    let mut body = String::with_capacity(TARGET + 4096);
    body.push('[');
    let mut i = 0;
    while body.len() < TARGET {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&record(i));
        i += 1;
    }
    body.push(']');
    body.into_bytes()
}

fn response(body: Vec<u8>) -> Response {
    let len = body.len() as u64;
    Response {
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![Header {
            name: "Content-Type".into(),
            value: b"application/json".to_vec(),
        }],
        body,
        wire_size: len,
        decoded_size: len,
        truncated: false,
        redirects: Vec::new(),
        url: "http://localhost/big".into(),
        cookies: Vec::new(),
        timings: Timings {
            ttfb: Duration::from_millis(10),
            total: Duration::from_millis(900),
            ..Timings::default()
        },
        ..Response::default()
    }
}

struct Screen {
    term: Terminal<TestBackend>,
    theme: Theme,
    keymap: Keymap,
}

impl Screen {
    fn draw(&mut self, pane: &ResponsePane) {
        let (theme, keymap) = (&self.theme, &self.keymap);
        self.term
            .draw(|f| {
                let dcx = DrawCx {
                    theme,
                    focused: true,
                    keymap,
                };
                pane.draw(f, f.area(), &dcx);
            })
            .unwrap();
    }
}

/// Handles `action` and draws; returns the time both took.
fn frame(pane: &mut ResponsePane, screen: &mut Screen, input: Input) -> Duration {
    let started = Instant::now();
    let mut cx = Cx::default();
    pane.handle(&input, &mut cx);
    screen.draw(pane);
    started.elapsed()
}

fn row(what: &str, times: &[Duration]) {
    let max = times.iter().max().copied().unwrap_or_default();
    let total: Duration = times.iter().sum();
    let avg = total / times.len().max(1) as u32;
    println!(
        "| {what:<44} | {:>5} | {:>9.2} | {:>9.2} |",
        times.len(),
        avg.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0
    );
}

fn main() {
    let assets = SyntaxAssets::load();
    // After syntect's assets (shared by every pane, ~10 MB): what remains
    // is what the body costs.
    let baseline = vm_hwm();
    let body = generate();
    let body_len = body.len();
    let after_body = vm_hwm();
    println!(
        "body: {:.1} MiB minified JSON (peak RSS before the pane: {:.1} MiB)\n",
        body_len as f64 / 1048576.0,
        after_body as f64 / 1048576.0
    );

    // A body this big is not re-indented: the pane indexes the pretty
    // lines in the raw text (checking it beside) and draws them from there.
    let started = Instant::now();
    let indexed = std::str::from_utf8(&body)
        .ok()
        .and_then(postie::tui::components::response::format::json_lines::pretty_json_lines);
    let format_time = started.elapsed();
    let (index_bytes, index_lines) = indexed
        .as_ref()
        .map_or((0, 0), |l| (l.heap_bytes(), l.line_count()));
    drop(indexed);

    let mut screen = Screen {
        term: Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap(),
        theme: Theme::dark(),
        keymap: Keymap::defaults(),
    };
    let mut pane = ResponsePane::new("base16-ocean.dark").with_assets(assets.clone());
    pane.set_viewport(WIDTH - 2, HEIGHT - 2);

    let started = Instant::now();
    pane.set_response(response(body));
    let set = started.elapsed();
    screen.draw(&pane);
    let first_frame = started.elapsed();

    println!(
        "| {:<44} | {:>5} | {:>9} | {:>9} |",
        "step", "n", "avg ms", "max ms"
    );
    println!("|{:-<46}|{:-<7}|{:-<11}|{:-<11}|", "", "", "", "");
    row("pretty_json_lines alone (check + index)", &[format_time]);
    row("set_response (index + first screen)", &[set]);
    row("set_response to first drawn frame", &[first_frame]);

    let act = |a| Input::Action(a);
    let times: Vec<_> = (0..200)
        .map(|_| frame(&mut pane, &mut screen, act(Action::Down)))
        .collect();
    row("scroll down one line", &times);
    let times: Vec<_> = (0..200)
        .map(|_| frame(&mut pane, &mut screen, act(Action::PageDown)))
        .collect();
    row("page down", &times);
    let times: Vec<_> = (0..20)
        .map(|_| {
            frame(&mut pane, &mut screen, act(Action::Top));
            frame(&mut pane, &mut screen, act(Action::Bottom))
        })
        .collect();
    row("jump to the end (from the top)", &times);
    let times: Vec<_> = (0..200)
        .map(|_| frame(&mut pane, &mut screen, act(Action::PageUp)))
        .collect();
    row("page up near the end", &times);
    frame(&mut pane, &mut screen, act(Action::ToggleWrap));
    let times: Vec<_> = (0..100)
        .map(|_| frame(&mut pane, &mut screen, act(Action::Right)))
        .collect();
    row("scroll right (no wrap)", &times);
    frame(&mut pane, &mut screen, act(Action::ToggleWrap));
    frame(&mut pane, &mut screen, act(Action::Top));

    // Search: open, type, confirm; then next/prev; then let ticks finish the count.
    let mut search_frames = vec![frame(&mut pane, &mut screen, act(Action::Search))];
    for c in "user 777777".chars() {
        let key = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        );
        search_frames.push(frame(&mut pane, &mut screen, Input::Key(key)));
    }
    let enter = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Enter,
        crossterm::event::KeyModifiers::NONE,
    );
    let confirm = frame(&mut pane, &mut screen, Input::Key(enter));
    row("search: typing the query", &search_frames);
    row("search: confirm (first slice of the scan)", &[confirm]);
    let mut ticks = Vec::new();
    let scan_started = Instant::now();
    loop {
        let started = Instant::now();
        let more = pane.tick();
        screen.draw(&pane);
        ticks.push(started.elapsed());
        if !more {
            break;
        }
    }
    let scan_total = scan_started.elapsed();
    row("search: tick while the count finishes", &ticks);
    let times: Vec<_> = (0..50)
        .map(|_| frame(&mut pane, &mut screen, act(Action::SearchNext)))
        .collect();
    row("search next", &times);
    let times: Vec<_> = (0..50)
        .map(|_| frame(&mut pane, &mut screen, act(Action::SearchPrev)))
        .collect();
    row("search prev", &times);

    // A query with a match per record: the scan stores ~430k offsets.
    frame(&mut pane, &mut screen, act(Action::Search));
    for c in "email".chars() {
        let key = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        );
        frame(&mut pane, &mut screen, Input::Key(key));
    }
    let confirm_common = frame(&mut pane, &mut screen, Input::Key(enter));
    row("search a common word: confirm", &[confirm_common]);
    let mut ticks = Vec::new();
    while {
        let started = Instant::now();
        let more = pane.tick();
        screen.draw(&pane);
        ticks.push(started.elapsed());
        more
    } {}
    row("search a common word: ticks", &ticks);
    let times: Vec<_> = (0..50)
        .map(|_| frame(&mut pane, &mut screen, act(Action::SearchNext)))
        .collect();
    row("search next (common word)", &times);

    let times: Vec<_> = (0..3)
        .map(|_| frame(&mut pane, &mut screen, act(Action::ToggleRaw)))
        .collect();
    row("toggle raw/pretty (first builds the raw index)", &times);

    let peak = vm_hwm();
    println!(
        "\nfull scan of the pretty lines: {:.0} ms over {} ticks",
        scan_total.as_secs_f64() * 1000.0,
        ticks.len()
    );
    println!(
        "pretty-line index: {:.1} MiB for {} lines ({:.2}x the body; no pretty text is built)",
        index_bytes as f64 / 1048576.0,
        index_lines,
        index_bytes as f64 / body_len as f64
    );
    println!(
        "peak RSS {:.1} MiB; above the start: {:.1} MiB = {:.2}x the body ({:.1} MiB)",
        peak as f64 / 1048576.0,
        (peak - baseline) as f64 / 1048576.0,
        (peak - baseline) as f64 / body_len as f64,
        body_len as f64 / 1048576.0
    );

    // The live jq filter (`|`): what its thread does once per body (parse)
    // and on every key (compile and run a filter on the parsed body).
    drop(pane);
    let body = generate();
    let before_jq = vm_hwm();
    let t = Instant::now();
    let input = match postie::jq::Input::parse(&body) {
        Ok(i) => i,
        Err(e) => panic!("the generated body is JSON: {e}"),
    };
    let parse = t.elapsed();
    println!(
        "\n| {:<44} | {:>5} | {:>9} | {:>9} |",
        "jq thread on the same body", "runs", "avg ms", "max ms"
    );
    println!("|{:-<46}|{:-<7}|{:-<11}|{:-<11}|", "", "", "", "");
    row("parse the body (once per body)", &[parse]);
    for filter in [
        ".[0].name",
        "map(.score) | add",
        "[.[] | select(.id % 1000 == 0)] | length",
        ".[-1].address",
    ] {
        let times: Vec<_> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let out = postie::jq::Filter::compile(filter).and_then(|f| f.run_on(&input));
                assert!(out.is_ok(), "{filter}: {out:?}");
                t.elapsed()
            })
            .collect();
        row(&format!("filter `{filter}`"), &times);
    }
    println!(
        "jq's parsed body: peak RSS {:.1} MiB above what the pane left ({:.2}x the body)",
        vm_hwm().saturating_sub(before_jq) as f64 / 1048576.0,
        vm_hwm().saturating_sub(before_jq) as f64 / body_len as f64
    );
    drop(input);

    // Why big JSON uses the tokenizer: syntect against it on the same lines.
    let sample: String = {
        let pretty = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(&format!(
                "[{}]",
                (0..400).map(record).collect::<Vec<_>>().join(",")
            ))
            .unwrap(),
        )
        .unwrap();
        pretty
    };
    let index = LineIndex::new(&sample);
    let lines = index.line_count();
    for (name, mut h) in [
        (
            "syntect JSON",
            Highlighter::syntect(&assets, "base16-ocean.dark", Language::Json, 128),
        ),
        (
            "JSON tokenizer",
            Highlighter::fast_json(&assets, "base16-ocean.dark"),
        ),
    ] {
        let started = Instant::now();
        let mut at = 0;
        while at < lines {
            let end = (at + 46).min(lines);
            std::hint::black_box(h.highlight(&sample, &index, at..end));
            at = end;
        }
        let per_line = started.elapsed().as_secs_f64() / lines as f64;
        println!(
            "{name:<15}: {:>7.2} µs a line; a 3.4M-line body would take {:>6.1} s to walk",
            per_line * 1e6,
            per_line * 3.4e6
        );
    }
}
