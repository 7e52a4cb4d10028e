#![no_main]
//! The Postman importers on arbitrary bytes: a collection (as `postie
//! import` reads it, and as `postie run` reads it, BOM/UTF-16 included), an
//! environment or globals file, and format detection must return an import
//! or an error, never panic or hang.

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use postie::import::{self, postman, text::decode_input};

fuzz_target!(|data: &[u8]| {
    let text = decode_input(data);
    let _ = import::detect::detect(Path::new("collection.json"), &text);
    let _ = postman::parse_collection(&text);
    let _ = postman::parse_environment(&text);
    let _ = postman::parse_runnable(data);
});
