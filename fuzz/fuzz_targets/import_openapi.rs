#![no_main]
//! The OpenAPI/Swagger importer (JSON and YAML) and format detection on
//! arbitrary UTF-8 must return an import or an error, never panic or hang.

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use postie::import::{self, openapi, text::decode_input};

fuzz_target!(|data: &[u8]| {
    let text = decode_input(data);
    let _ = import::detect::detect(Path::new("openapi.yaml"), &text);
    let _ = openapi::parse(&text);
});
