//! Everything that touches the workspace on disk: finding it, loading and
//! saving collections and environments, the local state folder.
//!
//! The format is described in `docs/format.md`.

pub mod atomic;
pub mod env_changes;
mod error;
pub mod init;
pub mod layout;
pub mod load;
pub mod ops;
mod parse;
pub mod save;
pub mod state;
pub mod workspace;

pub use error::StorageError;
pub use parse::parse_json;
pub use workspace::{
    find_root, load_request_context, load_request_context_checked, load_workspace,
    load_workspace_progressive, normalize_request_path, FolderNode, Item, RequestContext,
    RequestNode, Workspace,
};

#[cfg(test)]
mod tests;
