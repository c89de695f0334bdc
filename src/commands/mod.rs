//! One module per subcommand.

pub mod clean;
pub mod dedup;
pub mod diff;
mod job;

use crate::cli::{Cli, Command, CommonArgs};
use crate::config::{ConfigFile, Settings};
use anyhow::Result;

/// Exit statuses, as the CLI contract fixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// `clean` and `dedup` finished, but some inputs failed.
    SomeFailed,
    /// `diff`: the two versions differ.
    Different,
    Fatal,
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::SomeFailed | Exit::Different => 1,
            Exit::Fatal => 2,
            Exit::Interrupted => 130,
        }
    }
}

pub fn run(cli: Cli) -> Result<Exit> {
    crate::interrupt::install();
    match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Dedup(args) => dedup::run(args),
        Command::Diff(args) => diff::run(args),
    }
}

pub(crate) fn settings(
    common: &CommonArgs,
    extra: impl FnOnce(&mut crate::config::Overrides),
) -> Result<Settings> {
    let file = match &common.config {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    let mut overrides = common.overrides();
    extra(&mut overrides);
    Settings::resolve(overrides, file)
}
