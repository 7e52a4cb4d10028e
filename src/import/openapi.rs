//! OpenAPI 3.0/3.1 and Swagger 2.0.
use super::{Import, ImportError};

pub fn parse(_text: &str) -> Result<Import, ImportError> {
    Err(ImportError::Unsupported(
        "OpenAPI import is being written".into(),
    ))
}
