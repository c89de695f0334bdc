//! Test harness: runs the real `thresh` binary in a temporary work folder.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new() -> Work {
        Work {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// `thresh` with the work folder as its current directory.
    pub fn thresh(&self) -> Command {
        let mut cmd = Command::cargo_bin("thresh").unwrap();
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// Records of a JSON Lines file under the work folder.
    pub fn jsonl(&self, rel: &str) -> Vec<serde_json::Value> {
        self.read(rel)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The `documents.jsonl` record with this id.
    pub fn doc(&self, report: &str, id: &str) -> serde_json::Value {
        self.jsonl(&format!("{report}/documents.jsonl"))
            .into_iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no report record for {id}"))
    }
}

/// A tiny deterministic generator, so generated corpora are the same on every run.
pub struct Lcg(pub u64);
impl Lcg {
    /// A number in 0..n.
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The project's `samples/` folder.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Every file under a folder, relative path to bytes, for comparing whole outputs.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

impl Work {
    /// Start `thresh ARGS` in the work folder with `THRESH_TEST_PAUSE` set to `pause` (a phase
    /// slowed down, `phase:ms`), send it `signal` (`-INT`, `-TERM`) after `delay`, and wait for
    /// it to end (within 30 s): its exit status, and how long after the signal it ended.
    pub fn signalled(
        &self,
        args: &[&str],
        pause: &str,
        delay: std::time::Duration,
        signal: &str,
    ) -> (std::process::ExitStatus, std::time::Duration) {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("thresh"))
            .current_dir(self.dir.path())
            .args(args)
            .env("THRESH_TEST_PAUSE", pause)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        assert!(std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap()
            .success());
        let sent = std::time::Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return (status, sent.elapsed());
            }
            assert!(
                sent.elapsed() < std::time::Duration::from_secs(30),
                "thresh {args:?} still running 30 s after {signal}"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
