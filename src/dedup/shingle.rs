//! Words and shingles of a text, as 64-bit hashes.
//!
//! A word is a maximal run of letters and digits, compared lowercased, so case, punctuation,
//! spacing and line breaks never make two copies differ. Two kinds of shingle are taken:
//! - the set of distinct **words**: the similarity users see (`--threshold`). A copy with 10% of
//!   its words replaced keeps a word-set Jaccard of about 0.82, where word 3-grams would fall to
//!   about 0.55; two different articles on one subject stay near 0.3.
//! - the set of word **3-grams**: what the LSH index is built on (unrelated texts share almost none,
//!   so candidates stay few as the corpus grows), and the containment test for partial copies
//!   (order-aware, so a short text whose words all occur in a long one is not taken for a copy).

use xxhash_rust::xxh3::xxh3_64;

/// Hashes of the words of `text`, in order.
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    push_word_hashes(text, &mut out);
    out
}

/// How [`push_word_hashes`] sees a byte, as bits: part of a word, uppercase, not ASCII.
const WORD: u8 = 1;
const UPPER: u8 = 2;
const NON_ASCII: u8 = 4;
static CLASS: [u8; 256] = {
    let mut class = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => WORD,
            b'A'..=b'Z' => WORD | UPPER,
            _ => 0,
        };
        b += 1;
    }
    class
};

/// Appends the hashes of the words of `text` to `out`.
pub fn push_word_hashes(text: &str, out: &mut Vec<u64>) {
    // Most words are runs of ASCII letters and digits: a lowercase run is hashed where it lies, an
    // uppercase one lowercased into `word` first. A word that touches a non-ASCII character is
    // built a character at a time (its lowercase may be longer than it).
    let mut word: Vec<u8> = Vec::with_capacity(32);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let class = CLASS[bytes[i] as usize];
        if class == 0 {
            i += 1;
            continue;
        }
        let start = i;
        if class & NON_ASCII == 0 {
            let mut seen = 0;
            while let Some(&b) = bytes.get(i) {
                let class = CLASS[b as usize];
                if class & WORD == 0 {
                    break;
                }
                seen |= class;
                i += 1;
            }
            if bytes.get(i).is_none_or(|&b| CLASS[b as usize] & NON_ASCII == 0) {
                if seen & UPPER != 0 {
                    word.clear();
                    word.extend(bytes[start..i].iter().map(u8::to_ascii_lowercase));
                    out.push(xxh3_64(&word));
                } else {
                    out.push(xxh3_64(&bytes[start..i]));
                }
                continue;
            }
        }
        i = push_unicode_word(text, start, &mut word, out);
    }
}

/// The word (if any) starting at byte `start` of `text`, built a character at a time; returns
/// where it ends. A non-alphanumeric character at `start` is passed over.
fn push_unicode_word(text: &str, start: usize, word: &mut Vec<u8>, out: &mut Vec<u64>) -> usize {
    word.clear();
    let mut buf = [0u8; 4];
    for (at, c) in text[start..].char_indices() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(xxh3_64(word));
            }
            return start + at + c.len_utf8();
        }
        if c.is_ascii() {
            word.push(c.to_ascii_lowercase() as u8);
        } else {
            for l in c.to_lowercase() {
                word.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    if !word.is_empty() {
        out.push(xxh3_64(word));
    }
    text.len()
}

/// The word 3-grams of a text, in order, repeats included (a MinHash signature ignores repeats,
/// so it needs no set). A text of fewer than three words is one shingle.
pub fn trigrams(words: &[u64]) -> Vec<u64> {
    if words.len() < 3 {
        vec![combine(words)]
    } else {
        words.windows(3).map(combine).collect()
    }
}

fn combine(words: &[u64]) -> u64 {
    // Order matters: each position gets its own odd multiplier before mixing.
    const K: [u64; 3] = [0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9];
    let mut h = words.len() as u64;
    for (w, k) in words.iter().zip(K) {
        h = (h ^ w.wrapping_mul(k)).rotate_left(29).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    }
    h ^ (h >> 32)
}

/// The distinct members of a list of shingle hashes, narrowed to their high 32 bits for exact
/// comparison, sorted. Two distinct shingles of two documents of a thousand words each agree on
/// 32 bits with probability about 2^-12 per pair of documents, which moves no similarity by a
/// visible amount, halves what verification reads, and makes the sort cheaper than on 64 bits.
pub fn narrow_set(hashes: &[u64]) -> Vec<u32> {
    let mut out: Vec<u32> = hashes.iter().map(|&h| (h >> 32) as u32).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Size of the intersection of two sorted, distinct lists. Branch-free: which side advances is
/// unpredictable, and a mispredicted branch per step costs more than the comparisons.
pub fn intersection<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words as the module documents them, the slow and obvious way.
    fn reference(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| xxh3_64(w.chars().flat_map(char::to_lowercase).collect::<String>().as_bytes()))
            .collect()
    }

    proptest! {
        #[test]
        fn the_fast_path_finds_the_reference_words(text in "([a-zA-Z0-9]{1,8}|[ ,.;'\n-]{1,3}|[éÉßİ’—\u{a0}ΣДж]{1,2}){0,20}") {
            prop_assert_eq!(word_hashes(&text), reference(&text));
        }
    }

    #[test]
    fn words_ignore_case_punctuation_and_spacing() {
        assert_eq!(word_hashes("The  cat, sat.\nOn the MAT"), word_hashes("the cat sat on the mat"));
        assert_eq!(word_hashes("Ça coûte 3 €").len(), 3);
        assert_ne!(word_hashes("café"), word_hashes("cafe"));
        assert_eq!(word_hashes("CAFÉ au LAIT"), word_hashes("café au lait"));
        assert_eq!(word_hashes("ÉCOLE—Straße"), word_hashes("école straße"));
        assert_eq!(word_hashes("  ,;  "), Vec::<u64>::new());
    }

    #[test]
    fn trigrams_keep_word_order() {
        let a = narrow_set(&trigrams(&word_hashes("one two three four")));
        let b = narrow_set(&trigrams(&word_hashes("four three two one")));
        assert_eq!(a.len(), 2);
        assert_eq!(intersection(&a, &b), 0);
        assert_eq!(trigrams(&word_hashes("hi")).len(), 1);
        assert_eq!(narrow_set(&trigrams(&word_hashes("a b c a b c a b c"))).len(), 3, "repeats count once");
    }

    #[test]
    fn intersection_counts_common_members() {
        assert_eq!(intersection(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(intersection::<u32>(&[], &[1]), 0);
        assert_eq!(intersection(&[1u32, 2, 3], &[1, 2, 3]), 3);
        assert_eq!(narrow_set(&[3 << 32, 1 << 32, (1 << 32) + 5]), vec![1, 3]);
    }
}
