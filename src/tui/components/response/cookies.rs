//! `Set-Cookie` headers parsed for the Cookies tab: name, value and the
//! attributes, kept as sent (values may be anything; they are escaped
//! when drawn).

/// One `Set-Cookie` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    pub domain: Option<String>,
    pub path: Option<String>,
    /// `Expires` or `Max-Age`, as sent.
    pub expires: Option<String>,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: Option<String>,
    /// Attributes not named above (`Partitioned`, `Priority=High`).
    pub other: Vec<String>,
}

impl SetCookie {
    /// The attributes column: `Secure HttpOnly SameSite=Lax ...`.
    pub fn flags(&self) -> String {
        let mut parts = Vec::new();
        if self.secure {
            parts.push("Secure".to_string());
        }
        if self.http_only {
            parts.push("HttpOnly".to_string());
        }
        if let Some(s) = &self.same_site {
            parts.push(format!("SameSite={s}"));
        }
        parts.extend(self.other.iter().cloned());
        parts.join(" ")
    }
}

/// Parses one `Set-Cookie` value; `None` when it has no `name=`.
pub fn parse_set_cookie(header: &str) -> Option<SetCookie> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut cookie = SetCookie {
        name: name.to_string(),
        value: value.trim().to_string(),
        ..SetCookie::default()
    };
    for attr in parts.map(str::trim).filter(|a| !a.is_empty()) {
        let (key, val) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
            None => (attr, None),
        };
        match key.to_ascii_lowercase().as_str() {
            "domain" => cookie.domain = val,
            "path" => cookie.path = val,
            "expires" => cookie.expires = cookie.expires.take().or(val),
            // Max-Age wins over Expires (RFC 6265 5.3).
            "max-age" => cookie.expires = val.map(|v| format!("max-age {v}")),
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            "samesite" => cookie.same_site = val,
            _ => cookie.other.push(attr.to_string()),
        }
    }
    Some(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_value_and_attributes() {
        let c = parse_set_cookie(
            "sid=abc=def; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly; SameSite=Lax; Partitioned",
        )
        .unwrap();
        assert_eq!(c.name, "sid");
        assert_eq!(c.value, "abc=def");
        assert_eq!(c.path.as_deref(), Some("/"));
        assert_eq!(c.domain.as_deref(), Some("example.com"));
        assert_eq!(c.expires.as_deref(), Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert_eq!(c.flags(), "Secure HttpOnly SameSite=Lax Partitioned");
    }

    #[test]
    fn max_age_wins_and_odd_headers_do_not_panic() {
        let c = parse_set_cookie("a=; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT").unwrap();
        assert_eq!(c.value, "");
        assert_eq!(c.expires.as_deref(), Some("max-age 0"));
        assert!(parse_set_cookie("novalue").is_none());
        assert!(parse_set_cookie("=x").is_none());
        assert!(parse_set_cookie("").is_none());
    }
}
