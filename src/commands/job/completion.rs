//! The completion marker of a shard (`--shard`): written last, atomically, once the shard's
//! output and report are complete; a re-run of the same shard over the same files with the same
//! settings finds it and does nothing. An array job that was cut short (a node lost, a time limit
//! reached) is simply submitted again: finished shards return at once.

use crate::config::Settings;
use crate::read::{Shard, Source};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The marker's file name, in the shard's report folder (or its output folder without a report).
pub const MARKER: &str = "shard-done.json";

/// What a finished shard was: a re-run is the same shard if all of it is equal.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Completion {
    command: String,
    shard: u32,
    shards: u32,
    /// The inputs as given.
    inputs: Vec<String>,
    /// How many files the shard held, and a hash of their paths, sizes and modification times:
    /// a file changed, added or removed makes the shard run again.
    files: usize,
    files_hash: String,
    /// A hash of the resolved settings: other steps or thresholds make it run again.
    settings_hash: String,
}

impl Completion {
    pub(super) fn of(
        command: &str,
        shard: Shard,
        inputs: &[PathBuf],
        sources: &[Source],
        settings: &Settings,
    ) -> Completion {
        let mut files = xxhash_rust::xxh3::Xxh3Default::new();
        for source in sources {
            let meta = std::fs::metadata(&source.path).ok();
            let modified = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            files.update(source.rel.as_bytes());
            files.update(&[0]);
            files.update(&meta.map_or(u64::MAX, |m| m.len()).to_le_bytes());
            files.update(&modified.to_le_bytes());
        }
        Completion {
            command: command.into(),
            shard: shard.index,
            shards: shard.count,
            inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
            files: sources.len(),
            files_hash: format!("{:032x}", files.digest128()),
            settings_hash: format!(
                "{:016x}",
                xxhash_rust::xxh3::xxh3_64(format!("{settings:?}").as_bytes())
            ),
        }
    }

    /// Whether the marker in `folder` says this very shard is done.
    pub(super) fn is_done_in(&self, folder: &Path) -> bool {
        std::fs::read(folder.join(MARKER))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Completion>(&bytes).ok())
            .is_some_and(|done| done == *self)
    }

    /// Mark the shard done, atomically: the marker is whole or absent.
    pub(super) fn write_in(&self, folder: &Path) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(self).expect("a completion serializes");
        crate::write::write_atomic(&folder.join(MARKER), &bytes)
            .with_context(|| format!("cannot write the shard marker in {}", folder.display()))
    }
}

/// Remove an earlier run's marker before the shard runs again: a run killed midway must not
/// leave a marker saying the shard is done.
pub(super) fn clear_in(folder: &Path) -> Result<()> {
    match std::fs::remove_file(folder.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e)
            .with_context(|| format!("cannot remove the shard marker in {}", folder.display())),
        _ => Ok(()),
    }
}
