//! The document step: what the engine does with each item of the input. It loads the item
//! through the reader, cleans the document through the pipeline, fingerprints it for dedup, and
//! decides the document's status and output; a bug met on one document fails that document.

use super::normalized::NormalizedDocs;
use crate::config::{HtmlOutput, OnError, OutFormat, Settings, SpunMode, Step};
use crate::dedup::{Fingerprinter, Print};
use crate::document::{Document, Edit};
use crate::pipeline::{Pipeline, Processed};
use crate::read::{jsonl, Item, NotRead, Reader, Record, OTHER_KIND};
use crate::report::{walk_report, DocReport, Status};
use crate::write::Output;
use std::time::Duration;

/// What the document step gives the sink, in input order.
#[allow(
    clippy::large_enum_variant,
    reason = "nearly every value is the large variant (a document); boxing it would add an allocation per document and save no memory"
)]
pub(in crate::commands) enum Event {
    Doc(Outcome),
    /// Every document of this source has been delivered.
    FileEnd(usize),
}

/// What became of one input document.
#[derive(Debug)]
pub(in crate::commands) struct Outcome {
    /// Index of its source, or `None` for a path that could not be listed.
    pub source: Option<usize>,
    pub report: DocReport,
    pub output: Output,
    pub edits: Vec<Edit>,
    pub timings: Vec<(&'static str, Duration)>,
    /// For a document that dedup should consider: its print.
    pub fingerprint: Option<Print>,
    /// The text dedup compared, when the output does not hold it as is.
    pub dedup_text: Option<String>,
    /// Its value of the field that picks the copy of a cluster kept (`--keep-duplicate
    /// field:NAME`).
    pub field_value: Option<crate::dedup::FieldValue>,
}

/// A document through the pipeline, as [`DocumentStep::finish`] takes it.
struct Cleaned {
    processed: Processed,
    fingerprinted: Option<crate::dedup::Fingerprinted>,
    /// The text as it is written, and the plain text when that is not it (Markdown).
    text: String,
    plain: Option<String>,
    field_value: Option<crate::dedup::FieldValue>,
}

pub(in crate::commands) struct DocumentStep<'a> {
    pub settings: &'a Settings,
    pub filters: &'a crate::filters::Filters,
    pub reader: &'a Reader<'a>,
    pub pipeline: &'a Pipeline,
    /// With the dedup step.
    pub fingerprinter: Option<&'a Fingerprinter>,
    /// Whether cleaned documents are written anywhere. When they are not (`thresh dedup` without
    /// `--out`, `thresh diff`), a JSON line's cleaned text is kept as text rather than serialized
    /// back into its record: only the report and dedup read it.
    pub writes: bool,
    /// Whether anything reads a document's cleaned text after the run: writing it, or dropping
    /// repeated passages from it. When nothing does and dedup keeps the text it compared, that
    /// text is the only one held.
    pub keeps_output: bool,
    /// Documents the corpus pass already normalized.
    pub normalized: Option<&'a NormalizedDocs>,
}

impl DocumentStep<'_> {
    pub fn run(&self, item: Item) -> Event {
        let sources = self.reader.sources;
        let outcome = match item {
            Item::End { src } => return Event::FileEnd(src),
            Item::Unreadable { src, error } => {
                let rel = &sources[src].rel;
                let mut report = DocReport::new(rel.clone(), rel, Status::Failed);
                report.error = Some(error);
                bare(Some(src), report)
            }
            Item::OtherKind { src } => {
                let rel = &sources[src].rel;
                let mut report = DocReport::new(rel.clone(), rel, Status::Skipped);
                report.warning = Some(OTHER_KIND.into());
                bare(Some(src), report)
            }
            Item::Unlisted(e) => bare(None, walk_report(&e)),
            // A bug met on one document's text costs that document, never the run.
            Item::TextFile { src } => crate::isolate::catch(|| self.text_file(src))
                .unwrap_or_else(|error| self.failed_text_file(src, error)),
            Item::JsonLine { src, line } => {
                // The line's bytes are given up once parsed (a huge record is not held twice)
                // unless `--on-error keep` may need to write them back.
                let (number, len) = (line.number, line.bytes.len());
                let kept = (self.settings.on_error == OnError::Keep).then(|| line.bytes.clone());
                let id = std::cell::RefCell::new(None);
                crate::isolate::catch(|| self.json_line(src, line, &id)).unwrap_or_else(|error| {
                    self.failed_json_line(src, (number, len), id.take(), kept, error)
                })
            }
        };
        Event::Doc(outcome)
    }

    /// A text file whose processing failed with an internal error: reported, and with
    /// `--on-error keep` its input written unchanged (read again: inputs are never modified, and
    /// holding every file's bytes until its document is done would double the memory of a run).
    fn failed_text_file(&self, src: usize, error: String) -> Outcome {
        let source = &self.reader.sources[src];
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
        let source = &self.reader.sources[src];
        let id = id.unwrap_or_else(|| crate::read::fallback_id(source, line.0));
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
        let rel = &self.reader.sources[src].rel;
        let mut record = match self.reader.text_file(src) {
            Ok(record) => record,
            Err(NotRead::Failed { error, bytes_in }) => {
                let mut report = DocReport::new(rel.clone(), rel, Status::Failed);
                report.bytes_in = bytes_in;
                report.error = Some(error);
                return bare(Some(src), report);
            }
            Err(NotRead::NotText { reason, bytes_in }) => {
                let mut report = DocReport::new(rel.clone(), rel, Status::Skipped);
                report.bytes_in = bytes_in;
                report.warning = Some(reason);
                return bare(Some(src), report);
            }
        };
        let mut report = DocReport::new(record.id.clone(), rel, Status::Kept);
        report.bytes_in = record.text.len() as u64;
        report.charset = record.charset.map(str::to_string);
        report.page = record.meta.clone().filter(|m| !m.is_empty());
        if record.text.trim().is_empty() {
            report.status = Status::Empty;
            report.warning = Some("empty input".into());
            return bare(Some(src), report);
        }
        if let Some(w) = &record.decode_warning {
            report.flags.push("decode_errors".into());
            report.warning = Some(w.clone());
        }
        let meta = record.meta.take();
        let field_value = self.field_value(None, meta.as_ref());
        let mut cleaned = self.clean(record, field_value);
        // Into one JSON Lines output, a text file or a page becomes a record (its text without
        // the final line break, as a record's text is written).
        let around = (self.writes && self.settings.out_format == OutFormat::Jsonl)
            .then(|| jsonl::around_document(&report.id, self.reader.text_field, meta.as_ref()));
        if around.is_some() && cleaned.text.ends_with('\n') {
            cleaned.text.pop();
        }
        self.finish(Some(src), report, cleaned, around)
    }

    /// `id` is told the record's id as soon as it is known, for the report of a failure.
    fn json_line(
        &self,
        src: usize,
        line: jsonl::RawLine,
        id_out: &std::cell::RefCell<Option<String>>,
    ) -> Outcome {
        let source = &self.reader.sources[src];
        let number = line.number;
        let mut record = match self.reader.json_line(src, line) {
            Ok(record) => record,
            Err(
                NotRead::Failed { error, bytes_in }
                | NotRead::NotText {
                    reason: error,
                    bytes_in,
                },
            ) => {
                let id = crate::read::fallback_id(source, number);
                let mut report = DocReport::new(id, &source.rel, Status::Failed);
                report.bytes_in = bytes_in;
                report.error = Some(error);
                return bare(Some(src), report);
            }
        };
        *id_out.borrow_mut() = Some(record.id.clone());
        let mut report = DocReport::new(record.id.clone(), &source.rel, Status::Kept);
        report.bytes_in = record.text.len() as u64;
        // The record keeps its other fields for `serialize`, which puts the cleaned text in its
        // place.
        let fields = record.fields.take();
        let meta = record.meta.take();
        if let Some(meta) = meta.as_ref().filter(|m| !m.is_empty()) {
            report.page = Some(meta.clone());
        }
        let field_value = self.field_value(fields.as_ref(), meta.as_ref());
        let mut cleaned = self.clean(record, field_value);
        if cleaned.text.ends_with('\n') {
            cleaned.text.pop();
        }
        let around = fields
            .filter(|_| self.writes)
            .map(|fields| match self.reader.html_field {
                Some(html_field) => {
                    jsonl::around_page(&fields, html_field, self.reader.text_field, meta.as_ref())
                }
                None => jsonl::around(&fields, self.reader.text_field),
            });
        self.finish(Some(src), report, cleaned, around)
    }

    /// The document's value of the field `--keep-duplicate field:NAME` names: a JSON record's
    /// field (a number, or a string; other values as their JSON), else what a page's metadata
    /// states under that name (`date`, `title`, `url`, `language`, `author`).
    fn field_value(
        &self,
        fields: Option<&jsonl::Parsed>,
        meta: Option<&crate::read::html::PageMeta>,
    ) -> Option<crate::dedup::FieldValue> {
        use crate::dedup::FieldValue;
        let crate::config::KeepDuplicate::Field { name, .. } = &self.settings.keep_duplicate else {
            return None;
        };
        let from_record = fields
            .and_then(|f| f.fields.get(name.as_str()))
            .and_then(|raw| match serde_json::from_str(raw.get()).ok()? {
                serde_json::Value::Null => None,
                serde_json::Value::Number(n) => n.as_f64().map(FieldValue::Number),
                serde_json::Value::String(s) => Some(FieldValue::Text(s.into())),
                _ => Some(FieldValue::Text(raw.get().into())),
            });
        from_record.or_else(|| {
            let meta = meta?;
            let stated = match name.as_str() {
                "date" => &meta.date,
                "title" => &meta.title,
                "url" => &meta.url,
                "language" => &meta.language,
                "author" => &meta.author,
                _ => return None,
            };
            stated.as_deref().map(|s| FieldValue::Text(s.into()))
        })
    }

    /// The pipeline over the record's document, its print for dedup, and its text as it is
    /// written (a page's as Markdown when asked).
    fn clean(&self, record: Record, field_value: Option<crate::dedup::FieldValue>) -> Cleaned {
        let first = self
            .normalized
            .filter(|_| self.pipeline.starts_with(Step::Normalize))
            .and_then(|n| {
                n.take(
                    record.src,
                    record.line.unwrap_or(0),
                    &record.text,
                    &record.id,
                    Step::Normalize.name(),
                )
            });
        let mut doc = Document::from_string(record.id, record.text);
        doc.site = record.site;
        doc.markup = record.markup.map(std::sync::Arc::new);
        let mut processed = self.pipeline.resume(doc, first);
        let fingerprinted = self.fingerprinter.map(|f| f.fingerprint(&processed.doc));
        if let Some(f) = &fingerprinted {
            processed.timings.push((Step::Dedup.name(), f.took));
        }
        // The language and the quality filters read the text, not its dress.
        let doc = &mut processed.doc;
        let (text, plain) =
            if self.settings.html_output == HtmlOutput::Markdown && doc.markup.is_some() {
                (crate::write::markdown::render(doc), Some(doc.text()))
            } else {
                (doc.take_text(), None)
            };
        Cleaned {
            processed,
            fingerprinted,
            text,
            plain,
            field_value,
        }
    }

    /// The document's status and output; `around`, when JSON lines are written, the record's
    /// line before and after its text.
    fn finish(
        &self,
        source: Option<usize>,
        mut report: DocReport,
        cleaned: Cleaned,
        around: Option<(String, String)>,
    ) -> Outcome {
        let Cleaned {
            mut processed,
            fingerprinted,
            text,
            plain,
            field_value,
        } = cleaned;
        for (name, score) in &processed.doc.scores {
            report.scores.insert(name.to_string(), *score);
        }
        // The spin stage only flags; leaving spun documents out is decided here.
        let drop_spun =
            self.settings.spun == SpunMode::Drop && processed.doc.flags.iter().any(|f| f == "spun");
        for flag in std::mem::take(&mut processed.doc.flags) {
            if !report.flags.contains(&flag) {
                report.flags.push(flag);
            }
        }
        report.flags.sort();
        // Language and quality filters judge the cleaned text; their time is the `filter` step's.
        let started = std::time::Instant::now();
        let judged = plain.as_deref().unwrap_or(&text);
        let identified = crate::filters::identify(judged);
        report.language = identified.as_ref().map(|l| l.code.to_string());
        let filtered = if drop_spun || self.filters.is_empty() {
            None
        } else {
            self.filters.judge(judged, identified.as_ref())
        };
        processed.timings.push(("filter", started.elapsed()));
        if drop_spun {
            report.status = Status::Dropped;
        } else if text.trim().is_empty() {
            report.status = Status::Empty;
        } else if let Some(verdict) = filtered {
            report.status = Status::Filtered;
            report.filter = Some(verdict.filter.to_string());
            report.reason = Some(verdict.reason);
        } else {
            report.bytes_out = text.len() as u64;
        }
        // Only documents that are written take part in dedup. Dedup keeps the text it compared,
        // when that is not the output text.
        let (fingerprint, view) = match fingerprinted {
            Some(f) if report.status == Status::Kept => (Some(f.print), f.view_text),
            _ => (None, None),
        };
        let output = match (report.status, around) {
            (Status::Kept, Some((before, after))) => Output::Record {
                before,
                text,
                after,
            },
            (Status::Kept, None) => Output::Text(text),
            _ => Output::None,
        };
        // A view exists only for a kept document.
        let dedup_text = view;
        let output = if self.keeps_output || dedup_text.is_none() {
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
            field_value,
        }
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
        field_value: None,
    }
}
