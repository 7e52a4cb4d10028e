//! The panes and overlays, each a [`Component`](super::component::Component)
//! with its own state, keys and render.

pub mod tree;
