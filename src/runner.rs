//! `postie run`: a collection (from the workspace or a Postman file) run
//! headless, newman's way: a plan of requests in order, iterations over
//! data rows, scripts around each request through the one pipeline, and
//! results streamed to reporters that only read them.

pub mod data;
pub mod record;
pub mod report;
pub mod vars_file;
