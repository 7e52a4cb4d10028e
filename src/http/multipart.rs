//! `multipart/form-data` encoding, done when sending: a part's file is
//! read then, not while preparing (which reads no file).

use std::path::Path;

use super::{FormPart, PartValue, SendError};

/// The body for `boundary` and `parts`, files read now.
pub async fn encode(boundary: &str, parts: &[FormPart]) -> Result<Vec<u8>, SendError> {
    let mut out: Vec<u8> = Vec::new();
    for p in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!(
            "Content-Disposition: form-data; name=\"{}\"",
            quote(&p.name)
        );
        if let Some(f) = &p.filename {
            disposition.push_str(&format!("; filename=\"{}\"", quote(f)));
        }
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(ct) = &p.content_type {
            out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        match &p.value {
            PartValue::Text(t) => out.extend_from_slice(t.as_bytes()),
            PartValue::File(path) => out.extend_from_slice(&read(path).await?),
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok(out)
}

async fn read(path: &Path) -> Result<Vec<u8>, SendError> {
    tokio::fs::read(path).await.map_err(|e| SendError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Escapes what would end a quoted multipart parameter early.
fn quote(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(name: &str, value: PartValue) -> FormPart {
        FormPart {
            name: name.into(),
            filename: None,
            content_type: None,
            value,
        }
    }

    #[tokio::test]
    async fn parts_are_encoded_with_the_file_read_at_send_time() {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("a.txt");
        std::fs::write(&file, "file-bytes").unwrap();
        let mut f = part("f", PartValue::File(file.clone()));
        f.filename = Some("a \"quoted\".txt".into());
        f.content_type = Some("text/plain".into());
        let parts = [part("t", PartValue::Text("hi".into())), f];
        let body = String::from_utf8(encode("B", &parts).await.unwrap()).unwrap();
        assert_eq!(
            body,
            "--B\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhi\r\n\
             --B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a \\\"quoted\\\".txt\"\r\n\
             Content-Type: text/plain\r\n\r\nfile-bytes\r\n--B--\r\n"
        );

        std::fs::remove_file(&file).unwrap();
        let err = encode("B", &parts).await.unwrap_err();
        assert!(matches!(err, SendError::File { path, .. } if path == file));
    }
}
