//! JSON Lines: one record per line, plain or compressed. Records are parsed into their fields with
//! every value kept as raw JSON, so the fields thresh does not rewrite go out byte for byte.

use super::Compression;
use indexmap::IndexMap;
use serde_json::value::RawValue;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Open a JSONL file for reading, decompressing as its name says. Gzip files may hold several
/// members (as `cat a.gz b.gz` makes), and zstd files several frames.
pub fn open(path: &Path, compression: Compression) -> io::Result<Box<dyn BufRead + Send>> {
    let file = File::open(path)?;
    let reader: Box<dyn Read + Send> = match compression {
        Compression::None => Box::new(file),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(file)?),
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

/// One line of a JSONL file, not yet parsed.
pub struct RawLine {
    /// 1-based line number in the (decompressed) file.
    pub number: usize,
    pub bytes: Vec<u8>,
}

/// Reads raw lines; blank lines are passed over. A read error (a truncated or corrupt stream) ends
/// the file and is returned once.
pub struct Lines {
    inner: Box<dyn BufRead + Send>,
    number: usize,
    done: bool,
}

impl Lines {
    pub fn new(inner: Box<dyn BufRead + Send>) -> Self {
        Lines { inner, number: 0, done: false }
    }
}

impl Iterator for Lines {
    type Item = Result<RawLine, String>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let mut bytes = Vec::new();
            match self.inner.read_until(b'\n', &mut bytes) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.number += 1;
                    while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                        bytes.pop();
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Ok(RawLine { number: self.number, bytes }));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(format!("read failed after line {}: {e}", self.number)));
                }
            }
        }
        None
    }
}

/// A parsed record: its fields in their original order, values as raw JSON.
#[derive(Debug)]
pub struct Record {
    pub fields: IndexMap<String, Box<RawValue>>,
    pub text: String,
    /// The id field as text (a string's contents, or any other value's JSON), if present.
    pub id: Option<String>,
}

pub fn parse(bytes: &[u8], text_field: &str, id_field: &str) -> Result<Record, String> {
    let line = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let fields: IndexMap<String, Box<RawValue>> =
        serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let raw_text = fields.get(text_field).ok_or_else(|| format!("no field {text_field:?}"))?;
    let text: String = serde_json::from_str(raw_text.get())
        .map_err(|_| format!("field {text_field:?} is not a string"))?;
    let id = fields.get(id_field).and_then(|raw| match serde_json::from_str::<serde_json::Value>(raw.get()) {
        Ok(serde_json::Value::String(s)) => Some(s),
        Ok(serde_json::Value::Null) => None,
        _ => Some(raw.get().to_string()),
    });
    Ok(Record { fields, text, id })
}

impl Record {
    /// The record's `url` field, when it has one that is a string.
    pub fn url(&self) -> Option<String> {
        self.fields.get("url").and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
    }
}

/// The record as one JSON line with its text field replaced; other fields untouched.
pub fn serialize(record: &Record, text_field: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    out.push('{');
    for (i, (key, value)) in record.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("a string serializes"));
        out.push(':');
        if key == text_field {
            out.push_str(&serde_json::to_string(text).expect("a string serializes"));
        } else {
            out.push_str(value.get());
        }
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_fields_are_carried_through_byte_for_byte() {
        let line = br#"{"id": 7, "url":"https://x.org/a", "text":"caf\u00e9  text", "score": 1.50e3, "tags":[ "a" ]}"#;
        let rec = parse(line, "text", "id").unwrap();
        assert_eq!(rec.text, "café  text");
        assert_eq!(rec.id.as_deref(), Some("7"));
        assert_eq!(
            serialize(&rec, "text", "café text"),
            r#"{"id":7,"url":"https://x.org/a","text":"café text","score":1.50e3,"tags":[ "a" ]}"#
        );
    }

    #[test]
    fn bad_records_say_what_is_wrong() {
        assert!(parse(b"{not json", "text", "id").unwrap_err().starts_with("invalid JSON"));
        assert_eq!(parse(br#"{"body":"x"}"#, "text", "id").unwrap_err(), "no field \"text\"");
        assert_eq!(parse(br#"{"text":3}"#, "text", "id").unwrap_err(), "field \"text\" is not a string");
        assert_eq!(parse(br#"{"text":"x","id":null}"#, "text", "id").unwrap().id, None);
    }
}
