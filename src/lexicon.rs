//! English word frequencies shipped with thresh, for rules that must know whether a string is a word.
//!
//! Data: `data/wordfreq-en.tsv`, the alphabetic entries of the English "large" list of wordfreq 3.1
//! (Robyn Speer et al., <https://github.com/rspeer/wordfreq>), one `word<TAB>zipf*100` per line.
//! wordfreq's data is licensed CC BY-SA 4.0; see `data/README.md`. It is compiled into the binary:
//! nothing is downloaded at run time.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static RAW: &str = include_str!("../data/wordfreq-en.tsv");

static WORDS: LazyLock<FxHashMap<&'static str, u16>> = LazyLock::new(|| {
    RAW.lines()
        .filter_map(|l| {
            let (w, z) = l.split_once('\t')?;
            Some((w, z.parse().ok()?))
        })
        .collect()
});

/// Zipf frequency of a word (log10 of its frequency per billion words; "the" is 7.7, a word seen
/// once in a billion is 0), or `None` when the word is not in the list. Case-insensitive.
pub fn zipf(word: &str) -> Option<f32> {
    let lookup = |w: &str| WORDS.get(w).map(|&z| z as f32 / 100.0);
    if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
        lookup(word)
    } else if word.len() <= 64 && word.is_ascii() {
        // Lowercased on the stack: this runs for every capitalized word of every document.
        let mut buf = [0u8; 64];
        // word.len() <= 64 and ASCII (checked above): in range, and still UTF-8 when lowercased.
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        lookup(std::str::from_utf8(lower).expect("ASCII"))
    } else {
        lookup(&word.to_lowercase())
    }
}

/// Stop words of the languages written with spaces between words: each language's 150 most frequent
/// words in wordfreq 3.1 (`data/stopwords.tsv`, made by `data/make-stopwords.py`; CC BY-SA 4.0).
/// Prose is dense with them; navigation, link lists and captions are not (jusText's signal).
static STOPWORDS_RAW: &str = include_str!("../data/stopwords.tsv");

/// The languages of the stop-word lists, in the order of [`stopword_languages`]' bits.
pub static STOPWORD_LANGUAGES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut languages: Vec<&str> = Vec::new();
    for (language, _) in stopword_entries() {
        if languages.last() != Some(&language) {
            languages.push(language);
        }
    }
    languages
});

fn stopword_entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    STOPWORDS_RAW
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
}

static STOPWORDS: LazyLock<FxHashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut map: FxHashMap<&str, u32> = FxHashMap::default();
    for (language, word) in stopword_entries() {
        let bit = STOPWORD_LANGUAGES
            .iter()
            .position(|&l| l == language)
            .expect("listed above");
        *map.entry(word).or_default() |= 1 << bit;
    }
    map
});

/// The ASCII stop words of up to 16 bytes, keyed by their bytes packed into a number (see
/// [`ascii_word_key`]): every word of every page is looked up, and a number hashes and compares in
/// one step where a string takes a loop.
static ASCII_STOPWORDS: LazyLock<FxHashMap<u128, u32>> = LazyLock::new(|| {
    STOPWORDS
        .iter()
        .filter(|(w, _)| w.is_ascii() && w.len() <= 16)
        .map(|(w, &languages)| (ascii_word_key(w.as_bytes()), languages))
        .collect()
});

/// The bytes of an ASCII word of up to 16 bytes as one number, the first byte highest.
#[inline]
pub fn ascii_word_key(word: &[u8]) -> u128 {
    word.iter().fold(0u128, |key, &b| key << 8 | u128::from(b))
}

/// [`stopword_languages`] of a lowercase ASCII word of up to 16 bytes given as its
/// [`ascii_word_key`].
#[inline]
pub fn ascii_stopword_languages(key: u128) -> u32 {
    ASCII_STOPWORDS.get(&key).copied().unwrap_or(0)
}

/// The languages (bits in the order of [`STOPWORD_LANGUAGES`]) in which this lowercase word is a
/// stop word; 0 for none.
pub fn stopword_languages(lowercase_word: &str) -> u32 {
    STOPWORDS.get(lowercase_word).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_common_and_rare_words_but_not_junk() {
        assert!(zipf("the").unwrap() > 7.0);
        assert!(zipf("Treatment").unwrap() > 4.0);
        assert!(zipf("antagonist").is_some());
        assert!(zipf("patientswith").is_none());
        assert!(zipf("xqzv").is_none());
    }
}
