//! `--index DIR`: the dedup signatures of every document that earlier runs kept, so that a new
//! run dedups against them without reading the old corpus again (incremental dedup).
//!
//! The folder holds signature files ([`super::signature_file`]), one *part* per run that added
//! documents, and `index.json`, the manifest that names the parts and the parameters they were
//! made with. It only grows: a run writes its part under a new name, then replaces the manifest
//! in one rename, so a run killed at any point leaves the index as it was (a part the manifest
//! does not name is not read, and the next commit writes over it). One run at a time holds the
//! folder's lock.

use super::index::Index;
use super::signature_file::{Parameters, FORMAT};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The manifest's file name in the folder.
pub const MANIFEST: &str = "index.json";
const LOCK: &str = "index.lock";

#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
struct Manifest {
    /// The signature file format of the parts.
    signature_format: String,
    threshold: f64,
    bands: usize,
    rows: usize,
    /// Documents in all the parts.
    documents: u64,
    parts: Vec<Part>,
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
struct Part {
    file: String,
    documents: u64,
    /// The command that added them, and the thresh that ran it.
    command: String,
    version: String,
}

/// An index folder, locked for this run.
pub struct IndexFolder {
    dir: PathBuf,
    manifest: Manifest,
    /// Held until the run ends: another run on the same folder is refused meanwhile.
    _lock: File,
}

impl IndexFolder {
    /// Open (or start) the index folder `dir` for a run that compares with `parameters`. A
    /// folder made with other parameters, or one another run holds, is refused.
    pub fn open(dir: &Path, parameters: &Parameters) -> io::Result<IndexFolder> {
        std::fs::create_dir_all(dir).map_err(|e| at(dir, e))?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))
            .map_err(|e| at(dir, e))?;
        if let Err(e) = lock.try_lock() {
            return Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "{}: the index is in use by another run ({e})",
                    dir.display()
                ),
            ));
        }
        // Temporary files of a run killed while it wrote (we hold the lock: no run is writing).
        for entry in std::fs::read_dir(dir).map_err(|e| at(dir, e))? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with(".tmp") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let path = dir.join(MANIFEST);
        let manifest = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<Manifest>(&bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: not a thresh index manifest: {e}", path.display()),
                )
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Manifest {
                signature_format: FORMAT.to_string(),
                threshold: parameters.threshold,
                bands: parameters.bands,
                rows: parameters.rows,
                documents: 0,
                parts: Vec::new(),
            },
            Err(e) => return Err(at(&path, e)),
        };
        let made_with = Parameters {
            threshold: manifest.threshold,
            bands: manifest.bands,
            rows: manifest.rows,
        };
        if manifest.signature_format != FORMAT {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}: signature format {}, this thresh reads {FORMAT}",
                    dir.display(),
                    manifest.signature_format
                ),
            ));
        }
        if made_with != *parameters {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: the index was made with --threshold {} ({} bands of {} rows), this run \
                     compares at --threshold {} ({} bands of {} rows): give its threshold, or \
                     another --index",
                    dir.display(),
                    made_with.threshold,
                    made_with.bands,
                    made_with.rows,
                    parameters.threshold,
                    parameters.bands,
                    parameters.rows
                ),
            ));
        }
        Ok(IndexFolder {
            dir: dir.to_path_buf(),
            manifest,
            _lock: lock,
        })
    }

    /// The signature files of the documents earlier runs kept, oldest first.
    pub fn parts(&self) -> Vec<PathBuf> {
        let parts = &self.manifest.parts;
        parts.iter().map(|p| self.dir.join(&p.file)).collect()
    }

    /// Documents in the index.
    pub fn documents(&self) -> u64 {
        self.manifest.documents
    }

    pub fn parameters(&self) -> Parameters {
        Parameters {
            threshold: self.manifest.threshold,
            bands: self.manifest.bands,
            rows: self.manifest.rows,
        }
    }

    /// Write documents `docs` of `index` (this run's, that it kept) as the next part: not read
    /// by anyone until [`IndexFolder::publish`] names it in the manifest.
    pub fn write_part(&self, index: &Index, docs: &[u32], command: &str) -> io::Result<NewPart> {
        let part = Part {
            file: format!("part-{:06}.parquet", self.manifest.parts.len() + 1),
            documents: docs.len() as u64,
            command: command.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        };
        if !docs.is_empty() {
            let path = self.dir.join(&part.file);
            index
                .write_signatures_of(docs, &self.parameters(), &path)
                .map_err(|e| at(&path, e))?;
        }
        Ok(NewPart(part))
    }

    /// Commit a part [`IndexFolder::write_part`] wrote: the manifest naming it replaces the old
    /// one in one rename. A part of no documents changes nothing.
    pub fn publish(&mut self, part: NewPart) -> io::Result<()> {
        let NewPart(part) = part;
        if part.documents == 0 {
            return Ok(());
        }
        let mut manifest = self.manifest.clone();
        manifest.documents += part.documents;
        manifest.parts.push(part);
        let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        bytes.push(b'\n');
        let manifest_path = self.dir.join(MANIFEST);
        let mut temp = tempfile::NamedTempFile::new_in(&self.dir).map_err(|e| at(&self.dir, e))?;
        temp.write_all(&bytes)?;
        temp.as_file().sync_all()?;
        temp.persist(&manifest_path)
            .map_err(|e| at(&manifest_path, e.error))?;
        // The rename itself is made durable with the folder.
        if let Ok(folder) = File::open(&self.dir) {
            let _ = folder.sync_all();
        }
        self.manifest = manifest;
        Ok(())
    }

    /// Write and publish a part at once (`thresh cluster`, whose output is one file).
    pub fn commit(&mut self, index: &Index, docs: &[u32], command: &str) -> io::Result<u64> {
        let part = self.write_part(index, docs, command)?;
        let added = part.documents();
        self.publish(part)?;
        Ok(added)
    }
}

/// A part written but not yet in the manifest.
pub struct NewPart(Part);

impl NewPart {
    pub fn documents(&self) -> u64 {
        self.0.documents
    }

    /// Its file name in the folder; none when it holds no documents (nothing is written).
    pub fn file(&self) -> Option<&str> {
        (self.0.documents > 0).then_some(&*self.0.file)
    }
}

fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::Fingerprint;
    use crate::document::Document;

    fn index_of(texts: &[&str]) -> Index {
        let mut index = Index::default();
        for (i, t) in texts.iter().enumerate() {
            let doc = Document::from_text("x", t);
            index.push(&format!("d{i}"), Fingerprint::of(&doc)).unwrap();
        }
        index
    }

    #[test]
    fn parts_are_named_by_the_manifest_and_a_new_folder_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = Parameters::for_threshold(0.8);
        let folder = IndexFolder::open(dir.path(), &p).unwrap();
        assert!(folder.parts().is_empty());
        assert!(!dir.path().join(MANIFEST).exists(), "nothing committed yet");
        let index = index_of(&["one two three four five six", "seven eight nine ten"]);
        let part = folder.write_part(&index, &[1], "dedup").unwrap();
        assert_eq!(part.file(), Some("part-000001.parquet"));
        drop(folder);
        let mut folder = IndexFolder::open(dir.path(), &p).unwrap();
        assert_eq!(
            folder.documents(),
            0,
            "a part written is not read until published"
        );
        // (Written again: a part the manifest does not name is written over.)
        let part = folder.write_part(&index, &[1], "dedup").unwrap();
        folder.publish(part).unwrap();
        drop(folder);
        let folder = IndexFolder::open(dir.path(), &p).unwrap();
        assert_eq!(folder.documents(), 1);
        let mut again = Index::default();
        again.add_earlier(&folder.parts(), &p).unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again.id(0), "d1");
        assert!(again.is_earlier(0));
    }

    #[test]
    fn other_parameters_and_a_second_run_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = Parameters::for_threshold(0.8);
        let mut folder = IndexFolder::open(dir.path(), &p).unwrap();
        folder
            .commit(&index_of(&["alpha beta gamma delta"]), &[0], "dedup")
            .unwrap();
        let busy = IndexFolder::open(dir.path(), &p).err().unwrap();
        assert_eq!(busy.kind(), io::ErrorKind::WouldBlock);
        drop(folder);
        let other = IndexFolder::open(dir.path(), &Parameters::for_threshold(0.7))
            .err()
            .unwrap();
        assert!(other.to_string().contains("--threshold 0.8"), "{other}");
    }
}
