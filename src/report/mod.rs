//! The report folder: `summary.json`, `documents.jsonl`, `edits.jsonl`, each written atomically,
//! the report of one document ([`DocReport`]) with its [`Status`], and the page that shows a
//! report folder in a browser (`index.html`, [`page`]).

pub mod page;

use crate::document::Edit;
use crate::read::Compression;
use crate::write::{write_atomic, AtomicFile};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Counts for `summary.json` and the closing line on the console.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    /// Every record in `documents.jsonl`.
    pub documents: u64,
    /// Documents read and cleaned (kept, duplicate or empty).
    pub read: u64,
    pub written: u64,
    /// Documents read but not written (the contract's `dropped`): near-duplicates, documents
    /// with nothing left, spun documents left out with `--spun drop`, documents a quality filter
    /// dropped. Not the status `dropped`, which `by_status` counts.
    pub dropped: u64,
    pub duplicate: u64,
    pub empty: u64,
    /// Spun documents left out with `--spun drop`.
    pub spun_dropped: u64,
    /// Documents a quality filter dropped (status `filtered`).
    pub filtered: u64,
    /// Documents flagged spun (written or not).
    pub spun: u64,
    pub skipped: u64,
    pub failed: u64,
    /// Not written because the run was interrupted.
    pub pending: u64,
    /// Records of `documents.jsonl` by their `status`, every status present.
    pub by_status: std::collections::BTreeMap<Status, u64>,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub version: &'static str,
    pub command: &'static str,
    pub inputs: Vec<String>,
    pub steps: Vec<&'static str>,
    /// Steps asked for that this version does not have yet.
    pub steps_unavailable: Vec<&'static str>,
    pub counts: Counts,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub edits: u64,
    /// Edits per stage and rule.
    pub rules: BTreeMap<&'static str, BTreeMap<&'static str, u64>>,
    /// Documents each quality filter dropped.
    pub filters: BTreeMap<String, u64>,
    /// Documents by their identified language (`null`: none, a text without letters).
    pub languages: BTreeMap<String, u64>,
    /// Seconds spent in each stage, summed over threads.
    pub stage_seconds: BTreeMap<&'static str, f64>,
    pub wall_seconds: f64,
    /// Documents per charset they were decoded from.
    pub charsets: BTreeMap<String, u64>,
    pub interrupted: bool,
    /// Files an earlier run wrote to --out that this run did not, removed.
    pub stale_removed: u64,
    /// With the dedup step: its threshold and how many clusters it found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup: Option<serde_json::Value>,
    /// The settings the run was given (flags over config over defaults).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Value>,
}

impl Summary {
    pub fn new(command: &'static str, inputs: &[PathBuf]) -> Summary {
        Summary {
            version: env!("CARGO_PKG_VERSION"),
            command,
            inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
            ..Default::default()
        }
    }

    /// A document's final record.
    pub fn add_document(&mut self, doc: &DocReport) {
        let c = &mut self.counts;
        c.documents += 1;
        *c.by_status.entry(doc.status).or_default() += 1;
        // Read but not written: the contract's `dropped`, and the count of its kind.
        let not_written = match doc.status {
            Status::Kept => {
                c.read += 1;
                c.written += 1;
                None
            }
            Status::Duplicate => Some(&mut c.duplicate),
            Status::Empty => Some(&mut c.empty),
            Status::Dropped => Some(&mut c.spun_dropped),
            Status::Filtered => Some(&mut c.filtered),
            Status::Skipped => {
                c.skipped += 1;
                None
            }
            Status::Failed => {
                c.failed += 1;
                None
            }
            Status::Pending => {
                c.pending += 1;
                None
            }
        };
        if let Some(kind) = not_written {
            *kind += 1;
            c.read += 1;
            c.dropped += 1;
        }
        if doc.flags.iter().any(|f| f == "spun") {
            c.spun += 1;
        }
        if let Some(filter) = &doc.filter {
            *self.filters.entry(filter.clone()).or_default() += 1;
        }
        if let Some(language) = &doc.language {
            *self.languages.entry(language.clone()).or_default() += 1;
        }
        self.bytes_in += doc.bytes_in;
        self.bytes_out += doc.bytes_out;
        if let Some(cs) = &doc.charset {
            *self.charsets.entry(cs.clone()).or_default() += 1;
        }
    }

    /// The edits made to a document and the time each stage took over it.
    pub fn add_work(&mut self, edits: &[Edit], timings: &[(&'static str, Duration)]) {
        for e in edits {
            self.edits += u64::from(e.count);
            *self
                .rules
                .entry(e.stage)
                .or_default()
                .entry(e.rule)
                .or_default() += u64::from(e.count);
        }
        for (stage, t) in timings {
            *self.stage_seconds.entry(stage).or_default() += t.as_secs_f64();
        }
    }
}

/// The report files being written.
pub struct ReportFiles {
    dir: PathBuf,
    documents: AtomicFile,
    edits: AtomicFile,
}

impl ReportFiles {
    pub fn create(dir: &Path) -> Result<ReportFiles> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create report folder {}", dir.display()))?;
        Ok(ReportFiles {
            dir: dir.to_path_buf(),
            documents: AtomicFile::create(&dir.join("documents.jsonl"), Compression::None)?,
            edits: AtomicFile::create(&dir.join("edits.jsonl"), Compression::None)?,
        })
    }

    pub fn add_document(&mut self, doc: &DocReport) -> Result<()> {
        serde_json::to_writer(&mut self.documents, doc)?;
        self.documents.write_all(b"\n")?;
        Ok(())
    }

    /// Write a whole JSON Lines file of the report at once.
    pub fn write_jsonl<T: Serialize>(
        &self,
        name: &str,
        records: impl Iterator<Item = T>,
    ) -> Result<()> {
        self.try_write_jsonl(name, records.map(Ok))
    }

    /// `write_jsonl` of records that may fail to be made (read back from a log); the first
    /// failure leaves the file unwritten.
    pub fn try_write_jsonl<T: Serialize>(
        &self,
        name: &str,
        records: impl Iterator<Item = Result<T>>,
    ) -> Result<()> {
        let mut file = AtomicFile::create(&self.dir.join(name), Compression::None)?;
        for record in records {
            serde_json::to_writer(&mut file, &record?)?;
            file.write_all(b"\n")?;
        }
        file.commit()
            .with_context(|| format!("cannot write {name}"))?;
        Ok(())
    }

    pub fn add_edits<'e>(&mut self, edits: impl IntoIterator<Item = &'e Edit>) -> Result<()> {
        for e in edits {
            write_edit(&mut self.edits, e)?;
        }
        Ok(())
    }

    /// The report files in place, `summary.json` last; returns the folder.
    pub fn finish(self, summary: &Summary) -> Result<PathBuf> {
        self.documents.commit()?;
        self.edits.commit()?;
        let mut json = serde_json::to_vec_pretty(summary)?;
        json.push(b'\n');
        write_atomic(&self.dir.join("summary.json"), &json)?;
        Ok(self.dir)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Kept,
    Duplicate,
    Empty,
    /// Left out on purpose: spun, with `--spun drop`.
    Dropped,
    /// Left out by a quality filter (`--filter`, `--min-words`, `--languages`).
    Filtered,
    Skipped,
    Failed,
    /// Not written because the run was interrupted first: read and cleaned but not yet written,
    /// or (one record for the rest of a file) not read at all.
    Pending,
}

/// The report of a path the walk passed over: `skipped` with the reason (a FIFO, a symlink loop),
/// or `failed` when it could not be listed.
pub fn walk_report(e: &crate::read::WalkError) -> DocReport {
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
    /// The language identified from the cleaned text (ISO 639-1, else 639-3), when it has
    /// letters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// For a document a quality filter dropped: the filter, and what it measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// What a page read from HTML states about itself (title, canonical URL, language, date,
    /// author), where it states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<crate::read::html::PageMeta>,
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
            language: None,
            filter: None,
            reason: None,
            charset: None,
            error: None,
            warning: None,
            page: None,
        }
    }
}

/// One edit as a line of `edits.jsonl`. Characters a reader cannot see (controls, C1 controls,
/// invisible format characters, odd spaces, noncharacters) are written as JSON `\uXXXX` escapes:
/// the JSON decodes to the same text, but a removed `\u0092` or zero-width space shows in the
/// file, where `before` and `after` would otherwise look the same.
pub fn write_edit(out: &mut impl Write, edit: &Edit) -> Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, VisibleEscapes);
    edit.serialize(&mut ser)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// serde_json's compact format, with the characters of [`write_edit`] escaped.
struct VisibleEscapes;

impl serde_json::ser::Formatter for VisibleEscapes {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_invisible(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{:04x}", unit)?;
                }
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Characters that print as nothing or as a plain space.
fn is_invisible(c: char) -> bool {
    let n = c as u32;
    matches!(n, 0x7f..=0xa0 | 0xad | 0x34f | 0x61c | 0x115f | 0x1160 | 0x17b4 | 0x17b5 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f | 0x3000 | 0x3164 | 0xfeff | 0xffa0
        | 0xfff9..=0xfffb | 0xfe00..=0xfe0f | 0xfdd0..=0xfdef)
        || n & 0xfffe == 0xfffe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_show_what_cannot_be_seen_and_read_back_the_same() {
        let edit = Edit::new(
            "d",
            "normalize",
            "c1_controls",
            "It\u{92}s a\u{200b}b\u{a0}c \u{0}",
            "It’s ab c",
            1,
        );
        let mut out = Vec::new();
        write_edit(&mut out, &edit).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.contains(r#""before":"It\u0092s a\u200bb\u00a0c \u0000""#),
            "{line}"
        );
        assert!(line.contains(r#""after":"It’s ab c""#), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["before"], "It\u{92}s a\u{200b}b\u{a0}c \u{0}");
    }
}
