//! `--index`: incremental dedup over runs, on the real binary.

mod common;

use common::Work;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Words of a made-up language, so that texts share no more than chance allows.
fn word(n: u64) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "fo", "gu", "ha", "ji", "pe", "qu",
        "we",
    ];
    let mut n = n % 4096;
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(SYLLABLES[(n % 16) as usize]);
        n /= 16;
    }
    w
}

/// A text of 160 words drawn by a small generator from `seed`.
fn text(seed: u64) -> Vec<String> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..160)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            word(x >> 20)
        })
        .collect()
}

/// 24 stories in 1 to 3 copies each, every copy with a word of its own changed (all copies of a
/// story alike each to each), spread over two halves of a corpus; returns each story's copies.
fn corpus(work: &Work) -> BTreeMap<u64, Vec<String>> {
    let mut copies: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for story in 0..24u64 {
        for copy in 0..(1 + story % 3) {
            let mut words = text(story);
            words[(20 + 37 * copy) as usize] = format!("edit{copy}");
            // The copies of a story are not all in one half: the third story's first copy is in
            // the second half, its second copy in the first.
            let half = 1 + (story + copy) % 2;
            let id = format!("s{story:02}c{copy}");
            work.write(&format!("h{half}/{id}.txt"), words.join(" ") + ".\n");
            work.write(&format!("all/{id}.txt"), words.join(" ") + ".\n");
            copies.entry(story).or_default().push(id);
        }
    }
    copies
}

/// The clusters of clusters files as sets of ids, each with its kept document; clusters of one
/// kept document in several files are one.
fn clusters(work: &Work, files: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_kept: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        for c in work.jsonl(file) {
            let kept = c["kept"].as_str().unwrap().to_string();
            let members = by_kept.entry(kept.clone()).or_default();
            members.insert(kept);
            for m in c["members"].as_array().unwrap() {
                members.insert(m["doc"].as_str().unwrap().to_string());
            }
        }
    }
    by_kept
}

fn dedup(work: &Work, input: &str, report: &str, extra: &[&str]) {
    work.thresh()
        .args([
            "dedup",
            input,
            "--report",
            report,
            "-q",
            "--passages",
            "off",
        ])
        .args(extra)
        .assert()
        .success();
}

/// Ids without their folder: the halves and the whole name each copy alike.
fn name(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".txt")
        .to_string()
}

#[test]
fn two_runs_over_halves_with_an_index_cluster_as_one_run_keeping_the_earlier_copy() {
    let work = Work::new();
    let stories = corpus(&work);
    dedup(&work, "all", "one", &[]);
    dedup(&work, "h1", "r1", &["--index", "idx"]);
    dedup(&work, "h2", "r2", &["--index", "idx"]);
    let partition = |by_kept: &BTreeMap<String, BTreeSet<String>>| -> BTreeSet<BTreeSet<String>> {
        by_kept
            .values()
            .map(|m| m.iter().map(|id| name(id)).collect())
            .collect()
    };
    let one = clusters(&work, &["one/clusters.jsonl"]);
    let incremental = clusters(&work, &["r1/clusters.jsonl", "r2/clusters.jsonl"]);
    // Every story of two or more copies is one cluster, in both.
    let expected: BTreeSet<BTreeSet<String>> = stories
        .values()
        .filter(|c| c.len() > 1)
        .map(|c| c.iter().cloned().collect())
        .collect();
    assert_eq!(partition(&one), expected);
    assert_eq!(partition(&incremental), expected);
    // The copy kept is the first run's wherever it had one.
    let first_half: BTreeSet<String> = work
        .jsonl("r1/documents.jsonl")
        .iter()
        .map(|d| name(d["id"].as_str().unwrap()))
        .collect();
    for (kept, members) in &incremental {
        if members.iter().any(|m| first_half.contains(&name(m))) {
            assert!(first_half.contains(&name(kept)), "{kept} of {members:?}");
        }
    }
    // The second run names that copy as kept in the index and writes none of its copies.
    let r2 = work.jsonl("r2/clusters.jsonl");
    assert!(r2.iter().any(|c| c["kept_in_index"] == true), "{r2:?}");
    for c in &r2 {
        let kept = c["kept"].as_str().unwrap();
        assert_eq!(
            c["kept_in_index"] == true,
            first_half.contains(&name(kept)),
            "{c}"
        );
    }
    // What the two runs keep is what one run keeps: one copy of every story.
    let kept = |report: &str| -> Vec<String> {
        work.jsonl(&format!("{report}/documents.jsonl"))
            .iter()
            .filter(|d| d["status"] == "kept")
            .map(|d| name(d["id"].as_str().unwrap()))
            .collect()
    };
    let mut both = kept("r1");
    both.extend(kept("r2"));
    assert_eq!(both.len(), kept("one").len());
    assert_eq!(both.len(), stories.len());
    // The index holds them all, in two parts.
    let manifest: serde_json::Value = serde_json::from_str(&work.read("idx/index.json")).unwrap();
    assert_eq!(manifest["documents"], stories.len());
    assert_eq!(manifest["parts"].as_array().unwrap().len(), 2);
    let summary: serde_json::Value = serde_json::from_str(&work.read("r2/summary.json")).unwrap();
    assert_eq!(
        summary["dedup"]["index"]["earlier"],
        kept("r1").len(),
        "{summary}"
    );

    // The same at scale: each half signed, then clustered with the index.
    for half in ["h1", "h2"] {
        work.thresh()
            .args(["sign", half, "--out", &format!("sig-{half}"), "-q"])
            .assert()
            .success();
        work.thresh()
            .args(["cluster", &format!("sig-{half}"), "--index", "idx2"])
            .args(["--out", &format!("{half}.jsonl"), "-q"])
            .assert()
            .success();
    }
    assert_eq!(clusters(&work, &["h1.jsonl", "h2.jsonl"]), incremental);
}

#[test]
fn a_corpus_run_again_against_its_index_is_all_duplicates_and_adds_nothing() {
    let work = Work::new();
    corpus(&work);
    dedup(&work, "h1", "r1", &["--index", "idx"]);
    let manifest = work.read("idx/index.json");
    dedup(&work, "h1", "again", &["--index", "idx"]);
    let docs = work.jsonl("again/documents.jsonl");
    assert!(!docs.is_empty());
    for d in &docs {
        assert_eq!(d["status"], "duplicate", "{d}");
    }
    assert_eq!(work.read("idx/index.json"), manifest, "nothing added");
}

#[test]
fn an_index_of_other_parameters_is_refused_and_left_as_it_was() {
    let work = Work::new();
    corpus(&work);
    dedup(&work, "h1", "r1", &["--index", "idx"]);
    let manifest = work.read("idx/index.json");
    let out = work
        .thresh()
        .args(["dedup", "h2", "--report", "r2", "--index", "idx"])
        .args(["--threshold", "0.7"])
        .assert()
        .failure()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("--threshold 0.8"), "{err}");
    assert_eq!(work.read("idx/index.json"), manifest);
    // Nor inside a folder the run writes, nor with flags that cannot add to one index safely.
    work.thresh()
        .args(["dedup", "h2", "--report", "r3", "--index", "r3/idx"])
        .assert()
        .failure()
        .code(2);
    work.thresh()
        .args([
            "dedup", "h2", "--report", "r3", "--index", "idx", "--shard", "0/2",
        ])
        .assert()
        .failure()
        .code(2);
}

#[test]
fn a_run_killed_before_it_ends_leaves_the_index_as_it_was() {
    let work = Work::new();
    corpus(&work);
    dedup(&work, "h1", "r1", &["--index", "idx"]);
    let manifest = work.read("idx/index.json");
    let (status, _) = work.signalled(
        &["dedup", "h2", "--report", "r2", "-q", "--index", "idx"],
        "write:200",
        Duration::from_millis(1500),
        "-INT",
    );
    assert_eq!(status.code(), Some(130));
    assert_eq!(work.read("idx/index.json"), manifest);
    // The next run completes and adds the second half.
    dedup(&work, "h2", "r2", &["--index", "idx"]);
    let after: serde_json::Value = serde_json::from_str(&work.read("idx/index.json")).unwrap();
    assert_eq!(after["parts"].as_array().unwrap().len(), 2);
}

#[test]
fn a_run_repeated_into_its_out_keeps_what_it_wrote_and_a_dry_run_adds_nothing() {
    let work = Work::new();
    corpus(&work);
    let clean = |extra: &[&str]| {
        work.thresh()
            .args(["clean", "h1", "--index", "idx", "-q"])
            .args(extra)
            .assert()
            .success();
    };
    clean(&["--out", "out", "--report", "r1"]);
    let written = common::snapshot(&work.path("out"));
    assert!(written.len() > 5);
    let manifest = work.read("idx/index.json");
    // The same command again: every document is in the index, none is written again, and the
    // files the first run wrote stay.
    clean(&["--out", "out", "--report", "r2"]);
    assert!(work
        .jsonl("r2/documents.jsonl")
        .iter()
        .all(|d| d["status"] == "duplicate"));
    assert_eq!(common::snapshot(&work.path("out")), written);
    assert_eq!(work.read("idx/index.json"), manifest);
    // A dry run of new documents compares with the index but adds nothing to it.
    work.thresh()
        .args([
            "clean",
            "h2",
            "--index",
            "idx",
            "--dry-run",
            "--report",
            "r3",
            "-q",
        ])
        .assert()
        .success();
    assert!(work
        .jsonl("r3/documents.jsonl")
        .iter()
        .any(|d| d["status"] == "duplicate"));
    assert_eq!(work.read("idx/index.json"), manifest);
}
