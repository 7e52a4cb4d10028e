//! Postman Collection v2.0/v2.1, environment and globals files.
use super::{Import, ImportError};

pub fn parse_collection(_text: &str) -> Result<Import, ImportError> {
    Err(ImportError::Unsupported(
        "Postman import is being written".into(),
    ))
}

pub fn parse_environment(_text: &str) -> Result<Import, ImportError> {
    Err(ImportError::Unsupported(
        "Postman environment import is being written".into(),
    ))
}
