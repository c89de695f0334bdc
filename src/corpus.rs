//! Corpus statistics, counted by the corpus pass (`commands/job/corpus_pass.rs`) before any
//! document is cleaned, and the questions stages and dedup ask of them. Nothing here reads or
//! normalizes a document:
//! - in how many documents of each site every short line occurs. Lines that recur across many
//!   pages of a site are its template (navigation, footers, notices): the strongest boilerplate
//!   signal;
//! - in how many documents every rare word occurs (words the lexicon does not know or knows as
//!   rare). A form the corpus uses again and again is its jargon or a name, not two glued words.

use crate::text::line_key;
use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_64;

/// Lines longer than this are paragraphs: boilerplate never removes them (a repeated paragraph
/// inside an article may be content), but dedup leaves a site's repeated paragraphs out of its
/// comparisons (`SiteStats::is_template`).
pub const MAX_WORDS: usize = 30;
/// A line in at least this many documents of its site, and this share of them, is the site's
/// template: a short line on two pages of a small site is their template (a real folder has one
/// to three pages of most sites, and two pages sharing a menu must not look alike for it); a
/// paragraph needs three, as two copies of one article share all of theirs.
const TEMPLATE_MIN_DOCS: u32 = 2;
pub const TEMPLATE_MIN_DOCS_LONG: u32 = 3;
const TEMPLATE_MIN_SHARE: f64 = 0.02;
/// Past this many distinct lines, lines seen in one document only are forgotten (lossy counting),
/// which bounds memory on very large corpora.
const MAX_KEYS: usize = 8_000_000;

#[derive(Debug, Default)]
pub struct CorpusStats {
    /// (site, folded line hash) -> documents it occurs in. Keys are hashes already: Fx is enough.
    counts: FxHashMap<(u64, u64), LineCount>,
    /// site hash -> documents of that site.
    site_docs: FxHashMap<u64, u32>,
    /// folded line hash -> documents of the whole corpus it occurs in, whatever their site: most
    /// sites of a scraped folder have one to three pages, too few to show their template, but
    /// navigation and footers recur from site to site ("Home", "Advertisement", "Sign In").
    corpus_lines: FxHashMap<u64, u32>,
    /// lowercase rare word hash -> documents it occurs in.
    words: FxHashMap<u64, u32>,
    /// Whether rare words are counted: only repair asks for them, and they cost as much as the
    /// lines.
    rare_words: bool,
    /// site hash -> the letter counts of its template lines, as a set of counts modulo
    /// `LETTER_SET_BITS`. Built on first use, once the counts are complete.
    template_letters: std::sync::OnceLock<FxHashMap<u64, LetterSet>>,
}

/// The documents a line occurs in, the ASCII letters of its folded form, and whether it is longer
/// than [`MAX_WORDS`].
#[derive(Debug, Default, Clone, Copy)]
struct LineCount {
    docs: u32,
    letters: u32,
    long: bool,
}

/// A set of letter counts (modulo its size). Asking whether a line is a site's template is
/// mostly asking about lines that are not: a line whose letter count no template line of its
/// site has is not one, found without folding the line or reading the (large) table of counts.
const LETTER_SET_BITS: usize = 1024;
type LetterSet = Box<[u64; LETTER_SET_BITS / 64]>;

fn is_template_count(docs: u32, site_docs: u32, long: bool) -> bool {
    let min = if long {
        TEMPLATE_MIN_DOCS_LONG
    } else {
        TEMPLATE_MIN_DOCS
    };
    docs >= min && f64::from(docs) >= TEMPLATE_MIN_SHARE * f64::from(site_docs)
}

/// Words at least this common in the language are not counted: the lexicon already knows them.
const COMMON_ZIPF: f32 = 3.0;

impl CorpusStats {
    /// Empty statistics; rare words are counted only if `rare_words` (repair asks for them).
    pub fn new(rare_words: bool) -> CorpusStats {
        CorpusStats {
            rare_words,
            ..CorpusStats::default()
        }
    }

    /// In how many documents of `site` this line occurs, and how many documents the site has.
    pub fn frequency(&self, site: &str, line: &str) -> (u32, u32) {
        self.site(site).frequency(line)
    }

    /// The statistics of one site, for looking up many of its lines.
    pub fn site(&self, site: &str) -> SiteStats<'_> {
        let site = site_key(site);
        let docs = self.site_docs.get(&site).copied().unwrap_or(0);
        SiteStats {
            stats: self,
            site,
            docs,
            template_letters: self.template_letters().get(&site),
        }
    }

    pub fn add_document(&mut self, site: &str, text: &str) {
        self.add_lines(site, crate::text::split_lines(text));
    }

    /// Count a document given as its lines (a normalized document is counted as it is, not
    /// joined into one text first: for a huge document that would be its size again).
    pub fn add_lines<'t>(&mut self, site: &str, lines: impl Iterator<Item = &'t str> + Clone) {
        // Blank lines have no key, and `line_key` trims a `\r`.
        let mut keys: Vec<(u64, u32, bool)> = lines
            .clone()
            .filter_map(|line| line_key(line).map(|(key, letters)| (key, letters, is_long(line))))
            .collect();
        keys.sort_unstable();
        keys.dedup_by_key(|&mut (hash, _, _)| hash);
        for &(key, _, _) in &keys {
            *self.corpus_lines.entry(key).or_default() += 1;
        }
        if self.corpus_lines.len() > MAX_KEYS {
            self.corpus_lines.retain(|_, n| *n > 1);
        }
        self.count_lines(site_key(site), keys);
        if self.rare_words {
            self.count_rare_words(lines);
        }
    }

    /// Statistics over texts held in memory, each with its site, counted as the corpus pass counts
    /// a file's documents (without normalizing them): for tests and fuzzing.
    pub fn of_texts<'t>(
        rare_words: bool,
        texts: impl IntoIterator<Item = (&'t str, &'t str)>,
    ) -> CorpusStats {
        let mut stats = CorpusStats {
            rare_words,
            ..CorpusStats::default()
        };
        for (site, text) in texts {
            stats.add_document(site, text);
        }
        stats
    }

    /// Count one document of the site with hash `site`, holding the lines with these keys
    /// (distinct, each with its letters when known).
    fn count_lines(&mut self, site: u64, keys: impl IntoIterator<Item = (u64, u32, bool)>) {
        *self.site_docs.entry(site).or_default() += 1;
        for (key, letters, long) in keys {
            let count = self.counts.entry((site, key)).or_insert(LineCount {
                docs: 0,
                letters,
                long,
            });
            count.docs += 1;
        }
        if self.counts.len() > MAX_KEYS {
            self.counts.retain(|_, n| n.docs > 1);
        }
        self.template_letters = Default::default();
    }

    /// Count one document of the site with hash `site` by the keys of its lines (distinct, as
    /// [`crate::dedup::Scan::keys`] gives them), when the documents are counted as they are
    /// cleaned rather than in a first pass. Counted so, the lines' letters are not known: ask
    /// [`CorpusStats::is_template_key`], not [`SiteStats::is_template`], whose letter prefilter
    /// needs them.
    /// Each key comes with whether its line is longer than [`MAX_WORDS`].
    pub fn count_keys(&mut self, site: u64, keys: &[(u64, bool)]) {
        self.count_lines(site, keys.iter().map(|&(k, long)| (k, 0, long)));
    }

    /// Whether the line with this key is the template of the site with hash `site`.
    pub fn is_template_key(&self, site: u64, key: u64) -> bool {
        let docs = self.site_docs.get(&site).copied().unwrap_or(0);
        self.counts
            .get(&(site, key))
            .is_some_and(|n| is_template_count(n.docs, docs, n.long))
    }

    fn count_rare_words<'t>(&mut self, lines: impl Iterator<Item = &'t str>) {
        let mut seen = FxHashSet::default();
        let mut lower = String::new();
        for word in lines
            .flat_map(|line| line.split(|c: char| !c.is_ascii_alphabetic()))
            .filter(|w| w.len() >= 4)
        {
            lower.clear();
            lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            if crate::lexicon::zipf(&lower).is_none_or(|z| z < COMMON_ZIPF) {
                seen.insert(xxh3_64(lower.as_bytes()));
            }
        }
        for key in seen {
            *self.words.entry(key).or_default() += 1;
        }
        if self.words.len() > MAX_KEYS {
            self.words.retain(|_, n| *n > 1);
        }
    }

    /// The letter counts of each site's template lines (see [`LetterSet`]).
    fn template_letters(&self) -> &FxHashMap<u64, LetterSet> {
        self.template_letters.get_or_init(|| {
            let mut sets: FxHashMap<u64, LetterSet> = FxHashMap::default();
            for (&(site, _), n) in &self.counts {
                let site_docs = self.site_docs.get(&site).copied().unwrap_or(0);
                if is_template_count(n.docs, site_docs, n.long) {
                    let bit = n.letters as usize % LETTER_SET_BITS;
                    sets.entry(site)
                        .or_insert_with(|| Box::new([0; LETTER_SET_BITS / 64]))[bit / 64] |=
                        1 << (bit % 64);
                }
            }
            sets
        })
    }

    /// In how many documents of the whole corpus, whatever their site, this line occurs (case,
    /// digits, spacing and list markers ignored, as for a site's lines).
    pub fn corpus_documents(&self, line: &str) -> u32 {
        line_key(line).map_or(0, |(key, _)| {
            self.corpus_lines.get(&key).copied().unwrap_or(0)
        })
    }

    /// In how many documents of the corpus a word occurs (case-insensitive); counted only for
    /// words rarer than Zipf 3 in the language, and 0 for the others.
    pub fn word_documents(&self, word: &str) -> Option<u32> {
        if !self.rare_words {
            return None;
        }
        let lower = word.to_ascii_lowercase();
        Some(
            self.words
                .get(&xxh3_64(lower.as_bytes()))
                .copied()
                .unwrap_or(0),
        )
    }

    pub fn merge(mut self, other: CorpusStats) -> CorpusStats {
        for (k, n) in other.counts {
            self.counts
                .entry(k)
                .or_insert(LineCount {
                    docs: 0,
                    letters: n.letters,
                    long: n.long,
                })
                .docs += n.docs;
        }
        for (k, n) in other.site_docs {
            *self.site_docs.entry(k).or_default() += n;
        }
        for (k, n) in other.corpus_lines {
            *self.corpus_lines.entry(k).or_default() += n;
        }
        for (k, n) in other.words {
            *self.words.entry(k).or_default() += n;
        }
        self
    }
}

/// One site's view of the statistics.
pub struct SiteStats<'a> {
    stats: &'a CorpusStats,
    site: u64,
    /// Documents of the site.
    pub docs: u32,
    /// The letter counts of its template lines; none when it has no template line.
    template_letters: Option<&'a LetterSet>,
}

impl SiteStats<'_> {
    /// In how many documents of the site this line occurs, and how many documents it has.
    pub fn frequency(&self, line: &str) -> (u32, u32) {
        if self.docs == 0 {
            return (0, 0);
        }
        let Some((key, _)) = line_key(line) else {
            return (0, self.docs);
        };
        (
            self.stats
                .counts
                .get(&(self.site, key))
                .map_or(0, |n| n.docs),
            self.docs,
        )
    }

    /// [`SiteStats::frequency`] and [`CorpusStats::corpus_documents`] of one line, folded once.
    pub fn frequency_and_corpus(&self, line: &str) -> (u32, u32, u32) {
        let Some((key, _)) = line_key(line) else {
            return (0, self.docs, 0);
        };
        let with = self
            .stats
            .counts
            .get(&(self.site, key))
            .map_or(0, |n| n.docs);
        let corpus = self.stats.corpus_lines.get(&key).copied().unwrap_or(0);
        (with, self.docs, corpus)
    }

    /// Whether the line recurs across enough of the site's documents to be its template.
    pub fn is_template(&self, line: &str) -> bool {
        if line.is_ascii() {
            let letters = crate::text::ascii_letters(line.as_bytes()) as usize % LETTER_SET_BITS;
            let has = |set: &&LetterSet| set[letters / 64] >> (letters % 64) & 1 == 1;
            if !self.template_letters.is_some_and(|set| has(&set)) {
                return false;
            }
        }
        let (n, docs) = self.frequency(line);
        is_template_count(n, docs, is_long(line))
    }
}

/// Longer than [`MAX_WORDS`]: a paragraph, not a line of a template's furniture.
pub fn is_long(line: &str) -> bool {
    crate::text::words(line) > MAX_WORDS
}

/// The hash a site is counted by.
pub fn site_key(site: &str) -> u64 {
    xxh3_64(site.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_per_site_not_occurrences() {
        let mut stats = CorpusStats::default();
        stats.add_document("a.org", "Home\nHome\nA story about boats.\n© 2024 A Org");
        stats.add_document("a.org", "Home\nA story about trains.\n© 2025 A Org");
        stats.add_document("b.org", "Home\n");
        assert_eq!(stats.frequency("a.org", "HOME"), (2, 2));
        assert_eq!(
            stats.frequency("a.org", "© 2031 a org"),
            (2, 2),
            "years fold together"
        );
        assert_eq!(
            stats.frequency("a.org", "- Home"),
            (2, 2),
            "list markers are ignored"
        );
        assert_eq!(stats.frequency("b.org", "Home"), (1, 1));
        stats.add_document("a.org", "Part 2");
        assert_eq!(
            stats.frequency("a.org", "Part 3"),
            (0, 3),
            "other numbers do not fold"
        );
    }

    #[test]
    fn template_lines_are_found_whatever_their_case_spacing_and_year() {
        let mut stats = CorpusStats::default();
        for n in 0..5 {
            stats.add_document("a.org", &format!("Subscribe to our newsletter\nStory number {n} about boats.\n© 2024 A Org, all rights reserved"));
        }
        let site = stats.site("a.org");
        for line in [
            "Subscribe to our newsletter",
            "  SUBSCRIBE   to our Newsletter ",
            "- subscribe to our newsletter",
            "© 1999 a org,  all rights RESERVED",
        ] {
            assert!(site.is_template(line), "{line}");
        }
        // Same letters as a template line but another line; and a line seen once.
        for line in [
            "Newsletter our to subscribe",
            "Story number 3 about boats.",
            "Subscribe to our newsletters",
        ] {
            assert!(!site.is_template(line), "{line}");
        }
        // The letter prefilter never changes the answer of the counts themselves.
        for line in [
            "Subscribe to our newsletter",
            "Story number 3 about boats.",
            "© 2024 A Org, all rights reserved",
            "",
            "•",
        ] {
            let (n, docs) = site.frequency(line);
            assert_eq!(
                site.is_template(line),
                is_template_count(n, docs, is_long(line)),
                "{line}"
            );
        }
        assert!(!stats
            .site("b.org")
            .is_template("Subscribe to our newsletter"));
    }

    #[test]
    fn counting_scans_as_they_flow_finds_what_the_corpus_pass_finds() {
        // The labelled pages: several sites, each with its template, and copies across sites.
        use crate::dedup::{Fingerprint, Scan};
        use crate::document::Document;
        let corpus = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/dedup/labelled.jsonl"
        ))
        .unwrap();
        let docs: Vec<(String, Document)> = corpus
            .lines()
            .map(|line| {
                let record = crate::read::jsonl::parse_text(line.as_bytes(), "text", "id").unwrap();
                (
                    crate::read::site_of("labelled.jsonl", record.url.as_deref()),
                    Document::from_text("x", &record.text),
                )
            })
            .collect();
        let (mut first_pass, mut on_the_way) = (CorpusStats::default(), CorpusStats::default());
        for (site, doc) in &docs {
            first_pass.add_document(site, &doc.text());
            on_the_way.count_keys(site_key(site), &Scan::of(doc, true).keys());
        }
        let mut template_lines = 0;
        for (site, doc) in &docs {
            let stats = first_pass.site(site);
            let is_template = |line: &str| stats.is_template(line);
            let expected = Fingerprint::with_template(doc, &is_template);
            let found = Scan::of(doc, true)
                .finish(|_, key| key != 0 && on_the_way.is_template_key(site_key(site), key));
            assert_eq!(
                (found.exact, found.words, &found.signature, &found.sets),
                (
                    expected.exact,
                    expected.words,
                    &expected.signature,
                    &expected.sets
                )
            );
            assert_eq!(found.lines, expected.lines);
            template_lines += doc.lines.iter().filter(|l| is_template(&l.text)).count();
        }
        assert!(
            template_lines > docs.len(),
            "the pages have template lines to leave out: {template_lines}"
        );
    }
}
