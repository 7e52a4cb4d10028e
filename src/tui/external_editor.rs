//! Suspending the app to edit text in `$EDITOR`, then resuming cleanly.

use std::io::Write;
use std::path::Path;

use super::event_loop::Term;
use super::terminal;

/// Writes `text` to a temp file, runs `$VISUAL`/`$EDITOR` (default `vi`) on
/// it with the terminal restored, and returns the edited text.
pub fn edit(term: &mut Term, text: &str, extension: &str) -> Result<String, String> {
    let dir = std::env::temp_dir();
    let path = dir.join(format!(
        "postie-{}-{:08x}.{extension}",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("could not write a temp file: {e}"))?;
    let result = run_editor(term, &path).and_then(|()| {
        std::fs::read_to_string(&path).map_err(|e| format!("could not read back the edit: {e}"))
    });
    let _ = std::fs::remove_file(&path);
    result
}

/// Runs `$VISUAL`/`$EDITOR` on one workspace file (one that could not be
/// read, to fix it); the caller reloads the workspace afterwards.
pub fn edit_file(term: &mut Term, path: &Path) -> Result<(), String> {
    run_editor(term, path)
}

/// Runs `$VISUAL`/`$EDITOR` on the workspace's folder (`root`), with the
/// terminal restored; the caller reloads the workspace afterwards.
pub fn edit_dir(term: &mut Term, root: &Path) -> Result<(), String> {
    run_editor(term, root)
}

/// Gives the terminal to `$VISUAL`/`$EDITOR` (default `vi`) on `path` and
/// takes it back, whatever the editor did.
fn run_editor(term: &mut Term, path: &Path) -> Result<(), String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let _ = terminal::leave(term);
    // `$EDITOR` may carry arguments (`code --wait`).
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi").to_string();
    let status = std::process::Command::new(&program)
        .args(parts)
        .arg(path)
        .status();
    let _ = terminal::enter(term);
    let _ = term.clear();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!(
            "{program} exited with {s}; the edit was not applied"
        )),
        Err(e) => Err(format!("could not run {program}: {e} (set $EDITOR)")),
    }
}
