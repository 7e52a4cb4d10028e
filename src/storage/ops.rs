//! Moving, renaming, duplicating and deleting requests with their sidecars.

use std::fs;
use std::path::Path;

use super::layout::{self, classify, FileKind};
use super::load;
use super::StorageError;

/// File names of `stem`'s sidecars in `dir` (not the request file itself).
pub fn sidecar_names(dir: &Path, stem: &str) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            match classify(&name) {
                FileKind::Sidecar { stem: s, .. } if s == stem => Some(name),
                _ => None,
            }
        })
        .collect();
    out.sort();
    out
}

fn renamed(file_name: &str, from_stem: &str, to_stem: &str) -> String {
    // Sidecar names all start with "<stem>." so swapping the prefix is exact.
    format!("{to_stem}{}", &file_name[from_stem.len()..])
}

fn check_target(from_dir: &Path, from: &str, to_dir: &Path, to: &str) -> Result<(), StorageError> {
    if layout::is_reserved_stem(to) || to.contains(['/', '\\']) {
        return Err(StorageError::BadName(to.to_string()));
    }
    let src = from_dir.join(format!("{from}.json"));
    if !src.is_file() {
        return Err(StorageError::io(
            &src,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such request file"),
        ));
    }
    let mut targets = vec![format!("{to}.json")];
    targets.extend(
        sidecar_names(from_dir, from)
            .iter()
            .map(|n| renamed(n, from, to)),
    );
    for t in targets {
        let p = to_dir.join(&t);
        if p.exists() && !(from_dir == to_dir && from == to) {
            return Err(StorageError::Exists(p));
        }
    }
    Ok(())
}

/// Moves (or renames) a request and every sidecar. Nothing is overwritten:
/// if any target exists, nothing moves.
pub fn move_request(
    from_dir: &Path,
    from: &str,
    to_dir: &Path,
    to: &str,
) -> Result<(), StorageError> {
    if from_dir == to_dir && from == to {
        return Ok(());
    }
    check_target(from_dir, from, to_dir, to)?;
    fs::create_dir_all(to_dir).map_err(|e| StorageError::io(to_dir, e))?;
    for name in sidecar_names(from_dir, from) {
        let dst = to_dir.join(renamed(&name, from, to));
        fs::rename(from_dir.join(&name), &dst).map_err(|e| StorageError::io(dst, e))?;
    }
    let dst = to_dir.join(format!("{to}.json"));
    fs::rename(from_dir.join(format!("{from}.json")), &dst)
        .map_err(|e| StorageError::io(dst, e))?;
    rename_in_order(
        from_dir,
        from,
        if from_dir == to_dir { Some(to) } else { None },
    )?;
    Ok(())
}

/// Copies a request and its sidecars to a new stem in the same directory.
pub fn duplicate_request(dir: &Path, from: &str, to: &str) -> Result<(), StorageError> {
    check_target(dir, from, dir, to)?;
    for name in sidecar_names(dir, from) {
        let dst = dir.join(renamed(&name, from, to));
        fs::copy(dir.join(&name), &dst).map_err(|e| StorageError::io(dst, e))?;
    }
    let dst = dir.join(format!("{to}.json"));
    fs::copy(dir.join(format!("{from}.json")), &dst).map_err(|e| StorageError::io(dst, e))?;
    Ok(())
}

/// Deletes a request and its sidecars.
pub fn delete_request(dir: &Path, stem: &str) -> Result<(), StorageError> {
    for name in sidecar_names(dir, stem) {
        let p = dir.join(&name);
        fs::remove_file(&p).map_err(|e| StorageError::io(p, e))?;
    }
    let p = dir.join(format!("{stem}.json"));
    fs::remove_file(&p).map_err(|e| StorageError::io(p, e))?;
    rename_in_order(dir, stem, None)?;
    Ok(())
}

/// Keeps a directory's `order` list true after a rename (Some) or removal.
fn rename_in_order(dir: &Path, from: &str, to: Option<&str>) -> Result<(), StorageError> {
    for (file, is_collection) in [
        (layout::COLLECTION_FILE, true),
        (layout::FOLDER_FILE, false),
    ] {
        if !dir.join(file).is_file() {
            continue;
        }
        // The root here is only used to shorten paths in messages.
        let root = dir;
        let mut folder = load::load_folder(root, dir, is_collection)?;
        let Some(i) = folder.order.iter().position(|n| n == from) else {
            return Ok(());
        };
        match to {
            Some(t) => folder.order[i] = t.to_string(),
            None => {
                folder.order.remove(i);
            }
        }
        super::save::save_folder(root, dir, is_collection, &folder)?;
    }
    Ok(())
}
