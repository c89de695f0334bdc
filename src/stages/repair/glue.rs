//! Glued words: two words run together when a scraper dropped the space or the element boundary
//! between them ("patientswith", "tomake", "Clinictoday", "ofBergamo").
//!
//! A token is split only when the tests agree, because splitting a real word is worse than
//! leaving a glued pair. Cheapest first:
//! - [`may_split`]: plain letters, of a glued pair's length, not a word more common than any pair
//!   of words could beat (CamelCase, digits, `@ # / _ .` mark names, handles, URLs, identifiers
//!   and units; only "function word + Capitalized word" is split among them, [`before_capital`]);
//! - not a word *of this text*: a form the corpus or the document keeps using is its name or
//!   jargon; an inflection of a known word ("formatters") is a word;
//! - the word pairs of the language ([`by_pairs`]): a reading as two words that stand side by
//!   side in the web's text far more often than the glued string stands alone; the only test that
//!   may split a string the lexicon lists, since the web lexicon has learned glued pairs as words;
//! - for a string the lexicon does not know, the words alone ([`by_words`]): exactly one split
//!   into two common words, without a bound prefix or suffix, not a misspelling of a common word,
//!   and a Capitalized token only where a name is unlikely;
//! - where the token stands ([`Place`]): two content words only in running prose, never in
//!   technical writing, where solid compounds are the norm.
//!
//! The document, and the line, must be in the lexicon's language (English): the repair stage asks
//! [`lexicon::is_english`] and [`lexicon::is_other_language`].

use crate::lexicon;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// What the corpus knows about a word: in how many documents it occurs. `None` without a corpus.
pub trait WordCounts {
    fn documents_with(&self, word: &str) -> Option<u32>;
}

/// The corpus pass's counts of rare words.
impl WordCounts for crate::corpus::CorpusStats {
    fn documents_with(&self, word: &str) -> Option<u32> {
        self.word_documents(word)
    }
}

impl WordCounts for () {
    fn documents_with(&self, _: &str) -> Option<u32> {
        None
    }
}

/// What the text around a token says about words: the corpus's document counts and the
/// document's own words. A word the document uses on its own ("amygdala") is a word of this
/// text even if the language rarely uses it, so "theamygdala" can be split.
pub struct Vocabulary<'a> {
    pub corpus: &'a dyn WordCounts,
    /// The document's text. What is learned from it is worked out only when a token needs it:
    /// most documents have no token to split.
    text: String,
    /// Lowercase words of four letters or more in the document, with their number of uses.
    document: std::cell::OnceCell<rustc_hash::FxHashMap<String, u32>>,
    /// The document is technical writing (it has code or identifiers), where solid compounds
    /// ("testsuite", "hashmap") are the norm.
    technical: std::cell::OnceCell<bool>,
}

impl<'a> Vocabulary<'a> {
    pub fn new(corpus: &'a dyn WordCounts, text: String) -> Self {
        Vocabulary {
            corpus,
            text,
            document: Default::default(),
            technical: Default::default(),
        }
    }

    /// The document's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A vocabulary with no corpus and no document: the lexicon alone decides.
    pub fn lexicon_only() -> Vocabulary<'static> {
        Vocabulary::new(&(), String::new())
    }

    fn uses(&self, word: &str) -> u32 {
        let document = self.document.get_or_init(|| {
            let mut document = rustc_hash::FxHashMap::default();
            for word in self
                .text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 4)
            {
                *document.entry(word.to_ascii_lowercase()).or_default() += 1;
            }
            document
        });
        document.get(word).copied().unwrap_or(0)
    }

    fn technical(&self) -> bool {
        *self.technical.get_or_init(|| {
            self.text
                .lines()
                .filter(|l| crate::text::looks_like_code(l) || crate::text::has_identifier(l))
                .count()
                >= 2
        })
    }

    /// The text's own word: used in several documents, or twice in this one.
    fn is_own_word(&self, word: &str) -> bool {
        self.corpus
            .documents_with(word)
            .is_some_and(|n| n >= CORPUS_WORD_DOCS)
            || self.uses(word) >= 2
    }

    /// A part rare in the language that the text vouches for: the corpus uses it often, or this
    /// document uses it on its own (once if the lexicon knows it at all, else twice).
    fn vouches_for(&self, part: &str, in_lexicon: bool) -> bool {
        (in_lexicon
            && self
                .corpus
                .documents_with(part)
                .is_some_and(|n| n >= CORPUS_PART_DOCS))
            || self.uses(part) >= if in_lexicon { 1 } else { 2 }
    }
}

/// Prepositions the web lexicon has learned glued to "the" ("ofthe" has a Zipf of 3.3).
const GLUED_BEFORE_THE: &[&str] = &[
    "of", "in", "to", "on", "for", "from", "with", "at", "by", "and", "into", "is", "was", "that",
    "as",
];

/// Function words the PDF text glues to the Capitalized word after them ("ofBergamo").
const GLUED_BEFORE_CAPITAL: &[&str] = &[
    "of", "the", "and", "in", "a", "an", "with", "from", "by", "at",
];

/// Bound prefixes: "hyperresponsive" is one word the lexicon happens not to know, not "hyper" and
/// "responsive". Particles that make solid verbs and nouns ("outscore", "overthink") count too.
const PREFIXES_LIST: &[&str] = &[
    "anti", "auto", "bio", "co", "counter", "cyber", "de", "dis", "eco", "electro", "extra", "geo",
    "hydro", "hyper", "hypo", "inter", "intra", "macro", "mega", "meta", "micro", "mid", "mini",
    "mis", "mono", "multi", "neuro", "non", "omni", "para", "photo", "poly", "post", "pre", "pro",
    "proto", "pseudo", "psycho", "re", "retro", "semi", "socio", "sub", "super", "tele", "thermo",
    "trans", "tri", "ultra", "un", "self", "over", "under", "out", "up", "down", "off", "back",
    "cross",
];

/// Prefixes that are also particles: "outquickly" is "out quickly", "outscore" one word.
const PARTICLES_LIST: &[&str] = &["over", "under", "out", "up", "down", "off", "back"];

/// Bound suffixes, including the endings the lexicon lists as words ("able", "less", "ate").
const SUFFIXES_LIST: &[&str] = &[
    "able", "ible", "less", "ness", "ful", "fully", "ship", "ships", "hood", "ment", "ments",
    "wise", "ward", "wards", "like", "dom", "some", "ism", "isms", "ist", "ists", "ity", "ities",
    "tion", "tions", "sion", "ing", "ings", "ed", "er", "ers", "est", "ly", "ware", "ate", "ates",
    "ive", "ives", "ion", "ions", "ous", "ise", "ize", "ant", "ants", "ent", "ents", "ance",
    "ence", "age", "ages", "ery", "ory", "phile", "phobia", "logy", "graphy", "gram", "scope",
    "meter", "fold", "scape", "esque", "ish",
];

/// The word lists as sets: they are consulted for every reading of every unknown token.
fn set(words: &'static [&'static str]) -> FxHashSet<&'static str> {
    words.iter().copied().collect()
}
static SHORT_PARTS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(lexicon::SHORT_WORDS));
static CLOSED_CLASS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(lexicon::CLOSED_CLASS));
static PREFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(PREFIXES_LIST));
static SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(SUFFIXES_LIST));
static PARTICLES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(PARTICLES_LIST));

/// Zipf a part of four letters or more needs to count as a word.
const MIN_PART_ZIPF: f32 = 3.0;
/// Zipf a part of five letters or more needs beside a function word.
const MIN_RARE_PART_ZIPF: f32 = 2.0;
/// Zipf a three-letter part outside [`SHORT_PARTS`] needs.
const MIN_SHORT_PART_ZIPF: f32 = 3.6;
/// How much likelier (in summed Zipf) the best reading must be than the next one.
const MARGIN: f32 = 2.0;
/// Zipf both halves of a sentence-initial Capitalized token need ("Surveyssuggest").
const MIN_INITIAL_PART_ZIPF: f32 = 4.0;
/// A token seen in this many documents of the corpus is a word of the corpus.
const CORPUS_WORD_DOCS: u32 = 3;
/// A part rare in the language counts as a word if this many documents of the corpus use it.
const CORPUS_PART_DOCS: u32 = 5;

/// How much more often (in Zipf) two words must stand side by side in the web's text than the
/// glued string stands as a word ("tomake" 1.6, "to make" 5.1) for a string of Zipf 2 or less to
/// be read as the pair.
const PAIR_MARGIN: f32 = 2.0;
/// The margin grows by this much for each Zipf point a glued string has above 2: a string in
/// real use ("hereto" 2.5, "isa" 3.6, "everyday" 4.4) needs overwhelming odds.
const PAIR_MARGIN_SLOPE: f32 = 1.2;
/// How far apart the two likeliest pairs must be: "itspeak" is "its peak" or "it speak".
const PAIR_AMBIGUITY: f32 = 0.5;

/// Whether a token can be two glued words at all: letters only, of a length words glued in
/// pairs have, and not a word more common than any pair could beat (most words of running text),
/// unless it is the glued-to-"the" junk of the lexicon. The cheap test, asked of every word.
pub fn may_split(token: &str) -> bool {
    let len = token.len();
    (4..=40).contains(&len)
        && token.bytes().all(|b| b.is_ascii_alphabetic())
        && (lexicon::zipf(token).is_none_or(|z| pair_needed(z) <= lexicon::max_pair_zipf())
            || token[len - 3..].eq_ignore_ascii_case("the"))
}

/// Where a token stands in its sentence.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The token begins a sentence.
    pub sentence_start: bool,
    /// The next word of the sentence, lowercase letters; empty after punctuation or at the end.
    pub next_word: &'a str,
    /// The line is running prose (sentences), not a menu, byline, caption or list, where two
    /// content words run together are a name, a handle or a brand as often as glue
    /// ("Posted by: meowmeow", "by fairyboots", "swissinfo").
    pub prose: bool,
}

/// A word judged on its own, as if in running prose.
const WORD_ALONE: Place = Place {
    sentence_start: false,
    next_word: "",
    prose: true,
};

/// Zipf the head of a capitalised token must have as a word (a name the lexicon knows:
/// "Roddick", "Lorenz") for the word after the token to vouch for the split.
const MIN_NAME_ZIPF: f32 = 2.0;
/// Zipf above which the head is a common word, and a content word after it makes a brand.
const MAX_NAME_ZIPF: f32 = 4.0;
/// The tail must end fewer than this share of the lexicon's words ("was", "gave", "said"; not
/// "man", "her", "us", "to", "is"): names end in the letters words end in.
const MAX_NAME_ENDING_SHARE: f32 = 1.0 / 6000.0;
/// Zipf the tail and the next word must have as a pair for the next word to vouch for a split.
const MIN_NEXT_PAIR_ZIPF: f32 = 3.0;

/// Where to split `token`, if it is two glued words: the byte offset of the second word.
/// `place` says where the token stands: at a sentence's start, where a capital says nothing of a
/// name, and before which word.
///
/// Two models judge, the first that has an answer decides:
/// - the word pairs of the language ([`lexicon::pair_zipf`]): a reading as two words that
///   stand side by side in the web's text far more often than the glued string stands alone
///   ("tomake", "Theywere", "Pakistanto"); it is the only model that may split a string the
///   lexicon lists, since the web lexicon has learned many glued pairs as words;
/// - for a string the lexicon does not know, the words alone, under the gates of [`by_words`].
pub fn split(token: &str, place: &Place, vocab: &Vocabulary) -> Option<usize> {
    if !may_split(token) {
        return None;
    }
    let len = token.len();
    if token.bytes().skip(1).any(|b| b.is_ascii_uppercase()) {
        return before_capital(token, vocab);
    }
    let known = lexicon::zipf(token);
    let lower = token.to_ascii_lowercase();
    if known.is_none() && (vocab.is_own_word(&lower) || is_inflection(&lower, vocab)) {
        return None;
    }
    let capitalized = token.as_bytes()[0].is_ascii_uppercase();
    if let Some(at) = by_pairs(&lower, known, capitalized, place, vocab) {
        return Some(at);
    }
    match known {
        // Only the glued-to-"the" junk the lexicon has picked up from the web, too common there
        // for the pair model ("ofthe" is 3.3); "lathe" and "bathe" are safe because "la" and
        // "ba" are not in the list.
        Some(known) => {
            let head = lower.strip_suffix("the")?;
            (GLUED_BEFORE_THE.contains(&head) && known < 4.0).then_some(head.len())
        }
        None if len >= 5 => by_words(token, &lower, place, vocab),
        None => None,
    }
}

/// The readings of a token as two words, by score: the best one, and the best of the others
/// (those that cannot be chosen but make the token ambiguous among them).
struct Readings {
    best: Option<(usize, f32)>,
    second: f32,
}

impl Default for Readings {
    fn default() -> Self {
        Readings {
            best: None,
            second: f32::MIN,
        }
    }
}

impl Readings {
    /// A reading that may be chosen: split at `at`, with `score`.
    fn take(&mut self, at: usize, score: f32) {
        match self.best {
            Some((_, top)) if score <= top => self.second = self.second.max(score),
            _ => {
                if let Some((_, top)) = self.best {
                    self.second = self.second.max(top);
                }
                self.best = Some((at, score));
            }
        }
    }

    /// A reading that cannot be chosen but competes ("hyper|responsive").
    fn rival(&mut self, score: f32) {
        self.second = self.second.max(score);
    }

    /// The best reading's split and score, and the next best score.
    fn best(&self) -> Option<(usize, f32, f32)> {
        self.best.map(|(at, score)| (at, score, self.second))
    }
}

/// The Zipf a pair must reach to be read in place of a glued string of Zipf `whole`.
fn pair_needed(whole: f32) -> f32 {
    whole + PAIR_MARGIN + (whole - 2.0).max(0.0) * PAIR_MARGIN_SLOPE
}

/// The reading as a pair of the language's words, if one stands out: the pair's Zipf against the
/// glued string's (0 when the lexicon does not know it).
fn by_pairs(
    lower: &str,
    known: Option<f32>,
    capitalized: bool,
    place: &Place,
    vocab: &Vocabulary,
) -> Option<usize> {
    let needed = pair_needed(known.unwrap_or(0.0));
    if needed > lexicon::max_pair_zipf() {
        return None; // Most words of running text: more common than any pair could beat.
    }
    let mut readings = Readings::default();
    for at in 1..lower.len() {
        let (head, tail) = lower.split_at(at); // ASCII (checked by the caller)
        if head.len() <= 2 && !SHORT_PARTS.contains(head)
            || tail.len() <= 2 && !SHORT_PARTS.contains(tail)
        {
            continue;
        }
        let Some(pair) = lexicon::pair_zipf(head, tail) else {
            continue;
        };
        // Two content words: glue in prose, but a solid compound in technical writing
        // ("test|suite") and in a Capitalized token, a name, a brand or a menu's item
        // ("Site|map", "Press|kit", "Home|loan"), even where the web writes both.
        let content = !lexicon::is_function_word(head) && !lexicon::is_function_word(tail);
        if derived(head, tail) || content && (capitalized || !place.prose || vocab.technical()) {
            readings.rival(pair);
            continue;
        }
        readings.take(at, pair);
    }
    let (at, pair, second) = readings.best()?;
    (pair >= needed && pair - second >= PAIR_AMBIGUITY).then_some(at)
}

/// A function word glued to a Capitalized word, as PDF text runs them ("ofBergamo",
/// "theAssociation", "andDevelopment"): split before the capital. Not after the words that begin
/// names of code (`forEach`, `onClick`, `toString`, `isValid`), not before a function word
/// (`andThen`), and never in technical writing.
fn before_capital(token: &str, vocab: &Vocabulary) -> Option<usize> {
    let at = token.find(|c: char| c.is_ascii_uppercase())?;
    let (head, tail) = token.split_at(at);
    let capitalized_word = tail.len() >= 4 && tail[1..].bytes().all(|b| b.is_ascii_lowercase());
    (GLUED_BEFORE_CAPITAL.contains(&head)
        && capitalized_word
        && !lexicon::is_function_word(&tail.to_ascii_lowercase())
        && !vocab.technical())
    .then_some(at)
}

/// A word that takes a prefix or suffix rather than a second word: "hyper|responsive",
/// "there|ate", but "out|quickly" and "over|the" are words glued to a particle.
fn derived(head: &str, tail: &str) -> bool {
    let particle =
        PARTICLES.contains(head) && (CLOSED_CLASS.contains(tail) || tail.ends_with("ly"));
    // "in" before a participle is the prefix ("inbred", "ingrafted"): the preposition takes a
    // noun. "a" before a plural is no article ("a|bases" is "abases").
    let prefixed_participle = head == "in" && tail.ends_with("ed");
    let article_plural = matches!(head, "a" | "an") && plural(tail);
    // A suffix takes a stem, not a function word: "was|able", "in|some", "the|ages" are glue.
    let suffixed = SUFFIXES.contains(tail) && !lexicon::is_function_word(head);
    PREFIXES.contains(head) && !particle || prefixed_participle || article_plural || suffixed
}

/// A plural noun: a word in -s whose singular the lexicon knows ("bases", "cats"; not "bus").
fn plural(word: &str) -> bool {
    word.len() >= 4
        && !word.ends_with("ss")
        && word
            .strip_suffix('s')
            .is_some_and(|stem| lexicon::zipf(stem).is_some_and(|z| z >= 2.5))
}

/// The reading as two words the lexicon knows, for a string it does not, when every gate agrees.
fn by_words(token: &str, lower: &str, place: &Place, vocab: &Vocabulary) -> Option<usize> {
    let len = token.len();
    let capitalized = token.as_bytes()[0].is_ascii_uppercase(); // len >= 5
                                                                // Every reading as two words, with its likelihood (summed Zipf).
    let mut readings = Readings::default();
    for at in 1..len {
        let (head, tail) = lower.split_at(at); // `lower` is ASCII (checked above) and at < len
        let Some(head_zipf) = part_zipf(head, tail, vocab) else {
            continue;
        };
        let Some(tail_zipf) = part_zipf(tail, head, vocab) else {
            continue;
        };
        let score = head_zipf + tail_zipf;
        // A derived word ("hyper|responsive", "there|ate") is a reading that cannot win, but
        // that may still make the token ambiguous.
        if derived(head, tail) {
            readings.rival(score);
            continue;
        }
        // Two content words: glue in prose ("administration|experienced"), but a solid compound
        // in technical writing ("test|suite", "bit|mask").
        // A particle after a word too: "rustup", "setup", "lookup" are names of things there.
        let compound = !lexicon::is_function_word(head) && !lexicon::is_function_word(tail)
            || PARTICLES.contains(tail);
        if compound && vocab.technical()
            || !place.prose && !lexicon::is_function_word(head) && !lexicon::is_function_word(tail)
        {
            continue;
        }
        // At a sentence's start a capital says nothing of a name, but two common words glued
        // there are as often a brand ("Blastwave", "Homefind"), and a name ends in what reads
        // as a function word ("Yukia", "Timmay", "Diplomatica"): only a function word that
        // opens the sentence, glued to a common word, reads as glue ("Theresults", "Inmost").
        if capitalized && place.sentence_start {
            if !CLOSED_CLASS.contains(head) || tail_zipf < MIN_INITIAL_PART_ZIPF {
                continue;
            }
        } else if capitalized {
            // Inside a sentence a capitalised token is a name, a brand or a title's word
            // ("Trymaine", "Coolscan", "3D Printshow", "Worstall", "Yukia"), unless a common
            // word is glued to a function word of four letters or more ("Clinictoday",
            // "Londonwith"): names end in short words ("Worst|all", "Tim|may") far more often.
            // Or the word that follows vouches for the tail: the two are a pair of the language
            // ("Lorenzgave a", "Durhamwas the", "Calhounleft the"), which the tail of a name
            // ("Worst|all wrote", "Yuki|a Amano") seldom is.
            let before_function_word = CLOSED_CLASS.contains(tail)
                && tail.len() >= 4
                && head_zipf >= MIN_INITIAL_PART_ZIPF
                && !CLOSED_CLASS.contains(head);
            // A head that is a common word makes a brand of two words ("Print|show with"); a
            // name is rarer as a word ("Lorenz", "Durham").
            let next_vouches = !place.next_word.is_empty()
                && lexicon::zipf(head).is_some_and(|z| {
                    z >= MIN_NAME_ZIPF && (z < MAX_NAME_ZIPF || lexicon::is_function_word(tail))
                })
                && tail_zipf >= MIN_INITIAL_PART_ZIPF
                && lexicon::ending_share(tail).is_some_and(|share| share < MAX_NAME_ENDING_SHARE)
                && !lexicon::is_function_word(head)
                && lexicon::pair_zipf(tail, place.next_word)
                    .is_some_and(|z| z >= MIN_NEXT_PAIR_ZIPF);
            if !before_function_word && !next_vouches {
                continue;
            }
        }
        readings.take(at, score);
    }
    let (at, score, second) = readings.best()?;
    // Two readings about as likely ("its|peak", "it|speak"): leave it. A misspelling may cut
    // into two words that are no pair of the language ("doll|oars"); two words that are one
    // ("and|other" beside "another") the pair model has already judged. Asked last: it looks up
    // every word one slip away.
    (score - second >= MARGIN && !is_misspelling(lower)).then_some(at)
}

/// Zipf of the common word a misspelling is one slip away from.
const MIN_MISSPELT_ZIPF: f32 = 3.0;

/// A common word with one letter wrong, missing, extra or swapped ("devistating", "dolloars",
/// "politecal", "themshelves"): a misspelling, which its letters may happen to cut into two
/// words, is not glue. Strings of seven letters or more: shorter ones are one slip from some
/// word whatever they are.
fn is_misspelling(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    if bytes.len() < 7 {
        return false;
    }
    let common = |w: &[u8]| {
        std::str::from_utf8(w)
            .ok()
            .and_then(lexicon::zipf)
            .is_some_and(|z| z >= MIN_MISSPELT_ZIPF)
    };
    let mut word = Vec::with_capacity(bytes.len() + 1);
    for i in 0..=bytes.len() {
        // One letter extra (at i), swapped (i, i+1), wrong (at i) or missing (before i).
        if i < bytes.len() {
            word.clear();
            word.extend_from_slice(&bytes[..i]);
            word.extend_from_slice(&bytes[i + 1..]);
            if common(&word) {
                return true;
            }
            if i + 1 < bytes.len() {
                word.clear();
                word.extend_from_slice(bytes);
                word.swap(i, i + 1);
                if common(&word) {
                    return true;
                }
            }
        }
        for letter in b'a'..=b'z' {
            word.clear();
            word.extend_from_slice(&bytes[..i]);
            word.push(letter);
            word.extend_from_slice(&bytes[i..]);
            if common(&word) {
                return true;
            }
            if i < bytes.len() && bytes[i] != letter {
                word.clear();
                word.extend_from_slice(bytes);
                word[i] = letter;
                if common(&word) {
                    return true;
                }
            }
        }
    }
    false
}

/// An inflected form of a word the lexicon knows ("formatters", "indirections", "clippies"):
/// a word, however its letters could be cut.
fn is_inflection(lower: &str, vocab: &Vocabulary) -> bool {
    const ENDINGS: &[(&str, &str)] = &[
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("er", ""),
        ("ers", ""),
        ("ly", ""),
    ];
    ENDINGS.iter().any(|(ending, restore)| {
        lower.strip_suffix(ending).is_some_and(|stem| {
            // Short rare stems are mostly junk of the web lexicon ("gasa", "wason"): "gasas" is
            // still "gas as". The lexicon has learned glued pairs as words too ("thehill",
            // "withit"): a stem the pair model reads as two words is no word.
            let word = format!("{stem}{restore}");
            let zipf = lexicon::zipf(&word);
            zipf.is_some_and(|z| z >= 2.5 || z >= 1.0 && word.len() >= 6)
                && by_pairs(&word, zipf, false, &WORD_ALONE, vocab).is_none()
        })
    })
}

/// The Zipf frequency of a candidate half, if it can stand as a word next to `other`.
fn part_zipf(part: &str, other: &str, vocab: &Vocabulary) -> Option<f32> {
    let zipf = lexicon::zipf(part);
    let z = zipf.unwrap_or(0.0);
    let ok = match part.len() {
        0..=2 => SHORT_PARTS.contains(part),
        3 => SHORT_PARTS.contains(part) || z >= MIN_SHORT_PART_ZIPF,
        // Beside a function word, a rarer word is enough ("knead|for", "the|retries"): that is
        // how most glue happens, and few real words are a rare word and a function word.
        5.. if z >= MIN_RARE_PART_ZIPF
            && (SHORT_PARTS.contains(other) || CLOSED_CLASS.contains(other)) =>
        {
            true
        }
        _ => z >= MIN_PART_ZIPF || vocab.vouches_for(part, zipf.is_some()),
    };
    ok.then_some(z.max(MIN_RARE_PART_ZIPF))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(token: &str) -> Option<String> {
        split(token, &WORD_ALONE, &Vocabulary::lexicon_only())
            .map(|at| format!("{} {}", &token[..at], &token[at..]))
    }

    #[test]
    fn splits_the_glued_pairs_of_scraped_pages() {
        assert_eq!(split_str("patientswith").as_deref(), Some("patients with"));
        assert_eq!(
            split_str("administrationexperienced").as_deref(),
            Some("administration experienced")
        );
        // Capitalised: a pair of the language with a function word in it, anywhere; by the
        // words alone, only at a sentence's start after a function word.
        let at_start = |t: &str| {
            split(
                t,
                &Place {
                    sentence_start: true,
                    ..WORD_ALONE
                },
                &Vocabulary::lexicon_only(),
            )
            .map(|at| format!("{} {}", &t[..at], &t[at..]))
        };
        assert_eq!(at_start("Theresults").as_deref(), Some("The results"));
        assert_eq!(split_str("Theywere").as_deref(), Some("They were"));
        assert_eq!(split_str("Pakistanto").as_deref(), Some("Pakistan to"));
        assert_eq!(split_str("Clinictoday").as_deref(), Some("Clinic today"));
        // Words the web lexicon learned glued, against the pair they are ("to make" is 5.1,
        // "tomake" 1.6); compounds in use are words ("everyday", "setup", "hereto").
        assert_eq!(split_str("tomake").as_deref(), Some("to make"));
        assert_eq!(split_str("willbe").as_deref(), Some("will be"));
        // Function words glued to a capitalised word in PDF text.
        assert_eq!(split_str("ofBergamo").as_deref(), Some("of Bergamo"));
        assert_eq!(
            split_str("theAssociation").as_deref(),
            Some("the Association")
        );
        assert_eq!(split_str("ofthe").as_deref(), Some("of the"));
        assert_eq!(
            split_str("treatmentoptions").as_deref(),
            Some("treatment options")
        );
    }

    #[test]
    fn leaves_words_names_and_derived_forms() {
        for token in [
            "therapy",
            "lathe",
            "bathe",
            "thereof",
            "hyperresponsive",
            "Stonebridge",
            "PointHealth",
            "iPhone",
            "neuroplasticity",
            "synaptogenesis",
            "bloatware",
            "ofthe1",
            "COVID",
            "Ketamine",
            "formatters",
            "indirections",
            "hashers",
            "clippies",
            "wakeups",
            // Compounds the web writes both ways, and words one slip from a common word.
            "everyday",
            "setup",
            "hereto",
            "beheld",
            "Sitemap",
            "Presskit",
            "devistating",
            "dolloars",
            "politecal",
            // Code: a method name is no function word and a capitalised word.
            "forEach",
            "toString",
            "iPhone",
            "eBay",
            "andThen",
            "onClick",
        ] {
            assert_eq!(split_str(token), None, "{token}");
        }
    }

    #[test]
    fn corpus_words_are_not_split() {
        struct Corpus;
        impl WordCounts for Corpus {
            fn documents_with(&self, word: &str) -> Option<u32> {
                Some(if word == "bookwell" { 12 } else { 0 })
            }
        }
        assert_eq!(
            split("bookwell", &WORD_ALONE, &Vocabulary::lexicon_only()),
            Some(4)
        );
        assert_eq!(
            split(
                "bookwell",
                &WORD_ALONE,
                &Vocabulary::new(&Corpus, String::new())
            ),
            None
        );
        // The document's own words count as well: a name used twice is not split.
        let doc = Vocabulary::new(&(), "Bookwell opened in May. Bookwell sells books.".into());
        assert_eq!(
            split(
                "Bookwell",
                &Place {
                    sentence_start: true,
                    ..WORD_ALONE
                },
                &doc
            ),
            None
        );
    }
}
