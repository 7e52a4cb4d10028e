//! Small stateless drawing pieces shared by the panes.

pub mod cursor;
pub mod kv_table;
pub mod line_input;
pub mod list_row;
pub mod safe_text;
