//! The thesaurus a spinner draws on, read backwards: for a word found in a text, the common words
//! it may have replaced ("psychological" -> mental, spiritual, intellectual, ...).
//!
//! Data: `data/thesaurus-en.tsv.zst`, made by `data/make-thesaurus.py` from WordNet 3.0 (synsets
//! and adjective "similar to" clusters; WordNet licence) and the Moby II thesaurus (public
//! domain), one `word<TAB>common words, closest first` per line; see `data/README.md`. It is
//! compiled into the binary (2.1 MB) and read on first use (decompressed to 9.5 MB, indexed to
//! about 600,000 synonym numbers): a run that never reaches the spin stage pays nothing.

use crate::lexicon::{known, Known};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static COMPRESSED: &[u8] = include_bytes!("../../../data/thesaurus-en.tsv.zst");

/// A common word a spinner may have replaced, with what the search needs of it.
pub struct Canonical {
    pub word: &'static str,
    /// `None` never happens with the shipped file, which keeps only words of the lexicon.
    pub known: Option<Known>,
    /// The word + "s", when that is a word.
    pub plural: Option<Known>,
    /// log10 of how many words may stand for it (at least 1; counted in the entries as cut to
    /// [`MAX_SYNONYMS`]): a spinner that picks a synonym of "big" at random picks "great" far
    /// less often than a word only "big" lists.
    pub log_degree: f32,
}

pub struct Thesaurus {
    /// Word -> its run of `ids`, the common words it may stand for, most frequent first, cut to
    /// [`MAX_SYNONYMS`].
    entries: FxHashMap<&'static str, (u32, u32)>,
    ids: Vec<u32>,
    canonicals: Vec<Canonical>,
}

/// Synonyms weighed per word, those more sources attest first (see `data/make-thesaurus.py`).
/// The tail of a long entry ("set": 400 words) is loose associations and costs the most to
/// weigh: in `benches/spin_eval.py`, 24 detect as well as 48 (AUC within 0.006 on every spinner)
/// at 30% less time; 16 in frequency order lost "villain" -> antagonist.
pub const MAX_SYNONYMS: usize = 24;

pub static THESAURUS: LazyLock<Thesaurus> = LazyLock::new(|| {
    // The file is made by data/make-thesaurus.py and checked by a test: it decompresses to UTF-8.
    let bytes = zstd::decode_all(COMPRESSED).expect("the shipped thesaurus decompresses");
    let text: &'static str = String::from_utf8(bytes)
        .expect("the shipped thesaurus is UTF-8")
        .leak();
    let mut entries = FxHashMap::default();
    let mut ids = Vec::new();
    let mut index: FxHashMap<&'static str, u32> = FxHashMap::default();
    let mut degree: Vec<u32> = Vec::new();
    let mut words: Vec<&'static str> = Vec::new();
    for line in text.lines() {
        let Some((word, synonyms)) = line.split_once('\t') else {
            continue;
        };
        let start = ids.len() as u32;
        for s in synonyms.split(' ').take(MAX_SYNONYMS) {
            let id = *index.entry(s).or_insert_with(|| {
                words.push(s);
                degree.push(0);
                words.len() as u32 - 1
            });
            degree[id as usize] += 1;
            ids.push(id);
        }
        entries.insert(word, (start, ids.len() as u32 - start));
    }
    let canonicals = words
        .into_iter()
        .zip(degree)
        .map(|(word, degree)| Canonical {
            word,
            known: known(word),
            plural: known(&format!("{word}s")),
            log_degree: (degree.max(1) as f32).log10(),
        })
        .collect();
    Thesaurus {
        entries,
        ids,
        canonicals,
    }
});

impl Thesaurus {
    /// The common words `word` (lowercase) may stand for, most frequent first.
    pub fn replaced_by(&self, word: &str) -> Option<impl Iterator<Item = &Canonical>> {
        let &(start, len) = self.entries.get(word)?;
        // Runs are cut from `ids` as it was built, and every id indexes `canonicals`.
        let run = &self.ids[start as usize..(start + len) as usize];
        Some(run.iter().map(|&id| &self.canonicals[id as usize]))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_thesaurus_reads_back_spun_words() {
        let t = &*THESAURUS;
        assert!(t.len() > 40_000, "{} entries", t.len());
        let has = |w: &str, c: &str| t.replaced_by(w).is_some_and(|mut s| s.any(|x| x.word == c));
        assert!(has("psychological", "mental"));
        assert!(has("consciousness", "intelligence"));
        assert!(has("back", "rear"));
        assert!(has("wellness", "health"));
        assert!(!has("villain", "health"));
        let degree = |w: &str| {
            t.canonicals
                .iter()
                .find(|c| c.word == w)
                .unwrap()
                .log_degree
        };
        assert!(degree("good") > degree("antagonist"));
    }
}
