//! Big JSON bodies are drawn from the raw text through the pretty-line
//! index (`format::json_lines`) instead of a formatted text. Each test
//! shows one body both ways, in two panes, and checks every screen (text
//! and colours), search, copy and save are the same.

use super::*;
use crate::tui::components::response::format::{PRETTY_INDEX_FROM, PRETTY_INDEX_FROM_IN_TEST};

const W: u16 = 100;
const H: u16 = 30;

/// Whether the pane draws its body from the index.
fn indexed(p: &ResponsePane) -> bool {
    match &p.phase {
        Phase::Done(l) => l
            .body
            .pretty
            .as_ref()
            .is_some_and(|(text, doc)| doc.reads_raw() && text.is_empty()),
        _ => false,
    }
}

/// The body in a pane drawing it from the index (from `index_from` bytes
/// on, the real threshold if `None`) and in one with the pretty text.
fn both(body: &str, index_from: Option<usize>) -> (ResponsePane, ResponsePane) {
    let set = |limit| PRETTY_INDEX_FROM_IN_TEST.with(|c| c.set(limit));
    let mut from_index = pane(W, H);
    set(index_from);
    from_index.set_response(response(200, "application/json", body.as_bytes()));
    let mut from_text = pane(W, H);
    set(Some(usize::MAX));
    from_text.set_response(response(200, "application/json", body.as_bytes()));
    set(None);
    assert!(indexed(&from_index), "the first pane uses the index");
    assert!(!indexed(&from_text), "the second pane formats a text");
    (from_index, from_text)
}

fn same_screen(a: &ResponsePane, b: &ResponsePane, step: &str) {
    let (left, right) = (draw(a, W, H), draw(b, W, H));
    assert_eq!(buffer_text(&left), buffer_text(&right), "after {step}");
    // Both colour with the JSON tokenizer only past its threshold (below
    // it the formatted text gets syntect).
    if body_len(a) > crate::tui::highlight::FAST_JSON_THRESHOLD {
        assert_eq!(left, right, "colours after {step}");
    }
}

fn body_len(p: &ResponsePane) -> usize {
    match &p.phase {
        Phase::Done(l) => l.body.bytes().len(),
        _ => 0,
    }
}

fn both_act(a: &mut ResponsePane, b: &mut ResponsePane, action: Action, step: &str) {
    let (ca, cb) = (act(a, action), act(b, action));
    // A scan in progress differs by design (each path scans in slices of
    // its own), so let both finish before looking.
    while a.tick() {}
    while b.tick() {}
    // Effects are not comparable; their debug form is (and holds a copy's
    // text), too big to print when it differs.
    let said = |cx: &Cx| format!("{:?} {:?}", cx.effects, cx.status);
    assert!(said(&ca) == said(&cb), "effects or status of {step}");
    same_screen(a, b, step);
}

/// Types `query`, lets both scans finish, then steps through matches.
fn both_search(a: &mut ResponsePane, b: &mut ResponsePane, query: &str) {
    for p in [&mut *a, &mut *b] {
        type_query(p, query);
        while p.tick() {}
    }
    same_screen(a, b, &format!("searching {query:?}"));
    for n in 0..3 {
        both_act(a, b, Action::SearchNext, &format!("next {n} of {query:?}"));
    }
    for n in 0..5 {
        both_act(a, b, Action::SearchPrev, &format!("prev {n} of {query:?}"));
    }
}

/// Every key a reader uses on a body, on both panes.
fn same_everywhere(a: &mut ResponsePane, b: &mut ResponsePane, queries: &[&str]) {
    same_screen(a, b, "the first screen");
    for (action, n) in [
        (Action::Down, 3),
        (Action::PageDown, 4),
        (Action::Up, 2),
        (Action::Bottom, 1),
        (Action::PageUp, 3),
        (Action::Top, 1),
    ] {
        for i in 0..n {
            both_act(a, b, action, &format!("{action:?} {i}"));
        }
    }
    // Sideways, unwrapped: the widest line bounds the scroll.
    both_act(a, b, Action::ToggleWrap, "nowrap");
    for i in 0..6 {
        both_act(a, b, Action::Right, &format!("right {i}"));
    }
    both_act(a, b, Action::PageDown, "page down unwrapped");
    both_act(a, b, Action::Left, "left");
    both_act(a, b, Action::ToggleWrap, "wrap");
    for query in queries {
        both_search(a, b, query);
    }
    both_act(a, b, Action::Back, "search off");
    // A narrower pane wraps more.
    for p in [&mut *a, &mut *b] {
        p.set_viewport(W / 2, H - 2);
    }
    both_act(a, b, Action::PageDown, "page down, narrow");
    for p in [&mut *a, &mut *b] {
        p.set_viewport(W - 2, H - 2);
    }
    both_act(a, b, Action::Copy, "copy");
    both_act(a, b, Action::SaveBody, "save");
    both_act(a, b, Action::ToggleRaw, "raw");
    both_act(a, b, Action::Bottom, "raw bottom");
    both_search(a, b, "id");
    both_act(a, b, Action::ToggleRaw, "pretty again");
    both_act(a, b, Action::PageDown, "page down, pretty again");
}

/// Minified ASCII JSON past the real threshold: the fast path (a byte is
/// a column) of every step.
fn big_ascii_body() -> String {
    let mut body = String::from("[");
    let mut i = 0;
    while body.len() < PRETTY_INDEX_FROM + 4096 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":{i},"name":"user {i}","tags":["a","b"],"empty":{{}},"none":[],"nested":{{"deep":[[{i}]],"note":null}},"ok":true}}"#
        ));
        i += 1;
    }
    body.push(']');
    body
}

#[test]
fn a_big_json_body_shows_scrolls_searches_and_copies_like_a_formatted_one() {
    let body = big_ascii_body();
    assert!(body.len() > PRETTY_INDEX_FROM);
    let (mut a, mut b) = both(&body, None);
    // Across the colon's space, the indent and a line's end.
    same_everywhere(
        &mut a,
        &mut b,
        &["user 4", "\": n", "      [", "},", "nomatch"],
    );
    // The pretty text is over the copy limit: both say so, with its size.
    let cx = act(&mut a, Action::Copy);
    let pretty = format::pretty_json(&body).unwrap().text;
    let said = format!("{:?}", cx.status);
    assert!(said.contains("too big to copy"), "{said}");
    assert!(said.contains(&human_bytes(pretty.len() as u64)), "{said}");
    let saved = match act(&mut a, Action::SaveBody).effects.pop() {
        Some(Effect::WriteFile { bytes, .. }) => bytes,
        other => panic!("{other:?}"),
    };
    assert_eq!(saved, body.as_bytes(), "save writes the bytes as received");
}

/// Whitespace as sent, escapes, brackets in strings, characters drawn
/// escaped or wide, long lines that wrap: the general path.
fn awkward_body() -> String {
    let mut body = String::from(" \r\n[\n");
    for i in 0..400 {
        if i > 0 {
            body.push_str(" ,\n\t");
        }
        body.push_str(&format!(
            "{{ \"id\" : {i} ,\"s\":\"say \\\"hi\\\" [x] {{y}}, z: \\u00e9\",\"caf\u{e9}\":\"\u{65e5}\u{672c}\u{8a9e} \u{1f600}\",\
             \"rlo\":\"a\u{202e}b\u{200b}c\",\"long\":\"{}\",\"e\" : [ ] , \"o\":{{ }},\"n\":[-1.5e3,0,true,false,null]}}",
            "wrap me ".repeat(i % 30)
        ));
    }
    body.push_str("\n]\n\n");
    body
}

#[test]
fn unicode_escapes_and_whitespace_as_sent_show_like_a_formatted_body() {
    let body = awkward_body();
    let (mut a, mut b) = both(&body, Some(0));
    same_everywhere(
        &mut a,
        &mut b,
        &["\u{e9}", "say \\\"", "\": [", "  \"", "wrap me wrap"],
    );
    match act(&mut a, Action::Copy).effects.pop() {
        Some(Effect::Copy(text)) => assert_eq!(text, format::pretty_json(&body).unwrap().text),
        other => panic!("{other:?}"),
    }
}

#[test]
fn small_documents_show_alike() {
    // A long string wraps over many rows, scrolled through row by row.
    let blob = format!("{{\"blob\" : \"{}\",\"n\":1}}", "ab:cd ".repeat(2000));
    for body in [
        &blob,
        "{}",
        "[]",
        " 42 ",
        "\"text\"",
        "[[[[1]]],{\"a\":{}}]",
        "null",
    ] {
        let (mut a, mut b) = both(body, Some(0));
        same_everywhere(&mut a, &mut b, &["1", "a"]);
    }
}

#[test]
fn a_big_body_that_is_not_json_shows_raw() {
    let mut body = big_ascii_body();
    body.pop(); // the closing bracket
    let mut p = pane(W, H);
    p.set_response(response(200, "application/json", body.as_bytes()));
    assert!(!indexed(&p));
    let Phase::Done(l) = &p.phase else {
        panic!("a response is shown")
    };
    assert!(l.body.pretty.is_none() && !l.body.can_toggle_raw());
    let screen = buffer_text(&draw(&p, W, H));
    assert!(
        screen.contains("[{\"id\":0,\"name\":\"user 0\""),
        "{screen}"
    );
    assert!(screen.contains("json · raw · wrap"), "{screen}");
}

#[test]
fn a_big_body_hides_nothing_hostile() {
    // Valid JSON carries control characters only escaped (`\u001b`), but
    // may carry bidi and zero-width characters as they are.
    let mut body = String::from("[");
    while body.len() < 200_000 {
        body.push_str("\"\\u001b[31m \u{202e}evil\u{200b} \u{7f}\",");
    }
    body.push_str("0]");
    let (a, b) = both(&body, Some(0));
    same_screen(&a, &b, "the first screen");
    let buf = draw(&a, W, H);
    assert_no_control_cells(&buf);
    let screen = buffer_text(&buf);
    assert!(screen.contains("<U+202E>evil<U+200B>"), "{screen}");
}
