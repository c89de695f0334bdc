//! Finding the input files, deciding what each one is, and opening them safely.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// `.html`, `.htm`, `.xhtml`, optionally `.gz`/`.zst`: one page, read as its text
    /// (`read::html`).
    Html(Compression),
    /// Anything else: skipped, and counted.
    Other,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
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
        } else if stem.ends_with(".html") || stem.ends_with(".htm") || stem.ends_with(".xhtml") {
            Kind::Html(compression)
        } else {
            Kind::Other
        }
    }
}

/// The file in an `--out` folder that lists what thresh wrote there, one relative path a line
/// (see `write::OutFolder`). Its presence marks the folder as thresh's own, and the walk passes
/// over it, so a cleaned folder can be an input again without it counting as a document.
pub const MANIFEST: &str = ".thresh-output";

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
    /// Where its output goes, relative to `--out`: its own path, but an HTML page's text is an
    /// uncompressed `.txt` file (`site/page.html` and `site/page.html.gz` -> `site/page.txt`), or
    /// `.md` when it is written as Markdown.
    pub fn out_rel(&self, markdown: bool) -> String {
        let Kind::Html(compression) = self.kind else {
            return self.rel.clone();
        };
        let rel = match compression {
            Compression::None => self.rel.as_str(),
            // The suffix is there in any case (the kind was read from it).
            _ => self
                .rel
                .rsplit_once('.')
                .map_or(self.rel.as_str(), |(stem, _)| stem),
        };
        let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
        format!("{stem}.{}", if markdown { "md" } else { "txt" })
    }

    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// A path that is not a document: a file that could not even be listed (an unreadable folder:
/// `failed`), or one that is not a regular file (a FIFO, socket or device, a dangling symlink, a
/// symlink loop: `skipped`, never opened, so nothing can block the walk or the run).
#[derive(Debug, Clone)]
pub struct WalkError {
    pub rel: String,
    pub message: String,
    /// Whether it is a failure (exit status 1) rather than a path passed over.
    pub failed: bool,
}

/// Open a file for reading only if it is a regular file. It is opened without blocking (a FIFO
/// put in place of a file after the walk would otherwise wait for a writer forever) and checked
/// on the open handle, so what is read is what was checked.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(std::io::Error::other(format!(
            "not a regular file ({})",
            describe(kind)
        )));
    }
    Ok(file)
}

/// A regular file's bytes ([`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = open_regular(path)?;
    let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize + 1));
    file.read_to_end(&mut bytes)?;
    BYTES_READ.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    Ok(bytes)
}

/// Bytes of input files read so far in this process, as stored (compressed files count their
/// compressed bytes): what the progress bar measures a pass by.
static BYTES_READ: AtomicU64 = AtomicU64::new(0);

/// The bytes of the input files of `sources`, as stored (standard input unknown: 0).
pub fn input_bytes(sources: &[Source]) -> u64 {
    sources
        .iter()
        .filter(|s| !s.is_stdin())
        .filter_map(|s| std::fs::metadata(&s.path).ok())
        .map(|m| m.len())
        .sum()
}

pub fn bytes_read() -> u64 {
    BYTES_READ.load(Ordering::Relaxed)
}

/// Reads a file, counting its bytes into [`bytes_read`] as they come.
pub struct CountedRead<R>(pub R);

impl<R: std::io::Read> std::io::Read for CountedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        BYTES_READ.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What kind of file this is, in the words of a skip reason.
fn describe(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Everything under the inputs, in a deterministic order: inputs as given, each folder walked in
/// file-name order. Symlinks are followed; loops and dangling links are reported once each, as
/// are files of other types, and none of them is opened.
pub fn discover(inputs: &[PathBuf]) -> (Vec<Source>, Vec<WalkError>) {
    let mut sources = Vec::new();
    // The input each source came from, to tell apart two inputs that hold the same path.
    let mut from: Vec<usize> = Vec::new();
    let mut errors = Vec::new();
    let skip = |rel: String, message: String| WalkError {
        rel,
        message,
        failed: false,
    };
    for (n, input) in inputs.iter().enumerate() {
        from.resize(sources.len(), n.saturating_sub(1));
        if input.as_os_str() == "-" {
            sources.push(Source {
                path: input.clone(),
                rel: "-".into(),
                kind: Kind::Text,
            });
            continue;
        }
        if !input.is_dir() {
            let rel = input.file_name().map_or_else(
                || input.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let link = std::fs::symlink_metadata(input).is_ok_and(|m| m.file_type().is_symlink());
            match std::fs::metadata(input) {
                Ok(m) if !m.is_file() => errors.push(skip(
                    rel,
                    format!("not a regular file ({})", describe(m.file_type())),
                )),
                // A link that leads back to itself.
                Err(e) if link && e.raw_os_error() == Some(libc::ELOOP) => {
                    errors.push(skip(rel, "symlink loop".into()))
                }
                Err(_) if link => {
                    let target = std::fs::read_link(input)
                        .map(|t| t.display().to_string())
                        .unwrap_or_default();
                    errors.push(skip(rel, format!("dangling symlink (to {target})")));
                }
                _ => sources.push(Source {
                    path: input.clone(),
                    rel,
                    kind: Kind::of(input),
                }),
            }
            continue;
        }
        for entry in WalkDir::new(input).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_dir() || e.file_name() == MANIFEST => {}
                Ok(e) if !e.file_type().is_file() => errors.push(skip(
                    relative(input, e.path()),
                    format!("not a regular file ({})", describe(e.file_type())),
                )),
                Ok(e) => {
                    let rel = relative(input, e.path());
                    sources.push(Source {
                        path: e.path().to_path_buf(),
                        rel,
                        kind: Kind::of(e.path()),
                    });
                }
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone());
                    let rel = relative(input, &path);
                    let dangling = err
                        .io_error()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                        && std::fs::symlink_metadata(&path)
                            .is_ok_and(|m| m.file_type().is_symlink());
                    if let Some(ancestor) = err.loop_ancestor() {
                        errors.push(skip(
                            rel,
                            format!("symlink loop back to {}", ancestor.display()),
                        ));
                    } else if dangling {
                        let target = std::fs::read_link(&path)
                            .map(|t| t.display().to_string())
                            .unwrap_or_default();
                        errors.push(skip(rel, format!("dangling symlink (to {target})")));
                    } else {
                        let message = err
                            .io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string());
                        errors.push(WalkError {
                            rel,
                            message: format!("cannot list: {message}"),
                            failed: true,
                        });
                    }
                }
            }
        }
    }
    from.resize(sources.len(), inputs.len().saturating_sub(1));
    tell_apart(&mut sources, &from, inputs);
    (sources, errors)
}

/// Two inputs that hold the same relative path (`a/x.txt` and `b/x.txt` given as `a b`) would
/// give two documents one id and one output path: each such path is named from its input as
/// given instead (`a/x.txt`, `b/x.txt`). Paths only one input holds keep their name.
fn tell_apart(sources: &mut [Source], from: &[usize], inputs: &[PathBuf]) {
    let mut inputs_of: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (source, &input) in sources.iter().zip(from) {
        inputs_of
            .entry(source.rel.as_str())
            .or_default()
            .push(input);
    }
    let shared: std::collections::HashSet<String> = inputs_of
        .into_iter()
        .filter(|(_, ins)| ins.iter().any(|&i| i != ins[0]))
        .map(|(rel, _)| rel.to_string())
        .collect();
    for (source, &input) in sources.iter_mut().zip(from) {
        if !shared.contains(&source.rel) || source.is_stdin() {
            continue;
        }
        // Only the input's named parts: no root, `.` or `..` (an output path stays inside --out).
        let given = inputs[input]
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(name) => Some(name.to_string_lossy()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        source.rel = if inputs[input].is_dir() {
            format!("{given}/{}", source.rel)
        } else {
            given.to_string()
        };
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {

    #[test]
    fn counted_reads_add_their_bytes_to_the_progress() {
        use std::io::Read;
        let before = bytes_read();
        let mut out = Vec::new();
        CountedRead(&b"twelve bytes"[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"twelve bytes");
        // Other tests may read files at the same time: at least these twelve.
        assert!(bytes_read() - before >= 12);
    }

    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(Kind::of(Path::new("a/b.TXT")), Kind::Text);
        assert_eq!(Kind::of(Path::new("x.md")), Kind::Text);
        assert_eq!(
            Kind::of(Path::new("x.jsonl.gz")),
            Kind::Jsonl(Compression::Gzip)
        );
        assert_eq!(
            Kind::of(Path::new("x.ndjson.zst")),
            Kind::Jsonl(Compression::Zstd)
        );
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
