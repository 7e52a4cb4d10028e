//! Why a template could not be resolved.

use super::template::Span;

/// A resolution failure. `span` is always a reference in the template the
/// caller passed: for a problem found inside a variable's value, it is the
/// outer reference that led there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VarError {
    /// No scope defines `name` (or, for `$env.NAME`, the process environment
    /// lacks it). `via` lists the variables whose values led to it, outermost
    /// first; empty when the template names it directly.
    #[error("undefined variable `{name}`{}", via_suffix(.via))]
    Undefined {
        name: String,
        span: Span,
        via: Vec<String>,
    },
    /// `{{$something}}` that is not a known dynamic value.
    #[error("unknown dynamic variable `{name}`{}{}", suggestion(.did_you_mean), via_suffix(.via))]
    UnknownDynamic {
        name: String,
        span: Span,
        did_you_mean: Option<&'static str>,
        via: Vec<String>,
    },
    /// A variable's value refers back to itself; `chain` ends with the
    /// repeated name, e.g. `a`, `b`, `a`.
    #[error("variable cycle: {}", quoted_chain(.chain))]
    Cycle { chain: Vec<String>, span: Span },
    /// Values nest deeper than [`MAX_DEPTH`](super::MAX_DEPTH) levels.
    #[error("variables nested more than {} deep: {}", super::MAX_DEPTH, quoted_chain(.chain))]
    TooDeep { chain: Vec<String>, span: Span },
    /// Values name other variables so many times over that the result
    /// would pass [`MAX_EXPANSIONS`](super::MAX_EXPANSIONS) references or
    /// [`MAX_RESOLVED_LEN`](super::MAX_RESOLVED_LEN) bytes.
    #[error(
        "variables expand to more than {} references or {} MiB (values that name other variables many times over)",
        super::MAX_EXPANSIONS,
        super::MAX_RESOLVED_LEN >> 20
    )]
    TooLarge { span: Span },
}

impl VarError {
    pub fn span(&self) -> Span {
        match self {
            VarError::Undefined { span, .. }
            | VarError::UnknownDynamic { span, .. }
            | VarError::Cycle { span, .. }
            | VarError::TooDeep { span, .. }
            | VarError::TooLarge { span } => *span,
        }
    }
}

fn quoted_chain(chain: &[String]) -> String {
    chain
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn via_suffix(via: &[String]) -> String {
    if via.is_empty() {
        String::new()
    } else {
        format!(" (via {})", quoted_chain(via))
    }
}

fn suggestion(did_you_mean: &Option<&'static str>) -> String {
    match did_you_mean {
        Some(name) => format!(" (did you mean `{name}`?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPAN: Span = Span { start: 0, end: 9 };

    #[test]
    fn messages() {
        let undefined = VarError::Undefined {
            name: "token".into(),
            span: SPAN,
            via: vec![],
        };
        assert_eq!(undefined.to_string(), "undefined variable `token`");

        let nested = VarError::Undefined {
            name: "token".into(),
            span: SPAN,
            via: vec!["auth".into(), "bearer".into()],
        };
        assert_eq!(
            nested.to_string(),
            "undefined variable `token` (via `auth` → `bearer`)"
        );

        let unknown = VarError::UnknownDynamic {
            name: "$guidd".into(),
            span: SPAN,
            did_you_mean: Some("$guid"),
            via: vec![],
        };
        assert_eq!(
            unknown.to_string(),
            "unknown dynamic variable `$guidd` (did you mean `$guid`?)"
        );

        let cycle = VarError::Cycle {
            chain: vec!["a".into(), "b".into(), "a".into()],
            span: SPAN,
        };
        assert_eq!(cycle.to_string(), "variable cycle: `a` → `b` → `a`");
        assert_eq!(cycle.span(), SPAN);
    }
}
