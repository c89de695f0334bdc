//! Spans of text shared between documents, wherever they stand: a press release quoted inside ten
//! stories, an encyclopedia paragraph pasted into a forum answer across different line breaks.
//!
//! Each document's words are hashed as [`shingle`](super::shingle) does (letters and digits,
//! lowercased: case, punctuation, spacing and line breaks never make two copies differ), with
//! their byte offsets. The hashes of its word `K`-grams are **winnowed** (Schleimer, Wilkerson and
//! Aiken, "Winnowing: local algorithms for document fingerprinting", 2003, the method of MOSS):
//! of every `WINDOW` consecutive `K`-grams the smallest hash is kept. Two documents that share a
//! run of `K + WINDOW - 1` words share at least one kept hash, whatever surrounds the run, and a
//! document keeps about `2 / (WINDOW + 1)` of its `K`-grams, so the index grows with the corpus,
//! not with the number of pairs.
//!
//! Shared hashes are anchors, a position in each of two documents. Anchors of one pair of
//! documents that follow each other on nearly the same diagonal (a few words put in or left out,
//! as light edits do) chain into a span; a span of fewer than `min_words` words, or held up by
//! too few anchors, is a chance phrase and is dropped. A hash found in too many documents (a
//! stock phrase, a site's template) anchors nothing.

use super::shingle::{fmix64, for_each_word};
use std::ops::Range;

/// Words per hashed gram: long enough that two unrelated texts rarely share one by chance, short
/// enough that a light edit (one word in 25) leaves most grams of a copy whole.
pub const K: usize = 5;
/// Grams per winnowing window: a shared run of `K + WINDOW - 1` = 16 words always leaves a common
/// fingerprint, a 30-word copy leaves about four, and a document keeps 2 of every 13 grams.
/// (A window of 6 found the same planted spans with twice the prints; see the README.)
pub const WINDOW: usize = 12;
/// Anchors of one span may be this many words apart: beyond it, the run between them shares no
/// gram and the copy has ended.
const MAX_GAP: u32 = 3 * WINDOW as u32 + K as u32;
/// Documents a kept gram may stand in and still anchor a span: one in more is a stock phrase
/// ("at the end of the day") or a template, and every pair of its documents would be compared.
pub const MAX_DOCS: usize = 50;
/// The earliest documents holding a gram that the others are anchored to: a copy is matched with
/// its first few sources, not with every other copy.
const MAX_SOURCES: usize = 3;
/// Places in one document a gram anchors from.
const MAX_REPEATS: usize = 4;
/// Words a copy may gain or lose between two anchors and stay one span.
const MAX_DRIFT: i64 = 6;

/// A word of a document: its hash and where it stands in the text, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
    /// Whether it is the first word of its line.
    pub starts_line: bool,
    /// Whether a sentence starts with it: the first of its line or after a sentence's end.
    pub starts_sentence: bool,
    /// Whether a sentence ends after it: `.`, `!` or `?` (closing quotes and brackets around
    /// them) up to the next space or the text's end.
    pub ends_sentence: bool,
}

/// Quotation marks and brackets that close what a sentence's last word began.
fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»')
}

/// Whether the text from `end` (just after a word) to the next space closes a sentence: it is
/// made only of `.`, `!`, `?`, closing quotes and brackets, and holds one of the first three.
#[inline]
fn closes_sentence(text: &str, end: usize) -> bool {
    // Most words are followed by a space or a comma: one byte says so.
    match text.as_bytes().get(end) {
        None => return false,
        Some(b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']' | 0xC2 | 0xE2) => {}
        Some(_) => return false,
    }
    let mut stop = false;
    for c in text[end..].chars() {
        match c {
            '.' | '!' | '?' => stop = true,
            c if is_closing(c) => {}
            c if c.is_whitespace() => return stop,
            _ => return false,
        }
    }
    stop
}

/// The words of `text` with their byte offsets: maximal runs of letters and digits, hashed as
/// [`shingle`](super::shingle) hashes them.
pub fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(text.len() / 6);
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes()).peekable();
    for_each_word(text, |hash, start, end| {
        // A line break between the last word and this one: the line breaks passed are dropped.
        let mut starts_line = out.is_empty();
        while newlines.next_if(|&n| n < start).is_some() {
            starts_line = true;
        }
        let starts_sentence = starts_line || out.last().is_some_and(|w| w.ends_sentence);
        out.push(Word {
            hash,
            start: start as u32,
            end: end as u32,
            starts_line,
            starts_sentence,
            ends_sentence: closes_sentence(text, end),
        });
    });
    out
}

/// The word-set similarity of a span's two places below which it is two chance grams, not a
/// copy: a copy with one word in ten changed keeps about 0.8.
const MIN_SIMILARITY: f64 = 0.5;

/// Words per line a span must average, in one of its two places, to be prose: calendars, archive
/// lists and menus shared across sites ("May 2006 / April 2006 / ...") are not passages anyone
/// copied.
const PROSE_WORDS_PER_LINE: usize = 6;

/// Whether these words read as prose: enough words to a line on average.
fn is_prose(words: &[Word]) -> bool {
    let lines = words.iter().skip(1).filter(|w| w.starts_line).count() + 1;
    words.len() >= PROSE_WORDS_PER_LINE * lines
}

/// A kept gram: the top 40 bits of its hash and the index of its first word (24 bits), in one
/// word: the index holds one per 6.5 words of the corpus. Forty bits keep chance collisions
/// between unrelated grams to a few in a corpus of a billion prints (and a collision anchors
/// nothing alone); a document's prints stop at its 16.7-millionth word (`MAX_AT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GramPrint(u64);

/// Words past this index of a document leave no prints.
pub const MAX_AT: usize = 1 << 24;

impl GramPrint {
    fn new(hash: u64, at: u32) -> GramPrint {
        GramPrint((hash & !0xFF_FFFF) | u64::from(at))
    }

    pub fn hash(self) -> u64 {
        self.0 & !0xFF_FFFF
    }

    /// The index of the gram's first word.
    pub fn at(self) -> u32 {
        (self.0 & 0xFF_FFFF) as u32
    }
}

/// The hash of the `K` word hashes from `at`: each word's hash rotated by its place, so order
/// counts, and the whole mixed once. The word hashes are already mixed (each ends in a 64-bit
/// finalizer), so one mix per gram is enough: five were 4% of a dedup run.
#[inline]
fn gram(words: &[u64], at: usize) -> u64 {
    let w = &words[at..at + K];
    fmix64(
        w[0] ^ w[1].rotate_left(13)
            ^ w[2].rotate_left(26)
            ^ w[3].rotate_left(39)
            ^ w[4].rotate_left(52),
    )
}

/// The winnowed grams of a document, from its word hashes, in order: the smallest hash of every
/// window of `WINDOW` grams (the rightmost of equals), each kept once.
pub fn winnow(words: &[u64]) -> Vec<GramPrint> {
    let words = &words[..words.len().min(MAX_AT)];
    if words.len() < K {
        return Vec::new();
    }
    let grams: Vec<u64> = (0..=words.len() - K).map(|i| gram(words, i)).collect();
    let window = WINDOW.min(grams.len());
    let mut out: Vec<GramPrint> = Vec::with_capacity(2 * grams.len() / (WINDOW + 1) + 1);
    // The rightmost smallest of the first window, then kept as the window slides: a new gram
    // no larger takes its place, and the window is searched again only when it leaves.
    let rightmost_min = |range: std::ops::Range<usize>| {
        let start = range.start;
        grams[range]
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|&(_, h)| *h)
            .map(|(i, _)| start + i)
            .expect("a window is never empty")
    };
    let mut min = rightmost_min(0..window);
    out.push(GramPrint::new(grams[min], min as u32));
    for end in window + 1..=grams.len() {
        let start = end - window;
        let new = end - 1;
        let next = if grams[new] <= grams[min] {
            new
        } else if min < start {
            rightmost_min(start..end)
        } else {
            continue;
        };
        if next != min {
            min = next;
            out.push(GramPrint::new(grams[min], min as u32));
        }
    }
    out
}

/// A span found in two documents: word ranges in each (`a < b` in input order), how many
/// anchors hold it up, and the word-set similarity of its two places once verified.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedSpan {
    pub a: u32,
    pub a_words: Range<u32>,
    pub b: u32,
    pub b_words: Range<u32>,
    pub anchors: u32,
    pub similarity: f64,
    /// Where the words stand in each text, in bytes (from the first word's start to the last's
    /// end), once verified.
    pub a_bytes: Range<u32>,
    pub b_bytes: Range<u32>,
}

/// Words the finder always finds a shared run of: a run of `K + WINDOW - 1` words leaves a common
/// print whatever surrounds it, a shorter one only by chance. Spans below it are never reported,
/// so what is found does not depend on luck.
pub const MIN_FOUND_WORDS: u32 = (K + WINDOW - 1) as u32;

/// How long a shared span must be to be a passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinSpan {
    pub words: u32,
    /// Whether two whole sentences are enough too, down to [`MIN_FOUND_WORDS`]: the default
    /// ("2 sentences or 30 words, whichever is shorter"); a length the user gives is the length.
    pub or_two_sentences: bool,
}

impl MinSpan {
    /// Two whole sentences or 30 words: two sentences of news prose average about 40 words.
    pub const DEFAULT: MinSpan = MinSpan {
        words: 30,
        or_two_sentences: true,
    };

    /// Exactly `words` words or more.
    pub fn words(words: u32) -> MinSpan {
        MinSpan {
            words,
            or_two_sentences: false,
        }
    }
}

/// The spans two documents share, from the candidates of the pair ([`candidate_spans`]) and the
/// words of its two documents: each is extended to where the copies stop agreeing, overlapping
/// ones merged, and those kept that are long enough, prose, and alike in their words.
pub fn verify(candidates: &[SharedSpan], a: &[Word], b: &[Word], min: MinSpan) -> Vec<SharedSpan> {
    let mut spans: Vec<SharedSpan> = candidates.iter().map(|s| extend(s.clone(), a, b)).collect();
    // Two chains of one copy, split by an edit the anchors could not bridge, reach the same
    // words once extended: they are one span.
    spans.sort_by_key(|s| (s.a_words.start, s.b_words.start));
    let mut merged: Vec<SharedSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.a_words.start <= m.a_words.end && s.b_words.start <= m.b_words.end => {
                m.a_words.end = m.a_words.end.max(s.a_words.end);
                m.b_words.end = m.b_words.end.max(s.b_words.end);
                m.anchors += s.anchors;
            }
            _ => merged.push(s),
        }
    }
    let long_enough = |w: &[Word]| {
        w.len() as u32 >= min.words
            || (min.or_two_sentences
                && w.len() as u32 >= MIN_FOUND_WORDS
                && whole_sentences_in(w) >= 2)
    };
    merged.retain_mut(|s| {
        let (pa, pb) = (place(a, &s.a_words), place(b, &s.b_words));
        if !(long_enough(pa) && long_enough(pb) && (is_prose(pa) || is_prose(pb))) {
            return false;
        }
        // Between two anchors nothing was compared: two chance grams on one diagonal
        // ("to send a message to") would make a span of the unrelated words between them.
        s.similarity = word_set_similarity(pa, pb);
        s.a_bytes = byte_range(pa);
        s.b_bytes = byte_range(pb);
        s.similarity >= MIN_SIMILARITY
    });
    merged
}

/// From the first word's start to the last word's end.
fn byte_range(words: &[Word]) -> Range<u32> {
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => first.start..last.end,
        _ => 0..0,
    }
}

/// The words of a range.
fn place<'a>(words: &'a [Word], r: &Range<u32>) -> &'a [Word] {
    &words[r.start as usize..r.end as usize]
}

/// How many whole sentences a run of words holds: those that start in it (at its first word
/// only if that word starts a sentence) and end in it.
fn whole_sentences_in(words: &[Word]) -> usize {
    let Some(first) = words.first() else {
        return 0;
    };
    let mut started = first.starts_sentence;
    let mut n = 0;
    for w in words {
        started |= w.starts_line;
        if w.ends_sentence && started {
            n += 1;
        }
        started |= w.ends_sentence;
    }
    n
}

/// One occurrence of a shared passage: a document, the words it spans there, and its word-set
/// similarity to the first occurrence (1 for the first).
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub doc: u32,
    pub words: Range<u32>,
    /// Where the words stand in the document's text, in bytes.
    pub bytes: Range<u32>,
    pub similarity: f64,
}

/// Passage clusters from the spans two documents share: the first occurrence in input order is
/// the source, and every later copy of it joins its cluster. A copy that several earlier
/// documents hold (a wire story in the first two papers and then a third) joins the earliest;
/// the source's spans that overlap are one occurrence. Ordered by the source's place in the
/// input.
pub fn clusters(spans: &[SharedSpan]) -> Vec<Vec<Occurrence>> {
    // Each copy goes to its earliest source: a span whose copy lies inside the copies of spans
    // from earlier documents is theirs.
    let mut by_copy: Vec<&SharedSpan> = spans.iter().collect();
    by_copy.sort_by_key(|s| (s.b, s.a, s.a_words.start, s.b_words.start));
    let mut chosen: Vec<&SharedSpan> = Vec::new();
    for group in by_copy.chunk_by(|x, y| x.b == y.b) {
        let first = chosen.len();
        for &s in group {
            if !taken_by_earlier(s, chosen[first..].iter().copied()) {
                chosen.push(s);
            }
        }
    }
    // Then the copies of one source gather, the source's overlapping spans as one occurrence.
    chosen.sort_by_key(|s| (s.a, s.a_words.start, s.b, s.b_words.start));
    let mut out: Vec<Vec<Occurrence>> = Vec::new();
    let mut source_end = 0u32;
    for s in chosen {
        let copy = Occurrence {
            doc: s.b,
            words: s.b_words.clone(),
            bytes: s.b_bytes.clone(),
            similarity: s.similarity,
        };
        match out.last_mut() {
            Some(c) if c[0].doc == s.a && s.a_words.start < source_end => {
                // Words and bytes rise together: the later end is the later end of both.
                c[0].words.end = c[0].words.end.max(s.a_words.end);
                c[0].bytes.end = c[0].bytes.end.max(s.a_bytes.end);
                source_end = c[0].words.end;
                c.push(copy);
            }
            _ => {
                source_end = s.a_words.end;
                out.push(vec![
                    Occurrence {
                        doc: s.a,
                        words: s.a_words.clone(),
                        bytes: s.a_bytes.clone(),
                        similarity: 1.0,
                    },
                    copy,
                ]);
            }
        }
    }
    for c in &mut out {
        c[1..].sort_by_key(|o| (o.doc, o.words.start));
    }
    out
}

/// The Jaccard similarity of two runs of words' sets, as documents are compared.
fn word_set_similarity(a: &[Word], b: &[Word]) -> f64 {
    let set = |w: &[Word]| -> Vec<u64> {
        let mut set: Vec<u64> = w.iter().map(|w| w.hash).collect();
        set.sort_unstable();
        set.dedup();
        set
    };
    let (a, b) = (set(a), set(b));
    let shared = super::intersect::merge(&a, &b);
    let union = a.len() + b.len() - shared;
    if union == 0 {
        1.0
    } else {
        shared as f64 / union as f64
    }
}

/// `range` of `text` (a run of words) with the quotation marks and brackets that open it and
/// the punctuation that closes it: a passage shown or cut reads as it was written.
pub fn with_punctuation(text: &str, range: Range<usize>) -> Range<usize> {
    let opening = |c: char| matches!(c, '"' | '\'' | '(' | '[' | '“' | '‘' | '«');
    let closing = |c: char| matches!(c, '.' | '!' | '?') || is_closing(c);
    let start = range.start
        - text[..range.start]
            .chars()
            .rev()
            .take_while(|&c| opening(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let end = range.end
        + text[range.end..]
            .chars()
            .take_while(|&c| closing(c))
            .map(char::len_utf8)
            .sum::<usize>();
    start..end
}

/// The part of `range` of `text` that is whole sentences: a copy cut at its own ends may start or
/// stop mid-sentence, and removing it must not leave half a sentence behind. The end first takes
/// in the punctuation after the copy's last word; then the start moves on to the next sentence's
/// start, the end back to the last sentence's end; `None` if no whole sentence is left.
///
/// A sentence ends at `.`, `!` or `?` (closing quotes and brackets after it) before a space, and
/// at a line's end when the next line is blank, missing, or starts other than in lowercase (a
/// heading, a paragraph of its own): a line broken inside a sentence (hard-wrapped text) goes on
/// in lowercase. A sentence starts after a sentence's end and its spaces, at the text's start,
/// or at a line's start that follows a sentence's end.
pub fn whole_sentences(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    // Whether a sentence ends just before byte `i`, a character boundary.
    let ends_at = |i: usize| {
        let before = text[..i].trim_end_matches(is_closing);
        if before.ends_with(['.', '!', '?']) && (i == bytes.len() || bytes[i].is_ascii_whitespace())
        {
            return true;
        }
        if i < bytes.len() && bytes[i] != b'\n' {
            return false;
        }
        // A line's end: the next line says whether the sentence went on.
        let next = text.get(i + 1..).unwrap_or("");
        let next = next.split('\n').next().unwrap_or("").trim_start();
        next.chars().next().is_none_or(|c| !c.is_lowercase())
    };
    // Whether a sentence starts at byte `i`: after a sentence's end and the spaces after it.
    let starts_at = |i: usize| {
        let j = text[..i].trim_end().len();
        j == 0 || ends_at(j)
    };
    let mut end = with_punctuation(text, range.start..range.end.min(bytes.len())).end;
    let mut start = range.start;
    while start < end && (bytes[start].is_ascii_whitespace() || !starts_at(start)) {
        start += 1;
        while !text.is_char_boundary(start) {
            start += 1;
        }
    }
    while end > start && !ends_at(end) {
        end -= 1;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
    }
    let end = start + text[start..end].trim_end().len();
    (start < end).then_some(start..end)
}

/// The chains of anchors that two documents share, from each document's winnowed prints
/// (`prints[doc]`), before their ends are found ([`extend`]). A gram kept in more than
/// `max_docs` documents anchors nothing. Each pair's candidates are together, the pairs sorted
/// by their later document, then their earlier ([`earliest_sources`]).
pub fn candidate_spans(prints: &[&[GramPrint]], max_docs: usize) -> Vec<SharedSpan> {
    let postings: Vec<(u64, u32, u32)> = prints
        .iter()
        .enumerate()
        .flat_map(|(doc, ps)| ps.iter().map(move |p| (p.hash(), doc as u32, p.at())))
        .collect();
    // Made in document order, and each document's prints in word order: a stable sort by the
    // hash alone (its top 40 bits) leaves each hash's places in (document, word) order.
    let postings = super::radix::sort_stable_by_bytes(postings, |p| p.0, 3..8);
    // A gram repeated within a document (a chorus, a repeated disclaimer) anchors from its first
    // few places only: every place against every place would grow with the square of the repeats.
    let postings: Vec<(u64, u32, u32)> = postings
        .chunk_by(|x, y| (x.0, x.1) == (y.0, y.1))
        .flat_map(|same| same.iter().take(MAX_REPEATS).copied())
        .collect();
    let mut anchors: Vec<(u32, u32, u32, u32)> = Vec::new();
    for group in postings.chunk_by(|x, y| x.0 == y.0) {
        // Most grams are in one document only: that is settled without counting.
        if group[0].1 == group[group.len() - 1].1 {
            continue;
        }
        // Each document is anchored to the first few that hold the gram, not to every other:
        // a copy joins its earliest source, and a passage on forty pages would otherwise make
        // 780 pairs to verify instead of 120. `first_places` ends the places of those few.
        let (mut docs, mut first_places) = (1, group.len());
        for (i, pair) in group.windows(2).enumerate() {
            if pair[0].1 != pair[1].1 {
                docs += 1;
                if docs == MAX_SOURCES + 1 {
                    first_places = i + 1;
                }
            }
        }
        if docs > max_docs {
            continue;
        }
        for (i, x) in group[..first_places].iter().enumerate() {
            for y in &group[i + 1..] {
                if x.1 != y.1 {
                    anchors.push((x.1, y.1, x.2, y.2));
                }
            }
        }
    }
    anchors.sort_unstable();
    let mut spans = Vec::new();
    for pair in anchors.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        spans.extend(chain(pair));
    }
    earliest_sources(spans)
}

/// Whether the copy of span `s` (in its later document) lies mostly (half or more) in the copies
/// of spans of the same later document from documents before `s`'s source, and what is left is
/// fewer words than a passage could be found in: a copy belongs to its earliest sources, and only what they do not hold is left to
/// a later one (a wire story's paragraph the first paper cut, which the second kept).
fn taken_by_earlier<'a>(s: &SharedSpan, copies: impl Iterator<Item = &'a SharedSpan>) -> bool {
    let covered: u32 = copies
        .filter(|t| t.a < s.a)
        .map(|t| {
            s.b_words
                .end
                .min(t.b_words.end)
                .saturating_sub(s.b_words.start.max(t.b_words.start))
        })
        .sum();
    let len = s.b_words.len() as u32;
    2 * covered >= len && len < covered + MIN_FOUND_WORDS
}

/// The candidates left once each copy keeps only its earliest sources ([`taken_by_earlier`]), as
/// [`clusters`] would give that copy to them anyway. Each pair costs reading two texts, and a
/// passage on forty pages would otherwise be verified against every earlier page that holds it.
/// Sorted by the later document, then the earlier, then position in the later.
fn earliest_sources(mut spans: Vec<SharedSpan>) -> Vec<SharedSpan> {
    spans.sort_by_key(|s| (s.b, s.a, s.b_words.start));
    let mut kept: Vec<SharedSpan> = Vec::with_capacity(spans.len());
    for copies in spans.chunk_by(|x, y| x.b == y.b) {
        let first = kept.len();
        for s in copies {
            if !taken_by_earlier(s, kept[first..].iter()) {
                kept.push(s.clone());
            }
        }
    }
    kept
}

/// The span with its ends moved out to where the two copies stop agreeing: the first and last
/// anchors stand up to a window inside the copy's ends. A light edit does not stop it: a word
/// replaced, put in or left out is stepped over when the next `RESUME` words agree again.
pub fn extend(mut span: SharedSpan, a: &[Word], b: &[Word]) -> SharedSpan {
    let (sa, sb) = (&mut span.a_words, &mut span.b_words);
    for forward in [true, false] {
        let (ea, eb) = if forward {
            (&mut sa.end, &mut sb.end)
        } else {
            (&mut sa.start, &mut sb.start)
        };
        let (i, j) = reach(a, b, *ea as usize, *eb as usize, forward);
        (*ea, *eb) = (i as u32, j as u32);
    }
    span
}

/// Words that must agree after an edit for the copy to go on.
const RESUME: usize = 3;

/// How far two copies agree from `(i, j)` on (forward: the words at `i`, `j` and after; backward:
/// the words before them), stepping over single-word edits: the new `(i, j)`.
fn reach(a: &[Word], b: &[Word], mut i: usize, mut j: usize, forward: bool) -> (usize, usize) {
    // The hash of the word `k` places past `edge`, if there is one.
    let at = |words: &[Word], edge: usize, k: usize| -> Option<u64> {
        if forward {
            words.get(edge + k).map(|w| w.hash)
        } else {
            edge.checked_sub(k + 1).map(|x| words[x].hash)
        }
    };
    let agree = |i: usize, j: usize, da: usize, db: usize, n: usize| {
        (0..n).all(|k| matches!((at(a, i, da + k), at(b, j, db + k)), (Some(x), Some(y)) if x == y))
    };
    let moved = |edge: usize, n: usize| if forward { edge + n } else { edge - n };
    loop {
        if agree(i, j, 0, 0, 1) {
            (i, j) = (moved(i, 1), moved(j, 1));
            continue;
        }
        // A word replaced, a word put into b, a word left out of b.
        let Some((da, db)) = [(1, 1), (0, 1), (1, 0)]
            .into_iter()
            .find(|&(da, db)| agree(i, j, da, db, RESUME))
        else {
            return (i, j);
        };
        (i, j) = (moved(i, da + RESUME), moved(j, db + RESUME));
    }
}

/// The spans the anchors of one pair of documents make (sorted by position in `a`): each anchor
/// joins the open chain it follows closest on its diagonal, or opens one.
fn chain(anchors: &[(u32, u32, u32, u32)]) -> Vec<SharedSpan> {
    struct Chain {
        a: Range<u32>,
        b: Range<u32>,
        last_a: u32,
        last_b: u32,
        anchors: u32,
    }
    let mut chains: Vec<Chain> = Vec::new();
    for &(_, _, at_a, at_b) in anchors {
        let diagonal = i64::from(at_b) - i64::from(at_a);
        let follows = chains
            .iter_mut()
            .filter(|c| {
                at_a > c.last_a
                    && at_b > c.last_b
                    && at_a - c.last_a <= MAX_GAP
                    && at_b - c.last_b <= MAX_GAP
                    && (diagonal - (i64::from(c.last_b) - i64::from(c.last_a))).abs() <= MAX_DRIFT
            })
            .min_by_key(|c| at_a - c.last_a);
        match follows {
            Some(c) => {
                c.a.end = at_a + K as u32;
                c.b.end = at_b + K as u32;
                c.last_a = at_a;
                c.last_b = at_b;
                c.anchors += 1;
            }
            None => chains.push(Chain {
                a: at_a..at_a + K as u32,
                b: at_b..at_b + K as u32,
                last_a: at_a,
                last_b: at_b,
                anchors: 1,
            }),
        }
    }
    let (doc_a, doc_b) = anchors.first().map_or((0, 0), |x| (x.0, x.1));
    let mut out: Vec<SharedSpan> = chains
        .into_iter()
        // A copy of 30 words leaves about 2 * 26 / (WINDOW + 1) = 4 anchors; one anchor alone is
        // a chance gram.
        .filter(|c| c.anchors >= 2)
        .map(|c| SharedSpan {
            a: doc_a,
            a_words: c.a,
            b: doc_b,
            b_words: c.b,
            anchors: c.anchors,
            similarity: 0.0,
            a_bytes: 0..0,
            b_bytes: 0..0,
        })
        .collect();
    out.sort_by_key(|s| (s.a_words.start, s.b_words.start));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The spans at least `min` long that documents share, from each document's words
    /// (`words[doc]`), as `thresh dedup` finds them from its index. A gram kept in more than
    /// `max_docs` documents anchors nothing.
    fn shared_spans(words: &[Vec<Word>], min: MinSpan, max_docs: usize) -> Vec<SharedSpan> {
        let prints: Vec<Vec<GramPrint>> = words
            .iter()
            .map(|w| winnow(&w.iter().map(|w| w.hash).collect::<Vec<_>>()))
            .collect();
        let prints: Vec<&[GramPrint]> = prints.iter().map(Vec::as_slice).collect();
        candidate_spans(&prints, max_docs)
            .chunk_by(|x, y| (x.a, x.b) == (y.a, y.b))
            .flat_map(|pair| {
                let (a, b) = (&words[pair[0].a as usize], &words[pair[0].b as usize]);
                verify(pair, a, b, min)
            })
            .collect()
    }

    fn spans_of(texts: &[&str], min_words: u32) -> Vec<SharedSpan> {
        let min_words = MinSpan::words(min_words);
        let ws: Vec<Vec<Word>> = texts.iter().map(|t| words(t)).collect();
        shared_spans(&ws, min_words, MAX_DOCS)
    }

    /// Made-up prose: words drawn from a vocabulary large enough that two texts share no run.
    fn prose(seed: u64, n: usize) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("w{}", x % 5000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_carry_their_offsets_and_fold_case_and_punctuation() {
        let text = "The Bridge, re-opened\nin 1932.";
        let ws = words(text);
        let spelled: Vec<&str> = ws
            .iter()
            .map(|w| &text[w.start as usize..w.end as usize])
            .collect();
        assert_eq!(spelled, ["The", "Bridge", "re", "opened", "in", "1932"]);
        assert_eq!(words("the bridge")[1].hash, words("THE BRIDGE!")[1].hash);
        let starts: Vec<bool> = ws.iter().map(|w| w.starts_line).collect();
        assert_eq!(starts, [true, false, false, false, true, false]);
    }

    #[test]
    fn a_copy_across_other_line_breaks_and_case_is_found_with_its_extent() {
        let span = prose(1, 40);
        let a = format!("{}. {span}. {}", prose(2, 60), prose(3, 30));
        let broken: String = span
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i % 9 == 8 {
                    format!("{}\n", w.to_uppercase())
                } else {
                    format!("{w} ")
                }
            })
            .collect();
        let b = format!("{}\n\n{broken}\n{}", prose(4, 50), prose(5, 20));
        let found = spans_of(&[&a, &b], 30);
        assert_eq!(found.len(), 1, "{found:?}");
        let s = &found[0];
        // The span reaches from the copy's start to its end, give or take a gram's edge.
        assert!((s.a_words.start as i64 - 60).abs() <= K as i64, "{s:?}");
        assert!((s.a_words.end as i64 - 100).abs() <= K as i64, "{s:?}");
        assert!((s.b_words.start as i64 - 50).abs() <= K as i64, "{s:?}");
    }

    #[test]
    fn a_lightly_edited_copy_stays_one_span() {
        let span = prose(7, 60);
        let mut edited: Vec<String> = span.split(' ').map(str::to_string).collect();
        edited[20] = "changed".into();
        edited.remove(41);
        let a = format!("{} {span} {}", prose(8, 30), prose(9, 30));
        let b = format!("{} {} {}", prose(10, 25), edited.join(" "), prose(11, 25));
        let found = spans_of(&[&a, &b], 30);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].a_words.len() >= 50, "{found:?}");
    }

    #[test]
    fn a_text_repeated_many_times_in_a_document_stays_cheap() {
        let chorus = prose(21, 40);
        let a = vec![chorus.as_str(); 500].join("\n");
        let b = format!("{} {chorus}", prose(22, 30));
        let found = spans_of(&[&a, &b], 30);
        assert!(!found.is_empty());
        assert!(found.len() <= MAX_REPEATS * 2, "{}", found.len());
    }

    #[test]
    fn lists_of_short_lines_are_not_passages() {
        let archive: String = (0..40).map(|m| format!("Month {m} 2006\n\n")).collect();
        let a = format!("{}\n{archive}", prose(41, 30));
        let b = format!("{archive}\n{}", prose(42, 30));
        assert!(spans_of(&[&a, &b], 30).is_empty());
    }

    #[test]
    fn copies_gather_around_their_earliest_source() {
        let story = prose(31, 60);
        let texts = [
            format!("{} {story}", prose(32, 20)),
            format!("{story} {}", prose(33, 20)),
            format!("{} {story} {}", prose(34, 10), prose(35, 10)),
        ];
        let ws: Vec<Vec<Word>> = texts.iter().map(|t| words(t)).collect();
        let spans = shared_spans(&ws, MinSpan::DEFAULT, MAX_DOCS);
        // The third copy is compared with the first only: its earliest source.
        let pairs: Vec<(u32, u32)> = spans.iter().map(|s| (s.a, s.b)).collect();
        assert_eq!(pairs, [(0, 1), (0, 2)], "{spans:?}");
        let found = clusters(&spans);
        assert_eq!(found.len(), 1, "{found:?}");
        let docs: Vec<u32> = found[0].iter().map(|o| o.doc).collect();
        assert_eq!(docs, [0, 1, 2]);
        assert_eq!(found[0][0].words, 20..80);
        assert!(found[0].iter().all(|o| o.similarity == 1.0));
    }

    #[test]
    fn a_cut_keeps_sentences_whole() {
        let text = "First one. The copy starts here and. Goes on to the end. Last one.";
        // The copied span begins mid-sentence ("starts here...") and ends mid-sentence ("Last").
        let from = text.find("starts").unwrap();
        let to = text.rfind("one.").unwrap();
        let cut = whole_sentences(text, from..to).unwrap();
        assert_eq!(&text[cut], "Goes on to the end.");
        assert_eq!(whole_sentences(text, 0..text.len()), Some(0..text.len()));
        assert_eq!(whole_sentences(text, from..from + 5), None);
        let lines = "A line without a stop\nNext line here.";
        assert_eq!(whole_sentences(lines, 0..lines.len()), Some(0..lines.len()));
        // The copy's last word stands before its full stop: the sentence is whole.
        let to_word = text.rfind("end.").unwrap() + 3;
        assert_eq!(
            &text[whole_sentences(text, from..to_word).unwrap()],
            "Goes on to the end."
        );
        // Hard-wrapped prose: a line break inside a sentence neither starts nor ends one, and
        // the blank line after a paragraph is not part of the cut.
        let wrapped =
            "He said the army\nwould leave. The talks\nfailed again. Then\nrain.\n\nNext.";
        let cut = whole_sentences(wrapped, 4..wrapped.find("Then").unwrap()).unwrap();
        assert_eq!(&wrapped[cut], "The talks\nfailed again.");
        let para = "First paragraph ends here.\n\nSecond one starts";
        let cut = whole_sentences(para, 0..para.find("Second").unwrap() + 6).unwrap();
        assert_eq!(&para[cut], "First paragraph ends here.");
    }

    #[test]
    fn short_or_unrelated_shared_runs_are_not_spans() {
        let phrase = "at the end of the day one of the most important things";
        let a = format!("{} {phrase} {}", prose(12, 40), prose(13, 40));
        let b = format!("{} {phrase} {}", prose(14, 40), prose(15, 40));
        assert!(spans_of(&[&a, &b], 30).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn winnowing_keeps_the_rightmost_smallest_of_every_window(
            // Few distinct words, so equal grams (and ties) are common.
            words in prop::collection::vec(0u64..4, 0..200),
        ) {
            let naive: Vec<u32> = if words.len() < K {
                Vec::new()
            } else {
                let grams: Vec<u64> = (0..=words.len() - K).map(|i| gram(&words, i)).collect();
                let window = WINDOW.min(grams.len());
                let mut out: Vec<u32> = Vec::new();
                for end in window..=grams.len() {
                    let at = (end - window..end).rev().min_by_key(|&i| grams[i]).unwrap() as u32;
                    if out.last() != Some(&at) {
                        out.push(at);
                    }
                }
                out
            };
            let ours: Vec<u32> = winnow(&words).iter().map(|g| g.at()).collect();
            prop_assert_eq!(ours, naive);
        }

        #[test]
        fn words_hash_as_the_dedup_shingles_do(text in "([a-zA-Z0-9]{1,8}|[ ,.\n'’-]{1,3}|[éÉßİΣσ日本]{1,3}){0,40}") {
            let ours: Vec<u64> = words(&text).iter().map(|w| w.hash).collect();
            prop_assert_eq!(ours, crate::dedup::shingle::word_hashes(&text));
        }

        #[test]
        fn the_spans_do_not_depend_on_where_the_documents_were_read(seed in 0u64..1_000_000) {
            // Three documents sharing one span, given twice: the same spans each time (the later
            // two each with the first).
            let span = prose(seed, 50);
            let texts = [
                format!("{} {span}", prose(seed + 1, 20)),
                format!("{span} {}", prose(seed + 2, 20)),
                format!("{} {span} {}", prose(seed + 3, 5), prose(seed + 4, 5)),
            ];
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let once = spans_of(&refs, 30);
            prop_assert_eq!(once.len(), 2);
            prop_assert_eq!(once, spans_of(&refs, 30));
        }

        #[test]
        fn a_planted_span_is_found_whatever_surrounds_it(
            seed in 0u64..1_000_000,
            before_a in 0usize..200,
            before_b in 0usize..200,
            len in 30usize..150,
            after in 0usize..100,
        ) {
            let span = prose(seed, len);
            let a = format!("{} {span} {}", prose(seed + 1, before_a), prose(seed + 2, after));
            let b = format!("{} {span} {}", prose(seed + 3, before_b), prose(seed + 4, after));
            let found = spans_of(&[&a, &b], 30);
            prop_assert!(
                found.iter().any(|s| s.a_words.len() + 2 * K >= len && (s.a_words.start as i64 - before_a as i64).abs() <= K as i64),
                "{found:?}"
            );
        }

        #[test]
        fn unrelated_documents_share_no_span(seed in 0u64..1_000_000, n in 50usize..400) {
            let texts: Vec<String> = (0..4).map(|k| prose(seed * 7 + k, n)).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            prop_assert!(spans_of(&refs, 30).is_empty());
        }
    }
}
