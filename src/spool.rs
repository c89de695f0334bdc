//! The spools: what a job with dedup holds between the pass that cleans and fingerprints the
//! documents and the pass that writes them, once dedup has seen the whole corpus.
//! - [`Spool`]: the cleaned documents, one record per engine event, in input order; replayed by
//!   the second pass, and read back by position for the text of passage clusters. A record holds
//!   its report as JSON and its texts as raw bytes: escaping and unescaping every text of the
//!   corpus once more cost as much as fingerprinting it.
//! - [`SetSpool`]: the exact shingle sets of indexed documents, in binary, read back by
//!   verification for the pairs it checks.
//! - [`TextSpool`]: texts by number (passage texts for the report, `thresh diff --show`).
//! - [`ScanSpool`]: documents scanned for dedup, waiting for the corpus's template lines, in a
//!   run without a corpus pass.
//!
//! All are append-only [`Log`]s: held in memory up to a cap, the older part spilled to an
//! unnamed temporary file (gone when the process ends, however it ends) past it, so a small
//! corpus never touches the disk and a large one never fills memory.

use crate::dedup::{Scan, SetStore, Shingled, TextSource};
use crate::document::{Edit, Line};
use crate::engine::{DocReport, Output};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes a log holds in memory before it spills to disk.
pub const MEMORY_CAP: usize = 64 << 20;
/// How much of its normalized documents the corpus pass keeps for the main pass.
pub const NORMALIZED_BUDGET: usize = 32 << 20;

#[allow(
    clippy::large_enum_variant,
    reason = "nearly every value is the large variant (a document); boxing it would add an allocation per document and save no memory"
)]
#[derive(Debug)]
pub enum Record {
    Doc(SpooledDoc),
    /// Every document of this source has been spooled.
    End(usize),
}

#[derive(Debug)]
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
        Log {
            dir: dir.to_path_buf(),
            cap,
            file: None,
            spilled: 0,
            memory: Vec::new(),
        }
    }

    /// Appends a record; returns its offset. Records are spilled whole, never split, and before
    /// the memory part would pass the cap, so it never grows beyond it.
    fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        self.append_parts(&[bytes])
    }

    /// Moves the memory part to the file, made on first use.
    fn spill(&mut self) -> io::Result<()> {
        if self.file.is_none() {
            std::fs::create_dir_all(&self.dir)?;
            self.file = Some(tempfile::tempfile_in(&self.dir)?);
        }
        // Written at explicit offsets: a reader made for a replay moves the shared cursor.
        let file = self.file.as_ref().expect("created above");
        file.write_all_at(&self.memory, self.spilled)?;
        self.spilled += self.memory.len() as u64;
        self.memory.clear();
        Ok(())
    }

    /// Appends a record made of these parts, in order. A record larger than the memory part goes
    /// straight to the file: held, a huge document would take its size in memory twice.
    fn append_parts(&mut self, parts: &[&[u8]]) -> io::Result<u64> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if (!self.memory.is_empty() && self.memory.len() + len > self.cap) || len > self.cap {
            self.spill()?;
            if len > self.cap {
                let file = self.file.as_ref().expect("spilled");
                let offset = self.spilled;
                for part in parts {
                    file.write_all_at(part, self.spilled)?;
                    self.spilled += part.len() as u64;
                }
                return Ok(offset);
            }
        }
        if self.memory.capacity() == 0 {
            // Reserved once, exactly: growing by doubling would overshoot the cap.
            self.memory.reserve_exact(self.cap);
        }
        let offset = self.spilled + self.memory.len() as u64;
        for part in parts {
            self.memory.extend_from_slice(part);
        }
        Ok(offset)
    }

    /// Appends a record of `len` bytes that `write` writes, a block at a time when it goes to the
    /// file (a record larger than the memory part): a huge record is never held whole.
    fn append_written(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        if len <= self.cap {
            let mut bytes = Vec::with_capacity(len);
            write(&mut bytes)?;
            debug_assert_eq!(bytes.len(), len, "a spooled record is the length it says");
            return self.append(&bytes);
        }
        self.spill()?;
        let file = self.file.as_ref().expect("spilled");
        let offset = self.spilled;
        let mut out = io::BufWriter::with_capacity(1 << 16, AtWriter { file, at: offset });
        write(&mut out)?;
        let at = out.into_inner().map_err(|e| e.into_error())?.at;
        if at - offset != len as u64 {
            return Err(io::Error::other(
                "a spooled record was not the length it said",
            ));
        }
        self.spilled = at;
        Ok(offset)
    }

    /// The `len` bytes at `offset`, to be read a block at a time.
    fn read_at(&self, offset: u64, len: usize) -> Box<dyn Read + '_> {
        if offset >= self.spilled {
            let start = (offset - self.spilled) as usize;
            return Box::new(&self.memory[start..start + len]);
        }
        let file = self.file.as_ref().expect("spilled bytes are in the file");
        Box::new(io::BufReader::with_capacity(
            1 << 16,
            AtReader {
                file,
                at: offset,
                end: offset + len as u64,
            },
        ))
    }

    /// Calls `f` with the `len` bytes at `offset`.
    fn with_bytes<T>(&self, offset: u64, len: usize, f: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        if offset >= self.spilled {
            let start = (offset - self.spilled) as usize;
            return Ok(f(&self.memory[start..start + len]));
        }
        let mut buf = vec![0; len];
        self.file
            .as_ref()
            .expect("spilled bytes are in the file")
            .read_exact_at(&mut buf, offset)?;
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
        Ok(BufReader::with_capacity(
            1 << 20,
            spilled.chain(&self.memory[..]),
        ))
    }
}

/// Writes to a file at an explicit offset, advancing it.
struct AtWriter<'f> {
    file: &'f File,
    at: u64,
}

impl Write for AtWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write_all_at(buf, self.at)?;
        self.at += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads a file's bytes `at..end`.
struct AtReader<'f> {
    file: &'f File,
    at: u64,
    end: u64,
}

impl Read for AtReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min((self.end - self.at) as usize);
        let n = self.file.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

pub struct Spool {
    log: Log,
    /// Where each document of the dedup index lies: offset and length.
    indexed: Vec<(u64, u32)>,
    buf: Vec<u8>,
}

/// The small fields of a spooled document, kept as JSON.
#[derive(Deserialize)]
struct Header {
    source: Option<usize>,
    report: DocReport,
    dedup_doc: Option<u32>,
}

/// A [`Header`] to write, borrowing the report.
#[derive(Serialize)]
struct HeaderRef<'a> {
    source: Option<usize>,
    report: &'a DocReport,
    dedup_doc: Option<u32>,
}

/// Record layout (integers little-endian): a u32 length of what follows, then either `E` and the
/// source as a u64, or `D`, a u32 length and the header's JSON, the output (a kind byte: 0 none, 1
/// text, 2 JSON line; then for 1 and 2 a u32 length and the bytes) and the dedup text (a byte: 0
/// none, 1 present, then a u32 length and the bytes).
mod layout {
    pub const END: u8 = b'E';
    pub const DOC: u8 = b'D';

    pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }

    /// Reads what `put_bytes` wrote, advancing `input`.
    pub fn take_bytes<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
        let len = u32::from_le_bytes(input.get(..4)?.try_into().ok()?) as usize;
        let bytes = input.get(4..4 + len)?;
        *input = &input[4 + len..];
        Some(bytes)
    }

    pub fn take_byte(input: &mut &[u8]) -> Option<u8> {
        let (&b, rest) = input.split_first()?;
        *input = rest;
        Some(b)
    }
}

fn damaged() -> io::Error {
    io::Error::other("damaged record in the dedup spool")
}

impl Spool {
    /// A spool that spills to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> Spool {
        Spool::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> Spool {
        Spool {
            log: Log::new(dir, cap),
            indexed: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// Append a record. A document with `dedup_doc` must be the next one of the index.
    pub fn push(&mut self, record: &Record) -> io::Result<()> {
        // The record is the bytes of `buf` with the output's and the dedup text's bytes spliced
        // in at `splits`: a document's text goes to the log as it is, never copied into a buffer
        // first (for a 200 MB document that copy was 200 MB more memory).
        let buf = &mut self.buf;
        buf.clear();
        buf.extend_from_slice(&[0; 4]);
        let mut texts: [(usize, &[u8]); 2] = [(0, &[]), (0, &[])];
        match record {
            Record::End(src) => {
                buf.push(layout::END);
                buf.extend_from_slice(&(*src as u64).to_le_bytes());
            }
            Record::Doc(doc) => {
                buf.push(layout::DOC);
                let header = HeaderRef {
                    source: doc.source,
                    report: &doc.report,
                    dedup_doc: doc.dedup_doc,
                };
                layout::put_bytes(buf, &serde_json::to_vec(&header)?);
                let (kind, output): (u8, &[u8]) = match &doc.output {
                    Output::None => (0, &[]),
                    Output::Text(text) => (1, text.as_bytes()),
                    Output::JsonLine(line) => (2, line.as_bytes()),
                    Output::Raw(bytes) => (3, bytes),
                };
                buf.push(kind);
                if kind != 0 {
                    buf.extend_from_slice(&(output.len() as u32).to_le_bytes());
                    texts[0] = (buf.len(), output);
                }
                match &doc.dedup_text {
                    None => buf.push(0),
                    Some(text) => {
                        buf.push(1);
                        buf.extend_from_slice(&(text.len() as u32).to_le_bytes());
                        texts[1] = (buf.len(), text.as_bytes());
                    }
                }
            }
        }
        let total = buf.len() + texts[0].1.len() + texts[1].1.len();
        buf[..4].copy_from_slice(&((total - 4) as u32).to_le_bytes());
        let (a, b) = (texts[0].0, texts[1].0.max(texts[0].0));
        let parts = [&buf[..a], texts[0].1, &buf[a..b], texts[1].1, &buf[b..]];
        let offset = self.log.append_parts(&parts)?;
        if let Record::Doc(SpooledDoc {
            dedup_doc: Some(n), ..
        }) = record
        {
            debug_assert_eq!(*n as usize, self.indexed.len());
            self.indexed.push((offset, total as u32));
        }
        Ok(())
    }

    /// Every record, in the order pushed. A document comes without its dedup text (only
    /// clustering reads that, by its offset), and its output is read into a buffer of its own,
    /// never copied out of a record-sized one: a huge document is held once.
    pub fn replay(&self) -> io::Result<impl Iterator<Item = io::Result<Record>> + '_> {
        let mut reader = self.log.reader()?;
        Ok(std::iter::from_fn(move || {
            let mut len = [0u8; 4];
            match reader.read_exact(&mut len) {
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return None,
                Err(e) => return Some(Err(e)),
                Ok(()) => {}
            }
            Some(read_record(
                &mut (&mut reader).take(u64::from(u32::from_le_bytes(len))),
            ))
        }))
    }
}

/// One record, from a reader limited to its bytes (after its length).
fn read_record(input: &mut io::Take<impl Read>) -> io::Result<Record> {
    let byte = |input: &mut io::Take<_>| -> io::Result<u8> {
        let mut b = [0u8; 1];
        input.read_exact(&mut b)?;
        Ok(b[0])
    };
    let bytes = |input: &mut io::Take<_>| -> io::Result<Vec<u8>> {
        let mut len = [0u8; 4];
        input.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len) as usize;
        if len as u64 > input.limit() {
            return Err(damaged());
        }
        // Read into spare capacity: no zeroing of a buffer about to be filled.
        let mut out = Vec::with_capacity(len);
        if input.by_ref().take(len as u64).read_to_end(&mut out)? != len {
            return Err(damaged());
        }
        Ok(out)
    };
    let string = |v: Vec<u8>| String::from_utf8(v).map_err(|_| damaged());
    match byte(input)? {
        layout::END => {
            let mut src = [0u8; 8];
            input.read_exact(&mut src)?;
            return Ok(Record::End(u64::from_le_bytes(src) as usize));
        }
        layout::DOC => {}
        _ => return Err(damaged()),
    }
    let header: Header = serde_json::from_slice(&bytes(input)?).map_err(|_| damaged())?;
    let output = match byte(input)? {
        0 => Output::None,
        1 => Output::Text(string(bytes(input)?)?),
        2 => Output::JsonLine(string(bytes(input)?)?),
        3 => Output::Raw(bytes(input)?),
        _ => return Err(damaged()),
    };
    // The dedup text, passed over; nothing may follow it.
    io::copy(input, &mut io::sink())?;
    Ok(Record::Doc(SpooledDoc {
        source: header.source,
        report: header.report,
        output,
        dedup_text: None,
        dedup_doc: header.dedup_doc,
    }))
}

/// The texts of a document record, borrowed from its bytes.
struct DocParts<'a> {
    /// The output's kind byte (0 none, 1 text, 2 JSON line, 3 raw input) and bytes.
    output: (u8, &'a [u8]),
    dedup_text: Option<&'a [u8]>,
}

/// Finds a document record's texts in its bytes (after the length); `None` for any other
/// record or damaged bytes.
fn doc_parts(mut input: &[u8]) -> Option<DocParts<'_>> {
    if layout::take_byte(&mut input)? != layout::DOC {
        return None;
    }
    layout::take_bytes(&mut input)?; // the header
    let output = match layout::take_byte(&mut input)? {
        0 => (0, &[][..]),
        kind @ (1..=3) => (kind, layout::take_bytes(&mut input)?),
        _ => return None,
    };
    let dedup_text = match layout::take_byte(&mut input)? {
        0 => None,
        1 => Some(layout::take_bytes(&mut input)?),
        _ => return None,
    };
    Some(DocParts { output, dedup_text })
}

/// The text dedup compared, from a document record's bytes (after the length), without decoding
/// its header: the dedup text if it has one, else its output text.
fn compared_text(input: &[u8]) -> Option<String> {
    let parts = doc_parts(input)?;
    let text = match (parts.dedup_text, parts.output) {
        (Some(text), _) | (None, (1, text)) => text,
        (None, _) => &[],
    };
    Some(text_of(text))
}

/// A spooled text. Spooled texts are valid UTF-8: checked the fast way, not a chunk at a time as
/// `from_utf8_lossy` does.
fn text_of(bytes: &[u8]) -> String {
    std::str::from_utf8(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes).into_owned(),
        str::to_string,
    )
}

impl TextSource for Spool {
    fn text(&self, doc: u32) -> io::Result<String> {
        let (offset, len) = self.indexed[doc as usize];
        self.log
            .with_bytes(offset + 4, len as usize - 4, compared_text)?
            .ok_or_else(damaged)
    }
}

/// Byte records numbered in the order they were appended.
struct Records {
    log: Log,
    spans: Vec<(u64, u32)>,
}

impl Records {
    fn new(dir: &Path, cap: usize) -> Records {
        Records {
            log: Log::new(dir, cap),
            spans: Vec::new(),
        }
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

    /// [`Records::push`] of a record that `write` writes ([`Log::append_written`]).
    fn push_written(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let offset = self.log.append_written(len, write)?;
        self.spans.push((offset, len as u32));
        Ok(self.spans.len() as u64 - 1)
    }

    /// Record `n`, to be read a block at a time.
    fn read(&self, n: u64) -> Box<dyn Read + '_> {
        let (offset, len) = self.spans[n as usize];
        self.log.read_at(offset, len as usize)
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
        SetSpool {
            records: Records::new(dir, cap),
            buf: Vec::new(),
        }
    }
}

impl SetStore for SetSpool {
    fn put(&mut self, sets: &Shingled) -> io::Result<u64> {
        self.buf.clear();
        sets.encode(&mut self.buf);
        self.records.push(&self.buf)
    }

    fn get(&self, location: u64) -> io::Result<Shingled> {
        self.records
            .with(location, Shingled::decode)?
            .ok_or_else(|| io::Error::other("damaged set in the dedup spool"))
    }
}

/// Scanned documents by number, in input order: each with its id and its site's hash. The first
/// are held as they are (encoding and decoding them cost a tenth of finishing them); past half
/// the cap they are encoded, into a log that spills to disk past the other half.
/// A scan larger than this is encoded and decoded a block at a time.
const LARGE_SCAN: usize = 1 << 20;

pub struct ScanSpool {
    held: Vec<Option<(String, u64, Scan)>>,
    held_bytes: usize,
    held_cap: usize,
    records: Records,
    buf: Vec<u8>,
}

impl ScanSpool {
    /// A scan spool that holds up to [`MEMORY_CAP`] bytes in memory and spills to `dir` past it.
    pub fn create_in(dir: &Path) -> ScanSpool {
        ScanSpool::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> ScanSpool {
        ScanSpool {
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
        layout::put_bytes(&mut self.buf, id.as_bytes());
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
        let damaged = || io::Error::other("damaged scan in the dedup spool");
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

/// Documents the corpus pass normalized, for the main pass to take instead of normalizing them a
/// second time. Each is kept with a hash of the text it was made from: a document the main pass
/// reads differently (decoded another way, say) is not taken, and is normalized anew.
///
/// They are held in memory, up to [`NORMALIZED_BUDGET`] bytes, and never spilled: past that, the
/// main pass normalizes documents again. Keeping a whole large corpus would cost as much disk
/// as the corpus, for about a tenth of a run.
pub struct NormalizedSpool {
    /// The records, and how many bytes they hold.
    records: std::sync::Mutex<(Records, usize)>,
    budget: usize,
    /// Set when a document did not fit: nothing more is encoded or kept.
    full: std::sync::atomic::AtomicBool,
    /// For each source, (record number in the source, spooled record), in record order.
    index: std::sync::Mutex<Vec<Vec<(u64, u32)>>>,
}

/// A document's normalization: its lines and edits, and how long it took.
#[derive(Debug)]
pub struct Normalized {
    pub lines: Vec<Line>,
    pub edits: Vec<Edit>,
    pub took: std::time::Duration,
}

/// [`NormalizedSpool`] once the corpus pass is over: read-only, shared by the main pass's threads.
pub struct NormalizedDocs {
    records: Records,
    index: Vec<Vec<(u64, u32)>>,
}

impl NormalizedSpool {
    /// A spool for `sources` sources, held in memory up to [`NORMALIZED_BUDGET`] (`dir` is where a
    /// log would spill; this one never does).
    pub fn create_in(dir: &Path, sources: usize) -> NormalizedSpool {
        NormalizedSpool::with_budget(dir, sources, NORMALIZED_BUDGET)
    }

    fn with_budget(dir: &Path, sources: usize, budget: usize) -> NormalizedSpool {
        NormalizedSpool {
            records: std::sync::Mutex::new((Records::new(dir, budget), 0)),
            budget,
            full: std::sync::atomic::AtomicBool::new(false),
            index: std::sync::Mutex::new(vec![Vec::new(); sources]),
        }
    }

    /// Keep the normalization of record `number` of source `src`, made from `input`, if the
    /// budget allows. Records of one source must come in order.
    /// What a kept document is checked by: the hash and length of the text it was made from.
    pub fn input_key(text: &str) -> (u64, usize) {
        (xxhash_rust::xxh3::xxh3_64(text.as_bytes()), text.len())
    }

    /// Whether a document of `len` bytes could still be kept: one that could not is not even
    /// hashed or encoded.
    pub fn may_keep(&self, len: usize) -> bool {
        !self.full.load(std::sync::atomic::Ordering::Relaxed) && len <= self.budget
    }

    /// Keep a document's normalization; `input` is the hash and length of the text it was made
    /// from.
    pub fn put(
        &self,
        src: usize,
        number: u64,
        input: (u64, usize),
        normalized: &Normalized,
    ) -> io::Result<()> {
        if !self.may_keep(input.1) {
            return Ok(());
        }
        let Normalized { lines, edits, took } = normalized;
        let mut buf = Vec::with_capacity(input.1 + 64);
        buf.extend_from_slice(&input.0.to_le_bytes());
        buf.extend_from_slice(&(took.as_nanos() as u64).to_le_bytes());
        buf.extend_from_slice(&(lines.len() as u32).to_le_bytes());
        for line in lines {
            buf.extend_from_slice(&line.origin.to_le_bytes());
            layout::put_bytes(&mut buf, line.text.as_bytes());
        }
        buf.extend_from_slice(&(edits.len() as u32).to_le_bytes());
        for edit in edits {
            layout::put_bytes(&mut buf, edit.rule.as_bytes());
            layout::put_bytes(&mut buf, edit.before.as_bytes());
            layout::put_bytes(&mut buf, edit.after.as_bytes());
            buf.extend_from_slice(&edit.line.to_le_bytes());
            buf.extend_from_slice(&edit.count.to_le_bytes());
        }
        let record = {
            let (records, kept) = &mut *self.records.lock().expect("normalized spool lock");
            if *kept + buf.len() > self.budget {
                self.full.store(true, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
            *kept += buf.len();
            records.push(&buf)? as u32
        };
        self.index.lock().expect("normalized spool lock")[src].push((number, record));
        Ok(())
    }

    pub fn finish(self) -> NormalizedDocs {
        NormalizedDocs {
            records: self.records.into_inner().expect("normalized spool lock").0,
            index: self.index.into_inner().expect("normalized spool lock"),
        }
    }
}

impl NormalizedDocs {
    /// The normalization (edits of stage `stage`, for document `doc`) of record `number` of
    /// source `src`, if the corpus pass kept it and made it from this same `input`.
    pub fn take(
        &self,
        src: usize,
        number: u64,
        input: &str,
        doc: &str,
        stage: &'static str,
    ) -> Option<Normalized> {
        let index = self.index.get(src)?;
        let at = index.binary_search_by_key(&number, |&(n, _)| n).ok()?;
        let hash = xxhash_rust::xxh3::xxh3_64(input.as_bytes());
        self.records
            .with(u64::from(index[at].1), |bytes| {
                decode_normalized(bytes, hash, doc, stage)
            })
            .ok()
            .flatten()
    }
}

fn u32_at(input: &mut &[u8]) -> Option<u32> {
    let (n, rest) = input.split_at_checked(4)?;
    *input = rest;
    Some(u32::from_le_bytes(n.try_into().ok()?))
}

fn text_at(input: &mut &[u8]) -> Option<String> {
    layout::take_bytes(input).map(text_of)
}

fn decode_normalized(
    bytes: &[u8],
    hash: u64,
    doc: &str,
    stage: &'static str,
) -> Option<Normalized> {
    let (head, mut rest) = bytes.split_at_checked(16)?;
    if u64::from_le_bytes(head[..8].try_into().ok()?) != hash {
        return None;
    }
    let took = std::time::Duration::from_nanos(u64::from_le_bytes(head[8..].try_into().ok()?));
    let lines = (0..u32_at(&mut rest)?)
        .map(|_| {
            let origin = u32_at(&mut rest)?;
            Some(Line {
                text: text_at(&mut rest)?,
                origin,
            })
        })
        .collect::<Option<Vec<Line>>>()?;
    let edits = (0..u32_at(&mut rest)?)
        .map(|_| {
            let rule = crate::stages::rule_name(&text_at(&mut rest)?);
            let (before, after) = (text_at(&mut rest)?, text_at(&mut rest)?);
            let (line, count) = (u32_at(&mut rest)?, u32_at(&mut rest)?);
            Some(Edit {
                doc: doc.to_string(),
                stage,
                rule,
                before,
                after,
                line,
                count,
            })
        })
        .collect::<Option<Vec<Edit>>>()?;
    Some(Normalized { lines, edits, took })
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
        self.0.with(u64::from(n), text_of)
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
        Record::Doc(SpooledDoc {
            source: Some(0),
            report,
            output: Output::Text(text.into()),
            dedup_text: None,
            dedup_doc: n,
        })
    }

    #[test]
    fn normalized_documents_are_taken_back_as_normalize_made_them() {
        use crate::document::Document;
        use crate::pipeline::{Pipeline, Stage, Step};
        let sample = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/001_206df7d775313010.txt"
        ))
        .unwrap();
        let texts = [
            "The cafÃ© opens at nine.\r\nIt serves tea &amp; cake.\n\n\n\nA line broken by the\nPDF extractor goes on.".to_string(),
            "Already clean text.\n\nTwo paragraphs.".to_string(),
            sample,
        ];
        let dir = tempfile::tempdir().unwrap();
        let spool = NormalizedSpool::create_in(dir.path(), 2);
        for (n, text) in texts.iter().enumerate() {
            let out = crate::stages::normalize::Normalize.run(Document::from_text("", text));
            let normalized = Normalized {
                lines: out.doc.lines,
                edits: out.edits,
                took: std::time::Duration::from_micros(7),
            };
            spool
                .put(
                    1,
                    n as u64 + 1,
                    NormalizedSpool::input_key(text),
                    &normalized,
                )
                .unwrap();
        }
        let docs = spool.finish();
        let pipeline = Pipeline::new(&[Step::Normalize, Step::Boilerplate]);
        for (n, text) in texts.iter().enumerate() {
            let direct = pipeline.process(Document::from_text("d", text));
            let taken = pipeline.take_normalized(&docs, 1, n as u64 + 1, text, "d");
            assert!(taken.is_some(), "document {n} is taken");
            let replayed = pipeline.process_normalized(Document::from_text("d", text), taken);
            assert_eq!(
                replayed.timings[0],
                ("normalize", std::time::Duration::from_micros(7)),
                "the corpus pass's time"
            );
            assert_eq!(replayed.doc.lines, direct.doc.lines);
            assert_eq!(replayed.edits, direct.edits);
            assert_eq!(replayed.doc.flags, direct.doc.flags);
        }
        assert!(pipeline
            .process(Document::from_text("d", &texts[0]))
            .doc
            .flags
            .contains(&"mojibake".to_string()));
        // Another text under the same key, a key never kept, a source with none.
        assert!(pipeline
            .take_normalized(&docs, 1, 1, "Another text.", "d")
            .is_none());
        assert!(pipeline
            .take_normalized(&docs, 1, 9, &texts[0], "d")
            .is_none());
        assert!(pipeline
            .take_normalized(&docs, 0, 1, &texts[0], "d")
            .is_none());
        // A pipeline that does not start with normalize takes nothing.
        assert!(Pipeline::new(&[Step::Boilerplate])
            .take_normalized(&docs, 1, 1, &texts[0], "d")
            .is_none());
    }

    #[test]
    fn normalized_documents_past_the_budget_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let spool = NormalizedSpool::with_budget(dir.path(), 1, 200);
        let lines = |text: &str| vec![Line::new(text, 1)];
        for n in 0..10u64 {
            let text = format!("Document number {n} with a few words in it.");
            spool
                .put(
                    0,
                    n,
                    NormalizedSpool::input_key(&text),
                    &Normalized {
                        lines: lines(&text),
                        edits: Vec::new(),
                        took: Default::default(),
                    },
                )
                .unwrap();
        }
        let docs = spool.finish();
        let kept: Vec<bool> = (0..10u64)
            .map(|n| {
                docs.take(
                    0,
                    n,
                    &format!("Document number {n} with a few words in it."),
                    "d",
                    "normalize",
                )
                .is_some()
            })
            .collect();
        assert!(kept[0] && !kept[9], "{kept:?}");
        assert!(
            kept.windows(2).all(|w| w[0] || !w[1]),
            "kept until the budget is spent: {kept:?}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing spills"
        );
    }

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
            let mut spool = ScanSpool::with_cap(dir.path(), cap);
            for (n, scan) in scans.iter().enumerate() {
                assert_eq!(
                    spool
                        .push(&format!("doc{n}"), n as u64 * 7, scan.clone())
                        .unwrap(),
                    n as u32
                );
            }
            assert_eq!(spool.len(), 4);
            assert_eq!(
                spool.held.len(),
                match cap {
                    16 => 0,
                    c if c < 1 << 20 => 1,
                    _ => 4,
                }
            );
            for (n, scan) in scans.iter().enumerate().rev() {
                assert_eq!(
                    spool.take(n as u32).unwrap(),
                    (format!("doc{n}"), n as u64 * 7, scan.clone())
                );
            }
        }
    }

    #[test]
    fn a_huge_scan_is_streamed_to_the_file_and_back() {
        let dir = tempfile::tempdir().unwrap();
        // Over LARGE_SCAN, and over the memory part of the spool: it goes straight to the file.
        let huge = format!("{}\nlast line", "many different words here ".repeat(60_000));
        let page =
            |id: &str, text: &str| Scan::of(&crate::document::Document::from_text(id, text), true);
        let scans = [page("x", "a small page"), page("y", &huge)];
        assert!(scans[1].heap_bytes() > LARGE_SCAN);
        let mut spool = ScanSpool::with_cap(dir.path(), 1 << 20);
        spool.push("small", 1, scans[0].clone()).unwrap();
        spool.push("huge", 2, scans[1].clone()).unwrap();
        spool.push("small again", 3, scans[0].clone()).unwrap();
        assert!(
            spool.records.log.spilled as usize > LARGE_SCAN,
            "the huge scan is in the file"
        );
        assert_eq!(
            spool.take(1).unwrap(),
            ("huge".to_string(), 2, scans[1].clone())
        );
        assert_eq!(
            spool.take(2).unwrap(),
            ("small again".to_string(), 3, scans[0].clone())
        );
        // A spool record larger than the memory part is written straight to the file too.
        let mut docs = Spool::with_cap(dir.path(), 1 << 10);
        docs.push(&doc("a", "short", Some(0))).unwrap();
        docs.push(&doc("b", &huge, Some(1))).unwrap();
        assert!(docs.log.memory.len() < 1 << 10);
        assert_eq!(docs.text(1).unwrap(), huge);
        let ids: Vec<String> = docs
            .replay()
            .unwrap()
            .map(|r| match r.unwrap() {
                Record::Doc(d) => d.report.id,
                Record::End(_) => unreachable!(),
            })
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn sets_read_back_by_location_in_memory_and_spilled() {
        let sets: Vec<Shingled> = [
            "one two three four five",
            "six seven",
            "eight nine ten eleven",
        ]
        .map(Shingled::new)
        .to_vec();
        for cap in [MEMORY_CAP, 30] {
            let dir = tempfile::tempdir().unwrap();
            let mut spool = SetSpool::with_cap(dir.path(), cap);
            let at: Vec<u64> = sets.iter().map(|s| spool.put(s).unwrap()).collect();
            assert_eq!(
                spool.records.log.file.is_some(),
                cap == 30,
                "only a small cap spills"
            );
            for (s, &l) in sets.iter().zip(&at).rev() {
                assert_eq!(&spool.get(l).unwrap(), s);
            }
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                0,
                "the spill file has no name"
            );
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
            spool
                .push(&doc("c", "third \"quoted\" text", Some(1)))
                .unwrap();
            let mut line = doc("d", "", Some(2));
            if let Record::Doc(d) = &mut line {
                d.output = Output::JsonLine(r#"{"text":"caf\u00e9\nbar"}"#.into());
                d.dedup_text = Some("café\nbär ✓".into());
            }
            spool.push(&line).unwrap();
            assert_eq!(spool.log.spilled > 0, cap == 60);
            assert_eq!(spool.text(1).unwrap(), "third \"quoted\" text");
            assert_eq!(spool.text(0).unwrap(), "first\ntext");
            assert_eq!(
                spool.text(2).unwrap(),
                "café\nbär ✓",
                "the dedup text, not the JSON line"
            );
            let ids: Vec<String> = spool
                .replay()
                .unwrap()
                .map(|r| match r.unwrap() {
                    Record::Doc(d) => {
                        assert_eq!(d.report.status, Status::Kept);
                        if let Output::JsonLine(line) = &d.output {
                            assert_eq!(line, r#"{"text":"caf\u00e9\nbar"}"#);
                        }
                        d.report.id
                    }
                    Record::End(src) => format!("end {src}"),
                })
                .collect();
            assert_eq!(ids, vec!["a", "b", "end 0", "c", "d"]);
            // The temporary file has no name in the folder.
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
