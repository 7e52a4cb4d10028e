use serde::{Deserialize, Serialize};

use super::{Extra, Variables};

/// `environments/<name>.json`. Secret variables carry no value here: theirs
/// live in `.postie/secrets/<name>.json` or in `POSTIE_VAR_<name>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    #[serde(default)]
    pub variables: Variables,
    #[serde(flatten)]
    pub extra: Extra,
}
