//! The dedup state of a run: the fingerprints of the documents, in input order, and where their
//! exact sets wait for verification.

use super::fingerprint::Fingerprint;
use super::minhash::Signature;
use super::spans::GramPrint;
use super::verify::Shingled;
use std::io;

/// Where dedup finds the compared text of document `doc` of the index again: shared spans are
/// verified and reported on it.
pub trait TextSource: Sync {
    fn text(&self, doc: u32) -> io::Result<String>;
}

/// Where the exact sets of indexed documents and passages wait for verification: several
/// kilobytes per document, too many to hold in memory for a large corpus.
pub trait SetStore: Send + Sync {
    /// Keep `sets`; returns where to find them.
    fn put(&mut self, sets: &Shingled) -> io::Result<u64>;
    fn get(&self, location: u64) -> io::Result<Shingled>;

    /// The sets at `location` in [`Shingled::encode`]'s bytes (a store that keeps them encoded
    /// hands them over as they are).
    fn get_encoded(&self, location: u64) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.get(location)?.encode(&mut bytes);
        Ok(bytes)
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
pub(super) struct IndexedDoc {
    pub(super) id: Box<str>,
    pub(super) words: u32,
    pub(super) text_words: u32,
    pub(super) exact: u128,
    pub(super) signature: Signature,
    /// Where its exact sets are in the store.
    pub(super) sets: u64,
    /// Its winnowed grams, for shared spans: one per 6.5 words.
    pub(super) grams: Box<[GramPrint]>,
    pub(super) origins: Box<[(u32, u32)]>,
    pub(super) site: u64,
}

/// The dedup state of a run: fingerprints in input order, then those of the documents that
/// earlier runs kept (`--index`), which are compared with but never made duplicates.
pub struct Index {
    pub(super) docs: Vec<IndexedDoc>,
    pub(super) sets: Box<dyn SetStore>,
    /// The number of the first document kept by an earlier run: they all come after this run's.
    pub(super) earlier_from: Option<u32>,
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
            sets,
            earlier_from: None,
        }
    }

    /// Add the next document (in input order); returns its number in the index.
    pub fn push(&mut self, id: &str, print: Fingerprint) -> io::Result<u32> {
        let doc = self.docs.len() as u32;
        let sets = self.sets.put(&print.sets)?;
        self.docs.push(IndexedDoc {
            id: id.into(),
            words: print.words,
            text_words: print.text_words,
            exact: print.exact,
            signature: print.signature,
            sets,
            grams: print.grams.into_boxed_slice(),
            origins: print.origins.into_boxed_slice(),
            site: print.site,
        });
        Ok(doc)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// The input line that line `line_index` of the compared text of document `doc` comes from.
    pub fn origin(&self, doc: u32, line_index: u32) -> u32 {
        super::fingerprint::origin_of(&self.docs[doc as usize].origins, line_index)
    }

    /// The id of document `doc` of the index.
    pub fn id(&self, doc: u32) -> &str {
        &self.docs[doc as usize].id
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Whether document `doc` was kept by an earlier run (`--index`) rather than read by this one.
    pub fn is_earlier(&self, doc: u32) -> bool {
        self.earlier_from.is_some_and(|first| doc >= first)
    }

    /// The number of this run's documents: those before the earlier runs'.
    pub fn this_run(&self) -> u32 {
        self.earlier_from.unwrap_or(self.docs.len() as u32)
    }
}
