//! Which files would be committed: git's list (tracked and untracked, less
//! what git ignores) when the workspace is in a repository, else a walk of
//! the tree; and, for a pre-commit hook, the staged content itself.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::CheckError;

/// Directories never committed whatever git says: postie's state folder
/// (secrets, tokens, history) and, for the walk without git, the usual
/// build and dependency folders.
const STATE_DIR: &str = crate::storage::layout::STATE_DIR;
const NOT_WALKED: &[&str] = &[STATE_DIR, ".git", "target", "node_modules"];

/// Whether a path (relative, `/`-separated) is in the state folder.
pub fn in_state_dir(rel: &str) -> bool {
    rel.split('/').any(|part| part == STATE_DIR)
}

/// Runs git in `dir`; `None` when git is not installed or `dir` is not in
/// a repository (the caller walks instead).
fn git(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

fn split_z(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// Files under `dir` (relative to it, `/`-separated) that a commit would
/// take, and whether git said so (else the tree was walked).
pub fn committed(dir: &Path) -> Result<(Vec<String>, bool), CheckError> {
    if let Some(out) = git(dir, &["ls-files", "-z", "-co", "--exclude-standard"]) {
        let files = split_z(&out).filter(|f| !in_state_dir(f)).collect();
        return Ok((files, true));
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    Ok((files, false))
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), CheckError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CheckError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| CheckError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        // Symbolic links are not followed: no loops, nothing outside.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !NOT_WALKED.contains(&name.as_str()) {
                walk(&entry.path(), &format!("{rel}/"), out)?;
            }
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

/// The staged content of the files a commit in `dir`'s repository would
/// add or change under `dir`, as (path relative to `dir`, bytes).
pub fn staged(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, CheckError> {
    let changed = git(
        dir,
        &[
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
            "--relative",
        ],
    )
    .ok_or(CheckError::NoRepository)?;
    let changed: std::collections::HashSet<String> =
        split_z(&changed).filter(|f| !in_state_dir(f)).collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    // `<mode> <blob> <stage>\t<path>`: the blob ids, read in one
    // `cat-file --batch` rather than a `git show` per file.
    let index = git(dir, &["ls-files", "-s", "-z"]).ok_or(CheckError::NoRepository)?;
    let mut wanted: Vec<(String, String)> = Vec::new();
    for entry in split_z(&index) {
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (Some(mode), Some(blob)) = (parts.next(), parts.next()) else {
            continue;
        };
        // Regular files only: not symbolic links (120000) or submodules.
        if mode.starts_with("100") && changed.contains(path) {
            wanted.push((path.to_string(), blob.to_string()));
        }
    }
    let contents = cat_blobs(dir, wanted.iter().map(|(_, b)| b.as_str()))?;
    Ok(wanted.into_iter().map(|(p, _)| p).zip(contents).collect())
}

/// The contents of `blobs`, in order, from one `git cat-file --batch`.
fn cat_blobs<'a>(
    dir: &Path,
    blobs: impl Iterator<Item = &'a str>,
) -> Result<Vec<Vec<u8>>, CheckError> {
    let request: String = blobs.map(|b| format!("{b}\n")).collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| CheckError::Git(format!("starting git cat-file: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| CheckError::Git("no stdin for git cat-file".into()))?;
    // Written from another thread: git answers while it reads, and a full
    // pipe on both sides would stall.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_end(&mut out)
            .map_err(|e| CheckError::Git(format!("reading git cat-file: {e}")))?;
    }
    let _ = writer.join();
    let _ = child.wait();
    parse_batch(&out)
}

/// `<oid> <type> <size>\n<content>\n`, repeated.
fn parse_batch(mut out: &[u8]) -> Result<Vec<Vec<u8>>, CheckError> {
    let bad = || CheckError::Git("unexpected output from git cat-file".into());
    let mut contents = Vec::new();
    while !out.is_empty() {
        let nl = memchr::memchr(b'\n', out).ok_or_else(bad)?;
        let header = String::from_utf8_lossy(&out[..nl]).into_owned();
        out = &out[nl + 1..];
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        if header.ends_with(" missing") || out.len() < size {
            return Err(bad());
        }
        contents.push(out[..size].to_vec());
        out = out.get(size + 1..).unwrap_or_default();
    }
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_output_is_split_by_size_not_by_lines() {
        let out = b"aaa blob 5\nab\ncd\nbbb blob 0\n\nccc blob 2\nxy\n";
        let got = parse_batch(out).unwrap();
        assert_eq!(got, vec![b"ab\ncd".to_vec(), Vec::new(), b"xy".to_vec()]);
        assert!(parse_batch(b"aaa blob 50\nshort\n").is_err());
        assert!(parse_batch(b"aaa missing\n").is_err());
    }

    #[test]
    fn the_state_folder_is_never_listed() {
        assert!(in_state_dir(".postie/secrets/local.json"));
        assert!(in_state_dir("sub/.postie/x"));
        assert!(!in_state_dir("postie.json"));
        assert!(!in_state_dir("a/.postie-check-allow"));
    }
}
