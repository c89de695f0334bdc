//! `thresh sign`: the map step of dedup at scale. Each document is read, cleaned for comparison
//! and fingerprinted exactly as `thresh dedup` does, and the fingerprints are written to a
//! Parquet file ([`crate::dedup::signature_file`]) instead of being clustered: `thresh cluster`
//! (or a Spark job) clusters the files of every shard together.

use super::exit::Exit;
use super::job::{self, Job, Mode, Target};
use crate::cli::SignArgs;
use crate::config::Step;
use crate::stages::StageOptions;
use anyhow::{bail, Result};

pub fn run(args: SignArgs) -> Result<Exit> {
    let settings = args.common.settings(|o| {
        // As `thresh dedup` compares: every step but repair shapes the compared text.
        o.default_steps = Some(
            Step::ALL
                .into_iter()
                .filter(|&s| s != Step::Repair)
                .collect(),
        );
    })?;
    if args.inputs.iter().any(|p| p.as_os_str() == "-") {
        bail!("thresh sign reads a corpus: give folders or files, not `-`");
    }
    if !settings.steps.contains(&Step::Dedup) {
        bail!("thresh sign needs the dedup step (it was left out by --steps or --skip)");
    }
    let shard = args
        .shard
        .as_deref()
        .map(|spec| crate::cli::shard(spec, |k| std::env::var(k).ok()))
        .transpose()?;
    job::run(Job {
        shard,
        overwrite: false,
        command: "sign",
        mode: Mode::DedupOnly,
        inputs: args.inputs,
        target: Target::Nowhere { print_edits: false },
        report: args.report,
        signatures: Some(args.out),
        applied: None,
        settings,
        options: StageOptions::default(),
    })
}
