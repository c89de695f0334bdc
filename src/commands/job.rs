//! Running a corpus job (`clean` or `dedup`): read, process in parallel, write the outputs and the
//! report. Without the dedup step that is one streaming pass. With it, there are two:
//!
//! 1. the engine cleans and fingerprints every document; edits go straight to the report, and
//!    the cleaned documents go to a [`Spool`] on disk;
//! 2. once dedup has clustered the whole corpus, the spool is replayed in input order and each
//!    document is written, or reported as a duplicate, as the clusters decide.
//!
//! Before them, a corpus pass counts lines (and rare words) for the stages that need the whole
//! corpus: boilerplate, repair, and dedup's template lines. When only dedup needs it, there is no
//! corpus pass: the engine scans each document, counting its lines as it goes, and the scans are
//! finished into fingerprints once the counts are complete ([`Scanned`]).

use super::Exit;
use crate::config::Settings;
use crate::console::Console;
use crate::corpus::CorpusStats;
use crate::dedup::{Clusters, Fingerprint, Index, PassageMode, Print, Scan, TextSource};
use crate::document::Edit;
use crate::engine::{DocReport, Engine, Event, Output, RunEnd, Sink, Status};
use crate::interrupt;
use crate::pipeline::{Pipeline, StageOptions, Step};
use crate::read::{self, jsonl, Kind, Source};
use crate::report::{ReportFiles, Summary};
use crate::spool::{
    NormalizedDocs, NormalizedSpool, Record, ScanSpool, SetSpool, Spool, SpooledDoc, TextSpool,
};
use crate::write::{write_atomic, AtomicFile, OutFolder};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
}

pub(super) fn run(job: Job) -> Result<Exit> {
    let settings = &job.settings;
    let stdin = job.inputs.iter().any(|p| p.as_os_str() == "-");
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
        let (out_abs, report_abs) = (absolute(out), absolute(report));
        if out_abs.starts_with(&report_abs) || report_abs.starts_with(&out_abs) {
            bail!(
                "--out {} and --report {} must be two separate folders, neither inside the other",
                out.display(),
                report.display()
            );
        }
    }
    for (flag, dir) in outputs {
        check_disjoint(flag, dir, &job.inputs)?;
        if dir.exists() && !dir.is_dir() {
            bail!("{flag} {} is a file, not a folder", dir.display());
        }
    }
    // Before anything is written: a folder of the user's own files is refused, not mixed into.
    let out = match &job.target {
        Target::Dir(dir) => Some(OutFolder::claim(dir, job.overwrite)?),
        _ => None,
    };

    let start = Instant::now();
    let (sources, walk_errors) = read::discover(&job.inputs);
    // Boilerplate's strongest signal, repair's knowledge of the corpus's own words and dedup's
    // knowledge of each site's template need the whole corpus: count its lines and rare words first.
    let spool_dir = match (&job.target, &job.report) {
        (Target::Dir(dir), _) | (_, Some(dir)) => dir.clone(),
        _ => std::env::temp_dir(),
    };
    let corpus_started = Instant::now();
    // When no stage needs the statistics before it runs, dedup counts its template lines as the
    // documents flow instead, and the corpus is read once.
    let defer_templates =
        settings.steps.contains(&Step::Dedup) && !stdin && !stages_want_corpus(settings);
    let wants_corpus = wants_corpus(settings) && !stdin && !defer_templates;
    let (corpus_stats, normalized) =
        match wants_corpus.then(|| corpus_pass(settings, &sources, Some(&spool_dir))) {
            Some((stats, normalized)) => (Some(stats), normalized),
            None => (None, None),
        };
    let corpus_seconds = corpus_started.elapsed().as_secs_f64();
    let options = StageOptions {
        corpus_stats,
        defer_templates,
        ..job.options.clone()
    };
    let pipeline = match job.mode {
        Mode::Clean => Pipeline::with_options(&settings.steps, &options),
        Mode::DedupOnly => Pipeline::dedup_only(&settings.steps, &options),
    };
    let console = Console::new(settings.quiet, sources.len() as u64);
    let mut summary = Summary::new(job.command, &job.inputs);
    summary.steps = pipeline.stage_names();
    summary.steps_unavailable = pipeline.unavailable.iter().map(|s| s.name()).collect();
    let report = job.report.as_deref().map(ReportFiles::create).transpose()?;
    let dedup = pipeline.fingerprints && !stdin;

    let target = match (job.target, out) {
        (_, Some(folder)) => Destination::Dir(folder),
        (Target::Stdout, _) => Destination::Stdout,
        (Target::Nowhere { print_edits }, _) => Destination::Nowhere { print_edits },
        (Target::Dir(_), None) => unreachable!("a --out folder is claimed above"),
    };
    let mut sink = OutputSink {
        target,
        report,
        console: &console,
        summary,
        open: None,
        taken: HashSet::new(),
        written: HashSet::new(),
        walk_reported: 0,
        ended: 0,
        last_source: None,
    };
    let writes = !matches!(sink.target, Destination::Nowhere { .. });
    let keeps_output = writes || settings.passages == PassageMode::Drop;
    let engine = Engine {
        settings,
        pipeline: &pipeline,
        sources: &sources,
        writes,
        keeps_output,
        normalized: normalized.as_ref(),
    };
    let mut end = if dedup {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(settings.threads)
            .build()?;
        let sets = Box::new(SetSpool::create_in(&spool_dir));
        let mut first = FirstPass {
            out: &mut sink,
            spool: Spool::create_in(&spool_dir),
            index: Index::with_store(sets),
            scanned: Scanned {
                scans: ScanSpool::create_in(&spool_dir),
                counts: CorpusStats::default(),
            },
        };
        let mut end = engine.run(&walk_errors, &mut first)?;
        let FirstPass {
            spool,
            mut index,
            scanned,
            ..
        } = first;
        if end == RunEnd::Complete && !scanned.scans.is_empty() {
            let finishing = Instant::now();
            end = pool.install(|| scanned.finish_into(&mut index, &console))?;
            *sink
                .summary
                .stage_seconds
                .entry(Step::Dedup.name())
                .or_default() += finishing.elapsed().as_secs_f64();
        }
        let clustering = Instant::now();
        // A first pass that did not see the whole corpus clusters nothing, and writes nothing:
        // its documents are reported `pending`.
        let clusters = match end {
            RunEnd::Complete => match pool.install(|| index.cluster(settings.threshold, &spool)) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                    end = RunEnd::Interrupted;
                    Clusters::default()
                }
                clusters => clusters?,
            },
            RunEnd::Interrupted => Clusters::default(),
        };
        let dropped = passage_drops(&clusters, &spool, settings.passages, &spool_dir)?;
        if let Some(report) = &sink.report {
            write_cluster_reports(report, &index, &clusters, Some(&dropped.texts))?;
        }
        sink.summary
            .stage_seconds
            .insert("dedup-cluster", clustering.elapsed().as_secs_f64());
        sink.summary.dedup = Some(json!({
            "threshold": settings.threshold,
            "clusters": clusters.documents.len(),
            "passage_clusters": clusters.passages.len(),
            "passages": format!("{:?}", settings.passages).to_lowercase(),
        }));
        for record in spool.replay()? {
            match record? {
                Record::End(src) => sink.file_end(src, false)?,
                Record::Doc(mut doc) => {
                    // Once interrupted, every document still to be written is only reported.
                    interrupt::checkpoint("write");
                    if interrupt::requested() {
                        end = RunEnd::Interrupted;
                    }
                    let mut edits = decide(&mut doc, &clusters, &dropped, settings)?;
                    if end == RunEnd::Interrupted {
                        pend(&mut doc.report);
                        doc.output = Output::None;
                        edits.clear();
                    }
                    sink.add_work(&edits, &[])?;
                    sink.add_document(&sources, doc.source, doc.report, &doc.output)?;
                }
            }
        }
        end
    } else {
        if let Some(report) = &sink.report {
            write_cluster_reports(report, &Index::default(), &Clusters::default(), None)?;
        }
        engine.run(&walk_errors, &mut sink)?
    };
    // A signal after the last document still ends the run as interrupted: the user asked to stop,
    // and the report says what was done by then.
    if interrupt::requested() {
        end = RunEnd::Interrupted;
    }
    console.finish();
    // The JSONL output of a file the interruption cut short holds whole lines only, each a
    // document reported as written: it is finished, and the rest of its file is reported pending.
    sink.commit_open(None)?;
    // Paths the walk passed over are reported first; an interruption can come before they are.
    for unlisted in &walk_errors[sink.walk_reported.min(walk_errors.len())..] {
        sink.add_document(
            &sources,
            None,
            crate::engine::walk_report(unlisted),
            &Output::None,
        )?;
    }
    // Every input not read to its end is accounted for: one `pending` record for what was not read.
    for (i, source) in sources.iter().enumerate().skip(sink.ended) {
        // A text file is one document: delivered, it is whole even if its end was not noted.
        if !matches!(source.kind, Kind::Jsonl(_)) && sink.last_source == Some(i) {
            continue;
        }
        let mut doc = DocReport::new(source.rel.clone(), &source.rel, Status::Pending);
        doc.warning = Some("not read (or not to its end): the run was interrupted".into());
        sink.add_document(&sources, None, doc, &Output::None)?;
    }
    let cleared = match std::mem::replace(
        &mut sink.target,
        Destination::Nowhere { print_edits: false },
    ) {
        Destination::Dir(folder) => folder
            .finish(&sink.written, end == RunEnd::Complete)
            .context("cannot list what was written to --out")?,
        _ => Default::default(),
    };
    for failure in &cleared.failed {
        console.warn(
            "--out",
            &format!("cannot remove the earlier run's {failure}"),
        );
    }
    let report = sink.report.take();
    let mut summary = std::mem::take(&mut sink.summary);
    summary.wall_seconds = start.elapsed().as_secs_f64();
    if wants_corpus {
        summary.stage_seconds.insert("corpus-pass", corpus_seconds);
    }
    summary.interrupted = end == RunEnd::Interrupted;
    summary.stale_removed = cleared.removed as u64;
    if let Some(report) = report {
        report.finish(&summary)?;
    }
    let c = &summary.counts;
    if c.read == 0 && c.failed == 0 && c.pending == 0 {
        console.warn(
            &summary.inputs.join(" "),
            &format!("no documents found ({} files skipped)", c.skipped),
        );
    }
    console.info(&format!(
        "{}{} documents: {} written, {} duplicate, {} empty, {} skipped, {} failed{}; {} edits{}",
        if summary.interrupted {
            "interrupted: "
        } else {
            ""
        },
        c.documents,
        c.written,
        c.duplicate,
        c.empty,
        c.skipped,
        c.failed,
        if c.pending > 0 {
            format!(", {} pending (not written)", c.pending)
        } else {
            String::new()
        },
        summary.edits,
        job.report
            .as_ref()
            .map(|r| format!("; report in {}", r.display()))
            .unwrap_or_default()
    ));
    Ok(match end {
        RunEnd::Interrupted => Exit::Interrupted,
        RunEnd::Complete if c.failed > 0 => Exit::SomeFailed,
        RunEnd::Complete => Exit::Success,
    })
}

/// A document that was cleaned but will not be written: the run was interrupted first. Statuses
/// that write nothing anyway (empty, dropped, skipped, failed) stay as they are.
fn pend(report: &mut DocReport) {
    if report.status == Status::Kept {
        report.status = Status::Pending;
        report.bytes_out = 0;
        report.warning = Some("not written: the run was interrupted".into());
    }
}

/// Later copies of repeated passages, to be removed from the documents that hold them.
struct PassageDrops {
    /// By dedup document number: (line index in the dedup text, input line), in line order.
    by_doc: HashMap<u32, Vec<(u32, u32)>>,
    texts: PassageTexts,
}

/// The text of every clustered passage, by (document, line index). Spooled, not held: when most
/// paragraphs of a corpus recur (a site's boilerplate paragraphs, syndicated copies), these texts
/// are nearly as large as the corpus.
struct PassageTexts {
    /// Sorted; a key's position is its text's number in `texts`.
    keys: Vec<(u32, u32)>,
    texts: TextSpool,
}

impl PassageTexts {
    fn get(&self, doc: u32, line_index: u32) -> std::io::Result<Option<String>> {
        match self.keys.binary_search(&(doc, line_index)) {
            Ok(n) => self.texts.get(n as u32).map(Some),
            Err(_) => Ok(None),
        }
    }
}

fn passage_drops(
    clusters: &Clusters,
    texts: &dyn TextSource,
    mode: PassageMode,
    spill_dir: &Path,
) -> Result<PassageDrops> {
    let mut by_doc: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    let mut wanted: Vec<(u32, u32)> = Vec::new();
    for cluster in &clusters.passages {
        for (i, m) in cluster.members.iter().enumerate() {
            wanted.push((m.doc, m.line_index));
            if i > 0 && mode == PassageMode::Drop {
                by_doc
                    .entry(m.doc)
                    .or_default()
                    .push((m.line_index, m.origin));
            }
        }
    }
    // Each document is read once, however many of its passages recur.
    wanted.sort_unstable();
    wanted.dedup();
    let mut spooled = TextSpool::create_in(spill_dir);
    for group in wanted.chunk_by(|a, b| a.0 == b.0) {
        let text = texts.text(group[0].0)?;
        let lines = crate::dedup::lines(&text);
        for &(_, line_index) in group {
            spooled.push(lines.get(line_index as usize).copied().unwrap_or_default())?;
        }
    }
    for passages in by_doc.values_mut() {
        passages.sort_unstable();
    }
    Ok(PassageDrops {
        by_doc,
        texts: PassageTexts {
            keys: wanted,
            texts: spooled,
        },
    })
}

fn cluster_id(n: usize) -> String {
    format!("d{}", n + 1)
}

fn passage_cluster_id(n: usize) -> String {
    format!("p{}", n + 1)
}

/// Apply dedup's decisions to a spooled document; returns the edits they make.
fn decide(
    doc: &mut SpooledDoc,
    clusters: &Clusters,
    drops: &PassageDrops,
    settings: &Settings,
) -> Result<Vec<Edit>> {
    let Some(n) = doc.dedup_doc else {
        return Ok(Vec::new());
    };
    if let Some(Some((c, duplicate))) = clusters.doc_of.get(n as usize) {
        doc.report.cluster = Some(cluster_id(*c as usize));
        if *duplicate {
            doc.report.status = Status::Duplicate;
            doc.report.bytes_out = 0;
            doc.output = Output::None;
            return Ok(Vec::new());
        }
    }
    let Some(passages) = drops.by_doc.get(&n) else {
        return Ok(Vec::new());
    };
    let (text, record) = match &doc.output {
        Output::Text(text) => (text.clone(), None),
        Output::JsonLine(line) => {
            match jsonl::parse(line.as_bytes(), &settings.text_field, &settings.id_field) {
                Ok(record) => (record.text.clone(), Some(record)),
                Err(_) => return Ok(Vec::new()),
            }
        }
        Output::None | Output::Raw(_) => return Ok(Vec::new()),
    };
    let mut lines: Vec<&str> = text.split('\n').collect();
    let mut edits = Vec::new();
    // From the last passage to the first, so earlier line indexes stay valid.
    for &(line_index, origin) in passages.iter().rev() {
        let Some(passage) = drops.texts.get(n, line_index)? else {
            continue;
        };
        // In `thresh dedup` the output still holds lines dedup did not compare: find the line.
        let at = match lines.get(line_index as usize) {
            Some(l) if *l == passage => Some(line_index as usize),
            _ => lines.iter().position(|l| *l == passage),
        };
        let Some(at) = at else { continue };
        lines.remove(at);
        // Do not leave two blank lines where the paragraph was.
        if at < lines.len()
            && lines[at].trim().is_empty()
            && (at == 0 || lines[at - 1].trim().is_empty())
        {
            lines.remove(at);
        }
        edits.push(Edit::new(
            &doc.report.id,
            "dedup",
            "duplicate_passage",
            passage.clone(),
            "",
            origin,
        ));
    }
    edits.reverse();
    let new_text = lines.join("\n");
    if new_text.trim().is_empty() {
        doc.report.status = Status::Empty;
        doc.report.bytes_out = 0;
        doc.output = Output::None;
        return Ok(edits);
    }
    doc.report.bytes_out = new_text.len() as u64;
    doc.output = match record {
        Some(record) => {
            Output::JsonLine(jsonl::serialize(&record, &settings.text_field, &new_text))
        }
        None => Output::Text(new_text),
    };
    Ok(edits)
}

fn write_cluster_reports(
    report: &ReportFiles,
    index: &Index,
    clusters: &Clusters,
    texts: Option<&PassageTexts>,
) -> Result<()> {
    // Typed records borrowing from the clusters: a large corpus has many, and building each as a
    // `serde_json::Value` first cost as much as writing it.
    #[derive(serde::Serialize)]
    struct DocRecord<'a> {
        id: String,
        kept: &'a str,
        size: usize,
        reason: &'a str,
        members: Vec<DocMember<'a>>,
    }
    #[derive(serde::Serialize)]
    struct DocMember<'a> {
        doc: &'a str,
        similarity: f64,
        containment: f64,
        measure: &'a str,
    }
    #[derive(serde::Serialize)]
    struct PassageRecord<'a> {
        id: String,
        members: Vec<PassageMember<'a>>,
    }
    #[derive(serde::Serialize)]
    struct PassageMember<'a> {
        doc: &'a str,
        passage: u32,
        similarity: f64,
        text: String,
    }
    let documents = clusters
        .documents
        .iter()
        .enumerate()
        .map(|(n, c)| DocRecord {
            id: cluster_id(n),
            kept: index.id(c.kept),
            size: c.members.len() + 1,
            reason: &c.reason,
            members: c
                .members
                .iter()
                .map(|m| DocMember {
                    doc: index.id(m.doc),
                    similarity: round(m.jaccard),
                    containment: round(m.containment),
                    measure: m.measure,
                })
                .collect(),
        });
    report.write_jsonl("clusters.jsonl", documents)?;
    let text = |doc: u32, line_index: u32| -> Result<String> {
        Ok(texts
            .map(|t| t.get(doc, line_index))
            .transpose()?
            .flatten()
            .unwrap_or_default())
    };
    let passages = clusters
        .passages
        .iter()
        .enumerate()
        .map(|(n, c)| -> Result<PassageRecord> {
            Ok(PassageRecord {
                id: passage_cluster_id(n),
                members: c
                    .members
                    .iter()
                    .map(|m| -> Result<PassageMember> {
                        Ok(PassageMember {
                            doc: index.id(m.doc),
                            passage: m.origin,
                            similarity: round(m.jaccard),
                            text: text(m.doc, m.line_index)?,
                        })
                    })
                    .collect::<Result<_>>()?,
            })
        });
    report.try_write_jsonl("passages.jsonl", passages)?;
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The first pass of a job with dedup: edits to the report, documents to the spool, fingerprints
/// to the index (or, in a run without a corpus pass, scans to be finished into it).
struct FirstPass<'s, 'a> {
    out: &'s mut OutputSink<'a>,
    spool: Spool,
    index: Index,
    scanned: Scanned,
}

/// The documents of a run without a corpus pass, scanned, with their lines counted per site.
struct Scanned {
    scans: ScanSpool,
    counts: CorpusStats,
}

impl Scanned {
    fn push(&mut self, id: &str, site: u64, scan: Scan) -> Result<u32> {
        self.counts.count_keys(site, &scan.keys());
        Ok(self.scans.push(id, site, scan)?)
    }

    /// Finish every scan now that all lines are counted, and index them in input order (the
    /// order they were numbered in), a batch at a time in parallel. An interruption stops it
    /// between batches.
    fn finish_into(mut self, index: &mut Index, console: &Console) -> Result<RunEnd> {
        const BATCH: u32 = 256;
        let n = self.scans.len() as u32;
        for start in (0..n).step_by(BATCH as usize) {
            if interrupt::requested() {
                return Ok(RunEnd::Interrupted);
            }
            let batch = (start..(start + BATCH).min(n))
                .map(|i| self.scans.take(i))
                .collect::<std::io::Result<Vec<_>>>()?;
            let (counts, indexed) = (&self.counts, &*index);
            let prints: Vec<(String, Fingerprint)> = batch
                .into_par_iter()
                .enumerate()
                .map(|(i, (id, site, scan))| {
                    let template = |_, key| key != 0 && counts.is_template_key(site, key);
                    let print = crate::isolate::catch(|| {
                        crate::isolate::at(Step::Dedup.name());
                        scan.finish(template, |exact| indexed.knows_passage(exact))
                    });
                    let print = print.unwrap_or_else(|error| {
                        // The document is written as cleaned, only not compared: a print of a
                        // word no other document has keeps it out of every cluster.
                        console.warn(&id, &format!("not deduplicated: {error}"));
                        let alone = crate::document::Document::from_text(
                            "",
                            &format!("thresh-unfingerprinted-{}", start as usize + i),
                        );
                        Scan::of(&alone, false).finish(|_, _| false, |_| false)
                    });
                    (id, print)
                })
                .collect();
            for (i, (id, print)) in (start..).zip(prints) {
                if index.push(&id, print)? != i {
                    bail!("dedup index out of step with its scans at document {id}");
                }
            }
        }
        Ok(RunEnd::Complete)
    }
}

impl Sink for FirstPass<'_, '_> {
    fn event(&mut self, _sources: &[Source], event: Event) -> Result<()> {
        match event {
            Event::FileEnd(src) => {
                self.out.console.file_done();
                self.spool.push(&Record::End(src))?;
            }
            Event::Doc(outcome) => {
                self.out.add_work(&outcome.edits, &outcome.timings)?;
                self.out.tell(&outcome.report);
                let dedup_doc = match outcome.fingerprint {
                    None => None,
                    Some(Print::Done(print)) => Some(self.index.push(&outcome.report.id, print)?),
                    Some(Print::Scanned { site, scan }) => {
                        Some(self.scanned.push(&outcome.report.id, site, scan)?)
                    }
                };
                self.spool.push(&Record::Doc(SpooledDoc {
                    source: outcome.source,
                    report: outcome.report,
                    output: outcome.output,
                    dedup_text: outcome.dedup_text,
                    dedup_doc,
                }))?;
            }
        }
        Ok(())
    }
}

/// Where cleaned documents go.
enum Destination {
    Dir(OutFolder),
    Stdout,
    /// Nothing written but the report, or the edits on standard output.
    Nowhere {
        print_edits: bool,
    },
}

/// Writers, report and console: where finished documents go.
struct OutputSink<'a> {
    target: Destination,
    report: Option<ReportFiles>,
    console: &'a Console,
    summary: Summary,
    /// The JSONL output being written, for the source with this index.
    open: Option<(usize, String, AtomicFile)>,
    /// Output paths written, to catch two inputs mapping to one output, and to tell the --out
    /// folder what this run wrote.
    taken: HashSet<String>,
    /// Output files in place, for the --out folder's manifest.
    written: HashSet<String>,
    /// Records delivered for paths the walk passed over (they come first).
    walk_reported: usize,
    /// How many sources have been delivered whole (they come in order).
    ended: usize,
    /// The source of the last document delivered.
    last_source: Option<usize>,
}

impl Sink for OutputSink<'_> {
    fn event(&mut self, sources: &[Source], event: Event) -> Result<()> {
        match event {
            Event::FileEnd(src) => self.file_end(src, true),
            Event::Doc(outcome) => {
                self.add_work(&outcome.edits, &outcome.timings)?;
                self.tell(&outcome.report);
                self.add_document(sources, outcome.source, outcome.report, &outcome.output)
            }
        }
    }
}

impl OutputSink<'_> {
    /// What was done to a document: its edits and the time each stage took.
    fn add_work(&mut self, edits: &[Edit], timings: &[(&'static str, Duration)]) -> Result<()> {
        if let Destination::Nowhere { print_edits: true } = self.target {
            let mut out = std::io::stdout().lock();
            for edit in edits {
                serde_json::to_writer(&mut out, edit)?;
                out.write_all(b"\n")?;
            }
        }
        self.summary.add_work(edits, timings);
        if let Some(report) = &mut self.report {
            report.add_edits(edits)?;
        }
        Ok(())
    }

    /// A finished document: written (unless its status says otherwise) and reported.
    fn add_document(
        &mut self,
        sources: &[Source],
        source: Option<usize>,
        mut doc: DocReport,
        output: &Output,
    ) -> Result<()> {
        if source.is_none() && self.ended == 0 && self.last_source.is_none() {
            self.walk_reported += 1;
        }
        if let Some(src) = source {
            self.last_source = Some(src);
            // A bug in writing one document (a panic) fails that document like a write error.
            let written = crate::isolate::catch(|| {
                crate::isolate::at("write");
                crate::isolate::fault_point("write", || match output {
                    Output::Text(text) | Output::JsonLine(text) => text.clone(),
                    Output::Raw(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                    Output::None => String::new(),
                });
                self.write(&sources[src], src, output)
            });
            if let Err(e) = written.unwrap_or_else(|error| Err(anyhow::anyhow!(error))) {
                // A closed standard output ends the run (quietly: see `main`), not the document.
                if matches!(self.target, Destination::Stdout) && crate::console::is_broken_pipe(&e)
                {
                    return Err(e);
                }
                self.console.error(&doc.source, &format!("{e:#}"));
                doc.status = Status::Failed;
                doc.error = Some(format!("{e:#}"));
                doc.bytes_out = 0;
            }
        }
        self.summary.add_document(&doc);
        if let Some(report) = &mut self.report {
            report.add_document(&doc)?;
        }
        Ok(())
    }

    fn tell(&self, doc: &DocReport) {
        tell(self.console, doc);
    }

    fn write(&mut self, source: &Source, src: usize, output: &Output) -> Result<()> {
        let dir = match &self.target {
            Destination::Dir(folder) => Some(folder.path().to_path_buf()),
            Destination::Stdout => None,
            Destination::Nowhere { .. } => return Ok(()),
        };
        let bytes = match output {
            Output::None => return Ok(()),
            Output::Text(text) | Output::JsonLine(text) => text.as_bytes(),
            Output::Raw(bytes) => bytes,
        };
        let Some(dir) = dir else {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            return Ok(());
        };
        match source.kind {
            Kind::Jsonl(compression) => {
                if self
                    .open
                    .as_ref()
                    .is_none_or(|(open_src, _, _)| *open_src != src)
                {
                    self.claim(&source.rel)?;
                    let dest = dir.join(&source.rel);
                    let file = AtomicFile::create(&dest, compression)
                        .with_context(|| format!("cannot create {}", dest.display()))?;
                    self.open = Some((src, source.rel.clone(), file));
                }
                let (_, _, file) = self.open.as_mut().expect("opened above");
                file.write_all(bytes)?;
                file.write_all(b"\n")?;
                Ok(())
            }
            _ => {
                self.claim(&source.rel)?;
                let dest = dir.join(&source.rel);
                write_atomic(&dest, bytes)
                    .with_context(|| format!("cannot write {}", dest.display()))?;
                self.placed(&source.rel)
            }
        }
    }

    /// A file of the output is in place: listed in --out's manifest as thresh's.
    fn placed(&mut self, rel: &str) -> Result<()> {
        if let Destination::Dir(folder) = &mut self.target {
            folder
                .record(rel)
                .context("cannot list the file in --out's manifest")?;
        }
        self.written.insert(rel.to_string());
        Ok(())
    }

    /// Finish the JSONL output being written, if any (`src`: only if it is that source's).
    fn commit_open(&mut self, src: Option<usize>) -> Result<()> {
        if self
            .open
            .as_ref()
            .is_some_and(|(open_src, _, _)| src.is_none_or(|s| s == *open_src))
        {
            let (_, rel, file) = self.open.take().expect("checked");
            file.commit().context("cannot finish output file")?;
            self.placed(&rel)?;
        }
        Ok(())
    }

    fn claim(&mut self, rel: &str) -> Result<()> {
        if !self.taken.insert(rel.to_string()) {
            bail!("output {rel} would overwrite the output of an earlier input with the same relative path");
        }
        Ok(())
    }

    fn file_end(&mut self, src: usize, progress: bool) -> Result<()> {
        self.ended = src + 1;
        if progress {
            self.console.file_done();
        }
        self.commit_open(Some(src))
    }
}

/// Errors and warnings about one document, on the console.
pub(super) fn tell(console: &Console, doc: &DocReport) {
    let what = if doc.id == doc.source {
        doc.source.clone()
    } else {
        format!("{} ({})", doc.source, doc.id)
    };
    match doc.status {
        Status::Failed => console.error(&what, doc.error.as_deref().unwrap_or("failed")),
        // Other kinds of file are skipped quietly (they are counted); binary "text", a FIFO or a
        // symlink loop is news.
        Status::Skipped
            if doc
                .warning
                .as_deref()
                .is_some_and(|w| w != crate::engine::OTHER_KIND) =>
        {
            console.warn(
                &what,
                &format!("skipped: {}", doc.warning.as_deref().unwrap_or("")),
            )
        }
        _ => {
            if let Some(w) = &doc.warning {
                if doc.status != Status::Skipped {
                    console.warn(&what, w);
                }
            }
        }
    }
}

/// Whether the steps need the corpus pass.
pub(super) fn wants_corpus(settings: &Settings) -> bool {
    [Step::Boilerplate, Step::Repair, Step::Dedup]
        .iter()
        .any(|s| settings.steps.contains(s))
}

/// Whether a cleaning stage needs the corpus's statistics before it runs (dedup alone can count
/// its template lines as the documents flow).
fn stages_want_corpus(settings: &Settings) -> bool {
    [Step::Boilerplate, Step::Repair]
        .iter()
        .any(|s| settings.steps.contains(s))
}

/// The corpus pass: line counts per site, and rare words when repair runs.
pub(super) fn corpus_stats(settings: &Settings, sources: &[Source]) -> Arc<CorpusStats> {
    corpus_pass(settings, sources, None).0
}

/// [`corpus_stats`], also keeping the documents it normalizes (spilled to `spool_dir`) for the
/// main pass, when normalize runs.
fn corpus_pass(
    settings: &Settings,
    sources: &[Source],
    spool_dir: Option<&Path>,
) -> (Arc<CorpusStats>, Option<NormalizedDocs>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .expect("thread pool");
    let rare_words = settings.steps.contains(&Step::Repair);
    let normalize = settings.steps.contains(&Step::Normalize);
    let normalized = spool_dir
        .filter(|_| normalize)
        .map(|dir| NormalizedSpool::create_in(dir, sources.len()));
    let stats = pool.install(|| {
        CorpusStats::gather(
            sources,
            &settings.text_field,
            &settings.id_field,
            rare_words,
            normalize,
            normalized.as_ref(),
        )
    });
    (Arc::new(stats), normalized.map(NormalizedSpool::finish))
}

/// `--out` (or `--report`) inside an INPUT would be read back on the next run; an INPUT inside
/// `--out` could be overwritten. Both are refused before anything is written.
pub(super) fn check_disjoint(flag: &str, dir: &Path, inputs: &[PathBuf]) -> Result<()> {
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
