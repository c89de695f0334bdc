//! Where a run keeps the exact shingle sets of indexed documents until verification reads them.

use super::index::SetStore;
use super::verify::Shingled;
use crate::store::{Records, MEMORY_CAP};
use std::io;
use std::path::Path;

/// The exact shingle sets of indexed documents and passages (little-endian u32s).
pub struct SetLog {
    records: Records,
    buf: Vec<u8>,
}

impl SetLog {
    /// A set log that spills to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> SetLog {
        SetLog::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> SetLog {
        SetLog {
            records: Records::new(dir, cap),
            buf: Vec::new(),
        }
    }
}

impl SetStore for SetLog {
    fn put(&mut self, sets: &Shingled) -> io::Result<u64> {
        self.buf.clear();
        sets.encode(&mut self.buf);
        self.records.push(&self.buf)
    }

    fn get_encoded(&self, location: u64) -> io::Result<Vec<u8>> {
        self.records
            .with(location, |bytes| Some(bytes.to_vec()))?
            .ok_or_else(|| io::Error::other("damaged set in dedup's temporary file"))
    }

    fn get(&self, location: u64) -> io::Result<Shingled> {
        self.records
            .with(location, Shingled::decode)?
            .ok_or_else(|| io::Error::other("damaged set in dedup's temporary file"))
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
            let mut log = SetLog::with_cap(dir.path(), cap);
            let at: Vec<u64> = sets.iter().map(|s| log.put(s).unwrap()).collect();
            assert_eq!(
                log.records.log().has_file(),
                cap == 30,
                "only a small cap spills"
            );
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
}
