//! HAR 1.2.
use super::{Import, ImportError};

#[derive(Debug, Clone, Default)]
pub struct HarOptions {
    /// Keep only entries for this host.
    pub host: Option<String>,
    /// Drop images, stylesheets, scripts and fonts.
    pub drop_static: bool,
}

pub fn parse(_text: &str, _options: &HarOptions) -> Result<Import, ImportError> {
    Err(ImportError::Unsupported(
        "HAR import is being written".into(),
    ))
}
