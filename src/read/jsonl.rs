//! JSON Lines: one record per line, plain or compressed. Records are parsed into their fields with
//! every value kept as raw JSON, so the fields thresh does not rewrite go out byte for byte.

use super::files::{open_regular, Compression};
use indexmap::IndexMap;
use serde_json::value::RawValue;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Open a JSONL file for reading, decompressing as its name says. Gzip files may hold several
/// members (as `cat a.gz b.gz` makes), and zstd files several frames.
pub fn open(path: &Path, compression: Compression) -> io::Result<Box<dyn BufRead + Send>> {
    let file = super::files::CountedRead(open_regular(path)?);
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

/// `BufRead::read_until(b'\n')`, with the line copied out of the buffer whole (one allocation of
/// the right size for a line that lies in one buffer, not one per doubling) and found with the
/// `memchr` crate's search.
fn read_line(inner: &mut dyn BufRead, bytes: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        let buf = match inner.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(bytes.len());
        }
        match memchr::memchr(b'\n', buf) {
            Some(at) => {
                bytes.extend_from_slice(&buf[..=at]);
                inner.consume(at + 1);
                return Ok(bytes.len());
            }
            None => {
                let n = buf.len();
                bytes.extend_from_slice(buf);
                inner.consume(n);
            }
        }
    }
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
        Lines {
            inner,
            number: 0,
            done: false,
        }
    }
}

impl Iterator for Lines {
    type Item = Result<RawLine, String>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let mut bytes = Vec::new();
            match read_line(&mut *self.inner, &mut bytes) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.number += 1;
                    while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                        bytes.pop();
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Ok(RawLine {
                        number: self.number,
                        bytes,
                    }));
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

/// A parsed JSON line: its fields in their original order, values as raw JSON.
#[derive(Debug)]
pub struct Parsed {
    /// Every field, when asked for (to write the record back); empty otherwise.
    pub fields: IndexMap<String, Box<RawValue>>,
    pub text: String,
    /// The id field as text (a string's contents, or any other value's JSON), if present.
    pub id: Option<String>,
    /// The `url` field, when it is a string.
    pub url: Option<String>,
}

/// Parses a record with all its fields, to be written back with [`serialize`].
pub fn parse(bytes: &[u8], text_field: &str, id_field: &str) -> Result<Parsed, String> {
    parse_with(bytes, text_field, id_field, true)
}

/// Parses only what thresh reads of a record (text, id, url), passing over the other fields
/// without keeping them: for the corpus pass, and runs that write no documents.
pub fn parse_text(bytes: &[u8], text_field: &str, id_field: &str) -> Result<Parsed, String> {
    parse_with(bytes, text_field, id_field, false).or_else(|_| {
        // The light pass reads the text and url fields as values of any type, and serde_json
        // refuses a number out of f64's range there (`{"text":1e999,"text":"x"}`, `"url":1e999`),
        // which the full parse keeps as raw JSON. A record the light pass fails on gets the full
        // parse's answer, so both read the same records.
        parse_with(bytes, text_field, id_field, true).map(|record| Parsed {
            fields: IndexMap::new(),
            ..record
        })
    })
}

fn parse_with(
    bytes: &[u8],
    text_field: &str,
    id_field: &str,
    keep_fields: bool,
) -> Result<Parsed, String> {
    let line = std::str::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let mut de = serde_json::Deserializer::from_str(line);
    let wanted = Wanted {
        text_field,
        id_field,
        keep_fields,
    };
    let found = serde::de::DeserializeSeed::deserialize(wanted, &mut de)
        .and_then(|found| de.end().map(|()| found))
        .map_err(|e| format!("invalid JSON: {e}"))?;
    let text = match found.text {
        None => return Err(format!("no field {text_field:?}")),
        Some(None) => return Err(format!("field {text_field:?} is not a string")),
        Some(Some(text)) => text,
    };
    let id = found.id.and_then(|raw| match raw.get() {
        "null" => None,
        r if r.starts_with('"') => serde_json::from_str(r).ok(),
        r => Some(r.to_string()),
    });
    Ok(Parsed {
        fields: found.fields,
        text,
        id,
        url: found.url.flatten(),
    })
}

/// What one pass over a record's JSON keeps.
struct Wanted<'f> {
    text_field: &'f str,
    id_field: &'f str,
    keep_fields: bool,
}

#[derive(Default)]
struct Found {
    fields: IndexMap<String, Box<RawValue>>,
    /// `Some(None)`: the field is there but not a string.
    text: Option<Option<String>>,
    id: Option<Box<RawValue>>,
    url: Option<Option<String>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Wanted<'_> {
    type Value = Found;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Found, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Wanted<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Found::default();
        // A repeated key counts as its last value, as when the record is read into a map.
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.keep_fields && key == self.text_field {
                // `serialize` puts the cleaned text in this field's place, so its raw JSON (as
                // large as the text) is not kept. It is read raw first all the same: any JSON
                // value is accepted there (a number out of f64's range too), as for other fields.
                let raw: Box<RawValue> = map.next_value()?;
                found.text = Some(serde_json::from_str(raw.get()).ok());
                drop(raw);
                found.fields.insert(
                    key.into_owned(),
                    RawValue::from_string("null".into()).expect("null is JSON"),
                );
            } else if self.keep_fields {
                let raw: Box<RawValue> = map.next_value()?;
                if key == self.id_field {
                    found.id = Some(raw.clone());
                }
                if key == "url" {
                    found.url = Some(serde_json::from_str(raw.get()).ok());
                }
                found.fields.insert(key.into_owned(), raw);
            } else if key == self.text_field {
                found.text = Some(map.next_value::<StringOrOther>()?.0);
            } else if key == self.id_field {
                found.id = Some(map.next_value()?);
            } else if key == "url" {
                found.url = Some(map.next_value::<StringOrOther>()?.0);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A JSON value read as a string if it is one, and passed over if it is anything else.
struct StringOrOther(Option<String>);

impl<'de> serde::Deserialize<'de> for StringOrOther {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StringOrOther;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<StringOrOther, E> {
                Ok(StringOrOther(Some(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<StringOrOther, E> {
                Ok(StringOrOther(Some(v)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<StringOrOther, E> {
                Ok(StringOrOther(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<StringOrOther, E> {
                Ok(StringOrOther(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<StringOrOther, E> {
                Ok(StringOrOther(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<StringOrOther, E> {
                Ok(StringOrOther(None))
            }
            fn visit_unit<E>(self) -> Result<StringOrOther, E> {
                Ok(StringOrOther(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StringOrOther, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(StringOrOther(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<StringOrOther, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(StringOrOther(None))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The record as one JSON line with its text field replaced; other fields untouched.
pub fn serialize(record: &Parsed, text_field: &str, text: &str) -> String {
    let (before, after) = around(record, text_field);
    let mut out = String::with_capacity(before.len() + text.len() + after.len() + 16);
    out.push_str(&before);
    out.push_str(&serde_json::to_string(text).expect("a string serializes"));
    out.push_str(&after);
    out
}

/// The record's JSON line before its text value (up to `"text":`) and after it: the line with a
/// text is `before`, the text as a JSON string, then `after`. A parsed record always has its
/// text field.
pub fn around(record: &Parsed, text_field: &str) -> (String, String) {
    let (mut before, mut after) = (String::from("{"), String::new());
    let mut past_text = false;
    for (i, (key, value)) in record.fields.iter().enumerate() {
        let out = if past_text { &mut after } else { &mut before };
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("a string serializes"));
        out.push(':');
        if key == text_field {
            past_text = true;
        } else {
            out.push_str(value.get());
        }
    }
    after.push('}');
    (before, after)
}

/// [`around`] for a record that held a page: its other fields as they were, the page's HTML
/// field left out, the text in `text_field` (in place of any it had) and after it what the page
/// states about itself (`title`, `url`, `language`, `date`, `author`) where the record has no
/// field of that name.
pub fn around_page(
    record: &Parsed,
    html_field: &str,
    text_field: &str,
    meta: Option<&super::html::PageMeta>,
) -> (String, String) {
    let mut before = String::from("{");
    for (key, value) in &record.fields {
        if key == html_field || key == text_field {
            continue;
        }
        before.push_str(&serde_json::to_string(key).expect("a string serializes"));
        before.push(':');
        before.push_str(value.get());
        before.push(',');
    }
    before.push_str(&serde_json::to_string(text_field).expect("a string serializes"));
    before.push(':');
    (
        before,
        stated_after(meta, |key| {
            record.fields.contains_key(key) || key == text_field
        }),
    )
}

/// [`around`] for a document that was no record (a text file or a page, written to a JSON Lines
/// output): its `id`, its text in `text_field`, then what a page states about itself.
pub fn around_document(
    id: &str,
    text_field: &str,
    meta: Option<&super::html::PageMeta>,
) -> (String, String) {
    let mut before = String::from("{\"id\":");
    before.push_str(&serde_json::to_string(id).expect("a string serializes"));
    before.push(',');
    before.push_str(&serde_json::to_string(text_field).expect("a string serializes"));
    before.push(':');
    (
        before,
        stated_after(meta, |key| key == "id" || key == text_field),
    )
}

/// The end of a record after its text: the fields of what a page states about itself that
/// `taken` does not name, and the closing brace.
fn stated_after(meta: Option<&super::html::PageMeta>, taken: impl Fn(&str) -> bool) -> String {
    let mut after = String::new();
    if let Some(serde_json::Value::Object(stated)) = meta.map(|m| serde_json::json!(m)) {
        for (key, value) in stated {
            if !taken(&key) {
                after.push(',');
                after.push_str(&serde_json::to_string(&key).expect("a string serializes"));
                after.push(':');
                after.push_str(&value.to_string());
            }
        }
    }
    after.push('}');
    after
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
        for parse in [parse, parse_text] {
            assert!(parse(b"{not json", "text", "id")
                .unwrap_err()
                .starts_with("invalid JSON"));
            assert!(parse(br#"{"text":"x"} trailing"#, "text", "id")
                .unwrap_err()
                .starts_with("invalid JSON"));
            assert!(parse(br#"["text"]"#, "text", "id")
                .unwrap_err()
                .starts_with("invalid JSON"));
            assert_eq!(
                parse(br#"{"body":"x"}"#, "text", "id").unwrap_err(),
                "no field \"text\""
            );
            assert_eq!(
                parse(br#"{"text":3}"#, "text", "id").unwrap_err(),
                "field \"text\" is not a string"
            );
            assert_eq!(
                parse(br#"{"text":{"a":[1]}}"#, "text", "id").unwrap_err(),
                "field \"text\" is not a string"
            );
            assert_eq!(
                parse(br#"{"text":"x","id":null}"#, "text", "id")
                    .unwrap()
                    .id,
                None
            );
        }
    }

    #[test]
    fn the_light_parse_reads_what_the_full_one_does() {
        let lines: [&[u8]; 4] = [
            br#"{"id": 7, "url":"https://x.org/a", "text":"caf\u00e9\n\"q\"", "score": 1.50e3, "tags":[ "a", {"b": null} ]}"#,
            br#"{"text":"first","id":"a\"b","text":"second","url":3}"#,
            br#"{"meta":{"text":"nested"},"text":"top","id":[1,2]}"#,
            br#"{"text":"","url":null}"#,
        ];
        for line in lines {
            let (full, light) = (
                parse(line, "text", "id").unwrap(),
                parse_text(line, "text", "id").unwrap(),
            );
            assert_eq!(
                (&full.text, &full.id, &full.url),
                (&light.text, &light.id, &light.url)
            );
            assert!(light.fields.is_empty() && !full.fields.is_empty());
        }
        // Numbers out of f64's range where the light parse reads a value of any type.
        for line in [
            br#"{"text":4e777,"text":""}"#.as_slice(),
            br#"{"text":"x","url":-1e999}"#,
        ] {
            let (full, light) = (
                parse(line, "text", "id").unwrap(),
                parse_text(line, "text", "id").unwrap(),
            );
            assert_eq!(
                (&full.text, &full.id, &full.url),
                (&light.text, &light.id, &light.url)
            );
            assert!(light.fields.is_empty());
        }
        let r = parse_text(lines[1], "text", "id").unwrap();
        assert_eq!(
            (r.text.as_str(), r.id.as_deref(), r.url),
            ("second", Some("a\"b"), None)
        );
        assert_eq!(
            parse_text(lines[2], "text", "id").unwrap().id.as_deref(),
            Some("[1,2]")
        );
    }
}
