//! A corpus of hostile bytes (terminal escape sequences, C1 controls,
//! invisible formatting characters, invalid UTF-8, huge lines) and a scanner
//! that says which of them reached a terminal's byte stream.
//!
//! Shared by the app's render test (`src/tui/hostile_tests.rs`, by `#[path]`)
//! and the CLI tests (`tests/hostile.rs`), so it uses nothing but `std`.
#![allow(dead_code)]

use std::collections::BTreeSet;

/// One hostile input: its name, its bytes and the content type it is
/// served with (its pretty-printer runs on it).
pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

fn case(name: &'static str, bytes: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        content_type: "text/plain",
    }
}

fn typed(name: &'static str, content_type: &'static str, bytes: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        content_type,
    }
}

/// Every hostile sequence in one string (valid UTF-8), for names, console
/// lines, header names and the like.
pub const MIXED: &str = "pwn\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]0;title\u{7}\u{1b}[2J\u{1b}[10;10H\
\u{9b}31m\u{9d}8;;x\u{9c}\u{202e}evil\u{2066}\u{200b}\u{feff}\u{ad}\u{e0001}\u{7}\u{8}\rend";

/// The cases, small ones first; `big` adds the 1 MB single line.
pub fn cases(big: bool) -> Vec<Case> {
    let mut v = vec![
        case("osc52_bel", "a\x1b]52;c;ZXZpbA==\x07b"),
        case("osc52_st", "a\x1b]52;c;ZXZpbA==\x1b\\b"),
        case("osc8_link", "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"),
        case("osc0_title", "\x1b]0;owned\x07\x1b]2;owned\x07text"),
        case("csi_cursor", "x\x1b[10;10Hy\x1b[Az\x1b[5D"),
        case("csi_clear", "before\x1b[2J\x1b[3J\x1b[Hafter"),
        case("alt_screen", "\x1b[?1049h\x1b[?25lhidden\x1b[?1049l"),
        case("dcs_apc_pm_sos", "\x1bPq#0;2;0;0;0\x1b\\\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\"),
        case("ss2_ss3_reset", "\x1bNa\x1bOb\x1bc\x1b7\x1b8"),
        case("c1_raw_bytes", b"a\x9b31mred\x9d0;t\x07\x90dcs\x9c\x85z".to_vec()),
        case("c1_utf8", "a\u{9b}31mred\u{9d}0;t\u{7}\u{90}dcs\u{9c}\u{85}z"),
        case("bel_bs", "ding\x07\x07back\x08\x08\x08XX"),
        case("cr_overwrite", "rm -rf /\rls -l    \nsafe\r\n"),
        case(
            "bidi",
            "a\u{202a}b\u{202b}c\u{202c}d\u{202d}e\u{202e}f\u{2066}g\u{2067}h\u{2068}i\u{2069}j\u{61c}",
        ),
        case(
            "zero_width",
            "a\u{200b}b\u{200c}c\u{200d}d\u{200e}e\u{200f}f\u{2060}g\u{feff}h\u{ad}i\u{180e}j\u{2028}k\u{2029}l",
        ),
        case("tag_chars", "flag\u{e0067}\u{e0062}\u{e007f} lang\u{e0001}\u{e0065}\u{e006e}end"),
        // Default-ignorable characters that draw as nothing: after a
        // letter they join its grapheme, so the terminal gets them.
        case(
            "fillers",
            "a\u{34f}b\u{115f}c\u{1160}d\u{3164}e\u{ffa0}f\u{17b4}g\u{17b5}h\u{180b}i\u{1bca0}j\u{1d173}k",
        ),
        case("invalid_utf8", b"caf\xe9 \xff\xfe \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80".to_vec()),
        case("nul", b"a\0b\0\0c".to_vec()),
        case("mixed", MIXED),
        typed(
            "json_escaped",
            "application/json",
            r#"{"\u001b]52;c;ZXZpbA==\u0007k": "\u001b[2J\u009b31m\u202e\u200b\u0000", "n": ["\u001b]0;t\u0007", "\ud800"]}"#,
        ),
        typed(
            "json_raw_controls",
            "application/json",
            b"{\"a\": \"\x1b]0;t\x07\", \"b\": \"\xc2\x9b\xe2\x80\xae\"}".to_vec(),
        ),
        typed(
            "xml",
            "application/xml",
            "<?xml version=\"1.0\"?><r a=\"\x1b[2J\"><k>\x1b]52;c;ZXZpbA==\x07</k><b>&#27;&#x9b;\u{202e}</b></r>",
        ),
        typed(
            "html",
            "text/html",
            "<html><title>\x1b]0;t\x07</title><body><p>\u{202e}\x1b[31m&#x1b;[2J</p></body></html>",
        ),
    ];
    if big {
        let mut line = b"start".to_vec();
        while line.len() < 1 << 20 {
            line.extend_from_slice(b"\x1b]52;c;QUFB\x07\xe2\x80\xae\x9b");
        }
        v.push(case("one_mb_line", line));
    }
    v
}

/// Characters a terminal must never be handed raw from untrusted text:
/// controls (tab and newline aside), C1, bidi, zero-width and format ones.
/// Listed here by hand, apart from postie's own list, so the test checks it.
pub fn forbidden_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\u{1}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1a}' | '\u{1c}'..='\u{1f}' => {
            "C0 control"
        }
        '\u{7f}' => "DEL",
        '\u{80}'..='\u{9f}' => "C1 control",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}' => "bidi control",
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' | '\u{180e}' => {
            "zero-width or format character"
        }
        '\u{2028}' | '\u{2029}' => "line or paragraph separator",
        '\u{e0000}'..='\u{e007f}' => "tag character",
        '\u{34f}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{3164}'
        | '\u{ffa0}'
        | '\u{17b4}'
        | '\u{17b5}'
        | '\u{180b}'..='\u{180d}'
        | '\u{180f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' => "invisible filler or format character",
        _ => return None,
    })
}

/// The escape sequences in `out`, by kind: a CSI by its final byte (with
/// its parameters when they are private, `?25l`), anything else by the
/// byte after ESC (`ESC ]` is an OSC).
pub fn escape_kinds(out: &[u8]) -> BTreeSet<String> {
    let mut kinds = BTreeSet::new();
    let mut i = 0;
    while i < out.len() {
        if out[i] == 0x1b {
            let (kind, len) = escape_at(&out[i..]);
            kinds.insert(kind);
            i += len;
        } else {
            i += 1;
        }
    }
    kinds
}

/// The kind and length of the escape sequence at the start of `s` (ESC).
fn escape_at(s: &[u8]) -> (String, usize) {
    match s.get(1) {
        Some(b'[') => {
            let mut j = 2;
            while j < s.len() && (0x20..0x40).contains(&s[j]) {
                j += 1;
            }
            let params = String::from_utf8_lossy(&s[2..j]).into_owned();
            let Some(&fin) = s.get(j) else {
                return ("CSI unterminated".into(), j);
            };
            let private = params.starts_with(['?', '<', '=', '>']);
            let kind = if private {
                format!("CSI {params}{}", fin as char)
            } else {
                format!("CSI {}", fin as char)
            };
            (kind, j + 1)
        }
        Some(&b) => (format!("ESC {}", (b as char).escape_default()), 2),
        None => ("ESC at end".into(), 1),
    }
}

/// What in `out` (bytes written to a terminal) could act on the terminal
/// or hide text: escape sequences of a kind not in `allowed`, invalid
/// UTF-8, controls, C1, bidi and invisible characters, a CR not ending a
/// line. Each finding names what and where.
pub fn leaks(out: &[u8], allowed: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < out.len() && found.len() < 20 {
        let b = out[i];
        if b == 0x1b {
            let (kind, len) = escape_at(&out[i..]);
            if !allowed.contains(&kind) {
                found.push(format!("{kind} at byte {i}: {}", context(out, i)));
            }
            i += len;
            continue;
        }
        if b == b'\r' && out.get(i + 1) != Some(&b'\n') {
            found.push(format!(
                "CR not ending a line at byte {i}: {}",
                context(out, i)
            ));
            i += 1;
            continue;
        }
        let rest = &out[i..out.len().min(i + 4)];
        let c = match std::str::from_utf8(rest) {
            Ok(s) => s.chars().next(),
            Err(e) if e.valid_up_to() > 0 => std::str::from_utf8(&rest[..e.valid_up_to()])
                .ok()
                .and_then(|s| s.chars().next()),
            Err(_) => None,
        };
        let Some(c) = c else {
            found.push(format!(
                "invalid UTF-8 {b:#04x} at byte {i}: {}",
                context(out, i)
            ));
            i += 1;
            continue;
        };
        if let Some(what) = forbidden_char(c) {
            found.push(format!(
                "{what} U+{:04X} at byte {i}: {}",
                c as u32,
                context(out, i)
            ));
        }
        i += c.len_utf8();
    }
    found
}

fn context(out: &[u8], i: usize) -> String {
    let from = i.saturating_sub(30);
    let to = out.len().min(i + 30);
    format!("{:?}", String::from_utf8_lossy(&out[from..to]))
}
