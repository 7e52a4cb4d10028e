//! Terminal setup and teardown, and a panic hook that restores the
//! terminal before the panic message is printed.

use std::io::{stdout, Write};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};

use super::event_loop::Term;

pub fn enter(term: &mut Term) -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        term.backend_mut(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    Ok(())
}

pub fn leave(term: &mut Term) -> std::io::Result<()> {
    restore();
    term.show_cursor()
}

/// Best effort, callable from the panic hook: no terminal handle needed.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
}

pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        default(info);
    }));
}
