//! Rules that judge a line by its words: the phrase families of site furniture, captions and alt
//! text, related-link spam, lines that are only a URL or a title-cased call to action, and the
//! title said again. The block model takes the families as features; only the repeated title is a
//! verdict of its own.

use super::blocks::ends_sentence;
use crate::document::Line;
use crate::text::{fold, words};
use regex::Regex;
use std::collections::HashSet;
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
/// A source in brackets on its own line ("(Jamie Sleigh, Et al. 2014)"): after a caption, the
/// caption's credit.
static CAPTION_CREDIT: LazyLock<Regex> = LazyLock::new(|| re(r"^\([^()]{3,80}\b\d{4}\)$"));

pub fn is_caption_credit(t: &str) -> bool {
    CAPTION_CREDIT.is_match(t.trim())
}
static URL_ONLY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:\S+:\s*)?(?:https?://|www\.)\S+$"));

static IMAGE_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\s+(?:thumbnail|image|photo|featured image|icon|logo)$"));

/// Rules that judge a line on its own; `n` is its word count.
pub fn line_rule(text: &str, n: usize) -> Option<&'static str> {
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

pub fn is_link_spam(t: &str, n: usize) -> bool {
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

pub fn capitalized_share(t: &str) -> f64 {
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
/// Returns the copy kept, when there are copies.
pub fn repeated_titles(lines: &[Line], verdict: &mut [Option<&'static str>]) -> Option<usize> {
    // Indexes are positions of `lines`, and verdict has one entry per line.
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .collect();
    let &first = nonblank.first()?;
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
        return None;
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
        return None;
    }
    // Keep the best-cased copy: not an image caption, not in capitals, not all in lowercase when
    // another has its capitals, then the one with the most capitalized words (a title in title
    // case over the same title in sentence case), then the first.
    let keep = copies.iter().copied().min_by_key(|&i| {
        let t = lines[i].text.trim();
        (
            IMAGE_SUFFIX.is_match(t),
            !t.chars().any(char::is_lowercase),
            !t.chars().any(char::is_uppercase),
            std::cmp::Reverse((capitalized_share(t) * 100.0) as u32),
            i,
        )
    });
    for &i in &copies {
        if Some(i) != keep && verdict[i].is_none() {
            verdict[i] = Some("repeated_title");
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_word_lists_are_sorted_for_binary_search() {
        assert!(FURNITURE_STARTS.windows(2).all(|w| w[0] < w[1]));
        assert!(CAPTION_STARTS.windows(2).all(|w| w[0] < w[1]));
        assert!(starts_with_any("Copyright 2023 X", FURNITURE_STARTS));
        assert!(starts_with_any("17 min read", FURNITURE_STARTS));
        assert!(!starts_with_any("The clinic opened", FURNITURE_STARTS));
    }
}
