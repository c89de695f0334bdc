//! The engine: streams documents from the sources through the pipeline in parallel and hands the
//! results, in input order, to a [`Sink`].
//!
//! Jobs are gathered into batches of a fixed size (independent of the thread count), a batch is
//! processed on the thread pool, and its results are delivered in order. That keeps memory flat
//! (one batch in flight) and makes every output byte-identical whatever `--threads` is.

use crate::config::{OnError, Settings};
use crate::document::{Document, Edit};
use crate::pipeline::Pipeline;
use crate::read::{charset, jsonl, Kind, Source, WalkError};
use crate::{interrupt, isolate};
use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

/// Jobs per batch, and bytes of JSONL records per batch: whichever fills first.
const BATCH_JOBS: usize = 256;
const BATCH_BYTES: usize = 32 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Kept,
    Duplicate,
    Empty,
    /// Left out on purpose: spun, with `--spun drop`.
    Dropped,
    Skipped,
    Failed,
    /// Not written because the run was interrupted first: read and cleaned but not yet written,
    /// or (one record for the rest of a file) not read at all.
    Pending,
}

/// The report of a path the walk passed over: `skipped` with the reason (a FIFO, a symlink loop),
/// or `failed` when it could not be listed.
pub fn walk_report(e: &WalkError) -> DocReport {
    let mut report = DocReport::new(
        e.rel.clone(),
        &e.rel,
        if e.failed {
            Status::Failed
        } else {
            Status::Skipped
        },
    );
    match e.failed {
        true => report.error = Some(e.message.clone()),
        false => report.warning = Some(e.message.clone()),
    }
    report
}

/// Why a file of another kind is skipped (counted, not shown on the console).
pub const OTHER_KIND: &str = "not a text or JSON Lines file";

/// One record of `documents.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocReport {
    pub id: String,
    /// The input file it came from, relative to its INPUT.
    pub source: String,
    pub status: Status,
    pub flags: Vec<String>,
    pub scores: BTreeMap<String, f64>,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub cluster: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl DocReport {
    pub fn new(id: String, source: &str, status: Status) -> DocReport {
        DocReport {
            id,
            source: source.to_string(),
            status,
            flags: Vec::new(),
            scores: BTreeMap::new(),
            bytes_in: 0,
            bytes_out: 0,
            cluster: None,
            charset: None,
            error: None,
            warning: None,
        }
    }
}

/// The cleaned form of a document, ready for its writer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Output {
    None,
    /// A whole text file.
    Text(String),
    /// One JSON line (without its newline).
    JsonLine(String),
    /// The input as it was, bytes unchanged (a whole text file, or one JSON line without its
    /// newline): a document that failed, with `--on-error keep`.
    Raw(Vec<u8>),
}

/// What became of one input document.
#[derive(Debug)]
pub struct Outcome {
    /// Index of its source, or `None` for a path that could not be listed.
    pub source: Option<usize>,
    pub report: DocReport,
    pub output: Output,
    pub edits: Vec<Edit>,
    pub timings: Vec<(&'static str, Duration)>,
    /// For a document that dedup should consider: its fingerprint.
    pub fingerprint: Option<crate::dedup::Print>,
    /// The text dedup compared, when the output does not hold it as is.
    pub dedup_text: Option<String>,
}

#[allow(
    clippy::large_enum_variant,
    reason = "nearly every value is the large variant (a document); boxing it would add an allocation per document and save no memory"
)]
pub enum Event {
    Doc(Outcome),
    /// Every document of this source has been delivered.
    FileEnd(usize),
}

/// Where results go: writers, report, console.
pub trait Sink {
    fn event(&mut self, sources: &[Source], event: Event) -> Result<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    Complete,
    Interrupted,
}

enum Job {
    TextFile {
        src: usize,
    },
    JsonLine {
        src: usize,
        line: jsonl::RawLine,
    },
    Failed {
        src: Option<usize>,
        id: String,
        source: String,
        error: String,
    },
    Skipped {
        src: usize,
        reason: String,
    },
    /// A path the walk passed over (not a regular file, or not listable), never opened.
    Unlisted {
        report: DocReport,
    },
    End {
        src: usize,
    },
}

pub struct Engine<'a> {
    pub settings: &'a Settings,
    pub pipeline: &'a Pipeline,
    pub sources: &'a [Source],
    /// Whether cleaned documents are written anywhere. When they are not (`thresh dedup` without
    /// `--out`, `thresh diff`), a JSON line's cleaned text is kept as text rather than serialized
    /// back into its record: only the report and dedup read it.
    pub writes: bool,
    /// Whether anything reads a document's cleaned text after the run: writing it, or dropping
    /// repeated passages from it. When nothing does and dedup keeps the text it compared, that
    /// text is the only one spooled.
    pub keeps_output: bool,
    /// Documents the corpus pass already normalized.
    pub normalized: Option<&'a crate::spool::NormalizedDocs>,
}

impl Engine<'_> {
    /// Stream every source through the pipeline into `sink`. Reading, processing and writing
    /// overlap: a reader thread fills batches, the pool processes one batch at a time, and a writer
    /// thread hands results to the sink, all in input order.
    pub fn run(&self, walk_errors: &[WalkError], sink: &mut (dyn Sink + Send)) -> Result<RunEnd> {
        let threads = match self.settings.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        if threads == 1 {
            return self.run_on_this_thread(walk_errors, sink);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<Vec<Job>>(2);
        let (event_tx, event_rx) = std::sync::mpsc::sync_channel::<Vec<Event>>(2);
        std::thread::scope(|scope| {
            // The sender moves into the reader, so the batches end when the reader does.
            scope.spawn(move || self.read(walk_errors, |batch| job_tx.send(batch).is_ok()));
            let writer = scope.spawn(move || -> Result<()> {
                for events in event_rx {
                    for event in events {
                        sink.event(self.sources, event)?;
                    }
                }
                Ok(())
            });
            let mut end = RunEnd::Complete;
            for batch in job_rx {
                let jobs = batch.len();
                let events: Vec<Option<Event>> =
                    pool.install(|| batch.into_par_iter().map(|job| self.process(job)).collect());
                // Results up to the first job that an interruption stopped are delivered.
                let complete: Vec<Event> = events.into_iter().map_while(|e| e).collect();
                let cut_short = complete.len() < jobs;
                if event_tx.send(complete).is_err() || cut_short || interrupt::requested() {
                    // The writer stopped (it failed) or the user asked us to stop.
                    end = RunEnd::Interrupted;
                    break;
                }
            }
            drop(event_tx);
            writer.join().expect("writer thread")?;
            // The reader also stops on an interruption, between batches: the loop above then
            // simply ends, and only the flag tells why.
            if interrupt::requested() {
                end = RunEnd::Interrupted;
            }
            Ok(end)
        })
    }

    /// `--threads 1`: read, process and write in turn on the calling thread, nothing else running.
    fn run_on_this_thread(
        &self,
        walk_errors: &[WalkError],
        sink: &mut (dyn Sink + Send),
    ) -> Result<RunEnd> {
        let mut failure = None;
        let mut end = RunEnd::Complete;
        self.read(walk_errors, |batch| {
            for job in batch {
                let Some(event) = self.process(job) else {
                    end = RunEnd::Interrupted;
                    return false;
                };
                if let Err(e) = sink.event(self.sources, event) {
                    failure = Some(e);
                    return false;
                }
            }
            true
        });
        if let Some(e) = failure {
            return Err(e);
        }
        Ok(if interrupt::requested() {
            RunEnd::Interrupted
        } else {
            end
        })
    }

    /// Turn the sources into batches of jobs and hand them, in order, to `deliver`, until done,
    /// interrupted, or `deliver` returns false.
    fn read(&self, walk_errors: &[WalkError], mut deliver: impl FnMut(Vec<Job>) -> bool) {
        let mut batch: Vec<Job> = walk_errors
            .iter()
            .map(|e| Job::Unlisted {
                report: walk_report(e),
            })
            .collect();
        let mut batch_bytes = 0usize;
        // Send the batch when full; false when the run is over (interrupted or the consumer gone).
        let mut send_if_full =
            |batch: &mut Vec<Job>, batch_bytes: &mut usize, force: bool| -> bool {
                if interrupt::requested() {
                    return false;
                }
                if force || batch.len() >= BATCH_JOBS || *batch_bytes >= BATCH_BYTES {
                    *batch_bytes = 0;
                    return deliver(std::mem::take(batch));
                }
                true
            };
        for (i, src) in self.sources.iter().enumerate() {
            match src.kind {
                Kind::Other => batch.push(Job::Skipped {
                    src: i,
                    reason: OTHER_KIND.into(),
                }),
                Kind::Text => batch.push(Job::TextFile { src: i }),
                Kind::Jsonl(compression) => match jsonl::open(&src.path, compression) {
                    Err(e) => batch.push(Job::Failed {
                        src: Some(i),
                        id: src.rel.clone(),
                        source: src.rel.clone(),
                        error: format!("cannot open: {e}"),
                    }),
                    Ok(reader) => {
                        for line in jsonl::Lines::new(reader) {
                            match line {
                                Ok(line) => {
                                    batch_bytes += line.bytes.len();
                                    batch.push(Job::JsonLine { src: i, line });
                                }
                                Err(error) => batch.push(Job::Failed {
                                    src: Some(i),
                                    id: src.rel.clone(),
                                    source: src.rel.clone(),
                                    error,
                                }),
                            }
                            if !send_if_full(&mut batch, &mut batch_bytes, false) {
                                return;
                            }
                        }
                    }
                },
            }
            batch.push(Job::End { src: i });
            if !send_if_full(&mut batch, &mut batch_bytes, false) {
                return;
            }
        }
        if !batch.is_empty() {
            send_if_full(&mut batch, &mut batch_bytes, true);
        }
    }

    /// Run one job. `None` when the run was interrupted before it started.
    fn process(&self, job: Job) -> Option<Event> {
        interrupt::checkpoint("clean");
        if interrupt::requested() {
            return None;
        }
        let outcome = match job {
            Job::End { src } => return Some(Event::FileEnd(src)),
            Job::Failed {
                src,
                id,
                source,
                error,
            } => {
                let mut report = DocReport::new(id, &source, Status::Failed);
                report.error = Some(error);
                bare(src, report)
            }
            Job::Skipped { src, reason } => {
                let rel = &self.sources[src].rel;
                let mut report = DocReport::new(rel.clone(), rel, Status::Skipped);
                report.warning = Some(reason);
                bare(Some(src), report)
            }
            Job::Unlisted { report } => bare(None, report),
            // A bug met on one document's text costs that document, never the run.
            Job::TextFile { src } => isolate::catch(|| self.text_file(src))
                .unwrap_or_else(|error| self.failed_text_file(src, error)),
            Job::JsonLine { src, line } => {
                // The line's bytes are given up once parsed (a huge record is not held twice)
                // unless `--on-error keep` may need to write them back.
                let (number, len) = (line.number, line.bytes.len());
                let kept = (self.settings.on_error == OnError::Keep).then(|| line.bytes.clone());
                let id = std::cell::RefCell::new(None);
                isolate::catch(|| self.json_line(src, line, &id)).unwrap_or_else(|error| {
                    self.failed_json_line(src, (number, len), id.take(), kept, error)
                })
            }
        };
        Some(Event::Doc(outcome))
    }

    /// A text file whose processing failed with an internal error: reported, and with
    /// `--on-error keep` its input written unchanged (read again: inputs are never modified, and
    /// holding every file's bytes until its document is done would double the memory of a run).
    fn failed_text_file(&self, src: usize, error: String) -> Outcome {
        let source = &self.sources[src];
        let mut report = DocReport::new(source.rel.clone(), &source.rel, Status::Failed);
        report.error = Some(error);
        report.bytes_in = std::fs::metadata(&source.path).map_or(0, |m| m.len());
        let mut outcome = bare(Some(src), report);
        if self.settings.on_error == OnError::Keep && !source.is_stdin() {
            match crate::read::read_regular(&source.path) {
                Ok(bytes) => outcome.output = Output::Raw(bytes),
                Err(e) => {
                    outcome.report.error = Some(format!(
                        "{}; its input could not be read again to keep it: {e}",
                        outcome.report.error.unwrap_or_default()
                    ))
                }
            }
        }
        outcome
    }

    /// A JSON line whose processing failed with an internal error: `line` is its number and
    /// length, `id` the record's id when it was read, `kept` its bytes with `--on-error keep`.
    fn failed_json_line(
        &self,
        src: usize,
        line: (usize, usize),
        id: Option<String>,
        kept: Option<Vec<u8>>,
        error: String,
    ) -> Outcome {
        let source = &self.sources[src];
        let id = id.unwrap_or_else(|| format!("{}:{}", source.rel, line.0));
        let mut report = DocReport::new(id, &source.rel, Status::Failed);
        report.bytes_in = line.1 as u64;
        report.error = Some(error);
        let mut outcome = bare(Some(src), report);
        if let Some(bytes) = kept {
            outcome.output = Output::Raw(bytes);
        }
        outcome
    }

    fn text_file(&self, src: usize) -> Outcome {
        let source = &self.sources[src];
        let rel = source.rel.clone();
        let read = if source.is_stdin() {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        } else {
            crate::read::read_regular(&source.path)
        };
        let bytes = match read {
            Ok(b) => b,
            Err(e) => {
                let mut report = DocReport::new(rel.clone(), &rel, Status::Failed);
                report.error = Some(format!("cannot read: {e}"));
                return bare(Some(src), report);
            }
        };
        let bytes_read = bytes.len() as u64;
        // The bytes become the text, and the text the document, each moved rather than copied:
        // a huge file is held once, not three times.
        let decoded = match charset::decode_owned(bytes) {
            Ok(d) => d,
            Err(charset::NotText(reason)) => {
                let mut report = DocReport::new(rel.clone(), &rel, Status::Skipped);
                report.bytes_in = bytes_read;
                report.warning = Some(reason);
                return bare(Some(src), report);
            }
        };
        let mut report = DocReport::new(rel.clone(), &rel, Status::Kept);
        report.bytes_in = decoded.text.len() as u64;
        report.charset = Some(decoded.charset.to_string());
        if decoded.text.trim().is_empty() {
            report.status = Status::Empty;
            report.warning = Some("empty input".into());
            return bare(Some(src), report);
        }
        if let Some(w) = decoded.warning {
            report.flags.push("decode_errors".into());
            report.warning = Some(w);
        }
        let normalized = self.normalized.and_then(|n| {
            self.pipeline
                .take_normalized(n, src, 0, &decoded.text, &rel)
        });
        let mut doc = Document::from_string(rel, decoded.text);
        doc.site = crate::corpus::site_of(&source.rel, None);
        let mut processed = self.pipeline.process_normalized(doc, normalized);
        let text = processed.doc.take_text();
        finish(
            Some(src),
            report,
            processed,
            text,
            None,
            self.settings,
            self.keeps_output,
        )
    }

    /// `id` is told the record's id as soon as it is known, for the report of a failure.
    fn json_line(
        &self,
        src: usize,
        line: jsonl::RawLine,
        id_out: &std::cell::RefCell<Option<String>>,
    ) -> Outcome {
        let source = &self.sources[src];
        let fallback_id = format!("{}:{}", source.rel, line.number);
        let parse = if self.writes {
            jsonl::parse
        } else {
            jsonl::parse_text
        };
        let mut record = match parse(
            &line.bytes,
            &self.settings.text_field,
            &self.settings.id_field,
        ) {
            Ok(r) => r,
            Err(e) => {
                let mut report = DocReport::new(fallback_id, &source.rel, Status::Failed);
                report.bytes_in = line.bytes.len() as u64;
                report.error = Some(format!("line {}: {e}", line.number));
                return bare(Some(src), report);
            }
        };
        let number = line.number as u64;
        drop(line);
        let id = record.id.clone().unwrap_or(fallback_id);
        *id_out.borrow_mut() = Some(id.clone());
        let mut report = DocReport::new(id.clone(), &source.rel, Status::Kept);
        report.bytes_in = record.text.len() as u64;
        let normalized = self.normalized.and_then(|n| {
            self.pipeline
                .take_normalized(n, src, number, &record.text, &id)
        });
        // The record's text moves into the document; the record keeps its other fields for
        // `serialize`, which puts the cleaned text in its place.
        let mut doc = Document::from_string(id, std::mem::take(&mut record.text));
        doc.site = crate::corpus::site_of(&source.rel, record.url.as_deref());
        let mut processed = self.pipeline.process_normalized(doc, normalized);
        let mut text = processed.doc.take_text();
        if text.ends_with('\n') {
            text.pop();
        }
        let line = self
            .writes
            .then(|| jsonl::serialize(&record, &self.settings.text_field, &text));
        finish(
            Some(src),
            report,
            processed,
            text,
            line,
            self.settings,
            self.keeps_output,
        )
    }
}

fn bare(source: Option<usize>, report: DocReport) -> Outcome {
    Outcome {
        source,
        report,
        output: Output::None,
        edits: Vec::new(),
        timings: Vec::new(),
        fingerprint: None,
        dedup_text: None,
    }
}

/// `text` is the document's cleaned text; `line`, when JSON lines are written, the record it goes
/// back into.
fn finish(
    source: Option<usize>,
    mut report: DocReport,
    processed: crate::pipeline::Processed,
    text: String,
    line: Option<String>,
    settings: &Settings,
    keeps_output: bool,
) -> Outcome {
    for (name, score) in &processed.doc.scores {
        report.scores.insert(name.to_string(), *score);
    }
    let drop_spun = settings.spun == crate::stages::spin::SpunMode::Drop
        && processed.doc.flags.iter().any(|f| f == "spun");
    for flag in processed.doc.flags {
        if !report.flags.contains(&flag) {
            report.flags.push(flag);
        }
    }
    report.flags.sort();
    if drop_spun {
        report.status = Status::Dropped;
    } else if text.trim().is_empty() {
        report.status = Status::Empty;
    } else {
        report.bytes_out = text.len() as u64;
    }
    // Only documents that are written take part in dedup. Dedup keeps the text it compared, when
    // that is not the output text.
    let fingerprint = processed
        .fingerprint
        .filter(|_| report.status == Status::Kept);
    let view = processed.view_text.filter(|_| fingerprint.is_some());
    let (output, dedup_text) = match (report.status, line) {
        (Status::Kept, Some(line)) => (
            Output::JsonLine(line),
            view.or_else(|| fingerprint.is_some().then_some(text)),
        ),
        (Status::Kept, None) => (Output::Text(text), view),
        _ => (Output::None, None),
    };
    let output = if keeps_output || dedup_text.is_none() {
        output
    } else {
        Output::None
    };
    Outcome {
        source,
        report,
        output,
        edits: processed.edits,
        timings: processed.timings,
        fingerprint,
        dedup_text,
    }
}
