//! The spools: what a job with dedup holds between the pass that cleans and fingerprints the
//! documents and the pass that writes them, once dedup has seen the whole corpus.
//! - [`Spool`]: the cleaned documents, as JSON lines, one per engine event, in input order;
//!   replayed by the second pass, and read back by position for the text of passage clusters.
//! - [`SetSpool`]: the exact shingle sets of indexed documents and passages, in binary, read back
//!   by verification for the pairs it checks.
//!
//! Both are append-only [`Log`]s: held in memory up to a cap, the older part spilled to an
//! unnamed temporary file (gone when the process ends, however it ends) past it, so a small
//! corpus never touches the disk and a large one never fills memory.

use crate::dedup::{SetStore, Shingled, TextSource};
use crate::engine::{DocReport, Output};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes a log holds in memory before it spills to disk.
pub const MEMORY_CAP: usize = 64 << 20;

#[derive(Debug, Serialize, Deserialize)]
pub enum Record {
    Doc(SpooledDoc),
    /// Every document of this source has been spooled.
    End(usize),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SpooledDoc {
    pub source: Option<usize>,
    pub report: DocReport,
    pub output: Output,
    /// The text dedup compared, when `output` does not hold it as is.
    pub dedup_text: Option<String>,
    /// The document's number in the dedup index, if it has one.
    pub dedup_doc: Option<u32>,
}

/// An append-only log of byte records, addressed by offset.
struct Log {
    dir: PathBuf,
    cap: usize,
    /// Holds bytes `0..spilled`, once anything has spilled.
    file: Option<File>,
    spilled: u64,
    /// Bytes `spilled..`.
    memory: Vec<u8>,
}

impl Log {
    fn new(dir: &Path, cap: usize) -> Log {
        Log { dir: dir.to_path_buf(), cap, file: None, spilled: 0, memory: Vec::new() }
    }

    /// Appends a record; returns its offset. Records are spilled whole, never split, and before
    /// the memory part would pass the cap, so it never grows beyond it.
    fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        if !self.memory.is_empty() && self.memory.len() + bytes.len() > self.cap {
            if self.file.is_none() {
                std::fs::create_dir_all(&self.dir)?;
                self.file = Some(tempfile::tempfile_in(&self.dir)?);
            }
            self.file.as_mut().expect("created above").write_all(&self.memory)?;
            self.spilled += self.memory.len() as u64;
            self.memory.clear();
        }
        if self.memory.capacity() == 0 {
            // Reserved once, exactly: growing by doubling would overshoot the cap.
            self.memory.reserve_exact(self.cap);
        }
        let offset = self.spilled + self.memory.len() as u64;
        self.memory.extend_from_slice(bytes);
        Ok(offset)
    }

    /// Calls `f` with the `len` bytes at `offset`.
    fn with_bytes<T>(&self, offset: u64, len: usize, f: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        if offset >= self.spilled {
            let start = (offset - self.spilled) as usize;
            return Ok(f(&self.memory[start..start + len]));
        }
        let mut buf = vec![0; len];
        self.file.as_ref().expect("spilled bytes are in the file").read_exact_at(&mut buf, offset)?;
        Ok(f(&buf))
    }

    /// Everything appended, from the start.
    fn reader(&self) -> io::Result<impl BufRead + '_> {
        let spilled: Box<dyn Read> = match &self.file {
            Some(file) => {
                let mut file = file.try_clone()?;
                file.rewind()?;
                Box::new(file.take(self.spilled))
            }
            None => Box::new(io::empty()),
        };
        Ok(BufReader::with_capacity(1 << 20, spilled.chain(&self.memory[..])))
    }
}

pub struct Spool {
    log: Log,
    /// Where each document of the dedup index lies: offset and length.
    indexed: Vec<(u64, u32)>,
}

impl Spool {
    /// A spool that spills to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> Spool {
        Spool::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> Spool {
        Spool { log: Log::new(dir, cap), indexed: Vec::new() }
    }

    /// Append a record. A document with `dedup_doc` must be the next one of the index.
    pub fn push(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        let offset = self.log.append(&line)?;
        if let Record::Doc(SpooledDoc { dedup_doc: Some(n), .. }) = record {
            debug_assert_eq!(*n as usize, self.indexed.len());
            self.indexed.push((offset, line.len() as u32));
        }
        Ok(())
    }

    /// Every record, in the order pushed.
    pub fn replay(&self) -> io::Result<impl Iterator<Item = io::Result<Record>> + '_> {
        let lines = self.log.reader()?.split(b'\n');
        Ok(lines.map(|line| serde_json::from_slice(&line?).map_err(io::Error::other)))
    }
}

impl TextSource for Spool {
    fn text(&self, doc: u32) -> io::Result<String> {
        let (offset, len) = self.indexed[doc as usize];
        let record: Record = self.log.with_bytes(offset, len as usize, |b| serde_json::from_slice::<Record>(b))?.map_err(io::Error::other)?;
        match record {
            Record::Doc(SpooledDoc { dedup_text: Some(text), .. } | SpooledDoc { output: Output::Text(text), .. }) => Ok(text),
            Record::Doc(_) => Ok(String::new()),
            Record::End(_) => Err(io::Error::other("spool record is not a document")),
        }
    }
}

/// Byte records numbered in the order they were appended.
struct Records {
    log: Log,
    spans: Vec<(u64, u32)>,
}

impl Records {
    fn new(dir: &Path, cap: usize) -> Records {
        Records { log: Log::new(dir, cap), spans: Vec::new() }
    }

    fn push(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let offset = self.log.append(bytes)?;
        self.spans.push((offset, bytes.len() as u32));
        Ok(self.spans.len() as u64 - 1)
    }

    fn with<T>(&self, n: u64, f: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        let (offset, len) = self.spans[n as usize];
        self.log.with_bytes(offset, len as usize, f)
    }
}

/// The exact shingle sets of indexed documents and passages (little-endian u32s).
pub struct SetSpool {
    records: Records,
    buf: Vec<u8>,
}

impl SetSpool {
    /// A set spool that spills to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> SetSpool {
        SetSpool::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> SetSpool {
        SetSpool { records: Records::new(dir, cap), buf: Vec::new() }
    }
}

impl SetStore for SetSpool {
    fn put(&mut self, sets: &Shingled) -> io::Result<u64> {
        self.buf.clear();
        sets.encode(&mut self.buf);
        self.records.push(&self.buf)
    }

    fn get(&self, location: u64) -> io::Result<Shingled> {
        self.records.with(location, Shingled::decode)?.ok_or_else(|| io::Error::other("damaged set in the dedup spool"))
    }
}

/// Texts by number, for showing a few of them later (`thresh diff --show`).
pub struct TextSpool(Records);

impl TextSpool {
    /// A text spool that spills to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> TextSpool {
        TextSpool(Records::new(dir, MEMORY_CAP))
    }

    /// Keep `text`; returns its number.
    pub fn push(&mut self, text: &str) -> io::Result<u32> {
        Ok(self.0.push(text.as_bytes())? as u32)
    }

    pub fn get(&self, n: u32) -> io::Result<String> {
        self.0.with(u64::from(n), |b| String::from_utf8_lossy(b).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Status;

    fn doc(id: &str, text: &str, n: Option<u32>) -> Record {
        let report: DocReport = serde_json::from_value(serde_json::json!({
            "id": id, "source": id, "status": "kept", "flags": [], "scores": {},
            "bytes_in": 3, "bytes_out": 3, "cluster": null
        }))
        .unwrap();
        Record::Doc(SpooledDoc { source: Some(0), report, output: Output::Text(text.into()), dedup_text: None, dedup_doc: n })
    }

    #[test]
    fn sets_read_back_by_location_in_memory_and_spilled() {
        let sets: Vec<Shingled> = ["one two three four five", "six seven", "eight nine ten eleven"].map(Shingled::new).to_vec();
        for cap in [MEMORY_CAP, 30] {
            let dir = tempfile::tempdir().unwrap();
            let mut spool = SetSpool::with_cap(dir.path(), cap);
            let at: Vec<u64> = sets.iter().map(|s| spool.put(s).unwrap()).collect();
            assert_eq!(spool.records.log.file.is_some(), cap == 30, "only a small cap spills");
            for (s, &l) in sets.iter().zip(&at).rev() {
                assert_eq!(&spool.get(l).unwrap(), s);
            }
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the spill file has no name");
        }
    }

    #[test]
    fn records_replay_in_order_and_indexed_texts_read_back() {
        // A cap of 60 bytes spills after the first or second record; the default never does.
        for cap in [MEMORY_CAP, 60] {
            let dir = tempfile::tempdir().unwrap();
            let mut spool = Spool::with_cap(dir.path(), cap);
            spool.push(&doc("a", "first\ntext", Some(0))).unwrap();
            spool.push(&doc("b", "not indexed", None)).unwrap();
            spool.push(&Record::End(0)).unwrap();
            spool.push(&doc("c", "third \"quoted\" text", Some(1))).unwrap();
            assert_eq!(spool.log.spilled > 0, cap == 60);
            assert_eq!(spool.text(1).unwrap(), "third \"quoted\" text");
            assert_eq!(spool.text(0).unwrap(), "first\ntext");
            let ids: Vec<String> = spool
                .replay()
                .unwrap()
                .map(|r| match r.unwrap() {
                    Record::Doc(d) => {
                        assert_eq!(d.report.status, Status::Kept);
                        d.report.id
                    }
                    Record::End(src) => format!("end {src}"),
                })
                .collect();
            assert_eq!(ids, vec!["a", "b", "end 0", "c"]);
            // The temporary file has no name in the folder.
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
