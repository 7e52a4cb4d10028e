//! A `.http` body as a postie body, chosen by the Content-Type header:
//! `< file` → binary, urlencoded → form, multipart → parts, else raw text.

use std::path::{Component, Path, PathBuf};

use crate::import::Report;
use crate::media::{self, MediaKind};
use crate::model::{Body, KeyValue, Part, RawKind};

/// Where `.http` paths are relative to, and what the request is called in
/// the report.
pub struct Ctx<'a> {
    pub base_dir: &'a Path,
    pub label: &'a str,
}

/// `true` when the multipart Content-Type header should go: postie writes
/// its own boundary.
pub struct Mapped {
    pub body: Body,
    pub drop_content_type: bool,
}

pub fn map(text: &str, content_type: Option<&str>, ctx: &Ctx<'_>, report: &mut Report) -> Mapped {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let raw = |kind| Mapped {
        body: Body::Raw {
            kind,
            text: text.to_string(),
        },
        drop_content_type: false,
    };
    let trimmed = text.trim();
    if let Some(path) = file_ref(trimmed) {
        return Mapped {
            body: Body::Binary {
                file: file_path(path, ctx, report),
            },
            drop_content_type: false,
        };
    }
    if media::kind_of(&ct) == MediaKind::FormUrlEncoded {
        let joined: String = text.lines().map(str::trim).collect();
        let fields = joined
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                KeyValue::new(decode(k), decode(v))
            })
            .collect();
        return Mapped {
            body: Body::Form(fields),
            drop_content_type: false,
        };
    }
    if ct.starts_with("multipart/form-data") {
        if let Some(parts) =
            boundary(&ct, content_type.unwrap_or("")).and_then(|b| multipart(text, &b, ctx, report))
        {
            return Mapped {
                body: Body::Multipart(parts),
                drop_content_type: true,
            };
        }
        report.changed(
            ctx.label,
            "multipart body",
            "kept as raw text with its Content-Type header: its parts could not be read",
        );
        return raw(RawKind::Text);
    }
    let kind = if ct.is_empty() && trimmed.starts_with(['{', '[']) {
        RawKind::Json
    } else {
        RawKind::from_content_type(&ct)
    };
    raw(kind)
}

/// `< ./path` (a body read from a file).
fn file_ref(t: &str) -> Option<&str> {
    if t.contains('\n') {
        return None;
    }
    let rest = t.strip_prefix('<')?;
    if rest.starts_with(['{', '>']) || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim()).filter(|p| !p.is_empty())
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// The path as written, joined to `base_dir` when that is relative (the
/// `.http` file's folder as given, normally relative to the workspace
/// root), made lexically clean. A path that climbs out of it is kept but
/// reported: postie paths are relative to the workspace root.
fn file_path(path: &str, ctx: &Ctx<'_>, report: &mut Report) -> String {
    if path.contains("{{") {
        return path.to_string();
    }
    let p = Path::new(path);
    if p.is_absolute() {
        report.changed(
            ctx.label,
            format!("file {path}"),
            "an absolute path: postie file paths are relative to the workspace root",
        );
        return path.to_string();
    }
    let joined = if ctx.base_dir.is_relative() {
        ctx.base_dir.join(p)
    } else {
        p.to_path_buf()
    };
    let mut out = PathBuf::new();
    let mut escapes = false;
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    escapes = true;
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let rel = out.to_string_lossy().replace('\\', "/");
    if escapes {
        report.changed(
            ctx.label,
            format!("file {path}"),
            format!(
                "it climbs out of {} (the .http file's folder): fix the path relative to the workspace root",
                ctx.base_dir.display()
            ),
        );
    }
    rel
}

fn boundary(lower: &str, original: &str) -> Option<String> {
    let i = lower.find("boundary=")?;
    let b = original.get(i + "boundary=".len()..)?;
    let b = b.split(';').next()?.trim().trim_matches('"');
    Some(b.to_string()).filter(|b| !b.is_empty())
}

/// Parts between `--boundary` lines: headers, a blank line, the content
/// (`< path` for a file).
fn multipart(text: &str, boundary: &str, ctx: &Ctx<'_>, report: &mut Report) -> Option<Vec<Part>> {
    let delim = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    let mut seen_first = false;
    let mut closed = false;
    for line in text.lines() {
        let t = line.trim_end();
        if t == delim || t == format!("{delim}--") {
            seen_first = true;
            if t.ends_with("--") && t.len() == delim.len() + 2 {
                closed = true;
                break;
            }
            chunks.push(Vec::new());
        } else if let Some(c) = chunks.last_mut() {
            c.push(line);
        } else if !t.is_empty() {
            return None;
        }
    }
    if !seen_first || !closed {
        return None;
    }
    for chunk in chunks {
        let blank = chunk.iter().position(|l| l.trim().is_empty())?;
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for h in &chunk[..blank] {
            let (n, v) = h.split_once(':')?;
            match n.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    name = param(v, "name");
                    filename = param(v, "filename");
                }
                "content-type" => content_type = Some(v.trim().to_string()),
                _ => {}
            }
        }
        let content = chunk[blank + 1..].join("\n");
        let content = content.trim_end_matches(['\n', '\r']);
        let name = name?;
        let part = match file_ref(content.trim()) {
            Some(path) => Part {
                name,
                value: None,
                file: Some(file_path(path, ctx, report)),
                filename,
                content_type,
                enabled: true,
                description: None,
                extra: Default::default(),
            },
            None => Part {
                name,
                value: Some(content.to_string()),
                file: None,
                filename,
                content_type,
                enabled: true,
                description: None,
                extra: Default::default(),
            },
        };
        parts.push(part);
    }
    Some(parts)
}

/// `name="x"` in a Content-Disposition value.
fn param(v: &str, key: &str) -> Option<String> {
    v.split(';').find_map(|p| {
        let (k, val) = p.trim().split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| val.trim().trim_matches('"').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx<'static> {
        Ctx {
            base_dir: Path::new("reqs"),
            label: "r",
        }
    }

    #[test]
    fn raw_body_kind_comes_from_the_media_type_not_its_parameters() {
        let mut r = Report::default();
        let kind = |ct: &str, r: &mut Report| match map("x", Some(ct), &ctx(), r).body {
            Body::Raw { kind, .. } => kind,
            other => panic!("{other:?}"),
        };
        assert_eq!(kind("application/problem+json", &mut r), RawKind::Json);
        assert_eq!(kind("TEXT/XML", &mut r), RawKind::Xml);
        assert_eq!(kind("application/xhtml+xml", &mut r), RawKind::Html);
        assert_eq!(kind("text/ecmascript", &mut r), RawKind::JavaScript);
        assert_eq!(kind("text/plain; profile=json", &mut r), RawKind::Text);
        assert_eq!(kind("application/octet-stream", &mut r), RawKind::Text);
    }

    #[test]
    fn file_form_and_multipart_bodies() {
        let mut r = Report::default();
        let m = map("< ./data/x.bin", None, &ctx(), &mut r);
        assert_eq!(
            m.body,
            Body::Binary {
                file: "reqs/data/x.bin".into()
            }
        );
        let m = map("< ../../up.bin", None, &ctx(), &mut r);
        assert_eq!(
            m.body,
            Body::Binary {
                file: "../up.bin".into()
            }
        );
        assert_eq!(r.notes.len(), 1, "{r:?}");
        let m = map(
            "a=1&b=x%20y\n&c={{v}}",
            Some("application/x-www-form-urlencoded"),
            &ctx(),
            &mut r,
        );
        assert_eq!(
            m.body,
            Body::Form(vec![
                KeyValue::new("a", "1"),
                KeyValue::new("b", "x y"),
                KeyValue::new("c", "{{v}}")
            ])
        );
        let text = "--B\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\nContent-Type: image/png\n\n< ./a.png\n--B\nContent-Disposition: form-data; name=\"x\"\n\n1\n--B--";
        let m = map(
            text,
            Some("multipart/form-data; boundary=B"),
            &ctx(),
            &mut r,
        );
        assert!(m.drop_content_type);
        let Body::Multipart(parts) = m.body else {
            panic!()
        };
        assert_eq!(parts[0].file.as_deref(), Some("reqs/a.png"));
        assert_eq!(parts[0].filename.as_deref(), Some("a.png"));
        assert_eq!(parts[1].value.as_deref(), Some("1"));
        let m = map(
            "junk",
            Some("multipart/form-data; boundary=B"),
            &ctx(),
            &mut r,
        );
        assert!(matches!(
            m.body,
            Body::Raw {
                kind: RawKind::Text,
                ..
            }
        ));
    }
}
