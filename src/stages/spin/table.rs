//! The reverse-spin table: known spinner substitutions and the phrases they replaced.
//!
//! Built once from three files shipped in `data/spin/` (see their headers and `data/README.md`):
//! - `phrases.tsv`: spun phrase -> canonical phrase, with strength and action;
//! - `terms.tsv`: fixed terms and collocations that spinners break word by word;
//! - `substitutes.tsv`: the words spinners swap inside those terms.
//!
//! Every variant of a term (one or more of its words swapped) becomes an entry of its own, so a
//! table of a few dozen terms covers thousands of spun phrasings ("Inner Family Equipments",
//! "generalized anxiousness conditions") without listing them.

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static PHRASES: &str = include_str!("../../../data/spin/phrases.tsv");
static TERMS: &str = include_str!("../../../data/spin/terms.tsv");
static SUBSTITUTES: &str = include_str!("../../../data/spin/substitutes.tsv");

/// How telling a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Next to never written by a person.
    Strong,
    /// Correct English that spinners produce far more often than writers do.
    Weak,
}

/// What may be done with a match in a document flagged spun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Rewrite it to the canonical phrase.
    Repair,
    /// Rewrite it only when it is a whole line (a heading).
    Heading,
    /// Count it, never rewrite it.
    Evidence,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub spun: String,
    pub canonical: String,
    pub strength: Strength,
    pub action: Action,
    /// The term this entry is a variant of, for spotting a term used both ways in one document.
    pub term: Option<usize>,
}

pub struct Table {
    pub entries: Vec<Entry>,
    /// Finds every entry's spun phrase, ASCII case-insensitively, longest first.
    pub spun: AhoCorasick,
    /// Finds every term's canonical form (and its plural).
    pub canonical: AhoCorasick,
    /// For each pattern of `canonical`, the term it belongs to.
    pub canonical_term: Vec<usize>,
}

pub static TABLE: LazyLock<Table> = LazyLock::new(build);

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn build() -> Table {
    let mut entries = Vec::new();
    let mut seen: FxHashMap<String, ()> = FxHashMap::default();
    for row in rows(PHRASES) {
        let [spun, canonical, strength, action] = row[..] else {
            panic!("phrases.tsv: bad row {row:?}")
        };
        let strength = match strength {
            "strong" => Strength::Strong,
            "weak" => Strength::Weak,
            other => panic!("phrases.tsv: unknown strength {other}"),
        };
        let action = match action {
            "repair" => Action::Repair,
            "heading" => Action::Heading,
            "evidence" => Action::Evidence,
            other => panic!("phrases.tsv: unknown action {other}"),
        };
        if seen.insert(spun.to_string(), ()).is_none() {
            entries.push(Entry {
                spun: spun.into(),
                canonical: canonical.into(),
                strength,
                action,
                term: None,
            });
        }
    }

    let substitutes: FxHashMap<&str, Vec<&str>> = rows(SUBSTITUTES)
        .map(|row| (row[0], row[1].split(',').map(str::trim).collect()))
        .collect();
    let mut canonical_patterns = Vec::new();
    let mut canonical_term = Vec::new();
    for (index, row) in rows(TERMS).enumerate() {
        let [term, kind] = row[..] else {
            panic!("terms.tsv: bad row {row:?}")
        };
        let (strength, action) = match kind {
            "name" => (Strength::Strong, Action::Repair),
            "collocation" => (Strength::Weak, Action::Evidence),
            other => panic!("terms.tsv: unknown kind {other}"),
        };
        for (canonical, variants) in [
            (term.to_string(), variants(term, &substitutes)),
            plural(term, &substitutes),
        ] {
            canonical_patterns.push(canonical.clone());
            canonical_term.push(index);
            for spun in variants {
                if seen.insert(spun.clone(), ()).is_none() {
                    entries.push(Entry {
                        spun,
                        canonical: canonical.clone(),
                        strength,
                        action,
                        term: Some(index),
                    });
                }
            }
        }
    }

    let matcher = |patterns: Vec<&str>| {
        AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .expect("spin table patterns build")
    };
    Table {
        spun: matcher(entries.iter().map(|e| e.spun.as_str()).collect()),
        canonical: matcher(canonical_patterns.iter().map(String::as_str).collect()),
        canonical_term,
        entries,
    }
}

/// Every form of `term` with at least one word swapped for a substitute.
fn variants(term: &str, substitutes: &FxHashMap<&str, Vec<&str>>) -> Vec<String> {
    let mut forms: Vec<(String, bool)> = vec![(String::new(), false)];
    for word in term.split(' ') {
        let mut next = Vec::new();
        for (prefix, changed) in &forms {
            let join = |w: &str| {
                if prefix.is_empty() {
                    w.to_string()
                } else {
                    format!("{prefix} {w}")
                }
            };
            next.push((join(word), *changed));
            for sub in substitutes
                .get(word)
                .into_iter()
                .flatten()
                .filter(|s| **s != word)
            {
                next.push((join(sub), true));
            }
        }
        forms = next;
        if forms.len() > 512 {
            break; // A runaway term; it would be truncated, so it is left out entirely below.
        }
    }
    if forms
        .iter()
        .any(|(f, _)| f.split(' ').count() < term.split(' ').count())
    {
        return Vec::new();
    }
    forms
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(f, _)| f)
        .collect()
}

/// The plural of a term and of its variants ("anxiety disorders", "anxiety conditions").
fn plural(term: &str, substitutes: &FxHashMap<&str, Vec<&str>>) -> (String, Vec<String>) {
    // Uncountable terms get a plural that never matches ("machine learnings"): harmless.
    let pluralize = |s: &str| match s.strip_suffix('y') {
        _ if s.ends_with('s') => None,
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => Some(format!("{stem}ies")),
        _ => Some(format!("{s}s")),
    };
    match pluralize(term) {
        Some(p) => (
            p,
            variants(term, substitutes)
                .iter()
                .filter_map(|v| pluralize(v))
                .collect(),
        ),
        None => (term.to_string(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(spun: &str) -> Option<&'static Entry> {
        TABLE.entries.iter().find(|e| e.spun == spun)
    }

    #[test]
    fn terms_expand_into_their_spun_variants() {
        assert_eq!(
            lookup("internal family equipments").unwrap().canonical,
            "internal family systems"
        );
        assert_eq!(
            lookup("inner family equipments").unwrap().canonical,
            "internal family systems"
        );
        assert_eq!(
            lookup("generalized anxiousness condition")
                .unwrap()
                .canonical,
            "generalized anxiety disorder"
        );
        assert_eq!(
            lookup("nmda receptor villain").unwrap().canonical,
            "nmda receptor antagonist"
        );
        assert_eq!(
            lookup("post-traumatic tension conditions")
                .unwrap()
                .canonical,
            "post-traumatic stress disorders"
        );
        // Collocation variants are evidence only: "mental wellness" is also plain English.
        assert_eq!(lookup("mental wellness").unwrap().action, Action::Evidence);
        // The canonical form is never an entry.
        assert!(lookup("internal family systems").is_none());
    }

    #[test]
    fn phrases_keep_their_strength_and_action() {
        let e = lookup("top quality of life").unwrap();
        assert_eq!(
            (e.canonical.as_str(), e.strength, e.action),
            ("quality of life", Strength::Strong, Action::Repair)
        );
        assert_eq!(lookup("final thought").unwrap().action, Action::Heading);
        assert_eq!(lookup("have actually").unwrap().strength, Strength::Weak);
    }
}
