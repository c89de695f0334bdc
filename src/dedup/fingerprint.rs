//! What dedup keeps of one document: its [`Fingerprint`] and the hash functions that make it.

use super::minhash::{MinHasher, Signature};
use super::spans::GramPrint;
use super::verify::Shingled;
use std::sync::OnceLock;

/// Hash functions per document signature (stored as 16-bit values: 256 bytes).
pub const DOC_PERMS: usize = 128;

pub(super) fn doc_hasher() -> &'static MinHasher {
    static H: OnceLock<MinHasher> = OnceLock::new();
    H.get_or_init(|| MinHasher::new(DOC_PERMS, 0x7468_7265_7368_0001))
}

/// What dedup needs to know about one cleaned document.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// Words in the cleaned text, its site's template lines left out: how complete it is.
    pub words: u32,
    /// Words in the whole compared text, template lines too: what the share of it in copies of
    /// other documents' passages is counted against.
    pub text_words: u32,
    /// Hash of the cleaned text's lines, for exact duplicates: texts identical but for blank lines
    /// and the spacing at line ends hash alike.
    pub exact: u128,
    /// Hash of its words in order: the same for texts that differ only in line breaks, spacing,
    /// case or punctuation.
    pub sequence: u64,
    pub signature: Signature,
    /// The exact sets, for verification.
    pub sets: Shingled,
    /// The winnowed word grams of its content lines: where it may share a span with another.
    pub grams: Vec<GramPrint>,
    /// Runs of lines and the input line each run starts on: `(line index, input line)`, a new
    /// run wherever a line does not come from the input line after the one before's.
    pub origins: Vec<(u32, u32)>,
    /// The hash of its site; 0 for none known. A passage on several pages of one site is its
    /// template.
    pub site: u64,
    /// A hash of the words of every content line (template lines left out), sorted: what
    /// `thresh diff` counts passages added and removed by.
    pub lines: Vec<u64>,
}

/// The input line that line `line_index` of a document comes from, by its [`Fingerprint::origins`].
pub fn origin_of(origins: &[(u32, u32)], line_index: u32) -> u32 {
    let n = origins.partition_point(|&(at, _)| at <= line_index);
    match n.checked_sub(1).map(|n| origins[n]) {
        Some((at, origin)) => origin + (line_index - at),
        None => line_index + 1,
    }
}

/// A hash of a sequence of word hashes: two lines with the same words in the same order (whatever
/// their case, punctuation and spacing) hash alike.
pub(super) fn words_hash(words: &[u64]) -> u64 {
    words.iter().fold(0u64, |h, &w| {
        (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(23)
    })
}
