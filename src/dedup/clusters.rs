//! What clustering finds: document clusters around the document kept, and passage clusters.

use super::spans::Occurrence;

/// One member of a document cluster other than the kept document.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub doc: u32,
    pub jaccard: f64,
    pub containment: f64,
    /// `exact`, `jaccard` or `containment`; `spans` for a partial duplicate, whose containment
    /// is the share of its words in copies of earlier documents' passages.
    pub measure: &'static str,
    /// Whether it is not written: every member but a partial duplicate below `--containment`.
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocCluster {
    pub kept: u32,
    pub members: Vec<Member>,
    /// Why `kept` was chosen.
    pub reason: String,
}

/// A passage found in two or more kept documents; the first member is the first occurrence in
/// input order (the source), the others are later copies.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageCluster {
    pub members: Vec<Occurrence>,
}

/// The result of clustering. Clusters are numbered in the input order of their kept document.
#[derive(Debug, Default)]
pub struct Clusters {
    /// For each document: its cluster and whether it is a duplicate (not written).
    pub doc_of: Vec<Option<(u32, bool)>>,
    pub documents: Vec<DocCluster>,
    pub passages: Vec<PassageCluster>,
}
