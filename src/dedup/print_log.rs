//! Where a run keeps the bulky parts of indexed documents' prints until clustering reads them:
//! their exact shingle sets and their MinHash signatures, each in a log that spills to disk past
//! its memory budget.

use super::index::PrintStore;
use super::minhash::Signature;
use super::verify::Shingled;
use crate::store::{Log, MEMORY_CAP};
use std::io::{self, Read};
use std::path::Path;

/// The exact shingle sets (each a little-endian u32 length, then [`Shingled::encode`]'s bytes,
/// found by offset) and the signatures (fixed-size records, found by document number) of the
/// indexed documents.
pub struct PrintLog {
    sets: Log,
    signatures: Log,
    /// The length of every signature, in values: that of the first.
    signature_len: usize,
    buf: Vec<u8>,
}

impl PrintLog {
    /// A print log that spills to `dir` past [`MEMORY_CAP`] for each part.
    pub fn create_in(dir: &Path) -> PrintLog {
        PrintLog::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> PrintLog {
        PrintLog {
            sets: Log::new(dir, cap),
            signatures: Log::new(dir, cap),
            signature_len: 0,
            buf: Vec::new(),
        }
    }

    fn set_bytes<T>(&self, location: u64, f: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        let len = self.sets.with_bytes(location, 4, |b| {
            u32::from_le_bytes(b.try_into().expect("4 bytes"))
        })?;
        self.sets.with_bytes(location + 4, len as usize, f)
    }
}

fn damaged() -> io::Error {
    io::Error::other("damaged print in dedup's temporary file")
}

fn decode_signature(bytes: &[u8], out: &mut [u16]) {
    for (v, b) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *v = u16::from_le_bytes([b[0], b[1]]);
    }
}

impl PrintStore for PrintLog {
    fn put(&mut self, sets: &Shingled) -> io::Result<u64> {
        self.buf.clear();
        sets.encode(&mut self.buf);
        let len = u32::try_from(self.buf.len()).map_err(|_| io::Error::other("sets too large"))?;
        self.sets.append_parts(&[&len.to_le_bytes(), &self.buf])
    }

    fn get_encoded(&self, location: u64) -> io::Result<Vec<u8>> {
        self.set_bytes(location, <[u8]>::to_vec)
    }

    fn get(&self, location: u64) -> io::Result<Shingled> {
        self.set_bytes(location, Shingled::decode)?
            .ok_or_else(damaged)
    }

    fn put_signature(&mut self, signature: &[u16]) -> io::Result<()> {
        if self.signature_len == 0 {
            self.signature_len = signature.len();
        }
        if signature.len() != self.signature_len {
            return Err(io::Error::other("signatures of two lengths in one index"));
        }
        self.buf.clear();
        self.buf
            .extend(signature.iter().flat_map(|v| v.to_le_bytes()));
        self.signatures.append(&self.buf).map(|_| ())
    }

    fn signature(&self, doc: u32) -> io::Result<Signature> {
        let size = 2 * self.signature_len;
        let mut signature = vec![0; self.signature_len];
        self.signatures
            .with_bytes(u64::from(doc) * size as u64, size, |b| {
                decode_signature(b, &mut signature)
            })?;
        Ok(signature.into_boxed_slice())
    }

    fn for_each_signature(&self, f: &mut dyn FnMut(u32, &[u16])) -> io::Result<()> {
        let size = 2 * self.signature_len;
        if size == 0 {
            return Ok(());
        }
        let mut signature = vec![0; self.signature_len];
        // The spilled part a block at a time, then the part in memory where it is.
        let spilled = self.signatures.spilled() / size as u64;
        let mut reader = self.signatures.reader()?;
        let mut bytes = vec![0; size];
        for doc in 0..spilled as u32 {
            reader.read_exact(&mut bytes).map_err(|_| damaged())?;
            decode_signature(&bytes, &mut signature);
            f(doc, &signature);
        }
        for (n, bytes) in self.signatures.unspilled().chunks_exact(size).enumerate() {
            decode_signature(bytes, &mut signature);
            f(spilled as u32 + n as u32, &signature);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let mut log = PrintLog::with_cap(dir.path(), cap);
            let at: Vec<u64> = sets.iter().map(|s| log.put(s).unwrap()).collect();
            assert_eq!(log.sets.has_file(), cap == 30, "only a small cap spills");
            for (s, &l) in sets.iter().zip(&at).rev() {
                assert_eq!(&log.get(l).unwrap(), s);
            }
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                0,
                "the spill file has no name"
            );
        }
    }

    #[test]
    fn signatures_read_back_by_document_and_in_order_in_memory_and_spilled() {
        let signatures: Vec<Vec<u16>> = (0..5u16)
            .map(|d| (0..128).map(|v| v * 7 + d).collect())
            .collect();
        for cap in [MEMORY_CAP, 600] {
            let dir = tempfile::tempdir().unwrap();
            let mut log = PrintLog::with_cap(dir.path(), cap);
            for s in &signatures {
                log.put_signature(s).unwrap();
            }
            assert_eq!(log.signatures.has_file(), cap == 600);
            for (d, s) in signatures.iter().enumerate().rev() {
                assert_eq!(&*log.signature(d as u32).unwrap(), &s[..]);
            }
            let mut seen = Vec::new();
            log.for_each_signature(&mut |d, s| seen.push((d, s.to_vec())))
                .unwrap();
            let expected: Vec<(u32, Vec<u16>)> = signatures
                .iter()
                .enumerate()
                .map(|(d, s)| (d as u32, s.clone()))
                .collect();
            assert_eq!(seen, expected);
        }
    }
}
