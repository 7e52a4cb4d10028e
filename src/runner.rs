//! `postie run`: a collection (from the workspace or a Postman file) run
//! headless, newman's way: a plan of requests in order, iterations over
//! data rows, scripts around each request through the one pipeline, and
//! results streamed to reporters that only read them.

pub mod data;
pub mod merge;
pub mod plan;
pub mod record;
pub mod report;
pub mod run;
pub mod tally;
pub mod vars_file;

pub use plan::{Plan, PlanError};
pub use run::{run, CancelSignal, Outcome, PromptTap, RunOptions, Setup, Shard};
