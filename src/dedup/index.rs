//! The dedup state of a run: the fingerprints of the documents, in input order, and where their
//! exact sets wait for verification.

use super::fingerprint::{Fingerprint, PassageSignature};
use super::minhash::Signature;
use super::verify::Shingled;
use std::io;

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
pub(super) struct IndexedDoc {
    pub(super) id: Box<str>,
    pub(super) words: u32,
    pub(super) exact: u128,
    pub(super) signature: Signature,
    /// Where its exact sets are in the store.
    pub(super) sets: u64,
}

pub(super) struct IndexedPassage {
    pub(super) doc: u32,
    pub(super) line_index: u32,
    pub(super) origin: u32,
    pub(super) exact: u64,
    /// Where its signature is in `Index::passage_signatures`. A later word-for-word copy of a
    /// passage seen before shares the signature of the first of its kind (same words, same
    /// signature): a site's repeated paragraphs, most passages, store no signature of their own.
    pub(super) signature: u32,
}

/// The dedup state of a run: fingerprints in input order.
pub struct Index {
    pub(super) docs: Vec<IndexedDoc>,
    pub(super) passages: Vec<IndexedPassage>,
    pub(super) passage_signatures: Vec<PassageSignature>,
    /// The word hash of each passage seen so far, with where its signature is.
    pub(super) seen_passages: rustc_hash::FxHashMap<u64, u32>,
    pub(super) sets: Box<dyn SetStore>,
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
            self.passages.push(IndexedPassage {
                doc,
                line_index: p.line_index,
                origin: p.origin,
                exact: p.exact,
                signature,
            });
        }
        let sets = self.sets.put(&print.sets)?;
        self.docs.push(IndexedDoc {
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
}
