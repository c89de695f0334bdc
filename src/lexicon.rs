//! English word frequencies shipped with thresh, for rules that must know whether a string is a word.
//!
//! Data: `data/wordfreq-en.tsv`, the alphabetic entries of the English "large" list of wordfreq 3.1
//! (Robyn Speer et al., <https://github.com/rspeer/wordfreq>), one `word<TAB>zipf*100` per line.
//! wordfreq's data is licensed CC BY-SA 4.0; see `data/README.md`. It is compiled into the binary:
//! nothing is downloaded at run time.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;
use xxhash_rust::xxh3::xxh3_64;

static RAW: &str = include_str!("../data/wordfreq-en.tsv");

/// Each word of the list with its number (its line) and its Zipf frequency x100.
fn entries() -> impl Iterator<Item = (&'static str, (u32, u16))> {
    RAW.lines().enumerate().filter_map(|(id, l)| {
        let (w, z) = l.split_once('\t')?;
        Some((w, (id as u32, z.parse().ok()?)))
    })
}

/// The words of the list with their number and Zipf x100, by their lowercase text. Every word of
/// every document is looked up, so the ASCII words of up to 16 bytes (all but a few thousand) are
/// keyed by their bytes packed into a number ([`ascii_word_key`]), which hashes and compares in
/// one step where a string takes a loop; the rest by their text.
struct Words {
    short: FxHashMap<u128, (u32, u16)>,
    long: FxHashMap<&'static str, (u32, u16)>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let (mut short, mut long) = (FxHashMap::default(), FxHashMap::default());
    for (w, entry) in entries() {
        if w.is_ascii() && w.len() <= 16 {
            short.insert(ascii_word_key(w.as_bytes()), entry);
        } else {
            long.insert(w, entry);
        }
    }
    Words { short, long }
});

/// A word of the lexicon known by its number, so that a rule weighing many pairs of the same
/// words ([`known_pair_zipf`]) hashes each word once rather than each pair's string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Known {
    pub id: u32,
    pub zipf: f32,
}

/// Zipf frequency of a word (log10 of its frequency per billion words; "the" is 7.7, a word seen
/// once in a billion is 0), or `None` when the word is not in the list. Case-insensitive.
pub fn zipf(word: &str) -> Option<f32> {
    known(word).map(|k| k.zipf)
}

/// The word's number and frequency, or `None` when it is not in the list. Case-insensitive.
pub fn known(word: &str) -> Option<Known> {
    let words = &*WORDS;
    let found = if word.len() <= 16 && word.is_ascii() {
        let key = word.bytes().fold(0u128, |key, b| {
            key << 8 | u128::from(b.to_ascii_lowercase())
        });
        words.short.get(&key)
    } else if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
        words.long.get(word)
    } else if word.len() <= 64 && word.is_ascii() {
        // Lowercased on the stack: this runs for every capitalized word of every document.
        let mut buf = [0u8; 64];
        // word.len() <= 64 and ASCII (checked above): in range, and still UTF-8 when lowercased.
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        words.long.get(std::str::from_utf8(lower).expect("ASCII"))
    } else {
        words.long.get(word.to_lowercase().as_str())
    };
    found.map(|&(id, z)| Known {
        id,
        zipf: z as f32 / 100.0,
    })
}

/// How many words of the lexicon (Zipf 1.5 or more) end in each common word (Zipf 3 or more),
/// beyond at least three letters of their own: "man" ends 1,026 of them, "was" 14, "gave" one.
/// A name ending in a common word is a name ending in letters many words end in.
static ENDINGS: LazyLock<FxHashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut endings: FxHashMap<&str, u32> = entries()
        .filter(|&(_, (_, z))| z >= 300)
        .map(|(w, _)| (w, 0))
        .collect();
    let mut types = 0;
    for (word, _) in entries().filter(|&(_, (_, z))| z >= 150) {
        types += 1;
        for (at, _) in word.char_indices().skip(3) {
            if let Some(n) = endings.get_mut(&word[at..]) {
                *n += 1;
            }
        }
    }
    endings.insert("", types);
    endings
});

/// The share of the lexicon's words that end in this common word (see [`ENDINGS`]); `None` for a
/// word rarer than Zipf 3.
pub fn ending_share(word: &str) -> Option<f32> {
    let n = *ENDINGS.get(word)?;
    Some(n as f32 / ENDINGS[""] as f32)
}

/// Words of two or three letters that stand as words in glued text. Other short strings
/// ("ad", "al", "ex", "ion") are letters of longer words far more often than words.
pub const SHORT_WORDS: &[&str] = &[
    "a", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my", "no",
    "of", "on", "or", "so", "to", "up", "us", "we", "all", "and", "any", "are", "but", "can",
    "did", "for", "had", "has", "her", "his", "how", "its", "may", "new", "not", "now", "our",
    "out", "own", "she", "the", "too", "two", "was", "who", "why", "you", "way", "day", "use",
    "one",
];

/// Function words: articles, prepositions, pronouns, auxiliaries, conjunctions, and the time
/// words that follow a noun as they do ("today"). A name glued to a content word is
/// indistinguishable from a longer name, but names seldom end in these.
pub const CLOSED_CLASS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "both",
    "even",
    "every",
    "just",
    "no",
    "only",
    "shall",
    "very",
    "but",
    "by",
    "can",
    "could",
    "did",
    "does",
    "during",
    "each",
    "for",
    "from",
    "had",
    "has",
    "have",
    "here",
    "how",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "may",
    "might",
    "more",
    "most",
    "must",
    "not",
    "now",
    "of",
    "on",
    "or",
    "other",
    "our",
    "over",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "today",
    "tomorrow",
    "under",
    "until",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yesterday",
    "you",
    "your",
];

/// A function word (an article, preposition, pronoun, auxiliary or conjunction), lowercase.
pub fn is_function_word(w: &str) -> bool {
    static FUNCTION_WORDS: LazyLock<rustc_hash::FxHashSet<&str>> =
        LazyLock::new(|| SHORT_WORDS.iter().chain(CLOSED_CLASS).copied().collect());
    FUNCTION_WORDS.contains(w)
}

/// Pairs of English words side by side: the 249,528 pairs of lowercase words seen at least 100,000
/// times in the Google Web Trillion Word Corpus (Peter Norvig's extract, as shipped by the
/// wordsegment package, Apache-2.0; `data/bigrams-en.tsv`, made by `data/make-bigrams.py`), one
/// `first second<TAB>count` per line.
static BIGRAMS_RAW: &str = include_str!("../data/bigrams-en.tsv");

/// The words of the trillion-word corpus the pair counts are out of.
const BIGRAM_CORPUS_WORDS: f64 = 1_024_908_267_229.0;

/// The pairs, by the hash of `first second`, sorted, with their Zipf frequency x100, and where
/// each run of hashes with the same top 16 bits starts: flat arrays (2.8 MB) rather than a map of
/// strings, and one cache line or two per lookup rather than a binary search's eighteen.
struct Pairs {
    keys: Vec<u64>,
    zipfs: Vec<u16>,
    /// `starts[b]..starts[b + 1]` holds the keys whose top 16 bits are `b`.
    starts: Vec<u32>,
}

static BIGRAMS: LazyLock<Pairs> = LazyLock::new(|| {
    let mut pairs: Vec<(u64, u16)> = BIGRAMS_RAW
        .lines()
        .filter_map(|l| {
            let (pair, count) = l.split_once('\t')?;
            let count: f64 = count.parse().ok()?;
            let zipf = (count / BIGRAM_CORPUS_WORDS * 1e9).log10();
            Some((xxh3_64(pair.as_bytes()), (zipf * 100.0).round() as u16))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    let (keys, zipfs): (Vec<u64>, Vec<u16>) = pairs.into_iter().unzip();
    let mut starts = vec![0u32; (1 << 16) + 1];
    for &key in &keys {
        starts[(key >> 48) as usize + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    Pairs {
        keys,
        zipfs,
        starts,
    }
});

/// The highest Zipf frequency of any pair ("of the", 6.4): a word more common than a pair could
/// beat by the margin a rule needs is never two words.
pub fn max_pair_zipf() -> f32 {
    static MAX: LazyLock<f32> =
        LazyLock::new(|| f32::from(BIGRAMS.zipfs.iter().copied().max().unwrap_or(0)) / 100.0);
    *MAX
}

/// Zipf frequency of two lowercase words side by side ("to make" is 5.1, "of the" 6.4), on the
/// scale of [`zipf`]; `None` for a pair seen fewer than 100,000 times in a trillion words of web
/// text (Zipf 2.0), which is most pairs.
pub fn pair_zipf(first: &str, second: &str) -> Option<f32> {
    let mut key = [0u8; 96];
    let len = first.len() + 1 + second.len();
    if len > key.len() {
        return None; // No word pair of the list is this long.
    }
    key[..first.len()].copy_from_slice(first.as_bytes());
    key[first.len()] = b' ';
    key[first.len() + 1..len].copy_from_slice(second.as_bytes());
    let pairs = &*BIGRAMS;
    let hash = xxh3_64(&key[..len]);
    let bucket = (hash >> 48) as usize; // < 2^16, and starts has 2^16 + 1 entries
    let (from, to) = (
        pairs.starts[bucket] as usize,
        pairs.starts[bucket + 1] as usize,
    );
    let at = from + pairs.keys[from..to].binary_search(&hash).ok()?;
    Some(f32::from(pairs.zipfs[at]) / 100.0)
}

/// The pairs of [`BIGRAMS`] whose two words are both in the lexicon, by their numbers, and a
/// Bloom filter of their keys: a rule weighing synonyms asks mostly for pairs nobody writes, and
/// the filter (256 KB, in cache) answers most of those without touching the 4 MB map.
struct KnownPairs {
    zipfs: FxHashMap<u64, u16>,
    bloom: Vec<u64>,
}

const BLOOM_BITS: u32 = 21;

/// Three bit positions of a pair key in the Bloom filter.
fn bloom_bits(key: u64) -> [usize; 3] {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mask = (1u64 << BLOOM_BITS) - 1;
    [
        (h >> (64 - BLOOM_BITS)) as usize,
        ((h >> 20) & mask) as usize,
        ((h >> 1) & mask) as usize,
    ]
}

static KNOWN_PAIRS: LazyLock<KnownPairs> = LazyLock::new(|| {
    let zipfs: FxHashMap<u64, u16> = BIGRAMS_RAW
        .lines()
        .filter_map(|l| {
            let (pair, count) = l.split_once('\t')?;
            let (first, second) = pair.split_once(' ')?;
            let (a, b) = (known(first)?.id, known(second)?.id);
            let count: f64 = count.parse().ok()?;
            let zipf = (count / BIGRAM_CORPUS_WORDS * 1e9).log10();
            Some((
                u64::from(a) << 32 | u64::from(b),
                (zipf * 100.0).round() as u16,
            ))
        })
        .collect();
    let mut bloom = vec![0u64; (1 << BLOOM_BITS) / 64];
    for &key in zipfs.keys() {
        for bit in bloom_bits(key) {
            bloom[bit / 64] |= 1 << (bit % 64);
        }
    }
    KnownPairs { zipfs, bloom }
});

/// [`pair_zipf`] of two words of the lexicon, by their numbers.
pub fn known_pair_zipf(first: Known, second: Known) -> Option<f32> {
    let pairs = &*KNOWN_PAIRS;
    let key = u64::from(first.id) << 32 | u64::from(second.id);
    // Every bit is below 2^BLOOM_BITS, the filter's size.
    if !bloom_bits(key)
        .iter()
        .all(|&bit| pairs.bloom[bit / 64] & (1 << (bit % 64)) != 0)
    {
        return None;
    }
    pairs.zipfs.get(&key).map(|&z| f32::from(z) / 100.0)
}

/// Whether a text is in the lexicon's language, English, for the rules that judge its words by
/// it, decided in two steps so that the costly one is asked only when an answer is needed:
/// - [`English::by_words`]: most of its first 400 words of three letters or more are common
///   English words (cheap; asked of every document);
/// - [`English::confirmed`]: also a language identifier (whatlang's trigram model, over the
///   text's first 1,000 bytes) names English, unless the words are so plainly English (85%) that
///   it need not be asked. Either alone is fooled: the identifier by lists of names and menus, the
///   word count by Scots, Frisian or English-heavy code-switching.
pub struct English<'a> {
    text: &'a str,
    share: Option<f32>,
    identified: std::cell::OnceCell<bool>,
}

impl<'a> English<'a> {
    pub fn of(text: &'a str) -> Self {
        English {
            text,
            share: english_word_share(text),
            identified: Default::default(),
        }
    }

    pub fn by_words(&self) -> bool {
        self.share.is_some_and(|share| share >= ENGLISH_SHARE)
    }

    pub fn confirmed(&self) -> bool {
        self.by_words()
            && (self.share.is_some_and(|share| share >= SURE_ENGLISH_SHARE)
                || *self
                    .identified
                    .get_or_init(|| identified_as_english(self.text)))
    }
}

/// [`English::confirmed`] at once.
pub fn is_english(text: &str) -> bool {
    English::of(text).confirmed()
}

fn identified_as_english(text: &str) -> bool {
    let mut end = text.len().min(LANGUAGE_SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    whatlang::detect_lang(&text[..end]) == Some(whatlang::Lang::Eng)
}

/// Bytes of a text the language identifier reads: enough for its trigrams to agree.
const LANGUAGE_SAMPLE: usize = 1000;

/// A line of some length that the language identifier is sure is not English: a quotation, a
/// summary or a comment in another language inside an English text.
pub fn is_other_language(line: &str) -> bool {
    // A line of common English words is English: the identifier is asked only of the others.
    line.len() >= MIN_IDENTIFIED_LINE
        && !mostly_english_words(line)
        && whatlang::detect(line)
            .is_some_and(|info| info.lang() != whatlang::Lang::Eng && info.is_reliable())
}

/// Bytes a line needs for its language to be told: shorter ones are names, menus and captions.
const MIN_IDENTIFIED_LINE: usize = 40;

/// Most of a text's first 400 words (three letters or more) are common English words (see
/// [`english_word_share`]). French, German or Spanish text has many words the web lexicon knows
/// too, but not most of them at this frequency.
fn mostly_english_words(text: &str) -> bool {
    english_word_share(text).is_some_and(|share| share >= ENGLISH_SHARE)
}

/// The share of common English words above which a text counts as English by its words.
const ENGLISH_SHARE: f32 = 0.6;
/// The share above which a text is English whatever the language identifier would say: it need
/// not be asked. English prose scores 0.75 and up even with jargon; French, German, Spanish or
/// Italian prose 0.15 to 0.4 (measured on parallel sentences).
const SURE_ENGLISH_SHARE: f32 = 0.85;

/// The share of a text's first 400 words (three letters or more) that are common English words
/// (Zipf 3 or more); `None` under 8 such words, too few to tell.
fn english_word_share(text: &str) -> Option<f32> {
    let mut words = 0u32;
    let mut known = 0u32;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 3)
    {
        words += 1;
        if zipf(word).is_some_and(|z| z >= 3.0) {
            known += 1;
        }
        if words >= 400 {
            break; // Enough to know.
        }
    }
    (words >= 8).then(|| known as f32 / words as f32)
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

/// The bit of `language` in [`stopword_languages`]; 0 for a language the list lacks.
pub fn language_bit(language: &str) -> u32 {
    STOPWORD_LANGUAGES
        .iter()
        .position(|&l| l == language)
        .map_or(0, |bit| 1 << bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_number_are_pairs_by_name() {
        for (a, b) in [
            ("of", "the"),
            ("receptor", "antagonist"),
            ("to", "make"),
            ("receptor", "villain"),
        ] {
            let (ka, kb) = (known(a).unwrap(), known(b).unwrap());
            assert_eq!(known_pair_zipf(ka, kb), pair_zipf(a, b), "{a} {b}");
        }
        assert!(known_pair_zipf(known("of").unwrap(), known("the").unwrap()).unwrap() > 6.0);
    }

    #[test]
    fn knows_common_and_rare_words_but_not_junk() {
        assert!(zipf("the").unwrap() > 7.0);
        assert!(zipf("Treatment").unwrap() > 4.0);
        assert!(zipf("antagonist").is_some());
        assert!(zipf("patientswith").is_none());
        assert!(zipf("xqzv").is_none());
    }

    #[test]
    fn knows_english_from_other_languages() {
        assert!(is_english(
            "The patients who received the treatment reported fewer symptoms after a month."
        ));
        assert!(!is_english(
            "Les patients qui ont reçu le traitement ont signalé moins de symptômes après un mois."
        ));
        assert!(!is_english(
            "Die Patienten, die die Behandlung erhielten, berichteten nach einem Monat weniger Symptome."
        ));
        assert!(is_other_language(
            "El gobierno exponía a la prensa su soberanía a todos los ciudadanos del país."
        ));
        assert!(!is_other_language(
            "The government set out its claim to the press and to every citizen of the country."
        ));
        assert!(!is_other_language("Yukia Amano"));
    }

    #[test]
    fn knows_which_words_end_many_words() {
        let share = |w| ending_share(w).unwrap();
        assert!(share("man") > 100.0 * share("was"));
        assert!(share("gave") < 1e-4);
        assert_eq!(ending_share("xqzv"), None);
    }

    #[test]
    fn knows_which_words_stand_together() {
        assert!(pair_zipf("of", "the").unwrap() > 6.0);
        assert!(pair_zipf("to", "make").unwrap() > 4.5);
        // Names and brands read as two words are not pairs of the language.
        assert_eq!(pair_zipf("try", "maine"), None);
        assert_eq!(pair_zipf("cools", "can"), None);
        assert_eq!(pair_zipf("the", ""), None);
    }
}
