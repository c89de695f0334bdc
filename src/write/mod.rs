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
    fn an_abandoned_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x.txt"), Compression::None).unwrap();
        f.write_all(b"partial").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
