use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = postie::cli::Cli::parse();
    postie::cli::run(cli)
}
