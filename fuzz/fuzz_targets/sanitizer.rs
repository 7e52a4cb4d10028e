#![no_main]
//! The text sanitizer on arbitrary bytes: `safe_text::escape`,
//! `escape_bytes` and the TUI's `safe_spans` must never let a control
//! character through (no byte < 0x20 except kept newlines/tabs, no DEL, no
//! C1 control U+0080–U+009F) nor an invisible formatting character (bidi
//! controls, zero-width characters).

use libfuzzer_sys::fuzz_target;
use postie::safe_text::{escape, escape_bytes, is_invisible_format};
use postie::tui::widgets::safe_text::safe_spans;
use ratatui::style::Style;

fn check(out: &str, keep_newlines: bool, input: &[u8]) {
    for c in out.chars() {
        let allowed_control = keep_newlines && (c == '\n' || c == '\t');
        let bad = ((c as u32) < 0x20 && !allowed_control)
            || c == '\u{7f}'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || is_invisible_format(c);
        assert!(!bad, "{c:?} got through in {out:?} from {input:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for keep in [false, true] {
        check(&escape(&text, keep), keep, data);
        check(&escape_bytes(data, keep), keep, data);
    }
    let spans = safe_spans(&text, Style::default(), Style::default());
    for span in &spans {
        check(&span.content, false, data);
    }
});
