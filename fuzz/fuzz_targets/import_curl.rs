#![no_main]
//! `parse_curl` on arbitrary UTF-8 must return, never panic; whatever it
//! parses must survive `to_curl_unresolved` and parse again. The multi-
//! command import and format detection run on the same text.

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(req) = postie::import::curl::parse_curl(text) {
        let cmd = postie::export::curl::to_curl_unresolved(&req);
        if let Err(e) = postie::import::curl::parse_curl(&cmd) {
            panic!("{e}: {text:?} exported as {cmd:?}");
        }
    }
    let _ = postie::import::curl::parse_import(text);
    let _ = postie::import::detect::detect(Path::new("-"), text);
});
