//! The cleaned documents of a run with dedup, held between the pass that cleans and
//! fingerprints them and the pass that writes them once dedup has seen the whole corpus: one
//! record per document (or end of file), in input order, replayed by the second pass, and read
//! back by position for the text of passage clusters. A record holds its report as JSON and its
//! texts as raw bytes: escaping and unescaping every text of the corpus once more cost as much as
//! fingerprinting it.

use crate::dedup::TextSource;
use crate::report::DocReport;
use crate::store::{put_bytes, take_byte, take_bytes, text_of, Log, MEMORY_CAP};
use crate::write::Output;
use serde::{Deserialize, Serialize};
use std::io::{self, Read};
use std::path::Path;

#[allow(
    clippy::large_enum_variant,
    reason = "nearly every value is the large variant (a document); boxing it would add an allocation per document and save no memory"
)]
#[derive(Debug)]
pub enum Held {
    Doc(HeldDoc),
    /// Every document of this source has been held.
    End(usize),
}

#[derive(Debug)]
pub struct HeldDoc {
    pub source: Option<usize>,
    pub report: DocReport,
    pub output: Output,
    /// The text dedup compared, when `output` does not hold it as is.
    pub dedup_text: Option<String>,
    /// The document's number in the dedup index, if it has one.
    pub dedup_doc: Option<u32>,
}

pub struct HeldDocs {
    log: Log,
    /// Where each document of the dedup index lies: offset and length.
    indexed: Vec<(u64, u32)>,
    buf: Vec<u8>,
}

/// The small fields of a held document, kept as JSON.
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
/// source as a u64, or `D`, a u32 length and the header's JSON, the output (a kind byte: 0 none;
/// 1 text, 3 raw input, each then a u32 length and the bytes; 2 a JSON record, then its part before
/// the text, its text and its part after, each a u32 length and the bytes) and the dedup text (a
/// byte: 0 none, 1 present, then a u32 length and the bytes).
mod layout {
    pub const END: u8 = b'E';
    pub const DOC: u8 = b'D';
}

fn damaged() -> io::Error {
    io::Error::other("damaged record in the held documents")
}

impl HeldDocs {
    /// Held documents that spill to `dir` if it grows past [`MEMORY_CAP`].
    pub fn create_in(dir: &Path) -> HeldDocs {
        HeldDocs::with_cap(dir, MEMORY_CAP)
    }

    fn with_cap(dir: &Path, cap: usize) -> HeldDocs {
        HeldDocs {
            log: Log::new(dir, cap),
            indexed: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// Append a record. A document with `dedup_doc` must be the next one of the index.
    pub fn push(&mut self, record: &Held) -> io::Result<()> {
        // The record is the bytes of `buf` with the output's and the dedup text's bytes spliced
        // in at `splits`: a document's text goes to the log as it is, never copied into a buffer
        // first (for a 200 MB document that copy was 200 MB more memory).
        let buf = &mut self.buf;
        buf.clear();
        buf.extend_from_slice(&[0; 4]);
        // (where in `buf` a text goes, the text), in order.
        let mut texts: Vec<(usize, &[u8])> = Vec::with_capacity(4);
        fn splice<'t>(buf: &mut Vec<u8>, texts: &mut Vec<(usize, &'t [u8])>, text: &'t [u8]) {
            buf.extend_from_slice(&(text.len() as u32).to_le_bytes());
            texts.push((buf.len(), text));
        }
        match record {
            Held::End(src) => {
                buf.push(layout::END);
                buf.extend_from_slice(&(*src as u64).to_le_bytes());
            }
            Held::Doc(doc) => {
                buf.push(layout::DOC);
                let header = HeaderRef {
                    source: doc.source,
                    report: &doc.report,
                    dedup_doc: doc.dedup_doc,
                };
                put_bytes(buf, &serde_json::to_vec(&header)?);
                match &doc.output {
                    Output::None => buf.push(0),
                    Output::Text(text) => {
                        buf.push(1);
                        splice(buf, &mut texts, text.as_bytes());
                    }
                    Output::Record {
                        before,
                        text,
                        after,
                    } => {
                        buf.push(2);
                        splice(buf, &mut texts, before.as_bytes());
                        splice(buf, &mut texts, text.as_bytes());
                        splice(buf, &mut texts, after.as_bytes());
                    }
                    Output::Raw(bytes) => {
                        buf.push(3);
                        splice(buf, &mut texts, bytes);
                    }
                }
                match &doc.dedup_text {
                    None => buf.push(0),
                    Some(text) => {
                        buf.push(1);
                        splice(buf, &mut texts, text.as_bytes());
                    }
                }
            }
        }
        let total = buf.len() + texts.iter().map(|(_, t)| t.len()).sum::<usize>();
        buf[..4].copy_from_slice(&((total - 4) as u32).to_le_bytes());
        let mut parts: Vec<&[u8]> = Vec::with_capacity(2 * texts.len() + 1);
        let mut at = 0;
        for &(pos, text) in &texts {
            parts.push(&buf[at..pos]);
            parts.push(text);
            at = pos;
        }
        parts.push(&buf[at..]);
        let offset = self.log.append_parts(&parts)?;
        if let Held::Doc(HeldDoc {
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
    pub fn replay(&self) -> io::Result<impl Iterator<Item = io::Result<Held>> + '_> {
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
fn read_record(input: &mut io::Take<impl Read>) -> io::Result<Held> {
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
            return Ok(Held::End(u64::from_le_bytes(src) as usize));
        }
        layout::DOC => {}
        _ => return Err(damaged()),
    }
    let header: Header = serde_json::from_slice(&bytes(input)?).map_err(|_| damaged())?;
    let output = match byte(input)? {
        0 => Output::None,
        1 => Output::Text(string(bytes(input)?)?),
        2 => Output::Record {
            before: string(bytes(input)?)?,
            text: string(bytes(input)?)?,
            after: string(bytes(input)?)?,
        },
        3 => Output::Raw(bytes(input)?),
        _ => return Err(damaged()),
    };
    // The dedup text, passed over; nothing may follow it.
    io::copy(input, &mut io::sink())?;
    Ok(Held::Doc(HeldDoc {
        source: header.source,
        report: header.report,
        output,
        dedup_text: None,
        dedup_doc: header.dedup_doc,
    }))
}

/// The text dedup compared, from a document record's bytes (after the length), without decoding
/// its header: the dedup text if it has one, else its output's text. `None` for any other record
/// or damaged bytes.
fn compared_text(mut input: &[u8]) -> Option<String> {
    if take_byte(&mut input)? != layout::DOC {
        return None;
    }
    take_bytes(&mut input)?; // the header
    let output_text = match take_byte(&mut input)? {
        0 => None,
        1 => Some(take_bytes(&mut input)?),
        2 => {
            take_bytes(&mut input)?;
            let text = take_bytes(&mut input)?;
            take_bytes(&mut input)?;
            Some(text)
        }
        3 => {
            take_bytes(&mut input)?;
            None
        }
        _ => return None,
    };
    let dedup_text = match take_byte(&mut input)? {
        0 => None,
        1 => Some(take_bytes(&mut input)?),
        _ => return None,
    };
    Some(text_of(dedup_text.or(output_text).unwrap_or_default()))
}

impl TextSource for HeldDocs {
    fn text(&self, doc: u32) -> io::Result<String> {
        let (offset, len) = self.indexed[doc as usize];
        self.log
            .with_bytes(offset + 4, len as usize - 4, compared_text)?
            .ok_or_else(damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn doc(id: &str, text: &str, n: Option<u32>) -> Held {
        let report: DocReport = serde_json::from_value(serde_json::json!({
            "id": id, "source": id, "status": "kept", "flags": [], "scores": {},
            "bytes_in": 3, "bytes_out": 3, "cluster": null
        }))
        .unwrap();
        Held::Doc(HeldDoc {
            source: Some(0),
            report,
            output: Output::Text(text.into()),
            dedup_text: None,
            dedup_doc: n,
        })
    }

    #[test]
    fn a_held_document_larger_than_the_memory_part_goes_straight_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let huge = format!("{}\nlast line", "many different words here ".repeat(60_000));
        // A held document larger than the memory part is written straight to the file too.
        let mut docs = HeldDocs::with_cap(dir.path(), 1 << 10);
        docs.push(&doc("a", "short", Some(0))).unwrap();
        docs.push(&doc("b", &huge, Some(1))).unwrap();
        assert!(docs.log.in_memory() < 1 << 10);
        assert_eq!(docs.text(1).unwrap(), huge);
        let ids: Vec<String> = docs
            .replay()
            .unwrap()
            .map(|r| match r.unwrap() {
                Held::Doc(d) => d.report.id,
                Held::End(_) => unreachable!(),
            })
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn records_replay_in_order_and_indexed_texts_read_back() {
        // A cap of 60 bytes spills after the first or second record; the default never does.
        for cap in [MEMORY_CAP, 60] {
            let dir = tempfile::tempdir().unwrap();
            let mut held = HeldDocs::with_cap(dir.path(), cap);
            held.push(&doc("a", "first\ntext", Some(0))).unwrap();
            held.push(&doc("b", "not indexed", None)).unwrap();
            held.push(&Held::End(0)).unwrap();
            held.push(&doc("c", "third \"quoted\" text", Some(1)))
                .unwrap();
            let record = |text: &str| Output::Record {
                before: r#"{"id":4,"text":"#.into(),
                text: text.into(),
                after: r#","tags":["x"]}"#.into(),
            };
            let mut line = doc("d", "", Some(2));
            if let Held::Doc(d) = &mut line {
                d.output = record("café\nbar");
                d.dedup_text = Some("café\nbär ✓".into());
            }
            held.push(&line).unwrap();
            let mut plain = doc("e", "", Some(3));
            if let Held::Doc(d) = &mut plain {
                d.output = record("a record's own text");
            }
            held.push(&plain).unwrap();
            assert_eq!(held.log.spilled() > 0, cap == 60);
            assert_eq!(held.text(1).unwrap(), "third \"quoted\" text");
            assert_eq!(held.text(0).unwrap(), "first\ntext");
            assert_eq!(
                held.text(2).unwrap(),
                "café\nbär ✓",
                "the dedup text, not the record's"
            );
            assert_eq!(held.text(3).unwrap(), "a record's own text");
            let ids: Vec<String> = held
                .replay()
                .unwrap()
                .map(|r| match r.unwrap() {
                    Held::Doc(d) => {
                        assert_eq!(d.report.status, Status::Kept);
                        if d.report.id == "d" {
                            assert_eq!(
                                d.output.to_text(),
                                r#"{"id":4,"text":"café\nbar","tags":["x"]}"#
                            );
                        }
                        d.report.id
                    }
                    Held::End(src) => format!("end {src}"),
                })
                .collect();
            assert_eq!(ids, vec!["a", "b", "end 0", "c", "d", "e"]);
            // The temporary file has no name in the folder.
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
