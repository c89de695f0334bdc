//! Corpus statistics gathered in a first pass over the inputs, before any document is cleaned:
//! - in how many documents of each site every short line occurs. Lines that recur across many
//!   pages of a site are its template (navigation, footers, notices): the strongest boilerplate
//!   signal;
//! - in how many documents every rare word occurs (words the lexicon does not know or knows as
//!   rare). A form the corpus uses again and again is its jargon or a name, not two glued words.

use crate::read::{charset, jsonl, Kind, Source};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_64;

/// Lines longer than this are paragraphs: boilerplate never removes them (a repeated paragraph
/// inside an article may be content), but dedup leaves a site's repeated paragraphs out of its
/// comparisons (`SiteStats::is_template`).
pub const MAX_WORDS: usize = 30;
/// A line in at least this many documents of its site, and this share of them, is the site's
/// template.
const TEMPLATE_MIN_DOCS: u32 = 3;
const TEMPLATE_MIN_SHARE: f64 = 0.02;
/// Past this many distinct lines, lines seen in one document only are forgotten (lossy counting),
/// which bounds memory on very large corpora.
const MAX_KEYS: usize = 8_000_000;

#[derive(Debug, Default)]
pub struct CorpusStats {
    /// (site, folded line hash) -> documents it occurs in. Keys are hashes already: Fx is enough.
    counts: FxHashMap<(u64, u64), u32>,
    /// site hash -> documents of that site.
    site_docs: FxHashMap<u64, u32>,
    /// lowercase rare word hash -> documents it occurs in.
    words: FxHashMap<u64, u32>,
    /// Whether rare words are counted: only repair asks for them, and they cost as much as the
    /// lines.
    rare_words: bool,
}

/// Words at least this common in the language are not counted: the lexicon already knows them.
const COMMON_ZIPF: f32 = 3.0;

impl CorpusStats {
    /// In how many documents of `site` this line occurs, and how many documents the site has.
    pub fn frequency(&self, site: &str, line: &str) -> (u32, u32) {
        self.site(site).frequency(line)
    }

    /// The statistics of one site, for looking up many of its lines.
    pub fn site(&self, site: &str) -> SiteStats<'_> {
        let site = xxh3_64(site.as_bytes());
        SiteStats { stats: self, site, docs: self.site_docs.get(&site).copied().unwrap_or(0) }
    }

    fn add_document(&mut self, site: &str, text: &str) {
        let site = xxh3_64(site.as_bytes());
        *self.site_docs.entry(site).or_default() += 1;
        // Blank lines and a final empty one have no key, and `line_key` trims a `\r`: this is
        // `text.lines()`, found faster.
        let mut keys: Vec<u64> = crate::document::split_lines(text).filter_map(line_key).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            *self.counts.entry((site, key)).or_default() += 1;
        }
        if self.counts.len() > MAX_KEYS {
            self.counts.retain(|_, n| *n > 1);
        }
        if !self.rare_words {
            return;
        }
        let mut seen = FxHashSet::default();
        let mut lower = String::new();
        for word in text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 4) {
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

    /// In how many documents of the corpus a word occurs (case-insensitive); counted only for
    /// words rarer than Zipf 3 in the language, and 0 for the others.
    pub fn word_documents(&self, word: &str) -> Option<u32> {
        if !self.rare_words {
            return None;
        }
        let lower = word.to_ascii_lowercase();
        Some(self.words.get(&xxh3_64(lower.as_bytes())).copied().unwrap_or(0))
    }

    fn merge(mut self, other: CorpusStats) -> CorpusStats {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
        for (k, n) in other.site_docs {
            *self.site_docs.entry(k).or_default() += n;
        }
        for (k, n) in other.words {
            *self.words.entry(k).or_default() += n;
        }
        self
    }

    /// Count every document of the sources (unreadable ones are left to the main pass to report):
    /// lines always, rare words if `rare_words`. With `normalize`, the lines counted are those the
    /// normalize step will leave, the lines boilerplate and dedup look up: normalize joins lines
    /// broken by hard wrapping, and a template line joined to its neighbour must be counted as it
    /// will be seen.
    pub fn gather(sources: &[Source], text_field: &str, id_field: &str, rare_words: bool, normalize: bool) -> CorpusStats {
        sources
            .par_iter()
            .filter(|s| !s.is_stdin())
            .map(|source| {
                let mut stats = CorpusStats { rare_words, ..CorpusStats::default() };
                let add = |stats: &mut CorpusStats, site: &str, text: &str| {
                    if normalize {
                        use crate::pipeline::Stage;
                        let doc = crate::stages::normalize::Normalize.run(crate::document::Document::from_text("", text)).doc;
                        stats.add_document(site, &doc.text());
                    } else {
                        stats.add_document(site, text);
                    }
                };
                if crate::interrupt::requested() {
                    return stats;
                }
                match source.kind {
                    Kind::Text => {
                        let Ok(bytes) = std::fs::read(&source.path) else { return stats };
                        let site = site_of(&source.rel, None);
                        // Valid UTF-8, the common case, is used in place; anything else decoded.
                        match std::str::from_utf8(&bytes) {
                            Ok(text) => add(&mut stats, &site, text.trim_start_matches('\u{feff}')),
                            Err(_) => {
                                if let Ok(decoded) = charset::decode(&bytes) {
                                    add(&mut stats, &site, &decoded.text);
                                }
                            }
                        }
                    }
                    Kind::Jsonl(compression) => {
                        if let Ok(reader) = jsonl::open(&source.path, compression) {
                            let lines = jsonl::Lines::new(reader).map_while(Result::ok);
                            for line in lines.take_while(|_| !crate::interrupt::requested()) {
                                if let Ok(record) = jsonl::parse_text(&line.bytes, text_field, id_field) {
                                    add(&mut stats, &site_of(&source.rel, record.url.as_deref()), &record.text);
                                }
                            }
                        }
                    }
                    Kind::Other => {}
                }
                stats
            })
            .reduce(|| CorpusStats { rare_words, ..CorpusStats::default() }, CorpusStats::merge)
    }
}

/// One site's view of the statistics.
pub struct SiteStats<'a> {
    stats: &'a CorpusStats,
    site: u64,
    /// Documents of the site.
    pub docs: u32,
}

impl SiteStats<'_> {
    /// In how many documents of the site this line occurs, and how many documents it has.
    pub fn frequency(&self, line: &str) -> (u32, u32) {
        if self.docs == 0 {
            return (0, 0);
        }
        let Some(key) = line_key(line) else { return (0, self.docs) };
        (self.stats.counts.get(&(self.site, key)).copied().unwrap_or(0), self.docs)
    }

    /// Whether the line recurs across enough of the site's documents to be its template.
    pub fn is_template(&self, line: &str) -> bool {
        let (n, docs) = self.frequency(line);
        n >= TEMPLATE_MIN_DOCS && f64::from(n) >= TEMPLATE_MIN_SHARE * f64::from(docs)
    }
}

/// The key of a line: its folded form (case, digits, spacing and list markers ignored) hashed.
fn line_key(line: &str) -> Option<u64> {
    let body = line.trim().trim_start_matches(|c: char| matches!(c, '-' | '*' | '+' | '•' | '·' | '◦' | '▪' | '>') || c.is_whitespace());
    crate::stages::boilerplate::fold_hash(body)
}

/// The site of a document: its URL's host when it has one, else the first folder of its path.
pub fn site_of(rel: &str, url: Option<&str>) -> String {
    if let Some(host) = url.and_then(|u| u.split_once("://")).map(|(_, rest)| rest.split('/').next().unwrap_or("")) {
        if !host.is_empty() {
            return host.trim_start_matches("www.").to_lowercase();
        }
    }
    rel.split_once('/').map(|(top, _)| top.to_string()).unwrap_or_default()
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
        assert_eq!(stats.frequency("a.org", "© 2031 a org"), (2, 2), "years fold together");
        assert_eq!(stats.frequency("a.org", "- Home"), (2, 2), "list markers are ignored");
        assert_eq!(stats.frequency("b.org", "Home"), (1, 1));
        stats.add_document("a.org", "Part 2");
        assert_eq!(stats.frequency("a.org", "Part 3"), (0, 3), "other numbers do not fold");
    }

    #[test]
    fn sites_come_from_urls_or_folders() {
        assert_eq!(site_of("x.jsonl", Some("https://www.Example.org/a/b")), "example.org");
        assert_eq!(site_of("siteA/page1.txt", None), "siteA");
        assert_eq!(site_of("page1.txt", None), "");
    }
}

impl crate::stages::repair::glue::WordCounts for CorpusStats {
    fn documents_with(&self, word: &str) -> Option<u32> {
        self.word_documents(word)
    }
}
