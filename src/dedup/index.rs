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

/// Where the bulky parts of indexed documents' prints wait until clustering reads them: their
/// exact sets (several kilobytes a document, read for candidate pairs only) and their MinHash
/// signatures (256 bytes, read once per group of LSH bands and for candidate pairs), too many to
/// hold in memory for a large corpus.
pub trait PrintStore: Send + Sync {
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

    /// Keep the signature of the next document: the n-th call holds document n's.
    fn put_signature(&mut self, signature: &[u16]) -> io::Result<()>;

    /// Document `doc`'s signature.
    fn signature(&self, doc: u32) -> io::Result<Signature>;

    /// Every signature kept, in document order.
    fn for_each_signature(&self, f: &mut dyn FnMut(u32, &[u16])) -> io::Result<()>;
}

/// Prints held in memory: for small corpora and tests.
#[derive(Default)]
pub struct MemoryPrints {
    sets: Vec<Shingled>,
    signatures: Vec<Signature>,
}

impl PrintStore for MemoryPrints {
    fn put(&mut self, sets: &Shingled) -> io::Result<u64> {
        self.sets.push(sets.clone());
        Ok(self.sets.len() as u64 - 1)
    }

    fn get(&self, location: u64) -> io::Result<Shingled> {
        Ok(self.sets[location as usize].clone())
    }

    fn put_signature(&mut self, signature: &[u16]) -> io::Result<()> {
        self.signatures.push(signature.into());
        Ok(())
    }

    fn signature(&self, doc: u32) -> io::Result<Signature> {
        Ok(self.signatures[doc as usize].clone())
    }

    fn for_each_signature(&self, f: &mut dyn FnMut(u32, &[u16])) -> io::Result<()> {
        for (doc, signature) in self.signatures.iter().enumerate() {
            f(doc as u32, signature);
        }
        Ok(())
    }
}

/// One document in the index: what clustering needs of it at hand (64 bytes and its id); its
/// signature and sets are in the [`PrintStore`].
pub(super) struct IndexedDoc {
    pub(super) id: Box<str>,
    pub(super) words: u32,
    pub(super) exact: u128,
    /// Where its exact sets are in the store.
    pub(super) sets: u64,
    /// What shared spans need of it; none for a document that cannot hold one (no grams: too
    /// short, or passages are not looked for).
    pub(super) spans: Option<Box<SpanPrint>>,
}

/// What the passage finder needs of a document.
pub(super) struct SpanPrint {
    /// Words in the whole compared text, template lines too.
    pub(super) text_words: u32,
    /// Its winnowed grams: one per 6.5 words.
    pub(super) grams: Box<[GramPrint]>,
    pub(super) origins: Box<[(u32, u32)]>,
    pub(super) site: u64,
}

impl IndexedDoc {
    pub(super) fn grams(&self) -> &[GramPrint] {
        self.spans.as_ref().map_or(&[], |s| &s.grams)
    }

    pub(super) fn site(&self) -> u64 {
        self.spans.as_ref().map_or(0, |s| s.site)
    }

    pub(super) fn text_words(&self) -> u32 {
        self.spans.as_ref().map_or(self.words, |s| s.text_words)
    }
}

/// A document's value of the field that picks the copy kept (`--keep-duplicate field:NAME`):
/// numbers compare as numbers, text as text (ISO dates in order), a number before a text.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Number(f64),
    Text(Box<str>),
}

impl FieldValue {
    pub(super) fn order(&self, other: &FieldValue) -> std::cmp::Ordering {
        use FieldValue::*;
        match (self, other) {
            (Number(a), Number(b)) => a.total_cmp(b),
            (Text(a), Text(b)) => a.cmp(b),
            (Number(_), Text(_)) => std::cmp::Ordering::Less,
            (Text(_), Number(_)) => std::cmp::Ordering::Greater,
        }
    }
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            FieldValue::Number(n) => write!(f, "{n}"),
            FieldValue::Text(t) => f.write_str(t),
        }
    }
}

/// The dedup state of a run: fingerprints in input order, then those of the documents that
/// earlier runs kept (`--index`), which are compared with but never made duplicates.
pub struct Index {
    pub(super) docs: Vec<IndexedDoc>,
    pub(super) sets: Box<dyn PrintStore>,
    /// The number of the first document kept by an earlier run: they all come after this run's.
    pub(super) earlier_from: Option<u32>,
    /// Each document's value of the field that picks the copy kept (`--keep-duplicate
    /// field:NAME`), by number; empty otherwise (and shorter when later ones have none).
    pub(super) field_values: Vec<Option<FieldValue>>,
}

impl Default for Index {
    fn default() -> Index {
        Index::with_store(Box::<MemoryPrints>::default())
    }
}

impl Index {
    pub fn with_store(sets: Box<dyn PrintStore>) -> Index {
        Index {
            docs: Vec::new(),
            sets,
            earlier_from: None,
            field_values: Vec::new(),
        }
    }

    /// Set document `doc`'s value of the field that picks the copy kept.
    pub fn set_field_value(&mut self, doc: u32, value: Option<FieldValue>) {
        let doc = doc as usize;
        if self.field_values.len() <= doc {
            self.field_values.resize(doc + 1, None);
        }
        self.field_values[doc] = value;
    }

    /// Add the next document (in input order); returns its number in the index.
    pub fn push(&mut self, id: &str, print: Fingerprint) -> io::Result<u32> {
        let spans = (!print.grams.is_empty()).then(|| {
            Box::new(SpanPrint {
                text_words: print.text_words,
                grams: print.grams.into_boxed_slice(),
                origins: print.origins.into_boxed_slice(),
                site: print.site,
            })
        });
        self.push_doc(
            id.into(),
            print.words,
            print.exact,
            &print.signature,
            &print.sets,
            spans,
        )
    }

    /// Add a document whose prints are already apart.
    pub(super) fn push_doc(
        &mut self,
        id: Box<str>,
        words: u32,
        exact: u128,
        signature: &[u16],
        sets: &Shingled,
        spans: Option<Box<SpanPrint>>,
    ) -> io::Result<u32> {
        let doc = self.docs.len() as u32;
        let sets = self.sets.put(sets)?;
        self.sets.put_signature(signature)?;
        self.docs.push(IndexedDoc {
            id,
            words,
            exact,
            sets,
            spans,
        });
        Ok(doc)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// The input line that line `line_index` of the compared text of document `doc` comes from.
    pub fn origin(&self, doc: u32, line_index: u32) -> u32 {
        let spans = self.docs[doc as usize].spans.as_ref();
        super::fingerprint::origin_of(spans.map_or(&[], |s| &s.origins), line_index)
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
