//! `--shard`: array jobs over a share of the input files each, on the real binary.

mod common;

use common::{snapshot, Work};
use std::collections::BTreeSet;

/// A folder of 30 small documents in three subfolders, two of them a JSONL file.
fn corpus(work: &Work) {
    for n in 0..30 {
        let body = format!(
            "Report number {n} from the valley.\n\nThe river rose by {n} centimetres overnight, and \
             the ferry at crossing {n} waited until noon before it sailed.\n"
        );
        work.write(&format!("in/site{}/page{n}.txt", n % 3), body);
    }
    work.write(
        "in/records.jsonl",
        "{\"id\":\"r1\",\"text\":\"One record.\"}\n{\"id\":\"r2\",\"text\":\"Another record.\"}\n",
    );
}

fn ids(work: &Work, report: &str) -> Vec<String> {
    work.jsonl(&format!("{report}/documents.jsonl"))
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn shards_hold_every_document_once_and_write_what_one_run_writes() {
    let work = Work::new();
    corpus(&work);
    // Steps that need no corpus statistics: each shard's text is the single run's.
    let steps = ["--steps", "normalize"];
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "whole",
            "--report",
            "whole-rep",
            "-q",
        ])
        .args(steps)
        .assert()
        .success();
    let mut seen = Vec::new();
    for i in 0..4 {
        work.thresh()
            .args(["clean", "in", "--out", "out", "--report", "rep", "-q"])
            .args(steps)
            .args(["--shard", &format!("{i}/4")])
            .assert()
            .success();
        let folder = format!("shard-{i:04}-of-0004");
        seen.extend(ids(&work, &format!("rep/{folder}")));
        assert!(work.exists(&format!("rep/{folder}/shard-done.json")));
        // Each written file is the single run's.
        for (rel, bytes) in snapshot(&work.path(&format!("out/{folder}"))) {
            if rel == ".thresh-output" {
                continue;
            }
            assert_eq!(
                std::fs::read(work.path(&format!("whole/{rel}"))).unwrap(),
                bytes,
                "{rel}"
            );
        }
    }
    let mut whole = ids(&work, "whole-rep");
    whole.sort();
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "a document in two shards: {seen:?}"
    );
    seen.sort();
    assert_eq!(seen, whole, "every document in one shard");
}

#[test]
fn a_finished_shard_is_not_run_again_unless_its_files_or_settings_change() {
    let work = Work::new();
    corpus(&work);
    let run = |extra: &[&str]| {
        let out = work
            .thresh()
            .args(["dedup", "in", "--report", "rep", "--shard", "1/3"])
            .args(extra)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    run(&[]);
    let marker = "rep/shard-0001-of-0003/shard-done.json";
    let done = work.read(marker);
    let report = work.read("rep/shard-0001-of-0003/documents.jsonl");
    // The same command again: nothing to do, nothing touched.
    std::fs::remove_file(work.path("rep/shard-0001-of-0003/documents.jsonl")).unwrap();
    let said = run(&[]);
    assert!(said.contains("done already"), "{said}");
    assert!(!work.exists("rep/shard-0001-of-0003/documents.jsonl"));
    // Other settings: it runs again.
    let said = run(&["--threshold", "0.9"]);
    assert!(!said.contains("done already"), "{said}");
    assert_eq!(work.read("rep/shard-0001-of-0003/documents.jsonl"), report);
    assert_ne!(work.read(marker), done);
    // A changed file of the shard: it runs again. (Which files the shard holds is fixed by their
    // paths: change one of them.)
    let mine = work
        .jsonl("rep/shard-0001-of-0003/documents.jsonl")
        .iter()
        .map(|d| d["source"].as_str().unwrap().to_string())
        .find(|s| s.ends_with(".txt"))
        .unwrap();
    work.write(&format!("in/{mine}"), "Changed text.\n");
    let said = run(&["--threshold", "0.9"]);
    assert!(!said.contains("done already"), "{said}");
    assert!(!work
        .jsonl("rep/shard-0001-of-0003/documents.jsonl")
        .is_empty());
}

#[test]
fn the_shard_comes_from_the_array_job_environment() {
    let work = Work::new();
    corpus(&work);
    let run = |env: &[(&str, &str)], rep: &str| {
        let mut cmd = work.thresh();
        cmd.env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("SLURM_ARRAY_TASK_MIN")
            .env_remove("JOB_COMPLETION_INDEX");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(["dedup", "in", "--report", rep, "-q", "--shard", "3"])
            .assert()
    };
    // Slurm arrays may count from 1 (--array=1-3): the index is taken from the first.
    run(
        &[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1")],
        "slurm",
    )
    .success();
    assert!(work.exists("slurm/shard-0002-of-0003/shard-done.json"));
    run(&[("JOB_COMPLETION_INDEX", "0")], "k8s").success();
    assert!(work.exists("k8s/shard-0000-of-0003/shard-done.json"));
    // Neither set, or a shard past the count: a usage error naming the flag.
    let out = run(&[], "none").failure().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("--shard"), "{err}");
    run(&[("JOB_COMPLETION_INDEX", "3")], "past")
        .failure()
        .code(2);
    // A shard needs a folder of its own.
    work.thresh()
        .args(["clean", "in/site0/page0.txt", "--dry-run", "--shard", "0/2"])
        .assert()
        .failure()
        .code(2);
}

/// The labelled dedup pages (148, 7 sites) as one JSON Lines file per site: a site's pages stay
/// in one shard, so each shard's template lines are the whole corpus's.
fn labelled_by_site(work: &Work) {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dedup/labelled.jsonl");
    let mut by_site: std::collections::BTreeMap<String, String> = Default::default();
    for line in std::fs::read_to_string(fixture).unwrap().lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let host = record["url"]
            .as_str()
            .unwrap()
            .split('/')
            .nth(2)
            .unwrap()
            .to_string();
        let file = by_site.entry(host).or_default();
        file.push_str(line);
        file.push('\n');
    }
    assert!(by_site.len() >= 5);
    for (host, lines) in by_site {
        work.write(&format!("pages/{host}.jsonl"), lines);
    }
}

/// A cluster: its kept document and its members, each with how and how alike.
type Cluster = (String, Vec<(String, String, String)>);

/// Each cluster of a clusters file, in a set: the numbering of the clusters follows the order
/// the documents were read in, which sharding changes.
fn clusters(work: &Work, file: &str) -> BTreeSet<Cluster> {
    work.jsonl(file)
        .iter()
        .map(|c| {
            let mut members: Vec<(String, String, String)> = c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["doc"].as_str().unwrap().to_string(),
                        m["measure"].as_str().unwrap().to_string(),
                        m["similarity"].to_string(),
                    )
                })
                .collect();
            members.sort();
            (c["kept"].as_str().unwrap().to_string(), members)
        })
        .collect()
}

#[test]
fn shards_signed_and_clustered_give_the_clusters_of_one_run() {
    let work = Work::new();
    labelled_by_site(&work);
    work.thresh()
        .args([
            "dedup",
            "pages",
            "--report",
            "one",
            "-q",
            "--passages",
            "off",
        ])
        .assert()
        .success();
    let one = clusters(&work, "one/clusters.jsonl");
    assert!(one.len() >= 20, "{}", one.len());
    for i in 0..3 {
        work.thresh()
            .args([
                "sign", "pages", "--out", "sigs", "--report", "sign-rep", "-q",
            ])
            .args(["--shard", &format!("{i}/3")])
            .assert()
            .success();
    }
    // Every document is signed once, in one shard, and reported there.
    let signed: usize = (0..3)
        .map(|i| {
            work.jsonl(&format!("sign-rep/shard-{i:04}-of-0003/documents.jsonl"))
                .len()
        })
        .sum();
    assert_eq!(signed, work.jsonl("one/documents.jsonl").len());
    work.thresh()
        .args(["cluster", "sigs", "--out", "clusters.jsonl", "-q"])
        .assert()
        .success();
    assert_eq!(clusters(&work, "clusters.jsonl"), one);
    // Applied to each shard, the clusters leave what one run leaves: the same files, the same
    // statuses, each document's cluster named in its shard's report.
    work.thresh()
        .args([
            "dedup", "pages", "--out", "one-out", "--report", "one-rep", "-q",
        ])
        .args(["--passages", "off"])
        .assert()
        .success();
    let mut sharded = Vec::new();
    let mut statuses = Vec::new();
    for i in 0..3 {
        work.thresh()
            .args(["dedup", "pages", "--out", "out", "--report", "rep", "-q"])
            .args(["--shard", &format!("{i}/3"), "--clusters", "clusters.jsonl"])
            .assert()
            .success();
        let folder = format!("shard-{i:04}-of-0003");
        sharded.extend(
            snapshot(&work.path(&format!("out/{folder}")))
                .into_iter()
                .filter(|(rel, _)| rel != ".thresh-output"),
        );
        statuses.extend(
            work.jsonl(&format!("rep/{folder}/documents.jsonl"))
                .into_iter()
                .map(|d| {
                    (
                        d["id"].as_str().unwrap().to_string(),
                        d["status"].to_string(),
                        d["cluster"].is_null(),
                    )
                }),
        );
        // The shard's clusters.jsonl holds the clusters its documents are in.
        for c in work.jsonl(&format!("rep/{folder}/clusters.jsonl")) {
            assert!(one
                .iter()
                .any(|(kept, _)| kept == c["kept"].as_str().unwrap()));
        }
    }
    sharded.sort();
    let whole: Vec<(String, Vec<u8>)> = snapshot(&work.path("one-out"))
        .into_iter()
        .filter(|(rel, _)| rel != ".thresh-output")
        .collect();
    assert_eq!(sharded, whole);
    statuses.sort();
    let mut expected: Vec<(String, String, bool)> = work
        .jsonl("one-rep/documents.jsonl")
        .into_iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["status"].to_string(),
                d["cluster"].is_null(),
            )
        })
        .collect();
    expected.sort();
    assert_eq!(statuses, expected);
    // Unsharded, and the files named one by one: the same.
    work.thresh()
        .args(["sign", "pages", "--out", "whole", "-q"])
        .assert()
        .success();
    work.thresh()
        .args([
            "cluster",
            "whole/signatures.parquet",
            "--out",
            "whole.jsonl",
            "-q",
        ])
        .assert()
        .success();
    assert_eq!(clusters(&work, "whole.jsonl"), one);
}

#[test]
fn signature_files_of_other_parameters_are_not_clustered_together() {
    let work = Work::new();
    corpus(&work);
    work.thresh()
        .args(["sign", "in", "--out", "a", "-q"])
        .assert()
        .success();
    work.thresh()
        .args(["sign", "in", "--out", "b", "-q", "--threshold", "0.9"])
        .assert()
        .success();
    let out = work
        .thresh()
        .args(["cluster", "a", "b", "--out", "c.jsonl"])
        .assert()
        .failure()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("signatures.parquet"), "{err}");
    assert!(!work.exists("c.jsonl"));
    // Not a signature file at all.
    work.write("x.parquet", "not parquet");
    work.thresh()
        .args(["cluster", "x.parquet", "--out", "c.jsonl", "-q"])
        .assert()
        .failure()
        .code(2);
}
