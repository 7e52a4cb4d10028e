//! ANSI colours as newman's `colors` package writes them, or nothing at
//! all when colour is off.

#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

/// An open and a close sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tone(&'static str, &'static str);

pub const PLAIN: Tone = Tone("", "");
pub const GRAY: Tone = Tone("\x1b[90m", "\x1b[39m");
pub const GREEN: Tone = Tone("\x1b[32m", "\x1b[39m");
pub const RED: Tone = Tone("\x1b[31m", "\x1b[39m");
pub const RED_BOLD: Tone = Tone("\x1b[1m\x1b[31m", "\x1b[39m\x1b[22m");
pub const RED_UNDERLINE: Tone = Tone("\x1b[4m\x1b[31m", "\x1b[39m\x1b[24m");
pub const GRAY_UNDERLINE: Tone = Tone("\x1b[4m\x1b[90m", "\x1b[39m\x1b[24m");
pub const CYAN: Tone = Tone("\x1b[36m", "\x1b[39m");
pub const YELLOW: Tone = Tone("\x1b[33m", "\x1b[39m");
pub const BLUE: Tone = Tone("\x1b[34m", "\x1b[39m");
pub const WHITE: Tone = Tone("\x1b[37m", "\x1b[39m");

impl Paint {
    pub fn paint(self, tone: Tone, text: &str) -> String {
        if !self.on || tone == PLAIN || text.is_empty() {
            return text.to_string();
        }
        format!("{}{text}{}", tone.0, tone.1)
    }
}
