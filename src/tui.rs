//! The terminal app. Everything that names ratatui or crossterm lives
//! under here; it drives the core (storage, prepare, http) through messages
//! and effects.

pub mod action;
pub mod component;
pub mod components;
pub mod effect;
pub mod highlight;
pub mod keymap;
pub mod theme;
pub mod widgets;
