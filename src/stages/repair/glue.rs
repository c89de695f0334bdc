//! Glued words: two words run together when a scraper dropped the space or the element boundary
//! between them ("patientswith", "administrationexperienced", "Clinictoday").
//!
//! A token is split only when every test below agrees, because splitting a real word is worse
//! than leaving a glued pair:
//! - it is plain letters, lowercase or Capitalized (CamelCase, capitals, digits, `@ # / _ .` mark
//!   names, handles, URLs, identifiers and units, which are never split);
//! - it is not a word: absent from the lexicon, or one of the junk forms the web lexicon has
//!   learned from glued text itself ("ofthe", "inthe": a preposition glued to "the");
//! - it is not a word *of this corpus*: a form seen in several documents is someone's name or
//!   jargon, not an accident;
//! - exactly one split turns it into two words that are common (short parts must be function
//!   words; a part that is rare in the language counts if the corpus uses it often), without a
//!   bound prefix or suffix ("hyper|responsive", "bloat|ware");
//! - a Capitalized token (a name, perhaps) is split only before a function word or a time word
//!   ("Clinic|today", "Patients|with"), never into two content words ("Stone|bridge").
//!
//! The document itself must be in the lexicon's language (English): see [`is_english`].

use crate::lexicon;

/// What the corpus knows about a word: in how many documents it occurs. `None` without a corpus.
pub trait WordCounts {
    fn documents_with(&self, word: &str) -> Option<u32>;
}

impl WordCounts for () {
    fn documents_with(&self, _: &str) -> Option<u32> {
        None
    }
}

/// Words of two or three letters that may stand as one half of a split. Other short strings
/// ("ad", "al", "ex", "ion") are letters of longer words far more often than words.
const SHORT_PARTS: &[&str] = &[
    "a", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my", "no", "of", "on",
    "or", "so", "to", "up", "us", "we", "all", "and", "any", "are", "but", "can", "did", "for", "had", "has",
    "her", "his", "how", "its", "may", "new", "not", "now", "our", "out", "own", "she", "the", "too", "two",
    "was", "who", "why", "you", "way", "day", "use", "one",
];

/// Words a Capitalized token may be split before: a name glued to a content word is
/// indistinguishable from a longer name, but names do not end in these.
const CLOSED_CLASS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "because", "been", "before",
    "but", "by", "can", "could", "did", "does", "during", "each", "for", "from", "had", "has", "have",
    "here", "how", "if", "in", "into", "is", "it", "its", "may", "might", "more", "most", "must", "not",
    "now", "of", "on", "or", "other", "our", "over", "should", "since", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "today", "tomorrow", "under", "until", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "will", "with", "within", "without", "would", "yesterday", "you", "your",
];

/// Prepositions the web lexicon has learned glued to "the" ("ofthe" has a Zipf of 3.3).
const GLUED_BEFORE_THE: &[&str] =
    &["of", "in", "to", "on", "for", "from", "with", "at", "by", "and", "into", "is", "was", "that", "as"];

/// Bound prefixes: "hyperresponsive" is one word the lexicon happens not to know.
const PREFIXES: &[&str] = &[
    "anti", "auto", "bio", "co", "counter", "cyber", "de", "dis", "eco", "electro", "extra", "geo", "hydro",
    "hyper", "hypo", "inter", "intra", "macro", "mega", "meta", "micro", "mid", "mini", "mis", "mono", "multi",
    "neuro", "non", "off", "omni", "out", "over", "para", "photo", "poly", "post", "pre", "pro", "proto",
    "pseudo", "psycho", "re", "retro", "semi", "socio", "sub", "super", "tele", "thermo", "trans", "tri",
    "ultra", "un", "under", "up", "well", "self", "cross", "back", "down", "fore", "head", "hand", "home",
    "life", "work", "web", "net", "air", "sea", "sun", "water", "fire", "mind", "body", "heart", "man",
];

/// Bound suffixes and the word-forming endings the lexicon lists as words ("able", "less").
const SUFFIXES: &[&str] = &[
    "able", "ible", "less", "ness", "ful", "fully", "ship", "hood", "ment", "ments", "wise", "ward", "wards",
    "like", "dom", "some", "ism", "isms", "ist", "ists", "ity", "ities", "tion", "tions", "sion", "ing", "ings",
    "ed", "er", "ers", "est", "ly", "ware", "wear", "land", "man", "men", "woman", "women", "house", "work",
    "works", "side", "time", "times", "day", "days", "way", "ways", "line", "lines", "point", "points", "book",
    "books", "room", "rooms", "board", "boards", "body", "one", "thing", "where", "ever", "self", "selves",
    "fold", "scape", "gate", "type", "types", "phile", "phobia", "logy", "graphy", "gram", "scope", "meter",
];

/// Zipf a part of four letters or more needs to count as a word.
const MIN_PART_ZIPF: f32 = 3.0;
/// Zipf a three-letter part outside [`SHORT_PARTS`] needs.
const MIN_SHORT_PART_ZIPF: f32 = 4.5;
/// A token seen in this many documents of the corpus is a word of the corpus.
const CORPUS_WORD_DOCS: u32 = 3;
/// A part rare in the language counts as a word if this many documents of the corpus use it.
const CORPUS_PART_DOCS: u32 = 5;

/// Where to split `token`, if it is two glued words: the byte offset of the second word.
pub fn split(token: &str, corpus: &dyn WordCounts) -> Option<usize> {
    let len = token.len();
    if !(5..=40).contains(&len) || !token.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let capitalized = token.as_bytes()[0].is_ascii_uppercase();
    if token.bytes().skip(1).any(|b| b.is_ascii_uppercase()) {
        return None; // CamelCase or capitals: a name, brand or acronym.
    }
    let lower = token.to_ascii_lowercase();

    if let Some(known) = lexicon::zipf(&lower) {
        // Only the glued-to-"the" junk the lexicon has picked up from the web; "lathe" and
        // "bathe" are safe because "la" and "ba" are not in the list.
        let head = lower.strip_suffix("the")?;
        return (GLUED_BEFORE_THE.contains(&head) && known < 4.0).then_some(head.len());
    }
    if corpus.documents_with(&lower).is_some_and(|n| n >= CORPUS_WORD_DOCS) {
        return None;
    }

    let mut found = None;
    for at in 1..len {
        let (head, tail) = lower.split_at(at);
        if !is_part(head, corpus) || !is_part(tail, corpus) {
            continue;
        }
        if PREFIXES.contains(&head) || SUFFIXES.contains(&tail) {
            return None; // A derived word, not two words.
        }
        if capitalized && !CLOSED_CLASS.contains(&tail) {
            continue;
        }
        if found.is_some() {
            return None; // Two readings: ambiguous, leave it.
        }
        found = Some(at);
    }
    found
}

fn is_part(part: &str, corpus: &dyn WordCounts) -> bool {
    if part.len() <= 2 {
        return SHORT_PARTS.contains(&part);
    }
    let zipf = lexicon::zipf(part).unwrap_or(0.0);
    if part.len() == 3 {
        return SHORT_PARTS.contains(&part) || zipf >= MIN_SHORT_PART_ZIPF;
    }
    zipf >= MIN_PART_ZIPF || corpus.documents_with(part).is_some_and(|n| n >= CORPUS_PART_DOCS) && zipf > 0.0
}

/// Whether a text is English enough for an English lexicon to judge its words: most of its
/// words (three letters or more) are common English words. French, German or Spanish text has
/// many words the web lexicon knows too, but not most of them at this frequency.
pub fn is_english(text: &str) -> bool {
    let mut words = 0u32;
    let mut known = 0u32;
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| w.len() >= 3) {
        words += 1;
        if lexicon::zipf(word).is_some_and(|z| z >= 3.0) {
            known += 1;
        }
        if words >= 2000 {
            break; // Enough to know.
        }
    }
    words >= 8 && known * 100 >= words * 80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(token: &str) -> Option<String> {
        split(token, &()).map(|at| format!("{} {}", &token[..at], &token[at..]))
    }

    #[test]
    fn splits_the_glued_pairs_of_scraped_pages() {
        assert_eq!(split_str("patientswith").as_deref(), Some("patients with"));
        assert_eq!(split_str("administrationexperienced").as_deref(), Some("administration experienced"));
        assert_eq!(split_str("Clinictoday").as_deref(), Some("Clinic today"));
        assert_eq!(split_str("ofthe").as_deref(), Some("of the"));
        assert_eq!(split_str("treatmentoptions").as_deref(), Some("treatment options"));
    }

    #[test]
    fn leaves_words_names_and_derived_forms() {
        for token in [
            "therapy", "lathe", "bathe", "thereof", "hyperresponsive", "Stonebridge", "PointHealth", "iPhone",
            "neuroplasticity", "synaptogenesis", "bloatware", "ofthe1", "COVID", "Ketamine",
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
        assert_eq!(split("bookwell", &()), Some(4));
        assert_eq!(split("bookwell", &Corpus), None);
    }

    #[test]
    fn knows_english_from_other_languages() {
        assert!(is_english("The patients who received the treatment reported fewer symptoms after a month."));
        assert!(!is_english("Les patients qui ont reçu le traitement ont signalé moins de symptômes après un mois."));
        assert!(!is_english("Die Patienten, die die Behandlung erhielten, berichteten nach einem Monat weniger Symptome."));
    }
}
