//! The core has no UI types: only `src/tui/` may name ratatui or crossterm,
//! so the CLI, the TUI and the tests share one core.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_tui_names_terminal_ui_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20);
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("tui/") || rel == "tui.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for forbidden in ["ratatui", "crossterm", "tui_textarea"] {
            assert!(
                !text.contains(&format!("{forbidden}::"))
                    && !text.contains(&format!("use {forbidden}")),
                "{rel} names {forbidden}"
            );
        }
    }
}

#[test]
fn core_modules_never_print() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for module in ["model", "storage", "vars", "http", "prepare", "check"] {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        files.push(src.join(format!("{module}.rs")));
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for call in ["println!", "eprintln!", "print!(", "eprint!("] {
                assert!(!text.contains(call), "{} calls {call}", f.display());
            }
        }
    }
}

/// Benchmarks and tests drive tmux on a server of their own (`tmux -L`),
/// so they never end the user's sessions or the terminal they run in.
#[test]
fn tmux_is_only_driven_on_a_private_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("tests"), &mut files);
    for dir in ["benches", ".ci", "examples"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            files.extend(rd.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    let mut checked = 0;
    for f in files {
        if f.ends_with("architecture.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let shell = f.extension().is_some_and(|x| x == "sh") || f.ends_with("run");
        for (i, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("").trim();
            let at = format!("{}:{}", f.display(), i + 1);
            if shell {
                // A tmux command line (not `command -v tmux`, not an install).
                let words: Vec<&str> = code.split_whitespace().collect();
                for (j, w) in words.iter().enumerate() {
                    let prev = j.checked_sub(1).map(|k| words[k]);
                    let is_cmd = (*w == "tmux" || w.ends_with("(tmux") || *w == "$(tmux")
                        && !matches!(prev, Some("-v") | Some("install") | Some("-qq"));
                    if is_cmd {
                        checked += 1;
                        assert!(
                            words.get(j + 1) == Some(&"-L"),
                            "{at}: tmux without -L (a private server)"
                        );
                    }
                }
            } else if code.contains("Command::new(\"tmux\")") && !code.contains("\"-V\"") {
                checked += 1;
                let next: String = text.lines().skip(i).take(4).collect();
                assert!(
                    next.contains("\"-L\""),
                    "{at}: tmux without -L (a private server)"
                );
            }
            // Ending a whole server ends the user's sessions too.
            let kill_all = ["kill", "server"].join("-");
            assert!(!code.contains(&kill_all), "{at}: {kill_all}");
        }
    }
    assert!(checked >= 2, "found no tmux use to check");
}

/// Every send goes through the pipeline: outside `src/http/`, only
/// `src/pipeline.rs` may start the executor or hand it a request, so
/// scripts, auth and the exchange record can't be skipped.
#[test]
fn only_the_pipeline_drives_the_executor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut offenders = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("http/") || rel == "http.rs" || rel == "pipeline.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // `prepare(` is the step the pipeline owns; `pipeline::resolve` is
        // the way to see a request without sending it.
        for forbidden in [
            "spawn_executor(",
            "Command::Send {",
            "Client::spawn(",
            "prepare::prepare(",
            "use crate::prepare::{prepare",
        ] {
            if text.contains(forbidden) {
                offenders.push(format!("{rel} uses {forbidden}"));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
