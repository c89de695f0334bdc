//! `thresh dedup`: only normalize and deduplicate. Documents are written normalized (no other
//! rewriting rule touches them), but compared as `clean` would compare them: without boilerplate,
//! machine text and spin, so a shared site template never makes two pages alike.
//!
//! Repair is not among its default steps: mending a few glued words moves a copy's similarity by
//! a fraction of a percent (the labelled set clusters identically with and without it), while
//! repair and the corpus word counts it needs take about 40% of a run. `--steps` can add it.

use super::exit::Exit;
use super::job::{self, Job, Mode, Target};
use crate::cli::DedupArgs;
use crate::config::Step;
use crate::stages::StageOptions;
use anyhow::{bail, Result};

pub fn run(args: DedupArgs) -> Result<Exit> {
    let settings = args
        .common
        .settings(|o| {
            args.dedup.override_into(o);
            args.output.override_into(o);
            o.default_steps = Some(comparing_steps());
        })?
        .without_filters();
    check_corpus("dedup", &args.inputs, &settings)?;
    let target = match args.out {
        Some(out) => Target::Dir(out),
        None => Target::Nowhere { print_edits: false },
    };
    job::run(Job {
        stdin_jsonl: None,
        shard: crate::cli::shard_flag(args.output.shard.as_deref())?,
        signatures: None,
        index: args
            .dedup
            .index
            .map(|dir| job::IndexFlag { dir, adds: true }),
        applied: job::AppliedClusters::load_flag(args.dedup.clusters.as_deref())?,
        overwrite: args.output.overwrite,
        command: "dedup",
        mode: Mode::DedupOnly,
        inputs: args.inputs,
        target,
        report: Some(args.report),
        options: StageOptions::of(&settings)?,
        filters: Default::default(),
        settings,
    })
}

/// The steps that shape what dedup compares, by default: every step but repair (see above).
pub(super) fn comparing_steps() -> Vec<Step> {
    Step::ALL
        .into_iter()
        .filter(|&s| s != Step::Repair)
        .collect()
}

/// A corpus to compare: files and folders, not standard input, and the dedup step kept.
pub(super) fn check_corpus(
    command: &str,
    inputs: &[std::path::PathBuf],
    settings: &crate::config::Settings,
) -> Result<()> {
    if inputs.iter().any(|p| p.as_os_str() == "-") {
        bail!("thresh {command} compares a corpus: give folders or files, not `-`");
    }
    if !settings.steps.contains(&Step::Dedup) {
        bail!("thresh {command} needs the dedup step (it was left out by --steps or --skip)");
    }
    Ok(())
}
