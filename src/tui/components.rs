//! Panes: each owns its state, handles its actions and draws itself.

pub mod response;
