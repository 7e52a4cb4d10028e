use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Failure};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate for
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Result<(), Failure> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "postie", &mut std::io::stdout());
    Ok(())
}
