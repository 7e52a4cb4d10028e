//! The JavaScript libraries `require` can load: files of unmodified npm
//! releases under vendor/js/node_modules, embedded by build.rs. Resolution
//! (Node's rules) is in runtime.js; this only answers "what is in this file".

include!(concat!(env!("OUT_DIR"), "/js_modules.rs"));

/// The source of `path` (relative to node_modules, `/`-separated), if carried.
pub(super) fn source(path: &str) -> Option<&'static str> {
    MODULES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| MODULES[i].1)
}

/// Bytes of JavaScript and JSON carried, for the figures in the docs.
#[cfg(test)]
pub(super) fn total_size() -> usize {
    MODULES.iter().map(|(_, s)| s.len()).sum()
}
