//! Hawk request signing (the `hawk.1.header` MAC of the hawk npm package,
//! as Postman sends it).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::{Digest as _, Sha1};
use sha2::Sha256;

use crate::http::{PreparedBody, PreparedRequest};
use crate::model::HawkAuth;

/// Signs `req` in place with `timestamp` and `nonce` (the caller makes
/// fresh ones when the auth gives none). Any `Authorization` header the
/// request had is replaced, as Postman does. Does nothing without an id
/// and key, or with an algorithm other than sha1 and sha256.
pub(crate) fn sign(h: &HawkAuth, req: &mut PreparedRequest, timestamp: &str, nonce: &str) {
    let algorithm = match h.algorithm.to_ascii_lowercase().as_str() {
        "" | "sha256" => Algorithm::Sha256,
        "sha1" => Algorithm::Sha1,
        _ => return,
    };
    if h.id.is_empty() || h.key.is_empty() {
        return;
    }
    let Ok(url) = url::Url::parse(&req.url) else {
        return;
    };
    let resource = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let port = url.port_or_known_default().unwrap_or(80).to_string();
    let hash = if h.payload_hash {
        payload_hash(req, algorithm)
    } else {
        None
    };
    let ext = h.ext.replace('\\', "\\\\").replace('\n', "\\n");
    let mut normalized = format!(
        "hawk.1.header\n{timestamp}\n{nonce}\n{}\n{resource}\n{host}\n{port}\n{}\n{ext}\n",
        req.method.to_ascii_uppercase(),
        hash.as_deref().unwrap_or_default(),
    );
    if !h.app.is_empty() {
        normalized.push_str(&format!("{}\n{}\n", h.app, h.dlg));
    }
    let Some(mac) = algorithm.hmac(h.key.as_bytes(), normalized.as_bytes()) else {
        return;
    };

    let mut header = format!(
        "Hawk id=\"{}\", ts=\"{timestamp}\", nonce=\"{nonce}\"",
        h.id
    );
    if let Some(hash) = &hash {
        header.push_str(&format!(", hash=\"{hash}\""));
    }
    if !h.ext.is_empty() {
        let quoted = h.ext.replace('\\', "\\\\").replace('"', "\\\"");
        header.push_str(&format!(", ext=\"{quoted}\""));
    }
    header.push_str(&format!(", mac=\"{mac}\""));
    if !h.app.is_empty() {
        header.push_str(&format!(", app=\"{}\"", h.app));
        if !h.dlg.is_empty() {
            header.push_str(&format!(", dlg=\"{}\"", h.dlg));
        }
    }
    req.headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
    req.headers.push(("Authorization".into(), header));
}

#[derive(Clone, Copy)]
enum Algorithm {
    Sha1,
    Sha256,
}

impl Algorithm {
    fn hmac(self, key: &[u8], data: &[u8]) -> Option<String> {
        let bytes = match self {
            Algorithm::Sha1 => Hmac::<Sha1>::new_from_slice(key)
                .ok()?
                .chain_update(data)
                .finalize()
                .into_bytes()
                .to_vec(),
            Algorithm::Sha256 => Hmac::<Sha256>::new_from_slice(key)
                .ok()?
                .chain_update(data)
                .finalize()
                .into_bytes()
                .to_vec(),
        };
        Some(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    fn digest(self, parts: &[&[u8]]) -> String {
        let bytes = match self {
            Algorithm::Sha1 => {
                let mut d = Sha1::new();
                parts.iter().for_each(|p| d.update(p));
                d.finalize().to_vec()
            }
            Algorithm::Sha256 => {
                let mut d = Sha256::new();
                parts.iter().for_each(|p| d.update(p));
                d.finalize().to_vec()
            }
        };
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

/// `hawk.1.payload`, for a body in memory; none for an empty body, a file
/// or a multipart form (Postman hashes neither of the last two).
fn payload_hash(req: &PreparedRequest, algorithm: Algorithm) -> Option<String> {
    let PreparedBody::Bytes(body) = &req.body else {
        return None;
    };
    if req.settings.omit_body {
        return None;
    }
    if body.is_empty() {
        return None;
    }
    let content_type = (req.headers.iter())
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    Some(algorithm.digest(&[
        b"hawk.1.payload\n",
        content_type.as_bytes(),
        b"\n",
        body,
        b"\n",
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn";

    fn request(method: &str, url: &str) -> PreparedRequest {
        PreparedRequest {
            method: method.into(),
            url: url.into(),
            headers: vec![("Authorization".into(), "Hawk stale".into())],
            body: PreparedBody::Empty,
            auth: None,
            settings: Default::default(),
        }
    }

    fn auth() -> HawkAuth {
        HawkAuth {
            id: "dh37fgj492je".into(),
            key: KEY.into(),
            algorithm: "sha256".into(),
            ext: "some-app-ext-data".into(),
            ..Default::default()
        }
    }

    /// The hawk package README's two examples, with their published MACs
    /// and payload hash.
    #[test]
    fn the_readme_examples_give_the_published_macs() {
        let mut r = request("GET", "http://example.com:8000/resource/1?b=1&a=2");
        sign(&auth(), &mut r, "1353832234", "j4h3g2");
        assert_eq!(r.headers.len(), 1);
        assert_eq!(
            r.headers[0].1,
            "Hawk id=\"dh37fgj492je\", ts=\"1353832234\", nonce=\"j4h3g2\", \
             ext=\"some-app-ext-data\", mac=\"6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE=\""
        );

        let mut r = request("POST", "http://example.com:8000/resource/1?b=1&a=2");
        r.headers.push(("Content-Type".into(), "text/plain".into()));
        r.body = PreparedBody::Bytes(b"Thank you for flying Hawk".to_vec());
        let h = HawkAuth {
            payload_hash: true,
            ..auth()
        };
        sign(&h, &mut r, "1353832234", "j4h3g2");
        let header = &r.headers.last().unwrap().1;
        assert!(
            header.contains("hash=\"Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=\""),
            "{header}"
        );
        assert!(
            header.contains("mac=\"aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw=\""),
            "{header}"
        );
    }

    #[test]
    fn an_unknown_algorithm_or_missing_key_signs_nothing() {
        let mut r = request("GET", "http://h.test/");
        let h = HawkAuth {
            algorithm: "md5".into(),
            ..auth()
        };
        sign(&h, &mut r, "1", "n");
        assert_eq!(r.headers[0].1, "Hawk stale");
        let h = HawkAuth {
            key: String::new(),
            ..auth()
        };
        sign(&h, &mut r, "1", "n");
        assert_eq!(r.headers[0].1, "Hawk stale");
    }
}
