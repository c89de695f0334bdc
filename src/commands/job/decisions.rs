//! Dedup's decisions, applied to the held documents as the second pass writes them: a duplicate
//! is reported and not written, and with `--passages drop` later copies of repeated passages are
//! removed from the documents that hold them. Clustering decides; this applies.

use super::held::HeldDoc;
use crate::config::PassageMode;
use crate::dedup::spans::{whole_sentences, with_punctuation};
use crate::dedup::{Clusters, Index, TextSource};
use crate::document::Edit;
use crate::report::{DocReport, Status};
use crate::store::TextLog;
use crate::write::Output;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::ops::Range;
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
    /// By dedup document number: the cuts, in text order, none overlapping.
    pub by_doc: HashMap<u32, Vec<Cut>>,
    pub texts: PassageTexts,
}

/// A part of a later copy to remove: whole sentences of the copied span.
pub(super) struct Cut {
    /// Where it stands in the text dedup compared, in bytes.
    bytes: Range<usize>,
    /// Its text's number in `PassageTexts::texts`.
    text: u32,
    /// The input line it starts on.
    origin: u32,
}

/// Where an occurrence of a passage stands in its document: the 1-based line and the character
/// offsets (start, end) in the text dedup compared, the input line it starts on, and its text's
/// number in the log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PassagePlace {
    pub line: u32,
    pub start: u32,
    pub end: u32,
    pub origin: u32,
    text: u32,
}

/// The text and place of every occurrence of a passage, by (document, first word, end word), and
/// the text of every cut. The texts are kept in a log that spills to disk, not held in memory:
/// when most paragraphs of a corpus recur (syndicated copies), they are nearly as large as the
/// corpus.
pub(super) struct PassageTexts {
    /// Sorted; a key's position is its place's in `places`.
    keys: Vec<(u32, u32, u32)>,
    places: Vec<PassagePlace>,
    texts: TextLog,
}

impl PassageTexts {
    /// The place and text of the occurrence of document `doc` spanning `words`, if it was logged.
    pub(super) fn get(
        &self,
        doc: u32,
        words: &Range<u32>,
    ) -> std::io::Result<Option<(PassagePlace, String)>> {
        let Ok(n) = self.keys.binary_search(&(doc, words.start, words.end)) else {
            return Ok(None);
        };
        let place = self.places[n];
        Ok(Some((place, self.texts.get(place.text)?)))
    }
}

/// Counts characters and lines up to rising byte offsets of one text, each byte once (counting
/// again from the start when asked about an earlier offset).
struct Counter<'a> {
    text: &'a str,
    at: usize,
    chars: usize,
    newlines: usize,
}

impl Counter<'_> {
    /// (characters, newlines) before byte `to`, a character boundary.
    fn to(&mut self, to: usize) -> (u32, u32) {
        if to < self.at {
            (self.at, self.chars, self.newlines) = (0, 0, 0);
        }
        let part = &self.text[self.at..to];
        self.chars += part.chars().count();
        self.newlines += memchr::memchr_iter(b'\n', part.as_bytes()).count();
        self.at = to;
        (self.chars as u32, self.newlines as u32)
    }
}

pub(super) fn passage_drops(
    clusters: &Clusters,
    index: &Index,
    texts: &dyn TextSource,
    mode: PassageMode,
    spill_dir: &Path,
) -> Result<PassageDrops> {
    // Every occurrence: (document, first word, end word, whether it is a later copy, bytes).
    let mut wanted: Vec<(u32, u32, u32, bool, Range<u32>)> = clusters
        .passages
        .iter()
        .flat_map(|c| {
            c.members
                .iter()
                .enumerate()
                .map(|(i, m)| (m.doc, m.words.start, m.words.end, i > 0, m.bytes.clone()))
        })
        .collect();
    // An occurrence that is a later copy in one cluster and the source of another is a copy:
    // the later one sorts first and is the one kept.
    wanted.sort_unstable_by_key(|w| (w.0, w.1, w.2, !w.3));
    wanted.dedup_by_key(|w| (w.0, w.1, w.2));
    let mut logged = TextLog::create_in(spill_dir);
    let (mut keys, mut places) = (Vec::with_capacity(wanted.len()), Vec::new());
    let mut by_doc: HashMap<u32, Vec<Cut>> = HashMap::new();
    // Each document is read once, however many of its passages recur.
    for group in wanted.chunk_by(|a, b| a.0 == b.0) {
        let doc = group[0].0;
        let text = texts.text(doc)?;
        let mut counter = Counter {
            text: &text,
            at: 0,
            chars: 0,
            newlines: 0,
        };
        let mut cuts: Vec<Range<usize>> = Vec::new();
        for (_, first, end, later, bytes) in group {
            let (first, end, later) = (*first, *end, *later);
            // The text is the one the spans were found in; one that no longer holds them gives "".
            let bytes = match text.get(bytes.start as usize..bytes.end as usize) {
                Some(_) => with_punctuation(&text, bytes.start as usize..bytes.end as usize),
                None => 0..0,
            };
            let (start, line) = counter.to(bytes.start);
            let (end_chars, _) = counter.to(bytes.end);
            keys.push((doc, first, end));
            places.push(PassagePlace {
                line: line + 1,
                start,
                end: end_chars,
                origin: index.origin(doc, line),
                text: logged.push(&text[bytes.clone()])?,
            });
            if later && mode == PassageMode::Drop {
                cuts.extend(whole_sentences(&text, bytes));
            }
        }
        // Copies of two passages may overlap: one cut each stretch.
        cuts.sort_by_key(|c| c.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for c in cuts {
            match merged.last_mut() {
                Some(m) if c.start <= m.end => m.end = m.end.max(c.end),
                _ => merged.push(c),
            }
        }
        for bytes in merged {
            let (_, line) = counter.to(bytes.start);
            by_doc.entry(doc).or_default().push(Cut {
                text: logged.push(&text[bytes.clone()])?,
                origin: index.origin(doc, line),
                bytes,
            });
        }
    }
    Ok(PassageDrops {
        by_doc,
        texts: PassageTexts {
            keys,
            places,
            texts: logged,
        },
    })
}

/// Dedup's decisions taken from a clusters file (`thresh cluster`) instead of made by this run
/// (`--clusters`): which documents are duplicates and which cluster each is in, by id.
pub struct AppliedClusters {
    /// Document id: (cluster id, whether it is a duplicate, not written).
    by_id: HashMap<String, (String, bool)>,
    /// The file's records, for the clusters this run's documents are in.
    records: Vec<serde_json::Value>,
}

impl AppliedClusters {
    /// The clusters file a `--clusters` flag names, if any.
    pub fn load_flag(path: Option<&Path>) -> Result<Option<AppliedClusters>> {
        path.map(AppliedClusters::load).transpose()
    }

    /// Read a clusters file: `clusters.jsonl`'s records.
    pub fn load(path: &Path) -> Result<AppliedClusters> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --clusters {}", path.display()))?;
        let mut by_id = HashMap::new();
        let mut records = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let bad = || {
                anyhow::anyhow!(
                    "--clusters {} line {}: not a cluster record",
                    path.display(),
                    n + 1
                )
            };
            let record: serde_json::Value = serde_json::from_str(line).map_err(|_| bad())?;
            let id = record["id"].as_str().ok_or_else(bad)?.to_string();
            let kept = record["kept"].as_str().ok_or_else(bad)?;
            // A document an earlier run kept (`thresh cluster --index`) is not in this corpus,
            // though one of this corpus may have its id (a page scraped again).
            if record["kept_in_index"] != true {
                by_id.insert(kept.to_string(), (id.clone(), false));
            }
            for m in record["members"].as_array().ok_or_else(bad)? {
                let doc = m["doc"].as_str().ok_or_else(bad)?;
                // A partial duplicate below --containment says so; every other member is one.
                let duplicate = m["duplicate"].as_bool().unwrap_or(true);
                by_id.insert(doc.to_string(), (id.clone(), duplicate));
            }
            records.push(record);
        }
        Ok(AppliedClusters { by_id, records })
    }

    /// Apply the decision about the document `report` is of: its cluster, and whether it is a
    /// duplicate (then nothing is written).
    pub(super) fn apply(&self, report: &mut DocReport, output: &mut Output) {
        let Some((cluster, duplicate)) = self.by_id.get(&report.id) else {
            return;
        };
        report.cluster = Some(cluster.clone());
        if *duplicate && report.status == Status::Kept {
            report.status = Status::Duplicate;
            report.bytes_out = 0;
            *output = Output::None;
        }
    }

    /// The records of the clusters any of `ids` is in, in the file's order.
    pub(super) fn records_of<'a>(
        &'a self,
        ids: &'a std::collections::HashSet<String>,
    ) -> impl Iterator<Item = &'a serde_json::Value> {
        let wanted: std::collections::HashSet<&str> = ids
            .iter()
            .filter_map(|id| self.by_id.get(id).map(|(c, _)| c.as_str()))
            .collect();
        self.records
            .iter()
            .filter(move |r| r["id"].as_str().is_some_and(|id| wanted.contains(id)))
    }
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
    let Some(cuts) = drops.by_doc.get(&n) else {
        return Ok(Vec::new());
    };
    let text = match &mut doc.output {
        Output::Text(text) | Output::Record { text, .. } => text,
        Output::None | Output::Raw(_) => return Ok(Vec::new()),
    };
    let mut edits = Vec::new();
    // From the last cut to the first, so earlier offsets stay valid.
    for cut in cuts.iter().rev() {
        let copied = drops.texts.texts.get(cut.text)?;
        // The output is the text dedup compared, but in `thresh dedup`, which compares text
        // without boilerplate: there the copy is looked for.
        let at = match text.get(cut.bytes.clone()) {
            Some(t) if t == copied => Some(cut.bytes.clone()),
            _ => text.find(&copied).map(|i| i..i + copied.len()),
        };
        let Some(at) = at else { continue };
        remove_span(text, at);
        edits.push(Edit::new(
            &doc.report.id,
            "dedup",
            "duplicate_passage",
            copied,
            "",
            cut.origin,
        ));
    }
    edits.reverse();
    if text.trim().is_empty() {
        doc.report.status = Status::Empty;
        doc.report.bytes_out = 0;
        doc.output = Output::None;
        return Ok(edits);
    }
    doc.report.bytes_out = text.len() as u64;
    Ok(edits)
}

/// Remove `range` of `text` and the space it leaves: the spaces after it (before it, at a line's
/// end), its line if nothing else is left on it, and a blank line that would double another.
fn remove_span(text: &mut String, range: Range<usize>) {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (range.start, range.end);
    let blank = |b: u8| b == b' ' || b == b'\t';
    while end < bytes.len() && blank(bytes[end]) {
        end += 1;
    }
    if end == bytes.len() || bytes[end] == b'\n' {
        while start > 0 && blank(bytes[start - 1]) {
            start -= 1;
        }
    }
    let line_start = start == 0 || bytes[start - 1] == b'\n';
    let line_end = end == bytes.len() || bytes[end] == b'\n';
    let whole_line = line_start && line_end;
    if whole_line && end < bytes.len() {
        end += 1;
    }
    text.replace_range(start..end, "");
    // Where a paragraph went, do not leave two blank lines in a row, nor one at the end.
    let mut at = start;
    while whole_line
        && at >= 2
        && text.as_bytes()[at - 1] == b'\n'
        && text.as_bytes()[at - 2] == b'\n'
        && (at == text.len() || text.as_bytes()[at] == b'\n')
    {
        text.remove(at - 1);
        at -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::spans::Occurrence;
    use crate::dedup::{Fingerprint, PassageCluster};

    struct Texts(Vec<String>);

    impl TextSource for Texts {
        fn text(&self, doc: u32) -> std::io::Result<String> {
            Ok(self.0[doc as usize].clone())
        }
    }

    /// The occurrence of `sentence` in `texts[doc]`, by words and bytes.
    fn occurrence(texts: &[String], doc: u32, sentence: &str) -> Occurrence {
        let text = &texts[doc as usize];
        let at = text.find(sentence).unwrap();
        let words = crate::dedup::spans::words(text);
        let first = words.iter().position(|w| w.start as usize >= at).unwrap();
        let last = words
            .iter()
            .rposition(|w| w.end as usize <= at + sentence.len())
            .unwrap();
        Occurrence {
            doc,
            words: first as u32..last as u32 + 1,
            bytes: words[first].start..words[last].end,
            similarity: 1.0,
        }
    }

    #[test]
    fn a_copy_that_is_also_a_source_is_cut() {
        // Document 1 copied its sentence from document 0, and document 2 copied it from
        // document 1 (a second cluster, whose source is document 1's copy).
        let copied = "The council met on Friday and agreed to rebuild the pier.";
        let texts: Vec<String> = [
            format!("{copied} Ferries resume in May."),
            format!("Our own report. {copied}"),
            format!("{copied} More to follow."),
        ]
        .into();
        let mut index = Index::default();
        for (i, t) in texts.iter().enumerate() {
            let doc = crate::document::Document::from_text("x", t);
            index.push(&format!("d{i}"), Fingerprint::of(&doc)).unwrap();
        }
        let [a, b, c] = [0, 1, 2].map(|d| occurrence(&texts, d, copied));
        let clusters = Clusters {
            doc_of: vec![None; 3],
            documents: Vec::new(),
            passages: vec![
                PassageCluster {
                    members: vec![a, b.clone()],
                },
                PassageCluster {
                    members: vec![b, c],
                },
            ],
        };
        let dir = tempfile::tempdir().unwrap();
        let drops = passage_drops(
            &clusters,
            &index,
            &Texts(texts.clone()),
            PassageMode::Drop,
            dir.path(),
        )
        .unwrap();
        let mut cut: Vec<u32> = drops.by_doc.keys().copied().collect();
        cut.sort();
        assert_eq!(
            cut,
            [1, 2],
            "document 1's copy is cut though it is also a source"
        );
        assert_eq!(drops.by_doc[&1][0].bytes, {
            let at = texts[1].find(copied).unwrap();
            at..at + copied.len()
        });
    }
}
