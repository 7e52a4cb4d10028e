#![no_main]
//! `postie run -d`'s iteration data parser (JSON or CSV, BOM/UTF-16) on
//! arbitrary bytes must return rows or an error, never panic or hang.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = postie::runner::data::parse(data, "data.csv") {
        let _ = e.to_string();
    }
});
