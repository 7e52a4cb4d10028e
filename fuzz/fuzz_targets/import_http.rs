#![no_main]
//! The `.http` parser, the http-client env file parser and format detection
//! on arbitrary UTF-8 must return an import or an error, never panic or
//! hang.

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = postie::import::http_file::parse(text, Path::new("."));
    let _ = postie::import::http_file::parse_env_file(text, false);
    let _ = postie::import::http_file::parse_env_file(text, true);
    let _ = postie::import::detect::detect(Path::new("requests.txt"), text);
});
