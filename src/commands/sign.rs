//! `thresh sign`: the map step of dedup at scale. Each document is read, cleaned for comparison
//! and fingerprinted exactly as `thresh dedup` does, and the fingerprints are written to a
//! Parquet file ([`crate::dedup::signature_file`]) instead of being clustered: `thresh cluster`
//! (or a Spark job) clusters the files of every shard together.

use super::exit::Exit;
use super::job::{self, Job, Mode, Target};
use crate::cli::SignArgs;
use crate::stages::StageOptions;
use anyhow::Result;

pub fn run(args: SignArgs) -> Result<Exit> {
    // As `thresh dedup` compares.
    let settings = args
        .common
        .settings(|o| o.default_steps = Some(super::dedup::comparing_steps()))?
        .without_filters();
    super::dedup::check_corpus("sign", &args.inputs, &settings)?;
    job::run(Job {
        stdin_jsonl: None,
        shard: crate::cli::shard_flag(args.shard.as_deref())?,
        overwrite: false,
        command: "sign",
        mode: Mode::DedupOnly,
        inputs: args.inputs,
        target: Target::Nowhere { print_edits: false },
        report: args.report,
        signatures: Some(args.out),
        applied: None,
        index: None,
        options: StageOptions::of(&settings)?,
        filters: Default::default(),
        settings,
    })
}
