//! The boilerplate stage: what a page carries that is not the document.
//!
//! Signals, each a rule in `edits.jsonl`, all removing whole lines:
//! - `phrase`: families of site furniture: "Report this page", "Back to Home", "17 min read",
//!   "Published on ...", share and cookie lines, copyright, calls to action, medical and legal
//!   disclaimers, "Featured Article".
//! - `caption`: image alt text and captions ("A person smiling after ...", "Image Source: ...").
//! - `link_spam`: related-link titles run together ("...Paperback Barnes & Noble®Ketamine-...").
//! - `shape`: lines that are only a URL; title-cased run-on sentences of calls to action.
//! - `repeated_title`: the title said again (in another case, or with "thumbnail" after it) in the
//!   header or the footer.
//! - `footer`: short unpunctuated lines after the last line of body text.
//! - `repeated_line`: lines that recur across many documents of the same site (a first pass over
//!   the corpus counts them), the strongest signal: a site's navigation, footer and notices.
//!
//! Headings stay: a heading is followed by body text. List items are content, so no rule here
//! removes one except as part of a phrase family.

use crate::corpus::CorpusStats;
use crate::document::{Document, Line};
use crate::stages::stage::Recorder;
use crate::stages::stage::{Stage, StageOutput};
use crate::text::{fold, words};
use regex::Regex;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid pattern")
}

/// Whole-line phrase families, matched on the trimmed line (case-insensitive), each with the most
/// words a line may have to be taken for it: a disclaimer runs long, a nav label does not, and a
/// long paragraph that merely mentions "all rights reserved" is content.
static PHRASES: LazyLock<Vec<(Regex, usize)>> = LazyLock::new(|| {
    [
        (r"^report (?:this(?: page| post| article)?|abuse|an issue|a problem)$", 6),
        (r"^(?:back to (?:home|top|the homepage)|return to (?:home|top)|go back)\b.{0,120}$", 12),
        (r"^find (?:other|more) (?:\S+ ){0,3}(?:articles|posts|pdfs?|stories)\b.{0,5}$", 10),
        (r"^\d{1,3}\s*(?:min|mins|minute|minutes)\s+(?:read|reading time)$", 5),
        (r"^(?:reading time:?\s*)?\d{1,3}\s*(?:min|minutes)$", 5),
        (r"^(?:published|posted|updated|last updated)(?:\s+(?:on|en|in|at|by))?(?:\s+\S+){0,5}$", 8),
        (r"^(?:share(?: this(?: article| post| page| story)?)?(?: on)?|tweet|pin it|email|print|facebook|twitter|linkedin|whatsapp|reddit)(?:\s*[|·•,/]?\s*(?:share|tweet|pin it|email|print|facebook|twitter|x|linkedin|whatsapp|reddit|copy link))*$", 12),
        (r"\b(?:we|this (?:site|website)) uses? cookies\b|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings|preferences)\b", 80),
        (r"^(?:©|\(c\)|copyright\b)", 30),
        (r"\ball rights reserved\b", 20),
        (r"\bis not (?:a substitute|intended as a substitute) for professional (?:medical )?advice\b", 100),
        (r"\bnot intended to diagnose, treat, cure,? or prevent any disease\b", 100),
        (r"^(?:contact us|about us|subscribe(?: now| to our newsletter)?|sign up(?: now)?|log ?in|register|book (?:an|your) appointment(?: today| now)?|call (?:us )?(?:now|today)|get started|learn more|read more|click here|fill out (?:this|the) form|click the button below|schedule (?:a|your) (?:consultation|call))\b.{0,40}$", 10),
        (r"^(?:featured|blog|related|recommended|popular|latest|recent) (?:article|articles|post|posts|stories|reading)$", 3),
        (r"^(?:you may also like|related posts?|further reading|more from this author|leave a (?:comment|reply)|\d+ comments?|tags?:.*|categories?:.*)$", 20),
        (r"^(?:privacy policy|terms (?:of (?:use|service)|and conditions))(?:\s*[|·•]\s*.*)?$", 12),
    ]
    .iter()
    .map(|(p, max)| (re(&format!("(?i){p}")), *max))
    .collect()
});
/// The most words any phrase family allows.
const PHRASE_MAX_WORDS: usize = 100;
/// The unanchored families (cookies, rights, disclaimers) can only match a line that holds one of
/// these fragments.
/// Fragments of those families' words, in the cases they are written in; searchers built once.
static UNANCHORED_FRAGMENTS: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
    // Copyright, tags and categories are anchored families: the first-word gate covers them.
    [
        "ookie",
        "OOKIE",
        "eserved",
        "ESERVED",
        "ubstitute",
        "iagnose",
    ]
    .iter()
    .map(|f| memchr::memmem::Finder::new(f.as_bytes()))
    .collect()
});

/// First words (lowercase, edge punctuation trimmed; digits as `0`) that an anchored phrase family
/// can start with, sorted (binary search). Keep in step with `PHRASES`.
const FURNITURE_STARTS: &[&str] = &[
    "(c",
    "0",
    "about",
    "back",
    "blog",
    "book",
    "c",
    "call",
    "categories",
    "category",
    "click",
    "contact",
    "copyright",
    "email",
    "facebook",
    "featured",
    "fill",
    "find",
    "further",
    "get",
    "go",
    "last",
    "latest",
    "learn",
    "leave",
    "linkedin",
    "log",
    "login",
    "more",
    "pin",
    "popular",
    "posted",
    "print",
    "privacy",
    "published",
    "read",
    "reading",
    "recent",
    "recommended",
    "reddit",
    "register",
    "related",
    "report",
    "return",
    "schedule",
    "share",
    "sign",
    "subscribe",
    "tag",
    "tags",
    "terms",
    "tweet",
    "twitter",
    "updated",
    "whatsapp",
    "you",
    "©",
];
/// First words a caption or alt text can start with, sorted. Keep in step with `CAPTION` and
/// `ALT_TEXT`.
const CAPTION_STARTS: &[&str] = &[
    "a",
    "an",
    "close-up",
    "closeup",
    "credit",
    "figure",
    "graphic",
    "group",
    "illustration",
    "image",
    "photo",
    "picture",
    "source",
    "three",
    "two",
];

/// Does the line start with one of these words (a sorted list; ASCII case ignored; a number
/// matches `0`)? Runs on every line, so no allocation: the word is lowercased on the stack.
fn starts_with_any(t: &str, sorted_words: &[&str]) -> bool {
    let Some(w) = t.split(' ').next() else {
        return false;
    };
    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '©');
    let w = w.split(':').next().unwrap_or(w);
    if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) {
        return sorted_words.binary_search(&"0").is_ok();
    }
    let mut buf = [0u8; 24];
    if w.is_empty() || w.len() > buf.len() {
        return false;
    }
    // w.len() <= buf.len(): checked above.
    buf[..w.len()].copy_from_slice(w.as_bytes());
    buf[..w.len()].make_ascii_lowercase();
    std::str::from_utf8(&buf[..w.len()])
        .is_ok_and(|lower| sorted_words.binary_search(&lower).is_ok())
}

/// Captions and credits.
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:image|photo|picture|illustration|figure|graphic) (?:source|credit|courtesy|by)\b|^(?:source|credit|photo|image):\s*\S.{0,100}$",
    )
});
/// Alt text describes a picture: an article, then within two words a thing you can photograph.
static ALT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:A|An|Two|Three|Group of|Close-up of|Closeup of|Image of|Photo of|Picture of|Illustration of) (?:\S+ ){0,2}?(?:person|persons|woman|women|man|men|girl|boy|child|children|kid|kids|doctor|doctors|nurse|patient|patients|people|group|couple|family|hand|hands|bottle|bottles|syringe|vial|pill|pills|tablet|tablets|view|photo|picture|image|illustration|diagram|chart|graph|screenshot|logo|icon|team|therapist|smiling|happy|sad|young|old|older)\b",
    )
});
static CITATION_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"^\([^()]{3,80}\b\d{4}\)$"));
static URL_ONLY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:\S+:\s*)?(?:https?://|www\.)\S+$"));

static IMAGE_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\s+(?:thumbnail|image|photo|featured image|icon|logo)$"));

#[derive(Debug, Default, Clone)]
pub struct Boilerplate {
    /// Lines the user declared content (folded): never removed.
    pub keep: HashSet<String>,
    /// How often each line recurs across the corpus, when a first pass gathered it.
    pub stats: Option<Arc<CorpusStats>>,
}

impl Stage for Boilerplate {
    fn name(&self) -> &'static str {
        "boilerplate"
    }

    fn run(&self, mut doc: Document) -> StageOutput {
        let mut rec = Recorder::new(&doc.id, "boilerplate");
        let counts: Vec<usize> = doc.lines.iter().map(|l| words(&l.text)).collect();
        let body: Vec<bool> = doc
            .lines
            .iter()
            .zip(&counts)
            .map(|(l, &n)| is_body(&l.text, n))
            .collect();
        let region = body_region(&body);
        // The few lines just above the body: a headline, a byline, a first heading. Other sites
        // repeat them too (a headline syndicated, or listed in another page's "most read"), so
        // repetition across sites never removes them.
        let mut near_body = vec![false; doc.lines.len()];
        // A page without body has the empty region 1..=0: at most its first line is above it.
        for i in (0..(*region.start()).min(doc.lines.len()))
            .rev()
            .filter(|&i| !doc.lines[i].is_blank())
            .take(HEADLINE_ZONE)
        {
            near_body[i] = true;
        }
        let repeated: Vec<bool> = match &self.stats {
            Some(stats) => {
                let site = stats.site(&doc.site);
                doc.lines
                    .iter()
                    .zip(&counts)
                    .enumerate()
                    .map(|(i, (l, &words))| {
                        // Long lines are never counted (one word more for a list marker), and
                        // paragraphs and list items inside the body stay even when repeated.
                        if words == 0 || words > crate::corpus::MAX_WORDS + 1 {
                            return false;
                        }
                        if region.contains(&i) && (body[i] || is_list_item(&l.text)) {
                            return false;
                        }
                        // Lines other sites repeat are weaker evidence than a site's own template:
                        // they go only outside the body (menus before it, footers after it).
                        site.is_template(&l.text)
                            || (!region.contains(&i)
                                && !near_body[i]
                                && stats.corpus_documents(&l.text) >= CORPUS_MIN_DOCS)
                    })
                    .collect()
            }
            None => vec![false; doc.lines.len()],
        };
        let verdicts = judge(&doc.lines, &counts, &body, &repeated, &self.keep);
        let mut kept = Vec::with_capacity(doc.lines.len());
        for (line, verdict) in std::mem::take(&mut doc.lines).into_iter().zip(verdicts) {
            match verdict {
                Some(rule) => rec.record(rule, line.text, "", line.origin),
                None => kept.push(line),
            }
        }
        if !rec.edits.is_empty() {
            crate::stages::normalize::blank_lines(&mut kept, &mut rec);
        }
        doc.lines = kept;
        rec.finish(doc)
    }
}

/// A short line found on this many documents of the corpus, of any site, is repeated furniture
/// like a site's template (CCNet's and the ten-line filters' signal), with the same exceptions:
/// headings followed by body text, and paragraphs and list items inside the body, stay.
const CORPUS_MIN_DOCS: u32 = 2;
/// Lines just above the body that repetition across sites leaves alone (see `near_body`).
const HEADLINE_ZONE: usize = 3;

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', ';', '"', '”', ')'])
}

/// Body text: a line that reads as prose (several words and sentence punctuation) or is long;
/// `n` is its word count.
fn is_body(text: &str, n: usize) -> bool {
    (n >= 8 && ends_sentence(text)) || n >= 25
}

/// From the first paragraph to the last, repeated or not (empty when there is none).
fn body_region(body: &[bool]) -> std::ops::RangeInclusive<usize> {
    match (body.iter().position(|&b| b), body.iter().rposition(|&b| b)) {
        (Some(first), Some(last)) => first..=last,
        _ => std::ops::RangeInclusive::new(1, 0),
    }
}

/// For each line, the rule that removes it, if any.
fn judge(
    lines: &[Line],
    counts: &[usize],
    body: &[bool],
    repeated: &[bool],
    keep: &HashSet<String>,
) -> Vec<Option<&'static str>> {
    // verdict, counts, body and repeated hold one entry per line (all made from `lines` by the
    // caller or here): every index below, in 0..lines.len(), is in range for each.
    let mut verdict: Vec<Option<&'static str>> = lines
        .iter()
        .zip(counts)
        .map(|(l, &n)| line_rule(&l.text, n))
        .collect();
    repeated_lines(lines, body, repeated, &mut verdict);

    // A citation on its own line right after a caption belongs to the caption.
    for i in 1..lines.len() {
        let prev = (0..i).rev().find(|&j| !lines[j].text.is_empty());
        if prev.is_some_and(|p| verdict[p] == Some("caption"))
            && CITATION_LINE.is_match(lines[i].text.trim())
        {
            verdict[i] = Some("caption");
        }
    }

    repeated_titles(lines, &mut verdict);

    // The footer: short unpunctuated lines after the last line of content (body text or a list
    // item: a heading before a closing list is content).
    let content = |i: usize| body[i] || is_list_item(&lines[i].text);
    if let Some(last_body) = (0..lines.len())
        .rev()
        .find(|&i| verdict[i].is_none() && content(i))
    {
        for i in last_body + 1..lines.len() {
            let t = lines[i].text.trim();
            if verdict[i].is_none()
                && !t.is_empty()
                && words(t) <= 10
                && !ends_sentence(t)
                && !is_list_item(t)
            {
                verdict[i] = Some("footer");
            }
        }
    }

    for (v, line) in verdict.iter_mut().zip(lines) {
        if v.is_some() && keep.contains(&fold(&line.text)) {
            *v = None;
        }
    }
    verdict
}

/// Lines of the site's template. Inside the body (from its first to its last paragraph) only
/// short non-prose lines go: a paragraph or list item repeated across pages is duplicated content,
/// which dedup reports, not template. A repeated line that stands alone and is followed by body
/// text is a heading ("Conclusion", "Side effects") and stays.
fn repeated_lines(
    lines: &[Line],
    is_body: &[bool],
    repeated: &[bool],
    verdict: &mut [Option<&'static str>],
) {
    if !repeated.contains(&true) {
        return;
    }
    // Indexes are positions of `lines` (< lines.len()); is_body, repeated and verdict have one
    // entry per line.
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .collect();
    let body = |i: usize| is_body[i];
    // The body region, from the first paragraph to the last, repeated or not.
    let first_body = nonblank.iter().copied().find(|&i| body(i));
    let last_body = nonblank.iter().copied().rev().find(|&i| body(i));
    for (k, &i) in nonblank.iter().enumerate() {
        if !repeated[i] || verdict[i].is_some() {
            continue;
        }
        let text = &lines[i].text;
        let next = nonblank.get(k + 1).copied();
        let heading =
            !ends_sentence(text) && next.is_some_and(|n| body(n) || is_list_item(&lines[n].text));
        let in_body = first_body.is_some_and(|f| i >= f) && last_body.is_some_and(|l| i <= l);
        if heading || ((body(i) || is_list_item(text)) && in_body) {
            continue;
        }
        verdict[i] = Some("repeated_line");
    }
}

fn is_list_item(text: &str) -> bool {
    crate::stages::normalize::is_list_item(text)
}

/// Rules that judge a line on its own; `n` is its word count.
fn line_rule(text: &str, n: usize) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    // Most lines are prose that no family can match; rule that out cheaply before any pattern
    // runs. Anchored families need one of their first words; the others one of their fragments.
    if n <= PHRASE_MAX_WORDS
        && (starts_with_any(t, FURNITURE_STARTS)
            || UNANCHORED_FRAGMENTS
                .iter()
                .any(|f| f.find(t.as_bytes()).is_some()))
        && PHRASES.iter().any(|(p, max)| n <= *max && p.is_match(t))
    {
        return Some("phrase");
    }
    if n <= 25
        && starts_with_any(t, CAPTION_STARTS)
        && (CAPTION.is_match(t) || (ALT_TEXT.is_match(t) && !ends_sentence(t) && n >= 3))
    {
        return Some("caption");
    }
    if n <= 2 && URL_ONLY.is_match(t) {
        return Some("shape");
    }
    if n >= 8 {
        // Link spam and banners are mostly capitalized words, from their first words on; prose
        // shows its lowercase words early. Counting capitals in the first 100 bytes rules prose
        // out for both without reading the whole line.
        // Bytes, not a str: no char boundary needed, and t.len().min(100) is in range; windows(2)
        // have w[0] and w[1].
        let head = &t.as_bytes()[..t.len().min(100)];
        let spaces = head.iter().filter(|&&b| b == b' ').count();
        let capitals = head
            .windows(2)
            .filter(|w| w[0] == b' ' && w[1].is_ascii_uppercase())
            .count()
            + 1;
        if capitals * 2 > spaces {
            if is_link_spam(t, n) {
                return Some("link_spam");
            }
            if n >= 12 && titlecase_run_on(t) {
                return Some("shape");
            }
        }
    }
    None
}

/// Titles of related links run together: glued title starts ("NobleKetamine") in a line of
/// capitalized words with no sentence in it, long or split by title separators.
/// How many times a lowercase letter (or `®` or a closing bracket) is glued to the capital that
/// starts the next title: "NobleKetamine", "Noble®Ketamine". A byte scan: this runs on every line.
fn glued_titles(t: &str) -> usize {
    // `®` is C2 AE in UTF-8: its second byte is enough, no other character ends in AE before a
    // capital in text.
    // windows(3): w[0], w[1] and w[2] exist.
    t.as_bytes()
        .windows(3)
        .filter(|w| {
            (w[0].is_ascii_lowercase() || matches!(w[0], b')' | b']' | 0xAE))
                && w[1].is_ascii_uppercase()
                && w[2].is_ascii_lowercase()
        })
        .count()
}

fn is_link_spam(t: &str, n: usize) -> bool {
    let glued = glued_titles(t);
    if glued == 0 {
        return false;
    }
    let capitals = capitalized_share(t);
    let separated = t.contains(" - ") || t.contains(" — ") || t.contains(" | ");
    (glued >= 2 && capitals >= 0.5)
        || (glued >= 1 && capitals >= 0.75 && !ends_sentence(t) && (n >= 20 || separated))
}

/// A sentence-length line in which nearly every word, "To" and "An" included, is capitalized:
/// a button label or banner, not prose and not a heading (it holds a sentence break).
fn titlecase_run_on(t: &str) -> bool {
    t.contains(". ") && capitalized_share(t) >= 0.85
}

fn capitalized_share(t: &str) -> f64 {
    let (mut words, mut capitalized) = (0u32, 0u32);
    for w in t.split_whitespace() {
        match w.chars().next() {
            Some(c) if c.is_alphabetic() => {
                words += 1;
                capitalized += u32::from(c.is_uppercase());
            }
            _ => {}
        }
    }
    if words == 0 {
        0.0
    } else {
        f64::from(capitalized) / f64::from(words)
    }
}

/// The title (the first line) said again: with an image word after it, or in another case, in the
/// first or the last lines of the document. The copy in the best case is kept.
fn repeated_titles(lines: &[Line], verdict: &mut [Option<&'static str>]) {
    // Indexes are positions of `lines`, and verdict has one entry per line.
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .collect();
    let Some(&first) = nonblank.first() else {
        return;
    };
    let edge: HashSet<usize> = nonblank
        .iter()
        .take(6)
        .chain(nonblank.iter().rev().take(8))
        .copied()
        .collect();
    let key = |i: usize| fold(IMAGE_SUFFIX.replace(lines[i].text.trim(), "").as_ref());
    let title = key(first);
    // A title is short and does not end like a sentence.
    if title.is_empty() || words(&title) > 15 || lines[first].text.trim_end().ends_with('.') {
        return;
    }
    // Only a line about the title's length can be a copy (an image word adds a few bytes): the
    // length test spares folding every edge line of every document.
    let len = lines[first].text.trim().len();
    let similar_length = |i: usize| {
        let l = lines[i].text.trim().len();
        l + 20 >= len && l <= len + 20
    };
    let copies: Vec<usize> = nonblank
        .iter()
        .copied()
        .filter(|&i| edge.contains(&i) && similar_length(i) && key(i) == title)
        .collect();
    if copies.len() < 2 {
        return;
    }
    // Keep one copy: not an image caption, not in capitals if another is not, the first.
    let keep = copies.iter().copied().min_by_key(|&i| {
        let t = lines[i].text.trim();
        (
            IMAGE_SUFFIX.is_match(t),
            !t.chars().any(char::is_lowercase),
            i,
        )
    });
    for &i in &copies {
        if Some(i) != keep && verdict[i].is_none() {
            verdict[i] = Some("repeated_title");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> (String, Vec<&'static str>) {
        let out = Boilerplate::default().run(Document::from_text("t", text));

        (out.doc.text(), out.edits.iter().map(|e| e.rule).collect())
    }

    const BODY: &str = "The clinic opened in 2019 and has treated more than two thousand patients since then, most of them referred by their doctors.";

    #[test]
    fn removes_phrase_families() {
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
        ] {
            let (out, rules) = clean(&format!("{BODY}\n\n{line}\n\n{BODY}\n"));
            assert_eq!(out, format!("{BODY}\n\n{BODY}\n"), "{line:?} by {rules:?}");
        }
    }

    #[test]
    fn removes_captions_alt_text_and_link_spam() {
        for line in [
            "A woman holding a cup of tea by the window",
            "An older man smiling at his doctor during a consultation",
            "Image Source: Wikimedia Commons",
            "Photo: Jane Smith",
            "Best Sellers in Health - Bookshop®Sleep Better Tonight: A Guide by Ann Lee, PaperbackThe Calm Mind Podcast",
            "https://example.org/archive/page-2.pdf",
            "Why Sleep Matters - Harbor HealthTen Tips for Better Naps - Rest Magazine",
            "If You Have Any Questions About Our Services Send Us A Message. If You Would Like A Visit Call The Number Below.",
        ] {
            let (out, rules) = clean(&format!("{BODY}\n\n{line}\n\n{BODY}\n"));
            assert_eq!(out, format!("{BODY}\n\n{BODY}\n"), "{line:?} by {rules:?}");
        }
    }

    #[test]
    fn keeps_one_copy_of_a_repeated_title() {
        let (out, rules) = clean(&format!(
            "SLEEP AND MEMORY\n\nSleep and Memory\n\nSleep and Memory\n\n{BODY}\n"
        ));
        assert_eq!(out, format!("Sleep and Memory\n\n{BODY}\n"));
        assert_eq!(rules.iter().filter(|r| **r == "repeated_title").count(), 2);
        let (out, _) = clean(&format!(
            "Sleep and Memory thumbnail\n\nSleep and Memory\n\n{BODY}\n"
        ));
        assert_eq!(out, format!("Sleep and Memory\n\n{BODY}\n"));
    }

    #[test]
    fn removes_a_footer_but_not_a_closing_list_or_references() {
        let (out, _) = clean(&format!(
            "Title\n\n{BODY}\n\nOur Partners\n\nGreenLeaf Clinic\n\nHarbor Health\n"
        ));
        assert_eq!(out, format!("Title\n\n{BODY}\n"));
        let refs = format!("Title\n\n{BODY}\n\nReferences\n\n- Smith, J. (2019). Sleep and memory. Journal of Sleep, 12(3), 45-60.\n- Lee, A. (2020). Naps. Sleep Reviews, 4, 1-9.\n");
        assert_eq!(clean(&refs).0, refs);
        let list = format!("Title\n\n{BODY}\n\nWhat to bring\n\n- Towel\n- Water bottle\n");
        assert_eq!(clean(&list).0, list);
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
    fn first_word_lists_are_sorted_for_binary_search() {
        assert!(FURNITURE_STARTS.windows(2).all(|w| w[0] < w[1]));
        assert!(CAPTION_STARTS.windows(2).all(|w| w[0] < w[1]));
        assert!(starts_with_any("Copyright 2023 X", FURNITURE_STARTS));
        assert!(starts_with_any("17 min read", FURNITURE_STARTS));
        assert!(!starts_with_any("The clinic opened", FURNITURE_STARTS));
    }

    #[test]
    fn lines_the_user_keeps_are_kept() {
        let keep: HashSet<String> = [fold("Contact Us")].into_iter().collect();
        let out = Boilerplate { keep, stats: None }.run(Document::from_text(
            "t",
            &format!("{BODY}\n\nContact Us\n\n{BODY}\n"),
        ));
        assert!(out.doc.text().contains("Contact Us"));
    }

    #[test]
    fn lines_other_sites_repeat_go_outside_the_body_but_not_headlines() {
        // Two pages of two sites (one page each: too few for a site template) share a menu line,
        // a footer line, a headline and a heading inside the body.
        let page = |menu: &str| {
            format!(
                "{menu}\nSign In\nWorld\nSport\n\nMarkets Rally On Rate Cut\n\n{BODY}\n\nBackground\n\n{BODY} More.\n\nAdvertise With Us\n"
            )
        };
        let (a, b) = (page("Home"), page("Start"));
        let stats = Arc::new(CorpusStats::of_texts(
            false,
            [("a.org", a.as_str()), ("b.org", b.as_str())],
        ));
        let boilerplate = Boilerplate {
            keep: HashSet::new(),
            stats: Some(stats),
        };
        let mut doc = Document::from_text("a", &a);
        doc.site = "a.org".into();
        let out = boilerplate.run(doc).doc.text();
        for gone in ["Sign In", "Advertise With Us"] {
            assert!(!out.contains(gone), "{gone} stays: {out}");
        }
        // Seen once: stays. The lines just above the body (the headline, the last of the menu) and
        // the heading inside the body stay though repeated.
        for kept in ["Home", "Markets Rally On Rate Cut", "Sport", "Background"] {
            assert!(out.contains(kept), "{kept} removed: {out}");
        }
    }
}
