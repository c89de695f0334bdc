//! Writers. Every file thresh writes goes to a temporary name in its destination folder and is
//! renamed into place only when complete, so an interrupted or killed run never leaves a
//! half-written file: the rename is atomic for every other process.
//!
//! Files are not flushed to the disk (`fsync`) before the rename. That would only matter after
//! the machine itself crashes, which the contract does not cover, and it costs a disk round trip
//! per file: a third of the wall time of cleaning a folder of 2,000 small files on a fast disk,
//! and far more on a slow one. Filesystems that replace files by rename (ext4's
//! `auto_da_alloc`, XFS, btrfs) already write the data before the new name.

pub mod markdown;

use crate::read::Compression;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// A file being written under a temporary name, optionally compressed.
pub struct AtomicFile {
    out: Encoder,
    temp: TempPath,
    dest: PathBuf,
}

enum Encoder {
    Plain(BufWriter<File>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<File>>),
}

impl AtomicFile {
    pub fn create(dest: &Path, compression: Compression) -> io::Result<AtomicFile> {
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The temporary name is private (0600) by default; the finished file is an ordinary one.
        let (file, temp) = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(TEMPORARY_SUFFIX)
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .tempfile_in(dir)?
            .into_parts();
        let buffered = BufWriter::with_capacity(1 << 16, file);
        let out = match compression {
            Compression::None => Encoder::Plain(buffered),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                buffered,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(buffered, 3)?),
        };
        Ok(AtomicFile {
            out,
            temp,
            dest: dest.to_path_buf(),
        })
    }

    /// Finish compression, flush the buffers, and move the file into place.
    pub fn commit(self) -> io::Result<()> {
        let buffered = match self.out {
            Encoder::Plain(w) => w,
            Encoder::Gzip(w) => w.finish()?,
            Encoder::Zstd(w) => w.finish()?,
        };
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        drop(file);
        self.temp.persist(&self.dest).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.out {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(w) => w.write(buf),
            Encoder::Zstd(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(w) => w.flush(),
            Encoder::Zstd(w) => w.flush(),
        }
    }
}

/// Write a whole file atomically.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(dest, Compression::None)?;
    f.write_all(bytes)?;
    f.commit()
}

pub use crate::read::MANIFEST;

/// An `--out` folder, claimed for a run.
///
/// A folder that is empty, new, or written by thresh before is taken; any other non-empty folder
/// is refused (it may hold the user's own files) unless `--overwrite`. Each file the run writes
/// is appended to the folder's [`MANIFEST`] once it is in place (a file only named, never placed,
/// by a killed run is not thresh's: it may be the user's file of the same name). When a run
/// completes, [`OutFolder::finish`] removes every listed file it did not write (the earlier run's
/// documents that are now duplicates, say), so nothing stale survives that the new report does not
/// account for; an interrupted run removes nothing and keeps the earlier files listed, so a Ctrl-C
/// never costs the earlier output. Files that thresh did not write are never removed, nor
/// anything reached through a symlink out of the folder.
pub struct OutFolder {
    dir: PathBuf,
    /// Files listed by earlier runs.
    earlier: std::collections::BTreeSet<String>,
    log: File,
}

/// Why an `--out` folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutFolderError {
    #[error("--out {0} is a file, not a folder")]
    NotAFolder(PathBuf),
    #[error("--out {0} is not empty and was not written by thresh: give an empty or new folder, or --overwrite to write into it (files of the same name are replaced, others left alone)")]
    Foreign(PathBuf),
    #[error("cannot use --out {0}: {1}")]
    Io(PathBuf, io::Error),
}

/// What [`OutFolder::finish`] did.
#[derive(Debug, Default)]
pub struct Cleared {
    /// Stale files removed.
    pub removed: usize,
    /// Stale files that could not be removed (each with why); they stay listed for a later run.
    pub failed: Vec<String>,
}

impl OutFolder {
    pub fn claim(dir: &Path, overwrite: bool) -> Result<OutFolder, OutFolderError> {
        let io_err = |e| OutFolderError::Io(dir.to_path_buf(), e);
        if dir.exists() && !dir.is_dir() {
            return Err(OutFolderError::NotAFolder(dir.to_path_buf()));
        }
        std::fs::create_dir_all(dir).map_err(io_err)?;
        let manifest = dir.join(MANIFEST);
        let earlier = match std::fs::read_to_string(&manifest) {
            Ok(text) => {
                // Temporary files of a killed run of thresh's (their names are its own) go now.
                remove_temporary_files(dir);
                listed(&text)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let empty = std::fs::read_dir(dir).map_err(io_err)?.next().is_none();
                if !empty && !overwrite {
                    return Err(OutFolderError::Foreign(dir.to_path_buf()));
                }
                Default::default()
            }
            Err(e) => return Err(io_err(e)),
        };
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&manifest)
            .map_err(io_err)?;
        Ok(OutFolder {
            dir: dir.to_path_buf(),
            earlier,
            log,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Note that `rel` has been written (it is in place).
    pub fn record(&mut self, rel: &str) -> io::Result<()> {
        // One JSON string a line (a file name may hold a line break), appended whole in one write.
        let mut line = serde_json::to_string(rel).map_err(io::Error::other)?;
        line.push('\n');
        self.log.write_all(line.as_bytes())
    }

    /// The end of a run that wrote `written`. A complete run removes what earlier runs listed and
    /// it did not write, and lists its own files; an interrupted one removes nothing and lists
    /// both. A stale file that cannot be removed is reported and stays listed.
    pub fn finish(
        self,
        written: &std::collections::HashSet<String>,
        complete: bool,
    ) -> io::Result<Cleared> {
        let mut listed_now = self.earlier;
        // What this run or a killed one appended since the manifest was last rewritten.
        if let Ok(text) = std::fs::read_to_string(self.dir.join(MANIFEST)) {
            listed_now.extend(listed(&text));
        }
        let mut cleared = Cleared::default();
        let mut keep: std::collections::BTreeSet<&String> = written.iter().collect();
        let root = self.dir.canonicalize()?;
        for rel in listed_now.iter().filter(|rel| !written.contains(*rel)) {
            if !complete {
                keep.insert(rel);
                continue;
            }
            let path = self.dir.join(rel);
            // Only below the folder itself: a symlinked subfolder could lead anywhere.
            let inside = path
                .parent()
                .and_then(|p| p.canonicalize().ok())
                .is_some_and(|p| p.starts_with(&root));
            let removal = if inside {
                std::fs::remove_file(&path)
            } else {
                Err(io::Error::from(io::ErrorKind::NotFound))
            };
            match removal {
                Ok(()) => {
                    cleared.removed += 1;
                    // Folders the removal emptied go too, up to the --out folder itself.
                    let mut parent = path.parent();
                    while let Some(p) = parent.filter(|p| *p != self.dir) {
                        if std::fs::remove_dir(p).is_err() {
                            break;
                        }
                        parent = p.parent();
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    cleared.failed.push(format!("{rel}: {e}"));
                    keep.insert(rel);
                }
            }
        }
        let mut text = String::new();
        for rel in keep {
            text.push_str(&serde_json::to_string(rel).map_err(io::Error::other)?);
            text.push('\n');
        }
        write_atomic(&self.dir.join(MANIFEST), text.as_bytes())?;
        Ok(cleared)
    }
}

/// The files a manifest lists. A line that is not a JSON string naming a file below the folder
/// (relative, with no `..`) is passed over: a damaged or edited manifest must not make thresh
/// remove anything outside `--out`.
fn listed(manifest: &str) -> std::collections::BTreeSet<String> {
    manifest
        .lines()
        .filter_map(|line| serde_json::from_str::<String>(line).ok())
        .filter(|rel| {
            !rel.is_empty()
                && Path::new(rel)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
        })
        .collect()
}

/// The suffix of every temporary file thresh writes: a file whose name starts with `.` and ends
/// with it, in a folder thresh wrote, is one a killed run left.
const TEMPORARY_SUFFIX: &str = ".thresh.tmp";

/// Remove the temporary files a killed run left under `dir` (not following symlinks).
fn remove_temporary_files(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.starts_with('.') && name.ends_with(TEMPORARY_SUFFIX)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The cleaned form of a document, ready for its writer.
#[derive(Debug, Clone)]
pub enum Output {
    None,
    /// A whole text file.
    Text(String),
    /// One JSON record: its line is `before`, the text as a JSON string, then `after` (without
    /// its newline). The text is held as it is, not escaped, so that dedup's decisions can edit
    /// it and dedup can compare it.
    Record {
        before: String,
        text: String,
        after: String,
    },
    /// The input as it was, bytes unchanged (a whole text file, or one JSON line without its
    /// newline): a document that failed, with `--on-error keep`.
    Raw(Vec<u8>),
}

impl Output {
    /// Writes it (a JSON record without its newline). The text of a record is escaped as it is
    /// written, never into a string of its own.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Output::None => Ok(()),
            Output::Text(text) => out.write_all(text.as_bytes()),
            Output::Record {
                before,
                text,
                after,
            } => {
                out.write_all(before.as_bytes())?;
                serde_json::to_writer(&mut *out, text)?;
                out.write_all(after.as_bytes())
            }
            Output::Raw(bytes) => out.write_all(bytes),
        }
    }

    /// What it writes, as text (for a fault injected in tests, and messages).
    pub fn to_text(&self) -> String {
        let mut out = Vec::new();
        self.write_to(&mut out).expect("writing to memory");
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/out.jsonl.gz");
        let mut f = AtomicFile::create(&dest, Compression::Gzip).unwrap();
        f.write_all(b"{\"text\":\"hi\"}\n").unwrap();
        assert!(!dest.exists());
        f.commit().unwrap();
        let mut s = String::new();
        flate2::read::GzDecoder::new(File::open(&dest).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "{\"text\":\"hi\"}\n");
    }

    #[test]
    fn an_out_folder_is_claimed_only_when_empty_or_thresh_s() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut folder = OutFolder::claim(&out, false).unwrap();
        for rel in ["a.txt", "sub/b.txt", "sub/c.txt"] {
            write_atomic(&out.join(rel), b"x").unwrap();
            folder.record(rel).unwrap();
        }
        let written = ["a.txt", "sub/b.txt", "sub/c.txt"]
            .map(String::from)
            .into_iter()
            .collect();
        assert_eq!(folder.finish(&written, true).unwrap().removed, 0);
        // A second run that writes only a.txt: the rest goes, with the folder it emptied.
        std::fs::write(out.join("mine.txt"), "the user's own file").unwrap();
        // An interrupted run that wrote only a.txt removes nothing and keeps everything listed.
        let mut folder = OutFolder::claim(&out, false).unwrap();
        folder.record("a.txt").unwrap();
        let written = ["a.txt"].map(String::from).into_iter().collect();
        assert_eq!(folder.finish(&written, false).unwrap().removed, 0);
        assert!(out.join("sub/b.txt").exists());
        let mut folder = OutFolder::claim(&out, false).unwrap();
        folder.record("a.txt").unwrap();
        assert_eq!(folder.finish(&written, true).unwrap().removed, 2);
        assert!(out.join("a.txt").exists() && !out.join("sub").exists());
        assert!(
            out.join("mine.txt").exists(),
            "a file thresh did not write is never removed"
        );
        assert_eq!(
            std::fs::read_to_string(out.join(MANIFEST)).unwrap(),
            "\"a.txt\"\n"
        );

        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "x").unwrap();
        assert!(matches!(
            OutFolder::claim(&foreign, false),
            Err(OutFolderError::Foreign(_))
        ));
        assert!(OutFolder::claim(&foreign, true).is_ok());
        assert!(matches!(
            OutFolder::claim(&foreign.join("notes.txt"), true),
            Err(OutFolderError::NotAFolder(_))
        ));
    }

    #[test]
    fn a_damaged_manifest_cannot_reach_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        std::fs::write(
            out.join(MANIFEST),
            "\"../precious.txt\"\n\"/etc/hostname\"\nplain.txt\n\"link/secret.txt\"\n",
        )
        .unwrap();
        std::fs::write(out.join("plain.txt"), "not a JSON line in the manifest").unwrap();
        // A symlinked subfolder leads out of --out: nothing is removed through it.
        std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
        std::fs::write(dir.path().join("elsewhere/secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), out.join("link")).unwrap();
        let folder = OutFolder::claim(&out, false).unwrap();
        assert_eq!(folder.finish(&Default::default(), true).unwrap().removed, 0);
        assert!(
            dir.path().join("precious.txt").exists()
                && dir.path().join("elsewhere/secret.txt").exists()
        );
        assert!(out.join("plain.txt").exists());
    }

    #[test]
    fn names_with_line_breaks_and_leftovers_of_a_killed_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut folder = OutFolder::claim(&out, false).unwrap();
        for rel in ["a.txt", "x\nmine.txt"] {
            write_atomic(&out.join(rel), b"x").unwrap();
            folder.record(rel).unwrap();
        }
        folder
            .finish(
                &["a.txt", "x\nmine.txt"]
                    .map(String::from)
                    .into_iter()
                    .collect(),
                true,
            )
            .unwrap();
        // The user's own mine.txt; a temporary file a killed run left; the next run writes a.txt only.
        std::fs::write(out.join("mine.txt"), "mine").unwrap();
        std::fs::write(out.join(".b.txt.AbC123.thresh.tmp"), "half").unwrap();
        let mut folder = OutFolder::claim(&out, false).unwrap();
        assert!(!out.join(".b.txt.AbC123.thresh.tmp").exists());
        folder.record("a.txt").unwrap();
        let cleared = folder
            .finish(&["a.txt"].map(String::from).into_iter().collect(), true)
            .unwrap();
        assert_eq!(cleared.removed, 1);
        assert!(out.join("mine.txt").exists() && !out.join("x\nmine.txt").exists());
    }

    #[test]
    fn an_abandoned_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x.txt"), Compression::None).unwrap();
        f.write_all(b"partial").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
