//! Small stateless drawing pieces shared by the panes.

pub mod safe_text;
