//! Where finished documents go: the writers (an `--out` folder mirroring the inputs, standard
//! output, or nowhere), the report files and the console.

use super::decisions::AppliedClusters;
use super::document::Event;
use crate::config::EditLog;
use crate::console::Console;
use crate::document::Edit;
use crate::engine::Sink;
use crate::read::{Compression, Kind, Source, OTHER_KIND};
use crate::report::{DocReport, ReportFiles, Status, Summary};
use crate::write::{write_atomic, AtomicFile, OutFolder, Output};
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::Write;
use std::time::Duration;

/// Where cleaned documents go.
pub(super) enum Destination {
    Dir(OutFolder),
    Stdout,
    /// Nothing written but the report, or the edits on standard output.
    Nowhere {
        print_edits: bool,
    },
}

/// Writers, report and console: where finished documents go.
pub(super) struct OutputSink<'a> {
    pub(super) sources: &'a [Source],
    pub(super) target: Destination,
    pub(super) report: Option<ReportFiles>,
    pub(super) console: &'a Console,
    pub(super) summary: Summary,
    /// A JSON line being made, reused from one to the next.
    pub(super) line: Vec<u8>,
    /// The JSONL output being written, for the source with this index.
    pub(super) open: Option<(usize, String, AtomicFile)>,
    /// Output paths written, to catch two inputs mapping to one output, and to tell the --out
    /// folder what this run wrote.
    pub(super) taken: HashSet<String>,
    /// Output files in place, for the --out folder's manifest.
    pub(super) written: HashSet<String>,
    /// Records delivered for paths the walk passed over (they come first).
    pub(super) walk_reported: usize,
    /// How many sources have been delivered whole (they come in order).
    pub(super) ended: usize,
    /// The source of the last document delivered.
    pub(super) last_source: Option<usize>,
    /// Every document goes into one JSON Lines file (`--out-format jsonl`).
    pub(super) one_file: bool,
    /// Pages are written as Markdown (`.md`).
    pub(super) markdown: bool,
    /// Dedup's decisions from a clusters file (`--clusters`), applied as documents come.
    pub(super) applied: Option<&'a AppliedClusters>,
    /// The ids of the documents the applied clusters hold, for the report's clusters.jsonl.
    pub(super) applied_ids: HashSet<String>,
    /// Which edits are logged (`--edits`).
    pub(super) edit_log: EditLog,
    /// The field of JSON Lines output records that holds each one's cluster (`--cluster-field`).
    pub(super) cluster_field: Option<String>,
}

/// The file of `--out-format jsonl`, in --out.
pub const ONE_FILE: &str = "documents.jsonl";

impl Sink<Event> for OutputSink<'_> {
    fn event(&mut self, event: Event) -> Result<()> {
        match event {
            Event::FileEnd(src) => self.file_end(src),
            Event::Doc(mut outcome) => {
                self.console.document_done(crate::read::bytes_read());
                if let Some(applied) = self.applied {
                    applied.apply(&mut outcome.report, &mut outcome.output);
                    if outcome.report.cluster.is_some() {
                        self.applied_ids.insert(outcome.report.id.clone());
                    }
                }
                self.add_work(&outcome.edits, &outcome.timings)?;
                self.tell(&outcome.report);
                self.add_document(outcome.source, outcome.report, &outcome.output)
            }
        }
    }
}

impl OutputSink<'_> {
    /// What was done to a document: its edits and the time each stage took.
    pub(super) fn add_work(
        &mut self,
        edits: &[Edit],
        timings: &[(&'static str, Duration)],
    ) -> Result<()> {
        self.summary.add_work(edits, timings);
        let log = self.edit_log;
        let logged = edits.iter().filter(move |e| match log {
            EditLog::All => true,
            EditLog::Changes => !e.is_layout(),
            EditLog::None => false,
        });
        if let Destination::Nowhere { print_edits: true } = self.target {
            let mut out = std::io::stdout().lock();
            for edit in logged.clone() {
                crate::report::write_edit(&mut out, edit)?;
            }
        }
        if let Some(report) = &mut self.report {
            report.add_edits(logged)?;
        }
        Ok(())
    }

    /// A finished document: written (unless its status says otherwise) and reported.
    pub(super) fn add_document(
        &mut self,
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
            let cluster = doc.cluster.clone();
            let written = crate::isolate::catch(|| {
                crate::isolate::at("write");
                crate::isolate::fault_point("write", || output.to_text());
                self.write(src, output, cluster.as_deref())
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

    pub(super) fn tell(&self, doc: &DocReport) {
        tell(self.console, doc);
    }

    /// Write a document's output; `cluster` is its cluster, for `--cluster-field`.
    fn write(&mut self, src: usize, output: &Output, cluster: Option<&str>) -> Result<()> {
        let source = &self.sources[src];
        let dir = match &self.target {
            Destination::Dir(folder) => Some(folder.path().to_path_buf()),
            Destination::Stdout => None,
            Destination::Nowhere { .. } => return Ok(()),
        };
        if let Output::None = output {
            return Ok(());
        }
        let Some(dir) = dir else {
            let mut out = std::io::stdout().lock();
            match (output, &self.cluster_field) {
                (Output::Record { .. }, Some(field)) => {
                    self.line.clear();
                    output.write_to(&mut self.line)?;
                    set_field(&mut self.line, field, cluster)?;
                    out.write_all(&self.line)?;
                }
                _ => output.write_to(&mut out)?,
            }
            // JSON Lines records, one a line.
            if let Output::Record { .. } = output {
                out.write_all(b"\n")?;
            }
            out.flush()?;
            return Ok(());
        };
        let kind = if self.one_file {
            Kind::Jsonl(Compression::None)
        } else {
            source.kind
        };
        match kind {
            Kind::Jsonl(compression) => {
                // Into one file, every source's records go on in the file opened for the first.
                let rel = if self.one_file {
                    ONE_FILE
                } else {
                    source.rel.as_str()
                };
                if self
                    .open
                    .as_ref()
                    .is_none_or(|(open_src, _, _)| *open_src != src && !self.one_file)
                {
                    self.claim(rel)?;
                    let dest = dir.join(rel);
                    let file = AtomicFile::create(&dest, compression)
                        .with_context(|| format!("cannot create {}", dest.display()))?;
                    self.open = Some((src, rel.to_string(), file));
                }
                let (_, _, file) = self.open.as_mut().expect("opened above");
                // The line is made whole, then given to the file in one write: a compressor fed
                // the pieces as they are escaped compresses worse (and differently).
                self.line.clear();
                output.write_to(&mut self.line)?;
                if let Some(field) = &self.cluster_field {
                    set_field(&mut self.line, field, cluster)?;
                }
                file.write_all(&self.line)?;
                file.write_all(b"\n")?;
                if self.line.capacity() > 1 << 20 {
                    // A huge record's buffer is not kept for the rest of the run.
                    self.line = Vec::new();
                }
                Ok(())
            }
            _ => {
                let rel = source.out_rel(self.markdown);
                self.claim(&rel)?;
                let dest = dir.join(&rel);
                // A text file's text is written as it is, not copied first.
                let bytes: std::borrow::Cow<[u8]> = match output {
                    Output::Text(text) => text.as_bytes().into(),
                    Output::Raw(bytes) => bytes.as_slice().into(),
                    other => other.to_text().into_bytes().into(),
                };
                write_atomic(&dest, &bytes)
                    .with_context(|| format!("cannot write {}", dest.display()))?;
                self.placed(&rel)
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
    pub(super) fn commit_open(&mut self, src: Option<usize>) -> Result<()> {
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

    pub(super) fn file_end(&mut self, src: usize) -> Result<()> {
        self.ended = src + 1;
        if self.one_file {
            // The one file is finished with the run.
            return Ok(());
        }
        self.commit_open(Some(src))
    }
}

/// Set field `name` of the JSON record `line` to `cluster` (null for none): appended before the
/// closing brace, or, when the record has such a field already, put in its place.
fn set_field(line: &mut Vec<u8>, name: &str, cluster: Option<&str>) -> Result<()> {
    let key = serde_json::to_string(name)?;
    let value = serde_json::to_value(cluster)?;
    let has_key = line
        .windows(key.len() + 1)
        .any(|w| &w[..key.len()] == key.as_bytes() && w[key.len()] == b':');
    if has_key {
        // Rare: parsed and written anew, its fields in their order.
        let mut record: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(line)?;
        record.insert(name.to_string(), value);
        line.clear();
        serde_json::to_writer(&mut *line, &record)?;
        return Ok(());
    }
    while line.last().is_some_and(u8::is_ascii_whitespace) {
        line.pop();
    }
    if line.pop() != Some(b'}') {
        bail!("a JSON Lines record written is not an object");
    }
    if line.iter().rev().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        line.push(b',');
    }
    line.extend_from_slice(key.as_bytes());
    line.push(b':');
    serde_json::to_writer(&mut *line, &value)?;
    line.push(b'}');
    Ok(())
}

/// Errors and warnings about one document, on the console.
pub(in crate::commands) fn tell(console: &Console, doc: &DocReport) {
    let what = if doc.id == doc.source {
        doc.source.clone()
    } else {
        format!("{} ({})", doc.source, doc.id)
    };
    match doc.status {
        Status::Failed => console.error(&what, doc.error.as_deref().unwrap_or("failed")),
        // Other kinds of file are skipped quietly (they are counted); binary "text", a FIFO or a
        // symlink loop is news.
        Status::Skipped if doc.warning.as_deref().is_some_and(|w| w != OTHER_KIND) => console.warn(
            &what,
            &format!("skipped: {}", doc.warning.as_deref().unwrap_or("")),
        ),
        _ => {
            if let Some(w) = &doc.warning {
                if doc.status != Status::Skipped {
                    console.warn(&what, w);
                }
            }
        }
    }
}
