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

/// Hashes of the words of `text`, in order.
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    push_word_hashes(text, &mut out);
    out
}

/// The hash of a word, from the bytes of its lowercase form: eight bytes at a time, little-endian,
/// each group mixed into the state, the length mixed in last. Both steps are bijective, so two
/// distinct words of up to eight bytes (most words) never share a hash. Hashing a group of bytes
/// rather than each byte lets [`push_word_hashes`] hash an ASCII word where it lies, eight bytes
/// at a time, with no copy.
pub fn word_hash(word: &[u8]) -> u64 {
    let mut state = 0;
    for group in word.chunks(8) {
        let bytes = group
            .iter()
            .enumerate()
            .fold(0u64, |v, (k, &b)| v | u64::from(b) << (8 * k));
        state = absorb(state, bytes);
    }
    finish(state, word.len())
}

fn absorb(state: u64, bytes: u64) -> u64 {
    (state ^ bytes)
        .wrapping_mul(0xD6E8_FEB8_6659_FD93)
        .rotate_left(27)
}

/// The state with the length mixed in, finalized.
fn finish(state: u64, len: usize) -> u64 {
    fmix64(state ^ (len as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
}

/// MurmurHash3's 64-bit finalizer: a bijection that spreads every input bit over the output.
pub(super) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// [`word_hash`] of the lowercase of `bytes[start..end]`, a run of ASCII letters and digits, read
/// eight bytes at a time. Such a byte is lowercased by setting bit 0x20, which digits and lowercase
/// letters already have; the last group may read past the word (never past `bytes`) and masks off
/// what it read there.
#[inline(always)]
fn ascii_word_hash(bytes: &[u8], start: usize, end: usize) -> u64 {
    const LOWER: u64 = 0x2020_2020_2020_2020;
    // Called only where at + 8 <= bytes.len() (checked at each call); a slice of 8 converts.
    let group_at =
        |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let mut state = 0;
    let mut at = start;
    while at + 8 <= end {
        state = absorb(state, group_at(at) | LOWER);
        at += 8;
    }
    if at < end {
        let mask = u64::MAX >> (64 - 8 * (end - at)); // 1 <= end - at <= 7
        let group = if at + 8 <= bytes.len() {
            group_at(at)
        } else {
            bytes[at..end]
                .iter()
                .rev()
                .fold(0u64, |v, &b| v << 8 | u64::from(b))
        };
        state = absorb(state, (group | LOWER) & mask);
    }
    finish(state, end - start)
}

/// Appends the hashes of the words of `text` to `out`.
pub fn push_word_hashes(text: &str, out: &mut Vec<u64>) {
    for_each_word(text, |hash, _, _| out.push(hash));
}

/// Calls `f` with the hash of each word of `text` and its byte range, in order.
#[inline]
pub fn for_each_word(text: &str, mut f: impl FnMut(u64, usize, usize)) {
    // The text is read 64 bytes at a time into two bit masks: bytes that may be part of a word
    // (ASCII letters and digits, and every byte of a non-ASCII character) and non-ASCII bytes.
    // Building the masks has no branch per byte, and runs of set bits are found with bit
    // arithmetic: where words end is unpredictable, and a mispredicted branch at every word end
    // cost more than the rest of the scan. A run of ASCII letters and digits is a word, hashed
    // where it lies; a run with a non-ASCII character is split into words a character at a time
    // (not every character is alphanumeric, and a lowercase may be longer than its capital).
    let bytes = text.as_bytes();
    let mut word: Vec<u8> = Vec::new();
    let mut emit = |start: usize, end: usize, ascii: bool| {
        if ascii {
            f(ascii_word_hash(bytes, start, end), start, end);
        } else {
            unicode_words(text, start, end, &mut word, &mut f);
        }
    };
    // Runs are found from where they start (a set bit after a clear one) and where they end (a
    // clear bit after a set one); starts and ends alternate, so the n-th end closes the n-th
    // start. A run open at the end of a block carries into the next one.
    let mut open: Option<usize> = None;
    // Whether the open run has a non-ASCII byte in the blocks before this one.
    let mut open_high = false;
    let mut carry = 0u64;
    for (n, block) in bytes.chunks(64).enumerate() {
        let base = n * 64;
        let (wordlike, high) = block_masks(block);
        let before = wordlike << 1 | carry;
        let mut starts = wordlike & !before;
        // In the last block, a run reaching the end of the text ends at the first padding bit.
        let mut ends = !wordlike & before;
        loop {
            let start = match open.take() {
                Some(start) => start,
                None if starts == 0 => break,
                None => {
                    let at = starts.trailing_zeros();
                    starts &= starts - 1;
                    base + at as usize
                }
            };
            if ends == 0 {
                open_high |= high & !below(start.saturating_sub(base) as u32) != 0;
                open = Some(start);
                break;
            }
            let end = ends.trailing_zeros();
            ends &= ends - 1;
            let ascii =
                high == 0 || high & below(end) & !below(start.saturating_sub(base) as u32) == 0;
            emit(start, base + end as usize, ascii && !open_high);
            open_high = false;
        }
        carry = wordlike >> 63;
    }
    if let Some(start) = open {
        emit(start, bytes.len(), !open_high);
    }
}

/// The masks of a block of at most 64 bytes: bytes that may belong to a word, and non-ASCII
/// bytes. Each byte is tested into a flag byte by a fixed-size loop with no early exit, which the
/// compiler vectorizes; eight flags at a time then become eight bits with one multiplication (the
/// constant moves flag byte `i` to bit `56 + i`, and no two partial products overlap).
#[inline]
fn block_masks(block: &[u8]) -> (u64, u64) {
    let mut padded = [0u8; 64];
    padded[..block.len()].copy_from_slice(block); // chunks(64): block.len() <= 64
    let mut wordlike = [0u8; 64];
    let mut high = [0u8; 64];
    for k in 0..64 {
        let b = padded[k];
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        high[k] = b >> 7;
        wordlike[k] = u8::from(letter | digit) | high[k];
    }
    (to_bits(&wordlike), to_bits(&high))
}

/// Bit `k` set where byte `k` of `flags` (each 0 or 1) is 1.
#[inline]
fn to_bits(flags: &[u8; 64]) -> u64 {
    flags
        .chunks_exact(8)
        .enumerate()
        .fold(0, |bits, (n, group)| {
            let group = u64::from_le_bytes(group.try_into().expect("eight flags")); // chunks_exact(8)
            bits | (group.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * n)
        })
}

/// The bits below bit `n` (at most 64).
#[inline]
fn below(n: u32) -> u64 {
    u64::MAX.checked_shr(64 - n).unwrap_or(0)
}

/// The words of `text[start..end]`, a run of ASCII letters, digits and non-ASCII characters.
#[inline(never)]
fn unicode_words(
    text: &str,
    start: usize,
    end: usize,
    word: &mut Vec<u8>,
    f: &mut impl FnMut(u64, usize, usize),
) {
    let mut at = start;
    while at < end {
        at = unicode_word(text, at, word, f);
    }
}

/// The word (if any) starting at byte `start` of `text`, built a character at a time; returns
/// where it ends. A non-alphanumeric character at `start` is passed over.
fn unicode_word(
    text: &str,
    start: usize,
    word: &mut Vec<u8>,
    f: &mut impl FnMut(u64, usize, usize),
) -> usize {
    word.clear();
    let mut buf = [0u8; 4];
    let mut first = start;
    // `start` is a char boundary: a run starts after an ASCII byte (or at 0), and each word
    // returned here ends after a whole char.
    for (at, c) in text[start..].char_indices() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                f(word_hash(word), first, start + at);
            }
            return start + at + c.len_utf8();
        }
        if word.is_empty() {
            first = start + at;
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
        f(word_hash(word), first, text.len());
    }
    text.len()
}

/// The word 3-grams of a text, in order, repeats included (a MinHash signature ignores repeats,
/// so it needs no set). A text of fewer than three words is one shingle.
pub fn trigrams(words: &[u64]) -> Vec<u64> {
    trigram_hashes(words).collect()
}

/// [`trigrams`], one at a time.
pub fn trigram_hashes(words: &[u64]) -> impl Iterator<Item = u64> + '_ {
    let short = (words.len() < 3).then(|| combine(words));
    short.into_iter().chain(words.windows(3).map(combine))
}

fn combine(words: &[u64]) -> u64 {
    // Order matters: each position gets its own odd multiplier before mixing.
    const K: [u64; 3] = [
        0x9E37_79B9_7F4A_7C15,
        0xC2B2_AE3D_27D4_EB4F,
        0x1656_67B1_9E37_79F9,
    ];
    let mut h = words.len() as u64;
    for (w, k) in words.iter().zip(K) {
        h = (h ^ w.wrapping_mul(k))
            .rotate_left(29)
            .wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    }
    h ^ (h >> 32)
}

/// [`narrow_set`] of hashes given one at a time, sorted in place: no second buffer the size of
/// the set, for documents so large that the radix sort's would matter more than its speed.
pub fn narrow_set_in_place(hashes: impl Iterator<Item = u64>) -> Vec<u32> {
    let mut out: Vec<u32> = hashes.map(|h| (h >> 32) as u32).collect();
    out.sort_unstable();
    out.dedup();
    out.shrink_to_fit();
    out
}

/// The distinct members of a list of shingle hashes, narrowed to their high 32 bits for exact
/// comparison, sorted. Two distinct shingles of two documents of a thousand words each agree on
/// 32 bits with probability about 2^-12 per pair of documents, which moves no similarity by a
/// visible amount, halves what verification reads, and makes the sort cheaper than on 64 bits.
pub fn narrow_set(hashes: &[u64]) -> Vec<u32> {
    let mut out = super::radix::sort(hashes.iter().map(|&h| (h >> 32) as u32).collect());
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words as the module documents them, the slow and obvious way.
    fn reference(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                word_hash(
                    w.chars()
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                        .as_bytes(),
                )
            })
            .collect()
    }

    proptest! {
        #[test]
        fn hash_sets_are_sorted_and_distinct(values in proptest::collection::vec(any::<u64>(), 0..1500), repeats in 0usize..300) {
            let mut values = values;
            let copies: Vec<u64> = values.iter().take(repeats).copied().collect();
            values.extend(copies);
            let mut expected: Vec<u32> = values.iter().map(|&h| (h >> 32) as u32).collect();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(narrow_set(&values), expected);
        }

        #[test]
        fn the_fast_path_finds_the_reference_words(text in "([a-zA-Z0-9]{1,20}|[ ,.;'\n-]{1,3}|[éÉßİ’—\u{a0}ΣДж]{1,2}){0,20}") {
            prop_assert_eq!(word_hashes(&text), reference(&text));
        }
    }

    #[test]
    fn words_ignore_case_punctuation_and_spacing() {
        assert_eq!(
            word_hashes("The  cat, sat.\nOn the MAT"),
            word_hashes("the cat sat on the mat")
        );
        assert_eq!(word_hashes("Ça coûte 3 €").len(), 3);
        assert_ne!(word_hashes("café"), word_hashes("cafe"));
        assert_eq!(word_hashes("CAFÉ au LAIT"), word_hashes("café au lait"));
        assert_eq!(word_hashes("ÉCOLE—Straße"), word_hashes("école straße"));
        assert_eq!(word_hashes("  ,;  "), Vec::<u64>::new());
    }

    #[test]
    fn words_across_64_byte_blocks_are_whole() {
        // The scan reads 64 bytes at a time: shift words of every kind across a block boundary.
        let words = "Internationalization über-ÉCOLE don’t 2024 PATIENTSWITH straße";
        for shift in 0..140 {
            let text = format!("{}{words}", ".".repeat(shift));
            assert_eq!(word_hashes(&text), reference(&text), "shifted by {shift}");
        }
        let long = "x".repeat(200);
        assert_eq!(word_hashes(&long), reference(&long));
        assert_eq!(
            word_hashes(&format!("{long}é")),
            reference(&format!("{long}é"))
        );
    }

    #[test]
    fn distinct_short_words_never_share_a_hash() {
        let letters = "abcdefghijklmnopqrstuvwxyz0123456789";
        let mut words: Vec<String> = letters.chars().map(String::from).collect();
        for a in letters.chars() {
            for b in letters.chars() {
                words.push(format!("{a}{b}"));
                words.extend(letters.chars().map(|c| format!("{a}{b}{c}")));
            }
        }
        words.extend(
            [
                "information",
                "informations",
                "informatiom",
                "internationalization",
            ]
            .map(String::from),
        );
        let mut hashes: Vec<u64> = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
    }

    #[test]
    fn trigrams_keep_word_order() {
        let a = narrow_set(&trigrams(&word_hashes("one two three four")));
        let b = narrow_set(&trigrams(&word_hashes("four three two one")));
        assert_eq!(a.len(), 2);
        assert_eq!(crate::dedup::intersect::intersection(&a, &b), 0);
        assert_eq!(trigrams(&word_hashes("hi")).len(), 1);
        assert_eq!(
            narrow_set(&trigrams(&word_hashes("a b c a b c a b c"))).len(),
            3,
            "repeats count once"
        );
    }

    #[test]
    fn narrow_sets_keep_high_bits() {
        assert_eq!(narrow_set(&[3 << 32, 1 << 32, (1 << 32) + 5]), vec![1, 3]);
    }
}
