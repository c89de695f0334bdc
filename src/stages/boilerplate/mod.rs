//! The boilerplate stage: what a page carries that is not the document.
//!
//! Decided in one place ([`Boilerplate::verdicts`]), applied in another ([`Stage::run`]). Each
//! nonblank line is a block; a model fit on real scraped pages (`model.rs`, weights in
//! `data/boilerplate-model.tsv`) scores how likely it is to be content from its own features and
//! its neighbours' (`blocks.rs`): length, stop-word density, punctuation, capitals, digits,
//! link-like tokens, how often the corpus repeats it on its site and anywhere, its place on the
//! page, and the phrase families of `rules.rs`. A block below the model's threshold goes, recorded
//! under the signal that marks it:
//! - `phrase`, `caption`, `link_spam`, `shape`: it matches one of those families (the first three
//!   are verdicts of their own, whatever the model says);
//! - `repeated_line`: other documents of its site or of the corpus hold it too;
//! - `block_model`: neither; the model alone (it reads as a menu, a date line, a list of links).
//!
//! A page read from HTML carries its markup's facts per line (`Document::markup`): its blocks get
//! the markup's features too, and a model fit on pages' HTML (boosted trees, weights in
//! `data/boilerplate-html-model.tsv`) decides. Its code and data tables are never cut; the
//! markup can remove prose the page places away from its text (a sidebar, comments, outside the
//! main column); the structure rules that stand in for lost markup in scraped text do not run.
//!
//! The title said again is a verdict of its own (`repeated_title`: the best-cased copy stays).
//!
//! Never cut, whatever the model says: code, tables and quotations; a heading whose next block is
//! kept content; list items and footnotes inside kept content; lines the user keeps. Where the
//! document's language has no stop-word list, or the page shows no furniture at all (no phrase
//! family, nothing repeated: likely not a scraped page), only blocks that a family or repetition
//! marks can go.

mod blocks;
mod model;
mod rules;

pub use blocks::{Block, FEATURES, N_TEXT_FEATURES};
pub use model::{BlockModel, CONTEXT, HTML_MODEL, MODEL};

use crate::corpus::CorpusStats;
use crate::document::{Document, Line};
use crate::stages::stage::{Recorder, RuleSwitches};
use crate::stages::stage::{Stage, StageOutput};
use crate::text::{fold, words};
use blocks::Measured;
use std::collections::HashSet;
use std::sync::Arc;

/// Names of every rule this stage can record.
pub const RULES: &[&str] = &[
    "phrase",
    "caption",
    "link_spam",
    "shape",
    "repeated_line",
    "repeated_title",
    "block_model",
    "blank_lines",
];

/// A line counts as repeated when at least this many documents hold it (of its site, or of the
/// corpus), by default (`--repeated-min-docs`).
pub const REPEATED_MIN_DOCS: u32 = 2;

#[derive(Debug, Clone)]
pub struct Boilerplate {
    /// Lines the user declared content (folded): never removed.
    pub keep: HashSet<String>,
    /// How often each line recurs across the corpus, when a first pass gathered it.
    pub stats: Option<Arc<CorpusStats>>,
    /// How many documents must hold a line for its repetition to count.
    pub repeated_min_docs: u32,
    pub rules: RuleSwitches,
}

impl Default for Boilerplate {
    fn default() -> Self {
        Boilerplate {
            keep: HashSet::new(),
            stats: None,
            repeated_min_docs: REPEATED_MIN_DOCS,
            rules: RuleSwitches::default(),
        }
    }
}

impl Stage for Boilerplate {
    fn name(&self) -> &'static str {
        "boilerplate"
    }

    fn run(&self, mut doc: Document) -> StageOutput {
        let mut rec = Recorder::new(&doc.id, "boilerplate").with_switches(&self.rules);
        let verdicts = self.verdicts(&doc);
        let mut kept = Vec::with_capacity(doc.lines.len());
        let (mut words_in, mut words_removed) = (0, 0);
        for (line, verdict) in std::mem::take(&mut doc.lines).into_iter().zip(verdicts) {
            let n = words(&line.text);
            words_in += n;
            match verdict.filter(|&rule| rec.is_on(rule)) {
                Some(rule) => {
                    words_removed += n;
                    rec.record(rule, line.text, "", line.origin)
                }
                None => kept.push(line),
            }
        }
        // The share of the page's words that went, for the report: a user sorts by it to find
        // the pages where too much did.
        let share = if words_in == 0 {
            0.0
        } else {
            words_removed as f64 / words_in as f64
        };
        doc.scores
            .insert("boilerplate", (share * 1000.0).round() / 1000.0);
        if !rec.edits.is_empty() {
            crate::stages::normalize::blank_lines(&mut kept, &mut rec);
        }
        doc.lines = kept;
        rec.finish(doc)
    }
}

/// A page shows itself as a scraped page when at least this many of its lines match a phrase
/// family or are repeated elsewhere in the corpus.
const MIN_FURNITURE: usize = 2;
/// Prose: at least this many words, this share of them stop words (jusText's "good" paragraphs
/// have 0.30 and more).
const MIN_PROSE_WORDS: usize = 20;
const MIN_PROSE_STOP_SHARE: f32 = 0.3;
/// A line of a caption family this short can be a heading.
const MAX_CAPTION_HEADING_WORDS: usize = 4;
/// Inside the text, a block nothing marks goes only below this probability of being content.
const INSIDE_THRESHOLD: f32 = 0.2;
/// Headings are short: a line this long before a paragraph is not one.
const MAX_HEADING_WORDS: usize = 20;

/// What the stage measures of a page before deciding: per line its word count, whether it reads
/// as body text and the phrase family it matches; per nonblank line its block features.
pub struct Page {
    pub counts: Vec<usize>,
    pub body: Vec<bool>,
    pub family: Vec<Option<&'static str>>,
    /// Whether the page's language has a stop-word list.
    pub known_language: bool,
    pub blocks: Vec<Block>,
}

impl Boilerplate {
    /// The measurements the model and the rules decide on (and that the fitting script learns
    /// from, through `examples/boilerplate_features.rs`).
    pub fn measure(&self, doc: &Document) -> Page {
        let lines = &doc.lines;
        let counts: Vec<usize> = lines.iter().map(|l| words(&l.text)).collect();
        let body: Vec<bool> = lines
            .iter()
            .zip(&counts)
            .map(|(l, &n)| is_body(&l.text, n))
            .collect();
        let family: Vec<Option<&'static str>> = lines
            .iter()
            .zip(&counts)
            .map(|(l, &n)| rules::line_rule(&l.text, n))
            .collect();
        let markup: Option<Vec<Option<&crate::document::Markup>>> = doc
            .markup
            .as_ref()
            .map(|_| lines.iter().map(|l| doc.markup_of(l)).collect());
        let (known_language, blocks) = blocks::blocks(&Measured {
            lines,
            counts: &counts,
            body: &body,
            family: &family,
            stats: self.stats.as_deref().map(|s| (s, doc.site.as_str())),
            repeated_min_docs: self.repeated_min_docs,
            markup: markup.as_deref(),
        });
        Page {
            counts,
            body,
            family,
            known_language,
            blocks,
        }
    }

    /// For each line of the document, the rule that removes it, if any.
    pub fn verdicts(&self, doc: &Document) -> Vec<Option<&'static str>> {
        let lines = &doc.lines;
        let Page {
            counts,
            body,
            family,
            known_language,
            blocks,
        } = self.measure(doc);
        // A page read from HTML has its markup's features, and a model that weighs them.
        let html = doc.markup.is_some();
        let model: &BlockModel = if html { &HTML_MODEL } else { &MODEL };
        let content = model.content_probabilities(&blocks);
        // Indexes of `FEATURES` read back here.
        let feature = |name: &str| FEATURES.iter().position(|f| *f == name).expect("a feature");
        let (site_docs, corpus_docs) = (feature("ln_site_docs"), feature("ln_corpus_docs"));
        let repeated: Vec<bool> = blocks
            .iter()
            .map(|b| b.x[site_docs] > 0.0 || b.x[corpus_docs] > 0.0)
            .collect();
        let family_of = |k: usize| family[blocks[k].line];
        let marked = |k: usize| repeated[k] || family_of(k).is_some();
        // The markup places it away from the text: outside the page's main column, or inside a
        // menu, a sidebar, a footer, a form, or an element named as furniture or comments.
        let away: Vec<bool> = blocks
            .iter()
            .map(|b| doc.markup_of(&lines[b.line]).is_some_and(placed_away))
            .collect();
        // Repeated by its own site (a notice, a blurb), matching a family, or placed away by
        // the markup.
        let site_marked =
            |k: usize| blocks[k].x[site_docs] > 0.0 || family_of(k).is_some() || away[k];
        // Prose: a long line dense with stop words. On a news page the model rightly takes the
        // readers' comments for boilerplate, but on other pages such a paragraph is content:
        // only a family, its own site's repetition or the markup removes it (a paragraph other
        // sites carry too is an article syndicated, not a template).
        let stop_share = feature("stop_share");
        let prose = |k: usize| {
            counts[blocks[k].line] >= MIN_PROSE_WORDS
                && blocks[k].x[stop_share] >= MIN_PROSE_STOP_SHARE
        };
        // An HTML page is a page from the web, and its markup speaks whatever its language.
        let scraped_page =
            html || (0..blocks.len()).filter(|&k| marked(k)).count() >= MIN_FURNITURE;
        let model_decides = (known_language || html) && scraped_page;
        let mut protected = protected_lines(lines);
        // On a page, the markup shows code and data tables for what they are.
        for (line, p) in lines.iter().zip(protected.iter_mut()) {
            *p |= doc
                .markup_of(line)
                .is_some_and(|m| is_code_or_data(m, &line.text));
        }

        // Decide each block on its own. The phrase families, related-link spam and captions were
        // checked line by line on real pages and are verdicts (a caption of a few words over kept
        // text is spared below as a heading); URL and call-to-action shapes can be a headline, so
        // for them, as for repetition, the model decides.
        let mut remove: Vec<bool> = (0..blocks.len())
            .map(|k| {
                !protected[blocks[k].line]
                    && (matches!(family_of(k), Some("phrase" | "link_spam" | "caption"))
                        || (content[k] < model.threshold
                            && if prose(k) {
                                site_marked(k)
                            } else {
                                marked(k) || model_decides
                            }))
            })
            .collect();
        // A rule switched off removes nothing, and what it would have removed is kept text for
        // every pass below (a heading over it is spared as over any kept line).
        let rule_of = |k: usize| {
            family_of(k).unwrap_or(if repeated[k] {
                "repeated_line"
            } else {
                "block_model"
            })
        };
        for (k, r) in remove.iter_mut().enumerate() {
            *r &= self.rules.is_on("boilerplate", rule_of(k));
        }
        // Inside the text, from its first kept paragraph to its last, a block that nothing marks
        // is a heading, a short paragraph, the lead-in to a list: the model alone removes it only
        // when sure. The structure rules below stand in for the markup a scraped text lost; the
        // markup model sees headings and lists itself, and on the dev pages these rules only
        // put back menus and link lists there (F1 0.867 with them, 0.892 without).
        let kept_body = |k: usize, remove: &[bool]| !remove[k] && body[blocks[k].line];
        let first = (0..blocks.len()).find(|&k| kept_body(k, &remove));
        let last = (0..blocks.len()).rev().find(|&k| kept_body(k, &remove));
        if let (Some(first), Some(last), false) = (first, last, html) {
            for k in first..=last {
                if remove[k] && !marked(k) && content[k] >= INSIDE_THRESHOLD {
                    remove[k] = false;
                }
            }
        }
        if !html {
            spare_structure(lines, &counts, &blocks, &family, &mut remove);
        } else {
            // A page's own heading (`<h1>`..`<h6>`, where the markup does not place it away)
            // over a kept paragraph heads that paragraph.
            let heading = feature("dom_heading");
            for k in (0..blocks.len().saturating_sub(1)).rev() {
                let next = k + 1;
                if remove[k]
                    && blocks[k].x[heading] > 0.0
                    && !away[k]
                    && family_of(k).is_none()
                    && !remove[next]
                    && (body[blocks[next].line] || blocks[next].x[heading] > 0.0)
                {
                    remove[k] = false;
                }
            }
        }
        let mut verdict: Vec<Option<&'static str>> = vec![None; lines.len()];
        for (k, block) in blocks.iter().enumerate() {
            if remove[k] {
                verdict[block.line] = Some(rule_of(k));
            }
        }
        // A credit on its own line right after a removed caption belongs to the caption.
        for k in 1..blocks.len() {
            if verdict[blocks[k - 1].line] == Some("caption")
                && rules::is_caption_credit(&lines[blocks[k].line].text)
            {
                verdict[blocks[k].line] = Some("caption");
            }
        }
        // The title said again: one copy, the best-cased, stays whatever the model said of it.
        let title = rules::repeated_titles(lines, &mut verdict);
        let protected = protected_lines(lines);
        for (i, (v, line)) in verdict.iter_mut().zip(lines).enumerate() {
            if v.is_some()
                && (title == Some(i) || self.keep.contains(&fold(&line.text)) || protected[i])
            {
                *v = None;
            }
        }
        verdict
    }
}

/// Body text: a line that reads as prose (several words and sentence punctuation) or is long;
/// `n` is its word count.
fn is_body(text: &str, n: usize) -> bool {
    (n >= 8 && blocks::ends_sentence(text)) || n >= 25
}

/// Lines whose layout is content, never boilerplate: code and table rows (normalize's
/// `verbatim`: the same lines its prose rules leave alone) and quotations (`> `).
fn protected_lines(lines: &[Line]) -> Vec<bool> {
    crate::stages::normalize::verbatim(lines)
        .into_iter()
        .zip(lines)
        .map(|(code, line)| code || protected_line(line))
        .collect()
}

/// The markup places a block away from the text: outside the page's main column, in a menu, a
/// sidebar, a footer or a form, or in an element named as furniture or comments.
fn placed_away(markup: &crate::document::Markup) -> bool {
    use crate::document::{Markup, Region};
    matches!(markup.region, Region::Before | Region::After)
        || markup.is_within(Markup::NAV | Markup::ASIDE | Markup::FOOTER | Markup::FORM)
        || markup.is_named(Markup::NAMED_BOILERPLATE | Markup::NAMED_COMMENT)
}

/// Cells of a data table hold a few words each; a layout table's cells hold a page's columns.
const MAX_DATA_CELL_WORDS: usize = 20;
/// A data table's row is mostly not links (a row of links is a menu laid out as a table).
const MAX_DATA_ROW_LINK_DENSITY: f32 = 0.3;

/// What a page's markup shows to be content whatever the model says: preformatted text (code),
/// and rows of data tables (two cells or more, short, mostly not links).
fn is_code_or_data(markup: &crate::document::Markup, text: &str) -> bool {
    use crate::document::Markup;
    let row = markup.is_within(Markup::TABLE_CELL)
        && text.contains(" | ")
        && markup.link_density < MAX_DATA_ROW_LINK_DENSITY
        && text
            .split(" | ")
            .all(|cell| words(cell) <= MAX_DATA_CELL_WORDS);
    markup.is_within(Markup::PRE) || row
}

fn protected_line(line: &Line) -> bool {
    line.text.trim().starts_with("> ")
}

/// What the context shows to be content stays, whatever its own score: a heading whose next block
/// is kept prose; list items (and bare outline numbers, "1.") with kept content before them and
/// kept content or nothing after; footnotes and citations after kept content.
fn spare_structure(
    lines: &[Line],
    counts: &[usize],
    blocks: &[Block],
    family: &[Option<&'static str>],
    remove: &mut [bool],
) {
    let text = |k: usize| lines[blocks[k].line].text.trim();
    let list_like =
        |k: usize| crate::stages::normalize::is_list_item(text(k)) || is_outline_number(text(k));
    let kept_prose =
        |k: usize, remove: &[bool]| !remove[k] && is_body(text(k), counts[blocks[k].line]);
    // A caption of a few words ("A bird's eye view") can as well be a heading; alt text describes
    // the picture at more length.
    let heading_like = |k: usize| {
        let n = counts[blocks[k].line];
        let short = match family[blocks[k].line] {
            None => n <= MAX_HEADING_WORDS,
            Some("caption") => n <= MAX_CAPTION_HEADING_WORDS && !text(k).contains(':'),
            Some(_) => false,
        };
        short && !blocks::ends_sentence(text(k))
    };
    // Runs of list items and citations after kept content (a paragraph, or a heading under one),
    // the lead-in heading included: list items inside the text, a closing list, the notes.
    let mut k = 0;
    while k < blocks.len() {
        let citation = |k: usize| is_citation(text(k));
        if !(list_like(k) || citation(k)) {
            k += 1;
            continue;
        }
        let start = k;
        while k < blocks.len() && (list_like(k) || citation(k)) {
            k += 1;
        }
        // The block before the run, and the one before that, past removed captions and share
        // lines.
        let previous = |at: usize| {
            (0..at)
                .rev()
                .find(|&b| !(remove[b] && family[blocks[b].line].is_some()))
        };
        let lead_in = previous(start);
        let heading = lead_in.filter(|&h| remove[h] && heading_like(h));
        let before = match heading {
            Some(h) => previous(h).is_some_and(|b| !remove[b]),
            None => lead_in.is_some_and(|b| !remove[b]),
        };
        if before {
            for j in heading.into_iter().chain(start..k) {
                if !matches!(
                    family[blocks[j].line],
                    Some("phrase" | "link_spam" | "caption")
                ) {
                    remove[j] = false;
                }
            }
        }
    }
    // A heading: a short line, no sentence, that no family marks, whose next block (past removed
    // captions and share lines) is kept prose, a kept list, or a heading over one of those (a
    // title over a section heading). From the bottom up, so a heading spared counts for the one
    // above it.
    let next_of = |k: usize, remove: &[bool]| {
        (k + 1..blocks.len()).find(|&j| !(remove[j] && family[blocks[j].line].is_some()))
    };
    // over[k]: block k was spared as a heading and content starts right below it. A heading the
    // model dropped over one it dropped too is a title over a section heading; over a line the
    // model kept (a headline), it is more often the last item of the menu.
    let mut over = vec![false; blocks.len()];
    for k in (0..blocks.len()).rev() {
        let next = next_of(k, remove);
        let starts_content =
            |j: usize, remove: &[bool]| kept_prose(j, remove) || (!remove[j] && list_like(j));
        if remove[k] && heading_like(k) {
            if next.is_some_and(|j| starts_content(j, remove)) {
                remove[k] = false;
                over[k] = true;
            } else if next.is_some_and(|j| over[j]) {
                remove[k] = false;
            }
        }
    }
}

/// "1." or "IV." alone on its line: an outline's number, split from its item by the scraper.
fn is_outline_number(t: &str) -> bool {
    let body = t.trim_end_matches(['.', ')']);
    body.len() < t.len()
        && !body.is_empty()
        && body.len() <= 4
        && (body.bytes().all(|b| b.is_ascii_digit())
            || body
                .bytes()
                .all(|b| matches!(b, b'I' | b'V' | b'X' | b'i' | b'v' | b'x')))
}

/// A footnote or citation: a numbered note (`[3] ...`, `3. ...`, `^ ...`) or a reference with a
/// year in brackets ("Security, 106th Cong. (May 11, 2000) (testimony of ...)").
fn is_citation(t: &str) -> bool {
    let numbered = t.starts_with('^')
        || (t.starts_with('[')
            && t[1..]
                .split_once(']')
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())));
    let year_in_brackets = t.match_indices('(').any(|(at, _)| {
        t[at..]
            .split_once(')')
            .is_some_and(|(inside, _)| inside.len() <= 40 && has_year(inside))
    });
    numbered || (year_in_brackets && words(t) >= 3)
}

fn has_year(s: &str) -> bool {
    s.as_bytes().windows(4).enumerate().any(|(at, w)| {
        w.iter().all(u8::is_ascii_digit)
            && matches!(&w[..2], b"15" | b"16" | b"17" | b"18" | b"19" | b"20")
            && (at == 0 || !s.as_bytes()[at - 1].is_ascii_digit())
            && s.as_bytes().get(at + 4).is_none_or(|b| !b.is_ascii_digit())
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> (String, Vec<&'static str>) {
        let out = Boilerplate::default().run(Document::from_text("t", text));
        (out.doc.text(), out.edits.iter().map(|e| e.rule).collect())
    }

    /// Clean the first of several pages (site, text), the corpus counted over all of them as the
    /// corpus pass counts it.
    fn clean_in_corpus(pages: &[(&str, &str)]) -> (String, Vec<(&'static str, String)>) {
        let stats = Arc::new(CorpusStats::of_texts(false, pages.iter().copied()));
        let stage = Boilerplate {
            stats: Some(stats),
            ..Boilerplate::default()
        };
        let mut doc = Document::from_text("a", pages[0].1);
        doc.site = pages[0].0.into();
        let out = stage.run(doc);
        let edits = out
            .edits
            .iter()
            .map(|e| (e.rule, e.before.clone()))
            .collect();
        (out.doc.text(), edits)
    }

    const BODY: &str = "The clinic opened in 2019 and has treated more than two thousand patients since then, most of them referred by their doctors.";
    const BODY2: &str = "Most of the patients were women between forty and sixty, and almost all of them came back for a second visit within the year.";
    /// A real page's furniture around its text: a menu above, a footer below.
    const MENU: &str = "Home\nNews\nSport\nWeather\nSubscribe";
    const FOOTER: &str = "Share on Facebook | Twitter | Email\n\nAbout Us\n\nAdvertise With Us\n\n© 2024 Harbor Media. All rights reserved.";

    #[test]
    fn phrase_families_and_link_spam_go_wherever_they_are() {
        for line in [
            "Report this page",
            "Back to Home: https://example.org",
            "Find other PDF articles:",
            "17 min read",
            "Published en",
            "Posted on March 3, 2024",
            "Share on Facebook | Twitter | Email",
            "We use cookies to improve your experience on our site.",
            "© 2024 Harbor Health. All Rights Reserved.",
            "Copyright 2023 Example Media Ltd",
            "This information is not a substitute for professional medical advice.",
            "Contact Us",
            "Featured Article",
            "Leave a comment",
            "Best Sellers in Health - Bookshop®Sleep Better Tonight: A Guide by Ann Lee, PaperbackThe Calm Mind Podcast",
            "Why Sleep Matters - Harbor HealthTen Tips for Better Naps - Rest Magazine",
        ] {
            let (out, rules) = clean(&format!("{BODY}\n\n{line}\n\n{BODY}\n"));
            assert_eq!(out, format!("{BODY}\n\n{BODY}\n"), "{line:?} by {rules:?}");
        }
    }

    #[test]
    fn captions_and_urls_go_from_a_page() {
        for line in [
            "A woman holding a cup of tea by the window",
            "An older man smiling at his doctor during a consultation",
            "Image Source: Wikimedia Commons",
            "Photo: Jane Smith",
            "https://example.org/archive/page-2.pdf",
        ] {
            let (out, rules) = clean(&format!("{BODY}\n\n{line}\n\n{BODY2}\n\n{FOOTER}\n"));
            assert_eq!(out, format!("{BODY}\n\n{BODY2}\n"), "{line:?} by {rules:?}");
        }
    }

    #[test]
    fn keeps_the_best_cased_copy_of_a_repeated_title() {
        let (out, rules) = clean(&format!(
            "SLEEP AND MEMORY\n\nSleep and Memory\n\nSleep and Memory\n\n{BODY}\n"
        ));
        assert_eq!(out, format!("Sleep and Memory\n\n{BODY}\n"));
        assert_eq!(rules.iter().filter(|r| **r == "repeated_title").count(), 2);
        let (out, _) = clean(&format!(
            "Sleep and Memory thumbnail\n\nSleep and Memory\n\n{BODY}\n"
        ));
        assert_eq!(out, format!("Sleep and Memory\n\n{BODY}\n"));
        // The lowercase copy first: the capitalized one stays (a real page's case).
        let (out, _) = clean(&format!(
            "sleep and memory\n\nSleep and Memory\n\n{BODY}\n\n{BODY2}\n"
        ));
        assert_eq!(out, format!("Sleep and Memory\n\n{BODY}\n\n{BODY2}\n"));
    }

    #[test]
    fn a_page_footer_goes_but_not_a_closing_list_or_references() {
        let page = format!(
            "Title of the Story\n\n{BODY}\n\n{BODY2}\n\nOur Partners\n\nGreenLeaf Clinic\n\nHarbor Health\n\nIf You Have Any Questions About Our Services Send Us A Message. If You Would Like A Visit Call The Number Below.\n\n{FOOTER}\n"
        );
        let (out, rules) = clean(&page);
        assert_eq!(
            out,
            format!("Title of the Story\n\n{BODY}\n\n{BODY2}\n"),
            "{rules:?}"
        );
        let refs = format!("Title\n\n{BODY}\n\n{BODY2}\n\nReferences\n\n- Smith, J. (2019). Sleep and memory. Journal of Sleep, 12(3), 45-60.\n- Lee, A. (2020). Naps. Sleep Reviews, 4, 1-9.\n");
        assert_eq!(clean(&format!("{refs}\n{FOOTER}\n")).0, refs);
        let list =
            format!("Title\n\n{BODY}\n\n{BODY2}\n\nWhat to bring\n\n- Towel\n- Water bottle\n");
        assert_eq!(clean(&format!("{list}\n{FOOTER}\n")).0, list);
    }

    #[test]
    fn the_share_of_words_removed_is_scored() {
        let page = format!("Title of the Story\n\n{BODY}\n\n{FOOTER}\n");
        let out = Boilerplate::default().run(Document::from_text("t", &page));
        let removed: usize = out.edits.iter().map(|e| words(&e.before)).sum();
        let share = removed as f64 / page.lines().map(words).sum::<usize>() as f64;
        assert!(share > 0.3, "{share}");
        assert!((out.doc.scores["boilerplate"] - share).abs() < 0.001);
        let clean = Boilerplate::default().run(Document::from_text("t", BODY));
        assert_eq!(clean.doc.scores["boilerplate"], 0.0);
    }

    #[test]
    fn without_furniture_the_model_alone_removes_nothing() {
        // No phrase family, nothing repeated: likely not a scraped page (a book, a note).
        let text = format!("Our Partners\n\n{BODY}\n\nGreenLeaf Clinic\n\nHarbor Health\n");
        assert_eq!(clean(&text).0, text);
    }

    #[test]
    fn keeps_headings_content_and_look_alikes() {
        let text = format!(
            "A Brief History of Anesthesia\n\n{BODY}\n\nA brief history of the clinic\n\n{BODY}\n\nPublished in 1851, the novel was not a success at first, and its author died poor.\n\nThe report showed that contact with patients improved outcomes.\n\nWe baked cookies for the nurses on Friday, and they were gone by noon.\n\nShare prices rose by four percent after the announcement, analysts said.\n\nA person who sleeps well remembers more, according to the study.\n\nHow YouTube Changed the Way We Learn\n\n{BODY}\n"
        );
        let (out, rules) = clean(&text);
        assert_eq!(out, text, "removed by {rules:?}");
    }

    #[test]
    fn lines_the_user_keeps_are_kept() {
        let keep: HashSet<String> = [fold("Contact Us")].into_iter().collect();
        let out = Boilerplate {
            keep,
            ..Boilerplate::default()
        }
        .run(Document::from_text(
            "t",
            &format!("{BODY}\n\nContact Us\n\n{BODY}\n"),
        ));
        assert!(out.doc.text().contains("Contact Us"));
    }

    #[test]
    fn a_menu_other_sites_repeat_goes_but_not_the_headline_or_a_heading() {
        // Two pages of two sites (one page each: too few for a site template) share a menu, a
        // footer line, a headline (syndicated) and a heading inside the body.
        let page = |menu: &str| {
            format!(
                "{menu}\nSign In\nWorld\nSport\n\nMarkets Rally On Rate Cut\n\n{BODY}\n\nBackground\n\n{BODY2}\n\nAdvertise With Us\n"
            )
        };
        let (a, b) = (page("Home"), page("Start"));
        let (out, _) = clean_in_corpus(&[("a.org", &a), ("b.org", &b)]);
        for gone in ["Sign In", "World", "Advertise With Us"] {
            assert!(!out.contains(gone), "{gone} stays: {out}");
        }
        for kept in ["Markets Rally On Rate Cut", "Background", BODY, BODY2] {
            assert!(out.contains(kept), "{kept} removed: {out}");
        }
    }

    // Content that the first version cut on real pages (issue 17), each in the shape it had.

    #[test]
    fn never_cuts_a_headline_run_into_the_first_sentence() {
        let post = "How I Paid Off My Student Loans In Three Years. It Started With A Budget And A Very Patient Landlord Who Let Me Pay Late.";
        let page = format!("{MENU}\n\n{post}\n\n{BODY}\n\n{BODY2}\n\n{FOOTER}\n");
        let (out, edits) = clean_in_corpus(&[("blog.example", &page)]);
        assert!(out.contains(post), "{edits:?}");
    }

    #[test]
    fn never_cuts_footnote_citations() {
        let notes = "[1] Computer Security Enhancement Act of 1999, H.R. 2413, 106th Cong. (1999).\n\n[2] Security, 106th Cong. (May 11, 2000) (testimony of Robert Holleyman).";
        let page =
            format!("{MENU}\n\nEncryption Policy\n\n{BODY}\n\n{BODY2}\n\n{notes}\n\n{FOOTER}\n");
        let (out, edits) = clean_in_corpus(&[("law.example", &page)]);
        assert!(out.contains(notes), "{edits:?}");
        let bare = "Security, 106th Cong. (May 11, 2000) (testimony of Robert Holleyman).";
        let page =
            format!("{MENU}\n\nEncryption Policy\n\n{BODY}\n\n{BODY2}\n\n{bare}\n\n{FOOTER}\n");
        let (out, edits) = clean_in_corpus(&[("law.example", &page)]);
        assert!(out.contains(bare), "{edits:?}");
    }

    #[test]
    fn never_cuts_an_outlines_numbers_though_other_pages_repeat_them() {
        let outline = |topic: &str| {
            format!("{MENU}\n\nThe Plan for {topic}\n\nThe city council voted last week to rebuild the {topic}, which has been closed since the storm of 2019, and asked us to plan the work.\n\n1.\n\nFirst we survey the {topic} site and record what is there.\n\n2.\n\nThen we draw the {topic} plan with the people who live there.\n\nThe plan for the {topic} will be shown at a public meeting in the spring, and the work should start in the autumn.\n\n{FOOTER}\n")
        };
        let (a, b, c) = (outline("harbor"), outline("park"), outline("school"));
        let (out, edits) = clean_in_corpus(&[
            ("city.example", &a),
            ("city.example", &b),
            ("city.example", &c),
        ]);
        for kept in ["\n1.\n", "\n2.\n", "First we survey the harbor site"] {
            assert!(out.contains(kept), "{kept:?} removed: {edits:?}");
        }
    }

    #[test]
    fn never_cuts_a_heading_that_reads_like_a_caption() {
        let page = format!(
            "{MENU}\n\nPlanning the Garden\n\n{BODY}\n\nA bird's eye view\n\n{BODY2}\n\n{FOOTER}\n"
        );
        let (out, edits) = clean_in_corpus(&[("garden.example", &page)]);
        assert!(out.contains("A bird's eye view"), "{edits:?}");
    }

    #[test]
    fn never_cuts_code_or_tables_in_markdown_though_repeated() {
        let doc = |name: &str| {
            format!("# Using {name}\n\n{BODY}\n\n```\ncargo build --release\ncargo test\n```\n\n| flag | what |\n|---|---|\n| -q | quiet |\n| -j | threads |\n\n    let x = 1;\n    let y = 2;\n\n{BODY2}\n\n{FOOTER}\n")
        };
        let (a, b, c) = (doc("thresh"), doc("ripgrep"), doc("qsv"));
        let (out, edits) = clean_in_corpus(&[("docs", &a), ("docs", &b), ("docs", &c)]);
        for kept in [
            "```\ncargo build --release\ncargo test\n```",
            "| -q | quiet |",
            "|---|---|",
            "    let x = 1;",
        ] {
            assert!(out.contains(kept), "{kept:?} removed: {edits:?}");
        }
    }
}
