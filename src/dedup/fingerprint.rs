//! What dedup keeps of one document: its [`Fingerprint`] and the hash functions that make it.

use super::minhash::{MinHasher, Signature};
use super::verify::Shingled;
use std::sync::OnceLock;

/// Hash functions per document signature (stored as 16-bit values: 256 bytes).
pub const DOC_PERMS: usize = 128;
/// Hash functions per passage signature (64 bytes).
pub const PASSAGE_PERMS: usize = 32;
/// A cleaned line of at least this many words is a passage worth tracking across documents.
pub const PASSAGE_MIN_WORDS: usize = 25;

pub(super) fn doc_hasher() -> &'static MinHasher {
    static H: OnceLock<MinHasher> = OnceLock::new();
    H.get_or_init(|| MinHasher::new(DOC_PERMS, 0x7468_7265_7368_0001))
}

pub(super) fn passage_hasher() -> &'static MinHasher {
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

/// A passage signature, held inline (no allocation of its own).
pub type PassageSignature = [u16; PASSAGE_PERMS];

/// The lines of a compared text, as the passages' line indexes count them.
pub fn lines(text: &str) -> Vec<&str> {
    crate::text::split_lines(text).collect()
}

/// A hash of a sequence of word hashes: two lines with the same words in the same order (whatever
/// their case, punctuation and spacing) hash alike.
pub(super) fn words_hash(words: &[u64]) -> u64 {
    words.iter().fold(0u64, |h, &w| {
        (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(23)
    })
}
