//! The spool: cleaned documents held on disk between the pass that cleans and fingerprints them
//! and the pass that writes them, once dedup has seen the whole corpus and decided what to keep.
//!
//! It is an unnamed temporary file (gone when the process ends, however it ends) of JSON lines, one
//! per engine event, in input order. Dedup's verification reads documents back by position.

use crate::dedup::TextSource;
use crate::engine::{DocReport, Output};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

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

pub struct Spool {
    writer: BufWriter<File>,
    reader: File,
    end: u64,
    /// Where each document of the dedup index lies: offset and length.
    indexed: Vec<(u64, u32)>,
}

impl Spool {
    pub fn create_in(dir: &Path) -> io::Result<Spool> {
        std::fs::create_dir_all(dir)?;
        let file = tempfile::tempfile_in(dir)?;
        let reader = file.try_clone()?;
        Ok(Spool { writer: BufWriter::with_capacity(1 << 20, file), reader, end: 0, indexed: Vec::new() })
    }

    /// Append a record. A document with `dedup_doc` must be the next one of the index.
    pub fn push(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        if let Record::Doc(SpooledDoc { dedup_doc: Some(n), .. }) = record {
            debug_assert_eq!(*n as usize, self.indexed.len());
            self.indexed.push((self.end, line.len() as u32));
        }
        self.writer.write_all(&line)?;
        self.end += line.len() as u64;
        Ok(())
    }

    /// Make everything pushed readable.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    fn read_at(&self, offset: u64, len: u32) -> io::Result<Record> {
        let mut buf = vec![0; len as usize];
        self.reader.read_exact_at(&mut buf, offset)?;
        serde_json::from_slice(&buf).map_err(io::Error::other)
    }

    /// Every record, in the order pushed. Call after [`Spool::flush`], once writing is over.
    pub fn replay(&self) -> io::Result<impl Iterator<Item = io::Result<Record>>> {
        let mut file = self.reader.try_clone()?;
        file.rewind()?;
        let lines = BufReader::with_capacity(1 << 20, io::Read::take(file, self.end)).split(b'\n');
        Ok(lines.map(|line| serde_json::from_slice(&line?).map_err(io::Error::other)))
    }
}

impl TextSource for Spool {
    fn text(&self, location: u64) -> io::Result<String> {
        let (offset, len) = self.indexed[location as usize];
        match self.read_at(offset, len)? {
            Record::Doc(SpooledDoc { dedup_text: Some(text), .. } | SpooledDoc { output: Output::Text(text), .. }) => Ok(text),
            Record::Doc(_) => Ok(String::new()),
            Record::End(_) => Err(io::Error::other("spool record is not a document")),
        }
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
    fn records_replay_in_order_and_indexed_texts_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::create_in(dir.path()).unwrap();
        spool.push(&doc("a", "first\ntext", Some(0))).unwrap();
        spool.push(&doc("b", "not indexed", None)).unwrap();
        spool.push(&Record::End(0)).unwrap();
        spool.push(&doc("c", "third \"quoted\" text", Some(1))).unwrap();
        spool.flush().unwrap();
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
