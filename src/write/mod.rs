//! Writers. Every file thresh writes goes to a temporary name in its destination folder and is
//! renamed into place only when complete, so an interrupted or killed run never leaves a
//! half-written file: the rename is atomic for every other process.
//!
//! Files are not flushed to the disk (`fsync`) before the rename. That would only matter after
//! the machine itself crashes, which the contract does not cover, and it costs a disk round trip
//! per file: a third of the wall time of cleaning a folder of 2,000 small files on a fast disk,
//! and far more on a slow one. Filesystems that replace files by rename (ext4's
//! `auto_da_alloc`, XFS, btrfs) already write the data before the new name.

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
        let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // The temporary name is private (0600) by default; the finished file is an ordinary one.
        let (file, temp) = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .tempfile_in(dir)?
            .into_parts();
        let buffered = BufWriter::with_capacity(1 << 16, file);
        let out = match compression {
            Compression::None => Encoder::Plain(buffered),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(buffered, flate2::Compression::default())),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(buffered, 3)?),
        };
        Ok(AtomicFile { out, temp, dest: dest.to_path_buf() })
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
/// is refused (it may hold the user's own files) unless `--overwrite`. Every file the run writes
/// is appended to the folder's [`MANIFEST`] before it is put in place, so the manifest always
/// lists at least what is there, even after a killed run. When the run ends (finished or
/// interrupted), [`OutFolder::finish`] removes every listed file this run did not write (the
/// earlier run's documents that are now duplicates, say) and rewrites the manifest to this run's
/// files: nothing stale survives that the new report does not account for, and files that thresh
/// did not write are never removed.
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

impl OutFolder {
    pub fn claim(dir: &Path, overwrite: bool) -> Result<OutFolder, OutFolderError> {
        let io_err = |e| OutFolderError::Io(dir.to_path_buf(), e);
        if dir.exists() && !dir.is_dir() {
            return Err(OutFolderError::NotAFolder(dir.to_path_buf()));
        }
        std::fs::create_dir_all(dir).map_err(io_err)?;
        let manifest = dir.join(MANIFEST);
        let earlier = match std::fs::read_to_string(&manifest) {
            Ok(text) => text.lines().filter(|l| is_plain_relative(l)).map(str::to_string).collect(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let empty = std::fs::read_dir(dir).map_err(io_err)?.next().is_none();
                if !empty && !overwrite {
                    return Err(OutFolderError::Foreign(dir.to_path_buf()));
                }
                Default::default()
            }
            Err(e) => return Err(io_err(e)),
        };
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&manifest).map_err(io_err)?;
        Ok(OutFolder { dir: dir.to_path_buf(), earlier, log })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Note that `rel` is about to be written.
    pub fn record(&mut self, rel: &str) -> io::Result<()> {
        // One write per file: a line is appended whole even if the process dies after it.
        self.log.write_all(format!("{rel}\n").as_bytes())
    }

    /// Remove what earlier runs wrote and this one did not (`written`), and list this run's files.
    /// Returns how many stale files were removed.
    pub fn finish(self, written: &std::collections::HashSet<String>) -> io::Result<usize> {
        let mut listed = self.earlier;
        // What this run or a killed one appended since the manifest was last rewritten.
        if let Ok(text) = std::fs::read_to_string(self.dir.join(MANIFEST)) {
            listed.extend(text.lines().filter(|l| is_plain_relative(l)).map(str::to_string));
        }
        let mut removed = 0;
        for rel in listed.iter().filter(|rel| !written.contains(*rel)) {
            let path = self.dir.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    removed += 1;
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
                Err(e) => return Err(e),
            }
        }
        let mut list: Vec<&String> = written.iter().collect();
        list.sort();
        let mut text = String::new();
        for rel in list {
            text.push_str(rel);
            text.push('\n');
        }
        write_atomic(&self.dir.join(MANIFEST), text.as_bytes())?;
        Ok(removed)
    }
}

/// A manifest line names a file below the folder: relative, with no `..` (a damaged or edited
/// manifest must not make thresh remove anything outside `--out`).
fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty() && Path::new(rel).components().all(|c| matches!(c, std::path::Component::Normal(_)))
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
        flate2::read::GzDecoder::new(File::open(&dest).unwrap()).read_to_string(&mut s).unwrap();
        assert_eq!(s, "{\"text\":\"hi\"}\n");
    }

    #[test]
    fn an_out_folder_is_claimed_only_when_empty_or_thresh_s() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut folder = OutFolder::claim(&out, false).unwrap();
        for rel in ["a.txt", "sub/b.txt", "sub/c.txt"] {
            folder.record(rel).unwrap();
            write_atomic(&out.join(rel), b"x").unwrap();
        }
        let written = ["a.txt", "sub/b.txt", "sub/c.txt"].map(String::from).into_iter().collect();
        assert_eq!(folder.finish(&written).unwrap(), 0);
        // A second run that writes only a.txt: the rest goes, with the folder it emptied.
        std::fs::write(out.join("mine.txt"), "the user's own file").unwrap();
        let mut folder = OutFolder::claim(&out, false).unwrap();
        folder.record("a.txt").unwrap();
        let written = ["a.txt"].map(String::from).into_iter().collect();
        assert_eq!(folder.finish(&written).unwrap(), 2);
        assert!(out.join("a.txt").exists() && !out.join("sub").exists());
        assert!(out.join("mine.txt").exists(), "a file thresh did not write is never removed");
        assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), "a.txt\n");

        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "x").unwrap();
        assert!(matches!(OutFolder::claim(&foreign, false), Err(OutFolderError::Foreign(_))));
        assert!(OutFolder::claim(&foreign, true).is_ok());
        assert!(matches!(OutFolder::claim(&foreign.join("notes.txt"), true), Err(OutFolderError::NotAFolder(_))));
    }

    #[test]
    fn a_damaged_manifest_cannot_reach_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        std::fs::write(out.join(MANIFEST), "../precious.txt\n/etc/hostname\n").unwrap();
        let folder = OutFolder::claim(&out, false).unwrap();
        assert_eq!(folder.finish(&Default::default()).unwrap(), 0);
        assert!(dir.path().join("precious.txt").exists());
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
