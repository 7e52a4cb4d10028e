//! Iteration data files (`-d`): JSON or CSV, parsed as newman parses them.
//!
//! newman tries JSON first and falls back to CSV (csv-parse 4 with
//! `columns`, `escape: '"'`, `trim`, `relax`, `relax_column_count`, `bom`
//! and its own cast):
//!
//! - JSON: a list of objects is one iteration per object; any other value
//!   newman accepts (an object, a number, a string, `true`) is one
//!   iteration without data, and `null`, `false`, `0` and `""` are read as
//!   CSV. Unlike newman, text that starts with `[` or `{` but is not valid
//!   JSON is an error with its position, not CSV.
//! - CSV: the first record names the columns. Fields are separated by
//!   commas; a field in double quotes may hold commas, newlines and `""`
//!   for a quote; spaces and tabs around a field are dropped; a quote
//!   inside an unquoted field is kept as it is. Records end at the first
//!   kind of line break the file uses (CRLF, LF or CR). A short row leaves
//!   the missing columns out, a long row's extra fields are dropped, an
//!   empty line is a row whose first column is `""`. Unquoted fields that
//!   read as numbers become numbers (`7890`, `-1.5`, `1e3`), quoted ones
//!   stay text (`"00123"`), as newman's cast does; a column named by an
//!   unquoted number is an error, as in newman.

use serde_json::{Map, Value};

use crate::import::text::decode_input;

pub type Row = Map<String, Value>;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{file}: line {line}, column {column}: not valid JSON: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: line {line}: a quoted CSV field is never closed")]
    UnclosedQuote { file: String, line: usize },
    #[error("{file}: line {line}: text after the closing quote of a CSV field (write a quote inside a quoted field as \"\")")]
    TextAfterQuote { file: String, line: usize },
    #[error("{file}: line {line}: CSV column {column} is named by the number {name}; newman refuses numeric column names, so quote it: \"{name}\"")]
    NumericColumn {
        file: String,
        line: usize,
        column: usize,
        name: String,
    },
}

/// The iterations' data in `bytes` (UTF-8 with or without a BOM, or
/// UTF-16); `file_name` only names the file in errors.
pub fn parse(bytes: &[u8], file_name: &str) -> Result<Vec<Row>, DataError> {
    let text = decode_input(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let trimmed = text.trim_matches(js_space);
    let json = serde_json::from_str::<Value>(text).or_else(|first| {
        // JavaScript's trim also drops spaces JSON does not allow.
        serde_json::from_str::<Value>(trimmed).map_err(|_| first)
    });
    match json {
        Ok(Value::Array(list)) => Ok(list
            .into_iter()
            .map(|v| match v {
                Value::Object(m) => m,
                _ => Row::new(),
            })
            .collect()),
        Ok(v) if truthy(&v) => Ok(vec![Row::new()]),
        Ok(_) => parse_csv(text, file_name),
        Err(e) if trimmed.starts_with(['[', '{']) => Err(DataError::Json {
            file: file_name.to_string(),
            line: e.line(),
            column: e.column(),
            message: without_position(&e.to_string()),
        }),
        Err(_) => parse_csv(text, file_name),
    }
}

/// A field's text and whether it was quoted.
type Field = (String, bool);

fn parse_csv(text: &str, file: &str) -> Result<Vec<Row>, DataError> {
    let chars: Vec<char> = text.chars().collect();
    let mut p = Csv {
        file,
        header: None,
        rows: Vec::new(),
        record: Vec::new(),
        record_line: 1,
    };
    // The record delimiter is the first line break seen outside quotes.
    let mut delimiter: Option<&'static [char]> = None;
    let discover = |at: usize, delimiter: &mut Option<&'static [char]>| -> bool {
        let found: &'static [char] = match (chars.get(at), chars.get(at + 1)) {
            (Some('\r'), Some('\n')) => &['\r', '\n'],
            (Some('\r'), _) => &['\r'],
            (Some('\n'), _) => &['\n'],
            _ => return false,
        };
        *delimiter = Some(found);
        true
    };
    let ends_record = |at: usize, delimiter: Option<&'static [char]>| -> usize {
        match delimiter {
            Some(d) if chars[at..].starts_with(d) => d.len(),
            _ => 0,
        }
    };
    let mut field = String::new();
    let (mut quoting, mut was_quoting) = (false, false);
    let (mut line, mut quote_line) = (1, 1);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !quoting && delimiter.is_none() {
            discover(i, &mut delimiter);
        }
        if c == '"' {
            if quoting {
                // `""` inside quotes is one quote.
                if chars.get(i + 1) == Some(&'"') {
                    field.push('"');
                    i += 2;
                    continue;
                }
                let next = chars.get(i + 1).copied();
                let closes = match next {
                    None | Some(',') => true,
                    Some(n) if trimmable(n) => true,
                    Some(_) => match delimiter {
                        None => discover(i + 1, &mut delimiter),
                        Some(d) => chars[i + 1..].starts_with(d),
                    },
                };
                if !closes {
                    return Err(DataError::TextAfterQuote {
                        file: file.to_string(),
                        line,
                    });
                }
                quoting = false;
                was_quoting = true;
                i += 1;
                continue;
            }
            if field.is_empty() {
                quoting = true;
                quote_line = line;
                i += 1;
                continue;
            }
            // A quote inside an unquoted field is text (`relax`).
        }
        if !quoting {
            let len = ends_record(i, delimiter);
            if len > 0 {
                p.field(&mut field, &mut was_quoting);
                p.record()?;
                line += 1;
                i += len;
                p.record_line = line;
                continue;
            }
            if c == ',' {
                p.field(&mut field, &mut was_quoting);
                i += 1;
                continue;
            }
        }
        if c == '\n' || (c == '\r' && chars.get(i + 1) != Some(&'\n')) {
            line += 1;
        }
        let keep_left = quoting || !field.is_empty() || !trimmable(c);
        if keep_left && !was_quoting {
            field.push(c);
        } else if !trimmable(c) {
            return Err(DataError::TextAfterQuote {
                file: file.to_string(),
                line,
            });
        }
        i += 1;
    }
    if quoting {
        return Err(DataError::UnclosedQuote {
            file: file.to_string(),
            line: quote_line,
        });
    }
    if was_quoting || !p.record.is_empty() || !field.is_empty() {
        p.field(&mut field, &mut was_quoting);
        p.record()?;
    }
    Ok(p.rows)
}

struct Csv<'a> {
    file: &'a str,
    header: Option<Vec<String>>,
    rows: Vec<Row>,
    record: Vec<Field>,
    /// Where the current record started, for errors.
    record_line: usize,
}

impl Csv<'_> {
    fn field(&mut self, field: &mut String, was_quoting: &mut bool) {
        let mut text = std::mem::take(field);
        if !*was_quoting {
            let end = text.trim_end_matches(js_space).len();
            text.truncate(end);
        }
        self.record.push((text, *was_quoting));
        *was_quoting = false;
    }

    fn record(&mut self) -> Result<(), DataError> {
        let record = std::mem::take(&mut self.record);
        let Some(header) = &self.header else {
            let mut names = Vec::with_capacity(record.len());
            for (i, (text, quoted)) in record.into_iter().enumerate() {
                if let Value::Number(_) = cast(&text, quoted) {
                    return Err(DataError::NumericColumn {
                        file: self.file.to_string(),
                        line: self.record_line,
                        column: i + 1,
                        name: text,
                    });
                }
                names.push(text);
            }
            self.header = Some(names);
            return Ok(());
        };
        let row = header
            .iter()
            .zip(record)
            .map(|(name, (text, quoted))| (name.clone(), cast(&text, quoted)))
            .collect();
        self.rows.push(row);
        Ok(())
    }
}

/// Spaces csv-parse's `trim` drops around a field.
fn trimmable(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\x0c')
}

/// newman's cast: quoted fields stay text; an unquoted field that reads as
/// an integer or a float becomes that number.
fn cast(text: &str, quoted: bool) -> Value {
    if quoted {
        return Value::String(text.to_string());
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let is_int = digits.starts_with(|c: char| ('1'..='9').contains(&c))
        && digits.chars().all(|c| c.is_ascii_digit());
    if is_int {
        return js_number(js_to_number(text));
    }
    // jQuery's isNumeric: `value - parseFloat(value) + 1 >= 0`.
    let float = js_parse_float(text);
    if js_to_number(text) - float + 1.0 >= 0.0 {
        return js_number(float);
    }
    Value::String(text.to_string())
}

/// A JavaScript number as JSON: whole numbers as integers (as JavaScript
/// prints them), `NaN` and infinities as null (as `JSON.stringify` does).
pub(super) fn js_number(n: f64) -> Value {
    if !n.is_finite() {
        return Value::Null;
    }
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
        // Exact: a whole number within 2^53.
        return Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// JavaScript's `String(n)` for a number.
pub(super) fn js_number_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let abs = n.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // JavaScript writes the exponent's sign: 1e+21.
        let s = format!("{n:e}");
        return match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    format!("{n}")
}

/// JavaScript's `Number(text)`: surrounding spaces ignored, empty is 0,
/// `0x`/`0o`/`0b` prefixes, `Infinity`; anything else not a number is NaN.
pub(super) fn js_to_number(text: &str) -> f64 {
    let t = text.trim_matches(js_space);
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            if digits.is_empty() {
                return f64::NAN;
            }
            let mut n = 0.0;
            for c in digits.chars() {
                match c.to_digit(radix) {
                    Some(d) => n = n * f64::from(radix) + f64::from(d),
                    None => return f64::NAN,
                }
            }
            return n;
        }
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned == "Infinity" {
        return if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    if decimal_prefix(t) == t.len() {
        t.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// JavaScript's `parseFloat(text)`: the longest decimal number at the
/// start (after spaces), else NaN.
fn js_parse_float(text: &str) -> f64 {
    let t = text.trim_start_matches(js_space);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned.starts_with("Infinity") {
        return if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    match decimal_prefix(t) {
        0 => f64::NAN,
        n => t[..n].parse().unwrap_or(f64::NAN),
    }
}

/// Length of the longest prefix of `s` that is a decimal literal: sign,
/// digits, a fraction, an exponent (`-1.5e3`, `.5`, `5.`).
fn decimal_prefix(s: &str) -> usize {
    let b = s.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_end = digits(i);
    let mut mantissa = int_end > i;
    i = int_end;
    if b.get(i) == Some(&b'.') {
        let frac_end = digits(i + 1);
        if mantissa || frac_end > i + 1 {
            mantissa = true;
            i = frac_end;
        }
    }
    if !mantissa {
        return 0;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let end = digits(k);
        if end > k {
            i = end;
        }
    }
    i
}

/// JavaScript's white space and line terminators (what `trim` removes).
fn js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// serde_json appends " at line L column C"; the error shows it already.
fn without_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests;
