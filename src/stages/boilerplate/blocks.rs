//! What the block model sees of each line of a page: text-only measurements of the line (length,
//! stop-word density as jusText measures it, sentence punctuation, capitals, digits, link-like
//! tokens), how often the corpus repeats it (on its site, anywhere), where it sits on the page, the
//! phrase families it matches, and the same few measurements of its neighbours.
//!
//! The names in [`FEATURES`] are the ones `data/boilerplate-model.tsv` gives weights to, and the
//! order the fitting script (`data/fit-boilerplate-model.py`) reads them in from
//! `examples/boilerplate_features.rs`.

use crate::corpus::CorpusStats;
use crate::document::{Line, Markup, Region};
use crate::lexicon::{ascii_stopword_languages, stopword_languages, STOPWORD_LANGUAGES};

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
    // What the markup says, for a page read from HTML (0 for text).
    "dom_link_density",
    "dom_container_link_density",
    "dom_ln_container_chars",
    "dom_nav",
    "dom_header",
    "dom_footer",
    "dom_aside",
    "dom_form",
    "dom_article",
    "dom_list_item",
    "dom_table_cell",
    "dom_heading",
    "dom_paragraph",
    "dom_quote",
    "dom_figure",
    "dom_pre",
    "dom_named_boilerplate",
    "dom_named_content",
    "dom_named_comment",
    "dom_region_inside",
    "dom_region_before",
    "dom_region_after",
    "dom_ln_depth",
    "dom_title_share",
    "dom_container_prose_share",
    "dom_outer_prose_share",
];
pub const N_FEATURES: usize = N_TEXT_FEATURES + 26;
/// The features of any page, text or HTML: the first of [`FEATURES`]; the text model weighs
/// only these.
pub const N_TEXT_FEATURES: usize = 32;

/// Lines above the first body line whose repetition across the corpus is not counted.
const HEADLINE_ZONE: usize = 3;
/// Lines longer than this are not looked up in the corpus's counts.
const MAX_REPEATED_WORDS: usize = 100;
/// The part of a line whose shares are measured.
const HEAD_BYTES: usize = 400;

fn head(text: &str) -> &str {
    let mut end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

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
    /// A line held by fewer documents (of its site, or of the corpus) is not repeated: its
    /// repetition features are 0. At 2, the default, that is every line seen once.
    pub repeated_min_docs: u32,
    /// What the markup says of each line, by line, for a page read from HTML.
    pub markup: Option<&'a [Option<&'a Markup>]>,
}

/// Whether the document's language has a stop-word list, and the features of its nonblank lines.
pub fn blocks(m: &Measured) -> (bool, Vec<Block>) {
    let nonblank: Vec<usize> = (0..m.lines.len())
        .filter(|&i| !m.lines[i].is_blank())
        .collect();
    // Stop words per line, counted for every language at once; the document's language is the
    // list that covers most of its words.
    // Shares (of stop words, capitals, digits, punctuation, links) are measured on a line's
    // first HEAD_BYTES: a paragraph's opening words tell them as well as all of it, at a bounded
    // cost per line.
    let heads: Vec<&str> = nonblank.iter().map(|&i| head(&m.lines[i].text)).collect();
    let head_words: Vec<usize> = heads.iter().map(|h| crate::text::words(h)).collect();
    let per_line: Vec<[u16; 32]> = heads.iter().map(|h| stopword_counts(h)).collect();
    let mut total = [0u32; 32];
    for counts in &per_line {
        for (t, &c) in total.iter_mut().zip(counts) {
            *t += u32::from(c);
        }
    }
    let all_words: usize = head_words.iter().sum();
    let (language, covered) = total
        .iter()
        .take(STOPWORD_LANGUAGES.len())
        .enumerate()
        .max_by_key(|&(_, &c)| c)
        .map_or((0, 0), |(l, &c)| (l, c));
    let known = all_words > 0 && covered as f32 >= KNOWN_LANGUAGE_SHARE * all_words as f32;
    let stop_share = |k: usize| {
        let n = head_words[k];
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
                // A block this long is an article's paragraph or a comment, not a template's
                // line: its repetition is not looked up (folding it would cost more than the rest).
                Some((_, site)) if n <= MAX_REPEATED_WORDS => {
                    let (with, docs, corpus) = site.frequency_and_corpus(text);
                    let counted = |n: u32| if n >= m.repeated_min_docs { n } else { 0 };
                    let (with, corpus) = (counted(with), counted(corpus));
                    let others = with.saturating_sub(1) as f32;
                    let share = if docs > 1 {
                        others / (docs - 1) as f32
                    } else {
                        0.0
                    };
                    let corpus = if headline_zone.contains(&k) {
                        0.0
                    } else {
                        corpus.saturating_sub(1) as f32
                    };
                    (others, share, corpus)
                }
                _ => (0.0, 0.0, 0.0),
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
            let shape = shape_counts(heads[k]);
            let head_n = head_words[k].max(1) as f32;
            let dom = m
                .markup
                .and_then(|markup| markup[i])
                .copied()
                .unwrap_or_default();
            let within = |bits: u32| flag(dom.is_within(bits));
            let named = |bits: u8| flag(dom.is_named(bits));
            let x = [
                ln(n as f32),
                ln(text.chars().count() as f32),
                stop,
                stop * ln(n as f32),
                flag(ends_sentence(text)),
                shape.punctuation as f32 / head_n,
                shape.capitalized as f32 / shape.alphabetic_words.max(1) as f32,
                shape.digits as f32 / shape.chars.max(1) as f32,
                shape.links as f32 / head_n,
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
                dom.link_density,
                dom.container_link_density,
                ln(dom.container_chars as f32),
                within(Markup::NAV),
                within(Markup::HEADER),
                within(Markup::FOOTER),
                within(Markup::ASIDE),
                within(Markup::FORM),
                within(Markup::ARTICLE),
                within(Markup::LIST_ITEM),
                within(Markup::TABLE_CELL),
                within(Markup::HEADING),
                within(Markup::PARAGRAPH),
                within(Markup::QUOTE),
                within(Markup::FIGURE),
                within(Markup::PRE),
                named(Markup::NAMED_BOILERPLATE),
                named(Markup::NAMED_CONTENT),
                named(Markup::NAMED_COMMENT),
                flag(dom.region == Region::Inside),
                flag(dom.region == Region::Before),
                flag(dom.region == Region::After),
                ln(f32::from(dom.depth)),
                dom.title_share,
                dom.container_prose_share,
                dom.outer_prose_share,
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
/// Runs on every word of every page: ASCII words are lowercased on the stack, a byte at a time.
fn stopword_counts(text: &str) -> [u16; 32] {
    let mut counts = [0u16; 32];
    let mut count = |languages: u32| {
        let mut languages = languages;
        while languages != 0 {
            let bit = languages.trailing_zeros() as usize;
            counts[bit] = counts[bit].saturating_add(1);
            languages &= languages - 1;
        }
    };
    // An ASCII word is packed into a number as it is read, lowercased (a word of more than 16
    // bytes is no stop word); a word with other letters is lowercased into a string.
    let (mut key, mut start, mut wide) = (0u128, None, false);
    let mut lower = String::new();
    let mut end_word = |start: usize, end: usize, key: u128, wide: bool| {
        if !wide {
            if end - start <= 16 {
                count(ascii_stopword_languages(key));
            }
        } else if end - start <= 48 {
            lower.clear();
            lower.extend(text[start..end].chars().flat_map(char::to_lowercase));
            count(stopword_languages(&lower));
        }
    };
    for (at, c) in text.char_indices() {
        let in_word = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '\''
        } else {
            c.is_alphanumeric() || c == '’'
        };
        if in_word {
            if start.is_none() {
                (start, key, wide) = (Some(at), 0, false);
            }
            if c.is_ascii() {
                key = key << 8 | u128::from(c.to_ascii_lowercase() as u8);
            } else {
                wide = true;
            }
        } else if let Some(from) = start.take() {
            end_word(from, at, key, wide);
        }
    }
    if let Some(from) = start {
        end_word(from, text.len(), key, wide);
    }
    counts
}

/// Character-level counts of a line, in one pass.
#[derive(Default)]
struct Shape {
    /// Characters but spaces.
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

/// One pass over the bytes (every line of every page goes through here): UTF-8 continuation
/// bytes are not characters, and only a word's first character is decoded.
fn shape_counts(text: &str) -> Shape {
    let mut s = Shape::default();
    let bytes = text.as_bytes();
    // The first byte has no byte before it: a space never counts as punctuation.
    let mut prev = b' ';
    let mut word_start = None;
    // Whether the current word holds a byte that a link-like token needs (`:`, `@`, `.`).
    let mut link_byte = false;
    for (at, &b) in bytes.iter().enumerate() {
        let space = b.is_ascii_whitespace();
        // Not a UTF-8 continuation byte: a character starts here.
        if b & 0xC0 != 0x80 {
            s.chars += usize::from(!space);
        }
        s.digits += usize::from(b.is_ascii_digit());
        if matches!(prev, b',' | b';') || (matches!(prev, b'.' | b'!' | b'?') && space) {
            s.punctuation += 1;
        }
        if space {
            if let Some(start) = word_start.take() {
                end_word(&mut s, &text[start..at], link_byte);
            }
        } else if word_start.is_none() {
            word_start = Some(at);
            link_byte = false;
            start_word(&mut s, &text[at..]);
        }
        link_byte |= matches!(b, b':' | b'@' | b'.');
        prev = b;
    }
    if let Some(start) = word_start {
        end_word(&mut s, &text[start..], link_byte);
    }
    s
}

/// A word starts at the start of `rest`: is it alphabetic, and capitalized?
fn start_word(s: &mut Shape, rest: &str) {
    let first = rest.as_bytes()[0];
    if first.is_ascii() {
        if first.is_ascii_alphabetic() {
            s.alphabetic_words += 1;
            s.capitalized += usize::from(first.is_ascii_uppercase());
        }
    } else if let Some(c) = rest.chars().next().filter(|c| c.is_alphabetic()) {
        s.alphabetic_words += 1;
        s.capitalized += usize::from(c.is_uppercase());
    }
}

/// A word ends: is it link-like (a separator of a link list, a URL, an address)?
fn end_word(s: &mut Shape, word: &str, link_byte: bool) {
    let separator = word.len() <= 3
        && matches!(
            word,
            "|" | "»" | "›" | "·" | "/" | ">" | "<" | "«" | "‹" | "•" | "-"
        );
    let linky = link_byte
        && (word.contains("://")
            || word.starts_with("www.")
            || (word.contains('@') && word.len() > 1)
            || word.ends_with(".com"));
    s.links += usize::from(separator || linky);
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
