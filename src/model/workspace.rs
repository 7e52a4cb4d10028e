use serde::{Deserialize, Serialize};

use super::{Extra, Settings, TelemetrySettings, TlsSettings};

/// The format this postie reads and writes. A workspace with a higher
/// number was written by a newer postie and is refused, not half-read.
pub const FORMAT_VERSION: u32 = 1;

/// `postie.json`, the marker at the workspace root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceConfig {
    pub format: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The environment used when none is chosen and none is remembered
    /// (see `storage::state::choose_environment`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_environment: Option<String>,
    /// Defaults for every request in the workspace.
    #[serde(default, skip_serializing_if = "Settings::is_empty")]
    pub settings: Settings,
    #[serde(default, skip_serializing_if = "TlsSettings::is_empty")]
    pub tls: TlsSettings,
    #[serde(default, skip_serializing_if = "TelemetrySettings::is_empty")]
    pub telemetry: TelemetrySettings,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for WorkspaceConfig {
    fn default() -> Self {
        WorkspaceConfig {
            format: FORMAT_VERSION,
            name: None,
            default_environment: None,
            settings: Settings::default(),
            tls: TlsSettings::default(),
            telemetry: TelemetrySettings::default(),
            extra: Extra::new(),
        }
    }
}
