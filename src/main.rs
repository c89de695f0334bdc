use clap::Parser;
use std::process::ExitCode;
use thresh::commands::{self, Exit};

fn main() -> ExitCode {
    let cli = thresh::cli::Cli::parse();
    match commands::run(cli) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            eprintln!("thresh: error: {e:#}");
            ExitCode::from(Exit::Fatal.code())
        }
    }
}
