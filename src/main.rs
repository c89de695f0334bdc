use clap::Parser;
use std::process::ExitCode;
use thresh::commands::{self, Exit};

fn main() -> ExitCode {
    let cli = thresh::cli::Cli::parse();
    match commands::run(cli) {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(e) => {
            eprintln!("thresh: error: {e:#}");
            ExitCode::from(Exit::Fatal as u8)
        }
    }
}
