//! `thresh clean`: the main job. Cleans every input document and writes a mirrored corpus and a
//! report.

use super::Exit;
use crate::cli::CleanArgs;
use crate::console::Console;
use crate::engine::{Engine, Event, Output, RunEnd, Sink, Status};
use crate::corpus::CorpusStats;
use crate::pipeline::{Pipeline, StageOptions, Step};
use std::sync::Arc;
use crate::read::{self, Compression, Kind, Source};
use crate::report::{ReportFiles, Summary};
use crate::write::{write_atomic, AtomicFile};
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: CleanArgs) -> Result<Exit> {
    let settings = super::settings(&args.common, |o| o.spun = args.spun)?;
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.inputs.len() > 1 {
        bail!("`-` (standard input) cannot be combined with other inputs");
    }
    let target = match (&args.out, stdin, args.dry_run) {
        (_, _, true) => Target::Nowhere { print_edits: args.report.is_none() },
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
            .map(crate::stages::boilerplate::fold)
            .filter(|l| !l.is_empty())
            .collect(),
        None => Default::default(),
    };
    for input in args.inputs.iter().filter(|p| p.as_os_str() != "-") {
        if !input.exists() {
            bail!("input {} does not exist", input.display());
        }
    }
    let mut outputs: Vec<(&str, &PathBuf)> = Vec::new();
    if let Target::Dir(out) = &target {
        outputs.push(("--out", out));
    }
    if let Some(report) = &args.report {
        outputs.push(("--report", report));
    }
    for (flag, dir) in outputs {
        check_disjoint(flag, dir, &args.inputs)?;
    }

    let start = Instant::now();
    let (sources, walk_errors) = read::discover(&args.inputs);
    // Boilerplate's strongest signal, and repair's knowledge of the corpus's own words, need the
    // whole corpus: count its lines and rare words first.
    let corpus_pass = Instant::now();
    let wants_corpus = [Step::Boilerplate, Step::Repair].iter().any(|s| settings.steps.contains(s)) && !stdin;
    let corpus_stats = wants_corpus.then(|| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(settings.threads).build().expect("thread pool");
        Arc::new(pool.install(|| CorpusStats::gather(&sources, &settings.text_field, &settings.id_field)))
    });
    let corpus_seconds = corpus_pass.elapsed().as_secs_f64();
    let pipeline = Pipeline::with_options(&settings.steps, &StageOptions { keep, corpus_stats, spun: settings.spun });
    let console = Console::new(settings.quiet, sources.len() as u64);
    let mut summary = Summary::new("clean", &args.inputs);
    summary.steps = pipeline.stage_names();
    summary.steps_unavailable = pipeline.unavailable.iter().map(|s| s.name()).collect();
    let report = args.report.as_deref().map(ReportFiles::create).transpose()?;

    let mut sink = CleanSink { target, report, console: &console, summary, open: None, taken: HashSet::new() };
    let engine = Engine { settings: &settings, pipeline: &pipeline, sources: &sources };
    let end = engine.run(&walk_errors, &mut sink)?;
    console.finish();
    // An unfinished JSONL output is dropped here: its temporary file goes with it.
    sink.open = None;
    let report = sink.report.take();
    let mut summary = std::mem::take(&mut sink.summary);
    summary.wall_seconds = start.elapsed().as_secs_f64();
    if wants_corpus {
        summary.stage_seconds.insert("corpus-pass", corpus_seconds);
    }
    summary.interrupted = end == RunEnd::Interrupted;
    if let Some(report) = report {
        report.finish(&summary)?;
    }
    let c = &summary.counts;
    console.info(&format!(
        "{} documents: {} written, {} empty, {} skipped, {} failed; {} edits{}",
        c.documents,
        c.written,
        c.empty,
        c.skipped,
        c.failed,
        summary.edits,
        args.report.as_ref().map(|r| format!("; report in {}", r.display())).unwrap_or_default()
    ));
    Ok(match end {
        RunEnd::Interrupted => Exit::Interrupted,
        RunEnd::Complete if c.failed > 0 => Exit::SomeFailed,
        RunEnd::Complete => Exit::Success,
    })
}

/// `--out` (or `--report`) inside an INPUT would be read back on the next run; an INPUT inside
/// `--out` could be overwritten. Both are refused before anything is written.
fn check_disjoint(flag: &str, dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    let dir_abs = absolute(dir);
    for input in inputs.iter().filter(|p| p.as_os_str() != "-") {
        let input_abs = absolute(input);
        if dir_abs.starts_with(&input_abs) {
            bail!("{flag} {} is inside input {}", dir.display(), input.display());
        }
        if input_abs.starts_with(&dir_abs) {
            bail!("input {} is inside {flag} {}", input.display(), dir.display());
        }
    }
    Ok(())
}

/// The path with symlinks resolved as far as it exists, for comparing locations.
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved
}

enum Target {
    Dir(PathBuf),
    Stdout,
    /// A dry run: nothing written but the report, or the edits on standard output.
    Nowhere { print_edits: bool },
}

struct CleanSink<'a> {
    target: Target,
    report: Option<ReportFiles>,
    console: &'a Console,
    summary: Summary,
    /// The JSONL output being written, for the source with this index.
    open: Option<(usize, AtomicFile)>,
    /// Output paths already used, to catch two inputs mapping to one output.
    taken: HashSet<String>,
}

impl Sink for CleanSink<'_> {
    fn event(&mut self, sources: &[Source], event: Event) -> Result<()> {
        let mut outcome = match event {
            Event::FileEnd(src) => return self.file_end(src),
            Event::Doc(outcome) => outcome,
        };
        if let Some(src) = outcome.source {
            if let Err(e) = self.write(&sources[src], src, &outcome.output) {
                outcome.report.status = Status::Failed;
                outcome.report.error = Some(format!("{e:#}"));
                outcome.report.bytes_out = 0;
            }
        }
        if let Target::Nowhere { print_edits: true } = self.target {
            let mut out = std::io::stdout().lock();
            for edit in &outcome.edits {
                serde_json::to_writer(&mut out, edit)?;
                out.write_all(b"\n")?;
            }
        }
        self.tell(&outcome.report);
        self.summary.add(&outcome.report, &outcome.edits, &outcome.timings);
        if let Some(report) = &mut self.report {
            report.add(&outcome.report, &outcome.edits)?;
        }
        Ok(())
    }
}

impl CleanSink<'_> {
    fn tell(&self, doc: &crate::engine::DocReport) {
        let what = if doc.id == doc.source { doc.source.clone() } else { format!("{} ({})", doc.source, doc.id) };
        match doc.status {
            Status::Failed => self.console.error(&what, doc.error.as_deref().unwrap_or("failed")),
            // Other kinds of file are skipped quietly (they are counted); binary "text" is news.
            Status::Skipped if doc.warning.as_deref().is_some_and(|w| w.starts_with("binary")) => {
                self.console.warn(&what, &format!("skipped: {}", doc.warning.as_deref().unwrap_or("")))
            }
            _ => {
                if let Some(w) = &doc.warning {
                    if doc.status != Status::Skipped {
                        self.console.warn(&what, w);
                    }
                }
            }
        }
    }

    fn write(&mut self, source: &Source, src: usize, output: &Output) -> Result<()> {
        let dir = match &self.target {
            Target::Dir(dir) => Some(dir.clone()),
            Target::Stdout => None,
            Target::Nowhere { .. } => return Ok(()),
        };
        match (dir, output) {
            (_, Output::None) => Ok(()),
            (None, Output::Text(text) | Output::JsonLine(text)) => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())?;
                out.flush()?;
                Ok(())
            }
            (Some(dir), Output::Text(text)) => {
                self.claim(&source.rel)?;
                let dest = dir.join(&source.rel);
                write_atomic(&dest, text.as_bytes()).with_context(|| format!("cannot write {}", dest.display()))
            }
            (Some(dir), Output::JsonLine(line)) => {
                if self.open.as_ref().is_none_or(|(open_src, _)| *open_src != src) {
                    self.claim(&source.rel)?;
                    let compression = match source.kind {
                        Kind::Jsonl(c) => c,
                        _ => Compression::None,
                    };
                    let dest = dir.join(&source.rel);
                    let file = AtomicFile::create(&dest, compression).with_context(|| format!("cannot create {}", dest.display()))?;
                    self.open = Some((src, file));
                }
                let (_, file) = self.open.as_mut().expect("opened above");
                file.write_all(line.as_bytes())?;
                file.write_all(b"\n")?;
                Ok(())
            }
        }
    }

    fn claim(&mut self, rel: &str) -> Result<()> {
        if !self.taken.insert(rel.to_string()) {
            bail!("output {rel} would overwrite the output of an earlier input with the same relative path");
        }
        Ok(())
    }

    fn file_end(&mut self, src: usize) -> Result<()> {
        self.console.file_done();
        if self.open.as_ref().is_some_and(|(open_src, _)| *open_src == src) {
            let (_, file) = self.open.take().expect("checked");
            file.commit().context("cannot finish output file")?;
        }
        Ok(())
    }
}
