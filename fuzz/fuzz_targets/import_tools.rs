#![no_main]
//! The importers of other API clients' files: Insomnia v4 exports, Bruno
//! `.bru` requests and OpenCollection YAML (a bundled collection or one
//! request), with format detection, on arbitrary UTF-8: an import or an
//! error, never a panic or a hang.

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use postie::import::{self, bruno, insomnia, opencollection, text::decode_input};

fuzz_target!(|data: &[u8]| {
    let text = decode_input(data);
    let _ = import::detect::detect(Path::new("export.yml"), &text);
    let _ = insomnia::parse(&text);
    let _ = bruno::parse_file(&text);
    let _ = opencollection::parse(&text);
});
