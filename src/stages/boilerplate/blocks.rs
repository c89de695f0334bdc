//! What the block model sees of each line of a page: text-only measurements of the line (length,
//! stop-word density as jusText measures it, sentence punctuation, capitals, digits, link-like
//! tokens), how often the corpus repeats it (on its site, anywhere), where it sits on the page, the
//! phrase families it matches, and the same few measurements of its neighbours.
//!
//! The names in [`FEATURES`] are the ones `data/boilerplate-model.tsv` gives weights to, and the
//! order the fitting script (`data/fit-boilerplate-model.py`) reads them in from
//! `examples/boilerplate_features.rs`.

use crate::corpus::CorpusStats;
use crate::document::Line;
use crate::lexicon::{stopword_languages, STOPWORD_LANGUAGES};

/// The features of a block, in the order of their values in [`Block::x`].
pub const FEATURES: &[&str] = &[
    "ln_words",
    "ln_chars",
    "stop_share",
    "stop_share_x_ln_words",
    "ends_sentence",
    "punctuation_per_word",
    "capitalized_share",
    "digit_share",
    "link_share",
    "ln_site_docs",
    "site_share",
    "ln_corpus_docs",
    "position",
    "in_body_region",
    "before_body_region",
    "phrase",
    "caption",
    "link_spam",
    "shape",
    "list_item",
    "body",
    "ends_colon",
    "prev_body",
    "next_body",
    "prev_ln_words",
    "next_ln_words",
    "prev_stop_share",
    "next_stop_share",
    "ln_blocks_to_body",
    "language_unknown",
    "first_block",
    "long",
];
pub const N_FEATURES: usize = 32;

/// Lines above the first body line whose repetition across the corpus is not counted.
const HEADLINE_ZONE: usize = 3;
/// A document's language is known when its best stop-word list covers this share of its words.
const KNOWN_LANGUAGE_SHARE: f32 = 0.12;

/// One nonblank line and its features.
#[derive(Debug, Clone)]
pub struct Block {
    /// Its index in the document's lines.
    pub line: usize,
    pub x: [f32; N_FEATURES],
}

/// What the stage measured of every line before the model runs: word counts, the body heuristic,
/// the phrase family each line matches, and the repetition counts (documents of its site holding
/// it, of the site, of the corpus).
pub struct Measured<'a> {
    pub lines: &'a [Line],
    pub counts: &'a [usize],
    pub body: &'a [bool],
    pub family: &'a [Option<&'static str>],
    pub stats: Option<(&'a CorpusStats, &'a str)>,
}

/// Whether the document's language has a stop-word list, and the features of its nonblank lines.
pub fn blocks(m: &Measured) -> (bool, Vec<Block>) {
    let nonblank: Vec<usize> = (0..m.lines.len())
        .filter(|&i| !m.lines[i].is_blank())
        .collect();
    // Stop words per line, counted for every language at once; the document's language is the
    // list that covers most of its words.
    let per_line: Vec<[u16; 32]> = nonblank
        .iter()
        .map(|&i| stopword_counts(&m.lines[i].text))
        .collect();
    let mut total = [0u32; 32];
    for counts in &per_line {
        for (t, &c) in total.iter_mut().zip(counts) {
            *t += u32::from(c);
        }
    }
    let all_words: usize = nonblank.iter().map(|&i| m.counts[i]).sum();
    let (language, covered) = total
        .iter()
        .take(STOPWORD_LANGUAGES.len())
        .enumerate()
        .max_by_key(|&(_, &c)| c)
        .map_or((0, 0), |(l, &c)| (l, c));
    let known = all_words > 0 && covered as f32 >= KNOWN_LANGUAGE_SHARE * all_words as f32;
    let stop_share = |k: usize| {
        let n = m.counts[nonblank[k]];
        if known && n > 0 {
            (f32::from(per_line[k][language]) / n as f32).min(1.0)
        } else {
            0.0
        }
    };
    let region = match (
        m.body.iter().position(|&b| b),
        m.body.iter().rposition(|&b| b),
    ) {
        (Some(first), Some(last)) => Some((first, last)),
        _ => None,
    };
    let site = m.stats.map(|(stats, site)| (stats, stats.site(site)));
    let ln = |x: f32| (1.0 + x).ln();
    let n_blocks = nonblank.len();
    // Distance in blocks to the nearest body line, both ways.
    let mut to_body = vec![n_blocks; n_blocks];
    let mut last = None;
    for k in 0..n_blocks {
        if m.body[nonblank[k]] {
            last = Some(k);
        }
        if let Some(b) = last {
            to_body[k] = k - b;
        }
    }
    last = None;
    for k in (0..n_blocks).rev() {
        if m.body[nonblank[k]] {
            last = Some(k);
        }
        if let Some(b) = last {
            to_body[k] = to_body[k].min(b - k);
        }
    }
    // The few lines just above the first body line: a headline, a byline, a first heading. Other
    // sites repeat them too (a headline syndicated, or listed in another page's "most read"), so
    // repetition across the corpus is not counted for them.
    let first_body = nonblank.iter().position(|&i| m.body[i]).unwrap_or(0);
    let headline_zone = first_body.saturating_sub(HEADLINE_ZONE)..first_body;
    let blocks = (0..n_blocks)
        .map(|k| {
            let i = nonblank[k];
            let text = m.lines[i].text.trim();
            let n = m.counts[i];
            let stop = stop_share(k);
            let (site_docs, site_share, corpus_docs) = match &site {
                Some((stats, site)) => {
                    let (with, docs) = site.frequency(text);
                    let others = with.saturating_sub(1) as f32;
                    let share = if docs > 1 {
                        others / (docs - 1) as f32
                    } else {
                        0.0
                    };
                    let corpus = if headline_zone.contains(&k) {
                        0.0
                    } else {
                        stats.corpus_documents(text).saturating_sub(1) as f32
                    };
                    (others, share, corpus)
                }
                None => (0.0, 0.0, 0.0),
            };
            let neighbour = |at: Option<usize>| {
                at.map_or((0.0, 0.0, 0.0), |j: usize| {
                    let line = nonblank[j];
                    (
                        f32::from(u8::from(m.body[line])),
                        ln(m.counts[line] as f32),
                        stop_share(j),
                    )
                })
            };
            let (prev_body, prev_words, prev_stop) = neighbour(k.checked_sub(1));
            let (next_body, next_words, next_stop) =
                neighbour(Some(k + 1).filter(|&j| j < n_blocks));
            let family = |name: &str| f32::from(u8::from(m.family[i] == Some(name)));
            let flag = |b: bool| f32::from(u8::from(b));
            let shape = shape_counts(text);
            let x = [
                ln(n as f32),
                ln(text.chars().count() as f32),
                stop,
                stop * ln(n as f32),
                flag(ends_sentence(text)),
                shape.punctuation as f32 / n.max(1) as f32,
                shape.capitalized as f32 / shape.alphabetic_words.max(1) as f32,
                shape.digits as f32 / shape.chars.max(1) as f32,
                shape.links as f32 / n.max(1) as f32,
                ln(site_docs),
                site_share,
                ln(corpus_docs),
                k as f32 / n_blocks.max(1) as f32,
                flag(region.is_some_and(|(f, l)| i >= f && i <= l)),
                flag(region.is_none_or(|(f, _)| i < f)),
                family("phrase"),
                family("caption"),
                family("link_spam"),
                family("shape"),
                flag(crate::stages::normalize::is_list_item(text)),
                flag(m.body[i]),
                flag(text.ends_with(':')),
                prev_body,
                next_body,
                prev_words,
                next_words,
                prev_stop,
                next_stop,
                ln(to_body[k] as f32),
                flag(!known),
                flag(k == 0),
                flag(n > crate::corpus::MAX_WORDS),
            ];
            Block { line: i, x }
        })
        .collect();
    (known, blocks)
}

pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', ';', '"', '”', ')'])
}

/// How many of the line's words are stop words of each language (bits of `stopword_languages`).
fn stopword_counts(text: &str) -> [u16; 32] {
    let mut counts = [0u16; 32];
    let mut lower = String::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
        if word.is_empty() || word.len() > 24 {
            continue;
        }
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        let mut languages = stopword_languages(&lower);
        while languages != 0 {
            let bit = languages.trailing_zeros() as usize;
            counts[bit] = counts[bit].saturating_add(1);
            languages &= languages - 1;
        }
    }
    counts
}

/// Character-level counts of a line, in one pass.
#[derive(Default)]
struct Shape {
    chars: usize,
    digits: usize,
    /// Sentence-internal punctuation: `,` `;` and `.` `!` `?` followed by a space.
    punctuation: usize,
    alphabetic_words: usize,
    capitalized: usize,
    /// Link-like tokens: URLs, e-mail addresses, handles, and separators of link lists (`|`, `»`,
    /// `›`, `·`, `/`, `>`).
    links: usize,
}

fn shape_counts(text: &str) -> Shape {
    let mut s = Shape::default();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if !c.is_whitespace() {
            s.chars += 1;
        }
        if c.is_ascii_digit() {
            s.digits += 1;
        }
        if matches!(prev, Some(',' | ';'))
            || (matches!(prev, Some('.' | '!' | '?')) && c.is_whitespace())
        {
            s.punctuation += 1;
        }
        prev = Some(c);
    }
    for word in text.split_whitespace() {
        if let Some(c) = word.chars().next().filter(|c| c.is_alphabetic()) {
            s.alphabetic_words += 1;
            s.capitalized += usize::from(c.is_uppercase());
        }
        if matches!(
            word,
            "|" | "»" | "›" | "·" | "/" | ">" | "<" | "«" | "‹" | "•" | "-"
        ) || word.contains("://")
            || word.starts_with("www.")
            || (word.contains('@') && word.len() > 1)
            || word.ends_with(".com")
        {
            s.links += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_match_the_vector() {
        assert_eq!(FEATURES.len(), N_FEATURES);
        let mut names = FEATURES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N_FEATURES, "feature names are unique");
    }

    #[test]
    fn prose_is_dense_with_stop_words_and_navigation_is_not() {
        let en = STOPWORD_LANGUAGES.iter().position(|&l| l == "en").unwrap();
        let prose = stopword_counts("It was the best of times, and it was the worst of times.");
        let nav = stopword_counts("Home News Sport Weather iPlayer Sounds Login");
        assert!(prose[en] >= 8, "{}", prose[en]);
        assert!(nav[en] <= 1, "{}", nav[en]);
        let hu = STOPWORD_LANGUAGES.iter().position(|&l| l == "hu").unwrap();
        assert!(stopword_counts("Azt mondta, hogy nem lesz itt és az is jó")[hu] >= 4);
    }
}
