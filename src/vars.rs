//! `{{variable}}` templates: parsing, scopes, Postman's dynamic values and
//! resolution.
//!
//! - [`parse_template`] splits a string into text and `{{name}}` references;
//!   it never fails (malformed references are text).
//! - [`Scopes`] holds the variable layers (collection < folder < environment
//!   < local < CLI) and answers where a value comes from.
//! - [`Resolver`] substitutes references: values are themselves templates
//!   (resolved recursively, up to [`MAX_DEPTH`] levels), `{{$guid}}` and the
//!   other [`dynamic_names`] generate a fresh value per occurrence, and
//!   `{{$env.NAME}}` reads the process environment variable `NAME`.
//!   A name defined in a scope wins over a dynamic or `$env.` one.
//!
//! Postman compatibility: Postman leaves an undefined `{{name}}` in the
//! request literally and sends it. postie makes it an error on purpose
//! ([`VarError::Undefined`], with the position of the reference), so a typo
//! never reaches a server. Like Postman, text that only becomes a reference
//! after substitution (`{{{{a}}}}` with `a` = `b` gives `{{b}}`) is
//! substituted again, so a successful resolve never returns a `{{name}}`.

mod clock;
mod dynamic;
mod error;
mod resolve;
mod scope;
mod suggest;
mod template;
mod words;

pub use dynamic::dynamic_names;
pub use error::VarError;
pub use resolve::Resolver;
pub use scope::{Found, ScopeKind, Scopes};
pub use template::{parse_template, variable_names, Piece, Span};

/// How many variables may nest inside each other's values (and how many
/// times substitution output may be substituted again) before resolution
/// gives up with [`VarError::TooDeep`].
pub const MAX_DEPTH: usize = 10;

/// How many references one resolution may expand, and how many bytes its
/// substitution passes may write in all, before it gives up with
/// [`VarError::TooLarge`]: ten values that each name the next ten times over
/// are 10^10 expansions (a "billion laughs"), which would hang the app or
/// exhaust memory. A hundred thousand references is far beyond any request
/// written by hand or generated, and expands in milliseconds, so the app's
/// live checks stay within a frame even on hostile variables.
pub const MAX_EXPANSIONS: usize = 100_000;
pub const MAX_RESOLVED_LEN: usize = 64 * 1024 * 1024;
