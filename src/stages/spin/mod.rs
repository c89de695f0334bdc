//! The spin stage: text an article spinner rewrote by swapping words for "synonyms" ("NMDA
//! receptor villain" for "antagonist", "Internal Family Equipments" for "Systems").
//!
//! Per document it adds up evidence into a spin score (points per 1,000 words) and flags the
//! document `spun` past a threshold:
//! - substitutions found by their context ([`collocation`]): a word whose pairs with its
//!   neighbours fluent writers do not use, where a thesaurus synonym of it makes common ones
//!   ("by quadruped percent" for "by four percent"); from 0.5 to 3 points each, by how much
//!   better the synonym fits. This is what finds spinners no table knows;
//! - known spinner substitutions from the reverse-spin table ([`table`]): 3 points for a strong
//!   one (a fixed term with a word swapped, a phrase next to no one writes), 1 for a weak one
//!   (correct English spinners overuse: "have actually", "due to the fact that");
//! - a term family broken inside the document: the canonical term and a spun variant of it both
//!   present ("Internal Family Systems" ... "Inner Family Equipments"): 3 points per term;
//! - an acronym whose spelled-out form does not match its letters ("Inner Family Equipments
//!   Treatment (IFS)"): the spinner changed the words but not the acronym; 3 points each.
//!
//! A single match never flags a document: it takes a score of at least [`THRESHOLD`], evidence
//! from at least [`MIN_DISTINCT`] different entries, and either two strong signals or
//! [`MIN_WEAK_ONLY`] different weak ones (a careful writer may use "have actually" and "research
//! study" in one page; a spinner uses a dozen such tics).
//!
//! In a document flagged spun, with `--spun repair` (the default), strong entries marked for
//! repair are rewritten to their canonical phrase (rules `spun_term` and `spun_phrase`), and
//! substitutions whose canonical word is clear (one synonym far ahead of the word and of every
//! other synonym) to that word (rule `spun_word`, with its evidence in the edit) when the
//! document scores at least [`WORD_REPAIR_THRESHOLD`], keeping the case of the text. Weak
//! evidence is never rewritten. The dedup signatures of a later stage are computed on this
//! repaired text, so a spun copy can be matched to its original.

pub mod collocation;
pub mod table;
pub mod thesaurus;

use crate::config::SpunMode;
use crate::document::Document;
use crate::patch::{self, Patch};
use crate::stages::stage::{Recorder, RuleSwitches};
use crate::stages::stage::{Stage, StageOutput};
use collocation::Substitution;
use regex::Regex;
use std::sync::LazyLock;
use table::{Action, Strength, TABLE};

/// Spin score (points per 1,000 words) from which a document is flagged, by default
/// (`--spin-threshold`).
pub const THRESHOLD: f64 = 18.0;
/// Substitutions found by their context are rewritten (rule `spun_word`) from this many times the
/// flag threshold. At the default, no clean article of the tune half scored above it (26 at
/// most); three quarters of the articles spun with a whole thesaurus score above it, and few spun
/// with a 500-word one.
pub const WORD_REPAIR_FACTOR: f64 = 2.0;

/// Names of every rule this stage can record.
pub const RULES: &[&str] = &["spun_term", "spun_phrase", "spun_word"];
/// Different table entries (or signals) a flagged document must show.
pub const MIN_DISTINCT: usize = 3;
/// Different weak entries that flag a document with fewer than two strong signals.
pub const MIN_WEAK_ONLY: usize = 6;
const STRONG_POINTS: f64 = 3.0;
const WEAK_POINTS: f64 = 1.0;
const FAMILY_POINTS: f64 = 3.0;
const ACRONYM_POINTS: f64 = 3.0;
/// Short documents are scored as if they had this many words, so one slip in a tweet is no flag.
const MIN_WORDS: f64 = 250.0;

pub struct Spin {
    pub mode: SpunMode,
    /// The score from which a document is flagged.
    pub threshold: f64,
    pub rules: RuleSwitches,
}

impl Spin {
    /// The stage with the default threshold and every rule on.
    pub fn new(mode: SpunMode) -> Spin {
        Spin {
            mode,
            threshold: THRESHOLD,
            rules: RuleSwitches::default(),
        }
    }
}

/// One match of the table in the document.
struct Hit {
    line: usize,
    range: std::ops::Range<usize>,
    entry: usize,
}

/// What the stage learned about a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub strong: usize,
    pub weak: usize,
    pub broken_families: usize,
    pub acronym_mismatches: usize,
    /// Words judged substitutions by their context.
    pub substitutions: usize,
    pub distinct: usize,
    /// Different weak entries matched.
    pub distinct_weak: usize,
    pub words: usize,
    pub score: f64,
}

impl Evidence {
    pub fn is_spun(&self, threshold: f64) -> bool {
        let strong_signals =
            self.strong + self.broken_families + self.acronym_mismatches + self.substitutions;
        self.score >= threshold
            && self.distinct >= MIN_DISTINCT
            && (strong_signals >= 2 || self.distinct_weak >= MIN_WEAK_ONLY)
    }
}

impl Stage for Spin {
    fn name(&self) -> &'static str {
        "spin"
    }

    fn run(&self, mut doc: Document) -> StageOutput {
        let mut rec = Recorder::new(&doc.id, "spin").with_switches(&self.rules);
        let hits = find_hits(&doc);
        // A word inside a table match is that match's evidence, counted once.
        let mut table_ranges: rustc_hash::FxHashMap<usize, Vec<std::ops::Range<usize>>> =
            Default::default();
        for h in &hits {
            table_ranges
                .entry(h.line)
                .or_default()
                .push(h.range.clone());
        }
        let substitutions = collocation::weigh(&doc, |s| {
            table_ranges.get(&s.line).is_some_and(|ranges| {
                ranges
                    .iter()
                    .any(|r| r.start < s.range.end && s.range.start < r.end)
            })
        });
        let evidence = weigh(&doc, &hits, &substitutions);
        doc.scores
            .insert("spin", (evidence.score * 100.0).round() / 100.0);
        if evidence.is_spun(self.threshold) {
            doc.flag("spun");
            if self.mode == SpunMode::Repair {
                // Words are judged one by one, so they are rewritten only where the document as
                // a whole is beyond doubt; a clean page past the threshold keeps every word.
                let words: &[Substitution] =
                    if evidence.score >= WORD_REPAIR_FACTOR * self.threshold {
                        &substitutions.repairable
                    } else {
                        &[]
                    };
                repair(&mut doc, &hits, words, &mut rec);
            }
        }
        rec.finish(doc)
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn find_hits(doc: &Document) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (line, l) in doc.lines.iter().enumerate() {
        let bytes = l.text.as_bytes();
        for m in TABLE.spun.find_iter(&l.text) {
            // i = m.start() - 1 < bytes.len(). The patterns are UTF-8 and only ASCII case is folded,
            // so a match starts and ends on char boundaries of the line.
            let before = m.start().checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(m.end()).copied();
            // Whole words only ("os" is not in "cost"); a hyphen joins words ("brand-new").
            if before.is_some_and(|b| is_word_byte(b) || b == b'-')
                || after.is_some_and(|b| is_word_byte(b) || b == b'-')
            {
                continue;
            }
            hits.push(Hit {
                line,
                range: m.range(),
                entry: m.pattern().as_usize(),
            });
        }
    }
    hits
}

fn weigh(doc: &Document, hits: &[Hit], substitutions: &collocation::Findings) -> Evidence {
    let (mut strong, mut weak) = (0, 0);
    let mut distinct = std::collections::BTreeSet::new();
    let mut distinct_weak = std::collections::BTreeSet::new();
    let mut spun_terms = std::collections::BTreeSet::new();
    for hit in hits {
        // Pattern ids of `spun` are positions in `entries` (built from it in order); hit.line is a
        // position in doc.lines, where find_hits found it.
        let entry = &TABLE.entries[hit.entry];
        if entry.action == Action::Heading && !is_whole_line(&doc.lines[hit.line].text, &hit.range)
        {
            continue;
        }
        match entry.strength {
            Strength::Strong => strong += 1,
            Strength::Weak => {
                weak += 1;
                distinct_weak.insert(hit.entry);
            }
        }
        distinct.insert(hit.entry);
        if let Some(term) = entry.term {
            spun_terms.insert(term);
        }
    }
    let mut canonical_terms = std::collections::BTreeSet::new();
    let mut words = 0;
    let mut acronym_mismatches = 0;
    for line in &doc.lines {
        words += crate::text::count_words(&line.text);
        // Canonical forms only count for a term also found spun: most documents have none, and
        // then the scan can find nothing that counts.
        if !spun_terms.is_empty() {
            for m in TABLE.canonical.find_iter(&line.text) {
                // canonical_term has one entry per pattern of `canonical`.
                canonical_terms.insert(TABLE.canonical_term[m.pattern().as_usize()]);
            }
        }
        acronym_mismatches += count_acronym_mismatches(&line.text);
    }
    let broken_families = spun_terms.intersection(&canonical_terms).count();
    let points = strong as f64 * STRONG_POINTS
        + weak as f64 * WEAK_POINTS
        + broken_families as f64 * FAMILY_POINTS
        + acronym_mismatches as f64 * ACRONYM_POINTS
        + substitutions.points;
    let score = points * 1000.0 / (words as f64).max(MIN_WORDS);
    let distinct =
        distinct.len() + broken_families.min(1) + acronym_mismatches.min(1) + substitutions.words;
    let distinct_weak = distinct_weak.len();
    Evidence {
        strong,
        weak,
        broken_families,
        acronym_mismatches,
        substitutions: substitutions.words,
        distinct,
        distinct_weak,
        words,
        score,
    }
}

/// Whether a match is a heading: the whole line, or its label before a colon ("Final thought:
/// A New Standard").
/// `range` is a match of the table in `line`: in range and on char boundaries.
fn is_whole_line(line: &str, range: &std::ops::Range<usize>) -> bool {
    let rest = line[range.end..].trim();
    line[..range.start]
        .trim()
        .trim_start_matches(['#', '*', ' '])
        .is_empty()
        && (rest.trim_end_matches([':', '.', '*']).is_empty() || rest.starts_with(':'))
}

/// One rewrite of a flagged document, with the rule that makes it and, for a judgement, why.
struct Rewrite {
    patch: Patch,
    rule: &'static str,
    evidence: Option<String>,
}

fn repair(doc: &mut Document, hits: &[Hit], substitutions: &[Substitution], rec: &mut Recorder) {
    let mut by_line: Vec<Vec<Rewrite>> = (0..doc.lines.len()).map(|_| Vec::new()).collect();
    // As in `weigh`: entry ids index `entries`, hit.line indexes doc.lines (and by_line, one per
    // line), and hit.range is a match in that line, on char boundaries.
    for hit in hits {
        let entry = &TABLE.entries[hit.entry];
        let text = &doc.lines[hit.line].text;
        let allowed = match entry.action {
            Action::Repair => entry.strength == Strength::Strong,
            Action::Heading => is_whole_line(text, &hit.range),
            Action::Evidence => false,
        };
        let rule = if entry.term.is_some() {
            "spun_term"
        } else {
            "spun_phrase"
        };
        if allowed && rec.is_on(rule) {
            let with = match_case(&text[hit.range.clone()], &entry.canonical);
            by_line[hit.line].push(Rewrite {
                patch: Patch::new(hit.range.clone(), with),
                rule,
                evidence: None,
            });
        }
    }
    // Substitutions come from `collocation::weigh` of these lines, repairable ones only, none
    // inside a table match (`run` set those aside) and one per word: line indexes doc.lines,
    // range is an ASCII word of it, apart from every other rewrite.
    for sub in substitutions.iter().filter(|_| rec.is_on("spun_word")) {
        let word = &doc.lines[sub.line].text[sub.range.clone()];
        by_line[sub.line].push(Rewrite {
            patch: Patch::new(sub.range.clone(), match_case(word, &sub.canonical)),
            rule: "spun_word",
            evidence: Some(sub.evidence(word)),
        });
    }
    for (line, mut rewrites) in doc.lines.iter_mut().zip(by_line) {
        // One patch at a time, last first, so offsets stay valid and each edit keeps its rule.
        rewrites.sort_by_key(|r| std::cmp::Reverse(r.patch.range.start));
        let mut changes = Vec::new();
        for r in rewrites {
            let (text, change) = patch::apply(&line.text, std::slice::from_ref(&r.patch));
            changes.extend(change.into_iter().map(|c| (r.rule, r.evidence.clone(), c)));
            line.text = text;
        }
        for (rule, evidence, c) in changes.into_iter().rev() {
            match evidence {
                Some(e) => rec.record_with_evidence(rule, c.before, c.after, line.origin, e),
                None => rec.record(rule, c.before, c.after, line.origin),
            }
        }
    }
}

/// `canonical` written in the case of `found`: lower, Capitalized, Title Case or UPPER.
fn match_case(found: &str, canonical: &str) -> String {
    let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return canonical.to_uppercase();
    }
    let words: Vec<&str> = found.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let title = words.len() > 1 && words.iter().filter(|w| w.len() > 3).all(|w| capital(w));
    let capitalize = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    };
    if title {
        // Acronyms in the canonical form ("nmda") are written in capitals, other words capitalized.
        let original: Vec<&str> = found.split(' ').collect();
        return canonical
            .split(' ')
            .map(|w| {
                if let Some(o) = original.iter().find(|o| o.eq_ignore_ascii_case(w)) {
                    o.to_string() // A word the spinner left: as written ("NMDA", "Post-Traumatic").
                } else if w.len() <= 3
                    && matches!(w, "of" | "and" | "the" | "for" | "in" | "on" | "to" | "a")
                {
                    w.to_string()
                } else {
                    capitalize(w)
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    // Words kept from the original keep their spelling ("NMDA receptor villain").
    let original: Vec<&str> = found.split(' ').collect();
    let mut out: Vec<String> = canonical
        .split(' ')
        .map(|w| {
            original
                .iter()
                .find(|o| o.eq_ignore_ascii_case(w))
                .map_or(w.to_string(), |o| o.to_string())
        })
        .collect();
    if capital(found) {
        if let Some(first) = out.first_mut() {
            *first = capitalize(first);
        }
    }
    out.join(" ")
}

/// Parenthesised acronyms whose spelled-out form, just before them in Title Case, misses their
/// letters by exactly one word: the spinner swapped a word of the name but not the acronym
/// ("Inner Family Equipments Treatment (IFS)"). Lowercase expansions ("brain-derived
/// neurotrophic factor (BDNF)"), unrelated ones ("Doctors Without Borders (MSF)") and runs cut
/// by punctuation are not counted.
fn count_acronym_mismatches(line: &str) -> usize {
    static ACRONYM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\(([A-Z]{3,6})\)").expect("valid pattern"));
    const SMALL: &[&str] = &[
        "of", "and", "for", "the", "in", "on", "to", "&", "with", "a",
    ];
    // Most lines hold no parenthesis, and a regex search allocates its captures even to find none.
    if memchr::memchr(b'(', line.as_bytes()).is_none() {
        return 0;
    }
    let mut count = 0;
    for c in ACRONYM.captures_iter(line) {
        // Group 1 is not optional in ACRONYM, and an ASCII `(` comes before it: `start() - 1` is
        // that `(`, a char boundary. letters.len() >= 3, so `letters.len() - 1` below is fine.
        let acronym = c.get(1).unwrap();
        let letters: Vec<char> = acronym.as_str().chars().collect();
        let mut initials: Vec<char> = Vec::new();
        for word in line[..acronym.start() - 1]
            .split_whitespace()
            .rev()
            .take(letters.len() + 4)
        {
            if SMALL.contains(&word) {
                continue;
            }
            let title_case = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().all(|ch| ch.is_alphabetic() || ch == '-');
            if !title_case {
                break; // The Title Case run ends: lowercase, a number or punctuation.
            }
            let parts = word
                .split('-')
                .filter_map(|p| p.chars().next())
                .filter(|ch| ch.is_uppercase());
            initials.splice(0..0, parts);
        }
        if initials.len() < letters.len() {
            continue;
        }
        let best = initials
            .windows(letters.len())
            .map(|w| w.iter().zip(&letters).filter(|(a, b)| a == b).count())
            .max()
            .unwrap_or(0);
        if best == letters.len() - 1 {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_follows_the_text() {
        assert_eq!(
            match_case("Internal Family Equipments", "internal family systems"),
            "Internal Family Systems"
        );
        assert_eq!(
            match_case("NMDA receptor villain", "nmda receptor antagonist"),
            "NMDA receptor antagonist"
        );
        assert_eq!(
            match_case("top quality of life", "quality of life"),
            "quality of life"
        );
        assert_eq!(match_case("Final thought", "conclusion"), "Conclusion");
        assert_eq!(
            match_case("LACK OF BREATH", "shortness of breath"),
            "SHORTNESS OF BREATH"
        );
        assert_eq!(
            match_case(
                "Generalized Anxiousness Condition",
                "generalized anxiety disorder"
            ),
            "Generalized Anxiety Disorder"
        );
        assert_eq!(
            match_case(
                "Post-Traumatic Tension Condition",
                "post-traumatic stress disorder"
            ),
            "Post-Traumatic Stress Disorder"
        );
    }

    #[test]
    fn a_term_used_both_ways_is_a_broken_family() {
        let families = |text: &str| {
            let doc = Document::from_text("d", text);
            weigh(&doc, &find_hits(&doc), &Default::default()).broken_families
        };
        let both = "Generalized anxiety disorder is common.\nPeople with generalized anxiousness condition worry.";
        assert_eq!(families(both), 1);
        assert_eq!(
            families("Generalized anxiety disorder is common.\nPeople with it worry."),
            0
        );
        assert_eq!(
            families("People with generalized anxiousness condition worry."),
            0
        );
    }

    #[test]
    fn acronyms_that_do_not_spell_their_words_are_counted() {
        assert_eq!(
            count_acronym_mismatches("Inner Family Equipments Treatment (IFS) offers a structure"),
            1
        );
        assert_eq!(
            count_acronym_mismatches("Internal Family Systems (IFS) offers a structure"),
            0
        );
        assert_eq!(
            count_acronym_mismatches("the World Health Organization (WHO) said"),
            0
        );
        assert_eq!(
            count_acronym_mismatches("Obsessive-Compulsive Disorder (OCD) is common"),
            0
        );
        assert_eq!(
            count_acronym_mismatches("brain-derived neurotrophic factor (BDNF)"),
            0
        );
        assert_eq!(
            count_acronym_mismatches("blocking the N-methyl-D-aspartate (NMDA) receptor"),
            0
        );
        assert_eq!(
            count_acronym_mismatches("Internal Family Systems Therapy (IFS) offers"),
            0
        );
        assert_eq!(
            count_acronym_mismatches("Doctors Without Borders (MSF) sent a team"),
            0
        );
        assert_eq!(count_acronym_mismatches("OEM Turkish; Turkish (DOS)"), 0);
    }
}
