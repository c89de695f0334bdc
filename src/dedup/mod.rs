//! Near-duplicate detection over the whole corpus: documents and passages.
//!
//! Data flows in three steps:
//! 1. Each cleaned document is fingerprinted in parallel: [`Scan::of`] splits it into words and
//!    finds its passages, [`Scan::finish`] leaves its site's template lines out and takes a MinHash
//!    signature of its word 3-grams, a hash of its lines, the signatures of its new passages and
//!    its exact shingle sets, for verification. As each document is cleaned
//!    ([`Fingerprinter`]) when the template lines are known from a corpus pass
//!    ([`Fingerprint::with_template`]); otherwise the scans wait until the whole corpus has been
//!    counted ([`Deferred`]).
//! 2. [`Index::push`] keeps the fingerprints in input order: 64 bytes and its id per document in
//!    memory, and the span finder's grams; the signatures and exact sets go to a [`PrintStore`]
//!    (a log that spills to a file in a run), read a few LSH bands at a time and for candidate
//!    pairs.
//! 3. [`Index::cluster`] finds candidate pairs by LSH banding, verifies them on the exact sets
//!    ([`verify`]; a passage's are taken from its document's text, a [`TextSource`], when needed),
//!    and forms clusters around the most complete document, without chaining.

mod clusters;
mod deferred;
mod documents;
pub mod fingerprint;
mod fingerprinter;
mod index;
pub mod index_folder;
pub mod intersect;
pub mod lsh;
pub mod minhash;
mod passages;
mod print_log;
mod radix;
pub mod scan;
pub mod shingle;
pub mod signature_file;
pub mod spans;
pub mod verify;

pub use clusters::{Clusters, DocCluster, Member, PassageCluster};
pub use deferred::Deferred;
pub use fingerprint::Fingerprint;
pub use fingerprinter::{Fingerprinted, Fingerprinter, Print};
pub use index::{FieldValue, Index, MemoryPrints, PrintStore, TextSource};
pub use index_folder::IndexFolder;
pub use print_log::PrintLog;
pub use scan::Scan;
pub use verify::Shingled;

use crate::config::KeepDuplicate;
use crate::document::Document;
use std::io;

/// Fingerprints and clusters documents held in memory (small corpora, tests): `docs` are each
/// document's id and cleaned form, in input order.
pub fn cluster_in_memory(
    docs: impl IntoIterator<Item = (String, Document)>,
    threshold: f64,
) -> io::Result<Clusters> {
    let mut index = Index::default();
    let mut texts = MemoryTexts::default();
    for (id, doc) in docs {
        index.push(&id, Fingerprint::of(&doc))?;
        texts.0.push(doc.text());
    }
    index.cluster(&ClusterSettings::new(threshold), &texts)
}

/// Texts held in memory, by document number.
#[derive(Default)]
struct MemoryTexts(Vec<String>);

impl TextSource for MemoryTexts {
    fn text(&self, doc: u32) -> io::Result<String> {
        Ok(self.0[doc as usize].clone())
    }
}

/// What clustering compares by.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSettings {
    /// The word-3-gram Jaccard similarity (or containment) at which two documents are copies.
    pub threshold: f64,
    /// How long a shared span must be to be a passage (`--min-span-words`).
    pub min_span: spans::MinSpan,
    /// The share of a document's words in copies of earlier documents' passages at which it is
    /// a duplicate (`--containment`); without it such documents are only reported.
    pub containment: Option<f64>,
    /// Which copy of a cluster is kept (`--keep-duplicate`).
    pub keep: KeepDuplicate,
}

impl ClusterSettings {
    pub fn new(threshold: f64) -> ClusterSettings {
        ClusterSettings {
            threshold,
            min_span: spans::MinSpan::DEFAULT,
            containment: None,
            keep: KeepDuplicate::Longest,
        }
    }
}

impl Index {
    /// Cluster the documents, then the passages of the documents that are kept, then the kept
    /// documents made mostly of earlier ones' passages; `texts` holds the compared text of every
    /// document of the index.
    pub fn cluster(
        &self,
        settings: &ClusterSettings,
        texts: &dyn TextSource,
    ) -> io::Result<Clusters> {
        let documents = self.cluster_documents(settings)?;
        self.cluster_passages(documents, settings, texts)
    }

    /// The first phase of [`Index::cluster`]: document clusters only, no passages.
    /// An interruption (SIGINT/SIGTERM) before it ends it with `ErrorKind::Interrupted`.
    pub fn cluster_documents(&self, settings: &ClusterSettings) -> io::Result<Clusters> {
        interrupted()?;
        let clusters = documents::cluster(
            &self.docs,
            self.this_run(),
            settings.threshold,
            &settings.keep,
            &self.field_values,
            &*self.sets,
        )?;
        Ok(Clusters {
            doc_of: documents::doc_of(self.docs.len(), &clusters),
            documents: clusters,
            passages: Vec::new(),
        })
    }

    /// The second phase of [`Index::cluster`]: the passages that the documents `documents` kept
    /// share, and the partial duplicates they make. An interruption before it ends it with
    /// `ErrorKind::Interrupted`.
    pub fn cluster_passages(
        &self,
        documents: Clusters,
        settings: &ClusterSettings,
        texts: &dyn TextSource,
    ) -> io::Result<Clusters> {
        interrupted()?;
        let kept: Vec<bool> = documents
            .doc_of
            .iter()
            .map(|d| d.is_none_or(|(_, dup)| !dup))
            .collect();
        let passages = passages::cluster(&self.docs, &kept, settings.min_span, texts)?;
        let clusters = passages::partial_duplicates(
            &self.docs,
            documents.documents,
            &passages,
            settings.containment,
        );
        Ok(Clusters {
            doc_of: documents::doc_of(self.docs.len(), &clusters),
            documents: clusters,
            passages,
        })
    }
}

impl Index {
    /// This run's documents that `clusters` keep and that have words to compare: what an
    /// `--index` adds.
    pub fn kept_of_this_run(&self, clusters: &Clusters) -> Vec<u32> {
        (0..self.this_run())
            .filter(|&d| {
                let kept = clusters
                    .doc_of
                    .get(d as usize)
                    .is_none_or(|c| c.is_none_or(|(_, duplicate)| !duplicate));
                kept && self.docs[d as usize].words > 0
            })
            .collect()
    }
}

/// `ErrorKind::Interrupted` once a signal asked the run to stop.
fn interrupted() -> io::Result<()> {
    match crate::interrupt::requested() {
        true => Err(io::Error::from(io::ErrorKind::Interrupted)),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::shingle;

    fn cluster(texts: &[String]) -> Clusters {
        let docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("doc{i}"), Document::from_text("x", t)));
        cluster_in_memory(docs, 0.8).unwrap()
    }

    const BASE: &str = "The harbour master confirmed late on Friday evening that the ferry service between the two \
        islands will resume next month after a winter of repairs to the northern pier, which was badly damaged \
        when a cargo ship struck it during the January storms. Local shopkeepers said the closure had cut their \
        takings by more than half, and several had let staff go until the spring. The council has promised a \
        review of how the repairs were managed and why they took four months longer than the engineers first said.";

    /// Unrelated texts of a similar length.
    const OTHERS: [&str; 3] = [
        "The county archive holds a ledger showing that the old mill changed hands seven times in one \
         century, each owner adding a storey or a chimney and each leaving debts that the next paid off by \
         selling part of the orchard behind it to a neighbouring farm.",
        "Volunteers counted more than four hundred swifts nesting under the eaves of the church this summer, \
         the highest number since records began, and the parish has agreed to delay the roof repairs until \
         the last of the young birds have left in August.",
        "A teacher at the village school has written a short history of the railway that once ran along the \
         valley, using letters from drivers, timetables found in an attic and the memories of pupils whose \
         grandparents worked at the station before it closed.",
    ];

    fn other(n: usize) -> String {
        OTHERS[n - 1].to_string()
    }

    #[test]
    fn copies_cluster_around_the_most_complete_and_others_stay_alone() {
        let longer = format!(
            "{BASE} Ferry tickets go on sale on the first of the month at the harbour office."
        );
        let edited = BASE
            .replace("Friday", "Thursday")
            .replace("badly", "seriously");
        let texts = vec![
            other(1),
            BASE.to_string(),
            edited,
            longer,
            BASE.to_string(),
            other(2),
        ];
        let clusters = cluster(&texts);
        assert_eq!(clusters.documents.len(), 1, "{:?}", clusters.documents);
        let c = &clusters.documents[0];
        assert_eq!(c.kept, 3, "the longest copy is kept");
        assert_eq!(
            c.members.iter().map(|m| m.doc).collect::<Vec<_>>(),
            vec![1, 2, 4]
        );
        assert_eq!(clusters.doc_of[0], None);
        assert_eq!(clusters.doc_of[5], None);
        assert_eq!(clusters.doc_of[3], Some((0, false)));
        assert_eq!(clusters.doc_of[2], Some((0, true)));
    }

    #[test]
    fn equally_complete_copies_keep_the_first_id() {
        let texts = vec![BASE.to_string(), BASE.to_string()];
        let clusters = cluster(&texts);
        assert_eq!(clusters.documents[0].kept, 0);
        assert_eq!(clusters.documents[0].members[0].measure, "exact");
        assert!(clusters.documents[0].reason.contains("first by id"));
    }

    #[test]
    fn a_paragraph_first_seen_in_a_duplicate_is_still_clustered_in_the_kept_documents() {
        // Document 0 is a shorter copy of document 1, so it is the duplicate: the paragraph's
        // first occurrence (the one whose signature is stored) is not among the kept documents,
        // and the first kept copy is compared through that signature. Document 3 holds it lightly
        // edited.
        let shared = "Readers who want to follow the story can sign up for the weekly island bulletin, which \
            collects every update from the harbour, the council and the ferry company in one short email.";
        let edited = shared.replace("weekly", "monthly");
        let longer = format!(
            "{BASE} Ferry tickets go on sale on the first of the month at the harbour office."
        );
        let texts = vec![
            format!("{BASE}\n{shared}"),
            format!("{longer}\n{shared}"),
            format!("{}\n{shared}", other(1)),
            format!("{}\n{edited}", other(2)),
        ];
        let clusters = cluster(&texts);
        assert_eq!(
            clusters.doc_of[0],
            Some((0, true)),
            "{:?}",
            clusters.documents
        );
        assert_eq!(clusters.passages.len(), 1, "{:?}", clusters.passages);
        let members: Vec<u32> = clusters.passages[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(members, vec![1, 2, 3]);
        assert!(clusters.passages[0].members[2].similarity < 1.0);
    }

    #[test]
    fn a_document_mostly_copied_from_another_is_a_partial_duplicate() {
        let shared = "Readers who want to follow the story can sign up for the weekly island bulletin, which \
            collects every update from the harbour, the council and the ferry company in one short email.";
        // Document 1 is the shared paragraph and two sentences of its own: more than half a
        // copy of 0's, too little for document dedup's containment. Document 2 is mostly its
        // own.
        let texts = [
            format!("{}\n{shared}\n{}", other(1), other(2)),
            format!(
                "{shared} It comes out on Fridays and costs nothing. Older issues can be read at \
                 the library on the quay until the end of the year."
            ),
            format!("{}\n{shared}", other(3)),
        ];
        let docs = |containment: Option<f64>| {
            let mut index = Index::default();
            let mut memory = MemoryTexts::default();
            for (i, t) in texts.iter().enumerate() {
                let doc = Document::from_text("x", t);
                index
                    .push(&format!("doc{i}"), Fingerprint::of(&doc))
                    .unwrap();
                memory.0.push(doc.text());
            }
            let settings = ClusterSettings {
                containment,
                ..ClusterSettings::new(0.8)
            };
            index.cluster(&settings, &memory).unwrap()
        };
        let reported = docs(None);
        assert_eq!(reported.documents.len(), 1, "{:?}", reported.documents);
        let c = &reported.documents[0];
        assert_eq!(c.kept, 0);
        let members: Vec<(u32, &str, bool)> = c
            .members
            .iter()
            .map(|m| (m.doc, m.measure, m.duplicate))
            .collect();
        assert_eq!(
            members,
            [(1, "spans", false)],
            "document 2 is mostly its own"
        );
        let share = c.members[0].containment;
        assert!(share > 0.55 && share < 0.7, "{share}");
        assert_eq!(reported.doc_of[1], Some((0, false)));
        assert_eq!(reported.doc_of[2], None);
        assert_eq!(docs(Some(0.55)).doc_of[1], Some((0, true)));
        assert_eq!(docs(Some(0.7)).doc_of[1], Some((0, false)));
    }

    #[test]
    fn a_shared_paragraph_is_a_passage_cluster() {
        let shared = "Readers who want to follow the story can sign up for the weekly island bulletin, which \
            collects every update from the harbour, the council and the ferry company in one short email.";
        let texts = vec![
            format!("{}\n{shared}", other(1)),
            other(2),
            format!("{}\n{shared}", other(3)),
        ];
        let clusters = cluster(&texts);
        assert!(clusters.documents.is_empty());
        assert_eq!(clusters.passages.len(), 1);
        // The whole paragraph, from its first word to its last, in both.
        let shared_words = shingle::word_hashes(shared).len() as u32;
        let members: Vec<(u32, std::ops::Range<u32>)> = clusters.passages[0]
            .members
            .iter()
            .map(|m| (m.doc, m.words.clone()))
            .collect();
        let before = |n: usize| shingle::word_hashes(&other(n)).len() as u32;
        assert_eq!(
            members,
            vec![
                (0, before(1)..before(1) + shared_words),
                (2, before(3)..before(3) + shared_words)
            ]
        );
    }
}
