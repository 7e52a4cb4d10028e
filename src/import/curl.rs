//! curl command lines.
use super::{Import, ImportError};

pub fn parse_import(_text: &str) -> Result<Import, ImportError> {
    Err(ImportError::Unsupported(
        "curl import is being written".into(),
    ))
}
