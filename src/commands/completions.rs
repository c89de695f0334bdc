//! `thresh completions SHELL`: the shell's completion script, made from the same clap
//! definitions as the flags themselves, so it never falls behind them.

use super::exit::Exit;
use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;

pub fn run(args: CompletionsArgs) -> Result<Exit> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "thresh", &mut std::io::stdout());
    Ok(Exit::Success)
}
