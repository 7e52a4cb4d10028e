//! The terminal app. Everything that names ratatui or crossterm lives
//! under here; it drives the core (storage, prepare, http) through messages
//! and effects.

pub mod action;
pub mod app;
pub mod component;
pub mod components;
pub mod effect;
pub mod event_loop;
mod external_editor;
pub mod fuzzy;
pub mod highlight;
#[cfg(test)]
mod hostile_tests;
pub mod io;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod terminal;
#[cfg(test)]
mod test_util;
pub mod theme;
pub mod view;
pub mod widgets;

use std::path::Path;

use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// The user's config folder (`$XDG_CONFIG_HOME/postie`, `~/.config/postie`).
pub fn config_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "postie").map(|d| d.config_dir().to_path_buf())
}

/// Builds the app for the workspace at `root` with the user's keymap and
/// theme; problems with those files are shown in the status line.
pub fn build_app(root: &Path, environment: Option<String>) -> app::App {
    let dir = config_dir();
    let (keymap, kerr) = keymap::load_user_keymap(dir.as_deref());
    let (theme, terr) = theme::load_user_theme(dir.as_deref());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let truecolor = theme::terminal_has_truecolor();
    let theme = theme.for_terminal(truecolor, no_color);
    let mut app = app::App::new(root.to_path_buf(), keymap, theme, environment);
    app.truecolor = truecolor;
    // The first load chooses the environment with this (startup I/O, like
    // the keymap); a broken state file is only a warning.
    let serr = match crate::storage::state::load_remembered(root) {
        Ok(r) => {
            app.remembered_environment = r;
            None
        }
        Err(e) => Some(crate::storage::state::EnvWarning::StateUnreadable(e).to_string()),
    };
    let errors: Vec<String> = [
        kerr.map(|e| e.to_string()),
        terr.map(|e| e.to_string()),
        serr,
    ]
    .into_iter()
    .flatten()
    .collect();
    if !errors.is_empty() {
        app.status = Some(component::Status {
            text: format!("{} (using defaults)", errors.join("; ")),
            is_error: true,
        });
    }
    app
}

/// Opens the full-screen app on the workspace at `root`.
pub fn run(root: &Path, environment: Option<String>) -> anyhow::Result<()> {
    let app = build_app(root, environment);
    terminal::install_panic_hook();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    terminal::enter(&mut term)?;
    let result = rt.block_on(event_loop::run(&mut term, app));
    let _ = terminal::leave(&mut term);
    result
}
