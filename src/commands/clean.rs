//! `thresh clean`: the main job. Cleans every input document, drops near-duplicates, and writes a
//! mirrored corpus and a report.

use super::exit::Exit;
use super::job::{self, Job, Mode, Target};
use crate::cli::{CleanArgs, StdinFormat};
use crate::stages::StageOptions;
use anyhow::{bail, Context, Result};

pub fn run(args: CleanArgs) -> Result<Exit> {
    let settings = args.common.settings(|o| {
        o.spun = args.spun;
        args.dedup.override_into(o);
        args.output.override_into(o);
        o.filter = args.filter.clone();
        o.min_words = args.min_words;
        o.languages = args.languages.clone();
    })?;
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.inputs.len() > 1 {
        bail!("`-` (standard input) cannot be combined with other inputs");
    }
    let target = match (&args.out, stdin, args.dry_run) {
        (_, _, true) => Target::Nowhere {
            print_edits: args.report.is_none(),
        },
        (Some(out), _, false) => Target::Dir(out.clone()),
        (None, true, false) => Target::Stdout,
        (None, false, false) => {
            bail!("--out DIR is required (or give `-` to clean standard input to standard output, or --dry-run)")
        }
    };
    let keep = match &args.keep {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --keep file {}", path.display()))?
            .lines()
            .map(crate::text::fold)
            .filter(|l| !l.is_empty())
            .collect(),
        None => Default::default(),
    };
    let options = StageOptions {
        keep,
        ..StageOptions::of(&settings)?
    };
    // JSON Lines on standard input are spooled to a file first: the corpus pass reads its input
    // twice, and dedup compares the records with each other.
    let stdin_jsonl = match (args.stdin_format, stdin) {
        (Some(StdinFormat::Jsonl), true) => {
            let mut spool = tempfile::NamedTempFile::new()
                .context("cannot make a temporary file for standard input")?;
            std::io::copy(&mut std::io::stdin().lock(), &mut spool)
                .context("cannot read standard input")?;
            Some(spool.into_temp_path())
        }
        (Some(StdinFormat::Jsonl), false) => {
            bail!(
                "--stdin-format jsonl says what `-` (standard input) holds: give `-` as the input"
            )
        }
        _ => None,
    };
    job::run(Job {
        stdin_jsonl: stdin_jsonl.as_ref().map(|p| p.to_path_buf()),
        shard: crate::cli::shard_flag(args.output.shard.as_deref())?,
        signatures: None,
        index: args.dedup.index.map(|dir| job::IndexFlag {
            dir,
            adds: !args.dry_run,
        }),
        applied: job::AppliedClusters::load_flag(args.dedup.clusters.as_deref())?,
        overwrite: args.output.overwrite,
        command: "clean",
        mode: Mode::Clean,
        inputs: args.inputs,
        target,
        report: args.report,
        filters: crate::filters::Filters::new(
            &settings.filters,
            settings.min_words,
            settings.languages.as_deref(),
        )
        .map_err(anyhow::Error::msg)?,
        settings,
        options,
    })
}
