//! Substitutions found by their context, for spinners no table knows.
//!
//! A spinner swaps a word for a "synonym" without looking at its neighbours, so spun text is full
//! of word pairs fluent writers do not use ("by quadruped percent", "threescore years old") where
//! a synonym of the word makes a common one ("by four percent"). For each content word with a
//! neighbour it is rarely seen next to, this asks the thesaurus ([`super::thesaurus`]) which
//! common words it may stand for, and the reference pair counts ([`lexicon::known_pair_zipf`]) how
//! much better each of them fits between the same neighbours:
//!
//! - the fit of a word between its neighbours is the Zipf frequency of each pair it makes; a pair
//!   the reference list lacks (fewer than 100,000 uses in a trillion words) is given what two
//!   words that frequent would make by chance, capped below the list's floor; with two
//!   neighbours, a frequent word's own frequency is taken off once, since a frequent word makes
//!   frequent pairs with anything;
//! - a word whose pairs are all in the list is left alone: fluent text;
//! - the gain of a synonym is its fit less the word's, less log10 of how many words of the
//!   thesaurus may stand for it (a spinner reaching "great" from any of 200 words is no evidence
//!   that this one was "great").
//!
//! Evidence is a gain of at least [`MIN_GAIN`]. The constants were chosen on text spun with one
//! half of the thesaurus's pairs and checked on the other half and on a second thesaurus
//! (`benches/spin_eval.py`; figures in the README).
//!
//! Only English prose is read: not code lines, not words glued to digits, hyphens or other
//! scripts, not capitalised words inside a sentence (names), not function words.

use super::thesaurus::THESAURUS;
use crate::document::Document;
use crate::lexicon::{self, known_pair_zipf, Known};
use std::ops::Range;

/// Gain (log10 of how much more often the synonym's pairs are used) from which a word counts as
/// a substitution.
pub const MIN_GAIN: f32 = 1.0;
/// Gain from which a substitution in a document flagged spun is rewritten...
pub const REPAIR_GAIN: f32 = 2.5;
/// ...when no other synonym comes within this much of it: the canonical form is clear.
pub const REPAIR_LEAD: f32 = 2.0;
/// An absent pair is scored as two independent words this frequent would be, plus this much...
const ABSENT_BONUS: f32 = 0.5;
/// ...but never as high as the list's floor (Zipf 2.0), which every listed pair reaches.
const ABSENT_CAP: f32 = 1.95;
/// How much of a word's own frequency is taken off its fit when it has two neighbours.
const FREQUENCY_DISCOUNT: f32 = 0.5;
/// Uses of a word in one document beyond which it is the document's own vocabulary.
const MAX_USES: usize = 2;
/// Words this frequent ("important", "service": Zipf 5) are what spinners replace, seldom what
/// they put in: in spun text 3% of the substitutions found were such words, in clean text a
/// third of the words weighed.
const MAX_WORD_ZIPF: f32 = 5.0;
/// Most points one substitution adds to a document's evidence.
const MAX_POINTS: f32 = 3.0;

/// A word that a synonym would fit far better between its neighbours.
#[derive(Debug, Clone)]
pub struct Substitution {
    /// Index in the document's lines.
    pub line: usize,
    /// Byte range of the word in the line.
    pub range: Range<usize>,
    /// The synonym that fits best, lowercase.
    pub canonical: String,
    pub gain: f32,
    /// The gain of the second-best synonym (negative infinity when there is none).
    pub runner_up: f32,
    /// The neighbours the fit was judged on.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Substitution {
    /// The weight of this substitution in the document's spin score.
    pub fn points(&self) -> f64 {
        f64::from((self.gain - MIN_GAIN + 0.5).min(MAX_POINTS))
    }

    /// Whether the canonical form is clear enough to rewrite.
    pub fn is_repairable(&self) -> bool {
        self.gain >= REPAIR_GAIN
            && self.gain - self.runner_up >= REPAIR_LEAD
            && !lexicon::is_function_word(&self.canonical)
            && !is_english_stopword(&self.canonical)
    }

    /// Why the word was judged a substitution, for the edit log.
    pub fn evidence(&self, word: &str) -> String {
        let show = |w: &str| {
            [self.before.as_deref(), Some(w), self.after.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        };
        format!(
            "\"{}\" -> \"{}\": pairs {:.1} log10 more frequent{}",
            show(&word.to_ascii_lowercase()),
            show(&self.canonical),
            self.gain,
            if self.runner_up.is_finite() {
                format!(", next synonym {:.1}", self.runner_up)
            } else {
                String::new()
            }
        )
    }
}

/// What the substitutions of a document add up to. A document of random words may hold millions,
/// so they are summed per word as they are found, and only those clear enough to rewrite are kept.
#[derive(Debug, Default)]
pub struct Findings {
    /// Their points (see [`Substitution::points`]).
    pub points: f64,
    /// Different words found substituted.
    pub words: usize,
    /// Those whose canonical form is clear enough to rewrite, in document order.
    pub repairable: Vec<Substitution>,
}

/// The substitutions of one word of the document, while it is read.
#[derive(Default)]
struct WordFindings {
    points: f64,
    /// At most [`MAX_USES`]: a word used more often counts for nothing.
    repairable: Vec<Substitution>,
}

/// The substitutions of a document that count, but for those `skip` sets aside (a word inside a
/// table match is that match's evidence). A word the document uses more than [`MAX_USES`] times
/// is its own vocabulary ("the crate provides"), not a spinner's random pick, which varies from
/// one occurrence to the next: never one. Uses are counted in the same pass that finds the
/// substitutions, and a word's findings are dropped at the end if it turned out to be repeated:
/// one reading of the text rather than two.
pub fn weigh(doc: &Document, skip: impl Fn(&Substitution) -> bool) -> Findings {
    let mut per_word: rustc_hash::FxHashMap<u32, WordFindings> = Default::default();
    let uses = scan(doc, |s, word| {
        if skip(&s) {
            return;
        }
        let found = per_word.entry(word).or_default();
        found.points += s.points();
        if s.is_repairable() {
            found.repairable.push(s);
        }
    });
    let mut findings = Findings::default();
    for (word, found) in per_word {
        if uses.get(&word).is_some_and(|&n| n as usize > MAX_USES) {
            continue;
        }
        findings.points += found.points;
        findings.words += 1;
        findings.repairable.extend(found.repairable);
    }
    findings.repairable.sort_by_key(|s| (s.line, s.range.start));
    findings
}

/// Uses of each word of the lexicon a document holds that could be a substitution, by its
/// number.
type Uses = rustc_hash::FxHashMap<u32, u32>;

/// Every substitution of an English document (none for any other), with the number of its word,
/// in document order, but none for a word already used more than [`MAX_USES`] times; and the uses
/// of each word, for the caller to drop those of words used more often later.
fn scan(doc: &Document, mut each: impl FnMut(Substitution, u32)) -> Uses {
    let mut uses = Uses::default();
    if !lexicon::English::of(&opening(doc)).confirmed() {
        return uses;
    }
    for (index, line) in doc.lines.iter().enumerate() {
        let text = &line.text;
        let judged = !(text.len() < 8
            || crate::text::looks_like_code(text)
            || crate::text::has_identifier(text));
        scan_line(text, index, judged, &mut uses, &mut each);
    }
    uses
}

/// The first few thousand bytes of a document, which is all a language test reads: the whole text
/// of a 200 MB document would be copied for nothing.
fn opening(doc: &Document) -> String {
    const BYTES: usize = 8192;
    let mut out = String::new();
    for line in &doc.lines {
        if out.len() >= BYTES {
            break;
        }
        let mut end = (BYTES - out.len()).min(line.text.len());
        while !line.text.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line.text[..end]);
        out.push('\n');
    }
    out
}

/// A run of ASCII letters (with an inner apostrophe: "don't") standing as a word.
struct Token {
    range: Range<usize>,
    /// Nothing but whitespace or sentence punctuation touches it: not part of "brand-new",
    /// "x86", "naïve" or a URL.
    standalone: bool,
    /// Whitespace alone separates it from the previous token.
    joined_to_previous: bool,
    /// The first in its sentence, as far as the line shows.
    starts_sentence: bool,
}

/// The tokens of a line, one at a time: a line may be a whole 200 MB document.
struct Tokens<'a> {
    line: &'a str,
    at: usize,
    /// Where the previous token ended, once there is one.
    previous_end: Option<usize>,
}

fn tokens(line: &str) -> Tokens<'_> {
    Tokens {
        line,
        at: 0,
        previous_end: None,
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let (line, bytes) = (self.line, self.line.as_bytes());
        let mut i = self.at;
        while i < bytes.len() && !bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i == bytes.len() {
            self.at = i;
            return None;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphabetic()
                || (bytes[i] == b'\''
                    && i > start
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)))
        {
            i += 1;
        }
        self.at = i;
        // start and i are ASCII positions of the line, so char boundaries.
        let before = line[..start].chars().next_back();
        let after = line[i..].chars().next();
        let opens =
            |c: char| c.is_whitespace() || matches!(c, '"' | '(' | '[' | '\u{201c}' | '\u{2018}');
        let closes = |c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | '"' | ')' | ']' | '\u{201d}' | '\u{2019}'
                )
        };
        let standalone = before.is_none_or(opens) && after.is_none_or(closes);
        let joined_to_previous = self.previous_end.is_some_and(|end| {
            let gap = &line[end..start];
            !gap.is_empty() && gap.chars().all(char::is_whitespace)
        });
        self.previous_end = Some(i);
        let starts_sentence = line[..start]
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | '\u{201c}'))
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':'));
        Some(Token {
            range: start..i,
            standalone,
            joined_to_previous,
            starts_sentence,
        })
    }
}

/// [`scan`] of one line, `judged` or only counted (a code line's words are still the
/// document's vocabulary).
fn scan_line(
    line: &str,
    index: usize,
    judged: bool,
    uses: &mut Uses,
    each: &mut impl FnMut(Substitution, u32),
) {
    // Each token with its entry in the lexicon, looked up once: it is also a neighbour of the
    // token before and of the one after.
    let read = |t: Token, uses: &mut Uses| {
        let known = lexicon::known(&line[t.range.clone()]);
        if let Some(k) = known.filter(|k| k.zipf < MAX_WORD_ZIPF && t.range.len() >= 3) {
            *uses.entry(k.id).or_default() += 1;
        }
        (t, known)
    };
    let mut stream = tokens(line);
    if !judged {
        stream.for_each(|t| {
            read(t, uses);
        });
        return;
    }
    let mut lower = String::new();
    let mut previous: Option<(Token, Option<Known>)> = None;
    let mut current = stream.next().map(|t| read(t, uses));
    while let Some(here) = current {
        let next = stream.next().map(|t| read(t, uses));
        if let (Some(s), Some(k)) = (
            judge(
                line,
                index,
                previous.as_ref(),
                &here,
                next.as_ref(),
                uses,
                &mut lower,
            ),
            here.1,
        ) {
            each(s, k.id);
        }
        previous = Some(here);
        current = next;
    }
}

/// The substitution the token `here` of line `index` is, if any, judged between its neighbours.
/// `lower` is a buffer for the word in lowercase.
fn judge(
    line: &str,
    index: usize,
    previous: Option<&(Token, Option<Known>)>,
    here: &(Token, Option<Known>),
    next: Option<&(Token, Option<Known>)>,
    uses: &Uses,
    lower: &mut String,
) -> Option<Substitution> {
    let (t, known) = here;
    let written = &line[t.range.clone()];
    if !t.standalone || written.len() < 3 || !eligible_case(written, t.starts_sentence) {
        return None;
    }
    let kw = known.filter(|k| k.zipf < MAX_WORD_ZIPF)?;
    if uses.get(&kw.id).is_some_and(|&n| n as usize > MAX_USES) {
        return None; // Already the document's own word.
    }
    lower.clear();
    lower.push_str(written);
    lower.make_ascii_lowercase();
    let w = lower.as_str();
    if lexicon::is_function_word(w) || is_english_stopword(w) {
        return None;
    }
    let before = previous
        .filter(|_| t.joined_to_previous)
        .and_then(|(p, k)| Some((p, (*k)?)));
    let after = next
        .filter(|(n, _)| n.joined_to_previous)
        .and_then(|(n, k)| Some((n, (*k)?)));
    let (b, a) = (before.map(|x| x.1), after.map(|x| x.1));
    if b.is_none() && a.is_none() {
        return None;
    }
    let (fit_w, listed_w) = fit(b, kw, a);
    if listed_w == usize::from(b.is_some()) + usize::from(a.is_some()) {
        return None; // Every pair it makes is a common one.
    }
    let (synonyms, plural) = match THESAURUS.replaced_by(w) {
        Some(s) => (s, false),
        None => (THESAURUS.replaced_by(w.strip_suffix('s')?)?, true),
    };
    let (mut best, mut runner_up): (Option<(f32, &str)>, f32) = (None, f32::NEG_INFINITY);
    for c in synonyms {
        // A plural word stands for a plural synonym (one ending in s is taken as it is).
        let plural = plural && !c.word.ends_with('s');
        let Some(kc) = (if plural { c.plural } else { c.known }) else {
            continue;
        };
        let (fit_c, listed_c) = fit(b, kc, a);
        if listed_c == 0 {
            continue; // No common pair for it either: no evidence either way.
        }
        let gain = fit_c - fit_w - c.log_degree;
        if gain <= runner_up {
            continue; // It changes nothing.
        }
        // A spelling or inflection of the word ("industrialised") is no spinner's; asked only
        // of a synonym that could count.
        if gain >= MIN_GAIN && is_variant(w, c.word) {
            continue;
        }
        match best {
            Some((top, _)) if gain <= top => runner_up = gain,
            _ => {
                if let Some((top, _)) = best {
                    runner_up = top;
                }
                best = Some((gain, c.word));
            }
        }
    }
    let (gain, word) = best.filter(|(g, _)| *g >= MIN_GAIN)?;
    let canonical = if plural && !word.ends_with('s') {
        format!("{word}s")
    } else {
        word.to_string()
    };
    let neighbour =
        |n: Option<(&Token, Known)>| n.map(|(n, _)| line[n.range.clone()].to_ascii_lowercase());
    Some(Substitution {
        line: index,
        range: t.range.clone(),
        canonical,
        gain,
        runner_up,
        before: neighbour(before),
        after: neighbour(after),
    })
}

/// How well a word fits between its neighbours (see the module docs), and how many of the pairs
/// it makes are in the reference list.
fn fit(before: Option<Known>, word: Known, after: Option<Known>) -> (f32, usize) {
    let side = |a: Known, b: Known| match known_pair_zipf(a, b) {
        Some(z) => (z, 1),
        None => ((a.zipf + b.zipf - 9.0 + ABSENT_BONUS).min(ABSENT_CAP), 0),
    };
    let mut total = 0.0;
    let mut listed = 0;
    let mut sides = 0;
    if let Some(b) = before {
        let (z, l) = side(b, word);
        total += z;
        listed += l;
        sides += 1;
    }
    if let Some(a) = after {
        let (z, l) = side(word, a);
        total += z;
        listed += l;
        sides += 1;
    }
    (
        total - FREQUENCY_DISCOUNT * word.zipf * (sides - 1) as f32,
        listed,
    )
}

/// Whether two words are spellings or inflections of one word ("industrialised" and
/// "industrialized", "decisions" and "decision"): a thesaurus lists some, a spinner does not
/// make them.
fn is_variant(word: &str, other: &str) -> bool {
    let common = word
        .bytes()
        .zip(other.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    common + 2 >= word.len().min(other.len())
        || strsim::normalized_damerau_levenshtein(word, other) >= 0.75
}

/// Lowercase, or Capitalised at the start of a sentence. A capital inside a sentence is a name
/// or a title; capitals throughout are an acronym.
fn eligible_case(word: &str, starts_sentence: bool) -> bool {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() => word.bytes().all(|b| !b.is_ascii_uppercase()),
        Some(c) if c.is_ascii_uppercase() => {
            starts_sentence && chars.all(|c| !c.is_ascii_uppercase())
        }
        _ => false,
    }
}

/// One of the 150 most frequent English words: too common to be a spinner's pick.
fn is_english_stopword(w: &str) -> bool {
    static ENGLISH: std::sync::LazyLock<u32> =
        std::sync::LazyLock::new(|| lexicon::language_bit("en"));
    lexicon::stopword_languages(w) & *ENGLISH != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        let doc = Document::from_text("d", text);
        let mut out = Vec::new();
        let uses = scan(&doc, |s, word| out.push((s, word)));
        out.into_iter()
            .filter(|(_, word)| uses[word] as usize <= MAX_USES)
            .map(|(s, _)| (doc.lines[s.line].text[s.range].to_string(), s.canonical))
            .collect()
    }

    #[test]
    fn tokens_know_their_neighbours() {
        let t: Vec<Token> = tokens("The brand-new (red) car, naïve x86 drivers.").collect();
        let words: Vec<_> = t
            .iter()
            .map(|t| (t.standalone, t.joined_to_previous))
            .collect();
        // The, brand, new, red, car, na, ve, x, drivers
        assert_eq!(words[0], (true, false));
        assert_eq!(words[1], (false, true));
        assert_eq!(words[2], (false, false));
        assert_eq!(words[3], (true, false));
        assert_eq!(words[4], (true, false));
        assert!(!words[5].0 && !words[6].0);
        assert!(t[0].starts_sentence && !t[4].starts_sentence);
    }

    #[test]
    fn spun_collocations_point_to_their_canonical_words() {
        let text =
            "The plan, which takes effect in July, raises total spending by quadruped percent \
                    and keeps the tax rate at its current level. The library is more than \
                    threescore years old, and a recent study found serious problems with its roof.";
        let subs = found(text);
        assert!(
            subs.contains(&("quadruped".into(), "four".into())),
            "{subs:?}"
        );
        assert!(
            subs.contains(&("threescore".into(), "sixty".into())),
            "{subs:?}"
        );
        assert_eq!(subs.len(), 2, "{subs:?}");
    }

    #[test]
    fn fluent_text_gives_no_evidence() {
        let text =
            "The company reported strong quarterly earnings on Tuesday, and its shares rose \
                    in early trading. Analysts had expected weaker results because of rising costs \
                    and slowing demand in Europe. The chief executive said the firm would keep \
                    investing in new products and hire more engineers next year.";
        assert_eq!(found(text), Vec::<(String, String)>::new());
    }

    #[test]
    fn other_languages_and_code_are_not_read() {
        assert!(
            found("El receptor villain de la casa es muy grande y la gente lo sabe bien.")
                .is_empty()
        );
        let code = "let receptor_villain = counterfeit_consciousness(); // receptor villain";
        assert!(found(code).is_empty());
    }
}
