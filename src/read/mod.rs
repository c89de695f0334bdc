//! Readers: find the input files, decide what each one is, and turn them into documents.

pub mod charset;
pub mod jsonl;

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Compression of a JSON Lines file, kept for its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// What a file holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.txt`, `.text`, `.md`: one document.
    Text,
    /// `.jsonl`, `.ndjson`, optionally `.gz`/`.zst`: one document per line.
    Jsonl(Compression),
    /// Anything else: skipped, and counted.
    Other,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
            (s, Compression::Gzip)
        } else if let Some(s) = name.strip_suffix(".zst") {
            (s, Compression::Zstd)
        } else {
            (name.as_str(), Compression::None)
        };
        if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") {
            Kind::Jsonl(compression)
        } else if compression == Compression::None
            && (stem.ends_with(".txt") || stem.ends_with(".text") || stem.ends_with(".md"))
        {
            Kind::Text
        } else {
            Kind::Other
        }
    }
}

/// One input file, or standard input.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where to read it (`-` for standard input).
    pub path: PathBuf,
    /// Its path relative to the INPUT it was found under, `/`-separated: the document id of a text
    /// file, and where its output goes.
    pub rel: String,
    pub kind: Kind,
}

impl Source {
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// A file that could not even be listed (a symlink loop, an unreadable folder).
#[derive(Debug, Clone)]
pub struct WalkError {
    pub rel: String,
    pub message: String,
}

/// Everything under the inputs, in a deterministic order: inputs as given, each folder walked in
/// file-name order. Symlinks are followed; loops are reported, not followed.
pub fn discover(inputs: &[PathBuf]) -> (Vec<Source>, Vec<WalkError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source { path: input.clone(), rel: "-".into(), kind: Kind::Text });
            continue;
        }
        if !input.is_dir() {
            let rel = input.file_name().map_or_else(|| input.display().to_string(), |n| n.to_string_lossy().into_owned());
            sources.push(Source { path: input.clone(), rel, kind: Kind::of(input) });
            continue;
        }
        for entry in WalkDir::new(input).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    let rel = relative(input, e.path());
                    sources.push(Source { path: e.path().to_path_buf(), rel, kind: Kind::of(e.path()) });
                }
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| input.clone());
                    let message = match err.loop_ancestor() {
                        Some(a) => format!("symlink loop back to {}", a.display()),
                        None => err.io_error().map_or_else(|| err.to_string(), |e| e.to_string()),
                    };
                    errors.push(WalkError { rel: relative(input, &path), message });
                }
            }
        }
    }
    (sources, errors)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(Kind::of(Path::new("a/b.TXT")), Kind::Text);
        assert_eq!(Kind::of(Path::new("x.md")), Kind::Text);
        assert_eq!(Kind::of(Path::new("x.jsonl.gz")), Kind::Jsonl(Compression::Gzip));
        assert_eq!(Kind::of(Path::new("x.ndjson.zst")), Kind::Jsonl(Compression::Zstd));
        assert_eq!(Kind::of(Path::new("x.txt.gz")), Kind::Other);
        assert_eq!(Kind::of(Path::new("x.pdf")), Kind::Other);
    }

    #[test]
    fn walks_in_name_order_with_relative_ids() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        for f in ["z.txt", "a.txt", "b/c/d.jsonl", "b/x.pdf"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let (sources, errors) = discover(&[dir.path().to_path_buf()]);
        assert!(errors.is_empty());
        let rels: Vec<_> = sources.iter().map(|s| s.rel.as_str()).collect();
        assert_eq!(rels, ["a.txt", "b/c/d.jsonl", "b/x.pdf", "z.txt"]);
    }
}
