//! Substituting `{{name}}` references with their values.

use std::ops::Range;
use std::time::SystemTime;

use super::dynamic::{self, Generator};
use super::error::VarError;
use super::scope::Scopes;
use super::suggest;
use super::template::{parse_template, variable_names, Piece, Span};
use super::{dynamic_names, MAX_DEPTH};

/// Prefix of `{{$env.NAME}}`, which reads the process environment.
const ENV_PREFIX: &str = "$env.";

type EnvLookup<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// Resolves templates against a set of [`Scopes`].
///
/// Randomness, the clock and the process environment are injectable so
/// tests (and reproducible runs) can pin them.
pub struct Resolver<'a> {
    scopes: &'a Scopes,
    rng: fastrand::Rng,
    /// `None` reads the system clock at each resolve.
    now: Option<SystemTime>,
    env: EnvLookup<'a>,
}

impl<'a> Resolver<'a> {
    pub fn new(scopes: &'a Scopes) -> Self {
        Resolver {
            scopes,
            rng: fastrand::Rng::new(),
            now: None,
            env: Box::new(process_env),
        }
    }

    /// Draws dynamic values from `rng` instead of a randomly seeded one.
    pub fn with_rng(mut self, rng: fastrand::Rng) -> Self {
        self.rng = rng;
        self
    }

    /// Uses `now` for `$timestamp`, `$isoTimestamp` and the `$randomDate*`
    /// values instead of the system clock.
    pub fn with_now(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Answers `{{$env.NAME}}` with `lookup("NAME")` instead of the process
    /// environment.
    pub fn with_env(mut self, lookup: impl Fn(&str) -> Option<String> + 'a) -> Self {
        self.env = Box::new(lookup);
        self
    }

    /// Substitutes every reference, or reports the first problem.
    pub fn resolve(&mut self, template: &str) -> Result<String, VarError> {
        let (output, errors) = self.resolve_collecting(template);
        match errors.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(output),
        }
    }

    /// Like [`resolve`](Self::resolve) but reports every problem in the
    /// template, in order, so the user can fix them all at once.
    pub fn resolve_all(&mut self, template: &str) -> Result<String, Vec<VarError>> {
        let (output, errors) = self.resolve_collecting(template);
        if errors.is_empty() {
            Ok(output)
        } else {
            Err(errors)
        }
    }

    /// References that would fail as undefined or unknown dynamic variables,
    /// with their spans, without generating any value. A problem inside a
    /// variable's value is reported with the missing name and the span of
    /// the outer reference. Cycles are not listed; references that only
    /// appear after substitution are not foreseen.
    pub fn unresolved(&self, template: &str) -> Vec<(String, Span)> {
        let mut expander = Expander {
            scopes: self.scopes,
            env: &*self.env,
            generator: None,
            errors: Vec::new(),
        };
        expander.expand_template(template);
        expander
            .errors
            .into_iter()
            .filter_map(|error| match error {
                VarError::Undefined { name, span, .. }
                | VarError::UnknownDynamic { name, span, .. } => Some((name, span)),
                VarError::Cycle { .. } | VarError::TooDeep { .. } => None,
            })
            .collect()
    }

    /// The output and every error, spans mapped back to `template`.
    fn resolve_collecting(&mut self, template: &str) -> (String, Vec<VarError>) {
        let now = self.now.unwrap_or_else(SystemTime::now);
        let mut expander = Expander {
            scopes: self.scopes,
            env: &*self.env,
            generator: Some(Generator {
                rng: &mut self.rng,
                now_millis: super::clock::unix_millis(now),
            }),
            errors: Vec::new(),
        };
        // Substitution can assemble a new reference out of text and values
        // (`{{` + `b` + `}}`); Postman substitutes again, and so do we. Each
        // pass's map leads its spans back to the previous pass's input.
        let mut maps: Vec<Vec<Segment>> = Vec::new();
        let mut input = template.to_string();
        loop {
            let (output, segments) = expander.expand_template(&input);
            if !expander.errors.is_empty() {
                let mut errors = expander.errors;
                for error in &mut errors {
                    set_span(error, map_back(&maps, error.span()));
                }
                return (output, errors);
            }
            maps.push(segments);
            let leftovers: Vec<(&str, Span)> = variable_names(&output).collect();
            let Some(&(_, first_span)) = leftovers.first() else {
                return (output, Vec::new());
            };
            if maps.len() >= MAX_DEPTH {
                let error = VarError::TooDeep {
                    chain: leftovers.iter().map(|(name, _)| name.to_string()).collect(),
                    span: map_back(&maps, first_span),
                };
                return (output, vec![error]);
            }
            input = output;
        }
    }
}

/// The real process environment. Names `std::env::var` may reject (or, on
/// older toolchains, panic on) are simply unset.
fn process_env(name: &str) -> Option<String> {
    if name.is_empty() || name.contains(['=', '\0']) {
        return None;
    }
    std::env::var(name).ok()
}

/// One pass of substitution over a template, collecting errors instead of
/// stopping at the first.
struct Expander<'s, 'r> {
    scopes: &'s Scopes,
    env: &'r dyn Fn(&str) -> Option<String>,
    /// `None` only checks: dynamic values are validated, not generated.
    generator: Option<Generator<'r>>,
    errors: Vec<VarError>,
}

/// Where a stretch of a pass's output came from in that pass's input.
struct Segment {
    output: Range<usize>,
    source: Source,
}

enum Source {
    /// Copied text starting at this input offset.
    Text { start: usize },
    /// The value of the reference at this span.
    Value { span: Span },
}

impl Expander<'_, '_> {
    fn expand_template(&mut self, template: &str) -> (String, Vec<Segment>) {
        let mut out = String::with_capacity(template.len());
        let mut segments = Vec::new();
        let mut input_pos = 0;
        for piece in parse_template(template) {
            let output_start = out.len();
            let source = match piece {
                Piece::Text(text) => {
                    out.push_str(text);
                    Source::Text { start: input_pos }
                }
                Piece::Var { name, span } => {
                    self.expand_reference(name, span, &mut Vec::new(), &mut out);
                    Source::Value { span }
                }
            };
            input_pos += match piece {
                Piece::Text(text) => text.len(),
                Piece::Var { span, .. } => span.end - span.start,
            };
            segments.push(Segment {
                output: output_start..out.len(),
                source,
            });
        }
        (out, segments)
    }

    /// Appends the value of `name`. `span` is the reference in the caller's
    /// template that led here; `chain` the variables being expanded.
    fn expand_reference(
        &mut self,
        name: &str,
        span: Span,
        chain: &mut Vec<String>,
        out: &mut String,
    ) {
        if chain.iter().any(|seen| seen == name) {
            let mut chain = chain.clone();
            chain.push(name.to_string());
            self.report(VarError::Cycle { chain, span });
            return;
        }
        if let Some(found) = self.scopes.lookup(name) {
            self.expand_value(name, found.value, span, chain, out);
            return;
        }
        if let Some(env_name) = name.strip_prefix(ENV_PREFIX) {
            match (self.env)(env_name) {
                Some(value) => self.expand_value(name, &value, span, chain, out),
                None => self.report(VarError::Undefined {
                    name: name.to_string(),
                    span,
                    via: chain.clone(),
                }),
            }
            return;
        }
        if name.starts_with('$') {
            let known = match &mut self.generator {
                Some(generator) => match dynamic::generate(name, generator) {
                    Some(value) => {
                        out.push_str(&value);
                        true
                    }
                    None => false,
                },
                None => dynamic::is_dynamic(name),
            };
            if !known {
                self.report(VarError::UnknownDynamic {
                    name: name.to_string(),
                    span,
                    did_you_mean: suggest::closest(name, dynamic_names()),
                    via: chain.clone(),
                });
            }
            return;
        }
        self.report(VarError::Undefined {
            name: name.to_string(),
            span,
            via: chain.clone(),
        });
    }

    /// Appends `value` (of variable `name`), itself a template.
    fn expand_value(
        &mut self,
        name: &str,
        value: &str,
        span: Span,
        chain: &mut Vec<String>,
        out: &mut String,
    ) {
        if chain.len() >= MAX_DEPTH {
            let mut chain = chain.clone();
            chain.push(name.to_string());
            self.report(VarError::TooDeep { chain, span });
            return;
        }
        chain.push(name.to_string());
        for piece in parse_template(value) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                // Inner spans mean nothing to the caller; report the outer one.
                Piece::Var { name, .. } => self.expand_reference(name, span, chain, out),
            }
        }
        chain.pop();
    }

    /// Records an error once: a value referenced twice would repeat it.
    fn report(&mut self, error: VarError) {
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
    }
}

/// Leads a span in the latest pass's input back to the original template.
/// `maps[i]` maps the output of pass `i` to its input.
fn map_back(maps: &[Vec<Segment>], span: Span) -> Span {
    maps.iter()
        .rev()
        .fold(span, |span, segments| map_span(segments, span))
}

/// Maps an output span through one pass: text maps offset by offset, and
/// anything inside a substituted value widens to that value's reference.
fn map_span(segments: &[Segment], span: Span) -> Span {
    let containing = |offset: usize| {
        segments
            .iter()
            .find(|segment| segment.output.contains(&offset))
    };
    // Spans are never empty (a reference is at least `{{x}}`), so `end - 1`
    // is the last byte inside it.
    let start = containing(span.start).map(|segment| match segment.source {
        Source::Text { start } => start + (span.start - segment.output.start),
        Source::Value { span } => span.start,
    });
    let end = containing(span.end.saturating_sub(1)).map(|segment| match segment.source {
        Source::Text { start } => start + (span.end - segment.output.start),
        Source::Value { span } => span.end,
    });
    match (start, end) {
        (Some(start), Some(end)) => Span { start, end },
        // Unreachable: the segments cover the whole output.
        _ => span,
    }
}

fn set_span(error: &mut VarError, new: Span) {
    match error {
        VarError::Undefined { span, .. }
        | VarError::UnknownDynamic { span, .. }
        | VarError::Cycle { span, .. }
        | VarError::TooDeep { span, .. } => *span = new,
    }
}
