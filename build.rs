//! Embeds the vendored JavaScript libraries (vendor/js/node_modules, see
//! scripts/fetch-js-libs) as a sorted table of (path, source) that the
//! script engine's `require` reads. Only .js and .json files go in: licence
//! files stay in the repository, not the binary.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let modules = root.join("vendor/js/node_modules");
    println!("cargo:rerun-if-changed=vendor/js/node_modules");
    let mut files = Vec::new();
    collect(&modules, &modules, &mut files);
    files.sort();
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("js_modules.rs");
    let mut f = fs::File::create(out).expect("OUT_DIR is writable");
    writeln!(f, "static MODULES: &[(&str, &str)] = &[").expect("write");
    for (rel, abs) in files {
        writeln!(f, "    ({rel:?}, include_str!({abs:?})),").expect("write");
    }
    writeln!(f, "];").expect("write");
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("js" | "json")
        ) {
            let rel = path.strip_prefix(base).expect("under base");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path.display().to_string()));
        }
    }
}
