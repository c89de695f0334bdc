//! The one reader both passes use: the inputs as a stream of [`Item`]s in input order (cheap:
//! a text file is named, not read; a JSON line is split off, not parsed), and each item loaded
//! into a [`Record`] (read, decoded, parsed) by whichever thread works on it.

use super::charset::{self, NotText};
use super::files::{read_regular, Compression, Kind, Source, WalkError};
use super::html::PageMeta;
use super::jsonl::{self, RawLine};
use crate::document::Markup;
use std::io::Read;

/// Why a file of another kind is skipped (counted, not shown on the console).
pub const OTHER_KIND: &str = "not a text or JSON Lines file";

/// One piece of the input, in input order, not loaded yet.
pub enum Item {
    TextFile {
        src: usize,
    },
    JsonLine {
        src: usize,
        line: RawLine,
    },
    /// A JSON Lines file that could not be opened, or a line that could not be read from it.
    Unreadable {
        src: usize,
        error: String,
    },
    /// A file of a kind thresh does not read.
    OtherKind {
        src: usize,
    },
    /// A path the walk passed over (not a regular file, or not listable), never opened.
    Unlisted(WalkError),
    /// Every item of this source has been given.
    End {
        src: usize,
    },
}

impl Item {
    /// What the item holds in memory: the bytes of a JSON line, else nothing to speak of.
    pub fn bytes(&self) -> usize {
        match self {
            Item::JsonLine { line, .. } => line.bytes.len(),
            _ => 0,
        }
    }
}

/// One input document, read and decoded.
#[derive(Debug)]
pub struct Record {
    pub src: usize,
    /// Its line in a JSON Lines file; `None` for a text file (a whole file is one document).
    pub line: Option<u64>,
    /// A text file's path relative to its INPUT; a JSON record's id field, or `path:line`.
    pub id: String,
    /// The site it belongs to (see [`site_of`]).
    pub site: String,
    pub text: String,
    /// A JSON record's other fields, when they are kept to write the record back.
    pub fields: Option<jsonl::Parsed>,
    /// The charset a text file was decoded from.
    pub charset: Option<&'static str>,
    /// What decoding a text file could not do cleanly.
    pub decode_warning: Option<String>,
    /// For a page read from HTML: what its markup says of each line of `text`, and what it
    /// states about itself.
    pub markup: Option<Vec<Markup>>,
    pub meta: Option<PageMeta>,
}

/// HTML pages the corpus pass read, kept for the main pass so that it does not parse them a
/// second time (parsing is most of the cost of reading a page). Each is kept with a hash of the
/// bytes it was read from: a file that changed in between is read anew. Held in memory up to a
/// budget of text; past it, pages are parsed again.
pub struct PageCache {
    pages: std::sync::Mutex<(std::collections::HashMap<usize, ReadPage>, usize)>,
    budget: usize,
    /// Cleared when the corpus pass is over: the main pass takes pages, it keeps none.
    filling: std::sync::atomic::AtomicBool,
}

/// A page as the corpus pass read it.
struct ReadPage {
    key: (u64, usize),
    page: super::html::PageText,
    charset: &'static str,
    warning: Option<String>,
}

/// How much page text (and markup) the corpus pass keeps for the main pass.
pub const PAGE_CACHE_BUDGET: usize = 64 << 20;

impl PageCache {
    pub fn new(budget: usize) -> PageCache {
        PageCache {
            pages: Default::default(),
            budget,
            filling: std::sync::atomic::AtomicBool::new(true),
        }
    }

    fn is_filling(&self) -> bool {
        self.filling.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The pass that fills the cache is over.
    pub fn stop_filling(&self) {
        self.filling
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    fn key(bytes: &[u8]) -> (u64, usize) {
        (xxhash_rust::xxh3::xxh3_64(bytes), bytes.len())
    }

    fn put(&self, src: usize, page: ReadPage) {
        let size = page.page.text.len() + page.page.markup.len() * std::mem::size_of::<Markup>();
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.1 + size <= self.budget {
            pages.1 += size;
            pages.0.insert(src, page);
        }
    }

    fn take(&self, src: usize, key: (u64, usize)) -> Option<ReadPage> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        let page = pages.0.remove(&src)?;
        (page.key == key).then_some(page)
    }
}

/// Why an item gave no record.
#[derive(Debug)]
pub enum NotRead {
    /// It could not be read or parsed. `bytes_in`: what was read of it.
    Failed { error: String, bytes_in: u64 },
    /// It is not text (a binary file named `.txt`).
    NotText { reason: String, bytes_in: u64 },
}

/// Reads the sources of a run.
pub struct Reader<'a> {
    pub sources: &'a [Source],
    pub text_field: &'a str,
    pub id_field: &'a str,
    /// The field holding a page's HTML, when records hold pages (read instead of `text_field`).
    pub html_field: Option<&'a str>,
    /// Pages already read (by the corpus pass, for the main pass).
    pub pages: Option<&'a PageCache>,
    /// Whether a JSON record's other fields are kept (to write it back), or passed over.
    pub keep_fields: bool,
}

impl Reader<'_> {
    /// Gives every item of every source in input order, the paths the walk passed over first,
    /// until `each` returns false.
    pub fn items(&self, walk_errors: &[WalkError], mut each: impl FnMut(Item) -> bool) {
        for e in walk_errors {
            if !each(Item::Unlisted(e.clone())) {
                return;
            }
        }
        for src in 0..self.sources.len() {
            if !self.items_of(src, &mut each) || !each(Item::End { src }) {
                return;
            }
        }
    }

    /// Gives the items of one source (without its end), until `each` returns false; returns
    /// whether it went to the end.
    pub fn items_of(&self, src: usize, mut each: impl FnMut(Item) -> bool) -> bool {
        let source = &self.sources[src];
        match source.kind {
            Kind::Other => each(Item::OtherKind { src }),
            Kind::Text | Kind::Html(_) => each(Item::TextFile { src }),
            Kind::Jsonl(compression) => match jsonl::open(&source.path, compression) {
                Err(e) => each(Item::Unreadable {
                    src,
                    error: format!("cannot open: {e}"),
                }),
                Ok(reader) => {
                    for line in jsonl::Lines::new(reader) {
                        let item = match line {
                            Ok(line) => Item::JsonLine { src, line },
                            Err(error) => Item::Unreadable { src, error },
                        };
                        if !each(item) {
                            return false;
                        }
                    }
                    true
                }
            },
        }
    }

    /// Reads and decodes a text file (or standard input) into its record; an HTML page (or a
    /// text file that is clearly one) is read as its text. The bytes become the text, and the
    /// text the record's, each moved rather than copied: a huge file is held once.
    pub fn text_file(&self, src: usize) -> Result<Record, NotRead> {
        let source = &self.sources[src];
        let read = if source.is_stdin() {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        } else {
            match source.kind {
                Kind::Html(compression @ (Compression::Gzip | Compression::Zstd)) => {
                    decompressed(&source.path, compression)
                }
                _ => read_regular(&source.path),
            }
        };
        let bytes = read.map_err(|e| NotRead::Failed {
            error: format!("cannot read: {e}"),
            bytes_in: 0,
        })?;
        let bytes_in = bytes.len() as u64;
        let saved_as_text = source.kind == Kind::Text && super::html::looks_like_html_bytes(&bytes);
        let html = matches!(source.kind, Kind::Html(_)) || saved_as_text;
        let cache = self.pages.filter(|_| html && !source.is_stdin());
        let key = cache.map(|_| PageCache::key(&bytes));
        if let Some(read) = cache.zip(key).and_then(|(c, key)| c.take(src, key)) {
            return Ok(self.page_record(src, read, saved_as_text));
        }
        let decoded = if html {
            charset::decode_html(bytes)
        } else {
            charset::decode_owned(bytes)
        }
        .map_err(|NotText(reason)| NotRead::NotText { reason, bytes_in })?;
        if !html {
            return Ok(Record {
                src,
                line: None,
                id: source.rel.clone(),
                site: site_of(&source.rel, None),
                text: decoded.text,
                fields: None,
                charset: Some(decoded.charset),
                decode_warning: decoded.warning,
                markup: None,
                meta: None,
            });
        }
        let read = ReadPage {
            key: key.unwrap_or_default(),
            page: super::html::extract(&decoded.text),
            charset: decoded.charset,
            warning: decoded.warning,
        };
        match cache.filter(|c| c.is_filling()) {
            Some(cache) => {
                let copy = ReadPage {
                    page: read.page.clone(),
                    warning: read.warning.clone(),
                    ..read
                };
                cache.put(src, read);
                Ok(self.page_record(src, copy, saved_as_text))
            }
            None => Ok(self.page_record(src, read, saved_as_text)),
        }
    }

    /// The record of a page read.
    fn page_record(&self, src: usize, read: ReadPage, saved_as_text: bool) -> Record {
        let source = &self.sources[src];
        Record {
            src,
            line: None,
            id: source.rel.clone(),
            site: site_of(&source.rel, read.page.meta.url.as_deref()),
            text: read.page.text,
            fields: None,
            charset: Some(read.charset),
            decode_warning: if saved_as_text {
                Some("HTML saved as text: read as HTML".into())
            } else {
                read.warning
            },
            // A page read without its tree has no markup: it is cleaned as scraped text.
            markup: Some(read.page.markup).filter(|m| !m.is_empty()),
            meta: Some(read.page.meta),
        }
    }

    /// The record's text is a page: it becomes the page's text, with its markup and what it says
    /// of itself; its canonical URL gives its site.
    fn read_page(&self, record: &mut Record, rel: &str) {
        let page = super::html::extract(&record.text);
        if let Some(url) = page.meta.url.as_deref() {
            record.site = site_of(rel, Some(url));
        }
        record.text = page.text;
        record.markup = Some(page.markup).filter(|m| !m.is_empty());
        record.meta = Some(page.meta);
    }

    /// Parses one JSON line into its record. Its bytes are given up once parsed: a huge record is
    /// not held twice.
    pub fn json_line(&self, src: usize, line: RawLine) -> Result<Record, NotRead> {
        let source = &self.sources[src];
        let parse = if self.keep_fields {
            jsonl::parse
        } else {
            jsonl::parse_text
        };
        let field = self.html_field.unwrap_or(self.text_field);
        let mut parsed = parse(&line.bytes, field, self.id_field).map_err(|e| NotRead::Failed {
            error: format!("line {}: {e}", line.number),
            bytes_in: line.bytes.len() as u64,
        })?;
        let number = line.number;
        drop(line);
        let id = parsed
            .id
            .take()
            .unwrap_or_else(|| fallback_id(source, number));
        let mut record = Record {
            src,
            line: Some(number as u64),
            id,
            site: site_of(&source.rel, parsed.url.as_deref()),
            text: std::mem::take(&mut parsed.text),
            fields: self.keep_fields.then_some(parsed),
            charset: None,
            decode_warning: None,
            markup: None,
            meta: None,
        };
        if self.html_field.is_some() {
            let rel = source.rel.clone();
            self.read_page(&mut record, &rel);
        }
        Ok(record)
    }
}

/// A compressed page's bytes.
fn decompressed(path: &std::path::Path, compression: Compression) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    super::jsonl::open(path, compression)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The id of JSON line `number` of `source` that has no id field (or could not be parsed).
pub fn fallback_id(source: &Source, number: usize) -> String {
    format!("{}:{}", source.rel, number)
}

/// The site of a document: its URL's host when it has one; else the first folder of its path
/// named as a host (`scrape/example.com/2024/a.html`: scrapers such as `wget -r` save a site under
/// its host name, and a collection may group sites under folders of its own); else the first
/// folder of its path.
pub fn site_of(rel: &str, url: Option<&str>) -> String {
    if let Some(host) = url
        .and_then(|u| u.split_once("://"))
        .map(|(_, rest)| rest.split('/').next().unwrap_or(""))
    {
        if !host.is_empty() {
            return host.trim_start_matches("www.").to_lowercase();
        }
    }
    let Some((folders, _file)) = rel.rsplit_once('/') else {
        return String::new();
    };
    folders
        .split('/')
        .find(|folder| is_host_name(folder))
        .map(|host| host.trim_start_matches("www.").to_lowercase())
        .unwrap_or_else(|| folders.split('/').next().unwrap_or("").to_string())
}

/// `example.com`, `news.bbc.co.uk`: dot-separated labels of letters, digits and hyphens, the last
/// one (the top-level domain) of 2 to 24 letters. A version folder (`v1.2`) or an IP address is
/// not one.
fn is_host_name(folder: &str) -> bool {
    let labels: Vec<&str> = folder.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    labels.len() >= 2
        && (2..=24).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_the_corpus_pass_read_is_not_parsed_again_unless_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.html");
        let page = |body: &str| {
            format!("<html><head><link rel=canonical href='https://x.example/a'></head><body><p>{body}</p></body></html>")
        };
        std::fs::write(&path, page("first")).unwrap();
        let sources = [Source {
            path: path.clone(),
            rel: "a.html".into(),
            kind: Kind::Html(Compression::None),
        }];
        let cache = PageCache::new(PAGE_CACHE_BUDGET);
        let reader = Reader {
            sources: &sources,
            text_field: "text",
            id_field: "id",
            html_field: None,
            pages: Some(&cache),
            keep_fields: false,
        };
        let first = reader.text_file(0).unwrap();
        assert_eq!(first.text, "first");
        assert_eq!(cache.pages.lock().unwrap().0.len(), 1);
        cache.stop_filling();
        // The main pass takes it, the same record.
        let again = reader.text_file(0).unwrap();
        assert_eq!(
            (again.text, again.site, again.markup),
            (first.text, first.site, first.markup)
        );
        assert!(cache.pages.lock().unwrap().0.is_empty());
        // A file changed in between is read anew, and nothing more is kept.
        let cache = PageCache::new(PAGE_CACHE_BUDGET);
        let reader = Reader {
            pages: Some(&cache),
            ..reader
        };
        reader.text_file(0).unwrap();
        cache.stop_filling();
        std::fs::write(&path, page("second")).unwrap();
        assert_eq!(reader.text_file(0).unwrap().text, "second");
        assert!(cache.pages.lock().unwrap().0.is_empty());
    }

    #[test]
    fn sites_come_from_urls_or_folders() {
        assert_eq!(
            site_of("x.jsonl", Some("https://www.Example.org/a/b")),
            "example.org"
        );
        assert_eq!(site_of("siteA/page1.txt", None), "siteA");
        assert_eq!(site_of("page1.txt", None), "");
        // A folder named as a host is the site, wherever it is on the path.
        assert_eq!(site_of("news/www.BBC.co.uk/2024/a.txt", None), "bbc.co.uk");
        assert_eq!(site_of("example.com/a/b.txt", None), "example.com");
        for not_a_host in [
            "v1.2/a.txt",
            "10.0.0.1/a.txt",
            "notes/a.b.txt",
            "my site.com/a.txt",
        ] {
            let top = not_a_host.split('/').next().unwrap();
            assert_eq!(site_of(not_a_host, None), top, "{not_a_host}");
        }
    }
}
