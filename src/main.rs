use clap::Parser;
use std::process::ExitCode;
use thresh::commands::{self, Exit};

// Documents are split into many short-lived lines and vectors; mimalloc serves those small
// allocations faster than the system allocator, from per-thread pools.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
