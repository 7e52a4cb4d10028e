//! The collection format as Rust types: serde only, no I/O.
//!
//! Each type mirrors one JSON file (or one object in it). Sidecar contents
//! (bodies, scripts, descriptions) are plain `String` fields marked
//! `#[serde(skip)]`: `storage` fills them from the files beside the JSON.
//! Unknown fields are kept in `extra` so a newer postie's files survive an
//! older postie's save.

mod auth;
mod body;
mod environment;
mod folder;
mod key_value;
mod oauth2;
mod request;
mod settings;
mod variables;
mod workspace;

pub use auth::{
    ApiKeyLocation, Auth, AuthWithExtra, AwsV4Auth, HawkAuth, JwtAuth, OAuth1Auth, OAuth1Location,
};
pub use body::{Body, BodyWithExtra, Part, RawKind};
pub use environment::Environment;
pub use folder::Folder;
pub use key_value::KeyValue;
pub use oauth2::{ClientAuth, OAuth2Auth, OAuth2Grant, OAuth2Param, OAuth2Params, ParamPlace};
pub use request::{Example, Request};
pub use settings::{HttpVersion, Settings, TelemetrySettings, TlsSettings, PRUNED_METHODS};
pub use variables::{Variable, Variables};
pub use workspace::{WorkspaceConfig, FORMAT_VERSION};

/// Unknown fields, kept in their original order.
pub type Extra = serde_json::Map<String, serde_json::Value>;

pub(crate) fn is_true(b: &bool) -> bool {
    *b
}

pub(crate) fn default_true() -> bool {
    true
}
