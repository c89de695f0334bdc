//! A document read for dedup: its words and passages, line by line. The fingerprint is made from
//! it once it is known which lines are the site's template ([`Scan::finish`]).
//!
//! The two steps are apart so that a run which needs no corpus statistics before its stages run
//! (`--steps dedup`, `normalize,dedup`) can read the corpus once: each document is scanned as it
//! flows, with the keys of its lines, which are counted on the way; the scans wait in a log,
//! and are finished when the counts are complete. Other runs count lines in a first pass and
//! finish each scan at once.

use super::fingerprint::{doc_hasher, words_hash, Fingerprint, DOC_PERMS};
use super::shingle;
use super::spans::{winnow, K};
use super::verify::Shingled;
use crate::document::Document;

/// Documents of this many words or more have their 3-grams hashed as they are used rather than
/// held in a list (a 25-million-word document would hold 200 MB of them); below it, holding them
/// is faster, and costs little.
const STREAM_TRIGRAMS: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// The hash of the document's site ([`crate::corpus::site_key`]); 0 for none known.
    site: u64,
    /// Whether the fingerprint takes the span finder's grams (not when passages are off, or
    /// when only signatures are written).
    spans: bool,
    /// The word hashes of every line, in order.
    words: Vec<u64>,
    lines: Vec<ScannedLine>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct ScannedLine {
    /// Where the line's words end in `Scan::words`.
    words_end: u32,
    /// Hash of the line's text, trimmed; 0 for a blank line (and, once in 2^64 lines, for a line
    /// whose hash is 0, which then counts as blank).
    text: u64,
    /// The key the corpus counts the line by (`corpus::line_key`), when asked for; 0 for none.
    key: u64,
    /// Whether the line is a paragraph (`corpus::is_long`): the corpus needs more pages to call
    /// a paragraph template than a short line.
    long: bool,
    /// The 1-based input line it comes from.
    origin: u32,
}

impl Scan {
    /// Scan a document; with `keys`, also the key of each line, for counting it against its site.
    pub fn of(doc: &Document, keys: bool) -> Scan {
        let mut words: Vec<u64> =
            Vec::with_capacity(doc.lines.iter().map(|l| l.text.len()).sum::<usize>() / 6);
        let mut lines = Vec::with_capacity(doc.lines.len());
        for line in &doc.lines {
            shingle::push_word_hashes(&line.text, &mut words);
            let trimmed = line.text.trim();
            let text = if trimmed.is_empty() {
                0
            } else {
                xxhash_rust::xxh3::xxh3_64(trimmed.as_bytes())
            };
            let key = if keys && text != 0 {
                crate::text::line_key(&line.text).map_or(0, |(k, _)| k)
            } else {
                0
            };
            lines.push(ScannedLine {
                words_end: words.len() as u32,
                text,
                key,
                long: key != 0 && crate::corpus::is_long(&line.text),
                origin: line.origin,
            });
        }
        let site = match doc.site.as_str() {
            "" => 0,
            site => crate::corpus::site_key(site).max(1),
        };
        Scan {
            site,
            spans: true,
            words,
            lines,
        }
    }

    /// The same scan, finished without the span finder's grams: no passages will be looked for.
    pub fn without_spans(mut self) -> Scan {
        self.spans = false;
        self
    }

    /// The hash of the document's site; 0 for none known.
    pub fn site(&self) -> u64 {
        self.site
    }

    /// The keys of the document's lines (nonzero, distinct, sorted), each with whether its line
    /// is a paragraph, for counting.
    pub fn keys(&self) -> Vec<(u64, bool)> {
        let mut keys: Vec<(u64, bool)> = self
            .lines
            .iter()
            .map(|l| (l.key, l.long))
            .filter(|&(k, _)| k != 0)
            .collect();
        keys.sort_unstable();
        keys.dedup_by_key(|&mut (k, _)| k);
        keys
    }

    /// The fingerprint, leaving out of the document's similarity (and its exact hash) and out of
    /// its shared spans the lines for which `template(line index, line key)` holds; blank lines
    /// are never asked about.
    pub fn finish(self, template: impl Fn(usize, u64) -> bool) -> Fingerprint {
        let Scan {
            site,
            spans,
            mut words,
            lines: scanned,
        } = self;
        let mut left_out: Vec<bool> = scanned
            .iter()
            .enumerate()
            .map(|(i, line)| line.text != 0 && template(i, line.key))
            .collect();
        // Where the site is not known (a folder of files, records without a URL) a paragraph
        // on many documents is no one site's template: a press release quoted in ten stories.
        let text_words = words.len() as u32;
        let grams = match (spans, site) {
            (false, _) => Vec::new(),
            (true, 0) => winnow(&words),
            (true, _) => content_grams(&words, &scanned, &left_out),
        };
        let origins = origin_runs(&scanned);
        // A page that is all template (a page of links, a search form) is compared whole:
        // left empty, it would be an exact copy of every other such page.
        let mut start = 0;
        let has_words = |i: usize, start: &mut usize| {
            let line = &scanned[i];
            let words = line.words_end as usize > *start;
            *start = line.words_end as usize;
            words
        };
        if (0..scanned.len())
            .filter(|&i| has_words(i, &mut start))
            .all(|i| left_out[i])
        {
            left_out.fill(false);
        }
        // The words of the lines that count, gathered in place: the scan's own words are not
        // needed after this, and for a huge document a copy would be its largest allocation.
        let mut lines = Vec::with_capacity(scanned.len());
        let mut exact = xxhash_rust::xxh3::Xxh3Default::new();
        let (mut read, mut kept) = (0usize, 0usize);
        for (i, line) in scanned.iter().enumerate() {
            let range = read..line.words_end as usize;
            read = range.end;
            if left_out[i] {
                continue;
            }
            if !range.is_empty() {
                lines.push(words_hash(&words[range.clone()]));
            }
            if line.text != 0 {
                exact.update(&line.text.to_le_bytes());
            }
            let n = range.len();
            words.copy_within(range, kept);
            kept += n;
        }
        words.truncate(kept);
        lines.sort_unstable();
        let (signature, sets) = if words.len() < STREAM_TRIGRAMS {
            let trigrams = shingle::trigrams(&words);
            (
                doc_hasher().signature(&trigrams),
                Shingled::of_shingles(&words, &trigrams),
            )
        } else {
            // A huge document's 3-grams are hashed twice rather than held: 8 bytes a word less.
            let mut signature = vec![0; DOC_PERMS].into_boxed_slice();
            doc_hasher().signature_into(shingle::trigram_hashes(&words), &mut signature);
            (
                signature,
                Shingled::of_shingle_iter(&words, shingle::trigram_hashes(&words)),
            )
        };
        Fingerprint {
            words: words.len() as u32,
            text_words,
            exact: exact.digest128(),
            sequence: words_hash(&words),
            signature,
            sets,
            grams,
            origins,
            site,
            lines,
        }
    }

    /// About what the scan holds on the heap, in bytes.
    pub fn heap_bytes(&self) -> usize {
        8 * self.words.len() + std::mem::size_of::<ScannedLine>() * self.lines.len()
    }

    /// The length of [`Scan::encode`]'s bytes.
    pub fn encoded_len(&self) -> usize {
        17 + 8 * self.words.len() + 25 * self.lines.len()
    }

    /// Little-endian: the site, whether spans are taken, counts of words and lines, then each in
    /// turn.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        out.extend_from_slice(&self.site.to_le_bytes());
        out.push(u8::from(self.spans));
        for n in [self.words.len(), self.lines.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for w in &self.words {
            out.extend_from_slice(&w.to_le_bytes());
        }
        self.encode_tail(out);
    }

    /// The lines of [`Scan::encode`].
    fn encode_tail(&self, out: &mut Vec<u8>) {
        for l in &self.lines {
            out.extend_from_slice(&l.words_end.to_le_bytes());
            out.extend_from_slice(&l.text.to_le_bytes());
            out.extend_from_slice(&l.key.to_le_bytes());
            out.push(u8::from(l.long));
            out.extend_from_slice(&l.origin.to_le_bytes());
        }
    }

    /// [`Scan::encode`], written to `out` a block at a time: a huge scan is never copied whole.
    pub fn encode_to(&self, out: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        let mut block = Vec::with_capacity(1 << 16);
        block.extend_from_slice(&self.site.to_le_bytes());
        block.push(u8::from(self.spans));
        for n in [self.words.len(), self.lines.len()] {
            block.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for words in self.words.chunks(1 << 12) {
            for w in words {
                block.extend_from_slice(&w.to_le_bytes());
            }
            out.write_all(&block)?;
            block.clear();
        }
        self.encode_tail(&mut block);
        out.write_all(&block)
    }

    /// [`Scan::decode`] from a reader: the words are read a block at a time into their list.
    /// `len` is how many bytes the encoding takes at most (a damaged word count cannot reserve
    /// more than that).
    pub fn decode_from(input: &mut impl std::io::Read, len: usize) -> Option<Scan> {
        let mut head = [0u8; 17];
        input.read_exact(&mut head).ok()?;
        let (site, spans) = Scan::decode_head(&head)?;
        // i < 2: a 4-byte slice of the 8-byte count part of the head.
        let count = |i: usize| {
            u32::from_le_bytes(head[9 + 4 * i..13 + 4 * i].try_into().expect("4 bytes")) as usize
        };
        let (n_words, n_lines) = (count(0), count(1));
        if n_words > len / 8 {
            return None;
        }
        let mut words = Vec::with_capacity(n_words);
        let mut block = vec![0u8; 8 << 12];
        while words.len() < n_words {
            let take = (n_words - words.len()).min(1 << 12);
            input.read_exact(&mut block[..8 * take]).ok()?;
            words.extend(
                block[..8 * take]
                    .chunks_exact(8)
                    .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))),
            );
        }
        let mut rest = Vec::new();
        input.read_to_end(&mut rest).ok()?;
        Scan::decode_tail((site, spans), words, n_lines, &rest)
    }

    pub fn decode(mut bytes: &[u8]) -> Option<Scan> {
        let (head, rest) = bytes.split_first_chunk::<17>()?;
        let (site, spans) = Scan::decode_head(head)?;
        // i < 2: a 4-byte slice of the count part of the head; chunks_exact(8) below gives
        // 8-byte slices.
        let count = |i: usize| {
            u32::from_le_bytes(head[9 + 4 * i..13 + 4 * i].try_into().expect("4 bytes")) as usize
        };
        let (n_words, n_lines) = (count(0), count(1));
        bytes = rest;
        let (words, rest) = bytes.split_at_checked(n_words.checked_mul(8)?)?;
        let words = words
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect();
        Scan::decode_tail((site, spans), words, n_lines, rest)
    }

    /// The scan of these words, with its lines decoded from `bytes`.
    /// The site and the spans flag of an encoded scan's head.
    fn decode_head(head: &[u8; 17]) -> Option<(u64, bool)> {
        let site = u64::from_le_bytes(head[..8].try_into().expect("8 bytes"));
        let spans = match head[8] {
            0 => false,
            1 => true,
            _ => return None,
        };
        Some((site, spans))
    }

    fn decode_tail(
        (site, spans): (u64, bool),
        words: Vec<u64>,
        n_lines: usize,
        mut bytes: &[u8],
    ) -> Option<Scan> {
        fn take<const N: usize>(bytes: &mut &[u8]) -> Option<[u8; N]> {
            let (head, rest) = bytes.split_first_chunk::<N>()?;
            *bytes = rest;
            Some(*head)
        }
        let u32_of = |b: &mut &[u8]| take::<4>(b).map(u32::from_le_bytes);
        let u64_of = |b: &mut &[u8]| take::<8>(b).map(u64::from_le_bytes);
        let lines = (0..n_lines)
            .map(|_| {
                Some(ScannedLine {
                    words_end: u32_of(&mut bytes)?,
                    text: u64_of(&mut bytes)?,
                    key: u64_of(&mut bytes)?,
                    long: match take::<1>(&mut bytes)? {
                        [0] => false,
                        [1] => true,
                        _ => return None,
                    },
                    origin: u32_of(&mut bytes)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        if !bytes.is_empty()
            || lines
                .last()
                .is_some_and(|l| l.words_end as usize != words.len())
        {
            return None;
        }
        Some(Scan {
            site,
            spans,
            words,
            lines,
        })
    }

    #[cfg(test)]
    fn key(&self, i: usize) -> u64 {
        self.lines[i].key
    }
}

/// The winnowed grams of a document's words ([`winnow`]) that lie wholly in lines that are not
/// left out: a site's template is boilerplate, not a passage anyone copied.
fn content_grams(
    words: &[u64],
    lines: &[ScannedLine],
    left_out: &[bool],
) -> Vec<super::spans::GramPrint> {
    // The line holding word `w`: the first whose words end after it.
    let line_of = |w: usize| lines.partition_point(|l| l.words_end as usize <= w);
    let mut grams = winnow(words);
    if left_out.iter().any(|&t| t) {
        grams.retain(|g| {
            let at = g.at() as usize;
            (line_of(at)..=line_of(at + K - 1)).all(|i| !left_out.get(i).copied().unwrap_or(true))
        });
    }
    grams
}

/// Where each run of lines starts and the input line it comes from, for lines whose input line
/// is not the one after the line before's: most documents have a handful, where a document
/// holds a line per input line.
fn origin_runs(lines: &[ScannedLine]) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let follows = runs
            .last()
            .is_some_and(|&(at, origin)| i as u32 - at + origin == line.origin);
        if !follows {
            runs.push((i as u32, line.origin));
        }
    }
    runs
}

impl Fingerprint {
    pub fn of(doc: &Document) -> Fingerprint {
        Fingerprint::with_template(doc, &|_| false)
    }

    /// The fingerprint of a document whose lines for which `template` holds count as passages but
    /// not towards its similarity to other documents (nor towards its exact hash).
    pub fn with_template(doc: &Document, template: &dyn Fn(&str) -> bool) -> Fingerprint {
        // `i` is a line of the scan of this very document.
        Scan::of(doc, false).finish(|i, _| template(&doc.lines[i].text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Home | News | Sport\n\nThe river authority said on Tuesday that the new flood barrier would be finished \
        before the winter rains, two years later than planned and at almost twice the original cost, and that \
        residents would be told first.\nShort line.\n\n© 2024 Example News, all rights reserved";

    #[test]
    fn scans_survive_encoding() {
        let scan = Scan::of(&Document::from_text("x", PAGE), true);
        assert_eq!(scan.lines.len(), 6);
        let mut bytes = Vec::new();
        scan.encode(&mut bytes);
        assert_eq!(Scan::decode(&bytes), Some(scan.clone()));
        assert_eq!(Scan::decode(&bytes[..bytes.len() - 1]), None);
        bytes.push(0);
        assert_eq!(Scan::decode(&bytes), None);
        bytes.pop();
        // Streamed the same, whatever the size (more words than one block).
        let long = Document::from_text("y", &format!("{PAGE}\n{}", "word ".repeat(10_000)));
        for scan in [scan.clone().without_spans(), scan, Scan::of(&long, true)] {
            let (mut whole, mut streamed) = (Vec::new(), Vec::new());
            scan.encode(&mut whole);
            scan.encode_to(&mut streamed).unwrap();
            assert_eq!(whole, streamed);
            assert_eq!(
                Scan::decode_from(&mut &whole[..], whole.len()),
                Some(scan.clone())
            );
            assert_eq!(
                Scan::decode_from(&mut &whole[..whole.len() - 9], whole.len() - 9),
                None
            );
        }
    }

    #[test]
    fn keys_are_the_corpus_keys_of_non_blank_lines() {
        let doc = Document::from_text("x", PAGE);
        let scan = Scan::of(&doc, true);
        for (i, line) in doc.lines.iter().enumerate() {
            let expected = crate::text::line_key(&line.text).map_or(0, |(k, _)| k);
            assert_eq!(
                scan.key(i),
                if line.is_blank() { 0 } else { expected },
                "{:?}",
                line.text
            );
        }
        assert_eq!(scan.keys().len(), 4);
        assert!(Scan::of(&doc, false).keys().is_empty());
    }

    #[test]
    fn template_lines_leave_the_similarity_and_the_spans() {
        let doc = Document::from_text("x", PAGE);
        let whole = Scan::of(&doc, false).finish(|_, _| false);
        let header =
            |i: usize| doc.lines[i].text.starts_with("Home") || doc.lines[i].text.starts_with('©');
        let content = Scan::of(&doc, false).finish(|i, _| header(i));
        assert!(content.words < whole.words);
        let on_site = |text: &str| {
            let mut doc = Document::from_text("x", text);
            doc.site = "example.com".into();
            doc
        };
        assert_ne!(content.exact, whole.exact);
        // Every gram of the content is kept; the header and footer leave theirs.
        assert!(!content.grams.is_empty());
        assert!(content.grams.iter().all(|g| whole.grams.contains(g)));
        let long_header = format!("Home | News | Sport | {}", "Menu item ".repeat(20));
        let page = on_site(&PAGE.replacen("Home | News | Sport", &long_header, 1));
        let header_words = shingle::word_hashes(&long_header).len() as u32;
        let all = Scan::of(&page, false).finish(|_, _| false);
        let site_content = Scan::of(&page, false).finish(|i, _| i == 0);
        assert!(all.grams.iter().any(|g| g.at() < header_words));
        assert!(!site_content.grams.is_empty());
        assert!(site_content.grams.iter().all(|g| g.at() >= header_words));
        // A page of no known site has no site template to leave out of its spans.
        let no_site = Document::from_text("x", &page.text());
        let unknown = Scan::of(&no_site, false).finish(|i, _| i == 0);
        assert_eq!(unknown.grams, all.grams);
        // The same content without the template lines, nor the blank lines around them.
        let bare = Document::from_text(
            "x",
            &PAGE
                .lines()
                .filter(|l| !l.starts_with("Home") && !l.starts_with('©'))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let bare = Scan::of(&bare, false).finish(|_, _| false);
        assert_eq!(
            (bare.exact, bare.words, bare.sequence, &bare.sets),
            (
                content.exact,
                content.words,
                content.sequence,
                &content.sets
            )
        );
        assert_eq!(bare.signature, content.signature);
    }

    #[test]
    fn input_lines_are_kept_as_runs() {
        // Lines 1-3 from input lines 1-3, then a joined line: line 4 comes from input line 7.
        let mut doc = Document::from_text("x", "a\nb\nc\nd\ne");
        doc.lines[3].origin = 7;
        doc.lines[4].origin = 8;
        let print = Scan::of(&doc, false).finish(|_, _| false);
        assert_eq!(print.origins, vec![(0, 1), (3, 7)]);
        let origins: Vec<u32> = (0..5)
            .map(|i| super::super::fingerprint::origin_of(&print.origins, i))
            .collect();
        assert_eq!(origins, [1, 2, 3, 7, 8]);
    }

    #[test]
    fn exact_copies_differ_only_in_blank_lines_and_spacing_at_line_ends() {
        let print = |text: &str| {
            Scan::of(&Document::from_text("x", text), false)
                .finish(|_, _| false)
                .exact
        };
        assert_eq!(
            print("One line.\nTwo lines."),
            print("\n  One line.\n\n\nTwo lines.  \n")
        );
        assert_ne!(
            print("One line.\nTwo lines."),
            print("One line. Two lines.")
        );
        assert_ne!(
            print("One line.\nTwo lines."),
            print("One line.\nTwo  lines.")
        );
        assert_ne!(
            print("One line.\nTwo lines."),
            print("Two lines.\nOne line.")
        );
    }
}
