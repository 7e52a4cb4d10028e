//! `postie new collection NAME`, `postie new request PATH`.

use std::path::Path;

use clap::{Args, Subcommand};

use crate::safe_text::escape;
use crate::storage::{find_root, init};

use super::Failure;

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewCommand,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Make a collection: a top-level directory with collection.json
    Collection {
        /// Its name; the directory is the name's slug (`Users API` makes users-api/)
        name: String,
    },
    /// Make a request; its collection must exist, folders below it are made
    Request {
        /// Its path in the workspace, e.g. `users/get-user` or `users/admin/list`
        path: String,
        /// HTTP method
        #[arg(short = 'X', long, default_value = "GET")]
        method: String,
        /// URL (may use {{variables}})
        #[arg(long, default_value = "{{base_url}}/")]
        url: String,
    },
}

pub fn run(args: NewArgs, cwd: &Path) -> Result<(), Failure> {
    let root = find_root(cwd)?;
    match args.what {
        NewCommand::Collection { name } => {
            let path = init::create_collection(&root, &name)?;
            let name = name.trim();
            if path == name {
                println!("Made collection {}:", escape(&path, false));
            } else {
                println!(
                    "Made collection {} ({}):",
                    escape(&path, false),
                    escape(name, false)
                );
            }
            println!("  {}/collection.json", escape(&path, false));
            println!(
                "\nNext: `postie new request {}/NAME`.",
                escape(&path, false)
            );
        }
        NewCommand::Request { path, method, url } => {
            let created = init::create_request(&root, &path, &method, &url)?;
            let path = path.trim().trim_matches('/').trim_end_matches(".json");
            println!("Made {}:", escape(path, false));
            for f in created {
                println!("  {}", escape(&f, false));
            }
        }
    }
    Ok(())
}
