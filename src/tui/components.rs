//! The panes and overlays, each a [`Component`](super::component::Component)
//! with its own state, keys and render.

pub mod dialog;
pub mod editor;
pub mod envs;
pub mod help;
pub mod history;
pub mod oauth_prompt;
pub mod palette;
pub mod response;
pub mod runner;
pub mod tree;
