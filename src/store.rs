//! Append-only logs of byte records: held in memory up to a cap, the older part spilled to an
//! unnamed temporary file (gone when the process ends, however it ends) past it, so a small corpus
//! never touches the disk and a large one never fills memory. What a run holds between its passes
//! lives in them: cleaned documents, dedup's scans and exact sets, passage texts.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes a log holds in memory before it spills to disk.
pub const MEMORY_CAP: usize = 64 << 20;

/// An append-only log of byte records, addressed by offset.
pub struct Log {
    dir: PathBuf,
    cap: usize,
    /// Holds bytes `0..spilled`, once anything has spilled.
    file: Option<File>,
    spilled: u64,
    /// Bytes `spilled..`.
    memory: Vec<u8>,
}

impl Log {
    /// Bytes moved to the file so far.
    pub fn spilled(&self) -> u64 {
        self.spilled
    }

    /// Bytes held in memory.
    pub fn in_memory(&self) -> usize {
        self.memory.len()
    }

    /// The bytes held in memory: those from offset [`Log::spilled`] on.
    pub fn unspilled(&self) -> &[u8] {
        &self.memory
    }

    /// Whether anything was spilled to a file.
    pub fn has_file(&self) -> bool {
        self.file.is_some()
    }

    pub fn new(dir: &Path, cap: usize) -> Log {
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
    pub fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        self.append_parts(&[bytes])
    }

    /// Moves the memory part to the file, made on first use.
    pub fn spill(&mut self) -> io::Result<()> {
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
    pub fn append_parts(&mut self, parts: &[&[u8]]) -> io::Result<u64> {
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
    pub fn append_written(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        if len <= self.cap {
            let mut bytes = Vec::with_capacity(len);
            write(&mut bytes)?;
            debug_assert_eq!(bytes.len(), len, "a logged record is the length it says");
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
                "a logged record was not the length it said",
            ));
        }
        self.spilled = at;
        Ok(offset)
    }

    /// The `len` bytes at `offset`, to be read a block at a time.
    pub fn read_at(&self, offset: u64, len: usize) -> Box<dyn Read + '_> {
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
    pub fn with_bytes<T>(
        &self,
        offset: u64,
        len: usize,
        f: impl FnOnce(&[u8]) -> T,
    ) -> io::Result<T> {
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
    pub fn reader(&self) -> io::Result<impl BufRead + '_> {
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

/// Byte records numbered in the order they were appended.
pub struct Records {
    log: Log,
    pub spans: Vec<(u64, u32)>,
}

impl Records {
    pub fn log(&self) -> &Log {
        &self.log
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn new(dir: &Path, cap: usize) -> Records {
        Records {
            log: Log::new(dir, cap),
            spans: Vec::new(),
        }
    }

    pub fn push(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let offset = self.log.append(bytes)?;
        self.spans.push((offset, bytes.len() as u32));
        Ok(self.spans.len() as u64 - 1)
    }

    pub fn with<T>(&self, n: u64, f: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        let (offset, len) = self.spans[n as usize];
        self.log.with_bytes(offset, len as usize, f)
    }

    /// [`Records::push`] of a record that `write` writes ([`Log::append_written`]).
    pub fn push_written(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let offset = self.log.append_written(len, write)?;
        self.spans.push((offset, len as u32));
        Ok(self.spans.len() as u64 - 1)
    }

    /// Record `n`, to be read a block at a time.
    pub fn read(&self, n: u64) -> Box<dyn Read + '_> {
        let (offset, len) = self.spans[n as usize];
        self.log.read_at(offset, len as usize)
    }
}

/// Texts by number, for showing a few of them later (`thresh diff --show`).
pub struct TextLog(Records);

impl TextLog {
    /// A text log that spills to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> TextLog {
        TextLog(Records::new(dir, MEMORY_CAP))
    }

    /// Keep `text`; returns its number.
    pub fn push(&mut self, text: &str) -> io::Result<u32> {
        Ok(self.0.push(text.as_bytes())? as u32)
    }

    pub fn get(&self, n: u32) -> io::Result<String> {
        self.0.with(u64::from(n), text_of)
    }
}

/// Length-prefixed fields (integers little-endian), as the logged records lay them out.
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

pub fn u32_at(input: &mut &[u8]) -> Option<u32> {
    let (n, rest) = input.split_at_checked(4)?;
    *input = rest;
    Some(u32::from_le_bytes(n.try_into().ok()?))
}

pub fn text_at(input: &mut &[u8]) -> Option<String> {
    take_bytes(input).map(text_of)
}

/// A logged text. Logged texts are valid UTF-8: checked the fast way, not a chunk at a time as
/// `from_utf8_lossy` does.
pub fn text_of(bytes: &[u8]) -> String {
    std::str::from_utf8(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes).into_owned(),
        str::to_string,
    )
}
