use std::path::{Component, Path, PathBuf};

use clap::Args;

use crate::storage::layout::WORKSPACE_FILE;
use crate::storage::StorageError;

use super::{exit, Failure};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to make the workspace in (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Workspace name shown in the app (default: none)
    #[arg(long)]
    pub name: Option<String>,
}

pub fn run(args: InitArgs, cwd: &Path) -> Result<(), Failure> {
    // `./.` would be shown as is, and create_dir_all fails on `new/.`.
    let dir = clean_dir(&cwd.join(&args.dir));
    let shown = dir.display().to_string();
    let created = match crate::storage::init::init_workspace(&dir, args.name.as_deref()) {
        Ok(c) => c,
        Err(StorageError::Exists(p)) if p.ends_with(WORKSPACE_FILE) => {
            return Err(Failure::new(
                exit::INPUT,
                format!(
                    "{shown} is already a postie workspace (it has {WORKSPACE_FILE}); \
                     `postie new collection NAME` adds a collection to it"
                ),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    println!("Made a postie workspace in {shown}:");
    for f in created {
        println!("  {f}");
    }
    println!("\nNext: `postie echo` in another terminal, then `postie send example/hello -i`.");
    Ok(())
}

/// The directory as the user would write it: `.` rather than `./.`,
/// `api` rather than `./api/`.
pub fn clean_dir(dir: &Path) -> PathBuf {
    let clean: PathBuf = dir
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if clean.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_shown_as_typed_without_dots() {
        let shown = |p: &Path| clean_dir(p).display().to_string();
        assert_eq!(shown(&Path::new(".").join(".")), ".");
        assert_eq!(shown(&Path::new(".").join("./api/")), "api");
        assert_eq!(shown(&Path::new("ws").join(".")), "ws");
        assert_eq!(shown(Path::new("/tmp/x/.")), "/tmp/x");
    }
}
