//! Running a corpus job (`clean` or `dedup`): plan which passes run, then run them in order.
//!
//! 1. The corpus pass ([`corpus_pass`]), when a stage needs the whole corpus before it runs:
//!    boilerplate's and dedup's template lines, repair's rare words. When only dedup needs it,
//!    there is none: dedup counts template lines as the documents flow ([`crate::dedup::Deferred`]).
//! 2. The main pass: the engine streams the reader's items through the [`document`] step. Without
//!    dedup its results go straight to the [`output`] sink. With dedup, edits go to the report,
//!    the cleaned documents are [`held`], and their prints go to the dedup index ([`first_pass`]).
//! 3. With dedup, clustering over the whole corpus decides, and the held documents are replayed
//!    in input order and written or reported as those decisions say ([`decisions`]).
//!
//! Then every input not accounted for yet (an interrupted run) is reported, and the report closed.

mod cluster_report;
mod completion;
mod corpus_pass;
mod decisions;
mod document;
mod first_pass;
mod held;
mod normalized;
mod output;

pub(super) use cluster_report::write_document_clusters;
pub(super) use corpus_pass::{corpus_stats, wants_corpus};
pub(super) use decisions::AppliedClusters;
pub(super) use document::{DocumentStep, Event};
pub(super) use output::tell;

use super::exit::Exit;
use crate::config::{PassageMode, Settings, Step};
use crate::console::{count, Console};
use crate::dedup::signature_file::Parameters;
use crate::dedup::spans::MinSpan;
use crate::dedup::{
    ClusterSettings, Clusters, Deferred, Fingerprinter, Index, IndexFolder, PrintLog,
};
use crate::engine::{Engine, RunEnd};
use crate::interrupt;
use crate::pipeline::Pipeline;
use crate::read::{self, Item, Kind, Reader, Shard};
use crate::report::{walk_report, DocReport, ReportFiles, Status, Summary};
use crate::stages::StageOptions;
use crate::write::{OutFolder, Output};
use anyhow::{bail, Context, Result};
use cluster_report::write_cluster_reports;
use decisions::{decide, passage_drops, pend};
use first_pass::FirstPass;
use held::{Held, HeldDocs};
use output::{Destination, OutputSink};
use serde_json::json;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(super) enum Target {
    Dir(PathBuf),
    Stdout,
    /// Nothing written but the report, or the edits on standard output.
    Nowhere {
        print_edits: bool,
    },
}

/// Which pipeline the job runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Every step rewrites the documents.
    Clean,
    /// Only normalize rewrites; the other steps shape what dedup compares.
    DedupOnly,
}

pub(super) struct Job {
    pub command: &'static str,
    /// Write into a non-empty --out that thresh did not write.
    pub overwrite: bool,
    pub mode: Mode,
    pub inputs: Vec<PathBuf>,
    pub target: Target,
    pub report: Option<PathBuf>,
    pub settings: Settings,
    pub options: StageOptions,
    /// The quality filters `clean` runs on each cleaned document.
    pub filters: crate::filters::Filters,
    /// Only this share of the input files (`--shard`); `target` and `report` are the shard's own
    /// folders.
    pub shard: Option<Shard>,
    /// Write the dedup fingerprints to `signatures.parquet` in this folder instead of clustering
    /// (`thresh sign`).
    pub signatures: Option<PathBuf>,
    /// Take dedup's decisions from a clusters file instead of clustering (`--clusters`).
    pub applied: Option<AppliedClusters>,
    /// Dedup against the documents earlier runs kept, and add this run's (`--index`).
    pub index: Option<IndexFlag>,
    /// Where JSON Lines read from standard input (`-`) were spooled (`--stdin-format jsonl`).
    pub stdin_jsonl: Option<PathBuf>,
}

/// An `--index` folder, and whether the run adds its kept documents to it (a dry run does not).
pub(super) struct IndexFlag {
    pub dir: PathBuf,
    pub adds: bool,
}

pub(super) fn run(mut job: Job) -> Result<Exit> {
    // A shard writes its output and report in folders of its own inside the ones given, so the
    // shards of one array job can all be given the same command.
    if let Some(shard) = job.shard {
        if let Target::Dir(dir) = &mut job.target {
            *dir = dir.join(shard.folder());
        }
        if let Some(dir) = &mut job.report {
            *dir = dir.join(shard.folder());
        }
        if let Some(dir) = &mut job.signatures {
            *dir = dir.join(shard.folder());
        }
    }
    let settings = &job.settings;
    // Standard input as one document: nothing to compare it with, nothing to read twice.
    let stdin = job.inputs.iter().any(|p| p.as_os_str() == "-") && job.stdin_jsonl.is_none();
    check_paths(&job)?;
    let mut index_folder = job
        .index
        .as_ref()
        .map(|flag| open_index(&job, &flag.dir))
        .transpose()?;
    // Before anything is written: a folder of the user's own files is refused, not mixed into.
    let out = match &job.target {
        Target::Dir(dir) => Some(OutFolder::claim(dir, job.overwrite)?),
        _ => None,
    };

    let start = Instant::now();
    let (mut sources, mut walk_errors) = read::discover(&job.inputs);
    if let Some(spool) = &job.stdin_jsonl {
        for source in sources.iter_mut().filter(|s| s.is_stdin()) {
            source.path = spool.clone();
            source.kind = Kind::Jsonl(read::Compression::None);
        }
    }
    // A shard's own folder: where its marker says it is done.
    let shard_home = match (&job.report, &job.target, &job.signatures) {
        (Some(dir), _, _) | (None, Target::Dir(dir), _) | (None, _, Some(dir)) => Some(dir.clone()),
        _ => None,
    };
    let completion = match (job.shard, &shard_home) {
        (Some(shard), Some(home)) => {
            sources.retain(|s| shard.holds(&s.rel));
            walk_errors.retain(|e| shard.holds(&e.rel));
            let completion =
                completion::Completion::of(job.command, shard, &job.inputs, &sources, settings);
            if completion.is_done_in(home) {
                if !settings.quiet {
                    eprintln!(
                        "thresh: shard {}/{} is done already ({}): nothing to do",
                        shard.index,
                        shard.count,
                        home.join(completion::MARKER).display()
                    );
                }
                return Ok(Exit::Success);
            }
            completion::clear_in(home)?;
            Some((completion, home.clone()))
        }
        (Some(_), None) => bail!("--shard needs --out or --report: a folder of its own"),
        (None, _) => None,
    };
    let spill_dir = match (&job.target, &job.report) {
        (Target::Dir(dir), _) | (_, Some(dir)) => dir.clone(),
        _ => std::env::temp_dir(),
    };
    // The plan. When no stage needs the statistics before it runs, dedup counts its template
    // lines as the documents flow instead, and the corpus is read once.
    // With decisions from a clusters file, this run makes none of its own.
    let dedup_step = settings.steps.contains(&Step::Dedup) && job.applied.is_none();
    let defer_templates = dedup_step && !stdin && !corpus_pass::stages_want_corpus(settings);
    let wants_corpus = wants_corpus(settings) && !stdin && !defer_templates;
    // With standard input there is one document: nothing to compare it with.
    let dedup = dedup_step && !stdin;

    let console = Console::new(settings.quiet);
    // The bar measures each pass by the bytes of the input files it reads.
    let input_bytes = read::input_bytes(&sources);
    if wants_corpus {
        console.pass("counting", input_bytes, read::bytes_read());
    }
    let corpus_started = Instant::now();
    let (corpus_stats, normalized, pages) = match wants_corpus.then(|| {
        corpus_pass::corpus_pass(settings, &job.options, &sources, Some(&spill_dir), &console)
    }) {
        Some((stats, normalized, pages)) => (Some(stats), normalized, pages),
        None => (None, None, None),
    };
    let corpus_seconds = corpus_started.elapsed().as_secs_f64();
    let options = StageOptions {
        corpus_stats: corpus_stats.clone(),
        ..job.options.clone()
    };
    let (pipeline, view) = match job.mode {
        Mode::Clean => (Pipeline::new(&settings.steps, &options), None),
        Mode::DedupOnly => Pipeline::dedup_only(&settings.steps, &options),
    };
    let mut summary = Summary::new(job.command, &job.inputs);
    summary.steps = pipeline.stage_names();
    summary
        .steps
        .extend(view.iter().flat_map(Pipeline::stage_names));
    if dedup_step {
        summary.steps.push(Step::Dedup.name());
    }
    summary.steps_unavailable = settings
        .steps
        .iter()
        .map(|s| s.name())
        .filter(|name| !summary.steps.contains(name))
        .collect();
    let fingerprinter = dedup_step.then(|| Fingerprinter {
        view,
        corpus_stats,
        defer_templates,
        spans: settings.passages != PassageMode::Off && job.signatures.is_none(),
    });
    let report = job.report.as_deref().map(ReportFiles::create).transpose()?;

    let target = match (job.target, out) {
        (_, Some(folder)) => Destination::Dir(folder),
        (Target::Stdout, _) => Destination::Stdout,
        (Target::Nowhere { print_edits }, _) => Destination::Nowhere { print_edits },
        (Target::Dir(_), None) => unreachable!("a --out folder is claimed above"),
    };
    let mut sink = OutputSink {
        sources: &sources,
        target,
        report,
        console: &console,
        summary,
        line: Vec::new(),
        open: None,
        taken: HashSet::new(),
        written: HashSet::new(),
        walk_reported: 0,
        ended: 0,
        last_source: None,
        one_file: settings.out_format == crate::config::OutFormat::Jsonl,
        markdown: settings.html_output == crate::config::HtmlOutput::Markdown,
        applied: job.applied.as_ref(),
        applied_ids: HashSet::new(),
        edit_log: settings.edits,
        cluster_field: settings.cluster_field.clone(),
    };
    let writes = !matches!(sink.target, Destination::Nowhere { .. });
    let reader = Reader {
        sources: &sources,
        text_field: &settings.text_field,
        id_field: &settings.id_field,
        html_field: settings.html_field.as_deref(),
        pages: pages.as_ref(),
        // A record's fields are read for writing it back, or for the field that picks the copy
        // of a cluster kept.
        keep_fields: writes
            || matches!(
                settings.keep_duplicate,
                crate::config::KeepDuplicate::Field { .. }
            ),
    };
    let step = DocumentStep {
        settings,
        filters: &job.filters,
        reader: &reader,
        pipeline: &pipeline,
        fingerprinter: fingerprinter.as_ref(),
        writes,
        keeps_output: writes || settings.passages == PassageMode::Drop,
        normalized: normalized.as_ref(),
    };
    let engine = Engine {
        threads: settings.threads,
    };
    let main_pass = |sink: &mut (dyn crate::engine::Sink<Event> + Send)| {
        console.pass(
            if dedup { "reading" } else { "cleaning" },
            input_bytes,
            read::bytes_read(),
        );
        engine.run(
            |each| reader.items(&walk_errors, each),
            Item::bytes,
            |item| step.run(item),
            sink,
        )
    };
    // This run's kept documents, to add to the --index once everything else is written.
    let mut to_index = None;
    let mut end = if dedup {
        let mut first = FirstPass {
            out: &mut sink,
            held: HeldDocs::create_in(&spill_dir),
            index: Index::with_store(Box::new(PrintLog::create_in(&spill_dir))),
            deferred: defer_templates.then(|| Deferred::create_in(&spill_dir)),
        };
        let end = main_pass(&mut first)?;
        let FirstPass {
            held,
            index,
            deferred,
            ..
        } = first;
        let decided = Decided {
            held,
            index,
            deferred,
            signatures: job.signatures.as_deref(),
            earlier: index_folder.as_ref(),
        };
        let (end, kept) = write_decided(settings, &console, &mut sink, decided, end, &spill_dir)?;
        to_index = kept;
        end
    } else {
        if let Some(report) = &sink.report {
            write_cluster_reports(report, &Index::default(), &Clusters::default(), None)?;
        }
        main_pass(&mut sink)?
    };
    // A signal after the last document still ends the run as interrupted: the user asked to stop,
    // and the report says what was done by then.
    if interrupt::requested() {
        end = RunEnd::Interrupted;
    }
    console.finish();
    account_for_the_rest(&mut sink, &walk_errors)?;
    let cleared = match std::mem::replace(
        &mut sink.target,
        Destination::Nowhere { print_edits: false },
    ) {
        // With an --index, a document already in it is not written again: the earlier run's
        // file of it stays (a run repeated into the same --out must not empty it).
        Destination::Dir(folder) => folder
            .finish(
                &sink.written,
                end == RunEnd::Complete && index_folder.is_none(),
            )
            .context("cannot list what was written to --out")?,
        _ => Default::default(),
    };
    for failure in &cleared.failed {
        console.warn(
            "--out",
            &format!("cannot remove the earlier run's {failure}"),
        );
    }
    if let (Some(applied), Some(report)) = (job.applied.as_ref(), &sink.report) {
        report.write_jsonl("clusters.jsonl", applied.records_of(&sink.applied_ids))?;
    }
    // Only a complete run that writes adds to the index: its part is written now, and named in
    // the index's manifest once the report is in place too.
    let adding = match (&mut index_folder, &to_index, end) {
        (Some(folder), Some(kept), RunEnd::Complete) => {
            let part = match job.index.as_ref().is_some_and(|i| i.adds) {
                true => Some(
                    folder
                        .write_part(&kept.index, &kept.docs, job.command)
                        .context("cannot add to the --index")?,
                ),
                false => None,
            };
            if let Some(serde_json::Value::Object(dedup)) = &mut sink.summary.dedup {
                let added = part.as_ref().map_or(0, |p| p.documents());
                dedup.insert(
                    "index".into(),
                    json!({
                        "earlier": kept.index.len() as u32 - kept.index.this_run(),
                        "added": added,
                        "part": part.as_ref().map(|p| p.file()),
                        "documents": folder.documents() + added,
                    }),
                );
            }
            part
        }
        _ => None,
    };
    let report = sink.report.take();
    let mut summary = std::mem::take(&mut sink.summary);
    summary.wall_seconds = start.elapsed().as_secs_f64();
    if wants_corpus {
        summary.stage_seconds.insert("corpus-pass", corpus_seconds);
    }
    summary.interrupted = end == RunEnd::Interrupted;
    summary.stale_removed = cleared.removed as u64;
    summary.settings = serde_json::to_value(settings).ok();
    if let Some(report) = report {
        let dir = report.finish(&summary)?;
        // The page only shows the report: a report without it is still whole.
        if let Err(e) = crate::report::page::write(&dir) {
            console.warn(&dir.display().to_string(), &format!("{e:#}"));
        }
    }
    if let (Some(folder), Some(part)) = (&mut index_folder, adding) {
        folder.publish(part).context("cannot add to the --index")?;
    }
    closing_line(&console, &summary, job.report.as_deref());
    let c = &summary.counts;
    let exit = match end {
        RunEnd::Interrupted => Exit::Interrupted,
        RunEnd::Complete if c.failed > 0 => Exit::SomeFailed,
        RunEnd::Complete => Exit::Success,
    };
    // Last, once everything else is in place; a shard with failed documents runs again.
    if let (Some((completion, home)), Exit::Success) = (&completion, exit) {
        completion.write_in(home)?;
    }
    Ok(exit)
}

/// What the first pass of a job with dedup leaves: the held documents, the index, the scans to
/// finish, where the signatures go instead of clustering (`thresh sign`), and the documents
/// earlier runs kept (`--index`).
struct Decided<'a> {
    held: HeldDocs,
    index: Index,
    deferred: Option<Deferred>,
    signatures: Option<&'a Path>,
    earlier: Option<&'a IndexFolder>,
}

/// This run's documents that dedup kept, to add to the `--index`.
struct KeptDocs {
    index: Index,
    docs: Vec<u32>,
}

/// The `--index` folder, opened (and locked) before anything is read.
fn open_index(job: &Job, dir: &Path) -> Result<IndexFolder> {
    if job.shard.is_some() {
        bail!(
            "--index with --shard: the shards of an array job would add to one index at once; \
             sign them and give the index to `thresh cluster --index` (see the README's Scale out)"
        );
    }
    if job.applied.is_some() {
        bail!("--index with --clusters: the clusters file decides, so there is nothing to compare");
    }
    if job.signatures.is_some() {
        bail!("--index is for runs that dedup: give it to `thresh cluster`");
    }
    if !job.settings.steps.contains(&Step::Dedup) {
        bail!("--index needs the dedup step (it was left out by --steps or --skip)");
    }
    if job.inputs.iter().any(|p| p.as_os_str() == "-") {
        bail!("--index needs a corpus: give folders or files, not `-`");
    }
    check_disjoint("--index", dir, &job.inputs)?;
    let written = [
        match &job.target {
            Target::Dir(out) => Some(("--out", out.as_path())),
            _ => None,
        },
        job.report.as_deref().map(|r| ("--report", r)),
    ];
    for (flag, folder) in written.into_iter().flatten() {
        check_apart(("--index", dir), (flag, folder))?;
    }
    let parameters = Parameters::for_threshold(job.settings.threshold);
    Ok(IndexFolder::open(dir, &parameters)?)
}

/// After the first pass of a job with dedup: finish deferred scans, cluster (or write the
/// signatures), write the cluster reports, then replay the held documents in input order, writing
/// each as dedup decided.
fn write_decided(
    settings: &Settings,
    console: &Console,
    sink: &mut OutputSink,
    decided: Decided,
    mut end: RunEnd,
    spill_dir: &Path,
) -> Result<(RunEnd, Option<KeptDocs>)> {
    let Decided {
        held,
        mut index,
        deferred,
        signatures,
        earlier,
    } = decided;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()?;
    if let Some(deferred) = deferred.filter(|d| end == RunEnd::Complete && !d.is_empty()) {
        let finishing = Instant::now();
        let warn = |what: &str, message: &str| console.warn(what, message);
        if !pool.install(|| deferred.finish_into(&mut index, &warn))? {
            end = RunEnd::Interrupted;
        }
        *sink
            .summary
            .stage_seconds
            .entry(Step::Dedup.name())
            .or_default() += finishing.elapsed().as_secs_f64();
    }
    if let (Some(folder), RunEnd::Complete) = (earlier, end) {
        let reading = Instant::now();
        index
            .add_earlier(&folder.parts(), &folder.parameters())
            .context("cannot read the --index")?;
        let stage_seconds = &mut sink.summary.stage_seconds;
        stage_seconds.insert("dedup-index", reading.elapsed().as_secs_f64());
    }
    console.step("dedup");
    let clustering = Instant::now();
    if let (Some(dir), RunEnd::Complete) = (signatures, end) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join("signatures.parquet");
        let parameters =
            crate::dedup::signature_file::Parameters::for_threshold(settings.threshold);
        index
            .write_signatures(&parameters, &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // A first pass that did not see the whole corpus clusters nothing, and writes nothing: its
    // documents are reported `pending`. Signing clusters nothing either.
    let cluster_settings = cluster_settings(settings);
    let clusters = match end {
        RunEnd::Complete if signatures.is_none() => {
            pool.install(|| index.cluster_documents(&cluster_settings))
        }
        _ => Ok(Clusters::default()),
    };
    let documents_took = clustering.elapsed().as_secs_f64();
    let finding = Instant::now();
    let clusters = match clusters {
        Ok(documents)
            if end == RunEnd::Complete
                && signatures.is_none()
                && settings.passages != PassageMode::Off =>
        {
            pool.install(|| index.cluster_passages(documents, &cluster_settings, &held))
        }
        clusters => clusters,
    };
    let clusters = match clusters {
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
            end = RunEnd::Interrupted;
            Clusters::default()
        }
        clusters => clusters?,
    };
    // The passages' places and texts are read back as part of finding them.
    let dropped = passage_drops(&clusters, &index, &held, settings.passages, spill_dir)?;
    let passages_took = finding.elapsed().as_secs_f64();
    let reporting = Instant::now();
    if let Some(report) = &sink.report {
        write_cluster_reports(report, &index, &clusters, Some(&dropped.texts))?;
    }
    let stage_seconds = &mut sink.summary.stage_seconds;
    stage_seconds.insert(
        "dedup-cluster",
        documents_took + reporting.elapsed().as_secs_f64(),
    );
    if settings.passages != PassageMode::Off {
        stage_seconds.insert("dedup-passages", passages_took);
    }
    sink.summary.dedup = Some(json!({
        "threshold": settings.threshold,
        "clusters": clusters.documents.len(),
        "passage_clusters": clusters.passages.len(),
        "passages": format!("{:?}", settings.passages).to_lowercase(),
    }));
    console.step("writing");
    for record in held.replay()? {
        match record? {
            Held::End(src) => sink.file_end(src)?,
            Held::Doc(mut doc) => {
                // Once interrupted, every document still to be written is only reported.
                interrupt::checkpoint("write");
                if interrupt::requested() {
                    end = RunEnd::Interrupted;
                }
                let mut edits = decide(&mut doc, &clusters, &dropped)?;
                if end == RunEnd::Interrupted {
                    pend(&mut doc.report);
                    doc.output = Output::None;
                    edits.clear();
                }
                sink.add_work(&edits, &[])?;
                sink.add_document(doc.source, doc.report, &doc.output)?;
            }
        }
    }
    let kept = (earlier.is_some() && end == RunEnd::Complete).then(|| KeptDocs {
        docs: index.kept_of_this_run(&clusters),
        index,
    });
    Ok((end, kept))
}

/// What dedup clusters by, from the run's settings.
fn cluster_settings(settings: &Settings) -> ClusterSettings {
    ClusterSettings {
        threshold: settings.threshold,
        min_span: settings
            .min_span_words
            .map_or(MinSpan::DEFAULT, MinSpan::words),
        containment: settings.containment,
        keep: settings.keep_duplicate.clone(),
    }
}

/// Every input not accounted for yet, after an interruption: the JSONL output of a file cut short
/// holds whole lines only, each a document reported as written, so it is finished; paths the
/// walk passed over (reported first) are reported if a signal came before them; and one `pending`
/// record stands for what was not read of each input.
fn account_for_the_rest(sink: &mut OutputSink, walk_errors: &[read::WalkError]) -> Result<()> {
    sink.commit_open(None)?;
    for unlisted in &walk_errors[sink.walk_reported.min(walk_errors.len())..] {
        sink.add_document(None, walk_report(unlisted), &Output::None)?;
    }
    let sources = sink.sources;
    for (i, source) in sources.iter().enumerate().skip(sink.ended) {
        // A text file is one document: delivered, it is whole even if its end was not noted.
        if !matches!(source.kind, Kind::Jsonl(_)) && sink.last_source == Some(i) {
            continue;
        }
        let mut doc = DocReport::new(source.rel.clone(), &source.rel, Status::Pending);
        doc.warning = Some("not read (or not to its end): the run was interrupted".into());
        sink.add_document(None, doc, &Output::None)?;
    }
    Ok(())
}

fn closing_line(console: &Console, summary: &Summary, report: Option<&Path>) {
    let c = &summary.counts;
    if c.read == 0 && c.failed == 0 && c.pending == 0 {
        console.warn(
            &summary.inputs.join(" "),
            &format!(
                "no documents found ({} skipped)",
                count(c.skipped, "file", "files")
            ),
        );
    }
    console.info(&format!(
        "{}{}: {} written, {} duplicate, {} empty, {}{}{} skipped, {} failed{}; {}{}",
        if summary.interrupted {
            "interrupted: "
        } else {
            ""
        },
        count(c.documents, "document", "documents"),
        c.written,
        c.duplicate,
        c.empty,
        // Statuses only some runs give, named only when they occur.
        if c.filtered > 0 {
            format!("{} filtered, ", c.filtered)
        } else {
            String::new()
        },
        if c.spun_dropped > 0 {
            format!("{} dropped, ", c.spun_dropped)
        } else {
            String::new()
        },
        c.skipped,
        c.failed,
        if c.pending > 0 {
            format!(", {} pending (not written)", c.pending)
        } else {
            String::new()
        },
        count(summary.edits, "edit", "edits"),
        report
            .map(|r| format!("; report in {}", r.display()))
            .unwrap_or_default()
    ));
}

/// The inputs, `--out` and `--report` checked before anything is read or written.
fn check_paths(job: &Job) -> Result<()> {
    for input in job.inputs.iter().filter(|p| p.as_os_str() != "-") {
        if !input.exists() && std::fs::symlink_metadata(input).is_err() {
            bail!("input {} does not exist", input.display());
        }
    }
    let mut outputs: Vec<(&str, &PathBuf)> = Vec::new();
    if let Target::Dir(out) = &job.target {
        outputs.push(("--out", out));
    }
    if let Some(report) = &job.report {
        outputs.push(("--report", report));
    }
    if let (Target::Dir(out), Some(report)) = (&job.target, &job.report) {
        // The report's files would replace documents of the same name in the output.
        check_apart(("--out", out), ("--report", report))?;
    }
    for (flag, dir) in outputs {
        check_disjoint(flag, dir, &job.inputs)?;
        if dir.exists() && !dir.is_dir() {
            bail!("{flag} {} is a file, not a folder", dir.display());
        }
    }
    Ok(())
}

/// Two folders a run writes, neither inside the other: each would take the other's files for
/// its own.
fn check_apart(a: (&str, &Path), b: (&str, &Path)) -> Result<()> {
    let (a_abs, b_abs) = (absolute(a.1), absolute(b.1));
    if a_abs.starts_with(&b_abs) || b_abs.starts_with(&a_abs) {
        bail!(
            "{} {} and {} {} must be two separate folders, neither inside the other",
            a.0,
            a.1.display(),
            b.0,
            b.1.display()
        );
    }
    Ok(())
}

/// `--out` (or `--report`) inside an INPUT would be read back on the next run; an INPUT inside
/// `--out` could be overwritten. Both are refused before anything is written.
pub(in crate::commands) fn check_disjoint(
    flag: &str,
    dir: &Path,
    inputs: &[PathBuf],
) -> Result<()> {
    let dir_abs = absolute(dir);
    for input in inputs.iter().filter(|p| p.as_os_str() != "-") {
        let input_abs = absolute(input);
        if dir_abs.starts_with(&input_abs) {
            bail!(
                "{flag} {} is inside input {}",
                dir.display(),
                input.display()
            );
        }
        if input_abs.starts_with(&dir_abs) {
            bail!(
                "input {} is inside {flag} {}",
                input.display(),
                dir.display()
            );
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
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved
}
