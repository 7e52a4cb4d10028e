use std::path::{Path, PathBuf};

use clap::Args;

use super::Failure;

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
    let dir = cwd.join(&args.dir);
    let created = crate::storage::init::init_workspace(&dir, args.name.as_deref())?;
    println!("Made a postie workspace in {}:", dir.display());
    for f in created {
        println!("  {f}");
    }
    println!("\nNext: `postie echo` in another terminal, then `postie send example/hello -i`.");
    Ok(())
}
