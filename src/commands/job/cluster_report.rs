//! The cluster files of the report: `clusters.jsonl` and `passages.jsonl`.

use super::decisions::{cluster_id, passage_cluster_id, PassageTexts};
use crate::dedup::{Clusters, Index};
use crate::report::ReportFiles;
use anyhow::Result;

pub(super) fn write_cluster_reports(
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
        /// 1-based line and character offsets of the passage in the text dedup compared.
        line: u32,
        start: u32,
        end: u32,
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
                        let (start, end) = texts
                            .and_then(|t| t.offsets(m.doc, m.line_index))
                            .unwrap_or_default();
                        Ok(PassageMember {
                            doc: index.id(m.doc),
                            passage: m.origin,
                            line: m.line_index + 1,
                            start,
                            end,
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
