//! Dedup without a corpus pass (`--steps dedup`, `normalize,dedup`): each document is scanned as
//! it flows, with the keys of its lines, which are counted on the way; the scans wait in a
//! [`ScanLog`], and are finished into fingerprints once the counts are complete.

use super::fingerprint::Fingerprint;
use super::index::Index;
use super::scan::Scan;
use crate::corpus::CorpusStats;
use crate::store::{put_bytes, text_at, Records, MEMORY_CAP};
use rayon::prelude::*;
use std::io::{self, Read};
use std::path::Path;

/// The documents of a run without a corpus pass, scanned, with their lines counted per site.
pub struct Deferred {
    scans: ScanLog,
    counts: CorpusStats,
}

impl Deferred {
    /// Scans wait in memory up to a cap, then in a file in `dir`.
    pub fn create_in(dir: &Path) -> Deferred {
        Deferred {
            scans: ScanLog::create_in(dir),
            counts: CorpusStats::default(),
        }
    }

    /// Keep the scan of the next document; returns its number.
    pub fn push(&mut self, id: &str, site: u64, scan: Scan) -> io::Result<u32> {
        self.counts.count_keys(site, &scan.keys());
        self.scans.push(id, site, scan)
    }

    pub fn is_empty(&self) -> bool {
        self.scans.is_empty()
    }

    /// Finish every scan now that all lines are counted, and index them in input order (the
    /// order they were numbered in), a batch at a time in parallel. An interruption stops it
    /// between batches: then it returns false. A document whose scan cannot be finished (a bug
    /// met on it) is told to `warn` and indexed alone, never clustered.
    pub fn finish_into(
        mut self,
        index: &mut Index,
        warn: &(dyn Fn(&str, &str) + Sync),
    ) -> io::Result<bool> {
        const BATCH: u32 = 256;
        let n = self.scans.len() as u32;
        for start in (0..n).step_by(BATCH as usize) {
            if crate::interrupt::requested() {
                return Ok(false);
            }
            let batch = (start..(start + BATCH).min(n))
                .map(|i| self.scans.take(i))
                .collect::<io::Result<Vec<_>>>()?;
            let counts = &self.counts;
            let prints: Vec<(String, Fingerprint)> = batch
                .into_par_iter()
                .map(|(id, site, scan)| {
                    let template = |_, key| key != 0 && counts.is_template_key(site, key);
                    let print = crate::isolate::catch(|| {
                        crate::isolate::at(super::fingerprinter::STEP);
                        scan.finish(template)
                    });
                    let print = print.unwrap_or_else(|error| {
                        // The document is written as cleaned, only not compared: a print of no
                        // words keeps it out of every cluster, and out of an `--index`.
                        warn(&id, &format!("not deduplicated: {error}"));
                        let nothing = crate::document::Document::from_text("", "");
                        Scan::of(&nothing, false).finish(|_, _| false)
                    });
                    (id, print)
                })
                .collect();
            for (i, (id, print)) in (start..).zip(prints) {
                if index.push(&id, print)? != i {
                    return Err(io::Error::other(format!(
                        "dedup index out of step with its scans at document {id}"
                    )));
                }
            }
        }
        Ok(true)
    }
}

/// Scanned documents by number, in input order: each with its id and its site's hash. The first
/// are held as they are (encoding and decoding them cost a tenth of finishing them); past half
/// the cap they are encoded, into a log that spills to disk past the other half.
/// A scan larger than this is encoded and decoded a block at a time.
const LARGE_SCAN: usize = 1 << 20;

pub struct ScanLog {
    held: Vec<Option<(String, u64, Scan)>>,
    held_bytes: usize,
    held_cap: usize,
    records: Records,
    buf: Vec<u8>,
}

impl ScanLog {
    /// A scan log that holds up to [`MEMORY_CAP`] bytes in memory and spills to `dir` past it.
    pub fn create_in(dir: &Path) -> ScanLog {
        ScanLog::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> ScanLog {
        ScanLog {
            held: Vec::new(),
            held_bytes: 0,
            held_cap: cap / 2,
            records: Records::new(dir, cap / 2),
            buf: Vec::new(),
        }
    }

    /// Keep a scan; returns its number.
    pub fn push(&mut self, id: &str, site: u64, scan: Scan) -> io::Result<u32> {
        let n = self.len() as u32;
        let bytes = id.len() + scan.heap_bytes();
        if self.records.spans.is_empty() && self.held_bytes + bytes <= self.held_cap {
            self.held_bytes += bytes;
            self.held.push(Some((id.to_string(), site, scan)));
            return Ok(n);
        }
        if bytes > LARGE_SCAN {
            // Encoded on its way to the file: a huge document's scan is not copied whole.
            let len = 4 + id.len() + 8 + scan.encoded_len();
            self.records.push_written(len, |out| {
                out.write_all(&(id.len() as u32).to_le_bytes())?;
                out.write_all(id.as_bytes())?;
                out.write_all(&site.to_le_bytes())?;
                scan.encode_to(out)
            })?;
            return Ok(n);
        }
        self.buf.clear();
        put_bytes(&mut self.buf, id.as_bytes());
        self.buf.extend_from_slice(&site.to_le_bytes());
        scan.encode(&mut self.buf);
        self.records.push(&self.buf)?;
        Ok(n)
    }

    pub fn len(&self) -> usize {
        self.held.len() + self.records.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Take scan `n` (each is taken once): its id, its site's hash and the scan.
    pub fn take(&mut self, n: u32) -> io::Result<(String, u64, Scan)> {
        let damaged = || io::Error::other("damaged scan in the dedup log");
        if let Some(held) = self.held.get_mut(n as usize) {
            return held.take().ok_or_else(damaged);
        }
        let decode = |mut bytes: &[u8]| -> Option<(String, u64, Scan)> {
            let id = text_at(&mut bytes)?;
            let (site, rest) = bytes.split_first_chunk::<8>()?;
            Some((id, u64::from_le_bytes(*site), Scan::decode(rest)?))
        };
        let n = n as u64 - self.held.len() as u64;
        if self.records.spans[n as usize].1 as usize > LARGE_SCAN {
            let mut input = self.records.read(n);
            let mut head = [0u8; 4];
            input.read_exact(&mut head)?;
            let mut id = vec![0u8; u32::from_le_bytes(head) as usize];
            input.read_exact(&mut id)?;
            let mut site = [0u8; 8];
            input.read_exact(&mut site)?;
            let id = String::from_utf8(id).map_err(|_| damaged())?;
            let rest = (self.records.spans[n as usize].1 as usize).saturating_sub(4 + id.len() + 8);
            return Ok((
                id,
                u64::from_le_bytes(site),
                Scan::decode_from(&mut input, rest).ok_or_else(damaged)?,
            ));
        }
        self.records.with(n, decode)?.ok_or_else(damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_taken_back_by_number_held_encoded_and_spilled() {
        let dir = tempfile::tempdir().unwrap();
        let texts = [
            "A first page\nwith two lines",
            "",
            "Zweite Seite — ünïcödé\n\nlast line",
            "and one more page",
        ];
        let scans: Vec<Scan> = texts
            .iter()
            .map(|t| Scan::of(&crate::document::Document::from_text("x", t), true))
            .collect();
        // All held; the first held and the rest encoded in memory; all encoded and spilled.
        let first = 4 + scans[0].heap_bytes();
        for cap in [1 << 20, 2 * first + 2, 16] {
            let mut log = ScanLog::with_cap(dir.path(), cap);
            for (n, scan) in scans.iter().enumerate() {
                assert_eq!(
                    log.push(&format!("doc{n}"), n as u64 * 7, scan.clone())
                        .unwrap(),
                    n as u32
                );
            }
            assert_eq!(log.len(), 4);
            assert_eq!(
                log.held.len(),
                match cap {
                    16 => 0,
                    c if c < 1 << 20 => 1,
                    _ => 4,
                }
            );
            for (n, scan) in scans.iter().enumerate().rev() {
                assert_eq!(
                    log.take(n as u32).unwrap(),
                    (format!("doc{n}"), n as u64 * 7, scan.clone())
                );
            }
        }
    }

    #[test]
    fn a_huge_scan_is_streamed_to_the_file_and_back() {
        let dir = tempfile::tempdir().unwrap();
        // Over LARGE_SCAN, and over the memory part of the log: it goes straight to the file.
        let huge = format!("{}\nlast line", "many different words here ".repeat(60_000));
        let page =
            |id: &str, text: &str| Scan::of(&crate::document::Document::from_text(id, text), true);
        let scans = [page("x", "a small page"), page("y", &huge)];
        assert!(scans[1].heap_bytes() > LARGE_SCAN);
        let mut log = ScanLog::with_cap(dir.path(), 1 << 20);
        log.push("small", 1, scans[0].clone()).unwrap();
        log.push("huge", 2, scans[1].clone()).unwrap();
        log.push("small again", 3, scans[0].clone()).unwrap();
        assert!(
            log.records.log().spilled() as usize > LARGE_SCAN,
            "the huge scan is in the file"
        );
        assert_eq!(
            log.take(1).unwrap(),
            ("huge".to_string(), 2, scans[1].clone())
        );
        assert_eq!(
            log.take(2).unwrap(),
            ("small again".to_string(), 3, scans[0].clone())
        );
    }
}
