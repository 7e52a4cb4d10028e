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
    for module in ["model", "storage", "vars", "http", "prepare"] {
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
