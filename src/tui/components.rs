//! The panes.

pub mod editor;
