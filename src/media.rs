//! Media types: the one place that reads a Content-Type and decides what
//! kind of body it names, the file extension that kind gets, and the
//! Content-Type a file name implies. Importers, storage, prepare and the
//! response pane all ask here, so they cannot disagree.

/// What kind of body a Content-Type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Json,
    Xml,
    Html,
    JavaScript,
    Css,
    Yaml,
    /// `text/*` with no more specific kind (`text/plain`, `text/csv`).
    Text,
    /// `application/x-www-form-urlencoded`.
    FormUrlEncoded,
    /// `multipart/*`.
    Multipart,
    /// Images, audio, video, fonts, archives and binary encodings.
    Binary,
    /// Empty, unparseable, `application/octet-stream` or an `application/*`
    /// type that says nothing about its text: callers sniff or fall back.
    Unknown,
}

/// The essence of a Content-Type: `type/subtype`, lowercase, without
/// parameters or surrounding spaces (`"Application/JSON; charset=utf-8"` ->
/// `"application/json"`).
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The kind of body a Content-Type names. Parameters are ignored; structured
/// suffixes count (`application/problem+json` is JSON, `image/svg+xml` is
/// XML), and so do vendor types that name their syntax (`application/x-ndjson`
/// stays JSON, as before: it is shown as received when it doesn't parse).
pub fn kind_of(content_type: &str) -> MediaKind {
    let essence = essence(content_type);
    let (top, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    if is_binary(top, sub) {
        MediaKind::Binary
    } else if essence.contains("json") {
        MediaKind::Json
    } else if essence.contains("html") {
        // Before XML: `application/xhtml+xml` is a web page.
        MediaKind::Html
    } else if essence.contains("xml") {
        MediaKind::Xml
    } else if essence.contains("javascript") || essence.contains("ecmascript") {
        MediaKind::JavaScript
    } else if essence == "text/css" {
        MediaKind::Css
    } else if essence.contains("yaml") {
        MediaKind::Yaml
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::FormUrlEncoded
    } else if top == "multipart" && !sub.is_empty() {
        MediaKind::Multipart
    } else if top == "text" && !sub.is_empty() {
        MediaKind::Text
    } else {
        MediaKind::Unknown
    }
}

fn is_binary(top: &str, sub: &str) -> bool {
    let media = matches!(top, "image" | "audio" | "video" | "font");
    let textual = sub.contains("svg") || sub.contains("xml") || sub.contains("json");
    let archive_or_encoded = matches!(
        sub,
        "pdf"
            | "zip"
            | "gzip"
            | "x-gzip"
            | "x-tar"
            | "wasm"
            | "protobuf"
            | "x-protobuf"
            | "vnd.google.protobuf"
            | "msgpack"
            | "x-msgpack"
            | "cbor"
    );
    (media && !textual) || archive_or_encoded
}

impl MediaKind {
    /// The file extension for a body of this kind, so editors pick the
    /// right mode. Binary bodies: see [`binary_extension`].
    pub fn extension(self) -> &'static str {
        match self {
            MediaKind::Json => "json",
            MediaKind::Xml => "xml",
            MediaKind::Html => "html",
            MediaKind::JavaScript => "js",
            MediaKind::Css => "css",
            MediaKind::Yaml => "yaml",
            MediaKind::Text | MediaKind::FormUrlEncoded => "txt",
            MediaKind::Multipart | MediaKind::Binary | MediaKind::Unknown => "bin",
        }
    }

    /// The Content-Type sent for a body of this kind.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaKind::Json => "application/json",
            MediaKind::Xml => "application/xml",
            MediaKind::Html => "text/html",
            MediaKind::JavaScript => "application/javascript",
            MediaKind::Css => "text/css",
            MediaKind::Yaml => "application/yaml",
            MediaKind::Text => "text/plain",
            MediaKind::FormUrlEncoded => "application/x-www-form-urlencoded",
            MediaKind::Multipart => "multipart/form-data",
            MediaKind::Binary | MediaKind::Unknown => "application/octet-stream",
        }
    }
}

/// The extension of a stored sidecar (a response or example body): one of
/// `json`, `html`, `xml`, `js` or `txt`. This is part of the on-disk
/// layout, so it names only the kinds a sidecar has always had.
pub fn sidecar_extension(content_type: &str) -> &'static str {
    match kind_of(content_type) {
        k @ (MediaKind::Json | MediaKind::Html | MediaKind::Xml | MediaKind::JavaScript) => {
            k.extension()
        }
        _ => "txt",
    }
}

/// The extension for saving a binary body, from its Content-Type (`bin`
/// when it names nothing known).
pub fn binary_extension(content_type: &str) -> &'static str {
    let essence = essence(content_type);
    let known = [
        ("png", "png"),
        ("jpeg", "jpg"),
        ("gif", "gif"),
        ("webp", "webp"),
        ("pdf", "pdf"),
        ("zip", "zip"),
        ("gzip", "gz"),
        ("wasm", "wasm"),
        ("protobuf", "pb"),
    ];
    known
        .iter()
        .find(|(needle, _)| essence.contains(needle))
        .map_or("bin", |(_, ext)| ext)
}

/// A Content-Type from a file name's extension, for file parts and binary
/// bodies (`application/octet-stream` when unknown).
pub fn content_type_for_file(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "json" => "application/json",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "txt" | "md" => "text/plain",
        "csv" => "text/csv",
        "js" => "application/javascript",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MediaKind::*;

    #[test]
    fn essence_drops_parameters_spaces_and_case() {
        assert_eq!(
            essence(" Application/JSON ; charset=utf-8"),
            "application/json"
        );
        assert_eq!(
            essence("multipart/form-data; boundary=x"),
            "multipart/form-data"
        );
        assert_eq!(essence(""), "");
    }

    #[test]
    fn real_world_content_types_have_the_kind_they_name() {
        let cases = [
            ("application/json", Json),
            ("application/json; charset=utf-8", Json),
            ("application/problem+json", Json),
            ("application/vnd.api+json", Json),
            ("application/hal+json", Json),
            ("application/x-ndjson", Json),
            ("text/xml", Xml),
            ("application/xml", Xml),
            ("application/atom+xml", Xml),
            ("image/svg+xml", Xml),
            ("text/html", Html),
            ("text/html; charset=ISO-8859-1", Html),
            ("application/xhtml+xml", Html),
            ("application/javascript", JavaScript),
            ("text/javascript", JavaScript),
            ("application/ecmascript", JavaScript),
            ("text/css", Css),
            ("application/yaml", Yaml),
            ("application/x-www-form-urlencoded", FormUrlEncoded),
            (
                "application/x-www-form-urlencoded; charset=UTF-8",
                FormUrlEncoded,
            ),
            ("multipart/form-data; boundary=x", Multipart),
            ("application/octet-stream", Unknown),
            ("TEXT/PLAIN", Text),
            ("text/csv", Text),
            ("image/png", Binary),
            ("application/pdf", Binary),
            ("font/woff2", Binary),
            ("", Unknown),
            ("garbage", Unknown),
            (";;;", Unknown),
            ("text/", Unknown),
            ("/", Unknown),
        ];
        for (ct, kind) in cases {
            assert_eq!(kind_of(ct), kind, "{ct:?}");
        }
    }

    #[test]
    fn parameters_do_not_change_the_kind() {
        assert_eq!(kind_of("text/plain; profile=\"json\""), Text);
        assert_eq!(kind_of("application/octet-stream; x=xml"), Unknown);
    }

    #[test]
    fn each_kind_has_an_extension_and_a_content_type_of_its_own_kind() {
        for kind in [
            Json,
            Xml,
            Html,
            JavaScript,
            Css,
            Yaml,
            Text,
            FormUrlEncoded,
            Multipart,
        ] {
            assert_eq!(kind_of(kind.content_type()), kind, "{kind:?}");
        }
        assert_eq!(Json.extension(), "json");
        assert_eq!(Text.extension(), "txt");
        assert_eq!(JavaScript.extension(), "js");
        assert_eq!(Binary.extension(), "bin");
    }

    #[test]
    fn sidecars_keep_the_five_extensions_of_the_layout() {
        assert_eq!(sidecar_extension("application/vnd.api+json"), "json");
        assert_eq!(sidecar_extension("application/xhtml+xml"), "html");
        assert_eq!(sidecar_extension("image/svg+xml"), "xml");
        assert_eq!(sidecar_extension("text/javascript"), "js");
        assert_eq!(sidecar_extension("text/css"), "txt");
        assert_eq!(sidecar_extension("application/yaml"), "txt");
        assert_eq!(sidecar_extension("image/png"), "txt");
        assert_eq!(sidecar_extension(""), "txt");
        // Was `txt`: the response pane already called ecmascript JavaScript.
        assert_eq!(sidecar_extension("application/ecmascript"), "js");
        // Was `json`: parameters no longer name the kind.
        assert_eq!(sidecar_extension("text/plain; profile=json"), "txt");
    }

    #[test]
    fn binary_bodies_are_saved_with_their_own_extension() {
        assert_eq!(binary_extension("image/png"), "png");
        assert_eq!(binary_extension("IMAGE/JPEG"), "jpg");
        assert_eq!(binary_extension("application/x-protobuf"), "pb");
        assert_eq!(binary_extension("application/octet-stream"), "bin");
        // Was `png`: parameters no longer name the kind.
        assert_eq!(
            binary_extension("application/octet-stream; name=x.png"),
            "bin"
        );
    }

    #[test]
    fn file_names_give_a_content_type_and_back() {
        assert_eq!(content_type_for_file("a/b.JSON"), "application/json");
        assert_eq!(content_type_for_file("page.htm"), "text/html");
        assert_eq!(content_type_for_file("logo.svg"), "image/svg+xml");
        assert_eq!(content_type_for_file("noext"), "application/octet-stream");
        assert_eq!(content_type_for_file(""), "application/octet-stream");
        for ext in ["json", "xml", "html", "js", "txt"] {
            let kind = kind_of(content_type_for_file(&format!("f.{ext}")));
            assert_eq!(kind.extension(), ext);
        }
    }
}
