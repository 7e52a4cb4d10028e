#![no_main]
//! The `.http` parser and the http-client env file parser on arbitrary
//! UTF-8 must return an import or an error, never panic or hang.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = postie::import::http_file::parse(text, std::path::Path::new("."));
    let _ = postie::import::http_file::parse_env_file(text, false);
});
