//! One module per subcommand.

pub mod clean;
pub mod cluster;
pub mod completions;
pub mod dedup;
pub mod diff;
mod exit;
mod job;
pub mod man;
pub mod report;
pub mod show;
pub mod sign;

pub use exit::Exit;

use crate::cli::{Cli, Command};
use anyhow::Result;

pub fn run(cli: Cli) -> Result<Exit> {
    crate::interrupt::install();
    match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Dedup(args) => dedup::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Cluster(args) => cluster::run(args),
        Command::Show(args) => show::run(args),
        Command::Report(args) => report::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}
