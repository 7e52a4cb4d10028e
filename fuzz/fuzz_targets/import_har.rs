#![no_main]
//! The HAR importer (with and without its host/static filters) and format
//! detection on arbitrary UTF-8 must return an import or an error, never
//! panic or hang.

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use postie::import::{self, har, text::decode_input};

fuzz_target!(|data: &[u8]| {
    let text = decode_input(data);
    let _ = import::detect::detect(Path::new("capture.har"), &text);
    let _ = har::parse(&text, &har::HarOptions::default());
    let filtered = har::HarOptions {
        host: Some("127.0.0.1".to_string()),
        drop_static: true,
    };
    let _ = har::parse(&text, &filtered);
});
