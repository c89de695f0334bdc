//! Dedup's decisions, applied to the held documents as the second pass writes them: a duplicate
//! is reported and not written, and with `--passages drop` later copies of repeated passages are
//! removed from the documents that hold them. Clustering decides; this applies.

use super::held::HeldDoc;
use crate::config::PassageMode;
use crate::dedup::{Clusters, TextSource};
use crate::document::Edit;
use crate::report::{DocReport, Status};
use crate::store::TextLog;
use crate::write::Output;
use anyhow::Result;
use std::collections::HashMap;
use std::path::Path;

/// A document that was cleaned but will not be written: the run was interrupted first. Statuses
/// that write nothing anyway (empty, dropped, skipped, failed) stay as they are.
pub(super) fn pend(report: &mut DocReport) {
    if report.status == Status::Kept {
        report.status = Status::Pending;
        report.bytes_out = 0;
        report.warning = Some("not written: the run was interrupted".into());
    }
}

/// Later copies of repeated passages, to be removed from the documents that hold them.
pub(super) struct PassageDrops {
    /// By dedup document number: (line index in the dedup text, input line), in line order.
    pub by_doc: HashMap<u32, Vec<(u32, u32)>>,
    pub texts: PassageTexts,
}

/// The text of every clustered passage, by (document, line index). Kept in a log that spills to disk, not held in memory: when most
/// paragraphs of a corpus recur (a site's boilerplate paragraphs, syndicated copies), these texts
/// are nearly as large as the corpus.
pub(super) struct PassageTexts {
    /// Sorted; a key's position is its text's number in `texts`.
    keys: Vec<(u32, u32)>,
    texts: TextLog,
    /// For each key: where the passage stands in the text dedup compared, in characters (start,
    /// end): a user cuts or shows the span without counting lines.
    offsets: Vec<(u32, u32)>,
}

impl PassageTexts {
    pub(super) fn get(&self, doc: u32, line_index: u32) -> std::io::Result<Option<String>> {
        match self.keys.binary_search(&(doc, line_index)) {
            Ok(n) => self.texts.get(n as u32).map(Some),
            Err(_) => Ok(None),
        }
    }

    /// The passage's character offsets in the compared text, if it was logged.
    pub(super) fn offsets(&self, doc: u32, line_index: u32) -> Option<(u32, u32)> {
        let n = self.keys.binary_search(&(doc, line_index)).ok()?;
        self.offsets.get(n).copied()
    }
}

pub(super) fn passage_drops(
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
    let mut logged = TextLog::create_in(spill_dir);
    let mut offsets = Vec::with_capacity(wanted.len());
    for group in wanted.chunk_by(|a, b| a.0 == b.0) {
        let text = texts.text(group[0].0)?;
        let lines = crate::dedup::fingerprint::lines(&text);
        // The group's line indexes rise: characters are counted once over the text.
        let (mut counted_bytes, mut counted_chars) = (0usize, 0usize);
        for &(_, line_index) in group {
            let line = lines.get(line_index as usize).copied().unwrap_or_default();
            logged.push(line)?;
            // Each line is a slice of `text`: its byte offset is where it starts in it.
            let at = (line.as_ptr() as usize)
                .saturating_sub(text.as_ptr() as usize)
                .min(text.len());
            if at >= counted_bytes && text.is_char_boundary(at) {
                counted_chars += text[counted_bytes..at].chars().count();
                counted_bytes = at;
            }
            let start = counted_chars as u32;
            offsets.push((start, start + line.chars().count() as u32));
        }
    }
    for passages in by_doc.values_mut() {
        passages.sort_unstable();
    }
    Ok(PassageDrops {
        by_doc,
        texts: PassageTexts {
            keys: wanted,
            texts: logged,
            offsets,
        },
    })
}

pub(super) fn cluster_id(n: usize) -> String {
    format!("d{}", n + 1)
}

pub(super) fn passage_cluster_id(n: usize) -> String {
    format!("p{}", n + 1)
}

/// Apply dedup's decisions to a held document; returns the edits they make.
pub(super) fn decide(
    doc: &mut HeldDoc,
    clusters: &Clusters,
    drops: &PassageDrops,
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
    let text = match &mut doc.output {
        Output::Text(text) | Output::Record { text, .. } => text,
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
    *text = new_text;
    Ok(edits)
}
