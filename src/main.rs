use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    postie::started();
    let cli = postie::cli::Cli::parse();
    postie::cli::run(cli)
}
