//! One module per subcommand.

pub mod clean;
pub mod cluster;
pub mod dedup;
pub mod diff;
mod exit;
mod job;
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
    }
}
