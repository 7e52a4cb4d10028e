//! Everything that touches the workspace on disk: finding it, loading and
//! saving collections and environments, the local state folder.

pub mod atomic;
