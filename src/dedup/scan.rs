//! A document read for dedup: its words and passages, line by line. The fingerprint is made from
//! it once it is known which lines are the site's template ([`Scan::finish`]).
//!
//! The two steps are apart so that a run which needs no corpus statistics before its stages run
//! (`--steps dedup`, `normalize,dedup`) can read the corpus once: each document is scanned as it
//! flows, with the keys of its lines, which are counted on the way; the scans wait in a log,
//! and are finished when the counts are complete. Other runs count lines in a first pass and
//! finish each scan at once.

use super::fingerprint::{
    doc_hasher, passage_hasher, words_hash, Fingerprint, PassagePrint, DOC_PERMS,
    PASSAGE_MIN_WORDS, PASSAGE_PERMS,
};
use super::shingle;
use super::verify::Shingled;
use crate::document::Document;

/// Documents of this many words or more have their 3-grams hashed as they are used rather than
/// held in a list (a 25-million-word document would hold 200 MB of them); below it, holding them
/// is faster, and costs little.
const STREAM_TRIGRAMS: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// The word hashes of every line, in order.
    words: Vec<u64>,
    lines: Vec<ScannedLine>,
    passages: Vec<ScannedPassage>,
}

/// A line long enough to be a passage; its signature is taken when the scan is finished, and only
/// if no passage with the same words was indexed before (it would be the same).
#[derive(Debug, Clone, Copy, PartialEq)]
struct ScannedPassage {
    line_index: u32,
    origin: u32,
    exact: u64,
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
}

impl Scan {
    /// Scan a document; with `keys`, also the key of each line, for counting it against its site.
    pub fn of(doc: &Document, keys: bool) -> Scan {
        let mut words: Vec<u64> =
            Vec::with_capacity(doc.lines.iter().map(|l| l.text.len()).sum::<usize>() / 6);
        let mut lines = Vec::with_capacity(doc.lines.len());
        let mut passages = Vec::new();
        for (i, line) in doc.lines.iter().enumerate() {
            let start = words.len();
            shingle::push_word_hashes(&line.text, &mut words);
            let line_words = &words[start..];
            if line_words.len() >= PASSAGE_MIN_WORDS {
                passages.push(ScannedPassage {
                    line_index: i as u32,
                    origin: line.origin,
                    exact: words_hash(line_words),
                });
            }
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
            });
        }
        Scan {
            words,
            lines,
            passages,
        }
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

    /// The fingerprint, leaving out of the document's similarity (and its exact hash) the lines
    /// for which `template(line index, line key)` holds; blank lines are never asked about. They
    /// still count as passages. A passage whose words `known(word hash)` says were indexed
    /// before gets no signature of its own.
    pub fn finish(
        self,
        template: impl Fn(usize, u64) -> bool,
        known: impl Fn(u64) -> bool,
    ) -> Fingerprint {
        // As Scan::of makes them, words_end never decreases and the last is words.len(), and a
        // passage's line_index is one of the lines; decode_tail checks only the last words_end.
        let line_words = |i: usize| {
            let start = if i == 0 {
                0
            } else {
                self.lines[i - 1].words_end as usize
            };
            &self.words[start..self.lines[i].words_end as usize]
        };
        let passages = self
            .passages
            .iter()
            .map(|p| {
                let signature = (!known(p.exact)).then(|| {
                    let mut signature = [0; PASSAGE_PERMS];
                    passage_hasher().signature_into(
                        shingle::trigram_hashes(line_words(p.line_index as usize)),
                        &mut signature,
                    );
                    signature
                });
                PassagePrint {
                    line_index: p.line_index,
                    origin: p.origin,
                    exact: p.exact,
                    signature,
                }
            })
            .collect();
        // The words of the lines that count, gathered in place: the scan's own words are not
        // needed after this, and for a huge document a copy would be its largest allocation.
        let Scan {
            mut words,
            lines: scanned,
            ..
        } = self;
        let mut left_out: Vec<bool> = scanned
            .iter()
            .enumerate()
            .map(|(i, line)| line.text != 0 && template(i, line.key))
            .collect();
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
            exact: exact.digest128(),
            sequence: words_hash(&words),
            signature,
            sets,
            passages,
            lines,
        }
    }

    /// About what the scan holds on the heap, in bytes.
    pub fn heap_bytes(&self) -> usize {
        8 * self.words.len()
            + std::mem::size_of::<ScannedLine>() * self.lines.len()
            + std::mem::size_of::<ScannedPassage>() * self.passages.len()
    }

    /// The length of [`Scan::encode`]'s bytes.
    pub fn encoded_len(&self) -> usize {
        12 + 8 * self.words.len() + 21 * self.lines.len() + 16 * self.passages.len()
    }

    /// Little-endian: counts of words, lines and passages, then each in turn.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        for n in [self.words.len(), self.lines.len(), self.passages.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for w in &self.words {
            out.extend_from_slice(&w.to_le_bytes());
        }
        self.encode_tail(out);
    }

    /// The lines and passages of [`Scan::encode`].
    fn encode_tail(&self, out: &mut Vec<u8>) {
        for l in &self.lines {
            out.extend_from_slice(&l.words_end.to_le_bytes());
            out.extend_from_slice(&l.text.to_le_bytes());
            out.extend_from_slice(&l.key.to_le_bytes());
            out.push(u8::from(l.long));
        }
        for p in &self.passages {
            out.extend_from_slice(&p.line_index.to_le_bytes());
            out.extend_from_slice(&p.origin.to_le_bytes());
            out.extend_from_slice(&p.exact.to_le_bytes());
        }
    }

    /// [`Scan::encode`], written to `out` a block at a time: a huge scan is never copied whole.
    pub fn encode_to(&self, out: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        let mut block = Vec::with_capacity(1 << 16);
        for n in [self.words.len(), self.lines.len(), self.passages.len()] {
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
        let mut head = [0u8; 12];
        input.read_exact(&mut head).ok()?;
        // i < 3: a 4-byte slice of the 12-byte head.
        let count = |i: usize| {
            u32::from_le_bytes(head[4 * i..4 * i + 4].try_into().expect("4 bytes")) as usize
        };
        let (n_words, n_lines, n_passages) = (count(0), count(1), count(2));
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
        Scan::decode_tail(words, n_lines, n_passages, &rest)
    }

    pub fn decode(mut bytes: &[u8]) -> Option<Scan> {
        let (head, rest) = bytes.split_first_chunk::<12>()?;
        // i < 3: a 4-byte slice of the 12-byte head; chunks_exact(8) below gives 8-byte slices.
        let count = |i: usize| {
            u32::from_le_bytes(head[4 * i..4 * i + 4].try_into().expect("4 bytes")) as usize
        };
        let (n_words, n_lines, n_passages) = (count(0), count(1), count(2));
        bytes = rest;
        let (words, rest) = bytes.split_at_checked(n_words.checked_mul(8)?)?;
        let words = words
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect();
        Scan::decode_tail(words, n_lines, n_passages, rest)
    }

    /// The scan of these words, with its lines and passages decoded from `bytes`.
    fn decode_tail(
        words: Vec<u64>,
        n_lines: usize,
        n_passages: usize,
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
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let passages = (0..n_passages)
            .map(|_| {
                Some(ScannedPassage {
                    line_index: u32_of(&mut bytes)?,
                    origin: u32_of(&mut bytes)?,
                    exact: u64_of(&mut bytes)?,
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
            words,
            lines,
            passages,
        })
    }

    #[cfg(test)]
    fn key(&self, i: usize) -> u64 {
        self.lines[i].key
    }
}

impl Fingerprint {
    pub fn of(doc: &Document) -> Fingerprint {
        Fingerprint::with_template(doc, &|_| false)
    }

    /// The fingerprint of a document whose lines for which `template` holds count as passages but
    /// not towards its similarity to other documents (nor towards its exact hash).
    pub fn with_template(doc: &Document, template: &dyn Fn(&str) -> bool) -> Fingerprint {
        // `i` is a line of the scan of this very document.
        Scan::of(doc, false).finish(|i, _| template(&doc.lines[i].text), |_| false)
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
        assert_eq!(scan.passages.len(), 1);
        let mut bytes = Vec::new();
        scan.encode(&mut bytes);
        assert_eq!(Scan::decode(&bytes), Some(scan.clone()));
        assert_eq!(Scan::decode(&bytes[..bytes.len() - 1]), None);
        bytes.push(0);
        assert_eq!(Scan::decode(&bytes), None);
        bytes.pop();
        // Streamed the same, whatever the size (more words than one block).
        let long = Document::from_text("y", &format!("{PAGE}\n{}", "word ".repeat(10_000)));
        for scan in [scan, Scan::of(&long, true)] {
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
    fn template_lines_leave_the_similarity_but_not_the_passages() {
        let doc = Document::from_text("x", PAGE);
        let whole = Scan::of(&doc, false).finish(|_, _| false, |_| false);
        let header =
            |i: usize| doc.lines[i].text.starts_with("Home") || doc.lines[i].text.starts_with('©');
        let content = Scan::of(&doc, false).finish(|i, _| header(i), |_| false);
        assert!(content.words < whole.words);
        assert_ne!(content.exact, whole.exact);
        assert_eq!(content.passages.len(), whole.passages.len());
        // The same content without the template lines, nor the blank lines around them.
        let bare = Document::from_text(
            "x",
            &PAGE
                .lines()
                .filter(|l| !l.starts_with("Home") && !l.starts_with('©'))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let bare = Scan::of(&bare, false).finish(|_, _| false, |_| false);
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
    fn passages_indexed_before_get_no_signature_and_the_index_takes_theirs() {
        let doc = Document::from_text("x", PAGE);
        let first = Scan::of(&doc, false).finish(|_, _| false, |_| false);
        let signature = first.passages[0]
            .signature
            .expect("a new passage has its signature");
        let later =
            Scan::of(&doc, false).finish(|_, _| false, |exact| exact == first.passages[0].exact);
        assert_eq!(later.passages[0].signature, None);
        let mut index = super::super::Index::default();
        assert!(
            index.push("later", later.clone()).is_err(),
            "an unknown passage needs its signature"
        );
        let mut index = super::super::Index::default();
        index.push("first", first.clone()).unwrap();
        assert!(index.knows_passage(first.passages[0].exact));
        index.push("later", later).unwrap();
        assert_eq!(
            index.passage_signatures,
            vec![signature],
            "the copy shares the first one's signature"
        );
    }

    #[test]
    fn exact_copies_differ_only_in_blank_lines_and_spacing_at_line_ends() {
        let print = |text: &str| {
            Scan::of(&Document::from_text("x", text), false)
                .finish(|_, _| false, |_| false)
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
