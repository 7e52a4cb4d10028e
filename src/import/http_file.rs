//! `.http` / `.rest` files.
use std::path::Path;

use super::{Import, ImportError};

pub fn parse(_text: &str, _base_dir: &Path) -> Result<Import, ImportError> {
    Err(ImportError::Unsupported(
        ".http import is being written".into(),
    ))
}
