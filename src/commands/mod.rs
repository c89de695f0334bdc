//! One module per subcommand.

pub mod clean;
pub mod dedup;
mod job;

use crate::cli::{Cli, Command, CommonArgs};
use crate::config::{ConfigFile, Settings};
use anyhow::Result;

/// Exit statuses, as the CLI contract fixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    SomeFailed = 1,
    Fatal = 2,
    Interrupted = 130,
}

pub fn run(cli: Cli) -> Result<Exit> {
    crate::interrupt::install();
    match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Dedup(args) => dedup::run(args),
    }
}

pub(crate) fn settings(common: &CommonArgs, extra: impl FnOnce(&mut crate::config::Overrides)) -> Result<Settings> {
    let file = match &common.config {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    let mut overrides = common.overrides();
    extra(&mut overrides);
    Settings::resolve(overrides, file)
}
