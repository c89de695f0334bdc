//! Near-duplicate detection over the whole corpus: documents and passages.
//!
//! Data flows in three steps:
//! 1. Each cleaned document is fingerprinted in parallel: [`Scan::of`] splits it into words and
//!    finds its passages, [`Scan::finish`] leaves its site's template lines out and takes a MinHash
//!    signature of its word 3-grams, a hash of its lines, the signatures of its new passages and
//!    its exact shingle sets, for verification. Inside the pipeline when the template lines are
//!    known from a corpus pass ([`Fingerprint::with_template`]); otherwise the scans wait until
//!    the whole corpus has been counted.
//! 2. [`Index::push`] keeps the fingerprints in input order: a few hundred bytes per document and
//!    about eighty per passage in memory; the exact sets of documents go to a [`SetStore`] (a file
//!    in a run).
//! 3. [`Index::cluster`] finds candidate pairs by LSH banding, verifies them on the exact sets
//!    ([`verify`]; a passage's are taken from its document's text, a [`TextSource`], when needed),
//!    and forms clusters around the most complete document, without chaining.

mod documents;
mod intersect;
pub mod lsh;
pub mod minhash;
pub mod passages;
mod radix;
pub mod scan;
pub mod shingle;
pub mod verify;

use crate::document::Document;
use minhash::{MinHasher, Signature};
pub use scan::Scan;
use std::io;
use std::sync::OnceLock;
pub use verify::Shingled;

/// Hash functions per document signature (stored as 16-bit values: 256 bytes).
pub const DOC_PERMS: usize = 128;
/// Hash functions per passage signature (64 bytes).
pub const PASSAGE_PERMS: usize = 32;
/// A cleaned line of at least this many words is a passage worth tracking across documents.
pub const PASSAGE_MIN_WORDS: usize = 25;

fn doc_hasher() -> &'static MinHasher {
    static H: OnceLock<MinHasher> = OnceLock::new();
    H.get_or_init(|| MinHasher::new(DOC_PERMS, 0x7468_7265_7368_0001))
}

fn passage_hasher() -> &'static MinHasher {
    static H: OnceLock<MinHasher> = OnceLock::new();
    H.get_or_init(|| MinHasher::new(PASSAGE_PERMS, 0x7468_7265_7368_0002))
}

/// What dedup needs to know about one cleaned document.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// Words in the cleaned text: how complete it is.
    pub words: u32,
    /// Hash of the cleaned text's lines, for exact duplicates: texts identical but for blank lines
    /// and the spacing at line ends hash alike.
    pub exact: u128,
    /// Hash of its words in order: the same for texts that differ only in line breaks, spacing,
    /// case or punctuation.
    pub sequence: u64,
    pub signature: Signature,
    /// The exact sets, for verification.
    pub sets: Shingled,
    pub passages: Vec<PassagePrint>,
    /// A hash of the words of every content line (template lines left out), sorted: what
    /// `thresh diff` counts passages added and removed by.
    pub lines: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PassagePrint {
    /// Index of the passage's line in the cleaned text (0-based).
    pub line_index: u32,
    /// The 1-based input line it starts on.
    pub origin: u32,
    /// Hash of its words: passages copied word for word (the common case) verify without reading.
    pub exact: u64,
    /// None when a passage with the same words was indexed before: it shares that signature.
    pub signature: Option<PassageSignature>,
}

/// The lines of a compared text, as the passages' line indexes count them.
pub fn lines(text: &str) -> Vec<&str> {
    crate::document::split_lines(text).collect()
}

/// What the pipeline hands dedup for one document.
#[derive(Debug, Clone)]
pub enum Print {
    /// Its fingerprint, template lines known.
    Done(Fingerprint),
    /// Its scan, to be finished once the whole corpus has been counted (a run with no corpus pass):
    /// the hash of its site ([`crate::corpus::site_key`]) and the scan, with its lines' keys.
    Scanned { site: u64, scan: Scan },
}

impl Fingerprint {
    pub fn of(doc: &Document) -> Fingerprint {
        Fingerprint::with_template(doc, &|_| false)
    }

    /// The fingerprint of a document whose lines for which `template` holds count as passages but
    /// not towards its similarity to other documents (nor towards its exact hash).
    pub fn with_template(doc: &Document, template: &dyn Fn(&str) -> bool) -> Fingerprint {
        // `i` is a line of the scan of this very document.
        Scan::of(doc, false).finish(|i, _| template(&doc.lines[i].text), |_| false)
    }
}

/// A hash of a sequence of word hashes: two lines with the same words in the same order (whatever
/// their case, punctuation and spacing) hash alike.
fn words_hash(words: &[u64]) -> u64 {
    words.iter().fold(0u64, |h, &w| {
        (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(23)
    })
}

/// What to do with later copies of a passage found in several kept documents (`--passages`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PassageMode {
    /// List them in `passages.jsonl`, change nothing.
    #[default]
    Report,
    /// List them and remove every copy after the first from the documents that are written.
    Drop,
}

/// Where the report finds the compared text of document `doc` of the index again (for the text
/// of a passage cluster).
pub trait TextSource: Sync {
    fn text(&self, doc: u32) -> io::Result<String>;
}

/// Where the exact sets of indexed documents and passages wait for verification: several
/// kilobytes per document, too many to hold in memory for a large corpus.
pub trait SetStore: Send + Sync {
    /// Keep `sets`; returns where to find them.
    fn put(&mut self, sets: &Shingled) -> io::Result<u64>;
    fn get(&self, location: u64) -> io::Result<Shingled>;
}

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
    index.cluster(threshold, &texts)
}

/// Texts held in memory, by document number.
#[derive(Default)]
struct MemoryTexts(Vec<String>);

impl TextSource for MemoryTexts {
    fn text(&self, doc: u32) -> io::Result<String> {
        Ok(self.0[doc as usize].clone())
    }
}

/// Sets held in memory: for small corpora and tests.
#[derive(Default)]
pub struct MemorySets(Vec<Shingled>);

impl SetStore for MemorySets {
    fn put(&mut self, sets: &Shingled) -> io::Result<u64> {
        self.0.push(sets.clone());
        Ok(self.0.len() as u64 - 1)
    }

    fn get(&self, location: u64) -> io::Result<Shingled> {
        Ok(self.0[location as usize].clone())
    }
}

/// One document in the index.
struct Entry {
    id: Box<str>,
    words: u32,
    exact: u128,
    signature: Signature,
    /// Where its exact sets are in the store.
    sets: u64,
}

struct PassageEntry {
    doc: u32,
    line_index: u32,
    origin: u32,
    exact: u64,
    /// Where its signature is in `Index::passage_signatures`. A later word-for-word copy of a
    /// passage seen before shares the signature of the first of its kind (same words, same
    /// signature): a site's repeated paragraphs, most passages, store no signature of their own.
    signature: u32,
}

/// A passage signature, held inline (no allocation of its own).
type PassageSignature = [u16; PASSAGE_PERMS];

/// The dedup state of a run: fingerprints in input order.
pub struct Index {
    docs: Vec<Entry>,
    passages: Vec<PassageEntry>,
    passage_signatures: Vec<PassageSignature>,
    /// The word hash of each passage seen so far, with where its signature is.
    seen_passages: rustc_hash::FxHashMap<u64, u32>,
    sets: Box<dyn SetStore>,
}

impl Default for Index {
    fn default() -> Index {
        Index::with_store(Box::<MemorySets>::default())
    }
}

impl Index {
    pub fn with_store(sets: Box<dyn SetStore>) -> Index {
        Index {
            docs: Vec::new(),
            passages: Vec::new(),
            passage_signatures: Vec::new(),
            seen_passages: Default::default(),
            sets,
        }
    }

    /// Add the next document (in input order); returns its number in the index.
    pub fn push(&mut self, id: &str, print: Fingerprint) -> io::Result<u32> {
        let doc = self.docs.len() as u32;
        for p in print.passages {
            let signature = match self.seen_passages.entry(p.exact) {
                std::collections::hash_map::Entry::Occupied(e) => *e.get(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let Some(signature) = p.signature else {
                        return Err(io::Error::other(
                            "a passage seen for the first time came without its signature",
                        ));
                    };
                    self.passage_signatures.push(signature);
                    *e.insert(self.passage_signatures.len() as u32 - 1)
                }
            };
            self.passages.push(PassageEntry {
                doc,
                line_index: p.line_index,
                origin: p.origin,
                exact: p.exact,
                signature,
            });
        }
        let sets = self.sets.put(&print.sets)?;
        self.docs.push(Entry {
            id: id.into(),
            words: print.words,
            exact: print.exact,
            signature: print.signature,
            sets,
        });
        Ok(doc)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether a passage with these words (their hash) was indexed before: a print need not
    /// carry the signature of such a passage.
    pub fn knows_passage(&self, exact: u64) -> bool {
        self.seen_passages.contains_key(&exact)
    }

    /// The id of document `doc` of the index.
    pub fn id(&self, doc: u32) -> &str {
        &self.docs[doc as usize].id
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Cluster the documents, then the passages of the documents that are kept; `texts` holds the
    /// compared text of every document of the index.
    /// An interruption (SIGINT/SIGTERM) between its phases ends it with `ErrorKind::Interrupted`.
    pub fn cluster(&self, threshold: f64, texts: &dyn TextSource) -> io::Result<Clusters> {
        let stop = || match crate::interrupt::requested() {
            true => Err(io::Error::from(io::ErrorKind::Interrupted)),
            false => Ok(()),
        };
        stop()?;
        let (doc_of, clusters) = documents::cluster(&self.docs, threshold, &*self.sets)?;
        stop()?;
        let kept: Vec<bool> = (0..self.docs.len())
            .map(|i| doc_of[i].is_none_or(|(_, dup)| !dup))
            .collect();
        let passages = passages::cluster(
            &self.passages,
            &self.passage_signatures,
            &kept,
            threshold,
            texts,
        )?;
        Ok(Clusters {
            doc_of,
            documents: clusters,
            passages,
        })
    }
}

/// One member of a document cluster other than the kept document.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub doc: u32,
    pub jaccard: f64,
    pub containment: f64,
    /// `exact`, `jaccard` or `containment`.
    pub measure: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocCluster {
    pub kept: u32,
    pub members: Vec<Member>,
    /// Why `kept` was chosen.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PassageMember {
    pub doc: u32,
    pub line_index: u32,
    pub origin: u32,
    pub jaccard: f64,
}

/// A passage found in two or more kept documents; the first member is the first occurrence in
/// input order, the others are later copies.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageCluster {
    pub members: Vec<PassageMember>,
}

/// The result of clustering. Clusters are numbered in the input order of their kept document.
#[derive(Debug, Default)]
pub struct Clusters {
    /// For each document: its cluster and whether it is a duplicate (not the kept one).
    pub doc_of: Vec<Option<(u32, bool)>>,
    pub documents: Vec<DocCluster>,
    pub passages: Vec<PassageCluster>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(clusters.passages[0].members[2].jaccard < 1.0);
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
        let members: Vec<(u32, u32)> = clusters.passages[0]
            .members
            .iter()
            .map(|m| (m.doc, m.origin))
            .collect();
        assert_eq!(members, vec![(0, 2), (2, 2)]);
    }
}
