//! The cluster files of the report: `clusters.jsonl` and `passages.jsonl`.

use super::decisions::{cluster_id, passage_cluster_id, PassageTexts};
use crate::dedup::{Clusters, Index};
use crate::report::ReportFiles;
use anyhow::Result;

// Typed records borrowing from the clusters: a large corpus has many, and building each as a
// `serde_json::Value` first cost as much as writing it.
#[derive(serde::Serialize)]
struct DocRecord<'a> {
    id: String,
    kept: &'a str,
    size: usize,
    reason: &'a str,
    /// The kept document is not in this run: an earlier run kept it (`--index`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    kept_in_index: bool,
    members: Vec<DocMember<'a>>,
}

#[derive(serde::Serialize)]
struct DocMember<'a> {
    doc: &'a str,
    similarity: f64,
    containment: f64,
    measure: &'a str,
    duplicate: bool,
}

/// The records of `clusters.jsonl`, one per document cluster, in order.
fn document_records<'a>(
    index: &'a Index,
    clusters: &'a Clusters,
) -> impl Iterator<Item = DocRecord<'a>> {
    clusters
        .documents
        .iter()
        .enumerate()
        .map(|(n, c)| DocRecord {
            id: cluster_id(n),
            kept: index.id(c.kept),
            size: c.members.len() + 1,
            reason: &c.reason,
            kept_in_index: index.is_earlier(c.kept),
            members: c
                .members
                .iter()
                .map(|m| DocMember {
                    doc: index.id(m.doc),
                    similarity: round(m.jaccard),
                    containment: round(m.containment),
                    measure: m.measure,
                    duplicate: m.duplicate,
                })
                .collect(),
        })
}

/// `clusters.jsonl`'s records written to `path` on their own, atomically (`thresh cluster`).
pub(in crate::commands) fn write_document_clusters(
    path: &std::path::Path,
    index: &Index,
    clusters: &Clusters,
) -> Result<()> {
    let mut bytes = Vec::new();
    for record in document_records(index, clusters) {
        serde_json::to_writer(&mut bytes, &record)?;
        bytes.push(b'\n');
    }
    crate::write::write_atomic(path, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

pub(super) fn write_cluster_reports(
    report: &ReportFiles,
    index: &Index,
    clusters: &Clusters,
    texts: Option<&PassageTexts>,
) -> Result<()> {
    #[derive(serde::Serialize)]
    struct PassageRecord<'a> {
        id: String,
        members: Vec<PassageMember<'a>>,
    }
    #[derive(serde::Serialize)]
    struct PassageMember<'a> {
        doc: &'a str,
        /// The 1-based input line it starts on.
        passage: u32,
        /// 1-based line and character offsets of the passage in the text dedup compared.
        line: u32,
        start: u32,
        end: u32,
        words: u32,
        similarity: f64,
        text: String,
    }
    let documents = document_records(index, clusters);
    report.write_jsonl("clusters.jsonl", documents)?;
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
                        let found = texts.map(|t| t.get(m.doc, &m.words)).transpose()?;
                        let (place, text) = found.flatten().ok_or_else(|| {
                            anyhow::anyhow!("a passage of {} was not logged", index.id(m.doc))
                        })?;
                        Ok(PassageMember {
                            doc: index.id(m.doc),
                            passage: place.origin,
                            line: place.line,
                            start: place.start,
                            end: place.end,
                            words: m.words.len() as u32,
                            similarity: round(m.similarity),
                            text,
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
